//! Generated sources for the matcher fuzz: a small template grammar per language (nested
//! definitions, conditions, loops, boolean operators, lambdas and closures, `match`, `impl`,
//! use trees...), and random edits of the repository's fixture files, so that error recovery
//! (`ERROR` and `MISSING` nodes) is exercised too.

use std::path::Path;

use fastrand::Rng;

/// A rule: the placeholder letter, the alternatives used past the depth limit, and the
/// nested alternatives. In a template `$x` expands rule `x`; in Python, `$b` is an indented
/// block of statements (`s`), `$c` one of `case` clauses (`k`), and `$i` the current indent.
type Rule = (char, &'static [&'static str], &'static [&'static str]);

#[rustfmt::skip]
const PYTHON: &[Rule] = &[
    ('s', &[
        "pass", "$n = $e", "return $e", "break", "continue", "import $n.$n as $n",
        "from .$n import $n, $n as $n", "from $n import *", "# comment $n", "\"\"\"doc\"\"\"",
        "assert $e, $e", "raise $n($e)", "global $n", "del $n", "$e", "yield $e", "$n += $e",
    ], &[
        "if $e:$b", "if $e:$b$ielif $e:$b$ielse:$b", "while $e:$b$ielse:$b", "for $n in $e:$b",
        "for $n, $n in $e:$b$ielse:$b", "def $n($q):$b", "async def $n($q) -> $n:$b",
        "@$n\n$idef $n(self, $q):$b", "@staticmethod\n$idef $n():$b", "class $n($n):$b",
        "class $n:$b", "try:$b$iexcept $n as $n:$b$ielse:$b$ifinally:$b",
        "try:$b$iexcept ($n, $n):$b", "with $e as $n, $e:$b", "match $e:$c",
        "if TYPE_CHECKING:$b", "def __init__(self):$b", "return $n and $n or not $n",
    ]),
    ('k', &[
        "case $p:$b", "case _:$b",
    ], &[
        "case $p if $e:$b", "case $p | $p:$b",
    ]),
    ('p', &[
        "1", "None", "$n", "($n, $n)", "[$n, *$n]", "{\"k\": $n}", "$n()", "_", "$n.$n",
    ], &[
        "$p | $p", "($p, $p)", "[$p, $p]", "$n($p, $n=$p)",
    ]),
    ('e', &[
        "$n", "1", "\"s\"", "None", "True", "$n.$n", "self.$n", "f\"{$n}\"", "...",
    ], &[
        "$e and $e", "$e or $e", "not $e", "($e)", "$e if $e else $e", "lambda $n: $e",
        "lambda: $e", "lambda $n, *$n, **$n: $e", "$n($e, $n=$e)", "[$e for $n in $e if $e]",
        "{$n: $e for $n, $n in $e if $e if $e}", "($e for $n in $e)", "$e + $e", "$e == $e",
        "$e < $e < $e", "$e[$e]", "$e.$n($e)", "($n := $e)", "await $e", "[$e, $e]", "{$e: $e}",
        "-$e", "$e is not $e", "$e in $e", "self.$n($e)", "$e and ($e and $e)",
    ]),
    ('q', &[
        "", "$n", "$n, $n=1", "*$n, **$n", "self", "self, $n: $n", "$n, /, $n, *, $n",
    ], &[]),
    ('n', &[
        "a", "b", "x", "f", "self", "cls", "T", "_x", "__init__", "__eq__", "TYPE_CHECKING",
    ], &[]),
];

#[rustfmt::skip]
const RUST: &[Rule] = &[
    ('i', &[
        "fn $n() {}", "use $u;", "mod $n;", "struct $N;", "extern crate $n;", "type $N = $t;",
    ], &[
        "fn $n($q) -> $t $b", "pub fn $n<T>(&self, $q) $b", "impl $t { $m $m }",
        "impl $N for $t { $m }", "trait $N { fn $n(&self); $m }", "mod $n { $i $i }",
        "#[path = \"x.rs\"]\nmod $n;", "/// doc\n#[test]\nfn $n() $b",
        "struct $N { $n: $t, pub $n: $t }", "enum $N { $N, $N($t), $N { $n: $t } }",
        "async fn $n() $b", "macro_rules! $n { () => { $e }; }", "const $N: $t = $e;",
    ]),
    ('m', &[
        "fn $n(&self) {}", "fn $n() -> Self { Self }", "const $N: u8 = 1;",
    ], &[
        "fn $n(&self, $q) -> $t $b", "pub fn $n(&mut self) $b", "fn $n(self) $b",
        "/// doc\nfn $n() $b",
    ]),
    ('b', &[
        "{}", "{ $e }", "{ $s }",
    ], &[
        "{ $s $s }", "{ $s $s $e }", "{ $s $s $s }",
    ]),
    ('s', &[
        "let $n = $e;", "$e;", "return;", "break;", "continue;", "let _ = $e;", "// c\n",
        "/* c */", "let $n: $t = $e;",
    ], &[
        "if $e $b", "if $e $b else $b", "if $e $b else if $e $b else $b", "while $e $b",
        "while let Some($n) = $e $b", "for $n in $e $b", "loop $b", "'a: loop { break 'a; }",
        "'b: for $n in $e { continue 'b; }", "match $e { $a $a }", "let $n = |$n| $e;",
        "let $n = move || $b;", "$n!($e);", "fn $n() $b", "let Some($n) = $e else { $s };",
        "if let Some($n) = $e && $e && let Ok($n) = $e $b", "unsafe $b", "$e?;",
        "let $n = if $e { $e } else { $e };", "impl $N { fn $n(&self) $b }", "use $u;",
    ]),
    ('a', &[
        "_ => {}", "$n => $e,", "None => {}",
    ], &[
        "Some($n) if $e => $e,", "$n | $n => $b", "1..=9 => $e,", "$N::$N { $n, .. } => $b",
        "($n, _) => $e,",
    ]),
    ('e', &[
        "$n", "1", "\"s\"", "true", "self.$n", "self.0", "Self::$n()", "None", "crate::$n::$n()",
        "super::$n", "'c'", "1.5",
    ], &[
        "$e && $e", "$e || $e", "!$e", "($e)", "$e == $e", "$e + $e", "$n($e)", "$e.$n($e)",
        "$e?", "|$n, $n| $e", "|_| $e", "move |$n: $t| -> $t $b", "if $e $b else $b",
        "match $e { $a }", "$n![$e, $e]", "format!(\"{}\", $e)", "[$e; 3]", "&mut $e", "$e as $t",
        "$e.await", "async move $b", "unsafe $b", "loop { break $e; }", "$N { $n: $e }",
        "($e, $e)", "Box::new($e)", "$e.0", "-$e", "$e..$e", "$n::<$t>($e)", "($e && $e) || $e",
    ]),
    ('q', &[
        "", "$n: $t", "$n: $t, $n: $t", "mut $n: $t", "_: $t", "($n, $n): ($t, $t)",
    ], &[]),
    ('t', &[
        "u8", "Self", "$N", "&str", "String", "()",
    ], &[
        "Vec<$t>", "&'a $t", "Option<$t>", "($t, $t)", "impl Fn($t) -> $t", "dyn $N", "[$t; 2]",
        "fn($t) -> $t", "$N<$t>",
    ]),
    ('u', &[
        "$n", "$n::$n", "crate::$n", "self::$n", "super::$n::$n", "$n::*", "$n as $n",
    ], &[
        "$n::$u", "$n::{$u, $u}", "crate::{$u, $n::$u}", "$n::{self, $u}",
    ]),
    ('n', &[
        "a", "b", "x", "f", "g", "new", "r#type", "_x",
    ], &[]),
    ('N', &[
        "S", "T", "Foo", "E",
    ], &[]),
];

/// Past this depth only the leaf alternatives are used.
const MAX_DEPTH: usize = 6;

/// Expands templates of one language's rules.
struct Expander<'r> {
    rules: &'static [Rule],
    rng: &'r mut Rng,
    /// Expansions left before only leaves are used, which bounds the size of a source.
    budget: usize,
}

impl Expander<'_> {
    fn expand(&mut self, template: &str, depth: usize, indent: usize, out: &mut String) {
        let mut chars = template.chars();
        while let Some(c) = chars.next() {
            if c != '$' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('i') => out.push_str(&"    ".repeat(indent)),
                Some('b') => self.block('s', depth + 1, indent + 1, out),
                Some('c') => self.block('k', depth + 1, indent + 1, out),
                Some(name) => self.rule(name, depth + 1, indent, out),
                None => {}
            }
        }
    }

    fn rule(&mut self, name: char, depth: usize, indent: usize, out: &mut String) {
        let Some(&(_, leaves, nested)) = self.rules.iter().find(|r| r.0 == name) else {
            return;
        };
        self.budget = self.budget.saturating_sub(1);
        let deep = depth >= MAX_DEPTH || self.budget == 0 || nested.is_empty();
        let template = if deep || self.rng.bool() {
            leaves[self.rng.usize(..leaves.len())]
        } else {
            nested[self.rng.usize(..nested.len())]
        };
        self.expand(template, depth, indent, out);
    }

    /// A Python block: a new line, then one to three items of rule `name` at `indent`.
    fn block(&mut self, name: char, depth: usize, indent: usize, out: &mut String) {
        out.push('\n');
        for _ in 0..self.rng.usize(1..=3) {
            out.push_str(&"    ".repeat(indent));
            self.rule(name, depth, indent, out);
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
    }
}

/// A generated source of `language` (`python` or `rust`): a few top-level statements or items.
pub(crate) fn generate(language: &str, rng: &mut Rng) -> String {
    let (rules, top) = if language == "python" {
        (PYTHON, 's')
    } else {
        (RUST, 'i')
    };
    let budget = rng.usize(10..80);
    let mut expander = Expander { rules, rng, budget };
    let mut out = String::new();
    for _ in 0..expander.rng.usize(1..=5) {
        expander.rule(top, 0, 0, &mut out);
        out.push('\n');
    }
    out
}

/// Text that edits insert: brackets, keywords, operators, indentation.
#[rustfmt::skip]
const SNIPPETS: &[&str] = &[
    "(", ")", "{", "}", "[", ":", ";", ",", "\n", "    ", "#", "\"", "'", "&&", " and ", "fn ",
    "def ", "if ", "else", "=>", "|", "?", "\\", "@", "*", ".",
];

/// Applies one to three random edits to `text`: delete, duplicate or swap lines, insert a
/// snippet, delete a few characters, or cut the end.
pub(crate) fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    for _ in 0..rng.usize(1..=3) {
        if lines.is_empty() {
            break;
        }
        let at = rng.usize(..lines.len());
        let snippet = SNIPPETS[rng.usize(..SNIPPETS.len())];
        match rng.usize(..6) {
            0 => drop(lines.remove(at)),
            1 => lines.insert(at, lines[at].clone()),
            2 => {
                let other = rng.usize(..lines.len());
                lines.swap(at, other);
            }
            3 => edit_line(&mut lines[at], rng, snippet),
            4 => edit_line(&mut lines[at], rng, ""),
            _ => lines.truncate(at + 1),
        }
    }
    lines.concat()
}

/// Replaces up to three characters at a random place of `line` with `insert`.
fn edit_line(line: &mut String, rng: &mut Rng, insert: &str) {
    let boundaries: Vec<usize> = line.char_indices().map(|(i, _)| i).collect();
    if boundaries.is_empty() {
        return;
    }
    let start = boundaries[rng.usize(..boundaries.len())];
    let end = line[start..]
        .char_indices()
        .nth(rng.usize(..=3))
        .map_or(line.len(), |(i, _)| start + i);
    line.replace_range(start..end, insert);
}

/// The fixture files of `language` under `root`, up to 20 kB each.
pub(crate) fn fixtures(root: &Path, language: &str) -> Vec<String> {
    let extension = if language == "python" { "py" } else { "rs" };
    let mut out: Vec<(std::path::PathBuf, String)> = ignore::WalkBuilder::new(root)
        .build()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == extension))
        .filter_map(|e| Some((e.path().to_owned(), std::fs::read_to_string(e.path()).ok()?)))
        .filter(|(_, text)| text.len() <= 20_000)
        .collect();
    out.sort();
    out.into_iter().map(|(_, text)| text).collect()
}
