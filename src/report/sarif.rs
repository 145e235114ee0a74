//! The SARIF 2.1.0 format (OASIS Static Analysis Results Interchange Format), which GitHub code
//! scanning, GitLab and IDEs read: every gate is a rule, every violation a result at its
//! file and line, suppressed violations are results with an in-source suppression. Only the
//! parts of SARIF gatecheck needs are modelled; the output is validated against the official
//! schema in the tests.

use std::io::{self, Write};

use serde::Serialize;

use super::Emitter;
use super::{GateEntry, Report, ViolationEntry};
use crate::diagnostic::Severity;
use crate::registry::GATES;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where result paths are relative to; `originalUriBaseIds` says where that is.
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    invocations: [Invocation; 1],
    original_uri_base_ids: std::collections::BTreeMap<&'static str, ArtifactLocation>,
    results: Vec<SarifResult<'a>>,
}

/// The run itself: it succeeded (a report exists), and every file it could not measure is a
/// notification, so a viewer sees what the results do not cover.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
    locations: [Location; 1],
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Message,
    full_description: Message,
    help: Message,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: [Location; 1],
    partial_fingerprints: std::collections::BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
}

/// SARIF 2.1.0 ([`write`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Sarif;

impl Emitter for Sarif {
    fn emit(&self, report: &Report, out: &mut dyn Write) -> io::Result<()> {
        write(report, out)
    }
}

/// Writes `report` as a SARIF 2.1.0 log.
///
/// # Errors
/// Any error writing to `out`.
pub fn write(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let results = report
        .gates
        .iter()
        .flat_map(|gate| {
            let failed = gate.violations.iter().map(move |v| result(gate, v, None));
            let suppressed = gate
                .suppressed
                .iter()
                .map(move |v| result(gate, v, Some(v.reason.clone().unwrap_or_default())));
            failed.chain(suppressed)
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool { driver: driver() },
            invocations: [invocation(report)],
            original_uri_base_ids: [(SRCROOT, root_location(&report.root))].into(),
            results,
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    out.write_all(b"\n")
}

fn driver() -> Driver {
    Driver {
        name: "gatecheck",
        version: env!("CARGO_PKG_VERSION"),
        rules: GATES
            .iter()
            .map(|g| Rule {
                id: g.key,
                short_description: Message {
                    text: g.summary.to_owned(),
                },
                full_description: Message {
                    text: format!(
                        "{}: {} (definition and reference: docs/metrics.md).",
                        g.key, g.summary
                    ),
                },
                help: Message {
                    text: g.fix.to_owned(),
                },
            })
            .collect(),
    }
}

fn invocation(report: &Report) -> Invocation {
    let notifications = report
        .diagnostics
        .iter()
        .map(|d| Notification {
            level: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            message: Message {
                text: d.message.clone(),
            },
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: encode_path(&d.path),
                        uri_base_id: Some(SRCROOT),
                    },
                    region: None,
                },
            }],
        })
        .collect();
    Invocation {
        execution_successful: true,
        tool_execution_notifications: notifications,
    }
}

/// The analysis root as a `file://` URI ending in `/`, as SARIF requires of a base.
fn root_location(root: &str) -> ArtifactLocation {
    let mut uri = String::from("file://");
    if !root.starts_with('/') {
        uri.push('/');
    }
    uri.push_str(&encode_path(root));
    if !uri.ends_with('/') {
        uri.push('/');
    }
    ArtifactLocation {
        uri,
        uri_base_id: None,
    }
}

fn result<'a>(
    gate: &'a GateEntry,
    v: &ViolationEntry,
    suppressed: Option<String>,
) -> SarifResult<'a> {
    SarifResult {
        rule_id: gate.gate,
        rule_index: GATES.iter().position(|g| g.key == gate.gate).unwrap_or(0),
        level: "error",
        message: Message {
            text: format!("{}: {}", gate.gate, v.describe(gate.gate)),
        },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: encode_path(&v.path),
                    uri_base_id: Some(SRCROOT),
                },
                region: Some(Region {
                    start_line: v.line.max(1),
                }),
            },
        }],
        partial_fingerprints: [("gatecheck/v1", fingerprint(gate.gate, v))].into(),
        suppressions: suppressed
            .map(|justification| Suppression {
                kind: "inSource",
                justification,
            })
            .into_iter()
            .collect(),
    }
}

/// A fingerprint of a finding that does not move with its line: the gate, the path and the
/// item's name (the text before any parenthesised detail, so `Class (groups: ...)` and
/// `line coverage (3 of 5 lines)` keep theirs when the detail changes), FNV-1a hashed, hex.
#[must_use]
pub fn fingerprint(gate: &str, v: &ViolationEntry) -> String {
    let name = v.item.split(" (").next().unwrap_or(&v.item);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [gate, &v.path, name] {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// Percent-encodes what a URI path may not hold (space, `%`, `#`, `?`, controls, non-ASCII).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:@!$&'()*+,;=".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_path;

    #[test]
    fn paths_are_percent_encoded_for_uris() {
        assert_eq!(encode_path("src/a b/ü#1.py"), "src/a%20b/%C3%BC%231.py");
        assert_eq!(encode_path("src/lib.rs"), "src/lib.rs");
    }
}
