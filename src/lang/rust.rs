//! The Rust adapter: grammar, extensions and module names.

use std::sync::OnceLock;

use super::{LanguageSpec, ModuleSystem, after_src, rust_use};

/// Rust.
pub(super) static SPEC: LanguageSpec = LanguageSpec {
    id: "rust",
    extensions: &["rs"],
    grammar: || tree_sitter_rust::LANGUAGE.into(),
    line_comment: "//",
    block_comment: Some(("/*", "*/")),
    decorators: &["#[", "#!["],
    name_separator: "::",
    module_segments,
    module_system: ModuleSystem::Rust,
    import_paths: rust_use::import_paths,
    guard: |_| Ok(()),
    compiled: OnceLock::new(),
};

/// `src/a/b.rs` and `src/a/b/mod.rs` are `crate::a::b`; `lib.rs` and `main.rs` are the crate.
fn module_segments(parts: &[String]) -> Vec<String> {
    let mut segments = vec!["crate".to_owned()];
    let inner = after_src(parts);
    let crate_root =
        inner.len() == 1 && matches!(inner.first().map(String::as_str), Some("lib" | "main"));
    if !crate_root {
        segments.extend(inner.iter().cloned());
    }
    if segments.last().is_some_and(|s| s == "mod") && segments.len() > 1 {
        segments.pop();
    }
    segments
}
