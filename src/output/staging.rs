//! Putting a finished build in place. A full build is written into a [`Staging`] folder beside
//! the output and then swapped with it: in one step where the system allows
//! (`renameat2(RENAME_EXCHANGE)` on Linux, two renames elsewhere), file by file when the output
//! folder cannot be renamed, as a mount point ([`Swap::InPlace`]). A live rebuild of `serve` is
//! written file by file by [`apply`]. A file reaches the output folder under a temporary name and
//! is then renamed, so that no reader sees half a file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::outdir::{self, is_safe_relative};
use super::Finished;

/// A staging folder next to the output, removed unless it is swapped into place.
pub struct Staging {
    pub(super) dir: PathBuf,
    output: PathBuf,
    parent: PathBuf,
    name: String,
    done: bool,
}

impl Staging {
    pub fn new(output: &Path) -> io::Result<Staging> {
        let parent = match output.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)?;
        let name = output
            .file_name()
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidInput,
                    "the output path has no folder name",
                )
            })?
            .to_string_lossy()
            .into_owned();
        outdir::remove_leftovers(&parent, &name);
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if dir.exists() {
            fs::remove_dir_all(&dir)?;
        }
        fs::create_dir(&dir)?;
        // First, so that a leftover of this build is recognisably planatlas's own.
        fs::write(dir.join(outdir::MARKER), outdir::MARKER_TEXT)?;
        Ok(Staging {
            dir,
            output: output.to_path_buf(),
            parent,
            name,
            done: false,
        })
    }

    /// Puts the staged build in place of the output folder.
    pub fn commit(mut self) -> io::Result<Swap> {
        let swap = swap_into_place(&self.dir, &self.output, &self.parent, &self.name)?;
        self.done = true;
        Ok(swap)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = outdir::remove_own(&self.dir);
        }
    }
}

/// Applies a live rebuild to the output folder: writes the changed files (each through a
/// temporary file and a rename, so a reader never sees half a file) and removes the files the
/// new build no longer has.
pub fn apply(output: &Path, finished: &Finished) -> io::Result<()> {
    for (path, bytes) in &finished.files {
        write_whole(&output.join(path), bytes)?;
    }
    for path in &finished.changed {
        if !finished.manifest.files.contains_key(path) && is_safe_relative(path) {
            let _ = fs::remove_file(output.join(path));
        }
    }
    Ok(())
}

/// What [`apply_undoable`] replaced: each path it wrote with the bytes the file had before
/// (`None`: there was no such file).
pub struct Undo {
    files: Vec<(String, Option<Vec<u8>>)>,
}

/// Applies a live rebuild of part of the site ([`Sink::live_part`](super::Sink::live_part),
/// which removes nothing) like [`apply`], keeping what it replaces, so that it can be taken
/// back if the rest of the rebuild fails.
pub fn apply_undoable(output: &Path, finished: &Finished) -> io::Result<Undo> {
    let mut files = Vec::with_capacity(finished.files.len());
    for (path, _) in &finished.files {
        let file = output.join(path);
        let before = match fs::read(&file) {
            Ok(bytes) => Some(bytes),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(at(&file)(e)),
        };
        files.push((path.clone(), before));
    }
    apply(output, finished)?;
    Ok(Undo { files })
}

impl Undo {
    /// Puts back the files as they were.
    pub fn restore(self, output: &Path) -> io::Result<()> {
        for (path, before) in self.files {
            let file = output.join(path);
            match before {
                Some(bytes) => write_whole(&file, &bytes)?,
                None => fs::remove_file(&file).map_err(at(&file))?,
            }
        }
        Ok(())
    }
}

/// Writes `file` through a temporary file and a rename, so that a reader never sees half of it.
fn write_whole(file: &Path, bytes: &[u8]) -> io::Result<()> {
    if let Some(parent) = file.parent() {
        fs::create_dir_all(parent).map_err(at(parent))?;
    }
    let tmp = file.with_file_name(format!(
        ".{}.planatlas-tmp",
        file.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    ));
    fs::write(&tmp, bytes).map_err(at(&tmp))?;
    fs::rename(&tmp, file).map_err(at(file))
}

/// How a build was put in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swap {
    /// In one step: a reader saw the old site or the new one.
    Atomic,
    /// File by file, because the output folder cannot be renamed (a mount point): new and
    /// changed files first, removals last.
    InPlace,
}

fn swap_into_place(staging: &Path, output: &Path, parent: &Path, name: &str) -> io::Result<Swap> {
    if !output.exists() {
        fs::rename(staging, output)?;
        return Ok(Swap::Atomic);
    }
    match exchange(staging, output) {
        // `staging` now holds the previous build.
        Ok(()) => {
            outdir::remove_own(staging).map_err(at(staging))?;
            return Ok(Swap::Atomic);
        }
        Err(e) if cannot_rename(&e) => return update_in_place(staging, output),
        Err(_) => {}
    }
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    if let Err(e) = fs::rename(output, &old) {
        return if cannot_rename(&e) {
            update_in_place(staging, output)
        } else {
            Err(e)
        };
    }
    if let Err(e) = fs::rename(staging, output) {
        let _ = fs::rename(&old, output);
        return Err(at(staging)(e));
    }
    outdir::remove_own(&old).map_err(at(&old))?;
    Ok(Swap::Atomic)
}

/// Whether a rename failed because the folder is a mount point or on another file system.
fn cannot_rename(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ResourceBusy | io::ErrorKind::CrossesDevices
    )
}

/// Makes `output` hold exactly the files of `staging` without renaming `output` itself: every
/// new or changed file is copied in (through a temporary file and a rename, so no reader sees
/// half a file), then what the new build does not have is removed. `staging` is removed last.
fn update_in_place(staging: &Path, output: &Path) -> io::Result<Swap> {
    let mut keep = std::collections::HashSet::new();
    for entry in walkdir::WalkDir::new(staging)
        .min_depth(1)
        .sort_by_file_name()
    {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(staging)
            .map_err(io::Error::other)?
            .to_path_buf();
        let target = output.join(&rel);
        let existing = fs::symlink_metadata(&target).ok();
        if entry.file_type().is_dir() {
            if existing.as_ref().is_some_and(|m| !m.is_dir()) {
                fs::remove_file(&target).map_err(at(&target))?;
            }
            fs::create_dir_all(&target).map_err(at(&target))?;
        } else {
            if existing.as_ref().is_some_and(|m| m.is_dir()) {
                fs::remove_dir_all(&target).map_err(at(&target))?;
            }
            let same = existing.is_some_and(|m| m.is_file())
                && fs::read(&target).ok() == fs::read(entry.path()).ok();
            if !same {
                let tmp = target.with_file_name(format!(
                    ".{}.planatlas-tmp",
                    entry.file_name().to_string_lossy()
                ));
                fs::copy(entry.path(), &tmp).map_err(at(&tmp))?;
                fs::rename(&tmp, &target).map_err(at(&target))?;
            }
        }
        keep.insert(rel);
    }
    let mut gone = Vec::new();
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .contents_first(true)
    {
        let entry = entry.map_err(io::Error::other)?;
        let rel = entry
            .path()
            .strip_prefix(output)
            .map_err(io::Error::other)?;
        if !keep.contains(rel) {
            gone.push((entry.path().to_path_buf(), entry.file_type().is_dir()));
        }
    }
    for (path, is_dir) in gone {
        if is_dir {
            fs::remove_dir(&path).map_err(at(&path))?;
        } else {
            fs::remove_file(&path).map_err(at(&path))?;
        }
    }
    outdir::remove_own(staging).map_err(at(staging))?;
    Ok(Swap::InPlace)
}

/// An I/O error that names the file it happened on: the caller's message names only the
/// output folder, and a folder of thousands of files needs the one that failed.
fn at(path: &Path) -> impl Fn(io::Error) -> io::Error + '_ {
    move |e| io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    rustix::fs::renameat_with(
        rustix::fs::CWD,
        a,
        rustix::fs::CWD,
        b,
        rustix::fs::RenameFlags::EXCHANGE,
    )
    .map_err(io::Error::from)
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "no atomic exchange",
    ))
}
