"""Shared parts of the agreement scripts (radon, complexipy, RCA; README.md).

Each `*_agreement.py` script joins a reference tool's per-function values with
a gatecheck JSON report.  Here is what they share: the common command line,
corpus files and report loading, the nesting of the report's functions, the
join and the printed summary (with --json-out).  The fake report of the Python
scripts' --self-test is in fake_python_report.py.  Standard library only; the
scripts import it from their own directory.
"""
import argparse
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Optional


@dataclass(frozen=True)
class Language:
    """gatecheck's `language` of a report file, the file endings used to find
    such files in the corpus (and in reports without `language`), and the
    corpus named in --help."""
    name: str
    exts: tuple
    example_corpus: str


PYTHON = Language("python", (".py",), "/root/corpus/py-django")
RUST = Language("rust", (".rs",), "/root/corpus/rust-vendor")

# Order of kinds that can share a line span: a lambda or closure sits inside a def.
KIND_RANK = {"lambda": 0, "closure": 1}
DEF_RANK = 2


# --------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------

def new_parser(language, description, epilog, self_test_help):
    """Parser with corpus, --report, --cmd | --self-test and --write-fake."""
    ap = argparse.ArgumentParser(description=description, epilog=epilog)
    ap.add_argument("corpus", help=f"corpus directory (e.g. {language.example_corpus})")
    ap.add_argument("--report", help="gatecheck JSON report (read after --cmd if both given)")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--cmd", help="shell command producing the gatecheck report on stdout "
                                   "(or into --report); {corpus} is replaced by the corpus path")
    src.add_argument("--self-test", action="store_true", help=self_test_help)
    ap.add_argument("--write-fake", metavar="PATH", help="with --self-test: save the fake report")
    return ap


def add_files_arg(ap, help_text):
    ap.add_argument("--files", choices=["corpus", "report"], default="corpus", help=help_text)


def add_mode_args(ap):
    """--nested-functions (how the report was made) and --explain."""
    ap.add_argument("--nested-functions", choices=["separate", "fold"], default="separate",
                    help="the report's [code_quality] nested_functions (default separate); "
                         "make a fold report with --config benches/compare/fold.toml")
    ap.add_argument("--explain", action="store_true",
                    help="count the mismatches by their documented cause (explain.py)")


def mode_title(args):
    """The report's mode, for the title line."""
    return f" (nested_functions = {args.nested_functions})"


def add_output_args(ap):
    """--limit, --show-unmatched and --json-out."""
    ap.add_argument("--limit", type=int, default=30, help="mismatches to print (default 30)")
    ap.add_argument("--show-unmatched", type=int, default=0, metavar="N",
                    help="also print the first N unmatched functions of each side")
    ap.add_argument("--json-out", metavar="PATH", help="write summary + all mismatches as JSON")


def parse_args(ap):
    """Parse the command line; one source of the gatecheck report is required."""
    args = ap.parse_args()
    if not (args.report or args.cmd or args.self_test):
        ap.error("one of --report, --cmd or --self-test is required")
    return args


# --------------------------------------------------------------------------
# reference tools
# --------------------------------------------------------------------------

def package_version(name):
    """Installed version of a Python package, or "?"."""
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return "?"


def find_line(lines, start, regex, window):
    """Number (1-based) of the first line matching `regex` among `window`
    lines from line `start` on; `start` if none does."""
    pat = re.compile(regex)
    for i in range(start - 1, min(len(lines), start + window)):
        if pat.search(lines[i]):
            return i + 1
    return start


# --------------------------------------------------------------------------
# corpus and gatecheck report
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


def read_json(path):
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


def write_json(path, data, indent=None):
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=indent)


def run_report_cmd(cmd, corpus, report_path):
    cmd = cmd.replace("{corpus}", corpus)
    print(f"# running: {cmd}", file=sys.stderr)
    res = subprocess.run(cmd, shell=True, stdout=subprocess.PIPE)
    if res.returncode not in (0, 1):  # 1 may mean "threshold exceeded"
        sys.exit(f"report command failed with exit code {res.returncode}")
    if report_path:
        return read_json(report_path)
    return json.loads(res.stdout.decode("utf-8"))


def load_report(args):
    if args.cmd:
        return run_report_cmd(args.cmd, os.path.abspath(args.corpus), args.report)
    return read_json(args.report)


def is_language(entry, language):
    """True if a report file entry is of `language` (by extension if unset)."""
    name = (entry.get("language") or "").lower()
    if name:
        return name == language.name
    return entry.get("path", "").endswith(language.exts)


def relative_to_corpus(path, root, corpus):
    """A report path, relative to the report's `root`, made relative to `corpus`."""
    if os.path.isabs(path):
        return os.path.relpath(path, corpus)
    if os.path.isabs(root) and os.path.abspath(root) != corpus:
        return os.path.relpath(os.path.join(root, path), corpus)
    return path


def report_entries(report, corpus, language):
    """{relpath: [function dict, ...]} for the files of one language."""
    corpus = os.path.abspath(corpus)
    root = report.get("root") or corpus
    out = {}
    for f in report.get("files", []):
        if is_language(f, language):
            rel = relative_to_corpus(f.get("path", ""), root, corpus)
            out[norm_rel(rel)] = list(f.get("functions") or [])
    return out


@dataclass
class Selection:
    """The corpus, the files to run the tool on and the report's functions."""
    corpus: str
    files: list
    ours_files: Optional[dict] = None


def select_files(args, language):
    """Corpus files to run the reference tool on, and (unless --self-test) the
    report's functions by file."""
    corpus = os.path.abspath(args.corpus)
    all_files = corpus_files(corpus, language.exts)
    if args.self_test:
        return Selection(corpus, all_files)
    ours_files = report_entries(load_report(args), corpus, language)
    files = all_files if args.files == "corpus" else sorted(ours_files)
    return Selection(corpus, files, ours_files)


def new_report(root):
    return {"schema_version": 1, "root": root, "files": []}


def fake_entries(args, report, corpus, language):
    """Save the --self-test report if asked (--write-fake) and read it back."""
    if args.write_fake:
        write_json(args.write_fake, report)
    return report_entries(report, corpus, language)


# --------------------------------------------------------------------------
# nesting of the report's functions
# --------------------------------------------------------------------------

def kind_rank(f):
    return KIND_RANK.get(f.get("kind"), DEF_RANK)


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
    return kind_rank(inner) < kind_rank(outer)


def nesting_order(f):
    return (f["start_line"], -f.get("end_line", f["start_line"]), -kind_rank(f))


def annotate_nesting(funcs):
    """Set f['_parent'] to the innermost containing function (or None) and
    f['_children'] to the directly contained functions (line-range sweep)."""
    stack = []
    for f in sorted(funcs, key=nesting_order):
        f["_children"] = []
        while stack and not contains(stack[-1], f):
            stack.pop()
        f["_parent"] = stack[-1] if stack else None
        if stack:
            stack[-1]["_children"].append(f)
        stack.append(f)


def enclosing_def(f):
    """The innermost enclosing entry that is not a lambda, or None."""
    p = f.get("_parent")
    while p is not None and p.get("kind") == "lambda":
        p = p.get("_parent")
    return p


# --------------------------------------------------------------------------
# join and summary
# --------------------------------------------------------------------------

@dataclass
class Join:
    """Result of pairing both sides: (key, ours, theirs) and the leftovers."""
    matched: list = field(default_factory=list)
    ours_only: list = field(default_factory=list)
    theirs_only: list = field(default_factory=list)


@dataclass
class Rules:
    """How to read values and describe functions of each side."""
    value_ours: Callable
    value_theirs: Callable
    category: Optional[Callable] = None
    describe_ours: Optional[Callable] = None
    describe_theirs: Optional[Callable] = None

    def equal(self, a, b):
        return self.value_ours(a) == self.value_theirs(b)


@dataclass
class Output:
    """What to print or write besides the counts."""
    limit: int
    show_unmatched: int = 0
    json_out: Optional[str] = None

    @classmethod
    def from_args(cls, args):
        return cls(args.limit, args.show_unmatched, args.json_out)


def index_records(records_by_file, line_field, keep=None):
    """{(relpath, line, name): [record, ...]} of the tool's records."""
    out = defaultdict(list)
    for rel, recs in records_by_file.items():
        for r in recs:
            if keep is None or keep(r):
                out[(rel, r[line_field], r["name"])].append(r)
    return out


def key_order(k):
    return (str(k[0]), k[1] if isinstance(k[1], int) else -1, str(k[2]))


def pair_up(ours, theirs):
    """Join two {key: [items]} maps.  Items with the same key pair in order."""
    join = Join()
    for key in sorted(set(ours) | set(theirs), key=key_order):
        a, b = ours.get(key, []), theirs.get(key, [])
        join.matched.extend((key, x, y) for x, y in zip(a, b))
        join.ours_only.extend((key, x) for x in a[len(b):])
        join.theirs_only.extend((key, y) for y in b[len(a):])
    return join


def equal_counts(join, mism):
    """Functions compared, how many are equal, and that as a percentage."""
    n = len(join.matched)
    eq = n - len(mism)
    return n, eq, (100.0 * eq / n) if n else 0.0


def print_counts(title, join, mism):
    n, eq, pct = equal_counts(join, mism)
    print(f"== {title}")
    print(f"functions compared: {n}")
    print(f"equal:              {eq} ({pct:.2f}%)")
    print(f"mismatched:         {len(mism)}")
    print(f"unmatched ours:     {len(join.ours_only)}")
    print(f"unmatched theirs:   {len(join.theirs_only)}")


def print_categories(matched, rules):
    cats = defaultdict(lambda: [0, 0])
    for _, a, b in matched:
        c = rules.category(a)
        cats[c][0] += 1
        cats[c][1] += rules.equal(a, b)
    for c in sorted(cats):
        tot, good = cats[c]
        print(f"  {c:40s} {good}/{tot} equal ({100.0 * good / tot:.2f}%)")


def print_unmatched_categories(side, items, describe):
    if describe and items:
        c = Counter(describe(x) for _, x in items)
        print(f"unmatched {side} by category: "
              + ", ".join(f"{k}={v}" for k, v in c.most_common()))


def difference(a, b, rules):
    try:
        return rules.value_ours(a) - rules.value_theirs(b)
    except TypeError:
        return "n/a"


def histogram_item(k, v):
    return f"{k:+}={v}" if isinstance(k, int) else f"{k}={v}"


def print_mismatches(mism, rules, limit):
    d = Counter(difference(a, b, rules) for _, a, b in mism)
    top = sorted(d.items(), key=lambda kv: -kv[1])[:12]
    print("difference ours-theirs histogram: " + ", ".join(histogram_item(k, v) for k, v in top))
    print(f"first {min(limit, len(mism))} mismatches (path:line name ours theirs):")
    for (k, a, b) in mism[:limit]:
        print(f"  {k[0]}:{k[1]} {k[2]} {rules.value_ours(a)} {rules.value_theirs(b)}")


def print_examples(side, items, n, describe):
    if items:
        print(f"first {min(n, len(items))} unmatched {side}:")
        for k, x in items[:n]:
            print(f"  {k[0]}:{k[1]} {k[2]}{describe(x)}")


def print_unmatched_examples(join, n):
    print_examples("ours", join.ours_only, n,
                   lambda a: f" kind={a.get('kind')} {a.get('qualified_name', '')}")
    print_examples("theirs", join.theirs_only, n, lambda b: "")


def write_json_summary(path, title, join, mism, rules):
    n, eq, pct = equal_counts(join, mism)
    summary = {
        "title": title, "compared": n, "equal": eq, "equal_pct": pct,
        "unmatched_ours": len(join.ours_only), "unmatched_theirs": len(join.theirs_only),
        "mismatches": [{"path": k[0], "line": k[1], "name": k[2],
                        "ours": rules.value_ours(a), "theirs": rules.value_theirs(b)}
                       for k, a, b in mism],
    }
    write_json(path, summary, indent=1)


def mismatches(join, rules):
    """The matched pairs whose values differ: (key, ours, theirs)."""
    return [(k, a, b) for (k, a, b) in join.matched if not rules.equal(a, b)]


def print_summary(title, join, rules, out):
    """Print the comparison; True if every compared function agrees."""
    mism = mismatches(join, rules)
    print_counts(title, join, mism)
    if rules.category:
        print_categories(join.matched, rules)
    print_unmatched_categories("ours", join.ours_only, rules.describe_ours)
    print_unmatched_categories("theirs", join.theirs_only, rules.describe_theirs)
    if mism:
        print_mismatches(mism, rules, out.limit)
    if out.show_unmatched:
        print_unmatched_examples(join, out.show_unmatched)
    if out.json_out:
        write_json_summary(out.json_out, title, join, mism, rules)
    return not mism


def self_test_result(ok, join):
    """Print the self-test verdict (no mismatch, nothing unmatched); exit code."""
    good = ok and not join.ours_only and not join.theirs_only
    print(f"self-test: {'PASS' if good else 'FAIL'}")
    return 0 if good else 1
