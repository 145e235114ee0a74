//! The module-graph metrics (docs/metrics.md, "Prometheus metrics"): modules per language,
//! the fan-out distribution, import cycles, modules in cycles and classes of low cohesion.
//! Written only when the run built a module graph (the class metric only when it extracted
//! class facts), so a run without one never reports zero cycles it did not look for.

use prometheus::{HistogramOpts, HistogramVec, Registry};

use super::{buckets, count, gauge, int_gauges, register, threshold};
use crate::lang::LANGUAGES;
use crate::registry::{ArchitectureGate, architecture_gate};
use crate::report::Report;

/// Fan-out bucket bounds besides the configured `max_dependencies_per_module`.
const FAN_OUT_BOUNDS: [f64; 11] = [0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0, 20.0, 30.0, 50.0];

pub(super) fn metrics(registry: &Registry, report: &Report) -> prometheus::Result<()> {
    let (Some(modules), Some(cycles)) = (&report.modules, &report.cycles) else {
        return Ok(());
    };
    let per_language = int_gauges(
        registry,
        "gatecheck_modules",
        "Modules (source files) in the module graph.",
        &["language"],
    )?;
    let opts = HistogramOpts::new(
        "gatecheck_module_fan_out",
        "Fan-out of each module: distinct internal modules it imports (plus external packages \
         with count_external); the bucket bounds include the configured \
         max_dependencies_per_module.",
    )
    .buckets(buckets(
        &FAN_OUT_BOUNDS,
        architecture_gate(ArchitectureGate::FanOut).and_then(|g| threshold(&report.gates, g.key)),
    ));
    let fan_out = register(registry, HistogramVec::new(opts, &["language"])?)?;
    for spec in LANGUAGES {
        per_language.with_label_values(&[spec.id]).set(0);
        fan_out.with_label_values(&[spec.id]);
    }
    for m in modules {
        per_language.with_label_values(&[m.language]).inc();
        fan_out
            .with_label_values(&[m.language])
            .observe(count(m.fan_out));
    }
    cycle_metrics(registry, report, cycles.iter().map(|c| c.modules.len()))
}

/// Cycles, modules in cycles and (with class facts) classes of low cohesion.
fn cycle_metrics(
    registry: &Registry,
    report: &Report,
    cycle_sizes: impl ExactSizeIterator<Item = usize>,
) -> prometheus::Result<()> {
    let cycles = cycle_sizes.len();
    let in_cycles: usize = cycle_sizes.sum();
    gauge(
        registry,
        "gatecheck_import_cycles",
        "Import cycles: strongly connected components of the module graph with two or more \
         modules, or a module importing itself.",
        count(cycles),
    )?;
    gauge(
        registry,
        "gatecheck_modules_in_cycles",
        "Modules that belong to an import cycle.",
        count(in_cycles),
    )?;
    if let Some(classes) = &report.classes {
        let low = classes.iter().filter(|c| c.low_cohesion).count();
        gauge(
            registry,
            "gatecheck_classes_low_cohesion",
            "Classes with at least min_methods_for_cohesion methods and LCOM4 above 1 (what \
             single_responsibility fails on).",
            count(low),
        )?;
    }
    Ok(())
}
