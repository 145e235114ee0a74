//! Tests: fan-out and fan-in, strongly connected components and shortest import cycles on
//! hand-built module graphs, including 10,000-module chains and rings (the iterative Tarjan
//! must not overflow the stack) and a 50-module cycle.
#![allow(
    clippy::expect_used,
    reason = "test helpers: a failed expectation is a test failure, with its message"
)]

use gatecheck::facts::ImportKind::{Deferred, Runtime, TypeOnly};
use gatecheck::graph::cycles::{CycleEdge, cycles};
use gatecheck::graph::fan::{Fan, fans};
use gatecheck::graph::scc::components;

use crate::graph_support::{graph, ring, runtime};

fn fan(fan_out: usize, fan_in: usize) -> Fan {
    Fan { fan_out, fan_in }
}

#[test]
fn fan_out_counts_distinct_internal_modules_and_externals_only_when_asked() {
    let g = graph(&[
        (
            "app.a",
            &[
                ("app.b", 1, Runtime),
                ("app.b", 2, Deferred),
                ("app.c", 3, TypeOnly),
                ("app.a", 4, Runtime),
                ("requests", 5, Runtime),
                ("requests.adapters", 6, Runtime),
                ("os.path", 7, Runtime),
                ("?app.gone", 8, Runtime),
            ],
        ),
        ("app.b", &runtime(&["app.c"])),
        ("app.c", &[]),
    ]);
    // app.a: app.b once (two imports), app.c (type-only still a dependency), not itself, not
    // the unresolved one.
    assert_eq!(fans(&g, false), [fan(2, 0), fan(1, 1), fan(0, 2)]);
    // With externals: requests (twice, one package) and os.
    assert_eq!(fans(&g, true), [fan(4, 0), fan(1, 1), fan(0, 2)]);
}

#[test]
fn components_of_a_graph_with_two_cycles_and_a_tail() {
    // 0 -> 1 -> 2 -> 0, 2 -> 3, 3 -> 4 -> 3, 5 alone.
    let adjacency = vec![vec![1], vec![2], vec![0, 3], vec![4], vec![3], vec![]];
    assert_eq!(components(&adjacency), [vec![0, 1, 2], vec![3, 4], vec![5]]);
}

#[test]
fn a_cycle_has_its_members_and_a_shortest_path_with_lines() {
    // a -> b -> c -> a (3 long) and a -> d -> a (2 long) share a: one component {a,b,c,d};
    // the shortest cycle is a -> d -> a.
    let g = graph(&[
        ("a", &[("b", 4, Runtime), ("d", 9, Runtime)]),
        ("b", &[("c", 2, Runtime)]),
        ("c", &[("a", 7, Runtime)]),
        ("d", &[("x", 1, Runtime), ("a", 5, Runtime)]),
        ("x", &[]),
    ]);
    let found = cycles(&g, false);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].members, [0, 1, 2, 3]);
    assert_eq!(
        found[0].path,
        [
            CycleEdge {
                from: 0,
                to: 3,
                line: 9
            },
            CycleEdge {
                from: 3,
                to: 0,
                line: 5
            },
        ]
    );
}

#[test]
fn a_self_import_is_a_cycle_and_a_lone_module_is_not() {
    let g = graph(&[("a", &[("a", 3, Runtime)]), ("b", &runtime(&["a"]))]);
    let found = cycles(&g, false);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].members, [0]);
    assert_eq!(
        found[0].path,
        [CycleEdge {
            from: 0,
            to: 0,
            line: 3
        }]
    );
}

#[test]
fn type_only_imports_leave_cycles_unless_configured() {
    let g = graph(&[("a", &[("b", 1, Runtime)]), ("b", &[("a", 6, TypeOnly)])]);
    assert!(
        cycles(&g, false).is_empty(),
        "TYPE_CHECKING imports do not run"
    );
    let found = cycles(&g, true);
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].path[1],
        CycleEdge {
            from: 1,
            to: 0,
            line: 6
        }
    );
    // Deferred imports do run: they close cycles.
    let g = graph(&[("a", &[("b", 1, Runtime)]), ("b", &[("a", 6, Deferred)])]);
    assert_eq!(cycles(&g, false).len(), 1);
}

#[test]
fn cycles_are_sorted_and_deterministic() {
    let g = graph(&[
        ("p", &runtime(&["q"])),
        ("q", &runtime(&["p"])),
        ("a", &runtime(&["b"])),
        ("b", &runtime(&["a"])),
    ]);
    let first = cycles(&g, false);
    let members: Vec<_> = first.iter().map(|c| c.members.clone()).collect();
    assert_eq!(members, [vec![0, 1], vec![2, 3]]);
    assert_eq!(first, cycles(&g, false));
}

#[test]
fn a_fifty_module_cycle_is_one_component_with_the_whole_ring_as_its_path() {
    let found = cycles(&ring(50, true), false);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].members, (0..50).collect::<Vec<_>>());
    let path: Vec<(usize, usize, usize)> = found[0]
        .path
        .iter()
        .map(|e| (e.from, e.to, e.line))
        .collect();
    let expected: Vec<(usize, usize, usize)> = (0..50).map(|i| (i, (i + 1) % 50, 3)).collect();
    assert_eq!(path, expected);
}

/// Runs `f` on a thread with a 256 KiB stack: a recursive Tarjan would overflow it on 10,000
/// modules, so these tests fail if the search ever recurses per module.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .expect("spawn a thread")
        .join()
        .expect("the graph analysis did not overflow its stack")
}

#[test]
fn a_chain_of_ten_thousand_modules_has_no_cycle_and_no_stack_overflow() {
    let g = ring(10_000, false);
    let (found, f) = on_small_stack(move || (cycles(&g, false), fans(&g, false)));
    assert!(found.is_empty());
    assert_eq!(f[0], fan(1, 0));
    assert_eq!(f[9_999], fan(0, 1));
}

#[test]
fn a_ring_of_ten_thousand_modules_is_one_cycle_through_every_module() {
    let found = on_small_stack(|| cycles(&ring(10_000, true), false));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].members.len(), 10_000);
    assert_eq!(found[0].path.len(), 10_000);
    assert_eq!(
        found[0].path[0],
        CycleEdge {
            from: 0,
            to: 1,
            line: 3
        }
    );
    assert_eq!(
        found[0].path[9_999],
        CycleEdge {
            from: 9_999,
            to: 0,
            line: 3
        }
    );
}

/// A ring of `n` modules plus a chord `1000 -> 999`, which makes `999 -> 1000 -> 999` the
/// shortest cycle of the component.
fn ring_with_chord(n: usize) -> gatecheck::graph::model::ModuleGraph {
    let mut g = ring(n, true);
    g.modules[1000]
        .imports
        .push(gatecheck::graph::model::Import {
            target: "m00999".into(),
            line: 9,
            kind: Runtime,
            resolution: gatecheck::graph::model::Resolution::Internal(999),
        });
    g
}

#[test]
fn the_shortest_cycle_is_searched_from_every_member_up_to_the_documented_budget() {
    // 1,500 members x 1,501 edges is within the 4,000,000 budget: the 2-module cycle.
    let found = cycles(&ring_with_chord(1_500), false);
    assert_eq!(
        found[0].path,
        [
            CycleEdge {
                from: 999,
                to: 1000,
                line: 3
            },
            CycleEdge {
                from: 1000,
                to: 999,
                line: 9
            },
        ]
    );
    // 2,100 x 2,101 is beyond it: the shortest cycle through the first member (the ring).
    let found = cycles(&ring_with_chord(2_100), false);
    assert_eq!(found[0].members.len(), 2_100);
    assert_eq!(found[0].path.len(), 2_100);
}
