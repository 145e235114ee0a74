//! The rows of the gate registry ([`GATES`]), one per gate, and lookups over them.

use super::defs::{
    ArchitectureGate, Bound, GateDef, HistogramMetric, LimitMetric, Measure, PerfGate, Section,
    Threshold,
};

fn as_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Every gate, code quality first.
pub static GATES: &[GateDef] = &[
    GateDef {
        key: "max_function_length",
        section: Section::CodeQuality,
        default: Threshold::Count(50),
        measure: Measure::Function(|f| as_u64(f.length)),
        bound: Bound::AtMost,
        summary: "lines a function spans, from its def/fn line to its last line",
        label: "length",
        fix: "Split the function: move each step or branch that has a name of its own into a \
              helper, or raise the limit for the path in an [[overrides]] entry.",
        unit: "lines",
        limit_metric: Some(LimitMetric {
            name: "gatecheck_function_lines_limit",
            scale: 1.0,
            help: "Configured max_function_length: the most lines a function may span.",
        }),
        histogram: Some(HistogramMetric {
            name: "gatecheck_function_lines",
            help: "Lines each function spans, from its def/fn line to its last line; the bucket \
               bounds include the configured max_function_length.",
            bounds: &[
                1.0, 5.0, 10.0, 20.0, 30.0, 50.0, 75.0, 100.0, 150.0, 200.0, 300.0,
            ],
        }),
    },
    GateDef {
        key: "max_file_length",
        section: Section::CodeQuality,
        default: Threshold::Count(500),
        measure: Measure::File(|f| (as_u64(f.lines), 1)),
        bound: Bound::AtMost,
        summary: "physical lines in a file",
        label: "lines",
        fix: "Split the file along its responsibilities (one module per concept), or exclude \
              generated files with extend_exclude.",
        unit: "lines",
        limit_metric: Some(LimitMetric {
            name: "gatecheck_file_lines_limit",
            scale: 1.0,
            help: "Configured max_file_length: the most physical lines a file may have.",
        }),
        histogram: Some(HistogramMetric {
            name: "gatecheck_file_lines",
            help: "Physical lines of each measured file; the bucket bounds include the configured \
               max_file_length.",
            bounds: &[
                10.0, 50.0, 100.0, 200.0, 300.0, 500.0, 750.0, 1000.0, 2000.0, 5000.0,
            ],
        }),
    },
    GateDef {
        key: "max_complexity",
        section: Section::CodeQuality,
        default: Threshold::Count(10),
        measure: Measure::Function(|f| u64::from(f.cyclomatic)),
        bound: Bound::AtMost,
        summary: "cyclomatic complexity of a function",
        label: "complexity",
        fix: "Reduce the decision points: return early instead of nesting, replace if/elif \
              chains with a lookup table or polymorphism, and move independent branches \
              into helpers.",
        unit: "",
        limit_metric: Some(LimitMetric {
            name: "gatecheck_function_cyclomatic_complexity_limit",
            scale: 1.0,
            help: "Configured max_complexity: the most cyclomatic complexity a function may have.",
        }),
        histogram: Some(HistogramMetric {
            name: "gatecheck_function_cyclomatic_complexity",
            help: "Cyclomatic complexity of each function; the bucket bounds include the \
               configured max_complexity.",
            bounds: &[1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0, 20.0, 30.0, 50.0],
        }),
    },
    GateDef {
        key: "max_cognitive_complexity",
        section: Section::CodeQuality,
        default: Threshold::Count(15),
        measure: Measure::Function(|f| u64::from(f.cognitive)),
        bound: Bound::AtMost,
        summary: "cognitive complexity of a function (SonarSource)",
        label: "cognitive complexity",
        fix: "Flatten the control flow: return early, extract nested blocks into named \
              helpers, and split long boolean chains into named conditions; nesting costs more \
              than sequence.",
        unit: "",
        limit_metric: Some(LimitMetric {
            name: "gatecheck_function_cognitive_complexity_limit",
            scale: 1.0,
            help: "Configured max_cognitive_complexity: the most cognitive complexity a function may \
         have.",
        }),
        histogram: Some(HistogramMetric {
            name: "gatecheck_function_cognitive_complexity",
            help: "Cognitive complexity (SonarSource) of each function; the bucket bounds include \
               the configured max_cognitive_complexity.",
            bounds: &[0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0, 20.0, 30.0, 50.0],
        }),
    },
    GateDef {
        key: "max_parameters",
        section: Section::CodeQuality,
        default: Threshold::Count(7),
        measure: Measure::Function(|f| u64::from(f.params)),
        bound: Bound::AtMost,
        summary: "declared parameters of a function",
        label: "parameters",
        fix: "Group parameters that travel together into a data class or struct, or split the \
              function by what its callers actually need.",
        unit: "",
        limit_metric: Some(LimitMetric {
            name: "gatecheck_function_parameters_limit",
            scale: 1.0,
            help: "Configured max_parameters: the most parameters a function may declare.",
        }),
        histogram: None,
    },
    GateDef {
        key: "max_nesting",
        section: Section::CodeQuality,
        default: Threshold::Count(4),
        measure: Measure::Function(|f| u64::from(f.max_nesting)),
        bound: Bound::AtMost,
        summary: "deepest nesting of control-flow blocks in a function",
        label: "nesting",
        fix: "Invert conditions and return early (guard clauses), or extract the inner loop or \
              block into a helper.",
        unit: "",
        limit_metric: Some(LimitMetric {
            name: "gatecheck_function_nesting_limit",
            scale: 1.0,
            help: "Configured max_nesting: the deepest nesting of control-flow blocks a function may \
         have.",
        }),
        histogram: None,
    },
    GateDef {
        key: "syntax_errors",
        section: Section::CodeQuality,
        default: Threshold::Count(0),
        measure: Measure::File(|f| {
            (
                as_u64(f.syntax_errors),
                f.first_syntax_error_line.unwrap_or(1),
            )
        }),
        bound: Bound::AtMost,
        summary: "syntax errors (ERROR and MISSING nodes) in a file",
        label: "syntax errors",
        fix: "Fix the syntax error at the reported line; if the file is not meant to be parsed \
              (a template, a test fixture), exclude it.",
        unit: "",
        limit_metric: Some(LimitMetric {
            name: "gatecheck_file_syntax_errors_limit",
            scale: 1.0,
            help: "Configured syntax_errors: the most syntax errors a file may have.",
        }),
        histogram: None,
    },
    GateDef {
        key: "min_test_coverage",
        section: Section::CodeQuality,
        default: Threshold::Number(80.0),
        measure: Measure::Coverage,
        bound: Bound::AtLeast,
        summary: "line coverage of the test suite",
        label: "coverage",
        fix: "Add tests for the uncovered lines of the coverage report, or lower \
              min_test_coverage for generated paths in an [[overrides]] entry.",
        unit: "%",
        limit_metric: None,
        histogram: None,
    },
    GateDef {
        key: "max_startup_time",
        section: Section::Performance,
        default: Threshold::Number(2.0),
        measure: Measure::Perf(PerfGate::StartupTime),
        bound: Bound::AtMost,
        summary: "startup time of the program",
        label: "",
        fix: "Profile the start-up (python -X importtime, perf) and defer heavy imports or \
              initialisation until first use.",
        unit: "s",
        limit_metric: Some(LimitMetric {
            name: "gatecheck_startup_limit_seconds",
            scale: 1.0,
            help: "Configured max_startup_time, in seconds: the most median wall time a startup \
                   target may take.",
        }),
        histogram: None,
    },
    GateDef {
        key: "max_memory_usage",
        section: Section::Performance,
        default: Threshold::Number(100.0),
        measure: Measure::Perf(PerfGate::Memory),
        bound: Bound::AtMost,
        summary: "peak memory of the program",
        label: "",
        fix: "Find what holds memory at the peak (a heap profiler) and stream or release it; \
              check for caches without bounds.",
        unit: "MB",
        limit_metric: Some(LimitMetric {
            name: "gatecheck_memory_limit_bytes",
            scale: 1_048_576.0,
            help: "Configured max_memory_usage, in bytes: the most peak resident memory a measured \
                   command may reach.",
        }),
        histogram: None,
    },
    GateDef {
        key: "max_response_time",
        section: Section::Performance,
        default: Threshold::Number(1.0),
        measure: Measure::Perf(PerfGate::ResponseTime),
        bound: Bound::AtMost,
        summary: "response time of the program",
        label: "",
        fix: "Profile the slow endpoint; look for work per request that could be cached or \
              moved out of the request path.",
        unit: "s",
        limit_metric: Some(LimitMetric {
            name: "gatecheck_response_limit_seconds",
            scale: 1.0,
            help: "Configured max_response_time, in seconds: the most p95 latency a response target \
                   may have.",
        }),
        histogram: None,
    },
    GateDef {
        key: "no_regression",
        section: Section::Performance,
        default: Threshold::Flag(true),
        measure: Measure::Perf(PerfGate::Regression),
        bound: Bound::Rule,
        summary: "whether a statistically significant slowdown beyond the noise threshold fails",
        label: "",
        fix: "Compare the regressed target with its baseline (gatecheck perf compare) and \
              bisect the commits in between.",
        unit: "",
        limit_metric: None,
        histogram: None,
    },
    GateDef {
        key: "max_dependencies_per_module",
        section: Section::Architecture,
        default: Threshold::Count(5),
        measure: Measure::Architecture(ArchitectureGate::FanOut),
        bound: Bound::AtMost,
        summary: "internal modules one module imports (fan-out)",
        label: "fan-out",
        fix: "Split the module so that each part needs fewer others, or depend on one facade \
              instead of many modules.",
        unit: "",
        limit_metric: None,
        histogram: None,
    },
    GateDef {
        key: "circular_dependencies",
        section: Section::Architecture,
        default: Threshold::Flag(false),
        measure: Measure::Architecture(ArchitectureGate::Cycles),
        bound: Bound::Rule,
        summary: "whether import cycles between modules are allowed",
        label: "modules",
        fix: "Cut one import of the cycle (the report lists each import with its line): move \
              the shared code into a module both can import, or invert the dependency.",
        unit: "",
        limit_metric: None,
        histogram: None,
    },
    GateDef {
        key: "single_responsibility",
        section: Section::Architecture,
        default: Threshold::Flag(true),
        measure: Measure::Architecture(ArchitectureGate::Cohesion),
        bound: Bound::Rule,
        summary: "whether each class must be cohesive (LCOM4 = 1)",
        label: "LCOM4",
        fix: "The class has groups of methods that share no attribute: split it along the \
              reported groups, or move the group that does not use the instance into \
              functions.",
        unit: "",
        limit_metric: None,
        histogram: None,
    },
    GateDef {
        key: "layers",
        section: Section::Architecture,
        default: Threshold::Count(0),
        measure: Measure::Architecture(ArchitectureGate::Layers),
        bound: Bound::Rule,
        summary: "imports from a lower layer into a higher one ([[architecture.layers]])",
        label: "",
        fix: "Move the import's target down to a lower layer, or pass what the lower layer \
              needs in as a parameter instead of importing upwards.",
        unit: "",
        limit_metric: None,
        histogram: None,
    },
    GateDef {
        key: "forbidden_imports",
        section: Section::Architecture,
        default: Threshold::Count(0),
        measure: Measure::Architecture(ArchitectureGate::Forbid),
        bound: Bound::Rule,
        summary: "imports that a [[architecture.forbid]] rule forbids",
        label: "",
        fix: "Remove the import, or go through the module the [[architecture.forbid]] rule \
              allows.",
        unit: "",
        limit_metric: None,
        histogram: None,
    },
];

/// The gate called `key`.
#[must_use]
pub fn gate(key: &str) -> Option<&'static GateDef> {
    GATES.iter().find(|g| g.key == key)
}

/// The row of the performance gate `which`.
#[must_use]
pub fn perf_gate(which: PerfGate) -> Option<&'static GateDef> {
    GATES
        .iter()
        .find(|g| matches!(g.measure, Measure::Perf(p) if p == which))
}

/// The row of the architecture gate `which`.
#[must_use]
pub fn architecture_gate(which: ArchitectureGate) -> Option<&'static GateDef> {
    GATES
        .iter()
        .find(|g| matches!(g.measure, Measure::Architecture(a) if a == which))
}
