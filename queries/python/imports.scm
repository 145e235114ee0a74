; Imports and the facts cohesion (LCOM4) is computed from (Python).
; `from __future__ import ...` is its own node kind and is not captured: it imports nothing.

; `import a.b.c, d` and `import a.b as c`: one module per name
(import_statement
  name: (dotted_name) @import.module) @import

(import_statement
  name: (aliased_import
    name: (dotted_name) @import.module)) @import

; `from a.b import c, d as e`, `from ..a import b`, `from . import x`, `from x import *`
(import_from_statement
  module_name: (_) @import.from) @import

(import_from_statement
  name: (dotted_name) @import.name)

(import_from_statement
  name: (aliased_import
    name: (dotted_name) @import.name))

(import_from_statement
  (wildcard_import) @import.wildcard)

; `if TYPE_CHECKING:` / `if typing.TYPE_CHECKING:`: the body only runs under a type checker
(if_statement
  condition: [
    (identifier)
    (attribute)
  ] @_condition
  consequence: (block) @import.type_checking
  (#match? @_condition "^(typing\\.)?TYPE_CHECKING$"))

; `@import.deferred` (a function body), `@cohesion.class` and `@cohesion.method` share the
; patterns of tags.scm that capture the same nodes: one match per node instead of two

; cohesion leaves out:

; dunder methods other than `__init__` are protocol plumbing, not responsibilities (matched on
; any function: only methods count for cohesion, and a pattern rooted at the class would stay
; alive through the whole class body, which the query engine pays for at every node)
(function_definition
  name: (identifier) @_dunder
  (#match? @_dunder "^__.+__$")
  (#not-eq? @_dunder "__init__")) @cohesion.excluded

; static and class methods have no instance to share
(decorated_definition
  (decorator
    (identifier) @_static)
  definition: (function_definition) @cohesion.excluded
  (#any-of? @_static "staticmethod" "classmethod"))

; `self.x`; followed by an argument list (`self.m()`) it is a call, which the sweep tells
; from the text: a second pattern on every call would cost a match per call
(attribute
  object: (identifier) @_self
  attribute: (identifier) @reference.self_field
  (#eq? @_self "self"))
