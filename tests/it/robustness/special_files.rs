//! Robustness tests: unreadable files and directories, symbolic link loops and dangling links,
//! FIFOs and character devices.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};

use super::GOOD_PY;
use super::inputs::{Tree, mkfifo, mknod_char_device};
use super::process::{As, check_json};
use super::report::{array, assert_good, assert_skipped, diagnostic, file, paths};

#[test]
fn unreadable_file_and_directory_are_skipped_with_a_diagnostic() {
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    let secret = tree.write("secret.py", b"def hidden():\n    pass\n");
    tree.write("locked/inner.py", b"def inner():\n    pass\n");
    fs::set_permissions(&secret, fs::Permissions::from_mode(0o000)).expect("chmod 000");
    fs::set_permissions(tree.path("locked"), fs::Permissions::from_mode(0o000)).expect("chmod 000");
    let (run, report) = check_json(
        tree.root(),
        tree.root().as_os_str(),
        As::Unprivileged,
        "unreadable file and directory",
    );
    // Let the temporary directory be removed.
    fs::set_permissions(tree.path("locked"), fs::Permissions::from_mode(0o755)).expect("chmod");
    assert_eq!(run.code, 0);
    assert_skipped(&report, "secret.py", "read", &["permission denied"]);
    diagnostic(&report, "locked", &["permission denied"]);
    assert!(file(&report, "locked/inner.py").is_none());
    assert_good(&report, "good.py");

    // The unreadable file given directly on the command line.
    let (_, report) = check_json(
        tree.root(),
        secret.as_os_str(),
        As::Unprivileged,
        "unreadable file given directly",
    );
    assert_skipped(&report, "secret.py", "read", &["permission denied"]);
}

#[test]
fn symlink_loop_and_dangling_symlink_get_diagnostics() {
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    tree.write("sub/inner.py", b"def inner():\n    pass\n");
    // A directory link to its own parent: following it would never end.
    symlink("..", tree.path("sub/up")).expect("symlink loop");
    // A link to nothing.
    symlink("missing.py", tree.path("dangling.py")).expect("dangling symlink");
    // Two file links pointing at each other.
    symlink("ping.py", tree.path("pong.py")).expect("symlink");
    symlink("pong.py", tree.path("ping.py")).expect("symlink");
    let (run, report) = tree.check("symlink loop and dangling symlink");
    assert_eq!(run.code, 0);
    assert_good(&report, "good.py");
    // Each real file once: the loop must not measure the tree again under sub/up/.
    assert_eq!(
        paths(&report, "files"),
        ["good.py", "sub/inner.py"],
        "files measured"
    );
    for name in ["dangling.py", "ping.py", "pong.py"] {
        diagnostic(&report, name, &["link"]);
    }
    // The directory link is not followed: the user must hear about it, not lose the files
    // below it without a word.
    diagnostic(&report, "sub/up", &["link", "loop"]);

    // The looping link given directly as the path to analyse: must terminate.
    let looping = tree.path("sub/up");
    let (_, report) = check_json(
        tree.root(),
        looping.as_os_str(),
        As::Me,
        "link loop given directly",
    );
    assert!(
        array(&report, "files").len() <= 2,
        "files: {:?}",
        paths(&report, "files")
    );
}

#[test]
fn fifo_named_py_does_not_hang_the_run() {
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    let fifo = tree.path("x.py");
    mkfifo(&fifo);
    let (run, report) = tree.check("FIFO named x.py in a directory");
    assert_eq!(run.code, 0);
    assert_skipped(&report, "x.py", "walk", &["FIFO", "not a regular file"]);
    assert_good(&report, "good.py");

    // The FIFO given directly on the command line: no writer will ever open it.
    let (_, report) = check_json(tree.root(), fifo.as_os_str(), As::Me, "FIFO given directly");
    diagnostic(&report, "x.py", &["FIFO", "not a regular file"]);
    assert!(file(&report, "x.py").is_none());
}

#[test]
fn character_device_named_py_is_skipped() {
    let tree = Tree::new();
    tree.write("good.py", GOOD_PY.as_bytes());
    let device = tree.path("dev.py");
    if !mknod_char_device(&device) {
        return;
    }
    let (run, report) = tree.check("character device named dev.py");
    assert_eq!(run.code, 0);
    assert_skipped(&report, "dev.py", "walk", &["device", "not a regular file"]);
    assert_good(&report, "good.py");

    let (_, report) = check_json(
        tree.root(),
        device.as_os_str(),
        As::Me,
        "device given directly",
    );
    diagnostic(&report, "dev.py", &["device", "not a regular file"]);
    assert!(file(&report, "dev.py").is_none());
}
