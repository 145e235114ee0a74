//! Notes for people on standard error. Writing there must never stop or crash a run (a closed
//! or full stderr, `2>/dev/full`): `eprintln!` panics on a failed write, this ignores it. A
//! leaf: it imports nothing of gatecheck.

use std::fmt;
use std::io::Write;

/// Writes one line to standard error; a failed write is ignored (there is nowhere left to
/// report it).
pub fn line(text: fmt::Arguments<'_>) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_fmt(text);
    let _ = stderr.write_all(b"\n");
}

/// `note!("...", args)`: [`line`] with `format!` arguments, the panic-free `eprintln!`.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {
        $crate::stderr::line(format_args!($($arg)*))
    };
}
