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

Standard library + radon only.  Options and more examples: README.md, --help.
  python3 radon_agreement.py /root/corpus/py-django --report gc.json --fold-lambdas
"""
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from functools import partial

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
import agreement  # noqa: E402  (the shared modules beside this script)
import explain  # noqa: E402
import fake_python_report  # noqa: E402

LANGUAGE = agreement.PYTHON
METRIC = "cyclomatic"


# --------------------------------------------------------------------------
# radon side
# --------------------------------------------------------------------------

def find_radon():
    exe = shutil.which("radon")
    if exe:
        return [exe]
    return [sys.executable, "-m", "radon"]


def radon_json(cmd, corpus, out):
    """Run one radon command that writes its JSON to `out`; return the JSON."""
    res = subprocess.run(cmd, cwd=corpus, stdout=subprocess.DEVNULL)
    if res.returncode != 0:
        sys.exit(f"radon failed ({res.returncode}): {' '.join(cmd[:8])} ...")
    return agreement.read_json(out)


def add_radon_file(path, blocks, funcs, errors):
    rel = agreement.norm_rel(path)
    if isinstance(blocks, dict) and "error" in blocks:
        errors[rel] = blocks["error"]
    else:
        funcs[rel] = flatten_radon(blocks)


def run_radon(corpus, files, no_assert=False, batch=400):
    """Run `radon cc -j --show-closures` on `files` (relative to corpus).
    Returns {relpath: [function record]}, {relpath: error}."""
    funcs, errors = {}, {}
    base = find_radon() + ["cc", "-j", "--show-closures"]
    if no_assert:
        base.append("--no-assert")
    with tempfile.TemporaryDirectory() as td:
        out = os.path.join(td, "radon.json")
        for i in range(0, len(files), batch):
            data = radon_json(base + ["-O", out] + files[i:i + batch], corpus, out)
            for path, blocks in data.items():
                add_radon_file(path, blocks, funcs, errors)
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

def make_fake_report(corpus, files, theirs, errors):
    """Skeleton from ast; cyclomatic filled from radon by (lineno, col_offset)."""

    def fill(rel, funcs):
        by_pos = {(r["lineno"], r["col"]): r["complexity"] for r in theirs.get(rel, [])}
        for f in funcs:
            del f["_cpx"]
            f["cyclomatic"] = by_pos.get((f["start_line"], f.pop("_col")))

    return fake_python_report.skeleton_report(corpus, files, errors, fill)


# --------------------------------------------------------------------------
# gatecheck side: join keys, lambdas folded into their parent
# --------------------------------------------------------------------------

def under_local_class(f):
    """True if f is (or lies inside) a method of a class defined inside a
    function: radon never reports those."""
    while f is not None:
        p = f.get("_parent")
        if f.get("kind") == "method" and p is not None:
            return True
        f = p
    return False


def fold_lambdas(funcs):
    """Add (cyclomatic-1) of each lambda to its innermost enclosing def."""
    for f in funcs:
        if f.get("kind") == "lambda" and isinstance(f.get(METRIC), int):
            p = agreement.enclosing_def(f)
            if p is not None and isinstance(p.get(METRIC), int):
                p["_folded"] = p.get("_folded", 0) + f[METRIC] - 1


@dataclass
class OursIndex:
    """gatecheck functions by join key, and how many were left out."""
    keys: dict = field(default_factory=dict)
    lambdas_skipped: int = 0
    in_error_files: int = 0

    def add(self, rel, f, in_error_file):
        if f.get("kind") == "lambda":
            self.lambdas_skipped += 1
        elif in_error_file:
            self.in_error_files += 1
        else:
            self.keys.setdefault((rel, f["start_line"], f["name"]), []).append(f)


def index_ours(ours_files, errors, fold):
    idx = OursIndex()
    for rel, funcs in ours_files.items():
        agreement.annotate_nesting(funcs)
        if fold:
            fold_lambdas(funcs)
        for f in funcs:
            idx.add(rel, f, rel in errors)
    return idx


def print_file_stats(ours_files, theirs_files, errors, idx):
    ours_file_set, theirs_file_set = set(ours_files), set(theirs_files) | set(errors)
    print(f"files: ours={len(ours_file_set)} radon={len(theirs_files)} "
          f"radon-errors={len(errors)} only-ours={len(ours_file_set - theirs_file_set)} "
          f"only-radon={len(set(theirs_files) - ours_file_set)}")
    if errors:
        ex = sorted(errors.items())[:3]
        print("radon errors (first 3): " + "; ".join(f"{p}: {e[:60]}" for p, e in ex))
    print(f"lambdas in gatecheck report (not compared): {idx.lambdas_skipped}")
    print(f"gatecheck functions in files radon could not parse (not compared): "
          f"{idx.in_error_files}")


# --------------------------------------------------------------------------
# values and categories
# --------------------------------------------------------------------------

def value_ours(a, fold):
    v = a.get(METRIC)
    if isinstance(v, int) and fold:
        v += a.get("_folded", 0)
    return v


def value_theirs(b):
    return b["complexity"]


def category(a):
    ch = a.get("_children", [])
    kinds = sorted({c.get("kind") for c in ch})
    base = a.get("kind", "?")
    if not ch:
        return f"{base} (no nested fns)"
    return f"{base} (contains {'+'.join(str(k) for k in kinds)})"


def describe_ours(a):
    where = "in-function" if agreement.enclosing_def(a) is not None else "top/class"
    if under_local_class(a):
        where = "under-class-in-function"
    return f"{a.get('kind')}/{where}"


def describe_theirs(b):
    return b["type"] + ("/nested" if b["nested"] else "")


def radon_rules(fold):
    return agreement.Rules(partial(value_ours, fold=fold), value_theirs, category=category,
                           describe_ours=describe_ours, describe_theirs=describe_theirs)


# --------------------------------------------------------------------------

def parse_args():
    ap = agreement.new_parser(
        LANGUAGE,
        description="Compare gatecheck cyclomatic complexity of Python functions with radon cc.",
        epilog="Join key: (relative path, line of the def, bare function name). "
               "Lambdas (kind=lambda) are not compared: radon does not report them.",
        self_test_help="build a fake gatecheck report (functions from Python's ast, values "
                       "from radon) and join it: the compared functions must be 100%% equal")
    agreement.add_files_arg(ap, "run radon on every .py file of the corpus (default) or only "
                                "on the files listed in the report")
    ap.add_argument("--fold-lambdas", action="store_true",
                    help="add (cyclomatic-1) of every gatecheck lambda to its innermost enclosing "
                         "non-lambda function before comparing (radon counts lambda bodies in "
                         "the enclosing function)")
    ap.add_argument("--no-assert", action="store_true", help="pass --no-assert to radon")
    agreement.add_mode_args(ap)
    agreement.add_output_args(ap)
    args = agreement.parse_args(ap)
    if args.fold_lambdas and args.nested_functions == "fold":
        ap.error("--fold-lambdas would count the lambdas twice: a fold report has them folded")
    return args


def self_test_result(ok, join):
    """ours-only entries are expected: methods of classes defined in functions."""
    bad = [a for _, a in join.ours_only if not under_local_class(a)]
    good = ok and not join.theirs_only and not bad
    print(f"self-test: {'PASS' if good else 'FAIL'} "
          f"(unexpected ours-only={len(bad)}, theirs-only={len(join.theirs_only)})")
    return 0 if good else 1


def main():
    args = parse_args()
    sel = agreement.select_files(args, LANGUAGE)
    version = agreement.package_version("radon")
    print(f"# radon {version} cc -j --show-closures on {len(sel.files)} files of {sel.corpus}",
          file=sys.stderr)
    theirs_files, errors = run_radon(sel.corpus, sel.files, no_assert=args.no_assert)
    ours_files = sel.ours_files
    if args.self_test:
        report = make_fake_report(sel.corpus, sel.files, theirs_files, errors)
        ours_files = agreement.fake_entries(args, report, sel.corpus, LANGUAGE)

    idx = index_ours(ours_files, errors, args.fold_lambdas)
    join = agreement.pair_up(idx.keys, agreement.index_records(theirs_files, "lineno"))
    print_file_stats(ours_files, theirs_files, errors, idx)
    rules = radon_rules(args.fold_lambdas)
    title = (f"radon {version} cc vs gatecheck {METRIC}{agreement.mode_title(args)}"
             + (" (lambdas folded by this script)" if args.fold_lambdas else ""))
    ok = agreement.print_summary(title, join, rules, agreement.Output.from_args(args))
    if args.explain:
        explain.print_causes(agreement.mismatches(join, rules), sel.corpus, explain.radon_causes)
    if args.self_test:
        return self_test_result(ok, join)
    return 0


if __name__ == "__main__":
    sys.exit(main())
