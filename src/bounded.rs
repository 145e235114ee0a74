//! Reading a file gatecheck did not write, within bounds: opened non-blocking (a FIFO planted
//! in its place must not hang the run), refused unless it is a regular file (a device or a
//! link to `/dev/zero` must not exhaust memory), and never read past a cap. Every input but
//! the source files goes through here (configurations, coverage reports, the performance
//! history, baselines, manifests); source files have the same checks with their own
//! diagnostics (`source`). A leaf: it imports nothing of gatecheck.

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// The cap for configuration files and manifests: far beyond any hand-written one.
pub const CONFIG_CAP: u64 = 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// It could not be opened or read.
    #[error("{}: cannot be read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// It is a FIFO, a socket, a device or a directory.
    #[error("{}: not a regular file (a FIFO, device, socket or directory); gatecheck reads only regular files here", path.display())]
    NotRegular {
        /// The file.
        path: PathBuf,
    },
    /// It is larger than the cap.
    #[error("{}: {size} bytes, over the {cap}-byte limit for this kind of file", path.display())]
    TooBig {
        /// The file.
        path: PathBuf,
        /// Its size (at least).
        size: u64,
        /// The cap.
        cap: u64,
    },
}

impl ReadError {
    /// Whether the file does not exist.
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }
}

/// The bytes of `path`, at most `cap` of them.
///
/// # Errors
/// [`ReadError`] when it cannot be opened, is not a regular file, or is larger than `cap`.
pub fn read(path: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
        });
    }
    let too_big = |size| ReadError::TooBig {
        path: path.to_path_buf(),
        size,
        cap,
    };
    if metadata.len() > cap {
        return Err(too_big(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    // The size was checked on stat; `take` enforces it on read, for a file that grew since.
    File::take(file, cap + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > cap {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// The text of `path` (at most `cap` bytes), invalid UTF-8 replaced.
///
/// # Errors
/// As [`read`].
pub fn read_text(path: &Path, cap: u64) -> Result<String, ReadError> {
    let bytes = read(path, cap)?;
    Ok(String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_fifos_and_big_files_are_refused() {
        assert!(matches!(
            read(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular { .. })
        ));
        let dir = tempfile::tempdir().expect("temp dir");
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 100]).expect("write");
        assert!(matches!(
            read(&big, 99),
            Err(ReadError::TooBig { size: 100, .. })
        ));
        assert_eq!(read(&big, 100).expect("fits").len(), 100);
        assert!(read(&dir.path().join("missing"), 1).is_err_and(|e| e.is_not_found()));
    }
}
