//! Tests: ignore files are honoured, read within bounds, and never drop code unseen. What
//! `.gitignore`, `.ignore` or a hidden name leaves out is counted and listed; `--no-ignore`
//! analyses it; an ignore file that is a device, a FIFO, too big or too long is reported and
//! not used (today's walker would read `/dev/zero` until memory runs out, or block forever).

use std::process::Command;

use super::{Tree, file_paths, report_in};

fn project() -> Tree {
    let tree = Tree::new();
    tree.write("gatecheck.toml", "")
        .write("src/app.py", "def f():\n    return 1\n")
        .write("src/generated/out.py", "def g():\n    return 2\n")
        .write("src/.hidden.py", "def h():\n    return 3\n")
        .write("src/.ignore", "generated/\n");
    tree
}

#[test]
fn what_ignore_files_and_hidden_names_leave_out_is_listed() {
    let tree = project();
    let (_, report) = report_in(tree.root(), &[]);
    assert_eq!(file_paths(&report), ["src/app.py"]);
    assert_eq!(report["summary"]["ignored"], 2, "{report}");
    let ignored: Vec<(String, String)> = report["ignored"]
        .as_array()
        .expect("ignored")
        .iter()
        .map(|i| {
            let text = |k: &str| i[k].as_str().unwrap_or_default().to_owned();
            (text("path"), text("by"))
        })
        .collect();
    assert_eq!(
        ignored,
        [
            ("src/.hidden.py".to_owned(), "hidden".to_owned()),
            ("src/generated".to_owned(), "src/.ignore".to_owned())
        ]
    );
}

#[test]
fn no_ignore_analyses_everything() {
    let tree = project();
    let (_, report) = report_in(tree.root(), &["--no-ignore"]);
    assert_eq!(
        file_paths(&report),
        [
            "gatecheck.toml",
            "src/.hidden.py",
            "src/app.py",
            "src/generated/out.py"
        ]
        .iter()
        .filter(|p| p.ends_with(".py"))
        .copied()
        .collect::<Vec<_>>()
    );
    assert_eq!(report["summary"]["ignored"], 0);
}

#[test]
fn an_ignore_file_that_is_a_device_a_fifo_or_too_big_is_reported_and_not_used() {
    let tree = project();
    std::os::unix::fs::symlink("/dev/zero", tree.path(".gitignore")).expect("symlink");
    tree.write("src/sub/mod.py", "x = 1\n");
    let made = Command::new("mkfifo")
        .arg(tree.path("src/sub/.gitignore"))
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let huge: String = (0..10_001).map(|i| format!("p{i}\n")).collect();
    tree.write("src/.gitignore", &huge);
    let (_, report) = report_in(tree.root(), &[]);
    let messages: Vec<String> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| format!("{}: {}", d["path"], d["message"]))
        .collect();
    for expected in [".gitignore", "src/sub/.gitignore", "src/.gitignore"] {
        assert!(
            messages
                .iter()
                .any(|m| m.starts_with(&format!("\"{expected}\"")) && m.contains("not used")),
            "{expected}: {messages:#?}"
        );
    }
    assert!(file_paths(&report).contains(&"src/app.py".to_owned()));
}
