; Decision points and nesting for Python. Which capture counts toward which metric is
; decided once, in src/metrics/; this file only says where the constructs are.

; `if` opens a branch; its body is one nesting level deeper
(if_statement
  consequence: (block) @nesting) @branch.if

; `elif` is a further branch of the same `if`
(elif_clause
  consequence: (block) @nesting) @branch.else_if

; the final `else` of an `if`
(if_statement
  alternative: (else_clause
    body: (block) @nesting) @branch.else)

; loops; `async for` is a for_statement too
(for_statement
  body: (block) @nesting) @branch.loop

(while_statement
  body: (block) @nesting) @branch.loop

; a loop's `else` runs when no `break` happened: one more path (its body is not nested
; deeper, as in complexipy: it reads like the code after the loop)
(for_statement
  alternative: (else_clause) @branch.loop_else)

(while_statement
  alternative: (else_clause) @branch.loop_else)

; each `except` (and `except*`) handler is a branch
(except_clause
  (block) @nesting) @branch.catch

; `try ... else` runs when no exception was raised (body not nested, like the `try` body)
(try_statement
  (else_clause) @branch.try_else)

; `match` is one switch; each `case` is a branch
(match_statement
  body: (block) @nesting) @branch.switch

(case_clause) @branch.case

; `case _:`, a bare capture `case x:` and `case (x):` match anything, guard or not: the
; default path, which radon does not count (at most one per match; the metric code keeps that
; rule). `case x,:` (a sequence), `case a, b:` and the constants `None`, `True`, `False` are
; real patterns. Node types cannot tell `case x,:` from `case x:`, so the clause text decides.
((case_clause) @branch.case_default
  (#match? @branch.case_default "^case\\s*[(\\s]*[^\\W\\d]\\w*[)\\s]*(if\\s[^\\n]*)?:")
  (#not-match? @branch.case_default "^case\\s*[(\\s]*(None|True|False)[)\\s]*(if\\s[^\\n]*)?:"))

; conditional expression `a if c else b`
(conditional_expression) @branch.ternary @nesting

; comprehensions: each `for` and each `if` clause is a decision
(for_in_clause) @branch.comprehension

(list_comprehension
  (if_clause) @branch.comprehension_if)

(set_comprehension
  (if_clause) @branch.comprehension_if)

(dictionary_comprehension
  (if_clause) @branch.comprehension_if)

(generator_expression
  (if_clause) @branch.comprehension_if)

; `assert` raises on one path
(assert_statement) @branch.assert

; boolean operators: one node per operator
(boolean_operator
  operator: "and") @logic.and

(boolean_operator
  operator: "or") @logic.or

; an operand that is the same operator (parentheses are transparent) continues the sequence
(boolean_operator
  left: [
    (boolean_operator
      operator: "and") @logic.continued
    (parenthesized_expression
      (boolean_operator
        operator: "and") @logic.continued)
  ]
  operator: "and")

(boolean_operator
  operator: "and"
  right: [
    (boolean_operator
      operator: "and") @logic.continued
    (parenthesized_expression
      (boolean_operator
        operator: "and") @logic.continued)
  ])

(boolean_operator
  left: [
    (boolean_operator
      operator: "or") @logic.continued
    (parenthesized_expression
      (boolean_operator
        operator: "or") @logic.continued)
  ]
  operator: "or")

(boolean_operator
  operator: "or"
  right: [
    (boolean_operator
      operator: "or") @logic.continued
    (parenthesized_expression
      (boolean_operator
        operator: "or") @logic.continued)
  ])
