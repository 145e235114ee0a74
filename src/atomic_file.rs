//! The only way gatecheck writes files: into a temporary file in the same directory, flushed to
//! disk, then renamed over the target, so a reader never sees half a file and a crash never
//! leaves one.

use std::fs::Permissions;
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tempfile::NamedTempFile;

/// Mode of a new file: readable by all, like a file a shell redirection creates under the
/// usual umask (a temporary file would otherwise keep its private 0600).
const NEW_FILE_MODE: u32 = 0o644;

/// Writes `contents` to `path` atomically, keeping the permissions of a file it replaces.
///
/// # Errors
/// Any I/O error; the target is then left as it was.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temp = filled_temp(path, contents)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Writes `contents` to `path` atomically, like [`write`], then flushes the directory entry
/// to disk too, so that the new contents survive a power loss once this returns (for files
/// that must never go back, such as an append-only history).
///
/// # Errors
/// Any I/O error; when it comes from the rename or before, the target is left as it was.
pub fn write_durable(path: &Path, contents: &[u8]) -> io::Result<()> {
    write(path, contents)?;
    std::fs::File::open(parent_dir(path))?.sync_all()
}

/// Writes `contents` to `path` atomically unless `path` exists.
///
/// # Errors
/// [`io::ErrorKind::AlreadyExists`] when `path` exists; any other I/O error.
pub fn create_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temp = filled_temp(path, contents)?;
    temp.persist_noclobber(path).map_err(|e| e.error)?;
    Ok(())
}

fn filled_temp(path: &Path, contents: &[u8]) -> io::Result<NamedTempFile> {
    let dir = parent_dir(path);
    let permissions = std::fs::metadata(path).map_or_else(
        |_| Permissions::from_mode(NEW_FILE_MODE),
        |m| m.permissions(),
    );
    let mut temp = tempfile::Builder::new()
        .prefix(".gatecheck-")
        .suffix(".tmp")
        .permissions(permissions)
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// The directory that holds `path` (`.` for a bare file name).
fn parent_dir(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replaces_and_refuses_to_clobber() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        write(&path, b"one").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            NEW_FILE_MODE
        );
        write_durable(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let err = create_new(&path, b"three").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left behind"
        );
    }
}
