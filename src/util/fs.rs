//! Reading `content/` from disk without trusting it.
//!
//! The loader reads only regular files, never follows symbolic links inside the content, and
//! reads at most a fixed number of bytes from each file: a named pipe, a socket or a device named
//! like a content file is refused by its type (opening a pipe would block the build until a writer
//! appears), and a file that grows or lies about its size while it is read cannot exhaust memory.
//! Listing a folder reports every error, of the folder and of each entry, instead of skipping it.
//!
//! Layer 0 (`util`), not `content/`, because `config` reads `site.toml` through it too.

use std::fs::{self, FileType};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rustix::fs::{FileType as RawType, Mode, OFlags};

/// Content files larger than this are refused rather than read.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Why a content file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file system refused (missing file, permissions, …).
    Io(io::Error),
    /// The path is a symbolic link; links are not followed in content.
    Symlink,
    /// The path is a folder, pipe, socket or device: what it is, for the message.
    NotRegular(&'static str),
    /// The file is larger than the limit: its size when the file system told it, `None` when
    /// the file turned out larger while it was read.
    TooLarge(Option<u64>),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::Symlink => write!(f, "it is a symbolic link, which content may not be"),
            ReadError::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            ReadError::TooLarge(Some(bytes)) => write!(f, "it has {bytes} bytes, too many"),
            ReadError::TooLarge(None) => write!(f, "it grew too large while it was read"),
        }
    }
}

/// What a file type is, in words, for messages about non-regular files.
pub fn describe(file_type: FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_fifo() {
        "a named pipe (FIFO)"
    } else if file_type.is_socket() {
        "a socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "a device"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

fn describe_raw(file_type: RawType) -> &'static str {
    match file_type {
        RawType::Directory => "a folder",
        RawType::Symlink => "a symbolic link",
        RawType::Fifo => "a named pipe (FIFO)",
        RawType::Socket => "a socket",
        RawType::BlockDevice | RawType::CharacterDevice => "a device",
        RawType::RegularFile => "a regular file",
        _ => "a special file",
    }
}

/// Reads the regular file at `path`, at most `limit` bytes.
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    // The type is checked before opening, so that a device is never opened at all; and again on
    // the opened file, which is what is read, in case the path was replaced in between.
    let meta = fs::symlink_metadata(path).map_err(ReadError::Io)?;
    if meta.file_type().is_symlink() {
        return Err(ReadError::Symlink);
    }
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular(describe(meta.file_type())));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge(Some(meta.len())));
    }
    // NONBLOCK: opening a pipe put there since the check returns at once instead of waiting
    // for a writer; it changes nothing for regular files.
    let fd = rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| match e {
        rustix::io::Errno::LOOP => ReadError::Symlink,
        e => ReadError::Io(e.into()),
    })?;
    let stat = rustix::fs::fstat(&fd).map_err(|e| ReadError::Io(e.into()))?;
    let file_type = RawType::from_raw_mode(stat.st_mode);
    if file_type != RawType::RegularFile {
        return Err(ReadError::NotRegular(describe_raw(file_type)));
    }
    read_limited(fs::File::from(fd), limit)
}

/// Reads `reader` to its end, or fails as soon as it yields more than `limit` bytes.
pub fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(None));
    }
    Ok(bytes)
}

/// One entry of a folder: its path and type (of the entry itself, links not followed).
#[derive(Debug, Clone)]
pub struct Entry {
    pub path: PathBuf,
    pub file_type: FileType,
}

/// A folder's entries sorted by name, or why the folder cannot be read. Entries whose type
/// cannot be read come separately, each with its error (the path is unknown when the listing
/// itself failed part way).
pub struct Listing {
    pub entries: Vec<Entry>,
    pub errors: Vec<(Option<PathBuf>, io::Error)>,
}

/// Lists `dir`; the folder itself is reached following links, its entries are not.
pub fn list(dir: &Path) -> io::Result<Listing> {
    let mut listing = Listing {
        entries: Vec::new(),
        errors: Vec::new(),
    };
    for entry in fs::read_dir(dir)? {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                listing.errors.push((None, e));
                continue;
            }
        };
        let path = entry.path();
        match entry.file_type() {
            Ok(file_type) => listing.entries.push(Entry { path, file_type }),
            Err(e) => listing.errors.push((Some(path), e)),
        }
    }
    listing.entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(listing)
}

/// Whether `path` exists, not following a final link: `Ok(false)` only when the file system
/// says there is nothing there; any other failure (permissions, a file where a folder should
/// be) is returned rather than read as absence.
pub fn present(path: &Path) -> io::Result<bool> {
    match fs::symlink_metadata(path) {
        Ok(_) => Ok(true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_reader_is_cut_at_the_limit() {
        // io::repeat never ends: reading it whole would exhaust memory.
        let result = read_limited(io::repeat(b'x'), 1024);
        assert!(
            matches!(result, Err(ReadError::TooLarge(None))),
            "{result:?}"
        );
    }

    #[test]
    fn a_reader_within_the_limit_is_read_whole() {
        let bytes = read_limited(&b"abc"[..], 3).unwrap();
        assert_eq!(bytes, b"abc");
        assert!(matches!(
            read_limited(&b"abcd"[..], 3),
            Err(ReadError::TooLarge(None))
        ));
    }

    #[test]
    fn absence_is_told_from_failure() {
        let dir = std::env::temp_dir().join(format!("planatlas-present-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = dir.join("f");
        fs::write(&file, "").unwrap();
        assert!(present(&file).unwrap());
        assert!(!present(&dir.join("missing")).unwrap());
        // A path through a regular file: not absent, but an error (ENOTDIR).
        assert!(present(&file.join("below")).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
