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

Standard library + complexipy only.  Options and examples: README.md, --help.
A self-test on the standard library, for instance:
  python3 complexipy_agreement.py /root/corpus/py-stdlib --self-test
"""
import ast
import os
import re
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
import agreement  # noqa: E402  (the shared modules beside this script)
import explain  # noqa: E402
import fake_python_report  # noqa: E402

LANGUAGE = agreement.PYTHON
METRIC = "cognitive"


# --------------------------------------------------------------------------
# complexipy side
# --------------------------------------------------------------------------

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
    return agreement.find_line(lines, start,
                               r"^\s*(async\s+)?def\s+" + re.escape(name) + r"\s*[(\[]", 200)


class DefLines:
    """Maps complexipy's (first line incl. decorators, name) to the def line
    of one file; the file is read on first use."""

    def __init__(self, path):
        self.path = path
        self.src = None
        self.mapping = None

    def line(self, line_start, name):
        if self.mapping is None:
            with open(self.path, "rb") as fh:
                self.src = fh.read()
            self.mapping = def_lines(self.src) or {}
        line = self.mapping.get((line_start, name))
        if line is None:
            text = self.src.decode("utf-8", "replace").splitlines()
            line = scan_def_line(text, line_start, name)
        return line


def complexipy_record(f, lines):
    bare = f.name.rsplit("::", 1)[-1]
    return {"name": bare, "complexipy_name": f.name, "line": lines.line(f.line_start, bare),
            "line_start": f.line_start, "line_end": f.line_end,
            "complexity": f.complexity}


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
        lines = DefLines(path)
        funcs[rel] = [complexipy_record(f, lines) for f in res.functions]
    return funcs, errors


# --------------------------------------------------------------------------
# fake gatecheck report for --self-test (skeleton from Python's ast)
# --------------------------------------------------------------------------

def make_fake_report(corpus, files, theirs, errors):
    """Skeleton from ast; cognitive filled from complexipy by
    (Class::name, end line) - a key independent of the join key."""

    def fill(rel, funcs):
        by_key = defaultdict(list)
        for r in theirs.get(rel, []):
            by_key[(r["complexipy_name"], r["line_end"])].append(r["complexity"])
        for f in funcs:
            del f["_col"]
            vals = by_key.get((f.pop("_cpx"), f["end_line"]))
            f["cognitive"] = vals.pop(0) if vals else None

    return fake_python_report.skeleton_report(corpus, files, errors, fill)


# --------------------------------------------------------------------------
# gatecheck side: join keys, entries complexipy folds into their parent
# --------------------------------------------------------------------------

def skip_reason(f, in_error_file):
    """Why a gatecheck entry is not compared, or None."""
    if in_error_file:
        return "in files complexipy could not parse"
    if f.get("kind") == "lambda":
        return "lambda"
    if agreement.enclosing_def(f) is not None:
        return f"{f.get('kind')} nested in a def"
    return None


def index_ours(ours_files, errors):
    """gatecheck entries by join key, and a count of those left out."""
    ours, skipped = {}, Counter()
    for rel, funcs in ours_files.items():
        agreement.annotate_nesting(funcs)
        for f in funcs:
            reason = skip_reason(f, rel in errors)
            if reason:
                skipped[reason] += 1
            else:
                ours.setdefault((rel, f["start_line"], f["name"]), []).append(f)
    return ours, skipped


def print_file_stats(ours_files, theirs_files, errors, skipped):
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


# --------------------------------------------------------------------------
# values and categories
# --------------------------------------------------------------------------

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


COMPLEXIPY_RULES = agreement.Rules(lambda a: a.get(METRIC), lambda b: b["complexity"],
                                   category=category, describe_ours=describe_ours,
                                   describe_theirs=describe_theirs)


# --------------------------------------------------------------------------

def parse_args():
    ap = agreement.new_parser(
        LANGUAGE,
        description="Compare gatecheck cognitive complexity of Python functions with complexipy.",
        epilog="Join key: (relative path, line of the def, bare function name). Only gatecheck "
               "functions/methods that are not nested inside another def are compared "
               "(complexipy folds nested defs, lambdas and local classes into the parent).",
        self_test_help="build a fake gatecheck report (functions from Python's ast, values "
                       "from complexipy) and join it: compared functions must be 100%% equal")
    agreement.add_files_arg(ap, "run complexipy on every .py file of the corpus (default) or "
                                "only on the files listed in the report")
    agreement.add_mode_args(ap)
    agreement.add_output_args(ap)
    return agreement.parse_args(ap)


def main():
    args = parse_args()
    sel = agreement.select_files(args, LANGUAGE)
    version = agreement.package_version("complexipy")
    print(f"# complexipy {version} on {len(sel.files)} files of {sel.corpus}", file=sys.stderr)
    theirs_files, errors = run_complexipy(sel.corpus, sel.files)
    ours_files = sel.ours_files
    if args.self_test:
        report = make_fake_report(sel.corpus, sel.files, theirs_files, errors)
        ours_files = agreement.fake_entries(args, report, sel.corpus, LANGUAGE)

    ours, skipped = index_ours(ours_files, errors)
    join = agreement.pair_up(ours, agreement.index_records(theirs_files, "line"))
    print_file_stats(ours_files, theirs_files, errors, skipped)
    title = f"complexipy {version} vs gatecheck {METRIC}{agreement.mode_title(args)}"
    ok = agreement.print_summary(title, join, COMPLEXIPY_RULES, agreement.Output.from_args(args))
    if args.explain:
        explain.print_causes(agreement.mismatches(join, COMPLEXIPY_RULES), sel.corpus,
                             explain.complexipy_causes)
    if args.self_test:
        return agreement.self_test_result(ok, join)
    return 0


if __name__ == "__main__":
    sys.exit(main())
