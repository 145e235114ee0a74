//! Robustness tests: binary content, random bytes, NUL bytes (also past the binary sniff
//! window), Latin-1, UTF-16 with a BOM and UTF-8 with a BOM.

use super::GOOD_PY;
use super::inputs::Tree;
use super::report::{
    ONE_IF, assert_function, assert_good, assert_lines, assert_skipped, diagnostic,
    diagnostics_for, diagnostics_text, file, has_error_diagnostic, measured,
};

#[test]
fn binary_file_named_py_is_skipped_with_a_diagnostic() {
    let tree = Tree::new();
    tree.fixture("binary.py");
    tree.write("good.py", GOOD_PY.as_bytes());
    let (run, report) = tree.check("binary.py");
    assert_eq!(run.code, 0, "a skipped file fails no gate");
    assert_skipped(&report, "binary.py", "read", &["binary"]);
    assert_good(&report, "good.py");
}

#[test]
fn random_bytes_named_py_and_rs_are_skipped_with_a_diagnostic() {
    // Pseudo-random bytes (xorshift), 64 KiB each: NUL bytes and invalid UTF-8 everywhere.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut noise = || {
        (0..64 * 1024)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state.to_le_bytes()[3]
            })
            .collect::<Vec<u8>>()
    };
    let tree = Tree::new();
    tree.write("noise.py", &noise());
    tree.write("noise.rs", &noise());
    let (_, report) = tree.check("random bytes");
    assert_skipped(&report, "noise.py", "read", &["binary"]);
    assert_skipped(&report, "noise.rs", "read", &["binary"]);
}

#[test]
fn nul_byte_inside_text_gets_a_diagnostic() {
    let tree = Tree::new();
    tree.fixture("nul.py");
    let (_, report) = tree.check("NUL byte in text");
    diagnostic(&report, "nul.py", &["NUL"]);
    assert!(
        has_error_diagnostic(&report, "nul.py") || file(&report, "nul.py").is_some(),
        "nul.py is neither measured nor skipped with an error"
    );
}

#[test]
fn nul_byte_after_the_binary_sniff_window_gets_a_diagnostic() {
    // A text file whose first NUL byte comes after the first 8 KiB: binary sniffing (as git
    // and ripgrep do it) does not see it, but the file still holds a NUL byte that the user
    // should hear about, whether the file is then skipped or measured.
    let mut text = Vec::new();
    text.extend_from_slice(b"# a long comment line to push the NUL byte out of the first 8 KiB\n");
    while text.len() < 10_000 {
        text.extend_from_slice(b"x = 1\n");
    }
    text.extend_from_slice(b"y = 2\0\n");
    text.extend_from_slice(GOOD_PY.as_bytes());
    let tree = Tree::new();
    tree.write("late_nul.py", &text);
    let (_, report) = tree.check("NUL byte after 8 KiB of text");
    diagnostic(&report, "late_nul.py", &["NUL"]);
}

#[test]
fn latin1_is_measured_with_an_encoding_warning() {
    let tree = Tree::new();
    tree.fixture("latin1.py");
    let (run, report) = tree.check("Latin-1 source");
    assert_eq!(run.code, 0);
    let d = diagnostic(&report, "latin1.py", &["UTF-8"]);
    assert_eq!(d["severity"], "warning", "{d}");
    assert!(
        d["message"].as_str().unwrap_or_default().contains("line 1"),
        "the message should say where the bad byte is: {d}"
    );
    let f = measured(&report, "latin1.py");
    assert_lines(f, [5, 4, 1, 0]);
    assert_function(f, "f", ONE_IF);
}

#[test]
fn utf16_with_bom_is_transcoded_with_a_warning_and_measured() {
    for name in ["utf16le.py", "utf16be.py"] {
        let tree = Tree::new();
        tree.fixture(name);
        let (run, report) = tree.check(name);
        assert_eq!(run.code, 0, "{name}");
        let d = diagnostic(&report, name, &["UTF-16"]);
        assert_eq!(d["severity"], "warning", "{d}");
        let f = measured(&report, name);
        assert_lines(f, [5, 4, 1, 0]);
        assert_function(f, "f", ONE_IF);
    }
}

#[test]
fn utf8_bom_is_measured_correctly() {
    let tree = Tree::new();
    tree.fixture("bom.py");
    tree.fixture("bom.rs");
    let (run, report) = tree.check("UTF-8 BOM");
    assert_eq!(run.code, 0);
    for name in ["bom.py", "bom.rs"] {
        assert!(
            diagnostics_for(&report, name).is_empty(),
            "{name}: a UTF-8 BOM is valid source, no diagnostic expected:\n{}",
            diagnostics_text(&report)
        );
    }
    let py = measured(&report, "bom.py");
    assert_lines(py, [5, 4, 1, 0]);
    assert_function(py, "f", ONE_IF);
    let rs = measured(&report, "bom.rs");
    assert_lines(rs, [7, 6, 1, 0]);
    assert_function(rs, "f", [2, 7, 6, 6, 2, 1, 1, 1]);
}
