//! Robustness test helpers: building input trees in temporary directories — copies of
//! `fixtures/broken/`, generated deep or big sources, FIFOs, devices and deep directory chains.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use tempfile::TempDir;

use super::process::{As, Run, check_json, euid, run_child, run_tool};

/// A source tree in a temporary directory, readable by every user (for the `setpriv` runs),
/// with its own gatecheck.toml so that configuration discovery never leaves it.
pub(super) struct Tree {
    dir: TempDir,
}

impl Tree {
    pub(super) fn new() -> Tree {
        Tree::with_config("# robustness test: defaults\n")
    }

    pub(super) fn with_config(config: &str) -> Tree {
        let dir = tempfile::Builder::new()
            .prefix("gatecheck-robust-")
            .tempdir()
            .expect("temp dir");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).expect("chmod 755");
        let tree = Tree { dir };
        tree.write("gatecheck.toml", config.as_bytes());
        tree
    }

    pub(super) fn root(&self) -> &Path {
        self.dir.path()
    }

    pub(super) fn path(&self, relative: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub(super) fn write(&self, relative: impl AsRef<Path>, bytes: &[u8]) -> PathBuf {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create dirs");
        }
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod 644");
        path
    }

    /// Copies `fixtures/broken/NAME` into the tree under the same name.
    pub(super) fn fixture(&self, name: &str) -> PathBuf {
        let bytes =
            fs::read(broken(name)).unwrap_or_else(|e| panic!("fixtures/broken/{name}: {e}"));
        self.write(name, &bytes)
    }

    pub(super) fn check(&self, what: &str) -> (Run, Value) {
        check_json(self.root(), self.root().as_os_str(), As::Me, what)
    }
}

fn broken(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/broken")
        .join(name)
}

/// 600 `if 1:` lines each indented one space deeper, with a string literal at the bottom: the
/// input that makes tree-sitter-python's scanner overflow its state buffer and abort().
pub(super) fn indentation_staircase(levels: usize, indent: &str, newline: &str) -> String {
    let mut text = String::with_capacity(levels * levels / 2 * indent.len() + levels * 8);
    for level in 0..levels {
        text.push_str(&indent.repeat(level));
        text.push_str("if 1:");
        text.push_str(newline);
    }
    text.push_str(&indent.repeat(levels));
    text.push_str("'s'");
    text.push_str(newline);
    text
}

pub(super) fn nested_parentheses_python(depth: usize) -> String {
    format!(
        "def deep():\n    return {}1{}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    )
}

pub(super) fn nested_parentheses_rust(depth: usize) -> String {
    format!(
        "fn deep() -> i32 {{\n    {}1{}\n}}\n",
        "(".repeat(depth),
        ")".repeat(depth)
    )
}

pub(super) fn nested_blocks_rust(depth: usize) -> String {
    format!(
        "fn deep() {{\n    {}{}\n}}\n",
        "{".repeat(depth),
        "}".repeat(depth)
    )
}

pub(super) fn nested_ifs_rust(depth: usize) -> String {
    format!(
        "fn deep(x: bool) {{\n    {}{}\n}}\n",
        "if x { ".repeat(depth),
        "} ".repeat(depth)
    )
}

/// Creates a FIFO with mkfifo(1).
pub(super) fn mkfifo(path: &Path) {
    let mut cmd = Command::new("mkfifo");
    cmd.arg(path);
    run_tool(cmd, "mkfifo (coreutils) creates the FIFO test input");
}

/// Creates a character device like /dev/null (1, 3) with mknod(1); `false` (after a loud message)
/// when that is not possible, which it only is as root.
pub(super) fn mknod_char_device(path: &Path) -> bool {
    let mut cmd = Command::new("mknod");
    cmd.arg(path).args(["c", "1", "3"]);
    let done = run_child(cmd, "mknod");
    if done.status.success() {
        fs::set_permissions(path, fs::Permissions::from_mode(0o644)).expect("chmod device");
        true
    } else {
        eprintln!(
            "\n!!! SKIPPED: cannot create a character device at {} with mknod ({}; euid {}). \
             The device-file input is NOT tested in this run; run the tests as root to test it.\n",
            path.display(),
            done.stderr.trim(),
            euid()
        );
        false
    }
}

/// Makes a chain of `depth` directories named `name` below `base` with a Python file at the
/// bottom, by `cd`-ing one level at a time (absolute paths may exceed PATH_MAX).
pub(super) fn deep_directory_chain(base: &Path, name: &str, depth: usize) {
    let script = format!(
        "cd \"$1\" && for i in $(seq {depth}); do mkdir {name} && cd -P {name} || exit 1; done; \
         printf 'def bottom():\\n    pass\\n' > f.py"
    );
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(script).arg("sh").arg(base);
    run_tool(cmd, "sh creates a deep directory chain");
}
