//! Robustness tests: every hostile input in one tree; one bad file never hides the good ones.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{PermissionsExt, symlink};

use super::GOOD_PY;
use super::inputs::{
    Tree, deep_directory_chain, indentation_staircase, mkfifo, mknod_char_device,
    nested_blocks_rust, nested_ifs_rust, nested_parentheses_python, nested_parentheses_rust,
};
use super::process::{As, check_json, check_text};
use super::report::{array, assert_good, measured_or_explained};

#[test]
fn one_bad_file_never_hides_the_good_ones() {
    // Every hostile input in one tree with one normal file; as root the run goes through
    // setpriv so that the unreadable file really is unreadable.
    let tree = Tree::with_config("[limits]\nmax_file_bytes = 16777216\n");
    tree.write("good.py", GOOD_PY.as_bytes());
    let mut hostile: Vec<String> = Vec::new();
    for name in [
        "binary.py",
        "nul.py",
        "latin1.py",
        "utf16le.py",
        "utf16be.py",
        "bom.py",
        "bom.rs",
        "crlf.py",
        "crlf.rs",
        "cr_only.py",
        "empty.py",
        "empty.rs",
        "syntax_error.py",
        "syntax_error.rs",
    ] {
        tree.fixture(name);
        hostile.push(name.to_owned());
    }
    let mut generated = |name: &str, bytes: &[u8]| {
        tree.write(name, bytes);
        hostile.push(name.to_owned());
    };
    generated("parens.py", nested_parentheses_python(100_000).as_bytes());
    generated("parens.rs", nested_parentheses_rust(100_000).as_bytes());
    generated("blocks.rs", nested_blocks_rust(5_000).as_bytes());
    generated("ifs.rs", nested_ifs_rust(5_000).as_bytes());
    // 12.5 MB, under this tree's 16 MiB cap: the indentation guard must catch it.
    generated(
        "deep.py",
        indentation_staircase(5_000, " ", "\n").as_bytes(),
    );
    generated(
        "staircase.py",
        indentation_staircase(600, " ", "\n").as_bytes(),
    );
    generated("huge.py", &vec![b'#'; 17 * 1024 * 1024]);
    generated("secret.py", b"def hidden():\n    pass\n");
    fs::set_permissions(tree.path("secret.py"), fs::Permissions::from_mode(0o000))
        .expect("chmod 000");
    generated(
        "late_nul.py",
        &[vec![b'#'; 9_000].as_slice(), b"\nx = 1\0\n"].concat(),
    );
    // Not in `hostile`: whether an unfollowed directory link gets a diagnostic is asserted by
    // `symlink_loop_and_dangling_symlink_get_diagnostics`; here it must only not loop.
    symlink("..", tree.path("up")).expect("symlink loop");
    symlink("missing.py", tree.path("dangling.py")).expect("dangling symlink");
    hostile.push("dangling.py".to_owned());
    mkfifo(&tree.path("fifo.py"));
    hostile.push("fifo.py".to_owned());
    if mknod_char_device(&tree.path("dev.py")) {
        hostile.push("dev.py".to_owned());
    }
    tree.write(OsStr::from_bytes(b"caf\xe9.py"), GOOD_PY.as_bytes());
    fs::create_dir(tree.path("chain")).expect("mkdir");
    deep_directory_chain(&tree.path("chain"), "d", 2_000);

    let (run, report) = check_json(
        tree.root(),
        tree.root().as_os_str(),
        As::Unprivileged,
        "every hostile input in one tree",
    );
    assert_eq!(run.code, 1, "the syntax errors fail their gate");
    assert_good(&report, "good.py");
    // Every hostile input is accounted for: measured, or named by a diagnostic.
    for name in &hostile {
        measured_or_explained(&report, name);
    }
    assert!(
        array(&report, "files")
            .iter()
            .any(|f| f["path_bytes"].is_array()),
        "the non-UTF-8 name is measured"
    );
    let summary = &report["summary"];
    assert_eq!(
        summary["files"].as_u64(),
        Some(array(&report, "files").len() as u64),
        "summary.files"
    );

    // The text format survives the same tree.
    let text = check_text(
        tree.root(),
        tree.root().as_os_str(),
        As::Unprivileged,
        "every hostile input, text format",
    );
    assert_eq!(text.code, 1);
    fs::set_permissions(tree.path("secret.py"), fs::Permissions::from_mode(0o644)).expect("chmod");
}
