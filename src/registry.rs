//! The gate registry: one row per gate, the only place a gate is defined.
//!
//! Configuration keys, defaults, what each gate reads and how it compares all come from
//! [`GATES`]; config validation, evaluation and every report format iterate over it.

use std::collections::BTreeMap;

use crate::metrics::{FileMetrics, FunctionMetrics};

/// Thresholds by gate key.
pub type Thresholds = BTreeMap<&'static str, Threshold>;

/// Which configuration table a gate's key lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    /// `[code_quality]`.
    CodeQuality,
    /// `[performance]`.
    Performance,
    /// `[architecture]`.
    Architecture,
}

impl Section {
    /// Every section, in the order of the founding QUALITY_GATES.
    pub const ALL: [Section; 3] = [
        Section::CodeQuality,
        Section::Performance,
        Section::Architecture,
    ];

    /// The table name.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Section::CodeQuality => "code_quality",
            Section::Performance => "performance",
            Section::Architecture => "architecture",
        }
    }
}

/// A gate threshold value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Threshold {
    /// A whole number (lines, complexity, counts).
    Count(u64),
    /// A measurement in a unit (seconds, megabytes, percent).
    Number(f64),
    /// A yes/no rule (`circular_dependencies = false` forbids cycles).
    Flag(bool),
}

impl Threshold {
    /// The value as a number, for comparisons and exports (a flag is 0 or 1).
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "thresholds are far below 2^52")]
    pub fn as_f64(self) -> f64 {
        match self {
            Threshold::Count(n) => n as f64,
            Threshold::Number(x) => x,
            Threshold::Flag(b) => f64::from(u8::from(b)),
        }
    }
}

/// What a gate reads, and so which stage produces its findings. The variants name their
/// producer by type: `judge::findings` dispatches on them with an exhaustive `match`, so a row
/// cannot be added without a producer, and a producer cannot be keyed by a mistyped string.
#[derive(Clone, Copy)]
pub enum Measure {
    /// A number per function, which must be at most the threshold (`gates::per_file`).
    Function(fn(&FunctionMetrics) -> u64),
    /// A number per file, which must be at most the threshold, and the line it points at
    /// (`gates::per_file`).
    File(fn(&FileMetrics) -> (u64, usize)),
    /// The coverage reports read for the run (`gates::coverage`).
    Coverage,
    /// A performance run (`perf::gates`).
    Perf(PerfGate),
    /// The module graph and its analyses (`gates::architecture`).
    Architecture(ArchitectureGate),
}

/// The performance gates, each measured by `perf::gates`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PerfGate {
    /// Median wall time of each startup target.
    StartupTime,
    /// Largest peak RSS of each measured command and server.
    Memory,
    /// p95 latency of each response target.
    ResponseTime,
    /// No verdict against the baseline is a regression.
    Regression,
}

/// The architecture gates, each measured by `gates::architecture` from the module graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArchitectureGate {
    /// Internal modules one module imports, per module.
    FanOut,
    /// Import cycles.
    Cycles,
    /// LCOM4 per class.
    Cohesion,
    /// `[[architecture.layers]]` rules.
    Layers,
    /// `[[architecture.forbid]]` rules.
    Forbid,
}

impl ArchitectureGate {
    /// The `[[architecture.<table>]]` whose rules stand in for the threshold of a rules gate.
    #[must_use]
    pub fn rules_table(self) -> Option<&'static str> {
        match self {
            ArchitectureGate::Layers => Some("layers"),
            ArchitectureGate::Forbid => Some("forbid"),
            ArchitectureGate::FanOut | ArchitectureGate::Cycles | ArchitectureGate::Cohesion => {
                None
            }
        }
    }
}

impl std::fmt::Debug for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Measure::Function(_) => f.write_str("Function"),
            Measure::File(_) => f.write_str("File"),
            Measure::Coverage => f.write_str("Coverage"),
            Measure::Perf(g) => write!(f, "Perf({g:?})"),
            Measure::Architecture(g) => write!(f, "Architecture({g:?})"),
        }
    }
}

/// The Prometheus histogram of a per-function or per-file gate's figure, by language
/// (`report::prometheus`); its bucket bounds also get the configured threshold.
#[derive(Debug)]
pub struct HistogramMetric {
    /// Metric name.
    pub name: &'static str,
    /// Its help text.
    pub help: &'static str,
    /// Bucket upper bounds besides the threshold (`+Inf` is implicit).
    pub bounds: &'static [f64],
}

/// The Prometheus gauge that exports a gate's configured threshold (`report::prometheus`).
#[derive(Debug)]
pub struct LimitMetric {
    /// Metric name (`gatecheck_..._limit`).
    pub name: &'static str,
    /// Its help text.
    pub help: &'static str,
    /// What the threshold is multiplied by for the gauge's base unit (MB to bytes: 2^20).
    pub scale: f64,
}

/// Which side of the threshold a value must stay on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// The value must be at most the threshold (lengths, complexity, times).
    AtMost,
    /// The value must be at least the threshold (coverage).
    AtLeast,
    /// A yes/no rule: the flag says whether something is allowed (cycles, incohesive classes).
    Rule,
}

impl Bound {
    /// How a violation compares with its threshold, for messages (`>`, `<`, `breaks`).
    #[must_use]
    pub fn violated_symbol(self) -> &'static str {
        match self {
            Bound::AtMost => ">",
            Bound::AtLeast => "<",
            Bound::Rule => "breaks",
        }
    }
}

/// One gate.
#[derive(Debug)]
pub struct GateDef {
    /// The configuration key, also the gate's name in every report.
    pub key: &'static str,
    /// Where its key lives.
    pub section: Section,
    /// The default threshold (the founding QUALITY_GATES where they name one).
    pub default: Threshold,
    /// What it reads.
    pub measure: Measure,
    /// Which side of the threshold is good.
    pub bound: Bound,
    /// One line for people: what it checks.
    pub summary: &'static str,
    /// Unit of the threshold, for messages (`lines`, `s`, `MB`, `%`, or empty).
    pub unit: &'static str,
    /// The gauge exporting its threshold, for gates whose figures Prometheus exports as a
    /// distribution (so Grafana can draw the limit over it).
    pub limit_metric: Option<LimitMetric>,
    /// The histogram of its figure over every function or file, for per-function and
    /// per-file gates whose distribution Grafana draws.
    pub histogram: Option<HistogramMetric>,
}

impl GateDef {
    /// Whether a per-path `[[overrides]]` entry may set this gate (it is measured per file or
    /// per function).
    #[must_use]
    pub fn per_path(&self) -> bool {
        matches!(
            self.measure,
            Measure::Function(_)
                | Measure::File(_)
                | Measure::Architecture(ArchitectureGate::FanOut)
        )
    }

    /// Whether the gate has a threshold key of its own (a rules gate is configured by its
    /// `[[architecture.<table>]]` entries instead).
    #[must_use]
    pub fn configurable(&self) -> bool {
        match self.measure {
            Measure::Architecture(g) => g.rules_table().is_none(),
            Measure::Function(_) | Measure::File(_) | Measure::Coverage | Measure::Perf(_) => true,
        }
    }
}

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
