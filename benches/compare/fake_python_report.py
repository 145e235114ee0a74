"""Fake gatecheck report for the --self-test of the Python agreement scripts.

radon_agreement.py and complexipy_agreement.py build the list of functions of
each file with Python's `ast` (def line, bare name, kind, qualified name) and
fill in the reference tool's value by a key other than the join key: radon's
(line, column), complexipy's (Class::name, end line).  Joining that report
checks the join rules.  Standard library only.
"""
import ast
import os
from dataclasses import dataclass

import agreement


@dataclass
class Scope:
    """Where the `ast` walk is: qualified name, enclosing classes, context."""
    qual: str
    classes: list
    in_func: bool
    in_class: bool


def skeleton_entry(name, qual, kind, node, cpx):
    return {"name": name, "qualified_name": qual, "kind": kind,
            "start_line": node.lineno, "end_line": node.end_lineno,
            "_col": node.col_offset, "_cpx": cpx}


def add_def(node, scope, out):
    """Entry for a def; `_cpx` is complexipy's name, None inside a def."""
    kind = "method" if scope.in_class else ("closure" if scope.in_func else "function")
    q = f"{scope.qual}.{node.name}"
    cpx = None if scope.in_func else "::".join(scope.classes + [node.name])
    out.append(skeleton_entry(node.name, q, kind, node, cpx))
    return Scope(q, scope.classes, True, False)


def add_lambda(node, scope, out):
    out.append(skeleton_entry("<lambda>", f"{scope.qual}.<lambda>", "lambda", node, None))
    return Scope(scope.qual, scope.classes, True, False)


def class_scope(node, scope):
    return Scope(f"{scope.qual}.{node.name}", scope.classes + [node.name], scope.in_func, True)


def walk_skeleton(node, scope, out):
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
            walk_skeleton(child, add_def(child, scope, out), out)
        elif isinstance(child, ast.ClassDef):
            walk_skeleton(child, class_scope(child, scope), out)
        elif isinstance(child, ast.Lambda):
            walk_skeleton(child, add_lambda(child, scope, out), out)
        else:
            walk_skeleton(child, scope, out)


def ast_skeleton(path, rel):
    """gatecheck-like function list for one file, built with `ast` only.
    Entries carry `_col` (column of the def) and `_cpx` (complexipy name),
    which the caller removes."""
    with open(path, "rb") as fh:
        src = fh.read()
    tree = ast.parse(src, filename=rel)
    out = []
    walk_skeleton(tree, Scope(rel[:-3].replace("/", "."), [], False, False), out)
    return out


def skeleton_report(corpus, files, errors, fill):
    """Fake report of the files the tool could parse: skeleton from `ast`,
    values set by fill(rel, funcs), which must remove `_col` and `_cpx`."""
    report = agreement.new_report(os.path.abspath(corpus))
    for rel in files:
        if rel in errors:
            continue
        try:
            funcs = ast_skeleton(os.path.join(corpus, rel), rel)
        except (SyntaxError, ValueError, UnicodeDecodeError):
            continue
        fill(rel, funcs)
        report["files"].append({"path": rel, "language": agreement.PYTHON.name, "functions": funcs})
    return report
