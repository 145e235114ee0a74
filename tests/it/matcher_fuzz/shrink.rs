//! Shrinks a failing fuzz case: greedily takes the first one-step simplification (a pattern
//! or predicate removed, a child, capture, field or quantifier dropped, an alternation
//! replaced by one alternative; then chunks of source lines or characters removed) that still
//! fails, until none does or the tries run out.

use super::patterns::{Item, Pattern, Query, Test};

/// The most candidates tried while shrinking one case.
const MAX_TRIES: usize = 4_000;

/// The smallest source and query text found for which `fails` still holds.
pub(crate) fn shrink(
    source: &str,
    query: &Query,
    fails: &mut dyn FnMut(&str, &str) -> bool,
) -> (String, String) {
    let mut tries = 0;
    let mut query = query.clone();
    let mut source = source.to_owned();
    for _ in 0..2 {
        query = greedy(
            query,
            simpler_queries,
            &mut |q| fails(&source, &q.render()),
            &mut tries,
        );
        let text = query.render();
        source = greedy(
            source,
            |s| simpler_sources(s),
            &mut |s| fails(s, &text),
            &mut tries,
        );
    }
    (source, query.render())
}

/// Replaces `current` by its first failing candidate until none fails.
fn greedy<T>(
    mut current: T,
    candidates: fn(&T) -> Vec<T>,
    fails: &mut dyn FnMut(&T) -> bool,
    tries: &mut usize,
) -> T {
    loop {
        let next = candidates(&current).into_iter().find(|candidate| {
            *tries += 1;
            *tries < MAX_TRIES && fails(candidate)
        });
        match next {
            Some(next) => current = next,
            None => return current,
        }
    }
}

fn simpler_queries(query: &Query) -> Vec<Query> {
    let mut out = Vec::new();
    for i in 0..query.tops.len() {
        if query.tops.len() > 1 {
            let mut fewer = query.clone();
            fewer.tops.remove(i);
            out.push(fewer);
        }
        for j in 0..query.tops[i].predicates.len() {
            let mut fewer = query.clone();
            fewer.tops[i].predicates.remove(j);
            out.push(fewer);
        }
        for pattern in simpler_patterns(&query.tops[i].pattern) {
            let mut simpler = query.clone();
            simpler.tops[i].pattern = pattern;
            out.push(simpler);
        }
    }
    out
}

fn simpler_patterns(pattern: &Pattern) -> Vec<Pattern> {
    let mut out = Vec::new();
    if pattern.quantifier.is_some() {
        out.push(Pattern {
            quantifier: None,
            ..pattern.clone()
        });
    }
    for i in 0..pattern.captures.len() {
        let mut fewer = pattern.clone();
        fewer.captures.remove(i);
        out.push(fewer);
    }
    if let Test::Alternation(alternatives) = &pattern.test {
        out.extend(simpler_alternations(pattern, alternatives));
    }
    for i in 0..pattern.items.len() {
        out.extend(simpler_items(pattern, i));
    }
    out
}

/// One alternative in place of the alternation; an alternative simplified.
fn simpler_alternations(pattern: &Pattern, alternatives: &[Pattern]) -> Vec<Pattern> {
    let mut out = Vec::new();
    for (i, alternative) in alternatives.iter().enumerate() {
        let mut alone = alternative.clone();
        alone.quantifier = pattern.quantifier;
        alone.captures.extend(pattern.captures.iter().cloned());
        out.push(alone);
        for simpler in simpler_patterns(alternative) {
            let mut alternatives = alternatives.to_vec();
            alternatives[i] = simpler;
            out.push(Pattern {
                test: Test::Alternation(alternatives),
                ..pattern.clone()
            });
        }
    }
    out
}

/// Item `i` removed, its field dropped, or its pattern simplified.
fn simpler_items(pattern: &Pattern, i: usize) -> Vec<Pattern> {
    let with = |item: Item| {
        let mut changed = pattern.clone();
        changed.items[i] = item;
        changed
    };
    let mut fewer = pattern.clone();
    fewer.items.remove(i);
    let mut out = vec![fewer];
    if let Item::Child(field, child) = &pattern.items[i] {
        if field.is_some() {
            out.push(with(Item::Child(None, child.clone())));
        }
        for simpler in simpler_patterns(child) {
            out.push(with(Item::Child(field.clone(), simpler)));
        }
    }
    out
}

/// The source without one chunk of lines (halves down to single lines), and for a short
/// source without one chunk of characters.
fn simpler_sources(source: &str) -> Vec<String> {
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let mut out = without_chunks(&lines);
    if source.len() < 300 {
        let chars: Vec<String> = source.chars().map(String::from).collect();
        let chars: Vec<&str> = chars.iter().map(String::as_str).collect();
        out.extend(without_chunks(&chars));
    }
    out
}

/// `parts` joined, without one run of parts, for runs of halves, quarters... down to one.
fn without_chunks(parts: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut size = parts.len().div_ceil(2);
    while size > 0 {
        for start in (0..parts.len()).step_by(size) {
            let end = (start + size).min(parts.len());
            out.push([&parts[..start], &parts[end..]].concat().concat());
        }
        if size == 1 {
            break;
        }
        size = size.div_ceil(2);
    }
    out
}
