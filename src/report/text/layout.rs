//! Fitting text to a terminal: cutting a line in its middle, wrapping at spaces, and the
//! width of text that carries ANSI colour codes; the colours used.

use anstyle::{AnsiColor, Style};

pub(super) const RED: Style = AnsiColor::Red.on_default();
pub(super) const BOLD_RED: Style = AnsiColor::Red.on_default().bold();
pub(super) const GREEN: Style = AnsiColor::Green.on_default();
pub(super) const YELLOW: Style = AnsiColor::Yellow.on_default();
pub(super) const BOLD: Style = Style::new().bold();
pub(super) const DIM: Style = Style::new().dimmed();

/// Paints text when colour is on, and knows the terminal width.
pub(super) struct Painter {
    pub(super) color: bool,
    pub(super) width: Option<usize>,
}

impl Painter {
    pub(super) fn paint(&self, style: Style, text: &str) -> String {
        if self.color {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }
}

/// `text` cut to `width` characters with `…` in the middle (the ends of a name or a path say
/// most); unchanged without a width.
pub(super) fn fit(text: &str, width: Option<usize>) -> String {
    let Some(width) = width else {
        return text.to_owned();
    };
    let count = text.chars().count();
    if count <= width || width < 5 {
        return text.to_owned();
    }
    let keep = width - 1;
    let head: String = text.chars().take(keep - keep / 3).collect();
    let tail: String = text.chars().skip(count - keep / 3).collect();
    format!("{head}…{tail}")
}

/// `text` broken into lines of at most `width` characters at spaces, every line after the
/// first indented by `indent`.
pub(super) fn wrap(text: &str, width: usize, indent: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut has_word = false;
    for word in text.split(' ') {
        if has_word && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::replace(&mut line, " ".repeat(indent)));
            has_word = false;
        }
        if has_word {
            line.push(' ');
        }
        line.push_str(word);
        has_word = true;
    }
    lines.push(line);
    lines
}

/// `text` without ANSI escape sequences.
pub(super) fn strip(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_escape = false;
    for c in text.chars() {
        match (in_escape, c) {
            (false, '\u{1b}') => in_escape = true,
            (true, 'm') => in_escape = false,
            (false, c) => out.push(c),
            (true, _) => {}
        }
    }
    out
}

/// The characters [`visible`] writes with a C escape of their own.
const ESCAPES: [(char, &str); 5] = [
    ('\n', "\\n"),
    ('\r', "\\r"),
    ('\t', "\\t"),
    ('"', "\\\""),
    ('\\', "\\\\"),
];

/// `text` as a person may safely see it: unchanged when it holds no control character, else
/// quoted with C escapes (`"a\nb"`), as `ls -b` and git's `core.quotePath` do. A file name with
/// a newline or an escape sequence then cannot forge a line of the report (a CI log reads
/// `::error ...` lines as workflow commands) or drive the terminal.
pub(super) fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match ESCAPES.iter().find(|(from, _)| *from == c) {
            Some((_, to)) => quoted.push_str(to),
            None if c.is_control() => quoted.push_str(&format!("\\x{:02x}", u32::from(c))),
            None => quoted.push(c),
        }
    }
    quoted.push('"');
    std::borrow::Cow::Owned(quoted)
}
