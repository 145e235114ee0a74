//! Tests: gatecheck's query matcher (`gatecheck::query`) finds exactly what tree-sitter's
//! `QueryCursor` finds with the same query files: the same (node, capture) pairs and the same
//! definition names, on every Python and Rust file of the repository and its fixtures, and on
//! generated edge cases.
//!
//! `matcher_fuzz` runs the same comparison on generated sources and generated queries.
//!
//! The same comparison runs on a corpus of real code with
//! `GATECHECK_MATCHER_CORPUS=/root/corpus/py-stdlib:/root/corpus/rust-vendor cargo test --release
//! --test it matcher::corpus -- --ignored --nocapture` (docs/metrics.md gives the figures).
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use gatecheck::lang::{self, LanguageSpec};
use gatecheck::query::{FlatTree, Program};
use streaming_iterator::StreamingIterator;
use tree_sitter::{Parser, Query, QueryCursor};

/// A capture: byte range and capture name.
type Found = BTreeSet<(usize, usize, String)>;
/// A definition's byte range and the text of its `@name` in the same match.
type Names = BTreeSet<(usize, usize, String)>;

fn text_of(text: &str, start: usize, end: usize) -> String {
    text.get(start..end).unwrap_or_default().to_owned()
}

/// The captures of one engine, gathered the same way for both.
#[derive(Default)]
pub(crate) struct Gathered {
    found: Found,
    definitions: Names,
}

impl Gathered {
    /// The number of (node, capture) pairs found.
    pub(crate) fn captures(&self) -> usize {
        self.found.len()
    }

    /// Adds one match, given as (capture name, byte range) pairs.
    fn add_match(&mut self, text: &str, captures: impl Iterator<Item = (String, (usize, usize))>) {
        let mut definition = None;
        let mut name = None;
        for (capture, range) in captures.filter(|(c, _)| !c.starts_with('_')) {
            if capture == "name" {
                name = Some(range);
            } else if capture.starts_with("definition.") {
                definition = Some(range);
            }
            self.found.insert((range.0, range.1, capture));
        }
        if let (Some(d), Some(n)) = (definition, name) {
            self.definitions.insert((d.0, d.1, text_of(text, n.0, n.1)));
        }
    }
}

/// What tree-sitter's `QueryCursor` captures.
pub(crate) fn by_tree_sitter(query: &Query, tree: &tree_sitter::Tree, text: &str) -> Gathered {
    let names = query.capture_names();
    let mut cursor = QueryCursor::new();
    cursor.set_match_limit(u32::MAX);
    let mut gathered = Gathered::default();
    let mut matches = cursor.matches(query, tree.root_node(), text.as_bytes());
    while let Some(m) = matches.next() {
        let captures = m.captures().iter().map(|c| {
            let range = (c.node.start_byte(), c.node.end_byte());
            (names[c.index as usize].to_owned(), range)
        });
        gathered.add_match(text, captures);
    }
    gathered
}

/// What gatecheck's matcher captures with `program` (capture names `names`), and whether the
/// run was complete.
pub(crate) fn by_program(
    program: &Program,
    names: &[String],
    tree: &tree_sitter::Tree,
    text: &str,
) -> (Gathered, bool) {
    let mut flat = FlatTree::default();
    let mut gathered = Gathered::default();
    let outcome = program.run(tree, &mut flat, text.as_bytes(), &mut |flat, captures| {
        let captures = captures.iter().map(|c| {
            let node = flat.node(c.node);
            let range = (node.start_byte as usize, node.end_byte as usize);
            (names[usize::from(c.index)].clone(), range)
        });
        gathered.add_match(text, captures);
    });
    (gathered, outcome.complete)
}

/// What gatecheck's matcher captures with the language's queries.
fn by_matcher(spec: &LanguageSpec, tree: &tree_sitter::Tree, text: &str) -> (Found, Names, bool) {
    let compiled = spec.query().expect("queries compile");
    let (gathered, complete) = by_program(&compiled.program, &compiled.capture_names, tree, text);
    (gathered.found, gathered.definitions, complete)
}

/// tree-sitter's compilation of the language's queries.
fn tree_sitter_query(spec: &LanguageSpec) -> Query {
    Query::new(&(spec.grammar)(), &spec.query_text()).expect("tree-sitter compiles the queries")
}

/// The differences between the two on `text`, one line each; empty when they agree.
fn differences(spec: &LanguageSpec, query: &Query, text: &str) -> Vec<String> {
    let mut parser = Parser::new();
    parser
        .set_language(&(spec.grammar)())
        .expect("grammar loads");
    let Some(tree) = parser.parse(text, None) else {
        return vec!["tree-sitter gave no tree".to_owned()];
    };
    let reference = by_tree_sitter(query, &tree, text);
    let compiled = spec.query().expect("queries compile");
    let (ours, complete) = by_program(&compiled.program, &compiled.capture_names, &tree, text);
    let mut out = Vec::new();
    if !complete {
        out.push("the matcher ran out of budget".to_owned());
    }
    out.extend(compare(text, &reference, &ours, complete));
    out
}

/// How `ours` differs from `reference` on `text`, one line each; empty when they agree. After
/// an incomplete run only what `ours` found beyond the reference counts.
pub(crate) fn compare(
    text: &str,
    reference: &Gathered,
    ours: &Gathered,
    complete: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    let line = |byte: usize| text[..byte.min(text.len())].matches('\n').count() + 1;
    if complete {
        for (s, e, c) in reference.found.difference(&ours.found) {
            out.push(format!(
                "line {}: missed @{c} on {:?}",
                line(*s),
                text_of(text, *s, *e)
            ));
        }
    }
    for (s, e, c) in ours.found.difference(&reference.found) {
        out.push(format!(
            "line {}: extra @{c} on {:?}",
            line(*s),
            text_of(text, *s, *e)
        ));
    }
    let names = &reference.definitions;
    let differing: Vec<_> = if complete {
        names.symmetric_difference(&ours.definitions).collect()
    } else {
        ours.definitions.difference(names).collect()
    };
    for (s, _, n) in differing {
        out.push(format!("line {}: definition name {n:?} differs", line(*s)));
    }
    out
}

/// Every file under `roots` in a supported language, read as UTF-8 (others are skipped), with
/// its language.
fn sources(roots: &[PathBuf]) -> Vec<(PathBuf, &'static LanguageSpec, String)> {
    let mut out = Vec::new();
    for root in roots {
        for entry in ignore::WalkBuilder::new(root).build().flatten() {
            let path = entry.path();
            let Some(spec) = lang::for_path(path) else {
                continue;
            };
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            if (spec.guard)(&text).is_ok() && text.len() < 4 << 20 {
                out.push((path.to_path_buf(), spec, text));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Compares the two on every file; returns the number of files and the failures, at most 50.
fn compare_all(files: &[(PathBuf, &'static LanguageSpec, String)]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut failed_files = 0;
    let queries: Vec<(&str, Query)> = lang::LANGUAGES
        .iter()
        .map(|spec| (spec.id, tree_sitter_query(spec)))
        .collect();
    for (path, spec, text) in files {
        let Some((_, query)) = queries.iter().find(|(id, _)| *id == spec.id) else {
            continue;
        };
        let found = differences(spec, query, text);
        if !found.is_empty() {
            failed_files += 1;
            for d in found.into_iter().take(5) {
                if failures.len() < 50 {
                    failures.push(format!("{}: {d}", path.display()));
                }
            }
        }
    }
    if failed_files > 0 {
        failures.push(format!("{failed_files} of {} files differ", files.len()));
    }
    failures
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_matcher_agrees_with_tree_sitter_on_the_repository_and_fixtures() {
    let roots = ["src", "tests", "benches", "fixtures"].map(|d| repository().join(d));
    let files = sources(&roots);
    assert!(
        files.len() > 100,
        "expected the repository's sources, found {}",
        files.len()
    );
    let failures = compare_all(&files);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Inputs where sibling order, anchors, repetition or predicates decide the match.
const EDGE_CASES: &[(&str, &str)] = &[
    (
        "python",
        "def f():\n    # a\n    # b\n    \"\"\"doc\"\"\"\n    return 1\n",
    ),
    (
        "python",
        "def f():\n    x = 1\n    \"\"\"not a docstring\"\"\"\n",
    ),
    (
        "python",
        "def f():\n    # a\n    x = 1\n    # b\n    \"\"\"not a docstring\"\"\"\n",
    ),
    (
        "python",
        "class C:\n    \"doc\"\n    def m(self, a, *b, c=1, **d): return self.x\n",
    ),
    (
        "python",
        "\"\"\"module doc\"\"\"\nimport a.b as c, d\nfrom .. import (e, f as g)\nfrom h import *\n",
    ),
    (
        "python",
        "if TYPE_CHECKING:\n    import x\nif typing.TYPE_CHECKING:\n    import y\nif other:\n    import z\n",
    ),
    (
        "python",
        "def f(a):\n    return a and b and (c and d) or e or (f or g) and not h\n",
    ),
    (
        "python",
        "match x:\n    case 1: pass\n    case (y) if y: pass\n    case None: pass\n    case _: pass\n",
    ),
    (
        "python",
        "class C:\n    @staticmethod\n    def s(): pass\n    @classmethod\n    def c(cls): pass\n    def __eq__(self, o): pass\n    def __init__(self): self.a = 1\n",
    ),
    (
        "python",
        "f = lambda a, b=1, *c: [x for x in a if x if b] or {k: v for k, v in c}\n",
    ),
    (
        "rust",
        "fn f(a: u8) -> bool { if let Some(x) = y && a > 1 && let Ok(z) = w && q { true } else if b { false } else { a == 0 || b || (c || d) && e } }\n",
    ),
    (
        "rust",
        "impl<T> S<T> { fn m(&self) -> u8 { self.x + Self::g() + self.0 } }\ntrait T { fn d(&self) {} fn e(); }\n",
    ),
    (
        "rust",
        "#[path = \"x.rs\"]\nmod a;\nmod b { fn c() {} }\nuse crate::a::{b, c as d};\nextern crate e;\nfn g() { crate::a::f(); super::x::T::new(); }\n",
    ),
    (
        "rust",
        "fn f() { let c = |_, x| x?; 'a: loop { match x { A if g => break 'a, _ => continue 'a } } m!(if x { for y in z {} }); }\n",
    ),
    (
        "rust",
        "/// doc\n#[test]\nfn t() {}\nimpl Tr for S { fn m(self) {} }\n",
    ),
];

#[test]
fn the_matcher_agrees_with_tree_sitter_on_edge_cases() {
    let mut failures = Vec::new();
    for (language, text) in EDGE_CASES {
        let spec = lang::by_id(language).expect("language");
        for d in differences(spec, &tree_sitter_query(spec), text) {
            failures.push(format!("{text:?}: {d}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn hostile_repetition_ends_with_an_incomplete_run_not_a_crash() {
    let spec = lang::by_id("python").expect("python");
    // 5,000 comments before a module docstring: the `(comment)*` of the docstring pattern
    // repeats past the matcher's bound on repetitions; the run must end, say so, and not
    // overflow its stack.
    let text = format!("{}\"\"\"doc\"\"\"\n", "# c\n".repeat(5_000));
    let mut parser = Parser::new();
    parser.set_language(&(spec.grammar)()).expect("grammar");
    let tree = parser.parse(&text, None).expect("tree");
    let (_, _, complete) = by_matcher(spec, &tree, &text);
    assert!(!complete);
}

#[test]
fn a_long_let_chain_is_matched_in_full_and_in_linear_time() {
    let spec = lang::by_id("rust").expect("rust");
    // `(let_chain "&&" "&&" @logic.continued)`: as tree-sitter, the matcher tries only the
    // first `&&` for the step that captures nothing, so the 3,000 `&&` of this chain cost
    // 3,000 tries, not one per pair (the step budgets are tested in `src/query/tests.rs`).
    let chain = vec!["let A = b"; 3_001].join(" && ");
    let text = format!("fn a() {{ if {chain} {{}} }}\nfn z() {{}}\n");
    let mut parser = Parser::new();
    parser.set_language(&(spec.grammar)()).expect("grammar");
    let tree = parser.parse(&text, None).expect("tree");
    let (found, names, complete) = by_matcher(spec, &tree, &text);
    assert!(complete);
    assert!(names.iter().any(|(_, _, name)| name == "z"), "{names:?}");
    let and_operators = found.iter().filter(|(_, _, c)| c == "logic.and").count();
    assert_eq!(and_operators, 3_000);
    let continued = found
        .iter()
        .filter(|(_, _, c)| c == "logic.continued")
        .count();
    assert_eq!(continued, 2_999);
}

#[test]
#[ignore = "needs a corpus of real code: set GATECHECK_MATCHER_CORPUS to paths joined by ':'"]
fn corpus() {
    let roots: Vec<PathBuf> = std::env::var("GATECHECK_MATCHER_CORPUS")
        .expect("GATECHECK_MATCHER_CORPUS")
        .split(':')
        .map(PathBuf::from)
        .collect();
    let files = sources(&roots);
    let failures = compare_all(&files);
    println!(
        "matcher agreement: {} files under {}; {}",
        files.len(),
        roots
            .iter()
            .map(|r| r.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
        if failures.is_empty() {
            "no difference".to_owned()
        } else {
            failures.join("\n")
        }
    );
    assert!(failures.is_empty());
}
