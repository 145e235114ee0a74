#!/usr/bin/env python3
"""Agreement of gatecheck's Python *cognitive* values with complexipy.

Runs complexipy (through its Python API `complexipy.file_complexity`, the same
Rust engine as the CLI, because the CLI's JSON/CSV output has no line numbers)
on the .py files of a corpus, reads a gatecheck JSON report for the same
corpus, joins functions by (relative path, line of the `def`, bare name) and
prints how many values agree.

complexipy facts the join relies on (complexipy 8.3.0, see README.md):
  * it reports only module-level functions and methods (names `f`,
    `Class::method`, `Outer::Inner::method`); nested defs, lambdas and
    methods of classes defined inside functions are folded into the
    enclosing function (with nesting penalties), so gatecheck entries nested
    in another def are not compared.
  * `line_start` of a decorated function is the line of its FIRST DECORATOR
    (ruff AST range), not the `def` line; it is mapped back to the def line.
  * ignore comments (`# complexipy: ignore`, `# noqa: complexipy`) are
    disregarded here (no_ignore=True).

Standard library + complexipy only.  Examples:
  python3 complexipy_agreement.py /root/corpus/py-django --report gc.json
  python3 complexipy_agreement.py /root/corpus/py-django --cmd 'gatecheck analyze {corpus} --format json'
  python3 complexipy_agreement.py /root/corpus/py-stdlib --self-test
"""
import argparse
import ast
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict

LANG = "python"
EXTS = (".py",)
METRIC = "cognitive"


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


def under_function(f):
    """True if some enclosing entry is a def (not just a lambda)."""
    p = f.get("_parent")
    while p is not None:
        if p.get("kind") != "lambda":
            return True
        p = p.get("_parent")
    return False


# --------------------------------------------------------------------------
# complexipy side
# --------------------------------------------------------------------------

def complexipy_version():
    try:
        from importlib.metadata import version
        return version("complexipy")
    except Exception:
        return "?"


def def_lines(src):
    """{(first line incl. decorators, name): def line} via ast; None if the
    file does not parse with this Python."""
    try:
        tree = ast.parse(src)
    except (SyntaxError, ValueError):
        return None
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            first = min([d.lineno for d in node.decorator_list] + [node.lineno])
            out[(first, node.name)] = node.lineno
    return out


def scan_def_line(lines, start, name):
    """Fallback: first line at/after `start` that looks like `def name`."""
    pat = re.compile(r"^\s*(async\s+)?def\s+" + re.escape(name) + r"\s*[(\[]")
    for i in range(start - 1, min(len(lines), start + 200)):
        if pat.match(lines[i]):
            return i + 1
    return start


def run_complexipy(corpus, files):
    """Returns {relpath: [record]}, {relpath: error}."""
    import complexipy
    funcs, errors = {}, {}
    for rel in files:
        path = os.path.join(corpus, rel)
        try:
            res = complexipy.file_complexity(path, no_ignore=True, with_plans=False)
        except Exception as e:  # ValueError: not UTF-8 / does not parse
            errors[rel] = str(e).splitlines()[0] if str(e) else type(e).__name__
            continue
        src = None
        recs = []
        mapping = None
        for f in res.functions:
            bare = f.name.rsplit("::", 1)[-1]
            if mapping is None:
                with open(path, "rb") as fh:
                    src = fh.read()
                mapping = def_lines(src) or {}
            line = mapping.get((f.line_start, bare))
            if line is None:
                text = src.decode("utf-8", "replace").splitlines()
                line = scan_def_line(text, f.line_start, bare)
            recs.append({"name": bare, "complexipy_name": f.name, "line": line,
                         "line_start": f.line_start, "line_end": f.line_end,
                         "complexity": f.complexity})
        funcs[rel] = recs
    return funcs, errors


# --------------------------------------------------------------------------
# fake gatecheck report for --self-test (skeleton from Python's ast)
# --------------------------------------------------------------------------

def ast_skeleton(path, rel):
    with open(path, "rb") as fh:
        src = fh.read()
    tree = ast.parse(src, filename=rel)
    mod = rel[:-3].replace("/", ".")
    out = []

    def walk(node, qual, classes, in_func, in_class):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                kind = "method" if in_class else ("closure" if in_func else "function")
                q = f"{qual}.{child.name}"
                cpx = None if in_func else "::".join(classes + [child.name])
                out.append({"name": child.name, "qualified_name": q, "kind": kind,
                            "start_line": child.lineno, "end_line": child.end_lineno,
                            "_cpx": cpx})
                walk(child, q, classes, True, False)
            elif isinstance(child, ast.ClassDef):
                walk(child, f"{qual}.{child.name}", classes + [child.name], in_func, True)
            elif isinstance(child, ast.Lambda):
                out.append({"name": "<lambda>", "qualified_name": f"{qual}.<lambda>",
                            "kind": "lambda", "start_line": child.lineno,
                            "end_line": child.end_lineno, "_cpx": None})
                walk(child, qual, classes, True, False)
            else:
                walk(child, qual, classes, in_func, in_class)

    walk(tree, mod, [], False, False)
    return out


def make_fake_report(corpus, files, theirs, errors):
    """Skeleton from ast; cognitive filled from complexipy by
    (Class::name, end line) - a key independent of the join key."""
    report = {"schema_version": 1, "root": os.path.abspath(corpus), "files": []}
    for rel in files:
        if rel in errors:
            continue
        try:
            funcs = ast_skeleton(os.path.join(corpus, rel), rel)
        except (SyntaxError, ValueError, UnicodeDecodeError):
            continue
        by_key = defaultdict(list)
        for r in theirs.get(rel, []):
            by_key[(r["complexipy_name"], r["line_end"])].append(r["complexity"])
        for f in funcs:
            k = (f.pop("_cpx"), f["end_line"])
            vals = by_key.get(k)
            f["cognitive"] = vals.pop(0) if vals else None
        report["files"].append({"path": rel, "language": LANG, "functions": funcs})
    return report


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(
        description="Compare gatecheck cognitive complexity of Python functions with complexipy.",
        epilog="Join key: (relative path, line of the def, bare function name). Only gatecheck "
               "functions/methods that are not nested inside another def are compared "
               "(complexipy folds nested defs, lambdas and local classes into the parent).")
    ap.add_argument("corpus", help="corpus directory (e.g. /root/corpus/py-django)")
    ap.add_argument("--report", help="gatecheck JSON report (read after --cmd if both given)")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--cmd", help="shell command producing the gatecheck report on stdout "
                                   "(or into --report); {corpus} is replaced by the corpus path")
    src.add_argument("--self-test", action="store_true",
                     help="build a fake gatecheck report (functions from Python's ast, values "
                          "from complexipy) and join it: compared functions must be 100%% equal")
    ap.add_argument("--write-fake", metavar="PATH", help="with --self-test: save the fake report")
    ap.add_argument("--files", choices=["corpus", "report"], default="corpus",
                    help="run complexipy on every .py file of the corpus (default) or only on "
                         "the files listed in the report")
    ap.add_argument("--limit", type=int, default=30, help="mismatches to print (default 30)")
    ap.add_argument("--show-unmatched", type=int, default=0, metavar="N",
                    help="also print the first N unmatched functions of each side")
    ap.add_argument("--json-out", metavar="PATH", help="write summary + all mismatches as JSON")
    args = ap.parse_args()
    if not (args.report or args.cmd or args.self_test):
        ap.error("one of --report, --cmd or --self-test is required")

    corpus = os.path.abspath(args.corpus)
    all_files = corpus_files(corpus, EXTS)
    if args.self_test:
        files = all_files
    else:
        report = load_report(args)
        ours_files = report_entries(report, corpus, LANG, EXTS)
        files = all_files if args.files == "corpus" else sorted(ours_files)

    print(f"# complexipy {complexipy_version()} on {len(files)} files of {corpus}",
          file=sys.stderr)
    theirs_files, errors = run_complexipy(corpus, files)

    if args.self_test:
        report = make_fake_report(corpus, files, theirs_files, errors)
        if args.write_fake:
            with open(args.write_fake, "w", encoding="utf-8") as fh:
                json.dump(report, fh)
        ours_files = report_entries(report, corpus, LANG, EXTS)

    ours, theirs = defaultdict(list), defaultdict(list)
    skipped = Counter()
    for rel, funcs in ours_files.items():
        annotate_nesting(funcs)
        for f in funcs:
            if rel in errors:
                skipped["in files complexipy could not parse"] += 1
            elif f.get("kind") == "lambda":
                skipped["lambda"] += 1
            elif under_function(f):
                skipped[f"{f.get('kind')} nested in a def"] += 1
            else:
                ours[(rel, f["start_line"], f["name"])].append(f)
    for rel, recs in theirs_files.items():
        for r in recs:
            theirs[(rel, r["line"], r["name"])].append(r)

    matched, ours_only, theirs_only = pair_up(ours, theirs)

    ours_file_set = set(ours_files)
    print(f"files: ours={len(ours_file_set)} complexipy={len(theirs_files)} "
          f"complexipy-errors={len(errors)} "
          f"only-ours={len(ours_file_set - set(theirs_files) - set(errors))} "
          f"only-complexipy={len(set(theirs_files) - ours_file_set)}")
    if errors:
        ex = sorted(errors.items())[:3]
        print("complexipy errors (first 3): " + "; ".join(f"{p}: ...{e[-70:]}" for p, e in ex))
    print("gatecheck entries not compared (folded into parent by complexipy): "
          + (", ".join(f"{k}={v}" for k, v in skipped.most_common()) or "none"))

    def category(a):
        ch = a.get("_children", [])
        if not ch:
            return f"{a.get('kind', '?')} (no nested defs/lambdas)"
        kinds = sorted({str(c.get("kind")) for c in ch})
        return f"{a.get('kind', '?')} (contains {'+'.join(kinds)})"

    def describe_ours(a):
        return f"{a.get('kind')}"

    def describe_theirs(b):
        return "method" if "::" in b["complexipy_name"] else "function"

    ok = print_summary(f"complexipy {complexipy_version()} vs gatecheck {METRIC}",
                       matched, ours_only, theirs_only,
                       lambda a: a.get(METRIC), lambda b: b["complexity"], args.limit,
                       category=category, describe_ours=describe_ours,
                       describe_theirs=describe_theirs, show_unmatched=args.show_unmatched,
                       json_out=args.json_out)
    if args.self_test:
        good = ok and not ours_only and not theirs_only
        print(f"self-test: {'PASS' if good else 'FAIL'}")
        return 0 if good else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
