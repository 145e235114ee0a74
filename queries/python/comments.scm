; Comments and docstrings (Python). Lines holding only these are comment lines.

(comment) @comment

; a docstring is a string statement that opens a module, class or function body (comments
; may come before it)
(module
  .
  (comment)*
  .
  (expression_statement
    (string) @docstring))

(class_definition
  body: (block
    .
    (comment)*
    .
    (expression_statement
      (string) @docstring)))

(function_definition
  body: (block
    .
    (comment)*
    .
    (expression_statement
      (string) @docstring)))
