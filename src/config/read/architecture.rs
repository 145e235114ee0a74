//! Reads `[architecture]`: its gate thresholds, its options (`count_external`,
//! `type_only_in_cycles`, `min_methods_for_cohesion`) and its rule tables
//! (`[[architecture.layers]]`, `[[architecture.forbid]]`), with the same error quality as the
//! rest of the file: every error names the line, an unknown key gets the closest valid one.

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Reader, integer};
use crate::config::{Config, ConfigError};
use crate::graph::settings::{ForbidRule, LayerRule};
use crate::registry::{GATES, Section};

/// `[architecture]` keys that are not gate thresholds.
const OPTIONS: &[&str] = &[
    "count_external",
    "type_only_in_cycles",
    "min_methods_for_cohesion",
    "layers",
    "forbid",
];
const TABLE: &str = "[architecture]";

type Key<'a> = Spanned<std::borrow::Cow<'a, str>>;

impl Reader<'_> {
    /// The `[architecture]` table.
    pub(super) fn architecture(
        &self,
        table: &DeTable<'_>,
        config: &mut Config,
    ) -> Result<(), ConfigError> {
        let mut gates = DeTable::default();
        for (key, value) in table {
            if !self.architecture_option(key, value, config)? {
                gates.insert(key.clone(), value.clone());
            }
        }
        for key in gates.keys() {
            self.known_architecture_key(key)?;
        }
        self.thresholds(&gates, TABLE, &mut config.gates.thresholds, |g| {
            g.section == Section::Architecture && g.configurable()
        })
    }

    /// A gate key of another table is misplaced; anything else unknown gets the closest of
    /// every `[architecture]` key.
    fn known_architecture_key(&self, key: &Key<'_>) -> Result<(), ConfigError> {
        let gate = GATES.iter().find(|g| g.key == key.get_ref().as_ref());
        match gate {
            Some(g) if g.section == Section::Architecture && g.configurable() => Ok(()),
            Some(g) if g.section == Section::Architecture => Err(self.bad(
                g.key,
                key.span(),
                "is checked against the [[architecture.layers]] / [[architecture.forbid]] \
                 rules and has no threshold; write those rules instead",
            )),
            Some(_) => Err(self
                .misplaced(key, TABLE)
                .unwrap_or_else(|| self.unknown(key, TABLE, &[]))),
            None => {
                let valid: Vec<&str> = GATES
                    .iter()
                    .filter(|g| g.section == Section::Architecture && g.configurable())
                    .map(|g| g.key)
                    .chain(OPTIONS.iter().copied())
                    .collect();
                Err(self.unknown(key, TABLE, &valid))
            }
        }
    }

    /// Reads `key` if it is one of [`OPTIONS`]; `Ok(false)` for any other key.
    fn architecture_option(
        &self,
        key: &Key<'_>,
        value: &Spanned<DeValue<'_>>,
        config: &mut Config,
    ) -> Result<bool, ConfigError> {
        let settings = &mut config.architecture;
        let name = key.get_ref().as_ref();
        let read = match name {
            "count_external" => self.flag(name, value).map(|v| settings.count_external = v),
            "type_only_in_cycles" => self
                .flag(name, value)
                .map(|v| settings.type_only_in_cycles = v),
            "min_methods_for_cohesion" => self
                .min_methods(value)
                .map(|v| settings.min_methods_for_cohesion = v),
            "layers" => self
                .rules(value, name, |item, table| self.layer_rule(item, table))
                .map(|v| settings.layers = v),
            "forbid" => self
                .rules(value, name, |item, table| self.forbid_rule(item, table))
                .map(|v| settings.forbid = v),
            _ => return Ok(false),
        };
        read.map(|()| true)
    }

    fn min_methods(&self, value: &Spanned<DeValue<'_>>) -> Result<usize, ConfigError> {
        integer(value.get_ref())
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| *n >= 1)
            .ok_or_else(|| {
                self.bad(
                    "min_methods_for_cohesion",
                    value.span(),
                    "must be a whole number of methods, 1 or more",
                )
            })
    }

    fn flag(&self, key: &str, value: &Spanned<DeValue<'_>>) -> Result<bool, ConfigError> {
        value.get_ref().as_bool().ok_or_else(|| {
            self.bad(
                key,
                value.span(),
                format!("must be true or false, not {}", value.get_ref().type_str()),
            )
        })
    }

    /// An array of tables `[[architecture.NAME]]`, each read by `read`.
    fn rules<T>(
        &self,
        value: &Spanned<DeValue<'_>>,
        name: &str,
        read: impl Fn(&Spanned<DeValue<'_>>, &DeTable<'_>) -> Result<T, ConfigError>,
    ) -> Result<Vec<T>, ConfigError> {
        let not_tables = || {
            self.bad(
                name,
                value.span(),
                format!("must be an array of tables: [[architecture.{name}]]"),
            )
        };
        let items = value.get_ref().as_array().ok_or_else(not_tables)?;
        items
            .iter()
            .map(|item| read(item, item.get_ref().as_table().ok_or_else(not_tables)?))
            .collect()
    }

    fn layer_rule(
        &self,
        item: &Spanned<DeValue<'_>>,
        table: &DeTable<'_>,
    ) -> Result<LayerRule, ConfigError> {
        let mut order = None;
        for (key, value) in table {
            match key.get_ref().as_ref() {
                "order" => order = Some(self.names("order", value)?),
                _ => return Err(self.unknown(key, "[[architecture.layers]]", &["order"])),
            }
        }
        let order = order.filter(|o| o.len() >= 2).ok_or_else(|| {
            self.bad(
                "layers",
                item.span(),
                "needs `order = [\"high\", \"low\", ...]`: two or more module names, highest \
                 layer first",
            )
        })?;
        Ok(LayerRule { order })
    }

    fn forbid_rule(
        &self,
        item: &Spanned<DeValue<'_>>,
        table: &DeTable<'_>,
    ) -> Result<ForbidRule, ConfigError> {
        let (mut from, mut to) = (None, None);
        for (key, value) in table {
            match key.get_ref().as_ref() {
                "from" => from = Some(self.name("from", value)?),
                "to" => to = Some(self.names("to", value)?),
                _ => return Err(self.unknown(key, "[[architecture.forbid]]", &["from", "to"])),
            }
        }
        let missing = |what: &str| {
            self.bad(
                "forbid",
                item.span(),
                format!(
                    "needs {what}, like from = \"app.domain\", to = [\"app.web\", \"requests\"]"
                ),
            )
        };
        Ok(ForbidRule {
            from: from.ok_or_else(|| missing("`from`"))?,
            to: to.ok_or_else(|| missing("`to`"))?,
        })
    }

    /// A module or package name: a non-empty string without spaces.
    fn name(&self, key: &str, value: &Spanned<DeValue<'_>>) -> Result<String, ConfigError> {
        value
            .get_ref()
            .as_str()
            .filter(|s| !s.is_empty() && !s.contains(char::is_whitespace))
            .map(str::to_owned)
            .ok_or_else(|| {
                self.bad(
                    key,
                    value.span(),
                    "must be a module or package name, like \"app.web\" or \"requests\"",
                )
            })
    }

    /// A non-empty list of module or package names.
    fn names(&self, key: &str, value: &Spanned<DeValue<'_>>) -> Result<Vec<String>, ConfigError> {
        let names = self.strings(key, value)?;
        let bad = names.is_empty() || names.iter().any(|s| s.is_empty() || s.contains(' '));
        if bad {
            return Err(self.bad(
                key,
                value.span(),
                "must be a non-empty list of module or package names, like [\"app.web\"]",
            ));
        }
        Ok(names)
    }
}
