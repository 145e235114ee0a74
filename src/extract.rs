//! Stage 3: runs a language's compiled query over a tree and keeps what the metrics need as
//! plain data keyed by node id: the roles each node plays, the names of definitions, and the
//! comments that carry `gatecheck:` directives. Knows no metric and no language.

use std::collections::HashMap;

use streaming_iterator::StreamingIterator;
use tree_sitter::{QueryCursor, Tree};

use crate::lang::CompiledQuery;
use crate::lang::vocabulary::{Capture, Roles};

/// The marker that starts a gatecheck directive in a comment.
pub const DIRECTIVE_MARKER: &str = "gatecheck:";

/// An upper bound on in-progress query matches. Matches beyond it are dropped by tree-sitter;
/// [`Facts::incomplete`] then says so, and the file's figures may be low.
const MATCH_LIMIT: u32 = 1 << 16;

/// What the queries found in one file.
#[derive(Debug, Default)]
pub struct Facts {
    /// Roles by node id.
    pub roles: HashMap<usize, Roles>,
    /// Names of definitions (functions, classes, modules) by the definition's node id.
    pub names: HashMap<usize, String>,
    /// Comments holding a `gatecheck:` directive: 1-based line and the comment text.
    pub directives: Vec<(usize, String)>,
    /// Whether tree-sitter dropped matches (see [`MATCH_LIMIT`]).
    pub incomplete: bool,
}

/// Runs `query` over `tree`.
#[must_use]
pub fn extract(tree: &Tree, text: &str, query: &CompiledQuery, cursor: &mut QueryCursor) -> Facts {
    cursor.set_match_limit(MATCH_LIMIT);
    let mut facts = Facts::default();
    let bytes = text.as_bytes();
    let mut matches = cursor.matches(&query.query, tree.root_node(), bytes);
    while let Some(m) = matches.next() {
        let mut definition = None;
        let mut name = None;
        for capture in m.captures() {
            let Some(Some(role)) = query.roles.get(capture.index as usize) else {
                continue;
            };
            match role {
                Capture::Name => name = Some(capture.node),
                Capture::DefinitionFunction
                | Capture::DefinitionMethod
                | Capture::DefinitionLambda
                | Capture::DefinitionClosure
                | Capture::DefinitionClass
                | Capture::DefinitionModule => definition = Some(capture.node),
                Capture::Comment => {
                    let comment = capture.node.utf8_text(bytes).unwrap_or_default();
                    if comment.contains(DIRECTIVE_MARKER) {
                        let line = capture.node.start_position().row + 1;
                        facts.directives.push((line, comment.to_owned()));
                    }
                }
                _ => {}
            }
            facts.roles.entry(capture.node.id()).or_default().insert(*role);
        }
        if let (Some(definition), Some(name)) = (definition, name) {
            let text = name.utf8_text(bytes).unwrap_or_default();
            facts.names.insert(definition.id(), clean_name(text));
        }
    }
    facts.incomplete = cursor.did_exceed_match_limit();
    facts.directives.sort();
    facts.directives.dedup();
    facts
}

/// A definition name without generic arguments or white space (`Foo<T>` is `Foo`).
fn clean_name(text: &str) -> String {
    let base = text.split('<').next().unwrap_or(text);
    base.chars().filter(|c| !c.is_whitespace()).collect()
}
