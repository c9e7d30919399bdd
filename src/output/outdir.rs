//! Which folder a build may write to, and one writer at a time.
//!
//! A build replaces its output folder whole, so before anything is written this module decides
//! whether the folder is the build's to replace: it must be new, empty, or carry the
//! [`MARKER`] file that every build writes (or the user passed `--force`). The site root,
//! `content/`, `themes/`, any folder holding them and any folder inside them are never output
//! folders, `--force` or not. An output path that is a symbolic link is followed: the site is
//! written where the link points and the link stays.
//!
//! Builds that share an output folder take an advisory lock on a file beside it
//! (`.<name>.lock`), held until the build (or `serve`) ends, so that no build removes another's
//! staging folder or publishes half a site. Leftovers of interrupted builds are removed only
//! when they are planatlas's own: named `.<name>.tmp-<pid>` or `.<name>.old-<pid>`, of a
//! process that is no longer running, with the marker inside.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::BuildError;

/// The file every build writes at the top of its output: it tells later builds that the
/// folder is theirs to replace.
pub const MARKER: &str = ".planatlas-build";

/// What the marker file holds (the same in every build, so output stays deterministic).
pub const MARKER_TEXT: &str =
    "This folder is the output of `planatlas build`; the next build replaces all of it.\n";

/// The output folder a build may write to, locked for this process.
#[derive(Debug)]
pub struct OutputDir {
    /// Where the site is written: absolute, with symbolic links resolved.
    pub dir: PathBuf,
    _lock: File,
}

/// How the output folder is chosen and shared, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Replace a non-empty folder that no build wrote (never a protected one).
    pub force: bool,
    /// Wait for another build of the same output to finish; otherwise fail at once.
    pub wait: bool,
}

/// Checks that `requested` may take the build of the site at `root`, and locks it.
pub fn prepare(root: &Path, requested: &Path, policy: Policy) -> Result<OutputDir, BuildError> {
    let dir = effective(requested, 0).map_err(|e| BuildError::io("resolving", requested, e))?;
    refuse_protected(root, requested, &dir)?;
    // Checked before the lock, so that a refused folder gets no lock file beside it, and again
    // under the lock, as another build may have swapped the folder meanwhile.
    check_kind(requested, &dir, policy.force)?;
    let lock = lock(&dir, policy.wait)?;
    check_kind(requested, &dir, policy.force)?;
    Ok(OutputDir { dir, _lock: lock })
}

/// Refuses a file, and a folder that is neither empty nor marked as a build's (unless `force`).
fn check_kind(requested: &Path, dir: &Path, force: bool) -> Result<(), BuildError> {
    match fs::symlink_metadata(dir) {
        Ok(meta) if !meta.is_dir() => Err(BuildError::Output(format!(
            "{} is a file, not a folder; the site is written to a folder (hint: name a folder \
             with --output; the file was left as it was)",
            requested.display()
        ))),
        Ok(_) if !force && !is_ours(dir)? => Err(BuildError::Output(format!(
            "{} is not empty and was not written by planatlas (it has no {MARKER} file); a \
             build replaces the whole folder, so nothing was written (hint: choose a new or \
             empty folder with --output, or pass --force to replace {} and everything in it)",
            requested.display(),
            requested.display()
        ))),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(BuildError::io("reading", requested, e)),
    }
}

/// Whether a build may replace `dir` without `--force`: it is empty or has the marker.
fn is_ours(dir: &Path) -> Result<bool, BuildError> {
    if dir.join(MARKER).is_file() {
        return Ok(true);
    }
    let mut entries = fs::read_dir(dir).map_err(|e| BuildError::io("reading", dir, e))?;
    Ok(entries.next().is_none())
}

/// The absolute path of `path` with every symbolic link resolved, also when `path` (or some
/// of its parents) does not exist yet.
fn effective(path: &Path, depth: usize) -> io::Result<PathBuf> {
    if depth > 40 {
        return Err(io::Error::other("too many levels of symbolic links"));
    }
    let path = std::path::absolute(path)?;
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => match fs::canonicalize(&path) {
            Ok(real) => Ok(real),
            // A link to a folder that does not exist yet: the build creates it.
            Err(_) => {
                let target = fs::read_link(&path)?;
                let target = match path.parent() {
                    Some(parent) if target.is_relative() => parent.join(target),
                    _ => target,
                };
                effective(&target, depth + 1)
            }
        },
        Ok(_) => fs::canonicalize(&path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            let (Some(parent), Some(name)) = (path.parent(), path.file_name()) else {
                return Err(io::Error::other("the path names no folder"));
            };
            Ok(effective(parent, depth + 1)?.join(name))
        }
        Err(e) => Err(e),
    }
}

/// Refuses the site root, `content/`, `themes/`, the folders that hold them and the folders
/// inside them: replacing any of these would destroy the site's sources.
fn refuse_protected(root: &Path, requested: &Path, dir: &Path) -> Result<(), BuildError> {
    let root = effective(root, 0).map_err(|e| BuildError::io("resolving", root, e))?;
    let refuse = |what: &str| {
        Err(BuildError::Output(format!(
            "refusing to write the site to {}: it {what}, and a build replaces its output folder \
             whole (hint: choose another folder with --output, such as public/; --force does \
             not override this)",
            requested.display()
        )))
    };
    if dir == root {
        return refuse("is the site root");
    }
    for source in ["content", "themes"] {
        let source_dir = effective(&root.join(source), 0)
            .map_err(|e| BuildError::io("resolving", root.join(source), e))?;
        if dir.starts_with(&source_dir) {
            return refuse(&format!("is the site's {source}/ folder or inside it"));
        }
        if source_dir.starts_with(dir) {
            return refuse(&format!("holds the site's {source}/ folder"));
        }
    }
    Ok(())
}

/// Takes the lock beside `dir`, waiting for another build if `wait`.
fn lock(dir: &Path, wait: bool) -> Result<File, BuildError> {
    let (parent, name) = parent_and_name(dir)?;
    fs::create_dir_all(&parent).map_err(|e| BuildError::io("creating", &parent, e))?;
    let path = parent.join(format!(".{name}.lock"));
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| BuildError::io("opening", &path, e))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let holder = holder(&mut file);
            if !wait {
                return Err(BuildError::Output(format!(
                    "another planatlas build{holder} is writing {}; nothing was written (hint: \
                     run again when it has finished, or leave out --no-wait to wait for it)",
                    dir.display()
                )));
            }
            eprintln!(
                "Waiting for another planatlas build{holder} to finish writing {} …",
                dir.display()
            );
            file.lock()
                .map_err(|e| BuildError::io("locking", &path, e))?;
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(BuildError::io("locking", &path, e));
        }
    }
    // Who holds the lock, for the message of a build that has to wait.
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| writeln!(file, "{}", std::process::id()));
    Ok(file)
}

/// ` (process N)` when the lock file names the process that holds it.
fn holder(file: &mut File) -> String {
    let mut text = String::new();
    let _ = file.read_to_string(&mut text);
    match text.trim().parse::<u32>() {
        Ok(pid) => format!(" (process {pid})"),
        Err(_) => String::new(),
    }
}

/// The folder that holds `dir`, and `dir`'s name.
pub fn parent_and_name(dir: &Path) -> Result<(PathBuf, String), BuildError> {
    match (dir.parent(), dir.file_name()) {
        (Some(parent), Some(name)) => Ok((parent.to_path_buf(), name.to_string_lossy().into())),
        _ => Err(BuildError::Output(format!(
            "{} names no folder",
            dir.display()
        ))),
    }
}

/// Removes what interrupted builds left beside the output folder `name` in `parent`: only
/// `.<name>.tmp-<pid>` and `.<name>.old-<pid>` folders of processes no longer running that
/// hold the marker. Runs under the output's lock.
pub fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let prefixes = [format!(".{name}.tmp-"), format!(".{name}.old-")];
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = prefixes
            .iter()
            .find_map(|p| file_name.strip_prefix(p.as_str()))
            .and_then(|rest| rest.parse::<u32>().ok())
        else {
            continue;
        };
        let path = entry.path();
        let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if !is_dir || pid == std::process::id() || is_running(pid) {
            continue;
        }
        // Only a marked folder is planatlas's, even an empty unmarked one is left alone (a build
        // killed in the instant between making its staging folder and marking it leaves one).
        if path.join(MARKER).is_file() {
            let _ = remove_own(&path);
        }
    }
}

/// Removes a folder of planatlas's own (a staging folder, a replaced build) with its marker
/// last: a build killed while removing it leaves a folder that still says whose it is, so the
/// next build removes the rest (`remove_leftovers` only touches marked folders). On every core,
/// never following a link; `dir` itself being a link is an error, and nothing is removed.
pub fn remove_own(dir: &Path) -> io::Result<()> {
    super::remove::remove_all_but_last(dir, MARKER)
}

/// Whether a process with this id is running (on systems without `/proc`: assumed so, which
/// only keeps a leftover longer).
fn is_running(pid: u32) -> bool {
    if cfg!(target_os = "linux") {
        Path::new("/proc").join(pid.to_string()).exists()
    } else {
        true
    }
}

/// Whether a relative path stays below the folder it is joined to.
pub fn is_safe_relative(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty() && p.components().all(|c| matches!(c, Component::Normal(_)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(force: bool) -> Policy {
        Policy { force, wait: false }
    }

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("content/plans")).unwrap();
        fs::create_dir_all(dir.path().join("themes/default")).unwrap();
        dir
    }

    #[test]
    fn new_empty_and_marked_folders_are_taken() {
        let site = site();
        let root = site.path();
        assert!(prepare(root, &root.join("public"), policy(false)).is_ok());
        fs::create_dir(root.join("empty")).unwrap();
        assert!(prepare(root, &root.join("empty"), policy(false)).is_ok());
        fs::create_dir(root.join("old")).unwrap();
        fs::write(root.join("old/index.html"), "x").unwrap();
        fs::write(root.join("old").join(MARKER), MARKER_TEXT).unwrap();
        assert!(prepare(root, &root.join("old"), policy(false)).is_ok());
        // A folder that does not exist yet, below one that does not either.
        let deep = prepare(root, &root.join("a/b/site"), policy(false)).unwrap();
        assert_eq!(deep.dir, root.canonicalize().unwrap().join("a/b/site"));
    }

    #[test]
    fn a_users_folder_needs_force_and_the_sources_never_are_output() {
        let site = site();
        let root = site.path();
        fs::create_dir(root.join("docs")).unwrap();
        fs::write(root.join("docs/notes.txt"), "mine").unwrap();
        let e = prepare(root, &root.join("docs"), policy(false))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not written by planatlas"), "{e}");
        assert!(e.contains("--force"), "{e}");
        assert!(prepare(root, &root.join("docs"), policy(true)).is_ok());

        for (path, says) in [
            (root.to_path_buf(), "is the site root"),
            (root.join("."), "is the site root"),
            (root.join("content"), "site's content/ folder or inside it"),
            (
                root.join("content/plans/new"),
                "site's content/ folder or inside it",
            ),
            (
                root.join("themes/default"),
                "site's themes/ folder or inside it",
            ),
            (
                root.parent().unwrap().to_path_buf(),
                "holds the site's content/",
            ),
        ] {
            let e = prepare(root, &path, policy(true)).unwrap_err().to_string();
            assert!(e.contains(says), "{}: {e}", path.display());
            assert!(e.contains("--force does not override"), "{e}");
        }
        assert!(!root.join("content/plans/new").exists());
    }

    #[test]
    fn a_file_is_refused_and_left_alone() {
        let site = site();
        let root = site.path();
        fs::write(root.join("out.html"), "keep").unwrap();
        let e = prepare(root, &root.join("out.html"), policy(true))
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a file, not a folder"), "{e}");
        assert_eq!(fs::read(root.join("out.html")).unwrap(), b"keep");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_even_to_a_folder_not_made_yet() {
        let site = site();
        let root = site.path();
        let www = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(www.path().join("site"), root.join("public")).unwrap();
        let out = prepare(root, &root.join("public"), policy(false)).unwrap();
        assert_eq!(out.dir, www.path().canonicalize().unwrap().join("site"));
    }

    #[test]
    fn a_second_writer_is_refused_while_the_first_holds_the_lock() {
        let site = site();
        let root = site.path();
        let first = prepare(root, &root.join("public"), policy(false)).unwrap();
        let e = prepare(root, &root.join("public"), policy(false))
            .unwrap_err()
            .to_string();
        assert!(e.contains("another planatlas build"), "{e}");
        assert!(
            e.contains(&format!("process {}", std::process::id())),
            "{e}"
        );
        drop(first);
        assert!(prepare(root, &root.join("public"), policy(false)).is_ok());
    }

    #[test]
    fn only_planatlas_leftovers_of_dead_processes_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        let make = |name: &str, marked: bool| {
            fs::create_dir(p.join(name)).unwrap();
            if marked {
                fs::write(p.join(name).join(MARKER), MARKER_TEXT).unwrap();
            }
        };
        // No process has an id this large (pid_max is at most 2^22).
        make(".public.tmp-99999999", true);
        make(".public.old-99999998", true);
        // Not ours: no marker.
        make(".public.tmp-99999997", false);
        // Killed while its folder was being removed: the marker goes last, so it is recognised.
        make(".public.old-99999995", true);
        fs::create_dir_all(p.join(".public.old-99999995/plans/a")).unwrap();
        make(".public.old-backup", true);
        make(&format!(".public.tmp-{}", std::process::id()), true);
        make(".public.tmp-1", true); // init: running
        remove_leftovers(p, "public");
        let mut left: Vec<String> = fs::read_dir(p)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        let mut expected = vec![
            ".public.old-backup".to_string(),
            ".public.tmp-1".to_string(),
            ".public.tmp-99999997".to_string(),
            format!(".public.tmp-{}", std::process::id()),
        ];
        expected.sort();
        assert_eq!(left, expected);
    }

    #[test]
    fn an_own_folder_is_removed_whole() {
        let dir = tempfile::tempdir().unwrap();
        let own = dir.path().join(".public.tmp-1234");
        fs::create_dir_all(own.join("plans/x")).unwrap();
        fs::write(own.join("plans/x/index.html"), "x").unwrap();
        fs::write(own.join("index.html"), "i").unwrap();
        fs::write(own.join(MARKER), MARKER_TEXT).unwrap();
        remove_own(&own).unwrap();
        assert!(!own.exists());
    }
}
