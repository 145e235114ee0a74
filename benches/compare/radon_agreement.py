#!/usr/bin/env python3
"""Agreement of gatecheck's Python *cyclomatic* values with radon (`radon cc`).

Runs `radon cc -j --show-closures` on the .py files of a corpus, reads a
gatecheck JSON report for the same corpus, joins functions by
(relative path, line of the `def`, bare function name) and prints how many
values agree.

radon facts the join relies on (radon 6.0.1, see benches/compare/README.md):
  * `lineno` of a decorated function is the `def` line (Python >= 3.8 ast).
  * radon reports every def/async def, methods, nested defs ("closures")
    and methods of nested classes (with --show-closures), but no lambdas and
    no methods of classes defined inside a function.
  * a radon function value includes its lambdas' decision points but not
    those of nested defs.  Use --fold-lambdas if gatecheck reports lambdas
    separately and excludes them from the parent (see README).

Standard library + radon only.  Examples:
  python3 radon_agreement.py /root/corpus/py-django --report gc.json
  python3 radon_agreement.py /root/corpus/py-django --cmd 'gatecheck analyze {corpus} --format json'
  python3 radon_agreement.py /root/corpus/py-stdlib --self-test
"""
import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

LANG = "python"
EXTS = (".py",)
METRIC = "cyclomatic"


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
# radon side
# --------------------------------------------------------------------------

def radon_version():
    try:
        import radon
        return radon.__version__
    except Exception:
        return "?"


def find_radon():
    exe = shutil.which("radon")
    if exe:
        return [exe]
    return [sys.executable, "-m", "radon"]


def run_radon(corpus, files, no_assert=False, batch=400):
    """Run `radon cc -j --show-closures` on `files` (relative to corpus).
    Returns {relpath: [function record]}, {relpath: error}."""
    funcs, errors = {}, {}
    base = find_radon() + ["cc", "-j", "--show-closures"]
    if no_assert:
        base.append("--no-assert")
    with tempfile.TemporaryDirectory() as td:
        for i in range(0, len(files), batch):
            chunk = files[i:i + batch]
            out = os.path.join(td, "radon.json")
            cmd = base + ["-O", out] + chunk
            res = subprocess.run(cmd, cwd=corpus, stdout=subprocess.DEVNULL)
            if res.returncode != 0:
                sys.exit(f"radon failed ({res.returncode}): {' '.join(cmd[:8])} ...")
            with open(out, encoding="utf-8") as fh:
                data = json.load(fh)
            for path, blocks in data.items():
                rel = norm_rel(path)
                if isinstance(blocks, dict) and "error" in blocks:
                    errors[rel] = blocks["error"]
                    continue
                funcs[rel] = flatten_radon(blocks)
    for rel in files:
        if rel not in funcs and rel not in errors:
            funcs[rel] = []  # radon omits files without blocks
    return funcs, errors


def flatten_radon(blocks):
    """All function/method/closure records of one file, deduplicated by
    (lineno, col_offset).  Closures appear both nested in their parent's
    'closures' list and (with --show-closures) at top level as 'outer.inner'."""
    seen = {}

    def visit(b, depth):
        t = b.get("type")
        if t == "class":
            for m in b.get("methods", []):
                visit(m, depth)
            return
        key = (b["lineno"], b["col_offset"])
        name = b["name"].rsplit(".", 1)[-1]
        rec = seen.get(key)
        if rec is None:
            seen[key] = rec = {"name": name, "lineno": b["lineno"], "col": b["col_offset"],
                               "endline": b.get("endline"), "complexity": b["complexity"],
                               "type": t, "classname": b.get("classname"),
                               "radon_name": b["name"], "nested": depth > 0}
        else:
            rec["nested"] = rec["nested"] or depth > 0 or "." in b["name"] and t == "function"
        for c in b.get("closures", []):
            visit(c, depth + 1)

    for b in blocks:
        visit(b, 0)
    return sorted(seen.values(), key=lambda r: (r["lineno"], r["col"]))


# --------------------------------------------------------------------------
# fake gatecheck report for --self-test (skeleton from Python's ast)
# --------------------------------------------------------------------------

def ast_skeleton(path, rel):
    """gatecheck-like function list for one file, built with `ast` only."""
    with open(path, "rb") as fh:
        src = fh.read()
    tree = ast.parse(src, filename=rel)
    mod = rel[:-3].replace("/", ".")
    out = []

    def walk(node, qual, in_func, in_class):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                kind = "method" if in_class else ("closure" if in_func else "function")
                q = f"{qual}.{child.name}"
                out.append({"name": child.name, "qualified_name": q, "kind": kind,
                            "start_line": child.lineno, "end_line": child.end_lineno,
                            "_col": child.col_offset})
                walk(child, q, True, False)
            elif isinstance(child, ast.ClassDef):
                walk(child, f"{qual}.{child.name}", False, True)
            elif isinstance(child, ast.Lambda):
                out.append({"name": "<lambda>", "qualified_name": f"{qual}.<lambda>",
                            "kind": "lambda", "start_line": child.lineno,
                            "end_line": child.end_lineno, "_col": child.col_offset})
                walk(child, qual, True, False)
            else:
                walk(child, qual, in_func, in_class)

    walk(tree, mod, False, False)
    return out


def make_fake_report(corpus, files, theirs, errors):
    """Skeleton from ast; cyclomatic filled from radon by (lineno, col_offset)."""
    report = {"schema_version": 1, "root": os.path.abspath(corpus), "files": []}
    for rel in files:
        if rel in errors:
            continue
        try:
            funcs = ast_skeleton(os.path.join(corpus, rel), rel)
        except (SyntaxError, ValueError, UnicodeDecodeError):
            continue
        by_pos = {(r["lineno"], r["col"]): r["complexity"] for r in theirs.get(rel, [])}
        for f in funcs:
            f["cyclomatic"] = by_pos.get((f["start_line"], f.pop("_col")))
        report["files"].append({"path": rel, "language": LANG, "functions": funcs})
    return report


# --------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(
        description="Compare gatecheck cyclomatic complexity of Python functions with radon cc.",
        epilog="Join key: (relative path, line of the def, bare function name). "
               "Lambdas (kind=lambda) are not compared: radon does not report them.")
    ap.add_argument("corpus", help="corpus directory (e.g. /root/corpus/py-django)")
    src = ap.add_mutually_exclusive_group()
    ap.add_argument("--report", help="gatecheck JSON report (read after --cmd if both given)")
    src.add_argument("--cmd", help="shell command producing the gatecheck report on stdout "
                                   "(or into --report); {corpus} is replaced by the corpus path")
    src.add_argument("--self-test", action="store_true",
                     help="build a fake gatecheck report (functions from Python's ast, values "
                          "from radon) and join it: the compared functions must be 100%% equal")
    ap.add_argument("--write-fake", metavar="PATH", help="with --self-test: save the fake report")
    ap.add_argument("--files", choices=["corpus", "report"], default="corpus",
                    help="run radon on every .py file of the corpus (default) or only on the "
                         "files listed in the report")
    ap.add_argument("--fold-lambdas", action="store_true",
                    help="add (cyclomatic-1) of every gatecheck lambda to its innermost enclosing "
                         "non-lambda function before comparing (radon counts lambda bodies in "
                         "the enclosing function)")
    ap.add_argument("--no-assert", action="store_true", help="pass --no-assert to radon")
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

    print(f"# radon {radon_version()} cc -j --show-closures on {len(files)} files of {corpus}",
          file=sys.stderr)
    theirs_files, errors = run_radon(corpus, files, no_assert=args.no_assert)

    if args.self_test:
        report = make_fake_report(corpus, files, theirs_files, errors)
        if args.write_fake:
            with open(args.write_fake, "w", encoding="utf-8") as fh:
                json.dump(report, fh)
        ours_files = report_entries(report, corpus, LANG, EXTS)

    # ---- build join maps
    ours, theirs = defaultdict(list), defaultdict(list)
    lambdas_skipped = 0
    in_error_files = 0
    for rel, funcs in ours_files.items():
        annotate_nesting(funcs)
        if args.fold_lambdas:
            for f in funcs:
                if f.get("kind") == "lambda" and isinstance(f.get(METRIC), int):
                    p = f["_parent"]
                    while p is not None and p.get("kind") == "lambda":
                        p = p["_parent"]
                    if p is not None and isinstance(p.get(METRIC), int):
                        p["_folded"] = p.get("_folded", 0) + f[METRIC] - 1
        for f in funcs:
            if f.get("kind") == "lambda":
                lambdas_skipped += 1
                continue
            if rel in errors:
                in_error_files += 1
                continue
            ours[(rel, f["start_line"], f["name"])].append(f)
    for rel, funcs in theirs_files.items():
        for r in funcs:
            theirs[(rel, r["lineno"], r["name"])].append(r)

    matched, ours_only, theirs_only = pair_up(ours, theirs)

    ours_file_set, theirs_file_set = set(ours_files), set(theirs_files) | set(errors)
    print(f"files: ours={len(ours_file_set)} radon={len(theirs_files)} "
          f"radon-errors={len(errors)} only-ours={len(ours_file_set - theirs_file_set)} "
          f"only-radon={len(set(theirs_files) - ours_file_set)}")
    if errors:
        ex = sorted(errors.items())[:3]
        print("radon errors (first 3): " + "; ".join(f"{p}: {e[:60]}" for p, e in ex))
    print(f"lambdas in gatecheck report (not compared): {lambdas_skipped}")
    print(f"gatecheck functions in files radon could not parse (not compared): {in_error_files}")

    def v_ours(a):
        v = a.get(METRIC)
        if isinstance(v, int) and args.fold_lambdas:
            v += a.get("_folded", 0)
        return v

    def v_theirs(b):
        return b["complexity"]

    def category(a):
        ch = a.get("_children", [])
        kinds = sorted({c.get("kind") for c in ch})
        base = a.get("kind", "?")
        if not ch:
            return f"{base} (no nested fns)"
        return f"{base} (contains {'+'.join(str(k) for k in kinds)})"

    def describe_ours(a):
        p = a.get("_parent")
        while p is not None and p.get("kind") == "lambda":
            p = p["_parent"]
        where = "in-function" if p is not None else "top/class"
        if under_local_class(a):
            where = "under-class-in-function"
        return f"{a.get('kind')}/{where}"

    def describe_theirs(b):
        return b["type"] + ("/nested" if b["nested"] else "")

    ok = print_summary(f"radon {radon_version()} cc vs gatecheck {METRIC}"
                       + (" (lambdas folded)" if args.fold_lambdas else ""),
                       matched, ours_only, theirs_only, v_ours, v_theirs, args.limit,
                       category=category, describe_ours=describe_ours,
                       describe_theirs=describe_theirs, show_unmatched=args.show_unmatched,
                       json_out=args.json_out)
    if args.self_test:
        # ours-only entries are expected: methods of classes defined in functions
        bad = [a for _, a in ours_only if not under_local_class(a)]
        print(f"self-test: {'PASS' if ok and not theirs_only and not bad else 'FAIL'} "
              f"(unexpected ours-only={len(bad)}, theirs-only={len(theirs_only)})")
        return 0 if ok and not theirs_only and not bad else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
