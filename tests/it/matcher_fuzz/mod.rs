//! Tests: a property test of gatecheck's query matcher against tree-sitter's `QueryCursor`.
//! Random small Python and Rust sources ([`sources`]) and random queries drawn from the
//! supported subset ([`patterns`]) are run through both engines, and their captures must be
//! the same (compared by `super::matcher`'s `Gathered` and `compare`, as the differential test
//! does on the repository's files).
//!
//! - `cargo test --test it matcher_fuzz` runs a fixed number of cases from a fixed seed.
//! - `GATECHECK_MATCHER_FUZZ_SECONDS=60 cargo test --release --test it matcher_fuzz::bounded
//!   -- --ignored --nocapture` runs for that long: half from the fixed seed, half from
//!   `GATECHECK_MATCHER_FUZZ_SEED` or a random seed, which it prints (`.ci/run` does this).
//! - `GATECHECK_MATCHER_FUZZ_CASE=<seed> cargo test --test it matcher_fuzz::replay --
//!   --ignored --nocapture` replays one case by the seed a failure printed;
//!   `GATECHECK_MATCHER_FUZZ_TRACE=1` prints each case's seed before it runs (for a case that
//!   hangs).
//!
//! [`FOUND`] keeps every disagreement the fuzz found once, as a regression case.
//!
//! A query that tree-sitter accepts and the matcher refuses as unsupported is counted apart,
//! as is one that tree-sitter refuses (an impossible pattern); a run that the matcher's
//! budget cut short must find nothing that tree-sitter does not. On a disagreement the case
//! is shrunk, and its seed, source and query are printed.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    reason = "test driver: a failed expectation is a test failure, and the bounded run reports"
)]

mod patterns;
mod shrink;
mod sources;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use fastrand::Rng;
use gatecheck::query::{ErrorKind, Program};
use tree_sitter::{Language, Parser, Query};

use super::matcher::{by_program, by_tree_sitter, compare};
use patterns::{Generator, Vocabulary};

/// The seed of the fixed cases.
const FIXED_SEED: u64 = 0x9a7c_4e5d_0b1f_2026;
/// Cases run by plain `cargo test`.
const FIXED_CASES: usize = 150;
/// Disagreements after which a run stops (each one is shrunk, which takes a while).
const MAX_FAILURES: usize = 3;

/// How one case ended.
enum Verdict {
    /// Both engines ran and captured the same; the number of captures.
    Agreed(usize),
    /// The matcher's budget ran out and it found nothing tree-sitter did not.
    Incomplete,
    /// tree-sitter accepts the query; the matcher refuses it as unsupported, with this message.
    Refused(String),
    /// tree-sitter refuses the query, for this kind of reason.
    Invalid(String),
    /// The engines disagree: one line per difference.
    Disagreed(Vec<String>),
}

/// One language's grammar, parser and fuzzing material.
struct Subject {
    id: &'static str,
    grammar: Language,
    vocabulary: Vocabulary,
    fixtures: Vec<String>,
}

/// Both languages, loaded once.
struct Bench {
    languages: Vec<Subject>,
}

impl Bench {
    fn new() -> Bench {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let languages = ["python", "rust"]
            .into_iter()
            .map(|id| {
                let spec = gatecheck::lang::by_id(id).expect("language");
                let grammar = (spec.grammar)();
                Subject {
                    id,
                    vocabulary: Vocabulary::of(&grammar),
                    fixtures: sources::fixtures(&root, id),
                    grammar,
                }
            })
            .collect();
        Bench { languages }
    }

    /// The case of `seed`: its language, source and query.
    fn case(&self, seed: u64) -> (&Subject, String, patterns::Query) {
        let mut rng = Rng::with_seed(seed);
        let language = &self.languages[rng.usize(..self.languages.len())];
        let mut source = match rng.usize(..4) {
            0 if !language.fixtures.is_empty() => {
                language.fixtures[rng.usize(..language.fixtures.len())].clone()
            }
            _ => sources::generate(language.id, &mut rng),
        };
        if rng.usize(..3) == 0 {
            source = sources::mutate(&source, &mut rng);
        }
        let tree = parse(&language.grammar, &source);
        let query = Generator::new(&mut rng, &language.vocabulary, &source).query(&tree);
        (language, source, query)
    }
}

fn parse(grammar: &Language, source: &str) -> tree_sitter::Tree {
    let mut parser = Parser::new();
    parser.set_language(grammar).expect("grammar loads");
    parser.parse(source, None).expect("a tree")
}

/// Runs both engines on `source` with `query`. A query the matcher refuses as unsupported is
/// not given to tree-sitter, whose analysis of some of those (a quantified top-level wildcard
/// pattern) takes minutes.
fn judge(grammar: &Language, source: &str, query: &str) -> Verdict {
    let (program, names, reference) = match compile_both(grammar, query) {
        Ok(compiled) => compiled,
        Err(verdict) => return verdict,
    };
    let tree = parse(grammar, source);
    let expected = by_tree_sitter(&reference, &tree, source);
    let (found, complete) = by_program(&program, &names, &tree, source);
    let differences = compare(source, &expected, &found, complete);
    match (differences.is_empty(), complete) {
        (false, _) => Verdict::Disagreed(differences),
        (true, false) => Verdict::Incomplete,
        (true, true) => Verdict::Agreed(expected.captures()),
    }
}

/// The query compiled by both engines, or the verdict when one of them refuses it.
fn compile_both(grammar: &Language, query: &str) -> Result<(Program, Vec<String>, Query), Verdict> {
    let ours = Program::compile(grammar, query);
    if let Err(e) = &ours
        && e.kind == ErrorKind::Unsupported
    {
        return Err(Verdict::Refused(e.message.clone()));
    }
    let reference = Query::new(grammar, query);
    match (ours, reference) {
        (Ok((program, names)), Ok(reference)) => Ok((program, names, reference)),
        (_, Err(e)) => Err(Verdict::Invalid(format!("{:?}", e.kind))),
        (Err(e), Ok(_)) => Err(Verdict::Disagreed(vec![format!(
            "tree-sitter accepts the query, the matcher says {e}"
        )])),
    }
}

/// What a run saw.
#[derive(Default)]
struct Tally {
    cases: usize,
    agreed: usize,
    with_captures: usize,
    captures: usize,
    incomplete: usize,
    invalid: BTreeMap<String, usize>,
    refused: BTreeMap<String, usize>,
    failures: Vec<String>,
}

impl Tally {
    fn compiled(&self) -> usize {
        self.agreed + self.incomplete + self.failures.len()
    }

    fn summary(&self, elapsed: Duration) -> String {
        let refused: usize = self.refused.values().sum();
        let invalid: usize = self.invalid.values().sum();
        let mut out = format!(
            "{} cases in {:.1} s ({:.0}/s): {} agreed ({} with captures, {} captures), {} \
             cut short by the budget, {} refused by the matcher, {} invalid for tree-sitter, {} \
             disagreed",
            self.cases,
            elapsed.as_secs_f64(),
            self.cases as f64 / elapsed.as_secs_f64().max(1e-9),
            self.agreed,
            self.with_captures,
            self.captures,
            self.incomplete,
            refused,
            invalid,
            self.failures.len(),
        );
        for (message, count) in &self.refused {
            out.push_str(&format!("\n  refused {count}x: {message}"));
        }
        for (kind, count) in &self.invalid {
            out.push_str(&format!("\n  invalid for tree-sitter {count}x: {kind}"));
        }
        out
    }
}

/// Runs case `seed` into `tally`; a disagreement is shrunk and reported.
fn run_case(bench: &Bench, seed: u64, tally: &mut Tally) {
    if std::env::var_os("GATECHECK_MATCHER_FUZZ_TRACE").is_some() {
        println!("case {seed:#x}");
    }
    let (language, source, query) = bench.case(seed);
    tally.cases += 1;
    match judge(&language.grammar, &source, &query.render()) {
        Verdict::Agreed(captures) => {
            tally.agreed += 1;
            tally.captures += captures;
            tally.with_captures += usize::from(captures > 0);
        }
        Verdict::Incomplete => tally.incomplete += 1,
        Verdict::Invalid(kind) => *tally.invalid.entry(kind).or_default() += 1,
        Verdict::Refused(message) => *tally.refused.entry(message).or_default() += 1,
        Verdict::Disagreed(_) => tally.failures.push(report(language, seed, &source, &query)),
    }
}

/// The shrunk case, for a failure message.
fn report(language: &Subject, seed: u64, source: &str, query: &patterns::Query) -> String {
    let grammar = &language.grammar;
    let mut fails =
        |source: &str, query: &str| matches!(judge(grammar, source, query), Verdict::Disagreed(_));
    let (source, query) = shrink::shrink(source, query, &mut fails);
    let Verdict::Disagreed(differences) = judge(grammar, &source, &query) else {
        return format!("case {seed:#x} ({}) fails but not once shrunk", language.id);
    };
    let tree = parse(grammar, &source).root_node().to_sexp();
    format!(
        "matcher and tree-sitter disagree: case seed {seed:#x} ({}); replay with \
         GATECHECK_MATCHER_FUZZ_CASE={seed:#x}\n--- query\n{query}--- source\n{source}\n--- \
         tree\n{tree}\n--- differences\n{}",
        language.id,
        differences.join("\n")
    )
}

/// Runs cases from `seed` until `enough` says stop or too many fail.
fn run(bench: &Bench, seed: u64, tally: &mut Tally, enough: &mut dyn FnMut(&Tally) -> bool) {
    let mut seeds = Rng::with_seed(seed);
    while !enough(tally) && tally.failures.len() < MAX_FAILURES {
        run_case(bench, seeds.u64(..), tally);
    }
}

fn parse_seed(text: &str) -> u64 {
    let text = text.trim();
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    }
    .expect("a seed: decimal or 0x hexadecimal")
}

#[test]
fn the_matcher_agrees_with_tree_sitter_on_generated_sources_and_queries() {
    let bench = Bench::new();
    let mut tally = Tally::default();
    let started = Instant::now();
    run(&bench, FIXED_SEED, &mut tally, &mut |t| {
        t.cases >= FIXED_CASES
    });
    let summary = tally.summary(started.elapsed());
    println!("matcher fuzz: {summary}");
    assert!(
        tally.failures.is_empty(),
        "{}\n{summary}",
        tally.failures.join("\n\n")
    );
    assert!(
        tally.compiled() * 10 >= tally.cases * 6,
        "too few queries compile: {summary}"
    );
    assert!(
        tally.with_captures * 3 >= tally.cases,
        "too few queries match: {summary}"
    );
}

#[test]
#[ignore = "runs for GATECHECK_MATCHER_FUZZ_SECONDS (default 60); .ci/run runs it in release"]
fn bounded() {
    let seconds: u64 = std::env::var("GATECHECK_MATCHER_FUZZ_SECONDS").map_or(60, |s| {
        s.trim()
            .parse()
            .expect("GATECHECK_MATCHER_FUZZ_SECONDS: seconds")
    });
    let random = std::env::var("GATECHECK_MATCHER_FUZZ_SEED")
        .map_or_else(|_| fastrand::u64(..), |s| parse_seed(&s));
    let bench = Bench::new();
    let mut failures = Vec::new();
    for (what, seed) in [("fixed", FIXED_SEED), ("random", random)] {
        println!("matcher fuzz: {what} seed {seed:#x} (GATECHECK_MATCHER_FUZZ_SEED={seed:#x})");
        let mut tally = Tally::default();
        let started = Instant::now();
        let until = started + Duration::from_secs(seconds) / 2;
        run(&bench, seed, &mut tally, &mut |_| Instant::now() >= until);
        println!("matcher fuzz: {}", tally.summary(started.elapsed()));
        failures.append(&mut tally.failures);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
#[ignore = "replays the case GATECHECK_MATCHER_FUZZ_CASE that a failure printed"]
fn replay() {
    let seed = parse_seed(&std::env::var("GATECHECK_MATCHER_FUZZ_CASE").expect("a case seed"));
    let bench = Bench::new();
    let (language, source, query) = bench.case(seed);
    let query = query.render();
    println!(
        "--- {}\n--- query\n{query}--- source\n{source}",
        language.id
    );
    let mut tally = Tally::default();
    run_case(&bench, seed, &mut tally);
    println!("{}", tally.summary(Duration::from_secs(1)));
    assert!(tally.failures.is_empty(), "{}", tally.failures.join("\n\n"));
}

/// Disagreements the fuzz found, fixed in the matcher: (language, query, source, the number
/// of captures both engines find).
const FOUND: &[(&str, &str, &str, usize)] = &[
    // Wildcards do not match `ERROR` nodes.
    ("python", "(_) @b", ":\n", 1),
    // `(ERROR)` finds `ERROR` nodes (their kind id lies past the grammar's kinds).
    ("rust", "((ERROR) @b)", "e", 1),
    // An anchored step may match the anonymous siblings before the first named one.
    ("rust", "((line_comment . _ @c))", "//!", 2),
    // Repetitions are adjacent siblings, and before a trailing anchor each is the last named.
    ("rust", "((declaration_list _+ @b .))", "impl T{f}", 1),
    (
        "python",
        "(block (expression_statement)+ @a .)",
        "def f():\n  a\n  b\n",
        1,
    ),
    ("python", "(argument_list (identifier)+ @a .)", "f(a, b)", 1),
    // A skipped first step with a leading anchor passes the anchor on, exactly.
    (
        "rust",
        "((function_signature_item . (identifier)* (parameters) @b))",
        "async fn g()",
        0,
    ),
    // A skipped last step before a trailing anchor: the parent must be last, if no child is.
    ("rust", "((struct_item \"struct\"? .) @d)", "struct T", 1),
    // `#eq?` between captures compares their nodes pair by pair.
    (
        "python",
        "(argument_list (identifier) @a (identifier) @a (#eq? @a @a))",
        "f(x, y)",
        2,
    ),
    // After `_`, an anchored step must match the very next node, even a level up.
    (
        "python",
        "((aliased_import (dotted_name _ @a) . (identifier)))",
        "import as _",
        0,
    ),
    // A step that captures nothing tries only its first node (tree-sitter does not split).
    ("python", "(interpolation _ \"@\"* .) @b", "f\"{}\"", 0),
    ("rust", "((_ (_ (_) (lifetime_parameter)* .) @d))", "8=;", 1),
    ("python", "((pair (_)+ \":\"? .) @d)", "{G:True", 0),
    // Skipping a step before a trailing anchor: the node matched last may be a descendant.
    (
        "python",
        "((_ (attribute (identifier)) \"and\"? .) @b)",
        "(s.T)",
        0,
    ),
    (
        "rust",
        "((attribute_item (_ (_)) (unsafe_block)? .) @c)",
        "#[s)]",
        1,
    ),
    // The root of `(_ (kind))` is not tested, but an `ERROR` parent does not pass.
    ("python", "(_ (identifier) @x) @p", "a b c d", 2),
];

#[test]
fn what_the_fuzz_found_stays_fixed() {
    let bench = Bench::new();
    for (id, query, source, expected) in FOUND {
        let subject = bench
            .languages
            .iter()
            .find(|s| s.id == *id)
            .expect("language");
        match judge(&subject.grammar, source, query) {
            Verdict::Agreed(captures) => assert_eq!(captures, *expected, "{query} on {source:?}"),
            Verdict::Disagreed(d) => panic!("{query} on {source:?}: {}", d.join("\n")),
            _ => panic!("{query} on {source:?}: not compared"),
        }
    }
}
