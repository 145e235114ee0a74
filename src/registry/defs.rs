//! The types of the gate registry: what a gate is ([`GateDef`]), what it reads ([`Measure`],
//! which names its producer), its threshold and how a value compares with it, and what it
//! exports to Prometheus.

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
    /// The gate is off (`max_complexity = false`, `--ignore`, or `--select` without it):
    /// nothing is measured for it and it is reported as `disabled`.
    Off,
}

impl Threshold {
    /// The value as a number, for comparisons and exports (a flag is 0 or 1; off is
    /// infinite, which no figure exceeds).
    #[must_use]
    #[expect(clippy::cast_precision_loss, reason = "thresholds are far below 2^52")]
    pub fn as_f64(self) -> f64 {
        match self {
            Threshold::Count(n) => n as f64,
            Threshold::Number(x) => x,
            Threshold::Flag(b) => f64::from(u8::from(b)),
            Threshold::Off => f64::INFINITY,
        }
    }

    /// Whether the gate is off.
    #[must_use]
    pub fn is_off(self) -> bool {
        self == Threshold::Off
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
    /// What the figure is called in a finding for people (`complexity 14 > 10`); empty for
    /// rules, whose findings say what they break.
    pub label: &'static str,
    /// How to fix a violation, for people (SARIF rule help, `gatecheck explain --gate`).
    pub fix: &'static str,
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
