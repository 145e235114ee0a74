//! Unit tests of what the matcher refuses to compile: one case per refusal and per kind of
//! error, each with its message and position. (What it accepts is checked against tree-sitter
//! by `tests/it/matcher.rs` and `tests/it/matcher_fuzz`.)
#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "tests: a failed expectation is a test failure"
)]

use super::{Error, ErrorKind, Program};

fn python() -> tree_sitter::Language {
    tree_sitter_python::LANGUAGE.into()
}

fn compile(text: &str) -> Result<(Program, Vec<String>), Error> {
    Program::compile(&python(), text)
}

/// Asserts that `text` fails with `kind`, a message containing `message`, at 1-based
/// `row:column` of the text.
fn refuses(text: &str, kind: ErrorKind, message: &str, at: (usize, usize)) {
    let Err(error) = compile(text) else {
        panic!("{text:?} compiled");
    };
    assert_eq!(error.kind, kind, "{text:?}: {error}");
    assert!(error.message.contains(message), "{text:?}: {error}");
    assert_eq!((error.row + 1, error.column + 1), at, "{text:?}: {error}");
}

/// Constructs tree-sitter reads that the matcher refuses (`ErrorKind::Unsupported`), with the
/// text that must be in the message and where it points.
const UNSUPPORTED: &[(&str, &str, (usize, usize))] = &[
    (
        "((identifier) (string))",
        "a top-level sequence of sibling patterns",
        (1, 15),
    ),
    (
        "(call ((identifier) (string)))",
        "a group of patterns `((a) (b))` inside a node",
        (1, 7),
    ),
    ("(call (MISSING identifier))", "`(MISSING ...)`", (1, 7)),
    ("(expression/identifier)", "a subtype test", (1, 1)),
    (
        "(call (identifier) @a . (#eq? @a \"f\"))",
        "an anchor `.` before a predicate",
        (1, 23),
    ),
    (
        "(call\n  (expression))",
        "`expression` is a supertype",
        (2, 3),
    ),
    (
        "(call [(identifier)* (string)])",
        "a quantifier inside an alternation",
        (1, 8),
    ),
    (
        "(identifier)* @a",
        "a quantifier on a top-level pattern",
        (1, 1),
    ),
    (
        "(block (comment)* . (expression_statement))",
        "an anchor `.` after a `?` or `*` pattern with no anchor before it",
        (1, 19),
    ),
    (
        "(parameters (identifier) . \")\")",
        "an anchor `.` after a child pattern that captures nothing",
        (1, 26),
    ),
    (
        "(subscript . [(true) (false)]? \"]\")",
        "an anchor `.` next to a `?` or `*` alternation",
        (1, 12),
    ),
    ("(_ (identifier)*)", "a wildcard root `(_ ...)`", (1, 1)),
    (
        "(_ [(identifier) (string)])",
        "a wildcard root `(_ ...)`",
        (1, 1),
    ),
    (
        "(_ !body (identifier))",
        "a wildcard root `(_ ...)`",
        (1, 1),
    ),
    (
        "((identifier) @a\n  (#is? @a local))",
        "predicate `#is?` is not supported",
        (2, 3),
    ),
    (
        "((identifier) @a (#any-eq? @a \"x\"))",
        "predicate `#any-eq?` is not supported",
        (1, 18),
    ),
    (
        "((identifier) @a (#set! x y))",
        "predicate `#set!`",
        (1, 18),
    ),
    (
        "(argument_list (identifier)* @a (#eq? @a \"x\"))",
        "a predicate on `@a`, captured inside a quantified pattern",
        (1, 33),
    ),
    (
        "(argument_list [(identifier) @a (string)] (#eq? @a \"x\"))",
        "a predicate on `@a`, captured inside a quantified pattern or an alternative",
        (1, 43),
    ),
    (
        "(argument_list (identifier) @a (string)? @b (#eq? @a @b))",
        "a predicate on `@b`",
        (1, 45),
    ),
];

#[test]
fn refuses_each_unsupported_construct_with_its_message_and_place() {
    for (text, message, at) in UNSUPPORTED {
        refuses(text, ErrorKind::Unsupported, message, *at);
    }
}

#[test]
fn names_what_the_grammar_or_the_pattern_lacks() {
    let unknown = ErrorKind::Unknown;
    refuses("(nosuchkind)", unknown, "no node kind `nosuchkind`", (1, 1));
    refuses(
        "(call \"nosuch\")",
        unknown,
        "no token `\"nosuch\"`",
        (1, 7),
    );
    refuses(
        "(call nosuch: (identifier))",
        unknown,
        "no field `nosuch`",
        (1, 7),
    );
    refuses("(call !nosuch)", unknown, "no field `nosuch`", (1, 7));
    refuses(
        "((identifier) (#eq? @x \"a\"))",
        unknown,
        "`@x`, which the pattern does not capture",
        (1, 15),
    );
}

#[test]
fn says_which_arguments_a_predicate_takes() {
    let shape = ErrorKind::Predicate;
    refuses(
        "((identifier) @a (#eq? @a))",
        shape,
        "`#eq?` takes a capture, then",
        (1, 18),
    );
    refuses(
        "((identifier) (#eq? \"a\" \"b\"))",
        shape,
        "`#eq?` takes",
        (1, 15),
    );
    refuses(
        "((identifier) @a (#match? @a @a))",
        shape,
        "`#match?` takes",
        (1, 18),
    );
    refuses(
        "((identifier) @a (#any-of? @a @a))",
        shape,
        "`#any-of?` takes",
        (1, 18),
    );
    refuses(
        "((identifier) @a (#match? @a \"(\"))",
        shape,
        "bad regular expression in `#match?`",
        (1, 18),
    );
}

#[test]
fn reports_syntax_errors_where_they_are() {
    let syntax = ErrorKind::Syntax;
    refuses("(call\n  (identifier)", syntax, "unclosed `(`", (2, 15));
    refuses(
        "(call .)",
        syntax,
        "an anchor `.` needs a child pattern",
        (1, 7),
    );
    refuses(
        "(call (identifier) . !body)",
        syntax,
        "must be followed by a child",
        (1, 20),
    );
    refuses("(call (identifier)?* )", syntax, "two quantifiers", (1, 20));
    refuses(
        "(call (identifier) @)",
        syntax,
        "empty capture name",
        (1, 21),
    );
    refuses("(call \"x)", syntax, "unterminated string", (1, 10));
    refuses(
        "(call function (identifier))",
        syntax,
        "expected `:`",
        (1, 16),
    );
    refuses("(call ~)", syntax, "expected a pattern", (1, 7));
}

#[test]
fn compiles_what_it_supports() {
    let supported = [
        "(call function: (identifier) @f arguments: (argument_list . (_) @first (_)* @last .))",
        "(block . (comment)* . (expression_statement (string) @docstring))",
        "(function_definition !return_type name: (identifier) @name) @def",
        "[(identifier) \"if\" (string)] @any",
        "((identifier) @a (#not-match? @a \"^_\") (#any-of? @a \"x\" \"y\") (#not-eq? @a \"z\"))",
        "(argument_list (identifier) @a \",\" (identifier) @b (#eq? @a @b))",
        "(_ (identifier) @child) @parent",
        "(_ . (identifier)* (string))",
        "(ERROR) @error",
        "_ @anything",
    ];
    for text in supported {
        if let Err(e) = compile(text) {
            panic!("{text:?}: {e}");
        }
    }
    let (_, names) = compile("((identifier) @a @b) (string) @a").expect("compiles");
    assert_eq!(names, ["a", "b"]);
}

#[test]
fn an_error_displays_its_row_and_column() {
    let error = compile("(call)\n(nosuchkind)").expect_err("an unknown kind");
    assert_eq!(
        error.to_string(),
        "2:1: the grammar has no node kind `nosuchkind`"
    );
}

#[test]
fn an_exploding_pattern_gives_up_alone_and_the_rest_of_the_file_is_matched() {
    // Every triple of the 600 arguments matches the first pattern: it gives up at its step
    // budget for that node, the run says it is incomplete, and the function after is found.
    let text = format!("f({})\ndef z(): pass\n", vec!["a"; 600].join(", "));
    let query = "(argument_list (identifier) @a (identifier) @b (identifier) @c)\n\
                 (function_definition name: (identifier) @name)";
    let (program, names) = compile(query).expect("compiles");
    let mut parser = tree_sitter::Parser::new();
    parser.set_language(&python()).expect("grammar");
    let tree = parser.parse(&text, None).expect("tree");
    let mut flat = super::FlatTree::default();
    let mut found = Vec::new();
    let outcome = program.run(&tree, &mut flat, text.as_bytes(), &mut |flat, captures| {
        for capture in captures {
            let node = flat.node(capture.node);
            let range = node.start_byte as usize..node.end_byte as usize;
            found.push((
                names[usize::from(capture.index)].clone(),
                text[range].to_owned(),
            ));
        }
    });
    assert!(!outcome.complete);
    assert!(found.contains(&("name".to_owned(), "z".to_owned())));
}
