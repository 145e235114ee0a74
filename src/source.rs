//! Stage 2a: reads a file within its size budget and decodes it to UTF-8 text.
//!
//! Binary files are refused; UTF-16 is transcoded; a UTF-8 byte-order mark is dropped; invalid
//! UTF-8 is decoded with replacement characters (and a warning); lone carriage returns (old Mac
//! line endings) become line feeds of the same length, because tree-sitter counts rows by `\n`.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Stage};

/// A NUL byte within this many leading bytes marks a binary file, as git and ripgrep decide;
/// later ones are reported as text with a NUL byte.
const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// A decoded source file.
#[derive(Debug)]
pub struct SourceText {
    /// The text, UTF-8, with `\n` or `\r\n` line endings.
    pub text: String,
    /// Problems that did not stop decoding (invalid UTF-8, UTF-16).
    pub warnings: Vec<Diagnostic>,
}

/// Reads `path` (at most `max_bytes`) and decodes it.
///
/// # Errors
/// A [`Diagnostic`] naming the file when it cannot be read, is larger than `max_bytes`, is not a
/// regular file or is binary.
pub fn read(path: &Path, relative: &Path, max_bytes: u64) -> Result<SourceText, Diagnostic> {
    let bytes = read_capped(path, relative, max_bytes)?;
    decode(bytes, relative)
}

fn read_capped(path: &Path, relative: &Path, max_bytes: u64) -> Result<Vec<u8>, Diagnostic> {
    let fail = |what: String| Diagnostic::error(relative, Stage::Read, what);
    // O_NONBLOCK: a FIFO that replaced the file since the walk must not block the run.
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| fail(io_message(&e)))?;
    let metadata = file.metadata().map_err(|e| fail(io_message(&e)))?;
    if !metadata.is_file() {
        return Err(fail("not a regular file; skipped".to_owned()));
    }
    if metadata.len() > max_bytes {
        return Err(fail(too_big(metadata.len(), max_bytes)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The size was checked on stat; `take` enforces it on read, for a file that grew since.
    File::take(file, max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| fail(io_message(&e)))?;
    if bytes.len() as u64 > max_bytes {
        return Err(fail(too_big(bytes.len() as u64, max_bytes)));
    }
    Ok(bytes)
}

fn too_big(size: u64, max_bytes: u64) -> String {
    format!(
        "file is {size} bytes, over the {max_bytes}-byte limit; skipped (raise `max_file_bytes` \
         in [limits] or add the file to `exclude`)"
    )
}

fn io_message(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::PermissionDenied => {
            "permission denied; skipped (grant read access or add it to `exclude`)".to_owned()
        }
        _ => format!("cannot be read: {err}; skipped"),
    }
}

/// Decodes raw bytes to text (see the module documentation for the rules).
///
/// # Errors
/// A [`Diagnostic`] when the bytes are binary.
pub fn decode(bytes: Vec<u8>, relative: &Path) -> Result<SourceText, Diagnostic> {
    let mut warnings = Vec::new();
    let mut text = if let Some(utf16) = decode_utf16(&bytes) {
        warnings.push(Diagnostic::warning(
            relative,
            Stage::Read,
            "UTF-16 text was transcoded to UTF-8 for analysis (consider saving it as UTF-8)",
        ));
        utf16
    } else {
        refuse_nul(&bytes, relative)?;
        let (text, warning) = decode_utf8(bytes);
        warnings.extend(warning.map(|w| Diagnostic::warning(relative, Stage::Read, w)));
        text
    };
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    if text.contains('\r') {
        text = normalize_lone_carriage_returns(text);
    }
    Ok(SourceText { text, warnings })
}

/// Source never holds a NUL byte, and a grammar may read one as the end of input.
fn refuse_nul(bytes: &[u8], relative: &Path) -> Result<(), Diagnostic> {
    let Some(at) = bytes.iter().position(|&b| b == 0) else {
        return Ok(());
    };
    let what = if at < BINARY_SNIFF_BYTES {
        "binary file"
    } else {
        "text with a NUL byte"
    };
    Err(Diagnostic::error(
        relative,
        Stage::Read,
        format!(
            "{what} (NUL byte at offset {at}); skipped (add it to `exclude` if it is not \
             source, or remove the NUL byte)"
        ),
    ))
}

/// UTF-8 text, or the bytes decoded with replacement characters and a warning saying where the
/// first bad byte is.
fn decode_utf8(bytes: Vec<u8>) -> (String, Option<String>) {
    match String::from_utf8(bytes) {
        Ok(text) => (text, None),
        Err(err) => {
            let at = err.utf8_error().valid_up_to();
            let before = err.as_bytes().get(..at).unwrap_or_default();
            let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
            let warning = format!(
                "not valid UTF-8 (first bad byte at offset {at}, line {line}); decoded with \
                 replacement characters (save the file as UTF-8)"
            );
            (
                String::from_utf8_lossy(err.as_bytes()).into_owned(),
                Some(warning),
            )
        }
    }
}

/// UTF-16 with a byte-order mark, transcoded; `None` when the bytes do not start with one.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let little = match bytes {
        [0xFF, 0xFE, ..] => true,
        [0xFE, 0xFF, ..] => false,
        _ => return None,
    };
    let units = bytes.get(2..)?.chunks_exact(2).map(|pair| {
        let pair = [
            pair.first().copied().unwrap_or(0),
            pair.get(1).copied().unwrap_or(0),
        ];
        if little {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    Some(
        char::decode_utf16(units)
            .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect(),
    )
}

/// Replaces each `\r` not followed by `\n` with `\n`: same length, so byte offsets stay valid.
fn normalize_lone_carriage_returns(text: String) -> String {
    let mut bytes = text.into_bytes();
    for i in 0..bytes.len() {
        if bytes.get(i + 1) != Some(&b'\n')
            && let Some(b) = bytes.get_mut(i)
            && *b == b'\r'
        {
            *b = b'\n';
        }
    }
    // Replacing one ASCII byte with another keeps the text valid UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> Result<SourceText, Diagnostic> {
        decode(bytes.to_vec(), Path::new("x.py"))
    }

    #[test]
    fn binary_is_refused() {
        assert!(text(b"abc\0def").is_err());
    }

    #[test]
    fn bom_is_dropped_and_cr_becomes_lf() {
        assert_eq!(text(b"\xEF\xBB\xBFa\rb\r\nc").unwrap().text, "a\nb\r\nc");
    }

    #[test]
    fn utf16_is_transcoded_with_a_warning() {
        let decoded = text(b"\xFF\xFEa\0=\x001\0").unwrap();
        assert_eq!(decoded.text, "a=1");
        assert_eq!(decoded.warnings.len(), 1);
    }

    #[test]
    fn latin1_is_decoded_lossily_with_a_warning() {
        let decoded = text(b"s = '\xe9'\n").unwrap();
        assert_eq!(decoded.text, "s = '\u{fffd}'\n");
        assert!(decoded.warnings[0].message.contains("line 1"));
    }
}
