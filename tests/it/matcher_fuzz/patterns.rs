//! Generated queries for the matcher fuzz, drawn from the supported subset: node kinds,
//! tokens, `(_)`, `_`, fields, negated fields, alternations, anchors, quantifiers, several
//! captures per node, and `#eq?`, `#match?`, `#any-of?` with their `#not-` forms (and, rarely,
//! a construct the matcher refuses, which is counted apart).
//!
//! Most patterns are copied from a random node of the parsed source, so that they match:
//! its kind (or a wildcard, or an alternation with another kind), a subsequence of its
//! children with their fields, and predicates over the captured nodes' text. The rest are
//! drawn from the grammar's kinds and fields alone. A query is kept as a small syntax tree
//! ([`Query`]) so that a failing one can be shrunk (`super::shrink`).

use fastrand::Rng;
use tree_sitter::{Language, Node, Tree};

/// The kinds and fields of a grammar that queries are drawn from.
pub(crate) struct Vocabulary {
    named: Vec<String>,
    tokens: Vec<String>,
    fields: Vec<String>,
    supertypes: Vec<String>,
}

impl Vocabulary {
    pub(crate) fn of(language: &Language) -> Vocabulary {
        let mut vocabulary = Vocabulary {
            named: vec!["ERROR".to_owned()],
            tokens: Vec::new(),
            fields: Vec::new(),
            supertypes: Vec::new(),
        };
        let count = u16::try_from(language.node_kind_count()).unwrap_or(u16::MAX);
        for id in 1..count {
            let Some(name) = language.node_kind_for_id(id) else {
                continue;
            };
            let list = if language.node_kind_is_supertype(id) {
                &mut vocabulary.supertypes
            } else if !language.node_kind_is_visible(id) {
                continue;
            } else if language.node_kind_is_named(id) {
                &mut vocabulary.named
            } else {
                &mut vocabulary.tokens
            };
            if !list.iter().any(|n| n == name) {
                list.push(name.to_owned());
            }
        }
        let fields = u16::try_from(language.field_count()).unwrap_or(u16::MAX);
        vocabulary.fields = (1..=fields)
            .filter_map(|id| language.field_name_for_id(id).map(str::to_owned))
            .collect();
        vocabulary
    }
}

/// A node test.
#[derive(Clone, Debug)]
pub(crate) enum Test {
    /// `(kind ...)`
    Kind(String),
    /// `"token"`
    Token(String),
    /// `(_ ...)`
    AnyNamed,
    /// `_`
    Any,
    /// `[...]`
    Alternation(Vec<Pattern>),
}

/// One item inside a node pattern.
#[derive(Clone, Debug)]
pub(crate) enum Item {
    /// A child pattern, with its field.
    Child(Option<String>, Pattern),
    /// `.`
    Anchor,
    /// `!field`
    Negated(String),
}

/// A pattern with its children, quantifier and captures.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    pub(crate) test: Test,
    pub(crate) items: Vec<Item>,
    pub(crate) quantifier: Option<char>,
    pub(crate) captures: Vec<String>,
}

/// A top-level pattern and its predicates (inside the root node, or around it in a group).
#[derive(Clone, Debug)]
pub(crate) struct Top {
    pub(crate) pattern: Pattern,
    pub(crate) predicates: Vec<String>,
    pub(crate) grouped: bool,
}

/// A generated query: one to three top-level patterns.
#[derive(Clone, Debug)]
pub(crate) struct Query {
    pub(crate) tops: Vec<Top>,
}

impl Pattern {
    fn new(test: Test) -> Pattern {
        Pattern {
            test,
            items: Vec::new(),
            quantifier: None,
            captures: Vec::new(),
        }
    }

    fn has_parentheses(&self) -> bool {
        matches!(self.test, Test::Kind(_) | Test::AnyNamed)
    }

    fn render(&self, extra: &[String], out: &mut String) {
        match &self.test {
            Test::Kind(kind) => out.push_str(&format!("({kind}")),
            Test::AnyNamed => out.push_str("(_"),
            Test::Token(token) => out.push_str(&quote(token)),
            Test::Any => out.push('_'),
            Test::Alternation(alternatives) => {
                out.push('[');
                for alternative in alternatives {
                    out.push(' ');
                    alternative.render(&[], out);
                }
                out.push_str(" ]");
            }
        }
        if self.has_parentheses() {
            self.render_items(extra, out);
            out.push(')');
        }
        out.extend(self.quantifier);
        for capture in &self.captures {
            out.push_str(&format!(" @{capture}"));
        }
    }

    fn render_items(&self, extra: &[String], out: &mut String) {
        for item in &self.items {
            out.push(' ');
            match item {
                Item::Child(Some(field), pattern) => {
                    out.push_str(&format!("{field}: "));
                    pattern.render(&[], out);
                }
                Item::Child(None, pattern) => pattern.render(&[], out),
                Item::Anchor => out.push('.'),
                Item::Negated(field) => out.push_str(&format!("!{field}")),
            }
        }
        for predicate in extra {
            out.push_str(&format!(" {predicate}"));
        }
    }
}

impl Query {
    /// The query text.
    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        for top in &self.tops {
            if top.grouped || (!top.pattern.has_parentheses() && !top.predicates.is_empty()) {
                out.push('(');
                top.pattern.render(&[], &mut out);
                for predicate in &top.predicates {
                    out.push_str(&format!(" {predicate}"));
                }
                out.push(')');
            } else {
                top.pattern.render(&top.predicates, &mut out);
            }
            out.push('\n');
        }
        out
    }
}

/// `text` as a query string literal.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Capture names: few, so that one name is often given to several nodes.
const CAPTURES: &[&str] = &["a", "b", "c", "d"];

/// Generates queries for one source.
pub(crate) struct Generator<'a> {
    pub(crate) rng: &'a mut Rng,
    pub(crate) vocabulary: &'a Vocabulary,
    pub(crate) text: &'a str,
    /// The captures of the current top-level pattern, with their node's text (`None` for a
    /// pattern drawn from the grammar).
    captured: Vec<(String, Option<String>)>,
}

impl<'a> Generator<'a> {
    pub(crate) fn new(rng: &'a mut Rng, vocabulary: &'a Vocabulary, text: &'a str) -> Self {
        Generator {
            rng,
            vocabulary,
            text,
            captured: Vec::new(),
        }
    }

    /// One to three top-level patterns for `tree`.
    pub(crate) fn query(&mut self, tree: &Tree) -> Query {
        let nodes = all_nodes(tree);
        let tops = (0..self.rng.usize(1..=3))
            .map(|_| {
                self.captured.clear();
                let pattern = if self.rng.usize(..5) == 0 || nodes.is_empty() {
                    self.random_pattern(0)
                } else {
                    let node = nodes[self.rng.usize(..nodes.len())];
                    self.copy_of(node, 0)
                };
                self.top(pattern)
            })
            .collect();
        Query { tops }
    }

    /// A top-level pattern with predicates (tree-sitter reads a top-level `_` alone only).
    fn top(&mut self, mut pattern: Pattern) -> Top {
        if matches!(pattern.test, Test::Any) {
            return Top {
                pattern,
                predicates: Vec::new(),
                grouped: false,
            };
        }
        if self.rng.usize(..60) == 0 {
            pattern.quantifier = Some(self.quantifier());
        }
        let predicates: Vec<String> = (0..self.rng.usize(..=2))
            .filter_map(|_| self.predicate())
            .collect();
        // A predicate inside the root node cannot name the root's own capture, which follows.
        let names_root = pattern.captures.iter().any(|c| {
            let capture = format!("@{c}");
            predicates.iter().any(|p| {
                p.split(|c: char| c.is_whitespace() || c == ')')
                    .any(|word| word == capture)
            })
        });
        // After a trailing anchor a predicate is refused (tree-sitter would ignore the anchor).
        let anchored = matches!(pattern.items.last(), Some(Item::Anchor));
        let grouped = names_root || self.rng.bool() || (anchored && self.rng.usize(..10) > 0);
        Top {
            pattern,
            predicates,
            grouped,
        }
    }

    fn pick<'v>(&mut self, list: &'v [String]) -> &'v str {
        list.get(self.rng.usize(..list.len().max(1)))
            .map_or("_", String::as_str)
    }

    fn quantifier(&mut self) -> char {
        ['?', '*', '+'][self.rng.usize(..3)]
    }

    fn capture(&mut self, pattern: &mut Pattern, text: Option<String>) {
        let name = CAPTURES[self.rng.usize(..CAPTURES.len())].to_owned();
        pattern.captures.push(name.clone());
        self.captured.push((name, text));
    }

    /// A pattern copied from `node`, with random changes.
    fn copy_of(&mut self, node: Node<'_>, depth: usize) -> Pattern {
        let mut pattern = Pattern::new(self.test_for(node));
        if depth < 3 && pattern.has_parentheses() {
            self.children_from(node, depth, &mut pattern);
        }
        if self.rng.bool() {
            let text = self.text.get(node.byte_range()).map(str::to_owned);
            self.capture(&mut pattern, text);
        }
        pattern
    }

    fn exact(node: Node<'_>) -> Test {
        if node.is_named() {
            Test::Kind(node.kind().to_owned())
        } else {
            Test::Token(node.kind().to_owned())
        }
    }

    fn test_for(&mut self, node: Node<'_>) -> Test {
        match self.rng.usize(..12) {
            0 if node.is_named() => Test::AnyNamed,
            0 | 1 => Test::Any,
            2 | 3 => {
                let mut alternatives = vec![
                    Pattern::new(Self::exact(node)),
                    Pattern::new(self.random_test()),
                ];
                self.rng.shuffle(&mut alternatives);
                Test::Alternation(alternatives)
            }
            4 => self.random_test(),
            _ => Self::exact(node),
        }
    }

    /// A kind or token test drawn from the grammar (rarely a supertype, which is refused).
    fn random_test(&mut self) -> Test {
        let vocabulary = self.vocabulary;
        match self.rng.usize(..40) {
            0 => Test::Kind(self.pick(&vocabulary.supertypes).to_owned()),
            1..=12 => Test::Token(self.pick(&vocabulary.tokens).to_owned()),
            _ => Test::Kind(self.pick(&vocabulary.named).to_owned()),
        }
    }

    /// Items for a subsequence of `node`'s children, with anchors and negated fields.
    fn children_from(&mut self, node: Node<'_>, depth: usize, pattern: &mut Pattern) {
        let mut cursor = node.walk();
        let mut children = Vec::new();
        if cursor.goto_first_child() {
            loop {
                children.push((cursor.node(), cursor.field_name()));
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
        }
        for (child, field) in children {
            if pattern.items.len() >= 5 || self.rng.usize(..10) >= 4 {
                continue;
            }
            if self.rng.usize(..4) == 0 {
                pattern.items.push(Item::Anchor);
            }
            let field = self.field_for(field);
            let mut child = self.copy_of(child, depth + 1);
            if self.rng.usize(..4) == 0 {
                child.quantifier = Some(self.quantifier());
            }
            pattern.items.push(Item::Child(field, child));
        }
        self.trailing_items(pattern);
    }

    /// The field of a copied child: its own (half of the time), or rarely a random one.
    fn field_for(&mut self, field: Option<&str>) -> Option<String> {
        match self.rng.usize(..20) {
            0 => Some(self.pick(&self.vocabulary.fields).to_owned()),
            1..=9 => field.map(str::to_owned),
            _ => None,
        }
    }

    /// A trailing anchor and a negated field, sometimes.
    fn trailing_items(&mut self, pattern: &mut Pattern) {
        let has_child = pattern.items.iter().any(|i| matches!(i, Item::Child(..)));
        if self.rng.usize(..10) == 0 {
            let field = self.pick(&self.vocabulary.fields).to_owned();
            pattern.items.push(Item::Negated(field));
        }
        if (has_child && self.rng.usize(..6) == 0) || self.rng.usize(..60) == 0 {
            pattern.items.push(Item::Anchor);
        }
    }

    /// A pattern drawn from the grammar alone.
    fn random_pattern(&mut self, depth: usize) -> Pattern {
        let test = match self.rng.usize(..8) {
            0 => Test::AnyNamed,
            1 if depth > 0 => Test::Any,
            2 => self.random_alternation(),
            _ => self.random_test(),
        };
        let mut pattern = Pattern::new(test);
        if depth < 2 && pattern.has_parentheses() {
            self.random_children(depth, &mut pattern);
        }
        if self.rng.bool() {
            self.capture(&mut pattern, None);
        }
        pattern
    }

    /// Up to two children drawn from the grammar, with fields and quantifiers.
    fn random_children(&mut self, depth: usize, pattern: &mut Pattern) {
        for _ in 0..self.rng.usize(..=2) {
            let field = self.field_for(None);
            let mut child = self.random_pattern(depth + 1);
            if self.rng.usize(..3) == 0 {
                child.quantifier = Some(self.quantifier());
            }
            pattern.items.push(Item::Child(field, child));
        }
        self.trailing_items(pattern);
    }

    fn random_alternation(&mut self) -> Test {
        Test::Alternation(vec![
            Pattern::new(self.random_test()),
            Pattern::new(self.random_test()),
        ])
    }

    /// A predicate over the captures of the current pattern; rarely one the matcher refuses.
    fn predicate(&mut self) -> Option<String> {
        if self.captured.is_empty() {
            return None;
        }
        let (name, text) = self.captured[self.rng.usize(..self.captured.len())].clone();
        let text = text.filter(|t| t.len() < 40 && self.rng.usize(..4) > 0);
        let text = text.unwrap_or_else(|| ["x", "self", "a", "("][self.rng.usize(..4)].to_owned());
        let not = if self.rng.usize(..4) == 0 { "not-" } else { "" };
        Some(match self.rng.usize(..25) {
            0 => format!("(#is? @{name} local)"),
            1..=6 => format!("(#{not}eq? @{name} {})", quote(&text)),
            7..=12 => format!("(#{not}match? @{name} {})", quote(&prefix_regex(&text))),
            13..=17 => format!("(#{not}any-of? @{name} {} \"x\" \"if\")", quote(&text)),
            _ => {
                let (other, _) = &self.captured[self.rng.usize(..self.captured.len())];
                format!("(#{not}eq? @{name} @{other})")
            }
        })
    }
}

/// A regular expression that the start of `text` matches.
fn prefix_regex(text: &str) -> String {
    let prefix: String = text.chars().take(2).collect();
    format!("^{}", regex::escape(&prefix))
}

/// Every node of `tree`, named or not, in document order.
fn all_nodes(tree: &Tree) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut cursor = tree.walk();
    loop {
        out.push(cursor.node());
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return out;
            }
        }
    }
}
