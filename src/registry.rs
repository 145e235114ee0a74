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

/// What a gate reads.
#[derive(Clone, Copy)]
pub enum Measure {
    /// A number per function, which must be at most the threshold.
    Function(fn(&FunctionMetrics) -> u64),
    /// A number per file, which must be at most the threshold, and the line it points at.
    File(fn(&FileMetrics) -> (u64, usize)),
    /// Measured once for the whole project by another stage (coverage, performance, the
    /// module graph), which hands its findings to [`super::evaluate`] through
    /// [`super::ProjectFindings`]; "not measured" when a run has none.
    Project,
    /// A number per module of the module graph (`gates::architecture`), which must be at most
    /// the threshold of the module's file; "not measured" without a graph.
    Module,
    /// Measured from the module graph (`gates::architecture`); "not measured" without one.
    Graph,
    /// Violations of the rules in `[[architecture.<table>]]`, counted from the module graph;
    /// the rules stand in for a threshold, so the gate has no key of its own.
    Rules(&'static str),
}

impl std::fmt::Debug for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Measure::Function(_) => "Function",
            Measure::File(_) => "File",
            Measure::Project => "Project",
            Measure::Module => "Module",
            Measure::Graph => "Graph",
            Measure::Rules(_) => "Rules",
        })
    }
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
}

impl GateDef {
    /// Whether a per-path `[[overrides]]` entry may set this gate (it is measured per file or
    /// per function).
    #[must_use]
    pub fn per_path(&self) -> bool {
        matches!(
            self.measure,
            Measure::Function(_) | Measure::File(_) | Measure::Module
        )
    }

    /// Whether the gate has a threshold key of its own (a rules gate is configured by its
    /// `[[architecture.<table>]]` entries instead).
    #[must_use]
    pub fn configurable(&self) -> bool {
        !matches!(self.measure, Measure::Rules(_))
    }
}

fn as_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Every gate, code quality first.
pub static GATES: [GateDef; 17] = [
    GateDef {
        key: "max_function_length",
        section: Section::CodeQuality,
        default: Threshold::Count(50),
        measure: Measure::Function(|f| as_u64(f.length)),
        bound: Bound::AtMost,
        summary: "lines a function spans, from its def/fn line to its last line",
        unit: "lines",
    },
    GateDef {
        key: "max_file_length",
        section: Section::CodeQuality,
        default: Threshold::Count(500),
        measure: Measure::File(|f| (as_u64(f.lines), 1)),
        bound: Bound::AtMost,
        summary: "physical lines in a file",
        unit: "lines",
    },
    GateDef {
        key: "max_complexity",
        section: Section::CodeQuality,
        default: Threshold::Count(10),
        measure: Measure::Function(|f| u64::from(f.cyclomatic)),
        bound: Bound::AtMost,
        summary: "cyclomatic complexity of a function",
        unit: "",
    },
    GateDef {
        key: "max_cognitive_complexity",
        section: Section::CodeQuality,
        default: Threshold::Count(15),
        measure: Measure::Function(|f| u64::from(f.cognitive)),
        bound: Bound::AtMost,
        summary: "cognitive complexity of a function (SonarSource)",
        unit: "",
    },
    GateDef {
        key: "max_parameters",
        section: Section::CodeQuality,
        default: Threshold::Count(7),
        measure: Measure::Function(|f| u64::from(f.params)),
        bound: Bound::AtMost,
        summary: "declared parameters of a function",
        unit: "",
    },
    GateDef {
        key: "max_nesting",
        section: Section::CodeQuality,
        default: Threshold::Count(4),
        measure: Measure::Function(|f| u64::from(f.max_nesting)),
        bound: Bound::AtMost,
        summary: "deepest nesting of control-flow blocks in a function",
        unit: "",
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
    },
    GateDef {
        key: "min_test_coverage",
        section: Section::CodeQuality,
        default: Threshold::Number(80.0),
        measure: Measure::Project,
        bound: Bound::AtLeast,
        summary: "line coverage of the test suite",
        unit: "%",
    },
    GateDef {
        key: "max_startup_time",
        section: Section::Performance,
        default: Threshold::Number(2.0),
        measure: Measure::Project,
        bound: Bound::AtMost,
        summary: "startup time of the program",
        unit: "s",
    },
    GateDef {
        key: "max_memory_usage",
        section: Section::Performance,
        default: Threshold::Number(100.0),
        measure: Measure::Project,
        bound: Bound::AtMost,
        summary: "peak memory of the program",
        unit: "MB",
    },
    GateDef {
        key: "max_response_time",
        section: Section::Performance,
        default: Threshold::Number(1.0),
        measure: Measure::Project,
        bound: Bound::AtMost,
        summary: "response time of the program",
        unit: "s",
    },
    GateDef {
        key: "no_regression",
        section: Section::Performance,
        default: Threshold::Flag(true),
        measure: Measure::Project,
        bound: Bound::Rule,
        summary: "whether a statistically significant slowdown beyond the noise threshold fails",
        unit: "",
    },
    GateDef {
        key: "max_dependencies_per_module",
        section: Section::Architecture,
        default: Threshold::Count(5),
        measure: Measure::Module,
        bound: Bound::AtMost,
        summary: "internal modules one module imports (fan-out)",
        unit: "",
    },
    GateDef {
        key: "circular_dependencies",
        section: Section::Architecture,
        default: Threshold::Flag(false),
        measure: Measure::Graph,
        bound: Bound::Rule,
        summary: "whether import cycles between modules are allowed",
        unit: "",
    },
    GateDef {
        key: "single_responsibility",
        section: Section::Architecture,
        default: Threshold::Flag(true),
        measure: Measure::Graph,
        bound: Bound::Rule,
        summary: "whether each class must be cohesive (LCOM4 = 1)",
        unit: "",
    },
    GateDef {
        key: "layers",
        section: Section::Architecture,
        default: Threshold::Count(0),
        measure: Measure::Rules("layers"),
        bound: Bound::Rule,
        summary: "imports from a lower layer into a higher one ([[architecture.layers]])",
        unit: "",
    },
    GateDef {
        key: "forbidden_imports",
        section: Section::Architecture,
        default: Threshold::Count(0),
        measure: Measure::Rules("forbid"),
        bound: Bound::Rule,
        summary: "imports that a [[architecture.forbid]] rule forbids",
        unit: "",
    },
];

/// The gate called `key`.
#[must_use]
pub fn gate(key: &str) -> Option<&'static GateDef> {
    GATES.iter().find(|g| g.key == key)
}
