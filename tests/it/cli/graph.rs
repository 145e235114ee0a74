//! CLI tests: `gatecheck graph` argument handling. Until the import resolver is wired in
//! (src/cli/graph.rs, `module_graph`), the command says that the graph is unavailable and
//! exits 2; the outputs themselves are tested on hand-built graphs in graph_export.rs.

use super::{Tree, run_in};

#[test]
fn graph_lists_its_formats_and_rejects_depth_zero() {
    let tree = Tree::new();
    tree.write("a.py", "import b\n").write("b.py", "");
    let help = run_in(tree.root(), &["graph", "--help"]);
    assert_eq!(help.code, 0, "{}", help.describe());
    for word in ["dot", "mermaid", "json", "--depth", "--output"] {
        assert!(
            help.stdout.contains(word),
            "{word} missing:\n{}",
            help.stdout
        );
    }
    let zero = run_in(tree.root(), &["graph", "--depth", "0"]);
    assert_eq!(zero.code, 2, "{}", zero.describe());
    assert!(
        zero.stderr.contains("--depth must be 1 or more"),
        "{}",
        zero.describe()
    );
    let bad = run_in(tree.root(), &["graph", "--format", "png"]);
    assert_eq!(bad.code, 2, "{}", bad.describe());
}

/// TEMPORARY (issue 4): replace with real output checks once `module_graph` is wired.
#[test]
fn graph_without_the_resolver_says_so() {
    let tree = Tree::new();
    tree.write("a.py", "import b\n").write("b.py", "");
    let run = run_in(tree.root(), &["graph", "--format", "dot"]);
    assert_eq!(run.code, 2, "{}", run.describe());
    assert!(
        run.stderr.contains("cannot build the module graph yet"),
        "{}",
        run.describe()
    );
}
