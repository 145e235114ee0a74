//! The only way gatecheck writes files: into a temporary file in the same directory, flushed to
//! disk, then renamed over the target, so a reader never sees half a file and a crash never
//! leaves one.

use std::io::{self, Write};
use std::path::Path;

/// Writes `contents` to `path` atomically.
///
/// # Errors
/// Any I/O error; the target is then left as it was.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".gatecheck-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `contents` to `path` atomically unless `path` exists.
///
/// # Errors
/// [`io::ErrorKind::AlreadyExists`] when `path` exists; any other I/O error.
pub fn create_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".gatecheck-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    temp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}
