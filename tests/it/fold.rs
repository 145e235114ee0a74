//! Tests: `[code_quality] nested_functions = "fold"` in the library. The self-checking
//! fixtures under `fixtures/<language>/fold/` (grammar: fixtures/README.md; definitions:
//! docs/metrics.md, "Nested functions: separate or fold"), a deep chain of nested lambdas
//! whose folded figures have a closed form, and `gatecheck serve`'s file cache, which must not
//! give one mode's figures to the other.

use gatecheck::analyze::{self, Request};
use gatecheck::config::Config;
use gatecheck::config::measure::MeasureSettings;
use gatecheck::extract::{Facts, Item};
use gatecheck::file_cache::FileCache;
use gatecheck::lang::vocabulary::{Capture, Roles};
use gatecheck::metrics::{self, NestedFunctions};

use crate::fixtures::check_fixtures;

fn config(nested_functions: NestedFunctions) -> Config {
    let measure = MeasureSettings { nested_functions };
    Config {
        measure,
        ..Config::default()
    }
}

#[test]
fn every_fold_fixture_matches_its_expectations() {
    check_fixtures("fold", &config(NestedFunctions::Fold));
}

/// `serve` keeps each file's figures across analyses while its text is unchanged; switching
/// the mode in the configuration must still change them.
#[test]
fn the_file_cache_never_gives_one_mode_the_figures_of_the_other() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let source = "def outer(x):\n    def inner(y):\n        if y:\n            return 1\n";
    std::fs::write(dir.path().join("a.py"), source).expect("write a.py");
    let paths = [dir.path().to_path_buf()];
    let cache = FileCache::new();
    for (mode, cognitive) in [
        (NestedFunctions::Separate, 0),
        (NestedFunctions::Fold, 2),
        (NestedFunctions::Separate, 0),
    ] {
        let config = config(mode);
        let request = Request {
            paths: &paths,
            root: dir.path(),
            config: &config,
            threads: 1,
        };
        let analysis = analyze::analyze_cached(&request, Some(&cache), &|_| {}).expect("analysis");
        cache.finish_run();
        let outer = &analysis.files[0].metrics.functions[0];
        assert_eq!(
            (outer.name.as_str(), outer.cognitive),
            ("outer", cognitive),
            "{mode:?}"
        );
    }
}

fn item(start_byte: usize, end_byte: usize, captures: &[Capture], name: Option<&str>) -> Item {
    let mut roles = Roles::default();
    for capture in captures {
        roles.insert(*capture);
    }
    Item {
        start_byte,
        end_byte,
        first_row: 0,
        last_row: 0,
        roles,
        name: name.map(str::to_owned),
    }
}

/// `def f(): lambda: (x if c else lambda: (x if c else ...))`, `depth` lambdas deep, as
/// captured ranges: each lambda holds a ternary (a nesting increment and a decision point)
/// that holds the next lambda.
fn nested_lambdas(depth: usize) -> Facts {
    let end = 4 * depth + 2;
    let mut items = vec![item(0, end, &[Capture::DefinitionFunction], Some("f"))];
    for k in 0..depth {
        let (start, stop) = (2 * k + 1, end - 2 * k - 1);
        items.push(item(start, stop, &[Capture::DefinitionLambda], None));
        let ternary = [Capture::BranchTernary, Capture::Nesting];
        items.push(item(start + 1, stop - 1, &ternary, None));
    }
    Facts {
        items,
        ..Facts::default()
    }
}

#[test]
fn fold_adds_every_level_of_a_deep_chain_of_lambdas() {
    let depth = 3000;
    let facts = nested_lambdas(depth);
    let text = " ".repeat(4 * depth + 2);
    let fold = metrics::measure_with(&facts, &text, ".", "m", NestedFunctions::Fold);
    let separate = metrics::measure_with(&facts, &text, ".", "m", NestedFunctions::Separate);
    assert_eq!(fold.functions.len(), depth + 1);
    assert_eq!(separate, metrics::measure(&facts, &text, ".", "m"));
    let n = u32::try_from(depth).expect("small depth");
    // Lambda k's ternary is 2k levels deep for the outermost lambda (each lambda and each
    // ternary add one): 1 + 3 + ... + (2n - 1) = n², then one more level each for `f`.
    let f = &fold.functions[0];
    assert_eq!((f.cyclomatic, f.cognitive), (1 + n, n * n + n));
    let outermost = &fold.functions[1];
    assert_eq!((outermost.cyclomatic, outermost.cognitive), (1 + n, n * n));
    let innermost = &fold.functions[depth];
    assert_eq!((innermost.cyclomatic, innermost.cognitive), (2, 1));
    for (folded, own) in fold.functions.iter().zip(&separate.functions) {
        assert_eq!(
            folded.max_nesting, own.max_nesting,
            "{}",
            own.qualified_name
        );
        assert_eq!(own.cognitive, u32::from(own.name != "f"));
    }
}
