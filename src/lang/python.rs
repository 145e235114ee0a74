//! The Python adapter: grammar, extensions, module names and the pre-parse guard.

use std::sync::OnceLock;

use super::{LanguageSpec, QuerySource, after_src};

/// Python.
pub(super) static SPEC: LanguageSpec = LanguageSpec {
    id: "python",
    extensions: &["py", "pyi"],
    grammar: || tree_sitter_python::LANGUAGE.into(),
    queries: &[
        QuerySource {
            file: "tags.scm",
            text: include_str!("../../queries/python/tags.scm"),
        },
        QuerySource {
            file: "complexity.scm",
            text: include_str!("../../queries/python/complexity.scm"),
        },
        QuerySource {
            file: "comments.scm",
            text: include_str!("../../queries/python/comments.scm"),
        },
    ],
    name_separator: ".",
    module_segments,
    guard: indentation_guard,
    compiled: OnceLock::new(),
};

/// `src/pkg/sub/mod.py` is `pkg.sub.mod`; a package's `__init__.py` is the package itself.
fn module_segments(parts: &[String]) -> Vec<String> {
    let mut segments = after_src(parts).to_vec();
    if segments.last().is_some_and(|s| s == "__init__") && segments.len() > 1 {
        segments.pop();
    }
    segments
}

/// The deepest indentation stack the guard lets through.
///
/// tree-sitter-python's external scanner serialises its indentation stack into tree-sitter's
/// 1,024-byte state buffer at two bytes a level, after up to 257 bytes of string delimiters; a
/// stack of about 384 levels overflows it and the runtime aborts the whole process with a C
/// assertion that Rust cannot catch. Real code stays far below 100 levels; 300 leaves headroom.
pub(super) const MAX_INDENT_DEPTH: usize = 300;

/// Refuses files whose indentation would crash the grammar's scanner (see [`MAX_INDENT_DEPTH`]).
///
/// The depth is measured on physical lines, as the scanner sees them; lines inside brackets or
/// strings are counted too, which can only overestimate.
fn indentation_guard(text: &str) -> Result<(), String> {
    let depth = max_indent_depth(text);
    if depth > MAX_INDENT_DEPTH {
        return Err(format!(
            "indentation is nested {depth} levels deep, more than the {MAX_INDENT_DEPTH} the \
             Python grammar can parse without crashing; the file was skipped (split the deep \
             nesting into functions)"
        ));
    }
    Ok(())
}

/// The largest number of indentation levels open at once.
fn max_indent_depth(text: &str) -> usize {
    let mut stack: Vec<usize> = Vec::new();
    let mut deepest = 0;
    for line in text.lines() {
        let Some(width) = indent_width(line) else {
            continue;
        };
        while stack.last().is_some_and(|&top| top > width) {
            stack.pop();
        }
        if width > 0 && stack.last().is_none_or(|&top| top < width) {
            stack.push(width);
            deepest = deepest.max(stack.len());
        }
    }
    deepest
}

/// Width of a line's indentation (a tab advances 8, as the grammar's scanner counts), or `None`
/// for a blank line.
fn indent_width(line: &str) -> Option<usize> {
    let mut width = 0;
    for ch in line.chars() {
        match ch {
            ' ' => width += 1,
            '\t' => width += 8,
            '\x0c' => width = 0,
            '\r' | '\n' => return None,
            _ => return Some(width),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_open_levels() {
        assert_eq!(max_indent_depth("a\n b\n  c\n d\n"), 2);
        assert_eq!(
            max_indent_depth("def f():\n    if x:\n        y\n    z\n"),
            2
        );
        assert_eq!(max_indent_depth(""), 0);
    }

    #[test]
    fn guard_refuses_the_crashing_staircase() {
        let mut text = String::new();
        for i in 0..600 {
            text.push_str(&" ".repeat(i));
            text.push_str("if 1:\n");
        }
        text.push_str(&" ".repeat(600));
        text.push_str("'s'\n");
        assert!(indentation_guard(&text).is_err());
        assert!(indentation_guard("if 1:\n    pass\n").is_ok());
    }
}
