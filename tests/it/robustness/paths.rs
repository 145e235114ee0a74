//! Robustness tests: file names and directory depth — non-UTF-8 names, a 2,000-deep directory
//! chain and one deeper than PATH_MAX.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::Path;

use serde_json::Value;

use super::GOOD_PY;
use super::inputs::{Tree, deep_directory_chain};
use super::process::{As, check_json, check_text};
use super::report::{
    array, assert_function, assert_good, assert_skipped, diagnostics_text, file, paths,
};

#[test]
fn non_utf8_file_names_keep_the_json_valid() {
    let tree = Tree::new();
    let cafe = OsStr::from_bytes(b"caf\xe9.py");
    tree.write(cafe, GOOD_PY.as_bytes());
    // A hostile file under a non-UTF-8 directory name: its diagnostic carries the bytes too.
    let dir = OsString::from_vec(b"d\xff".to_vec());
    let bad = Path::new(&dir).join("bin.py");
    fs::create_dir(tree.path(&dir)).expect("mkdir");
    tree.write(&bad, b"\x7fELF\0\0\0\0");
    let (run, report) = tree.check("non-UTF-8 file names");
    assert_eq!(run.code, 0);

    let entry = array(&report, "files")
        .iter()
        .find(|f| f["path_bytes"].is_array())
        .unwrap_or_else(|| {
            panic!(
                "no file entry with path_bytes: {:?}",
                paths(&report, "files")
            )
        });
    let bytes: Vec<u8> = entry["path_bytes"]
        .as_array()
        .expect("path_bytes")
        .iter()
        .map(|b| u8::try_from(b.as_u64().expect("byte")).expect("byte value"))
        .collect();
    assert_eq!(bytes, b"caf\xe9.py", "path_bytes holds the exact name");
    let lossy = entry["path"].as_str().expect("path");
    assert!(
        lossy.starts_with("caf") && lossy.ends_with(".py"),
        "path is the name written lossily: {lossy:?}"
    );
    assert_function(entry, "good", [1, 4, 4, 4, 3, 2, 2, 1]);

    let d = array(&report, "diagnostics")
        .iter()
        .find(|d| d["path_bytes"].is_array())
        .unwrap_or_else(|| {
            panic!(
                "no diagnostic with path_bytes:\n{}",
                diagnostics_text(&report)
            )
        });
    let bytes: Vec<u8> = d["path_bytes"]
        .as_array()
        .expect("path_bytes")
        .iter()
        .map(|b| u8::try_from(b.as_u64().expect("byte")).expect("byte value"))
        .collect();
    assert_eq!(bytes, b"d\xff/bin.py", "path_bytes of the diagnostic");
    assert!(
        d["message"].as_str().is_some_and(|m| m.contains("binary")),
        "{d}"
    );

    // The file given directly on the command line, and a root directory whose own name is
    // not UTF-8 (the report's `root` is written lossily).
    let (_, report) = check_json(
        tree.root(),
        tree.path(cafe).as_os_str(),
        As::Me,
        "non-UTF-8 file name given directly",
    );
    let entry = array(&report, "files")
        .first()
        .expect("the file is measured");
    assert!(entry["path_bytes"].is_array(), "{entry}");
    let (_, report) = check_json(
        tree.root(),
        tree.path(&dir).as_os_str(),
        As::Me,
        "non-UTF-8 root directory",
    );
    // Paths are relative to the project root (here the current directory, which holds it).
    assert_skipped(&report, "d\u{fffd}/bin.py", "read", &["binary"]);

    // The text report copes with the name too.
    check_text(
        tree.root(),
        tree.root().as_os_str(),
        As::Me,
        "non-UTF-8 names, text format",
    );
}

#[test]
fn two_thousand_deep_directory_chain() {
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    fs::create_dir(tree.path("chain")).expect("mkdir");
    deep_directory_chain(&tree.path("chain"), "d", 2_000);
    let (_, report) = tree.check("2,000-deep directory chain");
    assert_good(&report, "good.py");
    let bottom = format!("chain/{}f.py", "d/".repeat(2_000));
    deep_file_measured_or_explained(&report, &bottom, "chain");
}

#[test]
fn directory_chain_deeper_than_path_max() {
    // Absolute paths below this chain are longer than PATH_MAX (4,096 bytes).
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    fs::create_dir(tree.path("chain")).expect("mkdir");
    deep_directory_chain(&tree.path("chain"), "ddd", 2_000);
    let (_, report) = tree.check("directory chain past PATH_MAX");
    assert_good(&report, "good.py");
    let bottom = format!("chain/{}f.py", "ddd/".repeat(2_000));
    deep_file_measured_or_explained(&report, &bottom, "chain");
}

/// The file at the bottom of a deep chain is measured, or a walk diagnostic names a path in
/// the chain.
fn deep_file_measured_or_explained(report: &Value, bottom: &str, chain: &str) {
    if let Some(f) = file(report, bottom) {
        assert_function(f, "bottom", [1, 2, 2, 2, 1, 0, 0, 0]);
        return;
    }
    let explained = array(report, "diagnostics")
        .iter()
        .any(|d| d["path"].as_str().is_some_and(|p| p.starts_with(chain)) && d["stage"] == "walk");
    assert!(
        explained,
        "the file at the bottom of the chain is neither measured nor explained by a walk \
         diagnostic; files: {:?}; diagnostics:\n{}",
        paths(report, "files")
            .iter()
            .map(|p| p.chars().take(80).collect::<String>())
            .collect::<Vec<_>>(),
        diagnostics_text(report)
    );
}
