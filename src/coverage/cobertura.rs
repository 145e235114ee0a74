//! Cobertura XML: `<class filename="...">` elements hold `<line number="N" hits="H"/>`. Lines
//! of a class's `<methods>` repeat the class's own lines, so only lines directly under a class's
//! `<lines>` are read. `<source>` prefixes are not joined: paths stay as the report writes them.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{Hits, mark};

/// Line hits of a Cobertura report.
pub(super) fn parse(text: &str) -> Result<Hits, String> {
    let mut reader = Reader::from_str(text);
    let mut hits = Hits::new();
    let mut file: Option<String> = None;
    let mut depth_in_methods = 0usize;
    let mut saw_root = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(e) => {
                saw_root |= e.name().0 == "coverage";
                match e.name().0 {
                    "class" => file = Some(attribute(&e, "filename")?.unwrap_or_default()),
                    "methods" => depth_in_methods += 1,
                    "line" => line(&e, file.as_deref(), depth_in_methods, &mut hits)?,
                    _ => {}
                }
            }
            Event::Empty(e) if e.name().0 == "line" => {
                line(&e, file.as_deref(), depth_in_methods, &mut hits)?;
            }
            Event::End(e) => match e.name().0 {
                "class" => file = None,
                "methods" => depth_in_methods = depth_in_methods.saturating_sub(1),
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    if saw_root {
        Ok(hits)
    } else {
        Err("no <coverage> element".to_owned())
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
