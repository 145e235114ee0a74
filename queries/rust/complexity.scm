; Decision points and nesting for Rust. Which capture counts toward which metric is
; decided once, in src/metrics/; this file only says where the constructs are.

; `if` (and `if let`) opens a branch; its block is one nesting level deeper
(if_expression
  consequence: (block) @nesting) @branch.if

; `else if` is a further branch of the same chain, not a nested `if`
(else_clause
  (if_expression) @branch.else_if)

; the final `else { ... }`
(else_clause
  (block) @nesting) @branch.else

; loops
(for_expression
  body: (block) @nesting) @branch.loop

(while_expression
  body: (block) @nesting) @branch.loop

(loop_expression
  body: (block) @nesting) @branch.loop

; `match` is one switch; each arm is a branch (rust-code-analysis counts every arm)
(match_expression
  body: (match_block) @nesting) @branch.switch

(match_arm) @branch.case

; a match guard `pat if cond =>` is one more decision
(match_pattern
  condition: (_) @branch.guard)

; the `?` operator is an early-return path
(try_expression) @branch.try_op

; `break 'label` and `continue 'label` jump out of the structure
(break_expression
  (label)) @jump.label

(continue_expression
  (label)) @jump.label

; boolean operators: one node per operator
(binary_expression
  operator: "&&") @logic.and

(binary_expression
  operator: "||") @logic.or

; `if let ... && ...` chains
(let_chain
  "&&" @logic.and)

; an operand that is the same operator (parentheses are transparent) continues the sequence
(binary_expression
  left: [
    (binary_expression
      operator: "&&") @logic.continued
    (parenthesized_expression
      (binary_expression
        operator: "&&") @logic.continued)
  ]
  operator: "&&")

(binary_expression
  operator: "&&"
  right: [
    (binary_expression
      operator: "&&") @logic.continued
    (parenthesized_expression
      (binary_expression
        operator: "&&") @logic.continued)
  ])

(binary_expression
  left: [
    (binary_expression
      operator: "||") @logic.continued
    (parenthesized_expression
      (binary_expression
        operator: "||") @logic.continued)
  ]
  operator: "||")

(binary_expression
  operator: "||"
  right: [
    (binary_expression
      operator: "||") @logic.continued
    (parenthesized_expression
      (binary_expression
        operator: "||") @logic.continued)
  ])

; in a let chain, every `&&` after the first continues the sequence
(let_chain
  "&&"
  "&&" @logic.continued)

; macro arguments are token trees that tree-sitter does not parse: a control-flow keyword in
; them is one decision for cyclomatic complexity, as rust-code-analysis counts it (no
; structure is known, so it adds nothing to cognitive complexity or nesting)
(token_tree
  [
    "if"
    "for"
    "while"
    "loop"
  ] @branch.unparsed)
