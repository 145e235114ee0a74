//! One finding of the text report and the words it is shown with: the figure labelled and in
//! its unit (`complexity 14 > 10`, `coverage 61.5% < 80%`), a cycle with its size, a class of
//! low cohesion with its first method groups and `+N more`.

use super::layout::{fit, visible};
use crate::registry::{self, ArchitectureGate, Measure};
use crate::report::{ThresholdValue, ViolationEntry};

/// Method groups of a class of low cohesion shown before `+N more`.
const GROUPS_SHOWN: usize = 3;

/// An unsuppressed violation with its gate.
pub(super) struct Finding<'a> {
    /// The gate's key.
    pub(super) gate: &'static str,
    /// The gate's position in the registry (for `--group-by gate`).
    pub(super) order: usize,
    /// The violation.
    pub(super) violation: &'a ViolationEntry,
}

impl Finding<'_> {
    /// How far beyond its threshold (see [`ViolationEntry::excess`]).
    pub(super) fn excess(&self) -> f64 {
        self.violation.excess(self.gate)
    }
}

/// The message of `v`, a violation of `gate`, cut to `room` characters when given: the
/// item's name is shortened (in its middle), the figure never.
pub(super) fn message(gate: &str, v: &ViolationEntry, room: Option<usize>) -> String {
    let def = registry::gate(gate);
    let (name, detail) = match (&v.threshold, def.map(|d| d.measure)) {
        (_, Some(Measure::Architecture(ArchitectureGate::Cycles))) => {
            (v.item.clone(), format!("cycle of {} modules", v.value))
        }
        (_, Some(Measure::Architecture(ArchitectureGate::Cohesion))) => cohesion(v),
        (_, Some(Measure::Architecture(ArchitectureGate::Layers | ArchitectureGate::Forbid))) => {
            (v.item.clone(), String::new())
        }
        (ThresholdValue::Flag(_) | ThresholdValue::Off, _) => {
            (v.item.clone(), format!("({})", v.value))
        }
        (_, _) => figure(def, v),
    };
    join(&visible(&name), &detail, room)
}

/// `name: detail`, the name cut to leave the detail whole within `room`.
fn join(name: &str, detail: &str, room: Option<usize>) -> String {
    if name.is_empty() {
        return fit(detail, room);
    }
    if detail.is_empty() {
        return fit(name, room);
    }
    let whole = format!("{name}: {detail}");
    match room {
        // Room for the figure and a recognisable part of the name: shorten the name only.
        Some(room) if room >= detail.chars().count() + 2 + 5 => {
            let left = room - detail.chars().count() - 2;
            format!("{}: {detail}", fit(name, Some(left)))
        }
        room => fit(&whole, room),
    }
}

/// (item, `label value > limit`), in the gate's unit; a file-level finding leaves out the item
/// (its path already starts the line).
fn figure(def: Option<&registry::GateDef>, v: &ViolationEntry) -> (String, String) {
    let (label, unit, symbol) = def.map_or(("", "", ">"), |d| {
        (d.label, d.unit, d.bound.violated_symbol())
    });
    let unit = match unit {
        "%" => "%",
        "s" => " s",
        "MB" => " MB",
        _ => "",
    };
    let measure = format!("{label} {}{unit} {symbol} {}{unit}", v.value, v.threshold);
    let measure = measure.trim_start().to_owned();
    if v.item == v.path {
        (String::new(), measure)
    } else {
        (v.item.clone(), measure)
    }
}

/// (`Class`, `LCOM4 3, groups: a, b | c | d (+5 more)`) from `Class (groups: a, b | c | ...)`.
fn cohesion(v: &ViolationEntry) -> (String, String) {
    let Some((class, groups)) = v.item.split_once(" (groups: ") else {
        return (v.item.clone(), format!("LCOM4 {}", v.value));
    };
    let groups: Vec<&str> = groups.trim_end_matches(')').split(" | ").collect();
    let shown = groups[..groups.len().min(GROUPS_SHOWN)].join(" | ");
    let more = groups.len().saturating_sub(GROUPS_SHOWN);
    let more = if more > 0 {
        format!(" (+{more} more)")
    } else {
        String::new()
    };
    (
        class.to_owned(),
        format!("LCOM4 {}, groups: {shown}{more}", v.value),
    )
}
