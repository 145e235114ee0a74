#!/usr/bin/env python3
"""Compares gatecheck's Python import graph and cycles with grimp's (an independent tool).

Usage: cycles_agreement.py SOURCE_DIR PACKAGE --report REPORT.json

REPORT.json is `gatecheck check --format json -o REPORT.json SOURCE_DIR/PACKAGE`. grimp
(`pip install grimp networkx`) builds its own graph of PACKAGE from SOURCE_DIR, leaving out
imports under `if TYPE_CHECKING:` as gatecheck's cycle detection does by default. The script
prints the edges only one tool has and the strongly connected components (cycles) of both.
"""

import argparse
import json
import sys

import grimp
import networkx as nx


def grimp_edges(source_dir, package):
    sys.path.insert(0, source_dir)
    graph = grimp.build_graph(
        package, include_external_packages=False, exclude_type_checking_imports=True
    )
    edges = set()
    for module in graph.modules:
        for target in graph.find_modules_directly_imported_by(module):
            edges.add((module, target))
    return set(graph.modules), edges


def counted_imports(report):
    """(module, target) for every resolved import that is not type-only."""
    for module in report["modules"]:
        for imp in module["imports"]:
            if imp.get("kind") != "type_only" and imp.get("resolved"):
                yield module["name"], imp["target"]


def gatecheck_edges(report, package):
    names = {m["name"] for m in report["modules"]}

    def inside(name):
        return name == package or name.startswith(package + ".")

    edges = {
        (source, target)
        for source, target in counted_imports(report)
        if target in names and target != source and inside(source) and inside(target)
    }
    return {n for n in names if inside(n)}, edges


def components(edges):
    graph = nx.DiGraph()
    graph.add_edges_from(edges)
    return sorted(
        (sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1),
        key=lambda c: (-len(c), c),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("source_dir")
    parser.add_argument("package")
    parser.add_argument("--report", required=True)
    args = parser.parse_args()
    with open(args.report, encoding="utf-8") as f:
        report = json.load(f)
    g_modules, g_edges = grimp_edges(args.source_dir, args.package)
    c_modules, c_edges = gatecheck_edges(report, args.package)
    print(f"modules: grimp {len(g_modules)}, gatecheck {len(c_modules)}")
    print(f"edges: grimp {len(g_edges)}, gatecheck {len(c_edges)}, both {len(g_edges & c_edges)}")
    for title, diff in (("only grimp", g_edges - c_edges), ("only gatecheck", c_edges - g_edges)):
        print(f"{title}: {len(diff)}")
        for a, b in sorted(diff)[:40]:
            print(f"  {a} -> {b}")
    g_sccs, c_sccs = components(g_edges), components(c_edges)
    reported = sorted(
        (sorted(c["modules"]) for c in report.get("cycles", [])), key=lambda c: (-len(c), c)
    )
    print(f"cycles (SCCs): grimp {len(g_sccs)} {[len(c) for c in g_sccs]}")
    print(f"cycles (SCCs) of gatecheck's edges: {len(c_sccs)} {[len(c) for c in c_sccs]}")
    print(f"cycles gatecheck reports: {len(reported)} {[len(c) for c in reported]}")
    same = [c for c in g_sccs if c in reported]
    print(f"identical components: {len(same)} of {len(g_sccs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
