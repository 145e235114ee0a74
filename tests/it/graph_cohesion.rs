//! Tests: LCOM4 (Hitz & Montazeri) on hand-built class facts: a cohesive class (1), a class of
//! two unrelated halves (2), and a Rust impl with a field-less helper (2 unless something calls
//! it through `self`).

use gatecheck::graph::cohesion::cohesion;

use crate::graph_support::{class, method};

fn groups(list: &[&[&str]]) -> Vec<Vec<String>> {
    list.iter()
        .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
        .collect()
}

#[test]
fn a_cohesive_class_is_one_component() {
    // __init__ ties balance and owner together; _check is reached through a self call.
    let account = class(
        "bank.Account",
        1,
        vec![
            method("__init__", 2, &["balance", "owner"], &[]),
            method("deposit", 6, &["balance"], &[]),
            method("withdraw", 9, &["balance"], &["_check"]),
            method("_check", 13, &["limit"], &[]),
            method("owner_name", 16, &["owner"], &[]),
        ],
    );
    let c = cohesion(&account);
    assert_eq!(c.lcom4, 1);
    assert_eq!(
        c.groups,
        groups(&[&["__init__", "deposit", "withdraw", "_check", "owner_name"]])
    );
}

#[test]
fn two_unrelated_halves_are_two_components_named_in_line_order() {
    let report = class(
        "app.Report",
        1,
        vec![
            method("render", 10, &["template"], &[]),
            method("load", 2, &["rows"], &[]),
            method("send", 14, &["mail"], &["render"]),
            method("filter", 6, &["rows"], &["missing_method"]),
        ],
    );
    let c = cohesion(&report);
    assert_eq!(c.lcom4, 2);
    assert_eq!(
        c.groups,
        groups(&[&["load", "filter"], &["render", "send"]])
    );
}

/// A Rust `impl Stack` whose `describe` touches no field: nothing connects it to the methods
/// that share `items`, so it is a component of its own and LCOM4 is 2; Hitz & Montazeri count
/// every method, and such a helper belongs to the type by name only. Once a method calls it
/// through `self`, the class is cohesive again.
#[test]
fn a_rust_impl_with_a_field_less_helper() {
    let mut stack = class(
        "stack::Stack",
        5,
        vec![
            method("push", 6, &["items"], &[]),
            method("pop", 9, &["items"], &[]),
            method("len", 12, &["items"], &[]),
            method("describe", 15, &[], &[]),
        ],
    );
    let c = cohesion(&stack);
    assert_eq!(c.lcom4, 2);
    assert_eq!(c.groups, groups(&[&["push", "pop", "len"], &["describe"]]));

    stack.methods[2].self_calls = vec!["describe".to_owned()];
    assert_eq!(cohesion(&stack).lcom4, 1);
}

#[test]
fn a_getter_and_setter_of_one_name_are_one_method_and_no_methods_is_zero() {
    let c = cohesion(&class(
        "m.P",
        1,
        vec![
            method("value", 3, &[], &[]),
            method("value", 7, &["_value"], &[]),
        ],
    ));
    assert_eq!((c.lcom4, c.groups), (1, groups(&[&["value"]])));
    assert_eq!(cohesion(&class("m.Empty", 1, Vec::new())).lcom4, 0);
}
