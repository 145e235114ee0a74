//! Draining a child's output: a thread reads a pipe to its end and keeps only the last bytes,
//! so a child that writes gigabytes neither blocks on a full pipe nor fills gatecheck's memory.

use std::io::{self, Read};
use std::sync::mpsc::Sender;

/// How many trailing bytes of each stream are kept by default: enough for an error message and
/// a short traceback.
pub const DEFAULT_TAIL_BYTES: usize = 4096;

/// Read size: large reads keep the drain cheap when a child floods its output.
const CHUNK: usize = 64 * 1024;

/// The end of a stream: its last bytes and how many bytes it had in all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tail {
    /// The last bytes read (at most the capacity given to [`drain`]).
    pub bytes: Vec<u8>,
    /// Every byte read, counted.
    pub total: u64,
}

impl Tail {
    /// Appends `chunk`, keeping at most `cap` trailing bytes.
    pub fn push(&mut self, chunk: &[u8], cap: usize) {
        self.total += chunk.len() as u64;
        if chunk.len() >= cap {
            self.bytes.clear();
            self.bytes
                .extend_from_slice(chunk.get(chunk.len() - cap..).unwrap_or(chunk));
            return;
        }
        self.bytes.extend_from_slice(chunk);
        let excess = self.bytes.len().saturating_sub(cap);
        self.bytes.drain(..excess);
    }

    /// The kept bytes as text (invalid UTF-8 replaced), trimmed, with `...` in front when
    /// earlier bytes were dropped.
    #[must_use]
    pub fn text(&self) -> String {
        let text = String::from_utf8_lossy(&self.bytes);
        let text = text.trim();
        if (self.bytes.len() as u64) < self.total && !text.is_empty() {
            format!("...{text}")
        } else {
            text.to_owned()
        }
    }
}

/// Which output stream a [`Tail`] came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
}

/// Reads `source` to its end on a new thread, keeping `cap` trailing bytes, and sends the
/// [`Tail`] on `done` (a read error ends the stream early: what was read is kept).
///
/// # Errors
/// When the thread cannot be started.
pub fn drain(
    source: impl Read + Send + 'static,
    stream: Stream,
    cap: usize,
    done: Sender<(Stream, Tail)>,
) -> io::Result<()> {
    std::thread::Builder::new()
        .name(format!("gatecheck-drain-{stream:?}"))
        .spawn(move || {
            let tail = read_tail(source, cap);
            // The receiver may have given up waiting: nothing left to tell.
            let _ = done.send((stream, tail));
        })?;
    Ok(())
}

fn read_tail(mut source: impl Read, cap: usize) -> Tail {
    let mut tail = Tail::default();
    let mut buffer = vec![0_u8; CHUNK];
    loop {
        match source.read(&mut buffer) {
            Ok(0) => return tail,
            Ok(n) => tail.push(buffer.get(..n).unwrap_or_default(), cap),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(_) => return tail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_last_bytes_only() {
        let mut tail = Tail::default();
        tail.push(b"hello ", 8);
        tail.push(b"world", 8);
        assert_eq!((tail.bytes.as_slice(), tail.total), (&b"lo world"[..], 11));
        tail.push(b"0123456789", 8);
        assert_eq!(tail.bytes, b"23456789");
        assert_eq!(tail.text(), "...23456789");
        let flood = read_tail(std::io::repeat(b'x').take(10_000_000), 16);
        assert_eq!((flood.bytes.len(), flood.total), (16, 10_000_000));
    }
}
