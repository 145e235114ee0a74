//! Robustness tests: deep nesting — 100,000 nested parentheses, 5,000 nested blocks, and the
//! Python indentation staircase that aborts tree-sitter-python, with its variants.

use super::GOOD_PY;
use super::inputs::{
    Tree, indentation_staircase, nested_blocks_rust, nested_ifs_rust, nested_parentheses_python,
    nested_parentheses_rust,
};
use super::report::{
    assert_function, assert_good, assert_skipped, function, measured_or_explained,
};

#[test]
fn hundred_thousand_nested_parentheses_python() {
    let tree = Tree::new();
    tree.write("parens.py", nested_parentheses_python(100_000).as_bytes());
    tree.write("good.py", GOOD_PY.as_bytes());
    let (_, report) = tree.check("100,000 nested parentheses (Python)");
    if let Some(f) = measured_or_explained(&report, "parens.py") {
        assert_eq!(f["lines"], 2);
        assert_function(f, "deep", [1, 2, 2, 2, 1, 0, 0, 0]);
    }
    assert_good(&report, "good.py");
}

#[test]
fn hundred_thousand_nested_parentheses_rust() {
    let tree = Tree::new();
    tree.write("parens.rs", nested_parentheses_rust(100_000).as_bytes());
    tree.write("good.py", GOOD_PY.as_bytes());
    let (_, report) = tree.check("100,000 nested parentheses (Rust)");
    if let Some(f) = measured_or_explained(&report, "parens.rs") {
        assert_eq!(f["lines"], 3);
        assert_function(f, "deep", [1, 3, 3, 3, 1, 0, 0, 0]);
    }
    assert_good(&report, "good.py");
}

#[test]
fn five_thousand_nested_blocks_python_are_refused_before_parsing() {
    // 5,000 `if 1:` levels need 12.5 MB of indentation: raise the size cap so that the
    // indentation guard, not the size cap, is what is tested.
    let tree = Tree::with_config("[limits]\nmax_file_bytes = 67108864\n");
    tree.write(
        "deep.py",
        indentation_staircase(5_000, " ", "\n").as_bytes(),
    );
    tree.write("good.py", GOOD_PY.as_bytes());
    let (_, report) = tree.check("5,000 nested Python blocks");
    assert_skipped(&report, "deep.py", "parse", &["indentation", "nest"]);
    assert_good(&report, "good.py");
}

#[test]
fn five_thousand_nested_blocks_rust() {
    let tree = Tree::new();
    tree.write("blocks.rs", nested_blocks_rust(5_000).as_bytes());
    tree.write("ifs.rs", nested_ifs_rust(5_000).as_bytes());
    tree.write("good.py", GOOD_PY.as_bytes());
    let (_, report) = tree.check("5,000 nested Rust blocks");
    if let Some(f) = measured_or_explained(&report, "blocks.rs") {
        assert_eq!(f["lines"], 3);
        assert_function(f, "deep", [1, 3, 3, 3, 1, 0, 0, 0]);
    }
    if let Some(f) = measured_or_explained(&report, "ifs.rs") {
        assert_eq!(f["lines"], 3);
        let deep = function(f, "deep");
        assert_eq!(deep["cyclomatic"], 5_001, "1 + one per `if`");
        assert_eq!(deep["max_nesting"], 5_000);
        // Cognitive complexity: each `if` scores 1 + its nesting: 5000 * 5001 / 2.
        assert_eq!(deep["cognitive"], 12_502_500);
    }
    assert_good(&report, "good.py");
}

#[test]
fn python_indentation_abort_is_caught_before_parsing() {
    // If this input reached tree-sitter-python, its scanner would abort() the whole process
    // (SIGABRT): the run must survive it, skip the file and measure the others.
    let tree = Tree::new();
    tree.write(
        "staircase.py",
        indentation_staircase(600, " ", "\n").as_bytes(),
    );
    tree.write("good.py", GOOD_PY.as_bytes());
    let (_, report) = tree.check("600-level indentation staircase with a string inside");
    assert_skipped(&report, "staircase.py", "parse", &["indentation", "nest"]);
    assert_good(&report, "good.py");
}

#[test]
fn python_indentation_abort_variants_do_not_crash() {
    // The same staircase written so that a guard that does not see lines exactly as the
    // grammar's scanner does would let it through: tab indentation, CRLF and CR-only line
    // endings, a BOM, UTF-16, blank lines, indented comments, comments at column 0 and
    // backslash continuation lines between the levels (the scanner skips comment lines and
    // joins continuations when it measures indentation). Each runs on its own, so that one
    // abort does not hide the others; all failures are reported together.
    let staircase = indentation_staircase(600, " ", "\n");
    let between = |filler: &str| -> Vec<u8> {
        let mut text = String::new();
        for (level, line) in staircase.lines().enumerate() {
            text.push_str(&filler.replace("{indent}", &" ".repeat(level)));
            text.push_str(line);
            text.push('\n');
        }
        text.into_bytes()
    };
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(staircase.encode_utf16().flat_map(u16::to_le_bytes));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "tabs.py",
            indentation_staircase(600, "\t", "\n").into_bytes(),
        ),
        (
            "crlf.py",
            indentation_staircase(600, " ", "\r\n").into_bytes(),
        ),
        ("cr.py", indentation_staircase(600, " ", "\r").into_bytes()),
        (
            "bom.py",
            [b"\xEF\xBB\xBF".as_slice(), staircase.as_bytes()].concat(),
        ),
        ("utf16.py", utf16),
        ("blank_lines.py", between("\n")),
        ("indented_comments.py", between("{indent}# a comment\n")),
        ("column0_comments.py", between("# a comment\n")),
        ("backslash_continuations.py", between("\\\n")),
        // Past the guard's limit, below the depth that crashes the scanner.
        ("mid.py", indentation_staircase(400, " ", "\n").into_bytes()),
    ];
    let mut failures = Vec::new();
    for (name, bytes) in cases {
        let outcome = std::panic::catch_unwind(|| {
            let tree = Tree::new();
            tree.write(name, &bytes);
            tree.write("good.py", GOOD_PY.as_bytes());
            let (_, report) = tree.check(&format!("indentation staircase variant {name}"));
            measured_or_explained(&report, name);
            assert_good(&report, "good.py");
        });
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            failures.push(format!("{name}: {message}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} staircase variant(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
