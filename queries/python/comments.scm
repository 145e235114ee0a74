; Comments and docstrings (Python). Lines holding only these are comment lines.

(comment) @comment

; a docstring is a string statement that opens a module, class or function body
(module
  .
  (expression_statement
    (string) @docstring))

(class_definition
  body: (block
    .
    (expression_statement
      (string) @docstring)))

(function_definition
  body: (block
    .
    (expression_statement
      (string) @docstring)))
