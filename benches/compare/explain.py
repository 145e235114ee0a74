"""Why a Python function's value differs from the reference tool's (--explain).

Each mismatch is looked up with Python's `ast` and given the first documented cause
(docs/metrics.md, "Agreement with the reference tools") that its function has:

* radon 6.0.1: handlers of `try ... except*` (radon does not count them), what is inside
  an `assert`, a class body in the function, a decorator or a default value;
* complexipy 8.3.0: a decorator-shaped function (its body is one nested `def` and a
  `return`: complexipy scores the nested def alone, without its nesting level), a nested
  def inside a `try` / `with` / `else` at the top of a body (complexipy adds no level), a
  ternary, comprehension or lambda inside a comprehension (complexipy nests it one level
  deeper), and what complexipy does not look into (the operand, argument, statement
  or clause that hides it is named: keyword argument, arithmetic operand, subscript, ...).

A mismatch with none of these is printed as "no documented cause": a gatecheck bug, or a
cause that this file and docs/metrics.md should name.  Standard library only.
"""
import ast
import os
from collections import Counter

FUNC = (ast.FunctionDef, ast.AsyncFunctionDef)
COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)
TRY = (ast.Try, getattr(ast, "TryStar", ast.Try))
NESTING_STMTS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.Match, ast.ExceptHandler)
# What counts in cognitive complexity inside an expression.
COUNTED_EXPRS = (ast.BoolOp, ast.IfExp, ast.comprehension, ast.Lambda)
# What counts in cyclomatic complexity.
DECISIONS = (ast.BoolOp, ast.IfExp, ast.comprehension, ast.If, ast.For, ast.AsyncFor,
             ast.While, ast.ExceptHandler, ast.Assert, ast.Match)
NO_CAUSE = "no documented cause"

# The places complexipy does not look into: by the type of the hidden node itself...
HIDDEN_NODE = {"keyword": "keyword argument", "arguments": "default value",
               "match_case": "case guard"}
# ... else by the type of the node that holds it.
HIDDEN_IN = {
    "BinOp": "arithmetic operand", "Subscript": "subscript", "Attribute": "attribute target",
    "JoinedStr": "f-string", "FormattedValue": "f-string", "Await": "await", "Yield": "yield",
    "YieldFrom": "yield", "NamedExpr": "walrus", "Starred": "starred argument",
    "BoolOp": "boolean operand", "UnaryOp": "unary operand", "Call": "call target",
    "Match": "match subject", "ClassDef": "class body", "Dict": "dict key",
    "Assign": "assignment target", "AugAssign": "assignment target", "For": "loop target",
    "AnnAssign": "annotation", "ExceptHandler": "except clause",
}


# --------------------------------------------------------------------------
# what complexipy looks into (its traversal: count_bool_ops and the statements)
# --------------------------------------------------------------------------

def _bool_values(node, seen):
    """complexipy follows a boolean operation into nested boolean and `not` operands only."""
    if isinstance(node, (ast.BoolOp, ast.UnaryOp)):
        seen.add(id(node))
        for child in node.values if isinstance(node, ast.BoolOp) else [node.operand]:
            _bool_values(child, seen)


def _expr_children(e):
    """The sub-expressions complexipy looks into, by expression kind."""
    if isinstance(e, ast.Compare):
        return [e.left] + e.comparators
    if isinstance(e, ast.IfExp):
        return [e.test, e.body, e.orelse]
    if isinstance(e, ast.Lambda):
        return [e.body]
    if isinstance(e, COMPREHENSIONS):
        parts = [e.key, e.value] if isinstance(e, ast.DictComp) else [e.elt]
        return list(e.generators) + parts
    if isinstance(e, ast.comprehension):
        return [e.iter] + e.ifs
    if isinstance(e, ast.Call):
        return e.args
    if isinstance(e, (ast.Tuple, ast.List, ast.Set)):
        return e.elts
    if isinstance(e, ast.Dict):
        return e.values
    return []


def _look_into_expr(e, seen):
    if e is None:
        return
    seen.add(id(e))
    if isinstance(e, (ast.BoolOp, ast.UnaryOp)):
        _bool_values(e, seen)
        return
    for child in _expr_children(e):
        _look_into_expr(child, seen)


def is_decorator_shaped(f):
    return (isinstance(f, FUNC) and len(f.body) == 2 and isinstance(f.body[0], FUNC)
            and isinstance(f.body[1], ast.Return))


# (expressions, statement lists) complexipy looks into, by statement kind; any other
# statement: its `value` only (assignments, return, expression statements).
STMT_PARTS = {
    ast.ClassDef: lambda s: ([], [[b for b in s.body if isinstance(b, FUNC)]]),
    ast.For: lambda s: ([s.iter], [s.body, s.orelse]),
    ast.AsyncFor: lambda s: ([s.iter], [s.body, s.orelse]),
    ast.While: lambda s: ([s.test], [s.body, s.orelse]),
    ast.If: lambda s: ([s.test], [s.body, s.orelse]),
    ast.With: lambda s: ([i.context_expr for i in s.items], [s.body]),
    ast.AsyncWith: lambda s: ([i.context_expr for i in s.items], [s.body]),
    ast.Match: lambda s: ([], [c.body for c in s.cases]),
    ast.Raise: lambda s: ([s.exc, s.cause], []),
    ast.Assert: lambda s: ([s.test, s.msg], []),
}
for _try in set(TRY):
    STMT_PARTS[_try] = lambda s: ([], [s.body, s.orelse, s.finalbody]
                                  + [h.body for h in s.handlers])


def _stmt_parts(s):
    parts = STMT_PARTS.get(type(s))
    return parts(s) if parts else ([getattr(s, "value", None)], [])


def _look_into_stmt(s, seen, found):
    seen.add(id(s))
    if is_decorator_shaped(s):
        found.add("decorator-shaped function (complexipy: the nested def alone)")
        s = s.body[0]
        seen.add(id(s))
    if isinstance(s, FUNC):
        for b in s.body:
            _look_into_stmt(b, seen, found)
        return
    exprs, bodies = _stmt_parts(s)
    for e in exprs:
        _look_into_expr(e, seen)
    for body in bodies:
        for b in body:
            _look_into_stmt(b, seen, found)
    if isinstance(s, TRY):
        seen.update(id(h) for h in s.handlers)


# --------------------------------------------------------------------------
# causes
# --------------------------------------------------------------------------

def _parents(f):
    parents = {}
    for p in ast.walk(f):
        for c in ast.iter_child_nodes(p):
            parents[id(c)] = p
    return parents


def _counts(n):
    """True if a node adds to cognitive complexity wherever complexipy sees it."""
    if isinstance(n, ast.Lambda):
        return any(isinstance(x, COUNTED_EXPRS) for x in ast.walk(n.body))
    return isinstance(n, COUNTED_EXPRS) or isinstance(n, NESTING_STMTS)


def _hidden_in(n, parents, seen):
    """The place that hides an unseen node: its topmost unseen ancestor, or what holds that."""
    while id(parents.get(id(n))) not in seen and id(n) in parents:
        n = parents[id(n)]
    holder = parents.get(id(n))
    if n in getattr(holder, "decorator_list", ()):
        return "decorator"
    name = type(holder).__name__
    if isinstance(holder, ast.stmt) and name not in HIDDEN_IN:
        name = "statement " + name
    return HIDDEN_NODE.get(type(n).__name__) or HIDDEN_IN.get(name, name)


def _inside_comprehension(n, parents):
    """A nesting-sensitive node in a comprehension's element or filter (not its own `for`)."""
    if not isinstance(n, (ast.IfExp, ast.comprehension, ast.Lambda)):
        return False
    p = parents.get(id(n))
    while p is not None and not isinstance(p, ast.stmt):
        if isinstance(p, COMPREHENSIONS) and n not in p.generators:
            return True
        p = parents.get(id(p))
    return False


def _flat_bodies(s):
    """The statement lists of `s` that complexipy reads at the level of `s` itself."""
    if isinstance(s, TRY):
        return [s.body, s.orelse, s.finalbody]
    if isinstance(s, (ast.With, ast.AsyncWith)):
        return [s.body]
    if isinstance(s, (ast.For, ast.AsyncFor, ast.While)):
        return [s.orelse]
    return []


def _def_in_try_or_with(f):
    """A nested def in a try / with / loop-else body that no nesting structure encloses."""
    def walk(stmts, hidden):
        for s in stmts:
            if isinstance(s, FUNC) and (hidden or walk(s.body, False)):
                return True
            if any(walk(body, True) for body in _flat_bodies(s)):
                return True
        return False
    return walk(f.body, False)


def _nesting_causes(f, found):
    """complexipy's own nesting rules that gatecheck does not follow, found in `f`."""
    causes = sorted(found)
    if _def_in_try_or_with(f):
        causes.append("nested def in a try / with / else (complexipy: no level)")
    return causes


def complexipy_causes(f):
    """Every documented cause of a complexipy difference that function `f` has, in order."""
    seen, found = set(), set()
    _look_into_stmt(f, seen, found)
    causes = _nesting_causes(f, found)
    parents = _parents(f)
    counted = [n for n in ast.walk(f) if n is not f and _counts(n)]
    if any(id(n) in seen and _inside_comprehension(n, parents) for n in counted):
        causes.append("nesting inside a comprehension (complexipy: one level deeper)")
    hidden = sorted({_hidden_in(n, parents, seen) for n in counted if id(n) not in seen})
    causes.extend(f"complexipy does not look into: {h}" for h in hidden)
    return causes


def _own_nodes(f):
    """f's nodes outside nested functions and classes (which radon measures apart)."""
    stack, out = list(f.body), []
    while stack:
        n = stack.pop()
        out.append(n)
        if not isinstance(n, FUNC + (ast.ClassDef,)):
            stack.extend(ast.iter_child_nodes(n))
    return out


def _has_decision(nodes):
    return any(isinstance(n, DECISIONS) for x in nodes if x is not None for n in ast.walk(x))


def _radon_node_causes(n):
    causes = []
    if type(n).__name__ == "TryStar":
        causes.append("except* (radon does not count its handlers)")
    if isinstance(n, ast.Assert) and _has_decision([n.test, n.msg]):
        causes.append("inside an assert (radon does not look)")
    if isinstance(n, ast.ClassDef) and _has_decision(
            [b for b in n.body if not isinstance(b, FUNC)] + n.bases + n.keywords):
        causes.append("class body in a function (radon: the class's)")
    if isinstance(n, FUNC + (ast.ClassDef,)) and _has_decision(n.decorator_list):
        causes.append("decorator (radon: nowhere)")
    return causes


def radon_causes(f):
    """Every documented cause of a radon difference that function `f` has."""
    causes = []
    for n in _own_nodes(f):
        causes.extend(c for c in _radon_node_causes(n) if c not in causes)
    if _has_decision(f.args.defaults + f.args.kw_defaults):
        causes.append("default value (radon: nowhere)")
    return causes


# --------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------

class Sources:
    """Parsed corpus files, each read once; functions found by (def line, name)."""

    def __init__(self, corpus):
        self.corpus = corpus
        self.trees = {}

    def function(self, rel, line, name):
        if rel not in self.trees:
            with open(os.path.join(self.corpus, rel), "rb") as fh:
                self.trees[rel] = ast.parse(fh.read())
        return next((n for n in ast.walk(self.trees[rel])
                     if isinstance(n, FUNC) and n.lineno == line and n.name == name), None)


def print_causes(mismatches, corpus, causes_of, limit=3):
    """Counts of mismatches by their first cause, with `limit` examples of each."""
    sources, by_cause = Sources(corpus), {}
    for key, a, b in mismatches:
        f = sources.function(*key)
        cause = (causes_of(f) if f is not None else ["function not found by ast"]) or [NO_CAUSE]
        by_cause.setdefault(cause[0], []).append((key, a, b))
    counts = Counter({cause: len(items) for cause, items in by_cause.items()})
    print(f"mismatches by first documented cause ({len(mismatches)}):")
    for cause, n in counts.most_common():
        print(f"  {n:6d}  {cause}")
        shown = by_cause[cause] if cause == NO_CAUSE else by_cause[cause][:limit]
        for (rel, line, name), a, b in shown:
            print(f"            e.g. {rel}:{line} {name}")
