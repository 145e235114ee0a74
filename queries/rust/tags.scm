; Functions, methods, closures and the scopes that qualify their names (Rust).
; Trait method declarations without a body (function_signature_item) are not functions.

; a method: a function in an `impl` or `trait` body
(impl_item
  body: (declaration_list
    (function_item
      name: (identifier) @name) @definition.method))

(trait_item
  body: (declaration_list
    (function_item
      name: (identifier) @name) @definition.method))

; any other function, including functions nested in functions
(function_item
  name: (identifier) @name) @definition.function

; a closure is measured as its own anonymous function
(closure_expression) @definition.closure

; an `impl` block qualifies its methods with the type it implements
(impl_item
  type: (_) @name) @definition.class

(trait_item
  name: (type_identifier) @name) @definition.class

; an inline `mod name { ... }` qualifies what it contains
(mod_item
  name: (identifier) @name
  body: (declaration_list)) @definition.module

; parameters: every declared parameter, `self` included
(parameters
  [
    (parameter)
    (self_parameter)
    (variadic_parameter)
  ] @parameter)

(closure_parameters
  (_) @parameter)

; `|_, x|`: the wildcard is an unnamed token, still a parameter
(closure_parameters
  "_" @parameter)

; attributes and outer doc comments: a suppression comment above them applies to the item below
(attribute_item) @decorator

(line_comment
  outer: (outer_doc_comment_marker)) @decorator

(block_comment
  outer: (outer_doc_comment_marker)) @decorator

; a call by a bare name: a call of the enclosing function itself is recursion
(call_expression
  function: (identifier) @reference.call)
