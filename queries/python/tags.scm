; Functions, methods, lambdas and the scopes that qualify their names (Python).
; The whole definition node is captured; `@name` is the identifier that names it.

; a method: a function defined directly in a class body (decorated or not); it also counts for
; cohesion (imports.scm leaves some out), sharing this pattern to save the engine a match
(class_definition
  body: (block
    (function_definition
      name: (identifier) @name) @definition.method @cohesion.method))

(class_definition
  body: (block
    (decorated_definition
      definition: (function_definition
        name: (identifier) @name) @definition.method @cohesion.method)))

; any other function, including functions nested in functions; an import in its body runs
; when it is called (imports.scm)
(function_definition
  name: (identifier) @name) @definition.function @import.deferred

; a lambda is measured as its own anonymous function
(lambda) @definition.lambda

; classes qualify the names of what they contain; each is measured for cohesion (imports.scm)
(class_definition
  name: (identifier) @name) @definition.class @cohesion.class

; parameters: every declared parameter, `self`, `*args` and `**kwargs` included;
; the bare `*` and `/` separators are not parameters
(parameters
  [
    (identifier)
    (typed_parameter)
    (default_parameter)
    (typed_default_parameter)
    (list_splat_pattern)
    (dictionary_splat_pattern)
    (tuple_pattern)
  ] @parameter)

(lambda_parameters
  [
    (identifier)
    (typed_parameter)
    (default_parameter)
    (typed_default_parameter)
    (list_splat_pattern)
    (dictionary_splat_pattern)
    (tuple_pattern)
  ] @parameter)

; decorators: a suppression comment above them applies to the function below
(decorator) @decorator

; a call by a bare name: a call of the enclosing function itself is recursion
(call
  function: (identifier) @reference.call)
