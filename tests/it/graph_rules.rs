//! Tests: layer and forbidden-import rules on hand-built graphs, the architecture gates'
//! statuses and violations, and the `[architecture]` options and rules in the configuration.
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use std::path::{Path, PathBuf};

use gatecheck::config::Config;
use gatecheck::facts::ImportKind::{Runtime, TypeOnly};
use gatecheck::gates::{GateResult, Status};
use gatecheck::graph::architecture::Architecture;
use gatecheck::graph::model::ModuleGraph;
use gatecheck::graph::rules::{forbidden_imports, layer_violations};
use gatecheck::graph::settings::{ArchitectureSettings, ForbidRule, LayerRule};
use gatecheck::registry::Threshold;
use gatecheck::suppress::{self, Directive};

use crate::graph_support::{class, graph, judge_architecture, method, runtime};

fn layered_app() -> ModuleGraph {
    graph(&[
        ("app.web.views", &runtime(&["app.service.orders", "flask"])),
        ("app.service.orders", &runtime(&["app.domain.model"])),
        (
            "app.domain.model",
            &[
                ("app.web.views", 4, TypeOnly),
                ("requests.adapters", 7, Runtime),
                ("app.domain.rules", 8, Runtime),
            ],
        ),
        ("app.domain.rules", &runtime(&["app.service.orders"])),
        ("app.webhooks", &runtime(&["app.web.views"])),
    ])
}

fn layers() -> Vec<LayerRule> {
    vec![LayerRule {
        order: vec!["app.web".into(), "app.service".into(), "app.domain".into()],
    }]
}

fn forbid() -> Vec<ForbidRule> {
    vec![ForbidRule {
        from: "app.domain".into(),
        to: vec!["app.web".into(), "requests".into()],
    }]
}

/// (importing module, line, target) of each violation.
fn sites(
    g: &ModuleGraph,
    found: &[gatecheck::graph::rules::RuleViolation],
) -> Vec<(String, usize, String)> {
    found
        .iter()
        .map(|v| (g.modules[v.module].name.clone(), v.line, v.target.clone()))
        .collect()
}

#[test]
fn a_lower_layer_importing_a_higher_one_is_named_with_its_line() {
    let g = layered_app();
    let found = layer_violations(&g, &layers());
    // app.webhooks is not under app.web (a name covers submodules, not prefixes).
    assert_eq!(
        sites(&g, &found),
        [
            ("app.domain.model".into(), 4, "app.web.views".into()),
            ("app.domain.rules".into(), 1, "app.service.orders".into()),
        ]
    );
    assert_eq!(
        found[0].rule,
        "layer app.domain may not import the higher layer app.web \
         (layers: app.web > app.service > app.domain)"
    );
}

#[test]
fn forbidden_imports_cover_internal_modules_and_external_packages() {
    let g = layered_app();
    let found = forbidden_imports(&g, &forbid());
    assert_eq!(
        sites(&g, &found),
        [
            ("app.domain.model".into(), 4, "app.web.views".into()),
            ("app.domain.model".into(), 7, "requests.adapters".into()),
        ]
    );
    assert_eq!(found[1].rule, "app.domain may not import requests");
}

/// Suppression directives of one file.
type FileDirectives<'a> = (&'a Path, &'a [Directive]);

fn results(architecture: &Architecture, files: &[FileDirectives<'_>]) -> Vec<GateResult> {
    results_with(architecture, files, &[])
}

fn results_with(
    architecture: &Architecture,
    files: &[FileDirectives<'_>],
    set: &[(&'static str, Threshold)],
) -> Vec<GateResult> {
    let mut thresholds = Config::default().gates.thresholds;
    thresholds.extend(set.iter().copied());
    let file_thresholds = Config::default().gates.thresholds;
    let files: Vec<_> = files
        .iter()
        .map(|&(path, directives)| (path, directives, &file_thresholds))
        .collect();
    judge_architecture(architecture, &thresholds, &files)
}

fn result<'a>(results: &'a [GateResult], key: &str) -> &'a GateResult {
    results
        .iter()
        .find(|r| r.gate.key == key)
        .unwrap_or_else(|| panic!("gate {key} missing"))
}

fn summary(r: &GateResult) -> Vec<(PathBuf, usize, String, u64)> {
    r.violations
        .iter()
        .map(|v| {
            let value = match v.value {
                gatecheck::gates::Value::Count(n) => n,
                gatecheck::gates::Value::Number(x) => panic!("a fractional value {x}"),
            };
            (v.path.clone(), v.line, v.item.clone(), value)
        })
        .collect()
}

fn cyclic_app() -> ModuleGraph {
    graph(&[
        ("hub", &runtime(&["a", "b", "c", "d", "e", "f", "g"])),
        ("a", &runtime(&["b"])),
        ("b", &[("x", 1, Runtime), ("a", 2, Runtime)]),
        ("c", &[]),
        ("d", &[]),
        ("e", &[]),
        ("f", &[]),
        ("g", &[]),
        ("x", &[]),
    ])
}

#[test]
fn architecture_gates_fail_with_path_line_item_and_value() {
    let classes = vec![(
        PathBuf::from("app/report.py"),
        class(
            "app.report.Report",
            3,
            vec![
                method("load", 4, &["rows"], &[]),
                method("filter", 8, &["rows"], &[]),
                method("render", 12, &["template"], &[]),
                method("send", 16, &["template"], &[]),
            ],
        ),
    )];
    let settings = ArchitectureSettings {
        layers: layers(),
        ..ArchitectureSettings::default()
    };
    let arch = Architecture::analyze(cyclic_app(), Some(classes), &settings);
    let results = results(&arch, &[]);

    let fan_out = result(&results, "max_dependencies_per_module");
    assert_eq!(fan_out.status, Status::Failed);
    assert_eq!(fan_out.checked, 9);
    // hub imports 7 modules; it went over the limit of 5 with its 6th import, on line 6.
    assert_eq!(summary(fan_out), [("hub.py".into(), 6, "hub".into(), 7)]);

    let cycles = result(&results, "circular_dependencies");
    assert_eq!(cycles.status, Status::Failed);
    assert_eq!(
        summary(cycles),
        [("a.py".into(), 1, "a -> b -> a".into(), 2)]
    );

    let srp = result(&results, "single_responsibility");
    assert_eq!(srp.status, Status::Failed);
    assert_eq!(
        summary(srp),
        [(
            "app/report.py".into(),
            3,
            "app.report.Report (groups: load, filter | render, send)".into(),
            2
        )]
    );
    // Rules configured but none broken: measured and passed; no forbid rules: not measured.
    assert_eq!(result(&results, "layers").status, Status::Passed);
    assert_eq!(
        result(&results, "forbidden_imports").status,
        Status::NotMeasured
    );
}

#[test]
fn gates_pass_when_allowed_and_stay_unmeasured_without_facts() {
    let settings = ArchitectureSettings {
        min_methods_for_cohesion: 5,
        forbid: forbid(),
        ..ArchitectureSettings::default()
    };
    let arch = Architecture::analyze(layered_app(), None, &settings);
    let results = results(&arch, &[]);
    assert_eq!(
        result(&results, "single_responsibility").status,
        Status::NotMeasured
    );
    // orders -> model -> rules -> orders is a cycle: failed by default, passed when allowed.
    assert_eq!(
        result(&results, "circular_dependencies").status,
        Status::Failed
    );
    let allowed = results_with(
        &arch,
        &[],
        &[("circular_dependencies", Threshold::Flag(true))],
    );
    let cycles = result(&allowed, "circular_dependencies");
    assert_eq!(
        (cycles.status, cycles.violations.len()),
        (Status::Passed, 0)
    );
    assert_eq!(
        result(&results, "max_dependencies_per_module").status,
        Status::Passed
    );
    let forbidden = result(&results, "forbidden_imports");
    assert_eq!(forbidden.status, Status::Failed);
    assert_eq!(
        summary(forbidden)[1],
        (
            "app/domain/model.py".into(),
            7,
            "app.domain.model -> requests.adapters: app.domain may not import requests".into(),
            1
        )
    );
}

#[test]
fn a_directive_on_the_import_line_suppresses_a_cycle() {
    let arch = Architecture::analyze(cyclic_app(), None, &ArchitectureSettings::default());
    let directives: Vec<Directive> =
        suppress::parse(1, "# gatecheck: ignore[circular_dependencies] on purpose")
            .into_iter()
            .collect();
    let results = results(&arch, &[(Path::new("a.py"), &directives)]);
    let cycles = result(&results, "circular_dependencies");
    assert_eq!(cycles.status, Status::Passed);
    assert_eq!(cycles.suppressed.len(), 1);
    assert_eq!(cycles.suppressed[0].reason.as_deref(), Some("on purpose"));
}

#[test]
fn an_override_sets_the_fan_out_limit_of_the_paths_it_matches() {
    let config = load(
        "[architecture]\nmax_dependencies_per_module = 3\n\
         [[overrides]]\npaths = [\"hub.py\"]\nmax_dependencies_per_module = 7\n",
    )
    .expect("valid config");
    let arch = Architecture::analyze(cyclic_app(), None, &ArchitectureSettings::default());
    let hub = config.gates.thresholds_for(Path::new("hub.py"));
    let results = judge_architecture(
        &arch,
        &config.gates.thresholds,
        &[(Path::new("hub.py"), &[], &hub)],
    );
    let fan_out = result(&results, "max_dependencies_per_module");
    assert_eq!(fan_out.threshold, Threshold::Count(3));
    assert_eq!((fan_out.status, fan_out.checked), (Status::Passed, 9));

    let hub = config.gates.thresholds_for(Path::new("other.py"));
    let results = judge_architecture(
        &arch,
        &config.gates.thresholds,
        &[(Path::new("hub.py"), &[], &hub)],
    );
    let fan_out = result(&results, "max_dependencies_per_module");
    assert_eq!(summary(fan_out), [("hub.py".into(), 4, "hub".into(), 7)]);
    assert_eq!(fan_out.violations[0].threshold, Threshold::Count(3));
}

fn load(text: &str) -> Result<Config, String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("gatecheck.toml");
    std::fs::write(&file, text).expect("write config");
    Config::load(&file).map_err(|e| e.to_string().replace(&*dir.path().to_string_lossy(), ""))
}

#[test]
fn architecture_options_and_rules_load_from_the_config() {
    let config = load(
        "[architecture]\nmax_dependencies_per_module = 8\ncount_external = true\n\
         type_only_in_cycles = true\nmin_methods_for_cohesion = 6\n\
         [[architecture.layers]]\norder = [\"app.web\", \"app.service\", \"app.domain\"]\n\
         [[architecture.forbid]]\nfrom = \"app.domain\"\nto = [\"app.web\", \"requests\"]\n",
    )
    .expect("valid config");
    let expected = ArchitectureSettings {
        count_external: true,
        type_only_in_cycles: true,
        min_methods_for_cohesion: 6,
        layers: layers(),
        forbid: forbid(),
    };
    assert_eq!(config.architecture, expected);
    assert_eq!(
        config.gates.thresholds["max_dependencies_per_module"],
        Threshold::Count(8)
    );
}

#[test]
fn architecture_config_errors_name_the_line_and_the_fix() {
    let cases = [
        (
            "[architecture]\ncount_externals = true\n",
            "/gatecheck.toml:2: unknown key `count_externals` in [architecture]; did you mean \
             `count_external`?",
        ),
        (
            "[architecture]\ncount_external = 1\n",
            "/gatecheck.toml:2: `count_external` must be true or false, not integer",
        ),
        (
            "[architecture]\nmin_methods_for_cohesion = 0\n",
            "/gatecheck.toml:2: `min_methods_for_cohesion` must be a whole number of methods, 1 \
             or more",
        ),
        (
            "[[architecture.layers]]\norder = [\"app.web\"]\n",
            "/gatecheck.toml:1: `layers` needs `order = [\"high\", \"low\", ...]`: two or more \
             module names, highest layer first",
        ),
        (
            "[[architecture.layers]]\norders = [\"a\", \"b\"]\n",
            "/gatecheck.toml:2: unknown key `orders` in [[architecture.layers]]; did you mean \
             `order`?",
        ),
        (
            "[[architecture.forbid]]\nfrom = \"app.domain\"\n",
            "/gatecheck.toml:1: `forbid` needs `to`, like from = \"app.domain\", to = \
             [\"app.web\", \"requests\"]",
        ),
        (
            "[architecture]\nforbidden_imports = 1\n",
            "/gatecheck.toml:2: `forbidden_imports` is checked against the \
             [[architecture.layers]] / [[architecture.forbid]] rules and has no threshold; \
             write those rules instead",
        ),
        (
            "[architecture]\nmax_complexity = 3\n",
            "/gatecheck.toml:2: `max_complexity` does not belong in [architecture]; it belongs \
             in [code_quality]",
        ),
    ];
    for (text, expected) in cases {
        assert_eq!(load(text).err().as_deref(), Some(expected), "for:\n{text}");
    }
}
