//! Cobertura XML: `<class filename="...">` elements hold `<line number="N" hits="H"/>`. Lines
//! of a class's `<methods>` repeat the class's own lines, so only lines directly under a class's
//! `<lines>` are read. `<source>` prefixes are not joined: paths stay as the report writes them.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Hits, mark};

/// Line hits of a Cobertura report.
pub(super) fn parse(text: &str) -> Result<Hits, String> {
    let mut reader = Reader::from_str(text);
    let mut state = State::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        if !state.step(event)? {
            break;
        }
    }
    if state.saw_root {
        Ok(state.hits)
    } else {
        Err("no <coverage> element".to_owned())
    }
}

/// Where the reader is: the current class's file, and whether inside a `<methods>` list.
#[derive(Default)]
struct State {
    hits: Hits,
    file: Option<String>,
    depth_in_methods: usize,
    saw_root: bool,
}

impl State {
    /// Takes one event; false at the end of the document.
    fn step(&mut self, event: Event<'_>) -> Result<bool, String> {
        match event {
            Event::Start(e) => self.open(&e)?,
            Event::Empty(e) if e.name().0 == "line" => self.line(&e)?,
            Event::End(e) => self.close(e.name().0),
            Event::Eof => return Ok(false),
            _ => {}
        }
        Ok(true)
    }

    fn open(&mut self, e: &BytesStart<'_>) -> Result<(), String> {
        match e.name().0 {
            "coverage" => self.saw_root = true,
            "class" => self.file = Some(attribute(e, "filename")?.unwrap_or_default()),
            "methods" => self.depth_in_methods += 1,
            "line" => self.line(e)?,
            _ => {}
        }
        Ok(())
    }

    fn close(&mut self, name: &str) {
        match name {
            "class" => self.file = None,
            "methods" => self.depth_in_methods = self.depth_in_methods.saturating_sub(1),
            _ => {}
        }
    }

    fn line(&mut self, e: &BytesStart<'_>) -> Result<(), String> {
        line(
            e,
            self.file.as_deref(),
            self.depth_in_methods,
            &mut self.hits,
        )
    }
}

fn line(
    e: &BytesStart<'_>,
    file: Option<&str>,
    depth_in_methods: usize,
    hits: &mut Hits,
) -> Result<(), String> {
    let Some(file) = file.filter(|_| depth_in_methods == 0) else {
        return Ok(());
    };
    let number = attribute(e, "number")?.and_then(|n| n.trim().parse::<u64>().ok());
    let count = attribute(e, "hits")?.and_then(|h| h.trim().parse::<f64>().ok());
    match (number, count) {
        (Some(number), Some(count)) => {
            mark(hits, file, number, count > 0.0);
            Ok(())
        }
        _ => Err(format!("a <line> in {file} lacks a numeric number or hits")),
    }
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    for attr in e.attributes() {
        let attr = attr.map_err(|err| err.to_string())?;
        if attr.key.as_ref() == name {
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| err.to_string())?;
            return Ok(Some(value.into_owned()));
        }
    }
    Ok(None)
}
