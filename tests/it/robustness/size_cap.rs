//! Robustness tests: the file size cap, configured and default.

use super::GOOD_PY;
use super::inputs::Tree;
use super::report::{assert_good, diagnostic, file};

#[test]
fn file_over_the_configured_size_cap_is_skipped() {
    let tree = Tree::with_config("[limits]\nmax_file_bytes = 1000\n");
    let mut big = String::new();
    while big.len() < 5_000 {
        big.push_str("x = 1  # filler line to make the file bigger than the cap\n");
    }
    tree.write("big.py", big.as_bytes());
    tree.write("good.py", GOOD_PY.as_bytes());
    let (run, report) = tree.check("5,000-byte file, 1,000-byte cap");
    assert_eq!(run.code, 0);
    let d = diagnostic(&report, "big.py", &["limit", "too big", "too large"]);
    assert_eq!(d["severity"], "error", "{d}");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("max_file_bytes")),
        "the message should name the setting to change: {d}"
    );
    assert!(file(&report, "big.py").is_none());
    assert_good(&report, "good.py");
}

#[test]
fn fifty_megabyte_file_is_skipped_under_the_default_cap() {
    let tree = Tree::new();
    let line = b"value = 'a line of filler to make a very large generated source file'\n";
    let mut big = Vec::with_capacity(50 * 1024 * 1024 + line.len());
    while big.len() < 50 * 1024 * 1024 {
        big.extend_from_slice(line);
    }
    assert!(big.len() as u64 > gatecheck::config::DEFAULT_MAX_FILE_BYTES);
    tree.write("huge.py", &big);
    drop(big);
    tree.write("good.py", GOOD_PY.as_bytes());
    let (run, report) = tree.check("50 MB file");
    assert_eq!(run.code, 0);
    let d = diagnostic(&report, "huge.py", &["limit", "too big", "too large"]);
    assert_eq!(d["severity"], "error", "{d}");
    assert_eq!(d["stage"], "read", "{d}");
    assert!(file(&report, "huge.py").is_none());
    assert_good(&report, "good.py");
}
