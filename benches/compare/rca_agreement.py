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

Standard library + rust-code-analysis-cli only.  Examples:
  python3 rca_agreement.py /root/corpus/rust-vendor --report gc.json
  python3 rca_agreement.py /root/corpus/rust-vendor --cmd 'gatecheck analyze {corpus} --format json'
  python3 rca_agreement.py /root/corpus/rust-vendor --self-test
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter, defaultdict

LANG = "rust"
EXTS = (".rs",)
CLOSURE = "<closure>"


# --------------------------------------------------------------------------
# corpus / gatecheck report helpers (identical in the three scripts)
# --------------------------------------------------------------------------

def norm_rel(path):
    path = path.replace(os.sep, "/")
    while path.startswith("./"):
        path = path[2:]
    return os.path.normpath(path).replace(os.sep, "/")


def corpus_files(corpus, exts):
    """Relative paths of files with the given extensions; hidden dirs skipped."""
    out = []
    for root, dirs, files in os.walk(corpus):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if f.endswith(exts) and not f.startswith("."):
                out.append(norm_rel(os.path.relpath(os.path.join(root, f), corpus)))
    return out


def run_report_cmd(cmd, corpus, report_path):
    cmd = cmd.replace("{corpus}", corpus)
    print(f"# running: {cmd}", file=sys.stderr)
    res = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE)
    if res.returncode not in (0, 1):  # 1 may mean "threshold exceeded"
        sys.exit(f"report command failed with exit code {res.returncode}")
    if report_path:
        with open(report_path, encoding="utf-8") as fh:
            return json.load(fh)
    return json.loads(res.stdout.decode("utf-8"))


def load_report(args):
    if args.cmd:
        return run_report_cmd(args.cmd, os.path.abspath(args.corpus), args.report)
    with open(args.report, encoding="utf-8") as fh:
        return json.load(fh)


def report_entries(report, corpus, lang, exts):
    """{relpath: [function dict, ...]} for the files of one language."""
    corpus = os.path.abspath(corpus)
    root = report.get("root") or corpus
    out = {}
    for f in report.get("files", []):
        p = f.get("path", "")
        language = (f.get("language") or "").lower()
        if language and language != lang:
            continue
        if not language and not p.endswith(exts):
            continue
        if os.path.isabs(p):
            rel = os.path.relpath(p, corpus)
        elif os.path.isabs(root) and os.path.abspath(root) != corpus:
            rel = os.path.relpath(os.path.join(root, p), corpus)
        else:
            rel = p
        out[norm_rel(rel)] = list(f.get("functions") or [])
    return out


def contains(outer, inner):
    """True if function `outer` (a dict) lexically contains `inner` (by lines)."""
    if outer is inner:
        return False
    os_, oe = outer["start_line"], outer.get("end_line", outer["start_line"])
    is_, ie = inner["start_line"], inner.get("end_line", inner["start_line"])
    if not (os_ <= is_ and ie <= oe):
        return False
    if (os_, oe) != (is_, ie):
        return True
    # same line span (one-liners): a lambda/closure sits inside a def
    rank = {"lambda": 0, "closure": 1}
    return rank.get(inner.get("kind"), 2) < rank.get(outer.get("kind"), 2)


def annotate_nesting(funcs):
    """Set f['_parent'] to the innermost containing function (or None) and
    f['_children'] to the directly contained functions (line-range sweep)."""
    rank = {"lambda": 0, "closure": 1}
    order = sorted(funcs, key=lambda g: (g["start_line"], -g.get("end_line", g["start_line"]),
                                         -rank.get(g.get("kind"), 2)))
    stack = []
    for f in order:
        f["_children"] = []
        while stack and not contains(stack[-1], f):
            stack.pop()
        f["_parent"] = stack[-1] if stack else None
        if stack:
            stack[-1]["_children"].append(f)
        stack.append(f)


def under_local_class(f):
    """True if f is (or lies inside) a method of a class defined inside a
    function: radon never reports those."""
    while f is not None:
        p = f.get("_parent")
        if f.get("kind") == "method" and p is not None:
            return True
        f = p
    return False


def pair_up(ours, theirs):
    """Join two {key: [items]} maps.  Items with the same key pair in order."""
    matched, ours_only, theirs_only = [], [], []
    for key in sorted(set(ours) | set(theirs), key=lambda k: (str(k[0]), k[1] if isinstance(k[1], int) else -1, str(k[2]))):
        a, b = ours.get(key, []), theirs.get(key, [])
        for i in range(max(len(a), len(b))):
            if i < len(a) and i < len(b):
                matched.append((key, a[i], b[i]))
            elif i < len(a):
                ours_only.append((key, a[i]))
            else:
                theirs_only.append((key, b[i]))
    return matched, ours_only, theirs_only


def print_summary(title, matched, ours_only, theirs_only, value_ours, value_theirs,
                  limit, category=None, describe_ours=None, describe_theirs=None,
                  show_unmatched=0, json_out=None):
    n = len(matched)
    mism = [(k, a, b) for (k, a, b) in matched if value_ours(a) != value_theirs(b)]
    eq = n - len(mism)
    pct = (100.0 * eq / n) if n else 0.0
    print(f"== {title}")
    print(f"functions compared: {n}")
    print(f"equal:              {eq} ({pct:.2f}%)")
    print(f"mismatched:         {len(mism)}")
    print(f"unmatched ours:     {len(ours_only)}")
    print(f"unmatched theirs:   {len(theirs_only)}")
    if category:
        cats = defaultdict(lambda: [0, 0])
        for k, a, b in matched:
            c = category(a)
            cats[c][0] += 1
            cats[c][1] += value_ours(a) == value_theirs(b)
        for c in sorted(cats):
            tot, good = cats[c]
            print(f"  {c:40s} {good}/{tot} equal ({100.0 * good / tot:.2f}%)")
    if describe_ours and ours_only:
        c = Counter(describe_ours(a) for _, a in ours_only)
        print("unmatched ours by category: " + ", ".join(f"{k}={v}" for k, v in c.most_common()))
    if describe_theirs and theirs_only:
        c = Counter(describe_theirs(b) for _, b in theirs_only)
        print("unmatched theirs by category: " + ", ".join(f"{k}={v}" for k, v in c.most_common()))
    if mism:
        d = Counter()
        for _, a, b in mism:
            try:
                d[value_ours(a) - value_theirs(b)] += 1
            except TypeError:
                d["n/a"] += 1
        print("difference ours-theirs histogram: " +
              ", ".join(f"{k:+}={v}" if isinstance(k, int) else f"{k}={v}"
                        for k, v in sorted(d.items(), key=lambda kv: -kv[1])[:12]))
        print(f"first {min(limit, len(mism))} mismatches (path:line name ours theirs):")
        for (k, a, b) in mism[:limit]:
            print(f"  {k[0]}:{k[1]} {k[2]} {value_ours(a)} {value_theirs(b)}")
    if show_unmatched:
        if ours_only:
            print(f"first {min(show_unmatched, len(ours_only))} unmatched ours:")
            for k, a in ours_only[:show_unmatched]:
                print(f"  {k[0]}:{k[1]} {k[2]} kind={a.get('kind')} {a.get('qualified_name', '')}")
        if theirs_only:
            print(f"first {min(show_unmatched, len(theirs_only))} unmatched theirs:")
            for k, b in theirs_only[:show_unmatched]:
                print(f"  {k[0]}:{k[1]} {k[2]}")
    if json_out:
        with open(json_out, "w", encoding="utf-8") as fh:
            json.dump({
                "title": title, "compared": n, "equal": eq, "equal_pct": pct,
                "unmatched_ours": len(ours_only), "unmatched_theirs": len(theirs_only),
                "mismatches": [{"path": k[0], "line": k[1], "name": k[2],
                                "ours": value_ours(a), "theirs": value_theirs(b)}
                               for k, a, b in mism],
            }, fh, indent=1)
    return eq == n


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
    pat = re.compile(r"\bfn\s+(r#)?" + re.escape(name) + r"\b")
    for i in range(start - 1, min(len(lines), start + 15)):
        if pat.search(lines[i]):
            return i + 1
    return start


def num(v):
    return int(v) if float(v).is_integer() else v


def flatten_rca(unit, lines):
    """Function records of one file from its unit space."""
    out = []

    def walk(space, parent_kind, depth):
        kids = space.get("spaces", [])
        if space.get("kind") == "function":
            m = space["metrics"]
            cy, cg = m["cyclomatic"]["sum"], m["cognitive"]["sum"]
            own_cy = cy - sum(k["metrics"]["cyclomatic"]["sum"] for k in kids)
            own_cg = cg - sum(k["metrics"]["cognitive"]["sum"] for k in kids)
            anon = space.get("name") == "<anonymous>"
            name = CLOSURE if anon else (space.get("name") or "?")
            line = space["start_line"] if anon else fn_line(lines, space["start_line"], name)
            out.append({"name": name, "line": line, "rca_start_line": space["start_line"],
                        "end_line": space["end_line"],
                        "kind": "closure" if anon else
                                ("method" if parent_kind in ("impl", "trait") else "function"),
                        "nested": depth > 0,
                        "cyclomatic": num(own_cy), "cyclomatic_inclusive": num(cy),
                        "cognitive": num(own_cg), "cognitive_inclusive": num(cg)})
            depth += 1
        for k in kids:
            walk(k, space.get("kind"), depth)

    for k in unit.get("spaces", []):
        walk(k, "unit", 0)
    return out


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
        rel = norm_rel(os.path.relpath(unit["name"], corpus))
        if rel not in wanted:
            continue
        with open(os.path.join(corpus, rel), "rb") as fh:
            lines = fh.read().decode("utf-8", "replace").splitlines()
        funcs[rel] = flatten_rca(unit, lines)
    if proc.wait() != 0:
        sys.exit(f"rust-code-analysis-cli failed with exit code {proc.returncode}")
    return funcs


def make_fake_report(corpus, theirs):
    report = {"schema_version": 1, "root": corpus, "files": []}
    for rel, recs in sorted(theirs.items()):
        funcs = [{"name": r["name"] if r["kind"] != "closure" else "{closure}",
                  "qualified_name": "", "kind": r["kind"], "start_line": r["line"],
                  "end_line": r["end_line"], "cyclomatic": r["cyclomatic"],
                  "cognitive": r["cognitive"]} for r in recs]
        report["files"].append({"path": rel, "language": LANG, "functions": funcs})
    return report


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(
        description="Compare gatecheck complexity of Rust functions with rust-code-analysis.",
        epilog="Join key: (relative path, line of `fn`, name); closures (gatecheck kind "
               "closure/lambda) by (relative path, line, order on the line).")
    ap.add_argument("corpus", help="corpus directory (e.g. /root/corpus/rust-vendor)")
    ap.add_argument("--report", help="gatecheck JSON report (read after --cmd if both given)")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--cmd", help="shell command producing the gatecheck report on stdout "
                                   "(or into --report); {corpus} is replaced by the corpus path")
    src.add_argument("--self-test", action="store_true",
                     help="build a fake gatecheck report from RCA's own output and join it "
                          "(must give 100%%)")
    ap.add_argument("--write-fake", metavar="PATH", help="with --self-test: save the fake report")
    ap.add_argument("--metric", choices=["cyclomatic", "cognitive"], default="cyclomatic")
    ap.add_argument("--inclusive", action="store_true",
                    help="compare with RCA's sum (own value + all nested closures/fns) instead "
                         "of the function's own value")
    ap.add_argument("--no-closures", action="store_true", help="compare named fns only")
    ap.add_argument("--files", choices=["corpus", "report"], default="corpus",
                    help="compare every .rs file of the corpus (default) or only report files")
    ap.add_argument("--rca", metavar="EXE", help="path of rust-code-analysis-cli")
    ap.add_argument("--jobs", type=int, default=2,
                    help="value for RCA's -j (RCA uses max(2,j)-1 worker threads; default 2 = 1 worker)")
    ap.add_argument("--limit", type=int, default=30, help="mismatches to print (default 30)")
    ap.add_argument("--show-unmatched", type=int, default=0, metavar="N",
                    help="also print the first N unmatched functions of each side")
    ap.add_argument("--json-out", metavar="PATH", help="write summary + all mismatches as JSON")
    args = ap.parse_args()
    if not (args.report or args.cmd or args.self_test):
        ap.error("one of --report, --cmd or --self-test is required")

    corpus = os.path.abspath(args.corpus)
    exe = find_rca(args.rca)
    all_files = corpus_files(corpus, EXTS)
    if args.self_test:
        files = all_files
    else:
        report = load_report(args)
        ours_files = report_entries(report, corpus, LANG, EXTS)
        files = all_files if args.files == "corpus" else sorted(ours_files)

    theirs_files = run_rca(exe, corpus, files, args.jobs)
    for rel in files:  # RCA silently skips files of <= 3 bytes or non-UTF-8 heads
        theirs_files.setdefault(rel, [])

    if args.self_test:
        report = make_fake_report(corpus, theirs_files)
        if args.write_fake:
            with open(args.write_fake, "w", encoding="utf-8") as fh:
                json.dump(report, fh)
        ours_files = report_entries(report, corpus, LANG, EXTS)

    ours, theirs = defaultdict(list), defaultdict(list)
    for rel, funcs in ours_files.items():
        annotate_nesting(funcs)
        order = sorted(range(len(funcs)), key=lambda i: (funcs[i]["start_line"],
                                                        funcs[i].get("start_col", 0), i))
        for i in order:
            f = funcs[i]
            is_closure = f.get("kind") in ("closure", "lambda")
            if is_closure and args.no_closures:
                continue
            ours[(rel, f["start_line"], CLOSURE if is_closure else f["name"])].append(f)
    for rel, recs in theirs_files.items():
        for r in recs:
            if r["kind"] == "closure" and args.no_closures:
                continue
            theirs[(rel, r["line"], r["name"])].append(r)

    matched, ours_only, theirs_only = pair_up(ours, theirs)
    ambiguous = sum(1 for k, v in theirs.items() if k[2] == CLOSURE and len(v) > 1)

    print(f"files: ours={len(ours_files)} rca={len(theirs_files)} "
          f"only-ours={len(set(ours_files) - set(theirs_files))} "
          f"only-rca={len(set(theirs_files) - set(ours_files))}")
    print(f"lines with >1 closure (paired in order, may mis-pair): {ambiguous}")

    key = args.metric + ("_inclusive" if args.inclusive else "")

    def category(a):
        ch = a.get("_children", [])
        base = "closure" if a.get("kind") in ("closure", "lambda") else a.get("kind", "?")
        return f"{base} ({'contains nested fn/closure' if ch else 'no nested fn/closure'})"

    ok = print_summary(f"{rca_version(exe)} vs gatecheck {args.metric}"
                       + (" (RCA inclusive sum)" if args.inclusive else " (RCA own value)"),
                       matched, ours_only, theirs_only,
                       lambda a: a.get(args.metric), lambda b: b[key], args.limit,
                       category=category, describe_ours=lambda a: str(a.get("kind")),
                       describe_theirs=lambda b: b["kind"] + ("/nested" if b["nested"] else ""),
                       show_unmatched=args.show_unmatched, json_out=args.json_out)
    if args.self_test:
        good = ok and not ours_only and not theirs_only
        print(f"self-test: {'PASS' if good else 'FAIL'}")
        return 0 if good else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
