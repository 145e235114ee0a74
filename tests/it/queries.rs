//! Tests: the query files under `queries/<language>/`. Every language of the registry compiles
//! its queries, every query folder is a language, and the files `build.rs` embedded in the
//! binary are exactly the files on disk, in name order, with the same text.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use gatecheck::lang::{self, LANGUAGES};

fn queries_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("queries")
}

#[test]
fn every_language_compiles_its_queries() {
    assert!(!LANGUAGES.is_empty());
    let mut failures = Vec::new();
    for spec in LANGUAGES {
        match spec.query() {
            Ok(compiled) => {
                // The files are also valid for tree-sitter's own query compiler, with the same
                // captures: the matcher is tested against it (tests/it/matcher.rs).
                let query = tree_sitter::Query::new(&(spec.grammar)(), &spec.query_text())
                    .unwrap_or_else(|e| panic!("{}: tree-sitter: {e}", spec.id));
                assert!(query.pattern_count() > 0, "{}: no patterns", spec.id);
                let ours: BTreeSet<&str> =
                    compiled.capture_names.iter().map(String::as_str).collect();
                let theirs: BTreeSet<&str> = query.capture_names().iter().copied().collect();
                assert_eq!(ours, theirs, "{}", spec.id);
                assert_eq!(compiled.roles.len(), ours.len(), "{}", spec.id);
            }
            Err(e) => failures.push(format!("{}: {e}", spec.id)),
        }
    }
    assert!(
        failures.is_empty(),
        "queries that do not compile:\n{}",
        failures.join("\n")
    );
}

/// `build.rs` generates each language's list from its folder: the list is every `*.scm` file
/// there, in name order (the order they are compiled in), each with the text on disk. A file
/// the build did not pick up, or a stale build, fails here.
#[test]
fn embedded_query_files_are_the_files_on_disk() {
    for spec in LANGUAGES {
        let dir = queries_dir().join(spec.id);
        let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| {
                entry
                    .expect("directory entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|name| name.ends_with(".scm"))
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = lang::query_files(spec.id).iter().map(|q| q.file).collect();
        assert!(!embedded.is_empty(), "{}: no query files", spec.id);
        assert_eq!(
            embedded,
            on_disk,
            "{}: the embedded query files differ from {}",
            spec.id,
            dir.display()
        );
        for q in lang::query_files(spec.id) {
            let text = std::fs::read_to_string(dir.join(q.file)).expect("read query file");
            assert_eq!(
                q.text, text,
                "{}: `{}` embeds the text of another file",
                spec.id, q.file
            );
            assert!(
                !q.text.trim().is_empty(),
                "{}: `{}` is empty",
                spec.id,
                q.file
            );
        }
    }
}

#[test]
fn every_query_folder_belongs_to_a_language() {
    let folders: BTreeSet<String> = std::fs::read_dir(queries_dir())
        .expect("queries/")
        .map(|entry| entry.expect("directory entry"))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    let languages: BTreeSet<String> = LANGUAGES.iter().map(|spec| spec.id.to_owned()).collect();
    assert_eq!(
        folders, languages,
        "queries/ folders and registered languages differ"
    );
    for id in &languages {
        assert!(lang::by_id(id).is_some(), "{id}");
    }
}

/// Metric code knows no language: no language id and no grammar node kind appears as a string
/// literal under src/metrics/ (language facts belong in queries/).
#[test]
fn metric_code_names_no_language_and_no_node_kind() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/metrics");
    let mut kinds = std::collections::BTreeSet::new();
    for spec in gatecheck::lang::LANGUAGES {
        kinds.insert(spec.id.to_owned());
        let grammar = (spec.grammar)();
        for id in 0..grammar.node_kind_count() {
            let id = u16::try_from(id).expect("node kind ids fit u16");
            if let Some(kind) = grammar.node_kind_for_id(id)
                && grammar.node_kind_is_named(id)
                && kind.contains('_')
            {
                kinds.insert(kind.to_owned());
            }
        }
    }
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&root).expect("src/metrics exists") {
        let path = entry.expect("readable entry").path();
        let text = std::fs::read_to_string(&path).expect("readable source");
        for kind in &kinds {
            if text.contains(&format!("\"{kind}\"")) {
                found.push(format!("{}: \"{kind}\"", path.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "language knowledge in metric code:\n{}",
        found.join("\n")
    );
}
