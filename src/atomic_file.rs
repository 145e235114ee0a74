//! The only way gatecheck writes files: into a temporary file in the same directory, flushed to
//! disk, then renamed over the target, so a reader never sees half a file and a crash never
//! leaves one.
//!
//! What the target is decides how: `-` is standard output; a character device (`/dev/null`,
//! `/dev/stdout`, a terminal) or a FIFO is written directly (renaming over it would replace the
//! device node with a regular file); a symbolic link has the file it points to replaced, so the
//! link survives. Temporary files are named `.gatecheck-<pid>-*.tmp`; one left by a run that was
//! killed (its process is gone) is removed by the next write into the same directory.

use std::fs::Permissions;
use std::io::{self, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Mode of a new file: readable by all, like a file a shell redirection creates under the
/// usual umask (a temporary file would otherwise keep its private 0600).
const NEW_FILE_MODE: u32 = 0o644;

/// Writes `contents` to `path` atomically, keeping the permissions of a file it replaces.
///
/// # Errors
/// Any I/O error; the target is then left as it was.
pub fn write(path: &Path, contents: &[u8]) -> io::Result<()> {
    match target(path)? {
        Target::Stream(mut stream) => stream.write_all(contents).and_then(|()| stream.flush()),
        Target::File(path) => {
            let temp = filled_temp(&path, contents)?;
            temp.persist(&path).map_err(|e| e.error)?;
            Ok(())
        }
    }
}

/// Where a write goes.
enum Target {
    /// Written directly: standard output, a device, a FIFO.
    Stream(Box<dyn Write>),
    /// Replaced atomically: this regular file (a link's target, for a link).
    File(PathBuf),
}

/// How `path` is written (see the module documentation).
fn target(path: &Path) -> io::Result<Target> {
    if path == Path::new("-") {
        return Ok(Target::Stream(Box::new(io::stdout())));
    }
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(Target::File(path.to_path_buf()));
    };
    if let Some(stream) = stream(path, meta.file_type())? {
        return Ok(Target::Stream(stream));
    }
    // A link to a regular file: replace the file it points to, keep the link.
    let resolved = if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        std::fs::canonicalize(path)?
    } else {
        path.to_path_buf()
    };
    Ok(Target::File(resolved))
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
    remove_stale_temps(dir);
    let prefix = format!("{TEMP_PREFIX}{}-", std::process::id());
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .permissions(permissions)
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// A device or FIFO at `path` opened for writing; an error for what cannot hold a report;
/// `None` for a regular file or a link to one.
fn stream(path: &Path, kind: std::fs::FileType) -> io::Result<Option<Box<dyn Write>>> {
    if kind.is_char_device() || kind.is_fifo() {
        let stream = std::fs::OpenOptions::new().write(true).open(path)?;
        return Ok(Some(Box::new(stream)));
    }
    if kind.is_dir() || kind.is_block_device() || kind.is_socket() {
        return Err(io::Error::other(format!(
            "{} is not a file gatecheck can write a report into (a directory, block device or \
             socket); name a file, `-` for standard output, or a character device",
            path.display()
        )));
    }
    Ok(None)
}

/// The start of every temporary file's name; the process id follows.
const TEMP_PREFIX: &str = ".gatecheck-";

/// Removes the temporary files in `dir` that a killed gatecheck left behind: named
/// `.gatecheck-<pid>-*.tmp` by a process that no longer runs. Best effort.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(TEMP_PREFIX))
            .filter(|n| n.ends_with(".tmp"))
            .and_then(|n| n.split('-').next())
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        let gone = !Path::new("/proc").join(pid.to_string()).exists();
        if gone && Path::new("/proc/self").exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
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
