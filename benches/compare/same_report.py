#!/usr/bin/env python3
"""Compares two gatecheck JSON reports key by key, timings aside.

Prints "identical (timings aside)" or the first differences, one per line, each with its
JSON path. Usage: same_report.py BEFORE.json AFTER.json
"""
import json
import sys

LIMIT = 40
TIMINGS = ("duration_seconds", "timestamp_seconds")


def without_timings(report):
    """The report without the fields that differ from run to run."""
    report = dict(report)
    report["summary"] = {k: v for k, v in report["summary"].items() if k not in TIMINGS}
    return report


def short(value):
    return str(value)[:120]


def diff_dicts(a, b, path, out):
    for key in sorted(set(a) | set(b)):
        if key not in a or key not in b:
            out.append(f"{path}.{key}: only in {'new' if key in b else 'old'}")
        else:
            diff(a[key], b[key], f"{path}.{key}", out)


def diff_lists(a, b, path, out):
    if len(a) != len(b):
        out.append(f"{path}: len {len(a)} != {len(b)}")
    for i, (x, y) in enumerate(zip(a, b)):
        diff(x, y, f"{path}[{i}]", out)


def diff(a, b, path, out):
    """Appends to `out` the differences between `a` and `b`, at most LIMIT of them."""
    if len(out) >= LIMIT:
        return
    if type(a) is not type(b):
        out.append(f"{path}: {short(a)} != {short(b)}")
    elif isinstance(a, dict):
        diff_dicts(a, b, path, out)
    elif isinstance(a, list):
        diff_lists(a, b, path, out)
    elif a != b:
        out.append(f"{path}: {short(a)} != {short(b)}")


def main():
    with open(sys.argv[1]) as before, open(sys.argv[2]) as after:
        a, b = without_timings(json.load(before)), without_timings(json.load(after))
    out = []
    diff(a, b, "", out)
    print("\n".join(out) if out else "identical (timings aside)")


if __name__ == "__main__":
    main()
