//! Reads a configuration table, key by key, against the gate registry. Every key and value
//! keeps its position, so each error names the line; an unknown key gets the closest valid one.

mod perf;

use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

mod architecture;

use super::{Config, ConfigError, Override, path_matcher};
use crate::metrics::NestedFunctions;
use crate::registry::Thresholds;
use crate::registry::{GATES, GateDef, Section, Threshold};

/// Top-level keys of a gatecheck table.
const TOP_LEVEL: &[&str] = &[
    "code_quality",
    "performance",
    "architecture",
    "exclude",
    "extend_exclude",
    "overrides",
    "limits",
    "python",
];
/// Keys of `[limits]`.
const LIMITS: &[&str] = &["max_file_bytes", "parse_timeout_seconds"];
/// Keys of `[python]`.
const PYTHON: &[&str] = &["roots"];
/// The `[code_quality]` key that is an option, not a gate threshold.
const NESTED_FUNCTIONS: &str = "nested_functions";

/// Parses `text`, the contents of `file`. `Ok(None)`: a pyproject.toml or Cargo.toml with no
/// gatecheck table.
pub(super) fn parse(text: &str, file: &Path) -> Result<Option<Config>, ConfigError> {
    let reader = Reader { text, file };
    let document = DeTable::parse(text).map_err(|e| ConfigError::Syntax {
        path: file.to_path_buf(),
        line: reader.line(e.span().unwrap_or(0..0)),
        message: e.message().trim().to_owned(),
    })?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let table = match name {
        "pyproject.toml" => nested(document.get_ref(), &["tool", "gatecheck"]),
        "Cargo.toml" => nested(document.get_ref(), &["package", "metadata", "gatecheck"])
            .or_else(|| nested(document.get_ref(), &["workspace", "metadata", "gatecheck"])),
        _ => Some(document.get_ref()),
    };
    table.map(|t| reader.config(t)).transpose()
}

fn nested<'a, 'i>(table: &'a DeTable<'i>, keys: &[&str]) -> Option<&'a DeTable<'i>> {
    let mut current = table;
    for key in keys {
        current = current.get(*key)?.get_ref().as_table()?;
    }
    Some(current)
}

struct Reader<'a> {
    text: &'a str,
    file: &'a Path,
}

impl Reader<'_> {
    fn line(&self, span: Range<usize>) -> usize {
        let end = span.start.min(self.text.len());
        self.text.get(..end).map_or(0, |t| t.matches('\n').count()) + 1
    }

    fn unknown(
        &self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        table: &str,
        valid: &[&str],
    ) -> ConfigError {
        let suggestion = valid
            .iter()
            .map(|v| (strsim::jaro_winkler(key.get_ref(), v), *v))
            .filter(|(score, _)| *score > 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, v)| v.to_owned());
        ConfigError::UnknownKey {
            path: self.file.to_path_buf(),
            line: self.line(key.span()),
            key: key.get_ref().to_string(),
            table: table.to_owned(),
            suggestion,
        }
    }

    /// A gate key written in the wrong table: says where it belongs.
    fn misplaced(
        &self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        table: &str,
    ) -> Option<ConfigError> {
        let gate = crate::registry::gate(key.get_ref())?;
        let hint = if table == "[[overrides]]" {
            format!(
                "it is a whole-project gate and cannot be set per path; set it in [{}]",
                gate.section.key()
            )
        } else {
            format!("it belongs in [{}]", gate.section.key())
        };
        Some(ConfigError::MisplacedKey {
            path: self.file.to_path_buf(),
            line: self.line(key.span()),
            key: gate.key.to_owned(),
            table: table.to_owned(),
            hint,
        })
    }

    fn bad(&self, key: &str, span: Range<usize>, problem: impl Into<String>) -> ConfigError {
        ConfigError::BadValue {
            path: self.file.to_path_buf(),
            line: self.line(span),
            key: key.to_owned(),
            problem: problem.into(),
        }
    }

    fn config(&self, table: &DeTable<'_>) -> Result<Config, ConfigError> {
        let mut config = Config {
            source: Some(self.file.to_path_buf()),
            ..Config::default()
        };
        let mut extend = Vec::new();
        for (key, value) in table {
            match key.get_ref().as_ref() {
                "exclude" | "extend_exclude" => {
                    self.exclude(key, value, &mut config, &mut extend)?
                }
                "overrides" => config.gates.overrides = self.overrides(value)?,
                "limits" => self.limits(value, &mut config)?,
                other => self.section(key, other, value, &mut config)?,
            }
        }
        config.exclude.extend(extend);
        Ok(config)
    }

    /// `exclude` replaces the default excludes (ruff's semantics); `extend_exclude` adds to
    /// them (collected in `extend`, which goes after `exclude` whatever the key order).
    fn exclude(
        &self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
        extend: &mut Vec<String>,
    ) -> Result<(), ConfigError> {
        let name = key.get_ref().as_ref();
        let patterns = self.strings(name, value)?;
        if name == "exclude" {
            config.exclude = patterns;
            config.default_excludes = false;
        } else {
            extend.extend(patterns);
        }
        Ok(())
    }

    /// A `[code_quality]`, `[performance]` or `[architecture]` table (or `[python]`).
    fn section(
        &self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        name: &str,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
    ) -> Result<(), ConfigError> {
        if name == "python" {
            config.python_roots = self.python(value)?;
            return Ok(());
        }
        let Some(section) = Section::ALL.into_iter().find(|s| s.key() == name) else {
            return Err(self.unknown(key, "the top level", TOP_LEVEL));
        };
        let table = self.table(name, value)?;
        if section == Section::Performance {
            return self.performance(table, config);
        }
        if section == Section::Architecture {
            return self.architecture(table, config);
        }
        if section == Section::CodeQuality {
            return self.code_quality(table, config);
        }
        self.thresholds(
            table,
            &format!("[{name}]"),
            &mut config.gates.thresholds,
            |g| g.section == section,
        )
    }

    fn table<'t, 'i>(
        &self,
        key: &str,
        value: &'t Spanned<DeValue<'i>>,
    ) -> Result<&'t DeTable<'i>, ConfigError> {
        value.get_ref().as_table().ok_or_else(|| {
            self.bad(
                key,
                value.span(),
                format!("must be a table, not {}", value.get_ref().type_str()),
            )
        })
    }

    fn thresholds(
        &self,
        table: &DeTable<'_>,
        name: &str,
        into: &mut Thresholds,
        allowed: impl Fn(&GateDef) -> bool,
    ) -> Result<(), ConfigError> {
        let valid: Vec<&str> = GATES.iter().filter(|g| allowed(g)).map(|g| g.key).collect();
        for (key, value) in table {
            let gate = GATES
                .iter()
                .find(|g| g.key == key.get_ref().as_ref() && allowed(g));
            let Some(gate) = gate else {
                return Err(self
                    .misplaced(key, name)
                    .unwrap_or_else(|| self.unknown(key, name, &valid)));
            };
            into.insert(gate.key, self.threshold(gate, value)?);
        }
        Ok(())
    }

    fn threshold(
        &self,
        gate: &GateDef,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<Threshold, ConfigError> {
        let v = value.get_ref();
        let bad = |problem: String| self.bad(gate.key, value.span(), problem);
        let found = v.type_str();
        if v.as_bool() == Some(false) && !matches!(gate.default, Threshold::Flag(_)) {
            return Ok(Threshold::Off);
        }
        match gate.default {
            Threshold::Count(_) => {
                let n = integer(v).ok_or_else(|| {
                    bad(format!(
                        "must be a whole number, or false to turn the gate off, not {found}"
                    ))
                })?;
                u64::try_from(n)
                    .map(Threshold::Count)
                    .map_err(|_| bad("must not be negative".to_owned()))
            }
            Threshold::Number(_) => {
                let x = number(v).ok_or_else(|| {
                    bad(format!(
                        "must be a number, or false to turn the gate off, not {found}"
                    ))
                })?;
                in_range(x, gate.unit == "%")
                    .map(Threshold::Number)
                    .map_err(bad)
            }
            Threshold::Flag(_) => v
                .as_bool()
                .map(Threshold::Flag)
                .ok_or_else(|| bad(format!("must be true or false, not {found}"))),
            Threshold::Off => Ok(Threshold::Off),
        }
    }

    fn strings(&self, key: &str, value: &Spanned<DeValue<'_>>) -> Result<Vec<String>, ConfigError> {
        let not_list = || {
            self.bad(
                key,
                value.span(),
                "must be a list of strings, like [\"tests/**\"]",
            )
        };
        let items = value.get_ref().as_array().ok_or_else(not_list)?;
        items
            .iter()
            .map(|item| {
                item.get_ref()
                    .as_str()
                    .map(str::to_owned)
                    .ok_or_else(not_list)
            })
            .collect()
    }

    fn overrides(&self, value: &Spanned<DeValue<'_>>) -> Result<Vec<Override>, ConfigError> {
        let not_tables = || {
            self.bad(
                "overrides",
                value.span(),
                "must be an array of tables: [[overrides]]",
            )
        };
        let items = value.get_ref().as_array().ok_or_else(not_tables)?;
        let base = self.file.parent().unwrap_or(Path::new("."));
        let mut overrides = Vec::new();
        for item in items {
            let table = item.get_ref().as_table().ok_or_else(not_tables)?;
            let mut paths = None;
            let mut thresholds = Thresholds::new();
            let mut gates = DeTable::default();
            for (key, value) in table {
                if key.get_ref() == "paths" {
                    paths = Some(self.strings("paths", value)?);
                } else {
                    gates.insert(key.clone(), value.clone());
                }
            }
            self.thresholds(&gates, "[[overrides]]", &mut thresholds, GateDef::per_path)?;
            let paths = paths.ok_or_else(|| {
                self.bad(
                    "overrides",
                    item.span(),
                    "needs `paths = [...]`, the paths it applies to",
                )
            })?;
            let matcher =
                path_matcher(base, &paths).map_err(|e| self.bad("paths", item.span(), e))?;
            overrides.push(Override {
                paths,
                matcher,
                thresholds,
            });
        }
        Ok(overrides)
    }

    fn limits(&self, value: &Spanned<DeValue<'_>>, config: &mut Config) -> Result<(), ConfigError> {
        for (key, value) in self.table("limits", value)? {
            let v = value.get_ref();
            match key.get_ref().as_ref() {
                "max_file_bytes" => {
                    let n = integer(v)
                        .and_then(|n| u64::try_from(n).ok())
                        .filter(|n| *n > 0);
                    config.limits.max_file_bytes = n.ok_or_else(|| {
                        self.bad(
                            "max_file_bytes",
                            value.span(),
                            "must be a whole number of bytes, more than 0",
                        )
                    })?;
                }
                "parse_timeout_seconds" => {
                    let x = number(v).filter(|x| *x > 0.0 && x.is_finite() && *x < 1e9);
                    let x = x.ok_or_else(|| {
                        self.bad(
                            "parse_timeout_seconds",
                            value.span(),
                            "must be a number of seconds, more than 0",
                        )
                    })?;
                    config.limits.parse_timeout = Duration::from_secs_f64(x);
                }
                _ => return Err(self.unknown(key, "[limits]", LIMITS)),
            }
        }
        Ok(())
    }
}

impl Reader<'_> {
    /// `[code_quality]`: its gate thresholds and `nested_functions`.
    fn code_quality(&self, table: &DeTable<'_>, config: &mut Config) -> Result<(), ConfigError> {
        let mut gates = DeTable::default();
        for (key, value) in table {
            if key.get_ref() == NESTED_FUNCTIONS {
                config.measure.nested_functions = self.nested_functions(value)?;
            } else {
                gates.insert(key.clone(), value.clone());
            }
        }
        let section = |g: &GateDef| g.section == Section::CodeQuality;
        for key in gates.keys() {
            if !GATES
                .iter()
                .any(|g| section(g) && g.key == key.get_ref().as_ref())
            {
                let valid: Vec<&str> = GATES
                    .iter()
                    .filter(|g| section(g))
                    .map(|g| g.key)
                    .chain([NESTED_FUNCTIONS])
                    .collect();
                return Err(self
                    .misplaced(key, "[code_quality]")
                    .unwrap_or_else(|| self.unknown(key, "[code_quality]", &valid)));
            }
        }
        self.thresholds(
            &gates,
            "[code_quality]",
            &mut config.gates.thresholds,
            section,
        )
    }

    /// `nested_functions = "separate" | "fold"`.
    fn nested_functions(
        &self,
        value: &Spanned<DeValue<'_>>,
    ) -> Result<NestedFunctions, ConfigError> {
        let v = value.get_ref();
        v.as_str()
            .and_then(NestedFunctions::from_name)
            .ok_or_else(|| {
                let allowed: Vec<String> = NestedFunctions::ALL
                    .iter()
                    .map(|(_, name)| format!("\"{name}\""))
                    .collect();
                let found = match v.as_str() {
                    Some(s) => format!("{s:?}"),
                    None => v.type_str().to_owned(),
                };
                self.bad(
                    NESTED_FUNCTIONS,
                    value.span(),
                    format!("must be {}, not {found}", allowed.join(" or ")),
                )
            })
    }

    /// `[python]`: `roots = ["src", "lib"]`, directories Python imports start from.
    fn python(&self, value: &Spanned<DeValue<'_>>) -> Result<Vec<String>, ConfigError> {
        let mut roots = Vec::new();
        for (key, value) in self.table("python", value)? {
            if key.get_ref() != "roots" {
                return Err(self.unknown(key, "[python]", PYTHON));
            }
            roots = self.strings("roots", value)?;
        }
        Ok(roots)
    }
}

/// A measurement threshold: finite, not negative, at most 100 for a percentage.
fn in_range(x: f64, percent: bool) -> Result<f64, String> {
    if x < 0.0 || !x.is_finite() || (percent && x > 100.0) {
        let range = if percent {
            "0 to 100"
        } else {
            "a finite number, 0 or more"
        };
        return Err(format!("must be {range}"));
    }
    Ok(x)
}

fn integer(v: &DeValue<'_>) -> Option<i64> {
    let n = v.as_integer()?;
    i64::from_str_radix(&n.as_str().replace('_', ""), n.radix()).ok()
}

#[expect(clippy::cast_precision_loss, reason = "config numbers are small")]
fn number(v: &DeValue<'_>) -> Option<f64> {
    if let Some(f) = v.as_float() {
        return f.as_str().replace('_', "").parse().ok();
    }
    integer(v).map(|n| n as f64)
}
