#!/usr/bin/env python3
"""Agreement of gatecheck's Rust *cyclomatic* (or cognitive) values with
rust-code-analysis (`rust-code-analysis-cli -m -O json`).

Runs rust-code-analysis-cli on the .rs files of a corpus, reads a gatecheck
JSON report for the same corpus, joins functions by (relative path, line of
the `fn` keyword, name) - closures by (relative path, line, order on that
line) because RCA names every closure `<anonymous>` - and prints how many
values agree.

RCA facts the join relies on (rust-code-analysis-cli 0.0.25, see README.md):
  * every `fn` item and every closure is its own "space" (kind "function");
    impl and trait blocks are spaces of kind "impl"/"trait".
  * the JSON never contains a space's own value: metrics.cyclomatic.sum is
    the space's own value PLUS the sums of all nested spaces (closures,
    nested fns, impls inside fns).  The own value is recovered as
    sum - sum(child.sum for direct children); --inclusive compares the sum.
  * start_line of a fn is the first line of the function_item node, which
    includes `pub`/`async`/`unsafe`/`extern` but not attributes/doc comments;
    it is moved to the line holding `fn NAME` when they differ.

Standard library + rust-code-analysis-cli only.  Options: README.md, --help.
With the gatecheck report made on the fly:
  python3 rca_agreement.py CORPUS --cmd 'gatecheck check -j 1 --format json {corpus}'
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
import agreement  # noqa: E402  (the shared module beside this script)

LANGUAGE = agreement.RUST
CLOSURE = "<closure>"


# --------------------------------------------------------------------------
# rust-code-analysis side
# --------------------------------------------------------------------------

def find_rca(explicit):
    for cand in [explicit, shutil.which("rust-code-analysis-cli"),
                 os.path.expanduser("~/.cargo/bin/rust-code-analysis-cli")]:
        if cand and os.path.exists(cand):
            return cand
    sys.exit("rust-code-analysis-cli not found (cargo install --locked rust-code-analysis-cli)")


def rca_version(exe):
    try:
        return subprocess.run([exe, "--version"], stdout=subprocess.PIPE,
                              text=True).stdout.strip()
    except Exception:
        return "rust-code-analysis-cli ?"


def fn_line(lines, start, name):
    """Line of `fn NAME` at/after RCA's start_line (which may be a `pub` line)."""
    return agreement.find_line(lines, start, r"\bfn\s+(r#)?" + re.escape(name) + r"\b", 15)


def num(v):
    return int(v) if float(v).is_integer() else v


def sums(space, kids, metric):
    """RCA's sum of `metric` for a space, and its own value (without kids)."""
    total = space["metrics"][metric]["sum"]
    return total, total - sum(k["metrics"][metric]["sum"] for k in kids)


def rca_kind(anon, parent_kind):
    if anon:
        return "closure"
    return "method" if parent_kind in ("impl", "trait") else "function"


def rca_record(space, parent_kind, depth, lines):
    """Record of one function space (fn or closure)."""
    kids = space.get("spaces", [])
    cy, own_cy = sums(space, kids, "cyclomatic")
    cg, own_cg = sums(space, kids, "cognitive")
    anon = space.get("name") == "<anonymous>"
    name = CLOSURE if anon else (space.get("name") or "?")
    line = space["start_line"] if anon else fn_line(lines, space["start_line"], name)
    return {"name": name, "line": line, "rca_start_line": space["start_line"],
            "end_line": space["end_line"], "kind": rca_kind(anon, parent_kind),
            "nested": depth > 0,
            "cyclomatic": num(own_cy), "cyclomatic_inclusive": num(cy),
            "cognitive": num(own_cg), "cognitive_inclusive": num(cg)}


def walk_spaces(space, parent_kind, depth, lines, out):
    if space.get("kind") == "function":
        out.append(rca_record(space, parent_kind, depth, lines))
        depth += 1
    for k in space.get("spaces", []):
        walk_spaces(k, space.get("kind"), depth, lines, out)


def flatten_rca(unit, lines):
    """Function records of one file from its unit space."""
    out = []
    for k in unit.get("spaces", []):
        walk_spaces(k, "unit", 0, lines, out)
    return out


def read_lines(path):
    with open(path, "rb") as fh:
        return fh.read().decode("utf-8", "replace").splitlines()


def run_rca(exe, corpus, wanted, jobs):
    """Run RCA on the corpus directory (only *.rs) and keep the files in
    `wanted`.  Returns {relpath: [record]}."""
    cmd = [exe, "-m", "-O", "json", "-p", corpus, "-I", "*.rs", "-j", str(jobs)]
    print("# running: " + " ".join(cmd), file=sys.stderr)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
    wanted = set(wanted)
    funcs = {}
    for raw in proc.stdout:
        raw = raw.strip()
        if not raw:
            continue
        unit = json.loads(raw)
        rel = agreement.norm_rel(os.path.relpath(unit["name"], corpus))
        if rel in wanted:
            funcs[rel] = flatten_rca(unit, read_lines(os.path.join(corpus, rel)))
    if proc.wait() != 0:
        sys.exit(f"rust-code-analysis-cli failed with exit code {proc.returncode}")
    return funcs


def make_fake_report(corpus, theirs):
    report = agreement.new_report(corpus)
    for rel, recs in sorted(theirs.items()):
        funcs = [{"name": r["name"] if r["kind"] != "closure" else "{closure}",
                  "qualified_name": "", "kind": r["kind"], "start_line": r["line"],
                  "end_line": r["end_line"], "cyclomatic": r["cyclomatic"],
                  "cognitive": r["cognitive"]} for r in recs]
        report["files"].append({"path": rel, "language": LANGUAGE.name, "functions": funcs})
    return report


# --------------------------------------------------------------------------
# join keys
# --------------------------------------------------------------------------

def is_closure(f):
    return f.get("kind") in ("closure", "lambda")


def position(f):
    return (f["start_line"], f.get("start_col", 0))


def index_ours(ours_files, no_closures):
    """gatecheck functions by (path, line, name); closures named CLOSURE and
    kept in column order on their line."""
    ours = {}
    for rel, funcs in ours_files.items():
        agreement.annotate_nesting(funcs)
        for f in sorted(funcs, key=position):
            if is_closure(f) and no_closures:
                continue
            key = (rel, f["start_line"], CLOSURE if is_closure(f) else f["name"])
            ours.setdefault(key, []).append(f)
    return ours


def index_theirs(theirs_files, no_closures):
    return agreement.index_records(theirs_files, "line",
                                   keep=lambda r: not (r["kind"] == "closure" and no_closures))


def print_file_stats(ours_files, theirs_files, theirs):
    ambiguous = sum(1 for k, v in theirs.items() if k[2] == CLOSURE and len(v) > 1)
    print(f"files: ours={len(ours_files)} rca={len(theirs_files)} "
          f"only-ours={len(set(ours_files) - set(theirs_files))} "
          f"only-rca={len(set(theirs_files) - set(ours_files))}")
    print(f"lines with >1 closure (paired in order, may mis-pair): {ambiguous}")


# --------------------------------------------------------------------------
# values and categories
# --------------------------------------------------------------------------

def category(a):
    ch = a.get("_children", [])
    base = "closure" if is_closure(a) else a.get("kind", "?")
    return f"{base} ({'contains nested fn/closure' if ch else 'no nested fn/closure'})"


def rca_rules(metric, inclusive):
    key = metric + ("_inclusive" if inclusive else "")
    return agreement.Rules(lambda a: a.get(metric), lambda b: b[key], category=category,
                           describe_ours=lambda a: str(a.get("kind")),
                           describe_theirs=lambda b: b["kind"] + ("/nested" if b["nested"] else ""))


# --------------------------------------------------------------------------

def parse_args():
    ap = agreement.new_parser(
        LANGUAGE,
        description="Compare gatecheck complexity of Rust functions with rust-code-analysis.",
        epilog="Join key: (relative path, line of `fn`, name); closures (gatecheck kind "
               "closure/lambda) by (relative path, line, order on the line).",
        self_test_help="build a fake gatecheck report from RCA's own output and join it "
                       "(must give 100%%)")
    ap.add_argument("--metric", choices=["cyclomatic", "cognitive"], default="cyclomatic")
    ap.add_argument("--inclusive", action="store_true",
                    help="compare with RCA's sum (own value + all nested closures/fns) instead "
                         "of the function's own value")
    ap.add_argument("--no-closures", action="store_true", help="compare named fns only")
    agreement.add_files_arg(ap, "compare every .rs file of the corpus (default) or only report "
                                "files")
    ap.add_argument("--rca", metavar="EXE", help="path of rust-code-analysis-cli")
    ap.add_argument("--jobs", type=int, default=2,
                    help="value for RCA's -j (RCA uses max(2,j)-1 worker threads; "
                         "default 2 = 1 worker)")
    agreement.add_output_args(ap)
    return agreement.parse_args(ap)


def main():
    args = parse_args()
    exe = find_rca(args.rca)
    sel = agreement.select_files(args, LANGUAGE)
    theirs_files = run_rca(exe, sel.corpus, sel.files, args.jobs)
    for rel in sel.files:  # RCA silently skips files of <= 3 bytes or non-UTF-8 heads
        theirs_files.setdefault(rel, [])
    ours_files = sel.ours_files
    if args.self_test:
        report = make_fake_report(sel.corpus, theirs_files)
        ours_files = agreement.fake_entries(args, report, sel.corpus, LANGUAGE)

    theirs = index_theirs(theirs_files, args.no_closures)
    join = agreement.pair_up(index_ours(ours_files, args.no_closures), theirs)
    print_file_stats(ours_files, theirs_files, theirs)
    ok = agreement.print_summary(f"{rca_version(exe)} vs gatecheck {args.metric}"
                                 + (" (RCA inclusive sum)" if args.inclusive
                                    else " (RCA own value)"),
                                 join, rca_rules(args.metric, args.inclusive),
                                 agreement.Output.from_args(args))
    if args.self_test:
        return agreement.self_test_result(ok, join)
    return 0


if __name__ == "__main__":
    sys.exit(main())
