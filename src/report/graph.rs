//! `gatecheck graph` output formats for a [`View`]: Graphviz DOT, a Mermaid flowchart and
//! JSON (its cycles in the same shape as the check report's, [`CycleEntry`]). Cycle edges and nodes are drawn red; `type_only` imports dashed, `deferred` dotted.
//! Output is deterministic: nodes by name, edges by (from, to).

use std::fmt::Write as _;

use serde::Serialize;

use super::architecture::{CycleEntry, CycleStep};
use super::path_text;
use crate::facts::ImportKind;
use crate::graph::view::{View, ViewNode};

/// Colour of cycle edges and nodes.
const CYCLE_COLOUR: &str = "#d62728";

/// A string as a DOT quoted ID.
fn dot_id(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The view as a Graphviz `digraph`.
#[must_use]
pub fn dot(view: &View) -> String {
    let mut out = String::from(
        "digraph modules {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n  \
         edge [fontname=\"Helvetica\", fontsize=10];\n",
    );
    for node in &view.nodes {
        let colour = if node.in_cycle {
            format!(", color=\"{CYCLE_COLOUR}\", penwidth=2")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  {} [tooltip={}{colour}];",
            dot_id(&node.name),
            dot_id(&path_text(&node.path).0)
        );
    }
    for edge in &view.edges {
        let mut attributes = vec![format!("label=\"{}\"", edge.imports)];
        match edge.kind {
            ImportKind::TypeOnly => attributes.push("style=dashed".into()),
            ImportKind::Deferred => attributes.push("style=dotted".into()),
            ImportKind::Runtime => {}
        }
        if edge.in_cycle {
            attributes.push(format!("color=\"{CYCLE_COLOUR}\", penwidth=2"));
        }
        let _ = writeln!(
            out,
            "  {} -> {} [{}];",
            dot_id(&view.nodes[edge.from].name),
            dot_id(&view.nodes[edge.to].name),
            attributes.join(", ")
        );
    }
    out.push_str("}\n");
    out
}

/// A string as a Mermaid quoted label (quotes as entities; Mermaid has no escape character).
fn mermaid_label(s: &str) -> String {
    // Control characters (a newline in a file or module name) become visible escapes: a
    // label must stay on its line of the diagram.
    s.chars()
        .map(|c| match c {
            '"' => "#quot;".to_owned(),
            c if c.is_control() => format!("\\x{:02x}", u32::from(c)),
            c => c.to_string(),
        })
        .collect()
}

/// Mermaid draws at most this many edges unless the page initialises it with a larger
/// `maxEdges` (a diagram cannot raise it itself).
pub const MERMAID_DEFAULT_MAX_EDGES: usize = 500;

/// A warning for a Mermaid diagram of `edges` edges that default Mermaid will not draw.
#[must_use]
pub fn mermaid_edge_warning(edges: usize) -> Option<String> {
    (edges > MERMAID_DEFAULT_MAX_EDGES).then(|| {
        format!(
            "the Mermaid diagram has {edges} edges; Mermaid draws at most \
             {MERMAID_DEFAULT_MAX_EDGES} unless initialised with a larger maxEdges: use \
             --depth N to collapse modules into packages, or --format dot"
        )
    })
}

/// The view as a Mermaid `flowchart`; nodes are `m0`, `m1`, ... labelled with their names.
#[must_use]
pub fn mermaid(view: &View) -> String {
    let mut out = String::from("flowchart LR\n");
    for (i, node) in view.nodes.iter().enumerate() {
        let _ = writeln!(out, "  m{i}[\"{}\"]", mermaid_label(&node.name));
    }
    let mut cycle_links = Vec::new();
    for (i, edge) in view.edges.iter().enumerate() {
        let arrow = match edge.kind {
            ImportKind::Runtime => "-->",
            ImportKind::TypeOnly | ImportKind::Deferred => "-.->",
        };
        let _ = writeln!(
            out,
            "  m{} {arrow}|{}| m{}",
            edge.from, edge.imports, edge.to
        );
        if edge.in_cycle {
            cycle_links.push(i.to_string());
        }
    }
    let cycle_nodes: Vec<String> = (0..view.nodes.len())
        .filter(|&i| view.nodes[i].in_cycle)
        .map(|i| format!("m{i}"))
        .collect();
    if !cycle_nodes.is_empty() {
        let _ = writeln!(
            out,
            "  classDef cycle stroke:{CYCLE_COLOUR},stroke-width:2px"
        );
        let _ = writeln!(out, "  class {} cycle", cycle_nodes.join(","));
    }
    if !cycle_links.is_empty() {
        let _ = writeln!(
            out,
            "  linkStyle {} stroke:{CYCLE_COLOUR},stroke-width:2px",
            cycle_links.join(",")
        );
    }
    out
}

/// The JSON document of `gatecheck graph --format json`.
#[derive(Debug, Serialize)]
pub struct GraphDocument<'v> {
    /// The `--depth` the modules were collapsed to, or null.
    pub depth: Option<usize>,
    /// Nodes, sorted by name.
    pub nodes: Vec<NodeEntry<'v>>,
    /// Edges by node name.
    pub edges: Vec<EdgeEntry<'v>>,
    /// Import cycles of the drawn graph.
    pub cycles: Vec<CycleEntry>,
}

/// One node of the JSON document.
#[derive(Debug, Serialize)]
pub struct NodeEntry<'v> {
    /// Module (or, collapsed, package) name.
    pub name: &'v str,
    /// Its file (collapsed: the directory its modules share), `/`-separated (a path that is
    /// not valid UTF-8 is written lossily).
    pub path: String,
    /// Language identifier.
    pub language: &'static str,
    /// Fan-out in the drawn graph.
    pub fan_out: usize,
    /// Fan-in in the drawn graph.
    pub fan_in: usize,
    /// Whether it belongs to an import cycle.
    pub in_cycle: bool,
}

impl<'v> From<&'v ViewNode> for NodeEntry<'v> {
    fn from(n: &'v ViewNode) -> Self {
        NodeEntry {
            name: &n.name,
            path: path_text(&n.path).0,
            language: n.language,
            fan_out: n.fan_out,
            fan_in: n.fan_in,
            in_cycle: n.in_cycle,
        }
    }
}

/// One edge of the JSON document.
#[derive(Debug, Serialize)]
pub struct EdgeEntry<'v> {
    /// Importing node.
    pub from: &'v str,
    /// Imported node.
    pub to: &'v str,
    /// The first import's line.
    pub line: usize,
    /// Imports it stands for.
    pub imports: usize,
    /// Strongest kind among them.
    pub kind: ImportKind,
    /// Whether it is a cycle edge.
    pub in_cycle: bool,
}

/// The view as a JSON document (see [`GraphDocument`]).
#[must_use]
pub fn json_document(view: &View, depth: Option<usize>) -> GraphDocument<'_> {
    let name = |id: usize| view.nodes.get(id).map_or("", |n| n.name.as_str());
    GraphDocument {
        depth,
        nodes: view.nodes.iter().map(NodeEntry::from).collect(),
        edges: view
            .edges
            .iter()
            .map(|e| EdgeEntry {
                from: name(e.from),
                to: name(e.to),
                line: e.line,
                imports: e.imports,
                kind: e.kind,
                in_cycle: e.in_cycle,
            })
            .collect(),
        cycles: view
            .cycles
            .iter()
            .map(|c| CycleEntry {
                modules: c.members.iter().map(|&m| name(m).to_owned()).collect(),
                path: c
                    .path
                    .iter()
                    .map(|e| CycleStep {
                        from: name(e.from).to_owned(),
                        to: name(e.to).to_owned(),
                        file: view
                            .nodes
                            .get(e.from)
                            .map_or_else(String::new, |n| path_text(&n.path).0),
                        line: e.line,
                    })
                    .collect(),
            })
            .collect(),
    }
}
