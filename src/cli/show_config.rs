//! `gatecheck check --show-config PATH`: the settings in effect for one file and where each
//! came from (the registry's default, the configuration, an `[[overrides]]` entry, a
//! sub-project's configuration), so a surprising threshold can be traced.

use std::fmt::Write as _;
use std::io::Write;
use std::path::Path;

use gatecheck::config::discover::Nested;
use gatecheck::config::{Config, GateSettings, Origin};
use gatecheck::paths;

use super::Exit;

/// Prints the settings in effect for `file` under `config`.
pub(super) fn run(config: &Config, file: &Path) -> anyhow::Result<Exit> {
    let absolute = paths::normalize(&paths::absolute(file));
    let base = config.base_dir().map_or_else(
        || absolute.parent().unwrap_or(&absolute).to_path_buf(),
        |d| paths::normalize(&paths::absolute(d)),
    );
    let nested = Nested::discover(&base, [absolute.as_path()])?;
    let mut text = format!("settings for {}\n", file.display());
    let _ = writeln!(text, "configuration: {}", config.source_name());
    let (gates, relative, source) = match nested.for_file(&absolute) {
        Some((dir, gates, source)) => {
            let _ = writeln!(
                text,
                "sub-project configuration: {} (its thresholds apply to this file)",
                source.display()
            );
            (
                gates,
                paths::relative_to(&absolute, dir),
                source.display().to_string(),
            )
        }
        None => (
            &config.gates,
            paths::relative_to(&absolute, &base),
            config.source_name(),
        ),
    };
    write_gates(&mut text, gates, &relative, &source);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    Ok(Exit::Passed)
}

fn write_gates(text: &mut String, gates: &GateSettings, relative: &Path, source: &str) {
    let origins = gates.origins(relative);
    let width = origins.iter().map(|(k, _, _)| k.len()).max().unwrap_or(0);
    for (key, value, origin) in origins {
        let value = match value {
            gatecheck::registry::Threshold::Count(n) => n.to_string(),
            gatecheck::registry::Threshold::Number(x) => x.to_string(),
            gatecheck::registry::Threshold::Flag(b) => b.to_string(),
            gatecheck::registry::Threshold::Off => "false (disabled)".to_owned(),
        };
        let from = match origin {
            Origin::Default => "default".to_owned(),
            Origin::Configuration => source.to_owned(),
            Origin::Override(n, paths) => {
                format!("{source}, [[overrides]] entry {n} (paths = {paths:?})")
            }
        };
        let _ = writeln!(text, "{key:<width$}  {value:<16}  {from}");
    }
}
