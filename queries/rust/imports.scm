; Imports, module declarations and the facts cohesion (LCOM4) is computed from (Rust).

; `use` (also `pub use`): the whole use tree, split into paths by src/lang/rust.rs
(use_declaration
  argument: (_) @import.module) @import

(extern_crate_declaration
  name: (identifier) @import.module) @import

; a path in code into the same crate: `crate::a::f()`, `super::x::T`, `self::m::C`;
; only the first segment is captured, the rest of the path follows it in the text
(scoped_identifier
  path: [
    (crate)
    (self)
    (super)
  ] @import.path)

(scoped_type_identifier
  path: [
    (crate)
    (self)
    (super)
  ] @import.path)

; `mod x;`: a module in another file
(mod_item
  name: (identifier) @name
  !body) @module.declaration

; `#[path = "x.rs"]` above it
(attribute_item
  (attribute
    (identifier) @_path
    value: (string_literal) @module.path)
  (#eq? @_path "path"))

; cohesion: an inherent `impl` (not a trait impl)
(impl_item
  !trait
  type: (_) @name) @cohesion.class

; a function with a `self` parameter is a method of an impl or trait; only those inside an
; inherent impl count (the sweep puts a method in its innermost `@cohesion.class`). Rooted at
; the function, not the impl, so that no pattern stays alive through a whole impl body.
(function_item
  parameters: (parameters
    (self_parameter))) @cohesion.method

; `self.x` (also `self.0`); followed by an argument list (`self.m()`) it is a call, which the
; sweep tells from the text; and `Self::m()`
(field_expression
  value: (self)
  field: (_) @reference.self_field)

(call_expression
  function: (scoped_identifier
    path: (identifier) @_self_type
    name: (identifier) @reference.self_call)
  (#eq? @_self_type "Self"))
