//! What the analysis thread publishes and the HTTP server reads: the last complete snapshot
//! (swapped in whole, so a reader never sees half of one and never waits for a writer) and
//! the server's own counters.

use arc_swap::ArcSwapOption;
use bytes::Bytes;
use prometheus::core::Collector;
use prometheus::{Encoder, Gauge, IntCounter, IntGauge, Registry, TextEncoder};
use std::sync::Arc;

/// One complete analysis, rendered once and served to every request until the next one.
#[derive(Debug)]
pub(crate) struct Snapshot {
    /// The report in Prometheus text format.
    pub metrics: Bytes,
    /// The report as JSON.
    pub report: Bytes,
}

/// The server's own metrics (docs/metrics.md, "gatecheck serve").
#[derive(Debug)]
struct Counters {
    registry: Registry,
    scrapes: IntCounter,
    analyses: IntCounter,
    failures: IntCounter,
    last_duration: Gauge,
    files_parsed: IntGauge,
}

impl Counters {
    fn new() -> prometheus::Result<Counters> {
        let counters = Counters {
            registry: Registry::new(),
            scrapes: IntCounter::new(
                "gatecheck_serve_scrapes_total",
                "Requests for /metrics this server answered.",
            )?,
            analyses: IntCounter::new(
                "gatecheck_serve_analyses_total",
                "Analyses this server completed and published.",
            )?,
            failures: IntCounter::new(
                "gatecheck_serve_analysis_failures_total",
                "Analyses that failed (bad configuration, missing path); the last complete \
                 result stays served.",
            )?,
            last_duration: Gauge::new(
                "gatecheck_serve_last_analysis_duration_seconds",
                "Wall time of the last analysis, completed or failed, in seconds.",
            )?,
            files_parsed: IntGauge::new(
                "gatecheck_serve_last_analysis_files_parsed",
                "Files the last completed analysis parsed because they were new or changed \
                 (the others came from the cache).",
            )?,
        };
        let collectors: Vec<Box<dyn Collector>> = vec![
            Box::new(counters.scrapes.clone()),
            Box::new(counters.analyses.clone()),
            Box::new(counters.failures.clone()),
            Box::new(counters.last_duration.clone()),
            Box::new(counters.files_parsed.clone()),
        ];
        for collector in collectors {
            counters.registry.register(collector)?;
        }
        Ok(counters)
    }
}

/// Shared between the analysis thread and the HTTP server.
#[derive(Debug)]
pub(crate) struct State {
    current: ArcSwapOption<Snapshot>,
    counters: Counters,
}

impl State {
    pub(crate) fn new() -> prometheus::Result<State> {
        Ok(State {
            current: ArcSwapOption::empty(),
            counters: Counters::new()?,
        })
    }

    /// The last complete snapshot, if an analysis has completed.
    pub(crate) fn snapshot(&self) -> Option<Arc<Snapshot>> {
        self.current.load_full()
    }

    /// Replaces the served snapshot with a newer complete one.
    pub(crate) fn publish(&self, snapshot: Snapshot, seconds: f64, files_parsed: usize) {
        self.current.store(Some(Arc::new(snapshot)));
        self.counters.analyses.inc();
        self.counters.last_duration.set(seconds);
        self.counters
            .files_parsed
            .set(i64::try_from(files_parsed).unwrap_or(i64::MAX));
    }

    /// Counts an analysis that failed.
    pub(crate) fn failed(&self, seconds: f64) {
        self.counters.failures.inc();
        self.counters.last_duration.set(seconds);
    }

    /// The body of a `/metrics` response: the report's metrics (none before the first
    /// analysis completes) followed by the server's own, this scrape counted.
    pub(crate) fn scrape(&self) -> Bytes {
        self.counters.scrapes.inc();
        let mut body = self
            .snapshot()
            .map_or_else(Vec::new, |s| s.metrics.to_vec());
        // Encoding four in-memory metrics into a Vec cannot fail; if it did, the report's own
        // metrics are still worth serving.
        let _ = TextEncoder::new().encode(&self.counters.registry.gather(), &mut body);
        Bytes::from(body)
    }
}
