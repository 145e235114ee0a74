//! Reads the keys of `[performance]` that are not gate thresholds: `[[performance.startup]]`,
//! `[[performance.response]]`, `history`, `baseline_runs` and `history_runs`, with the same errors (file, line,
//! key, closest valid key) as the rest of the configuration.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Reader, integer, number};
use crate::config::perf::{
    DEFAULT_NOISE_THRESHOLD, DEFAULT_READY_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, DEFAULT_REQUESTS,
    DEFAULT_RUNS, DEFAULT_TIMEOUT, DEFAULT_WARMUP, PerfConfig, ResponseTarget, StartupTarget,
};
use crate::config::{Config, ConfigError};
use crate::registry::{GATES, Section, gate};

/// Keys of `[performance]` besides the gate thresholds.
pub(super) const KEYS: &[&str] = &[
    "startup",
    "response",
    "history",
    "baseline_runs",
    "history_runs",
];

const STARTUP_KEYS: &[&str] = &[
    "name",
    "command",
    "runs",
    "warmup",
    "timeout_seconds",
    "noise_threshold_percent",
];

const RESPONSE_KEYS: &[&str] = &[
    "name",
    "url",
    "server",
    "requests",
    "warmup",
    "ready_timeout_seconds",
    "request_timeout_seconds",
    "noise_threshold_percent",
];

type Value<'t, 'i> = &'t Spanned<DeValue<'i>>;
type Fields<'t, 'i> = BTreeMap<String, Value<'t, 'i>>;

impl Reader<'_> {
    /// Reads `key` of `[performance]` into `perf` when it is one of [`KEYS`].
    pub(super) fn performance_key(
        &self,
        key: &str,
        value: Value<'_, '_>,
        perf: &mut PerfConfig,
    ) -> Result<(), ConfigError> {
        match key {
            "startup" => {
                perf.startup = self.entries(value, "startup", |r, i| r.startup(i))?;
            }
            "response" => {
                perf.response = self.entries(value, "response", |r, i| r.response(i))?;
            }
            _ => self.history_key(key, value, perf)?,
        }
        self.unique_names(perf)
    }

    /// `history`, `history_runs` or `baseline_runs`.
    fn history_key(
        &self,
        key: &str,
        value: Value<'_, '_>,
        perf: &mut PerfConfig,
    ) -> Result<(), ConfigError> {
        match key {
            "history" => perf.history = Some(PathBuf::from(self.text("history", value)?)),
            "history_runs" => perf.history_runs = self.count("history_runs", value, 10)?,
            _ => perf.baseline_runs = self.count("baseline_runs", value, 1)?,
        }
        Ok(())
    }

    /// Target names are keys of the history and labels of metrics: one name, one target.
    fn unique_names(&self, perf: &PerfConfig) -> Result<(), ConfigError> {
        let mut seen = BTreeMap::new();
        let names = perf.startup.iter().map(|t| (&t.name, t.line));
        for (name, line) in names.chain(perf.response.iter().map(|t| (&t.name, t.line))) {
            if let Some(first) = seen.insert(name, line) {
                return Err(ConfigError::BadValue {
                    path: self.file.to_path_buf(),
                    line,
                    key: "name".to_owned(),
                    problem: format!(
                        "`{name}` is already the name of the target on line {first}; give \
                         each performance target its own name"
                    ),
                });
            }
        }
        Ok(())
    }

    /// Each table of an array of tables `[[performance.<kind>]]`, read by `read`.
    fn entries<T>(
        &self,
        value: Value<'_, '_>,
        kind: &str,
        read: impl Fn(&Self, Value<'_, '_>) -> Result<T, ConfigError>,
    ) -> Result<Vec<T>, ConfigError> {
        let items = value.get_ref().as_array().ok_or_else(|| {
            self.bad(
                kind,
                value.span(),
                format!("must be an array of tables: [[performance.{kind}]]"),
            )
        })?;
        items.iter().map(|item| read(self, item)).collect()
    }

    /// The keys of one entry, each checked against `valid`.
    fn fields<'t, 'i>(
        &self,
        item: Value<'t, 'i>,
        table: &str,
        valid: &[&str],
    ) -> Result<Fields<'t, 'i>, ConfigError> {
        let entry = item
            .get_ref()
            .as_table()
            .ok_or_else(|| self.bad(table, item.span(), format!("must be a table: {table}")))?;
        let mut fields = Fields::new();
        for (key, value) in entry {
            if !valid.contains(&key.get_ref().as_ref()) {
                return Err(self.unknown(key, table, valid));
            }
            fields.insert(key.get_ref().to_string(), value);
        }
        Ok(fields)
    }

    fn startup(&self, item: Value<'_, '_>) -> Result<StartupTarget, ConfigError> {
        let table = "[[performance.startup]]";
        let f = self.fields(item, table, STARTUP_KEYS)?;
        let need = |key: &str, what: &str| self.missing(item, table, key, what);
        Ok(StartupTarget {
            name: self
                .target_name(f.get("name").copied())?
                .ok_or_else(|| need("name", "\"cli\""))?,
            command: self
                .maybe(&f, "command", command)?
                .ok_or_else(|| need("command", "[\"python\", \"-c\", \"import app\"]"))?,
            runs: self.or(&f, "runs", DEFAULT_RUNS, |r, k, v| r.count(k, v, 1))?,
            warmup: self.or(&f, "warmup", DEFAULT_WARMUP, |r, k, v| r.count(k, v, 0))?,
            timeout: self.or(&f, "timeout_seconds", DEFAULT_TIMEOUT, seconds)?,
            noise_threshold: self.or(
                &f,
                "noise_threshold_percent",
                DEFAULT_NOISE_THRESHOLD,
                noise,
            )?,
            line: self.line(item.span()),
        })
    }

    fn response(&self, item: Value<'_, '_>) -> Result<ResponseTarget, ConfigError> {
        let table = "[[performance.response]]";
        let f = self.fields(item, table, RESPONSE_KEYS)?;
        let need = |key: &str, what: &str| self.missing(item, table, key, what);
        let name = self.target_name(f.get("name").copied())?;
        let url = self.maybe(&f, "url", Self::url)?;
        Ok(ResponseTarget {
            name: name.ok_or_else(|| need("name", "\"health\""))?,
            url: url.ok_or_else(|| need("url", "\"http://127.0.0.1:8000/health\""))?,
            server: self.maybe(&f, "server", command)?,
            line: self.line(item.span()),
            ..self.response_settings(&f)?
        })
    }

    /// The settings of a response target, with an empty name and URL.
    fn response_settings(&self, f: &Fields<'_, '_>) -> Result<ResponseTarget, ConfigError> {
        Ok(ResponseTarget {
            name: String::new(),
            url: String::new(),
            server: None,
            requests: self.or(f, "requests", DEFAULT_REQUESTS, |r, k, v| r.count(k, v, 1))?,
            warmup: self.or(f, "warmup", DEFAULT_WARMUP, |r, k, v| r.count(k, v, 0))?,
            ready_timeout: self.or(f, "ready_timeout_seconds", DEFAULT_READY_TIMEOUT, seconds)?,
            request_timeout: self.or(
                f,
                "request_timeout_seconds",
                DEFAULT_REQUEST_TIMEOUT,
                seconds,
            )?,
            noise_threshold: self.or(
                f,
                "noise_threshold_percent",
                DEFAULT_NOISE_THRESHOLD,
                noise,
            )?,
            line: 0,
        })
    }

    fn missing(&self, item: Value<'_, '_>, table: &str, key: &str, example: &str) -> ConfigError {
        self.bad(
            table,
            item.span(),
            format!("needs `{key}`, for example `{key} = {example}`"),
        )
    }

    /// The value of `key` read by `read`, when present.
    fn maybe<T>(
        &self,
        fields: &Fields<'_, '_>,
        key: &str,
        read: fn(&Self, &str, Value<'_, '_>) -> Result<T, ConfigError>,
    ) -> Result<Option<T>, ConfigError> {
        fields.get(key).map(|v| read(self, key, v)).transpose()
    }

    /// The value of `key` read by `read`, or `default`.
    fn or<T>(
        &self,
        fields: &Fields<'_, '_>,
        key: &str,
        default: T,
        read: impl Fn(&Self, &str, Value<'_, '_>) -> Result<T, ConfigError>,
    ) -> Result<T, ConfigError> {
        Ok(match fields.get(key) {
            Some(v) => read(self, key, v)?,
            None => default,
        })
    }

    fn target_name(&self, value: Option<Value<'_, '_>>) -> Result<Option<String>, ConfigError> {
        let Some(value) = value else { return Ok(None) };
        let name = self.text("name", value)?;
        if name.trim().is_empty() || name.chars().any(char::is_control) {
            return Err(self.bad(
                "name",
                value.span(),
                "must be a non-empty name without control characters",
            ));
        }
        Ok(Some(name))
    }

    fn text(&self, key: &str, value: Value<'_, '_>) -> Result<String, ConfigError> {
        let found = value.get_ref().type_str();
        value
            .get_ref()
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| self.bad(key, value.span(), format!("must be a string, not {found}")))
    }

    fn url(&self, key: &str, value: Value<'_, '_>) -> Result<String, ConfigError> {
        let url = self.text(key, value)?;
        if !url.starts_with("http://") || url.len() <= "http://".len() {
            return Err(self.bad(
                key,
                value.span(),
                format!("must be an http:// URL, not `{url}` (gatecheck probes local servers over plain HTTP)"),
            ));
        }
        Ok(url)
    }

    fn count(&self, key: &str, value: Value<'_, '_>, min: usize) -> Result<usize, ConfigError> {
        integer(value.get_ref())
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n >= min && *n <= 1_000_000)
            .ok_or_else(|| {
                let found = value.get_ref().type_str();
                self.bad(
                    key,
                    value.span(),
                    format!("must be a whole number from {min} to 1000000, not {found}"),
                )
            })
    }
}

impl Reader<'_> {
    /// The whole `[performance]` table: targets and settings here, thresholds through the
    /// registry like every other section.
    pub(super) fn performance(
        &self,
        table: &DeTable<'_>,
        config: &mut Config,
    ) -> Result<(), ConfigError> {
        let mut valid: Vec<&str> = GATES
            .iter()
            .filter(|g| g.section == Section::Performance)
            .map(|g| g.key)
            .collect();
        valid.extend(KEYS);
        let mut gates = DeTable::default();
        for (key, value) in table {
            let name = key.get_ref().as_ref();
            if KEYS.contains(&name) {
                self.performance_key(name, value, &mut config.perf)?;
            } else if gate(name).is_some() {
                gates.insert(key.clone(), value.clone());
            } else {
                return Err(self.unknown(key, "[performance]", &valid));
            }
        }
        self.thresholds(&gates, "[performance]", &mut config.gates.thresholds, |g| {
            g.section == Section::Performance
        })
    }
}

fn command(r: &Reader<'_>, key: &str, value: Value<'_, '_>) -> Result<Vec<String>, ConfigError> {
    let command = r.strings(key, value)?;
    if command.first().is_none_or(String::is_empty) {
        return Err(r.bad(
            key,
            value.span(),
            "must name a program first, like [\"python\", \"-m\", \"app\"] (no shell is used)",
        ));
    }
    Ok(command)
}

fn seconds(r: &Reader<'_>, key: &str, value: Value<'_, '_>) -> Result<Duration, ConfigError> {
    number(value.get_ref())
        .filter(|x| *x > 0.0 && *x < 1e7)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            r.bad(
                key,
                value.span(),
                "must be a number of seconds, more than 0",
            )
        })
}

/// `noise_threshold_percent` as a fraction.
fn noise(r: &Reader<'_>, key: &str, value: Value<'_, '_>) -> Result<f64, ConfigError> {
    number(value.get_ref())
        .filter(|x| (0.0..=100.0).contains(x))
        .map(|x| x / 100.0)
        .ok_or_else(|| {
            r.bad(
                key,
                value.span(),
                "must be a percentage from 0 to 100, like 5",
            )
        })
}
