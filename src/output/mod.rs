//! Writing the built site so that the output folder always holds one complete build.
//!
//! A full build streams its files, as they are made, into a temporary sibling folder
//! ([`Staging`]); only when all are written is it swapped with the output folder (atomically
//! with `renameat2(RENAME_EXCHANGE)` on Linux, by two renames elsewhere). A failed or
//! interrupted build leaves the previous output as it was; leftovers of an interrupted build are
//! removed by the next one. Nothing holds the whole site in memory.
//!
//! Every build records a [`Manifest`]: for each file, a hash of its bytes and, for pages, a key
//! of everything the page was made from. `serve` rebuilds against the previous manifest: a page
//! whose key is unchanged is not rendered again, and only files whose bytes changed are written
//! (each by an atomic rename), once the whole rebuild has succeeded.
//!
//! Besides this file: [`outdir`] (which folder a build may write to, one build at a time) and
//! `staging.rs` (putting a finished build in place: [`Staging`], [`apply`]).
//!
//! Layer 1: uses `util` and `diagnostics` only. Only this component writes the output folder.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::diagnostics::BuildError;
use crate::util::scratch;

pub mod outdir;
mod remove;
mod staging;

use self::outdir::is_safe_relative;
pub use self::staging::{apply, apply_undoable, Staging, Swap};

/// A file of the built site: its path below the output folder and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// What a build wrote: per file, the key it was made from (pages only) and a hash of its bytes.
#[derive(Debug, Default, Clone)]
pub struct Manifest {
    pub files: HashMap<String, FileEntry>,
}

impl Manifest {
    /// Takes in the entries of a build of part of the site ([`Sink::live_part`]); returns what
    /// they replaced, for [`Manifest::unmerge`].
    pub fn merge(&mut self, part: Manifest) -> Replaced {
        let mut replaced = Vec::with_capacity(part.files.len());
        for (path, entry) in part.files {
            let before = self.files.insert(path.clone(), entry);
            replaced.push((path, before));
        }
        Replaced(replaced)
    }

    /// Puts back the entries a [`Manifest::merge`] replaced.
    pub fn unmerge(&mut self, Replaced(replaced): Replaced) {
        for (path, before) in replaced {
            match before {
                Some(entry) => self.files.insert(path, entry),
                None => self.files.remove(&path),
            };
        }
    }
}

/// The entries a [`Manifest::merge`] replaced (`None`: there was none).
#[derive(Debug)]
pub struct Replaced(Vec<(String, Option<FileEntry>)>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileEntry {
    pub key: Option<u64>,
    /// [`hash_bytes`] of the file; 0 in a build that no later build compares with (`build`).
    pub hash: u64,
    pub len: usize,
}

/// A 64-bit hash of bytes ([`key_hasher`](crate::util::hash::key_hasher): the same in every run).
pub fn hash_bytes(bytes: &[u8]) -> u64 {
    crate::util::hash::key_of(bytes)
}

/// Where the files of a build go as they are made.
pub struct Sink<'p> {
    target: Target<'p>,
    keyed: bool,
    /// Only part of the site is made (a preview): files it does not make are not removed.
    partial: bool,
    entries: Mutex<Vec<(String, FileEntry)>>,
    /// Files held back until the end: all of them in memory mode, the changed ones in live mode.
    held: Mutex<Vec<OutputFile>>,
    /// The folders made so far in the (new, empty) output folder: a file beside others needs
    /// no `create_dir_all`, which asks the system twice for a folder that exists (3,300 times
    /// at 10,000 measures).
    made: Mutex<std::collections::HashSet<PathBuf>>,
}

enum Target<'p> {
    /// Keep everything in memory (`build_in_memory`).
    Memory,
    /// Make every file and drop it, keeping only its path and length (`build_and_discard`,
    /// which `planatlas check` runs): a check holds none of the output, which at a million
    /// measures is 12 GB.
    Discard,
    /// Write every file below a staging folder.
    Dir(PathBuf),
    /// Compare with the previous build; hold the changed files for [`apply`].
    Live(&'p Manifest),
}

/// The outcome of a build's output: its manifest and, in live mode, what changed.
pub struct Finished {
    pub manifest: Manifest,
    pub files: Vec<OutputFile>,
    /// Paths written or removed (live mode) in path order.
    pub changed: Vec<String>,
    pub bytes: usize,
}

impl<'p> Sink<'p> {
    pub fn memory() -> Sink<'p> {
        Sink::with(Target::Memory)
    }

    /// A sink that drops every file once it is made (see [`Target::Discard`]); its manifest
    /// still has every path, so a path taken twice is still an error.
    pub fn discard() -> Sink<'p> {
        Sink::with(Target::Discard)
    }

    pub fn staging(staging: &Staging) -> Sink<'p> {
        Sink::with(Target::Dir(staging.dir.clone()))
    }

    pub fn live(previous: &'p Manifest) -> Sink<'p> {
        Sink::with(Target::Live(previous))
    }

    /// Like [`Sink::live`], for a build that makes only some of the site's files: the files
    /// it does not make stay as they are. Its manifest is to be [merged](Manifest::merge)
    /// into `previous`.
    pub fn live_part(previous: &'p Manifest) -> Sink<'p> {
        Sink {
            partial: true,
            ..Sink::live(previous)
        }
    }

    fn with(target: Target<'p>) -> Sink<'p> {
        Sink {
            keyed: matches!(target, Target::Live(_)),
            partial: false,
            target,
            entries: Mutex::new(Vec::new()),
            held: Mutex::new(Vec::new()),
            made: Mutex::new(std::collections::HashSet::new()),
        }
    }

    /// Records pages' keys (for a later live rebuild against this build's manifest).
    pub fn keyed(mut self) -> Sink<'p> {
        self.keyed = true;
        self
    }

    pub fn is_keyed(&self) -> bool {
        self.keyed
    }

    /// Takes a file whose bytes are already made.
    pub fn put(&self, path: String, bytes: Vec<u8>) -> Result<(), BuildError> {
        check_path(&path)?;
        self.take(path, None, Cow::Owned(bytes))
    }

    /// Takes a file that `make` writes, made from inputs summed up by `key`: when the previous
    /// build made the same path from the same key, the file is kept as it is and `make` is not
    /// called. `make` writes into a buffer the sink lends, the same one for every file made on
    /// a thread: a plain build writes it to its file and a check drops it, so that pages and
    /// the search index's files are made without an allocation of their own; a build held in
    /// memory, or compared with the last, keeps a copy.
    ///
    /// (See [`crate::util::scratch`] for why.)
    pub fn put_made(
        &self,
        path: String,
        key: Option<u64>,
        make: impl FnOnce(&mut Vec<u8>) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        check_path(&path)?;
        if self.keep(&path, key) {
            return Ok(());
        }
        let mut lent = scratch::take(&LENT);
        let taken = make(&mut lent).and_then(|()| self.take(path, key, Cow::Borrowed(&lent)));
        scratch::give_back(&LENT, lent);
        taken
    }

    /// Whether the previous build's file at `path`, made from `key`, is kept as it is (in
    /// `serve`), which this records.
    fn keep(&self, path: &str, key: Option<u64>) -> bool {
        if let (Target::Live(previous), Some(key)) = (&self.target, key) {
            if let Some(old) = previous.files.get(path).filter(|e| e.key == Some(key)) {
                self.record(path.to_string(), *old);
                return true;
            }
        }
        false
    }

    /// Takes a file's bytes, made from `key`, to where the sink puts them.
    fn take(&self, path: String, key: Option<u64>, bytes: Cow<[u8]>) -> Result<(), BuildError> {
        let entry = FileEntry {
            key,
            hash: if self.hashes() { hash_bytes(&bytes) } else { 0 },
            len: bytes.len(),
        };
        match &self.target {
            Target::Memory => self.hold(path.clone(), bytes.into_owned()),
            Target::Discard => {}
            Target::Dir(dir) => {
                let file = self.new_file(dir, &path)?;
                fs::write(&file, &bytes).map_err(|e| io_error(&file, e))?;
            }
            Target::Live(previous) => {
                if previous.files.get(&path).map(|e| e.hash) != Some(entry.hash) {
                    self.hold(path.clone(), bytes.into_owned());
                }
            }
        }
        self.record(path, entry);
        Ok(())
    }

    /// Takes a file that `write` writes. In a plain build it goes straight into the staging
    /// folder, so that a large file (`measures.json`: 22 MB at 10,000 measures, 2.2 GB at
    /// 1,000,000) is never held in memory whole nor copied as its buffer grows; otherwise the
    /// bytes are collected and taken as [`Sink::put`] takes them.
    pub fn put_written(
        &self,
        path: String,
        write: impl FnOnce(&mut dyn io::Write) -> Result<(), BuildError>,
    ) -> Result<(), BuildError> {
        check_path(&path)?;
        // Streamed: into a file of the staging folder, or counted and dropped (a check).
        let (file, inner): (PathBuf, Box<dyn io::Write>) = match (&self.target, self.plain_dir()) {
            (Target::Discard, _) => (PathBuf::from(&path), Box::new(io::sink())),
            (_, Some(dir)) => {
                let file = self.new_file(dir, &path)?;
                let created = fs::File::create(&file).map_err(|e| io_error(&file, e))?;
                (
                    file,
                    Box::new(io::BufWriter::with_capacity(1 << 16, created)),
                )
            }
            (_, None) => {
                // As long as the previous build's file and a little more, where there was one:
                // `measures.json` (22 MB at 10,000 measures) grew its buffer by doubling, copying
                // it and faulting in fresh memory each time, in every rebuild of `serve`.
                let mut bytes = Vec::with_capacity(
                    self.previous_len(&path)
                        .map_or(0, |len| len + len / 32 + 4096),
                );
                write(&mut bytes)?;
                return self.put(path, bytes);
            }
        };
        let mut out = Counted {
            inner,
            len: 0,
            error: None,
        };
        let written = write(&mut out)
            .and_then(|()| io::Write::flush(&mut out).map_err(|e| io_error(&file, e)));
        // A failed write is reported as the I/O error it was, not as what the writer made of it.
        if let Some(e) = out.error.take() {
            return Err(io_error(&file, e));
        }
        written?;
        let entry = FileEntry {
            key: None,
            hash: 0,
            len: out.len,
        };
        self.record(path, entry);
        Ok(())
    }

    /// The length of `path` in the build a live sink compares with.
    fn previous_len(&self, path: &str) -> Option<usize> {
        match &self.target {
            Target::Live(previous) => previous.files.get(path).map(|e| e.len),
            _ => None,
        }
    }

    /// Whether a later build compares its files with this build's manifest, which then needs
    /// each file's hash: not after a plain build (130 MB to hash at 10,000 measures) nor a check.
    fn hashes(&self) -> bool {
        self.plain_dir().is_none() && !matches!(self.target, Target::Discard)
    }

    /// The staging folder of a plain build, which writes files as they come and whose
    /// manifest no later build compares with; `None` for serve's builds and in memory.
    fn plain_dir(&self) -> Option<&Path> {
        match &self.target {
            Target::Dir(dir) if !self.keyed => Some(dir),
            _ => None,
        }
    }

    fn record(&self, path: String, entry: FileEntry) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, entry));
    }

    fn hold(&self, path: String, bytes: Vec<u8>) {
        self.held
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, bytes));
    }

    /// Checks that no path was taken twice and returns the manifest, the held files (sorted by
    /// path) and, in live mode, the paths that differ from the previous build.
    pub fn finish(self) -> Result<Finished, BuildError> {
        let mut entries = self.entries.into_inner().unwrap_or_else(|e| e.into_inner());
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        if let Some(w) = entries.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(BuildError::Output(format!(
                "two outputs would be written to {}",
                w[0].0
            )));
        }
        let mut files = self.held.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let bytes = entries.iter().map(|(_, e)| e.len).sum();
        let manifest = Manifest {
            files: entries.into_iter().collect(),
        };
        let mut changed: Vec<String> = Vec::new();
        if let Target::Live(previous) = &self.target {
            changed.extend(files.iter().map(|(p, _)| p.clone()));
            if !self.partial {
                changed.extend(
                    previous
                        .files
                        .keys()
                        .filter(|p| !manifest.files.contains_key(*p))
                        .cloned(),
                );
            }
            changed.sort();
        }
        Ok(Finished {
            manifest,
            files,
            changed,
            bytes,
        })
    }
}

impl Sink<'_> {
    /// `path` below `dir`, with its folders made.
    fn new_file(&self, dir: &Path, path: &str) -> Result<PathBuf, BuildError> {
        let file = dir.join(path);
        if let Some(parent) = file.parent() {
            let made = || self.made.lock().unwrap_or_else(|e| e.into_inner());
            if !made().contains(parent) {
                fs::create_dir_all(parent).map_err(|e| io_error(&file, e))?;
                made().insert(parent.to_path_buf());
            }
        }
        Ok(file)
    }
}

/// Refuses a path that would leave the output folder.
fn check_path(path: &str) -> Result<(), BuildError> {
    if is_safe_relative(path) {
        Ok(())
    } else {
        Err(BuildError::Output(format!(
            "refusing to write outside the output folder: {path}"
        )))
    }
}

/// A writer that counts the bytes written and keeps the first error.
struct Counted<W: io::Write> {
    inner: W,
    len: usize,
    error: Option<io::Error>,
}

impl<W: io::Write> io::Write for Counted<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.inner.write(buf) {
            Ok(n) => {
                self.len += n;
                Ok(n)
            }
            Err(e) => {
                let kept = io::Error::new(e.kind(), e.to_string());
                self.error.get_or_insert(e);
                Err(kept)
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

fn io_error(path: &Path, e: io::Error) -> BuildError {
    BuildError::io("writing", path, e)
}

thread_local! {
    /// The buffer [`Sink::put_made`] lends on this thread.
    static LENT: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_site(out: &Path, files: &[(&str, &[u8])]) -> Result<(), BuildError> {
        let staging = Staging::new(out).unwrap();
        let sink = Sink::staging(&staging);
        for (path, bytes) in files {
            sink.put(path.to_string(), bytes.to_vec())?;
        }
        sink.finish()?;
        staging.commit().unwrap();
        Ok(())
    }

    /// A written file lands in the staging folder as written and counts its bytes; in memory
    /// and for a keyed build it is held and hashed like any other; a path outside the output
    /// is refused before anything is written.
    #[test]
    fn written_files() {
        let write = |out: &mut dyn io::Write| {
            out.write_all(b"{\n  \"a\": 1\n}")
                .and_then(|()| out.write_all(b"\n"))
                .map_err(|e| BuildError::io("writing", Path::new("x"), e))
        };
        let dir = tempfile::tempdir().unwrap();
        let staging = Staging::new(&dir.path().join("public")).unwrap();
        let sink = Sink::staging(&staging);
        sink.put_written("data/a.json".into(), write).unwrap();
        assert!(sink.put_written("../a.json".into(), write).is_err());
        let finished = sink.finish().unwrap();
        assert_eq!(finished.bytes, 13);
        assert_eq!(
            fs::read(staging.dir.join("data/a.json")).unwrap(),
            b"{\n  \"a\": 1\n}\n"
        );
        for sink in [Sink::memory(), Sink::staging(&staging).keyed()] {
            sink.put_written("data/a.json".into(), write).unwrap();
            let finished = sink.finish().unwrap();
            let entry = finished.manifest.files["data/a.json"];
            assert_eq!(entry.hash, hash_bytes(b"{\n  \"a\": 1\n}\n"));
        }
    }

    /// A discarding sink holds no file and writes none, but counts every file's bytes, made or
    /// written, and still refuses a path taken twice or outside the output.
    #[test]
    fn a_discarding_sink_counts_and_holds_nothing() {
        let sink = Sink::discard();
        sink.put("a/index.html".into(), b"<p>one</p>".to_vec())
            .unwrap();
        sink.put_made("b/index.html".into(), Some(7), |out| {
            out.extend_from_slice(b"two");
            Ok(())
        })
        .unwrap();
        sink.put_written("data/a.json".into(), |out| {
            out.write_all(b"{}\n")
                .map_err(|e| BuildError::io("writing", Path::new("x"), e))
        })
        .unwrap();
        assert!(sink.put_written("../a.json".into(), |_| Ok(())).is_err());
        assert!(sink.put("/etc/x".into(), Vec::new()).is_err());
        let finished = sink.finish().unwrap();
        assert!(finished.files.is_empty() && finished.changed.is_empty());
        assert_eq!(finished.bytes, 10 + 3 + 3);
        let mut paths: Vec<&str> = finished.manifest.files.keys().map(String::as_str).collect();
        paths.sort_unstable();
        assert_eq!(paths, ["a/index.html", "b/index.html", "data/a.json"]);
        assert_eq!(finished.manifest.files["data/a.json"].len, 3);

        let twice = Sink::discard();
        twice.put("x.txt".into(), b"1".to_vec()).unwrap();
        twice.put("x.txt".into(), b"2".to_vec()).unwrap();
        assert!(twice.finish().is_err());
    }

    /// A file made in the lent buffer is taken as one made in its own: held whole in memory,
    /// written to its file, counted and dropped by a check, kept unchanged by key in a live
    /// rebuild. The buffer is lent empty to the next file, also after a file that failed.
    #[test]
    fn files_made_in_the_lent_buffer_are_taken_as_any_other() {
        let make = |bytes: &'static [u8]| {
            move |out: &mut Vec<u8>| {
                assert!(out.is_empty(), "lent empty");
                out.extend_from_slice(bytes);
                Ok(())
            }
        };
        let failing = |out: &mut Vec<u8>| {
            out.extend_from_slice(b"half");
            Err(BuildError::io(
                "writing",
                Path::new("x"),
                io::ErrorKind::Other.into(),
            ))
        };
        let memory = Sink::memory();
        memory.put_made("a.html".into(), None, make(b"A")).unwrap();
        assert!(memory.put_made("f.html".into(), None, failing).is_err());
        memory.put_made("b.html".into(), None, make(b"BB")).unwrap();
        assert!(memory
            .put_made("../c.html".into(), None, make(b"C"))
            .is_err());
        let mut held = memory.finish().unwrap().files;
        held.sort();
        assert_eq!(
            held,
            [
                ("a.html".into(), b"A".to_vec()),
                ("b.html".into(), b"BB".to_vec())
            ]
        );

        let discard = Sink::discard();
        discard
            .put_made("a.html".into(), None, make(b"AAA"))
            .unwrap();
        let finished = discard.finish().unwrap();
        assert!(finished.files.is_empty());
        assert_eq!(finished.bytes, 3);

        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::new(&out).unwrap();
        let sink = Sink::staging(&staging).keyed();
        sink.put_made("a.html".into(), Some(1), make(b"A")).unwrap();
        sink.put_made("b.html".into(), Some(2), make(b"B")).unwrap();
        assert_eq!(fs::read(staging.dir.join("a.html")).unwrap(), b"A");
        let first = sink.finish().unwrap();
        staging.commit().unwrap();
        let live = Sink::live(&first.manifest);
        live.put_made("a.html".into(), Some(1), |_| panic!("a.html is unchanged"))
            .unwrap();
        live.put_made("b.html".into(), Some(3), make(b"B2"))
            .unwrap();
        let second = live.finish().unwrap();
        assert_eq!(second.changed, ["b.html"]);
        assert_eq!(second.files, [("b.html".into(), b"B2".to_vec())]);
    }

    #[test]
    fn swaps_and_cleans() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[("a/index.html", b"one")]).unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"one");
        // What a killed build left: a staging folder with the marker, of a process gone.
        fs::create_dir(dir.path().join(".public.tmp-99999999")).unwrap();
        fs::write(
            dir.path().join(".public.tmp-99999999").join(outdir::MARKER),
            "",
        )
        .unwrap();
        write_site(&out, &[("b.txt", b"two")]).unwrap();
        assert!(!out.join("a/index.html").exists());
        assert_eq!(fs::read(out.join("b.txt")).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn refuses_escaping_paths_and_keeps_the_previous_build() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[("x", b"old")]).unwrap();
        assert!(write_site(&out, &[("../evil", b"")]).is_err());
        assert!(write_site(&out, &[("/abs", b"")]).is_err());
        assert!(write_site(&out, &[("y", b""), ("y", b"")]).is_err());
        assert_eq!(fs::read(out.join("x")).unwrap(), b"old");
        assert!(!dir.path().join("evil").exists());
        // The failed builds' staging folders are gone.
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_live_rebuild_keeps_unchanged_pages_and_writes_only_changed_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::new(&out).unwrap();
        let sink = Sink::staging(&staging).keyed();
        sink.put_made("a.html".into(), Some(1), |out| {
            out.extend_from_slice(b"A");
            Ok(())
        })
        .unwrap();
        sink.put_made("b.html".into(), Some(2), |out| {
            out.extend_from_slice(b"B");
            Ok(())
        })
        .unwrap();
        sink.put("gone.json".into(), b"{}".to_vec()).unwrap();
        let first = sink.finish().unwrap();
        staging.commit().unwrap();

        let sink = Sink::live(&first.manifest);
        sink.put_made("a.html".into(), Some(1), |_| panic!("a.html is unchanged"))
            .unwrap();
        sink.put_made("b.html".into(), Some(3), |out| {
            out.extend_from_slice(b"B2");
            Ok(())
        })
        .unwrap();
        sink.put("new.json".into(), b"[]".to_vec()).unwrap();
        let second = sink.finish().unwrap();
        assert_eq!(second.changed, ["b.html", "gone.json", "new.json"]);
        apply(&out, &second).unwrap();
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"A");
        assert_eq!(fs::read(out.join("b.html")).unwrap(), b"B2");
        assert!(!out.join("gone.json").exists());
        assert_eq!(fs::read(out.join("new.json")).unwrap(), b"[]");
    }

    #[test]
    fn an_error_putting_a_file_in_place_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(&out).unwrap();
        // A file where the new build needs a folder.
        fs::write(out.join("plans"), b"not a folder").unwrap();
        let manifest = Manifest::default();
        let sink = Sink::live(&manifest);
        sink.put("plans/a/index.html".into(), b"A".to_vec())
            .unwrap();
        let finished = sink.finish().unwrap();
        let e = apply(&out, &finished).unwrap_err().to_string();
        assert!(e.contains("public/plans"), "{e}");
    }
}
