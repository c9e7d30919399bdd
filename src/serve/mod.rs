//! The development server: builds, serves the output on loopback, watches `content/` and
//! `themes/`, rebuilds on change and reloads open pages.
//!
//! Rebuilds are incremental ([`Incremental`]): only changed plans are parsed again, only
//! pages whose inputs changed are rendered, only files whose bytes changed are written, and
//! an open page reloads only if it, or an asset, changed. The edited plans' pages are
//! previewed first ([`Incremental::rebuild_previewed`]): open pages among them reload before
//! the exact rebuild of the rest is done. A failed rebuild writes nothing (one that fails
//! after its preview takes the preview back), and the server keeps serving the last good
//! output; open pages show the errors in an overlay until the next good build. A rebuild that
//! panics is reported the same way. Pages learn of rebuilds by long-polling
//! `/__planatlas/poll`, so no WebSocket is needed.
//!
//! `serve` builds into its own folder (see [`default_output`]), never into `public/`: pages
//! built for `http://127.0.0.1:…` must not be deployed by mistake. The HTTP side, with its
//! limits against slow, greedy or foreign clients, is in [`http`].
//!
//! Layer 8, a front end: may use every layer below, `build` included.

mod http;

pub use http::{content_type, resolve, Resolved};

use std::collections::VecDeque;
use std::hash::Hasher;
use std::net::IpAddr;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

use crate::build::{Incremental, Rebuilt};
use crate::config::BuildOptions;
use crate::diagnostics::BuildError;
use crate::util::hash::{fnv1a64_from, FNV64_OFFSET};

/// Options of `planatlas serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub interface: IpAddr,
    pub port: u16,
    /// Add the live-reload script to pages (off: pages are served exactly as built).
    pub live_reload: bool,
}

/// The state pages poll: a counter of rebuilds, the last build's errors and what the last
/// rebuilds changed.
#[derive(Debug, Default)]
struct Status {
    version: u64,
    error: Option<String>,
    /// What the last [`KEPT_CHANGES`] versions changed, oldest first. A preview and its exact
    /// rebuild publish two versions in quick succession: a page that polls after both must
    /// learn what each of them changed, not only the last.
    changes: VecDeque<Change>,
}

/// What one version (a rebuild, a preview or a failure) changed.
#[derive(Debug)]
struct Change {
    version: u64,
    /// An asset changed, or every file did: every page reloads.
    all: bool,
    /// URL paths of the pages that changed (`/plans/x/y/`).
    pages: Vec<String>,
}

/// Versions whose changes are kept; a page further behind reloads.
const KEPT_CHANGES: usize = 16;

/// A change of more pages than this reloads every open page: a template edit at a large size
/// changes hundreds of thousands, which polls would otherwise list.
const MAX_LISTED: usize = 10_000;

impl Status {
    /// Publishes a new version that changed what `reloads` says.
    fn publish(&mut self, (all, mut pages): (bool, Vec<String>)) -> u64 {
        let all = all || pages.len() > MAX_LISTED;
        if all {
            pages = Vec::new();
        }
        self.version += 1;
        if self.changes.len() == KEPT_CHANGES {
            self.changes.pop_front();
        }
        self.changes.push_back(Change {
            version: self.version,
            all,
            pages,
        });
        self.version
    }

    /// Whether every page changed since version `seen`, and else which pages did.
    fn since(&self, seen: u64) -> (bool, Vec<String>) {
        // Versions no longer kept may have changed anything, and a version ahead of this
        // server's is a page of an earlier `serve`.
        let known = seen == self.version
            || (seen < self.version && self.changes.front().is_some_and(|c| c.version <= seen + 1));
        let newer = || self.changes.iter().filter(|c| c.version > seen);
        if !known || newer().any(|c| c.all) {
            return (true, Vec::new());
        }
        let mut pages: Vec<String> = newer().flat_map(|c| c.pages.iter().cloned()).collect();
        pages.sort_unstable();
        pages.dedup();
        (false, pages)
    }
}

/// What the rebuild loop and the HTTP side share.
struct Shared {
    status: Mutex<Status>,
    /// When this `serve` started (ms since 1970): a page served by an earlier one, whose
    /// versions mean nothing here, reloads.
    epoch: u64,
    /// The current version, for long polls to wait on without a thread each.
    version: tokio::sync::watch::Sender<u64>,
    live_reload: bool,
    output: PathBuf,
    interface: IpAddr,
    port: u16,
}

impl Shared {
    /// The status for a page that has seen version `seen` (`None`: the current one, for a
    /// page being served now).
    fn status_json(&self, seen: Option<u64>) -> String {
        let status = self.status.lock().unwrap_or_else(|e| e.into_inner());
        let (all, pages) = status.since(seen.unwrap_or(status.version));
        serde_json::json!({
            "epoch": self.epoch,
            "version": status.version,
            "error": status.error,
            "pages": pages,
            "all": all,
        })
        .to_string()
    }
}

/// Where `serve` builds when no `--output` is given: a folder of its own under the system
/// temp folder, one per site root and user, so that two `serve`s of different sites do not
/// clash and `public/` (what `build` writes and users deploy) never holds pages made for
/// `http://127.0.0.1`. The site goes into `site/` inside a private folder (mode 0700 on
/// Unix), so that other users of a shared temp folder can neither read it nor plant a
/// folder or link there.
pub fn default_output(root: &Path) -> Result<PathBuf, BuildError> {
    let canonical = root
        .canonicalize()
        .map_err(|e| BuildError::io("finding the site root", root, e))?;
    // FNV-1a: stable across Rust releases, unlike std's default hasher.
    let mut hasher = Fnv1a::default();
    hasher.write(canonical.as_os_str().as_encoded_bytes());
    #[cfg(unix)]
    hasher.write_u32(rustix::process::getuid().as_raw());
    let dir = std::env::temp_dir().join(format!("planatlas-serve-{:012x}", hasher.finish() >> 16));
    private_dir(&dir)?;
    Ok(dir.join("site"))
}

/// Creates `dir` readable only by this user, or checks that an existing one is such a folder.
fn private_dir(dir: &Path) -> Result<(), BuildError> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(BuildError::io("creating", dir, e)),
    }
    let meta = std::fs::symlink_metadata(dir).map_err(|e| BuildError::io("reading", dir, e))?;
    let refuse = |why: &str| {
        Err(BuildError::Setup(format!(
            "{} {why}; serve will not build there (hint: remove it, or give serve --output DIR)",
            dir.display()
        )))
    };
    if !meta.is_dir() {
        return refuse("is not a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != rustix::process::getuid().as_raw() {
            return refuse("belongs to another user");
        }
        if meta.mode() & 0o077 != 0 {
            return refuse("can be read or written by other users");
        }
    }
    Ok(())
}

#[derive(Default)]
struct Fnv1a(Option<u64>);

impl Hasher for Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = Some(fnv1a64_from(self.0.unwrap_or(FNV64_OFFSET), bytes));
    }
    fn finish(&self) -> u64 {
        self.0.unwrap_or(FNV64_OFFSET)
    }
}

/// Runs the server until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<(), BuildError> {
    let mut build = options.build.clone();
    let host = match options.interface {
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    build.base_url = Some(format!("http://{host}:{}/", options.port));
    println!(
        "Building into {} (serve's own folder; `planatlas build` writes the site to deploy)",
        build.output.display()
    );
    let (version, _) = tokio::sync::watch::channel(0);
    let shared = Arc::new(Shared {
        status: Mutex::new(Status::default()),
        epoch: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as u64),
        version,
        live_reload: options.live_reload,
        output: build.output.clone(),
        interface: options.interface,
        port: options.port,
    });
    let mut builder = Incremental::new(build.clone());
    // An output folder serve may not write (one of the user's, the site's sources) stops it
    // here: it must never serve, let alone replace, such a folder.
    builder.prepare()?;
    // Watch before the first build: an edit saved while it runs (minutes on a large corpus)
    // is rebuilt right after it.
    let (tx, rx) = mpsc::channel();
    // Set by every change: a rebuild that has shown its preview stops for a newer edit.
    let newer = Arc::new(AtomicBool::new(false));
    builder.stop_when(Arc::clone(&newer));
    let changed = Arc::clone(&newer);
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, notify::EventKind::Access(_)) {
                changed.store(true, Ordering::Relaxed);
                let _ = tx.send(());
            }
        }
    })
    .map_err(|e| server_error("watching files".into(), e))?;
    for dir in ["content", "themes"] {
        let path = build.root.join(dir);
        if path.exists() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| server_error(format!("watching {}", path.display()), e))?;
        }
    }

    // Build before listening: once the port answers, the site is there.
    rebuild(&mut builder, &shared);
    let listener = std::net::TcpListener::bind((options.interface, options.port))
        .map_err(|e| server_error(format!("listening on {host}:{}", options.port), e))?;
    let server = http::start(listener, Arc::clone(&shared))
        .map_err(|e| server_error("starting the server".into(), e))?;

    println!(
        "Serving {} on http://{host}:{}/",
        build.output.display(),
        options.port
    );
    if options.interface.is_loopback() {
        println!("Listening on {host} only: other machines cannot connect (use --interface to change that).");
    } else {
        println!("Listening on {host}: other machines on the network can connect.");
    }
    println!("Watching content/ and themes/ for changes. Press Ctrl+C to stop.");

    // Rebuild loop: wait for a change, let a burst of saves settle, rebuild once.
    while rx.recv().is_ok() {
        // Editors save in bursts (write, rename, touch): wait until 30 ms pass without events.
        let mut settle = Instant::now() + Duration::from_millis(30);
        while let Some(left) = settle.checked_duration_since(Instant::now()) {
            if rx.recv_timeout(left).is_err() {
                break;
            }
            settle = Instant::now() + Duration::from_millis(30);
        }
        while rx.try_recv().is_ok() {}
        // The changes so far are this rebuild's; one after this point stops it after its
        // preview (its event is still in the channel for the next rebuild).
        newer.store(false, Ordering::Relaxed);
        rebuild(&mut builder, &shared);
    }
    drop(watcher);
    drop(server);
    Ok(())
}

fn server_error(
    action: String,
    source: impl std::error::Error + Send + Sync + 'static,
) -> BuildError {
    BuildError::Server {
        action,
        source: Box::new(source),
    }
}

/// Why a rebuild gave no new site.
#[derive(Debug, PartialEq, Eq)]
enum Failure {
    /// The content or the disk: the build said what is wrong.
    Build(String),
    /// A bug in planatlas: the build panicked with this message.
    Panic(String),
}

/// Runs one rebuild, turning a panic into a [`Failure::Panic`] so that the server outlives it.
fn guarded<T, E: std::fmt::Display>(run: impl FnOnce() -> Result<T, E>) -> Result<T, Failure> {
    match panic::catch_unwind(AssertUnwindSafe(run)) {
        Ok(result) => result.map_err(|e| Failure::Build(e.to_string())),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "no message".to_string());
            Err(Failure::Panic(message))
        }
    }
}

/// Test hook, not for users: while the file this variable names exists, rebuilds panic (the
/// real pipeline has no known panic left to provoke from content).
const PANIC_HOOK_VAR: &str = "PLANATLAS_SERVE_PANIC_IF";

/// Test hook, not for users: while the file this variable names exists, a rebuild waits after
/// showing its preview (so that a test can save a newer edit while the exact rebuild is due).
const HOLD_HOOK_VAR: &str = "PLANATLAS_SERVE_HOLD_IF";

fn rebuild(builder: &mut Incremental, shared: &Shared) {
    let start = Instant::now();
    // What the preview changed, if one was shown: a rebuild that fails after it takes it back,
    // which changes those pages again.
    let mut previewed: Option<(bool, Vec<String>)> = None;
    let result = guarded(|| {
        if std::env::var_os(PANIC_HOOK_VAR).is_some_and(|p| Path::new(&p).exists()) {
            panic!("{PANIC_HOOK_VAR} asked this rebuild to panic");
        }
        // Open pages of the edited plans reload with the preview, and again after the exact
        // rebuild only if it changed them.
        let mut shown = |preview: &Rebuilt| {
            let changed = reloads(preview);
            previewed = Some(changed.clone());
            println!(
                "Preview in {} ms: {} of {} rendered, {} changed; the exact rebuild follows",
                start.elapsed().as_millis(),
                counted(preview.rendered, "page", "pages"),
                counted(preview.stats.plans, "edited plan", "edited plans"),
                counted(preview.changed.len(), "file", "files"),
            );
            publish(shared, None, changed);
            if let Some(hold) = std::env::var_os(HOLD_HOOK_VAR) {
                while Path::new(&hold).exists() {
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        };
        match builder.rebuild_previewed(&mut shown) {
            Ok(rebuilt) => Ok(Some(rebuilt)),
            // Stopped after its preview for a newer edit, which the next rebuild takes.
            Err(BuildError::Superseded) => Ok(None),
            // As main prints it, causes and all: the terminal and the pages' overlay show it.
            Err(e) => Err(e.report().to_string()),
        }
    });
    if let Err(Failure::Panic(_)) = &result {
        // The panic may have left the caches half updated: start afresh, with a full build.
        builder.reset();
    }
    let Some(result) = result.transpose() else {
        // The preview was published; the next rebuild publishes the rest.
        println!("A newer edit came in: the rest of this rebuild is left to the next one.");
        return;
    };
    // A rebuild that fails after its preview has taken the preview back.
    let serving = "Still serving the last good build.";
    match result {
        Ok(rebuilt) => {
            println!(
                "Built in {} ms: {} of {} pages rendered, {} files changed",
                start.elapsed().as_millis(),
                rebuilt.rendered,
                rebuilt.stats.pages,
                rebuilt.changed.len()
            );
            publish(shared, None, reloads(&rebuilt));
        }
        Err(Failure::Build(e)) => {
            eprintln!("{e}\n{serving}");
            // It took its preview back, which changed those pages again.
            publish(shared, Some(e), previewed.unwrap_or_default());
        }
        Err(Failure::Panic(message)) => {
            let report = panic_report(&message);
            eprintln!("{report}\n{serving}");
            // A panic takes no preview back; the next rebuild is a full one.
            publish(shared, Some(report), Default::default());
        }
    }
}

/// `1 page`, `2 pages`.
fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn panic_report(message: &str) -> String {
    format!(
        "error: the build panicked: {message}\nThis is a bug in planatlas: please report it with the content you changed. The next rebuild is a full one."
    )
}

/// Tells open pages about a rebuild, a preview or a failure (`error`): the error to show and
/// what changed (see [`reloads`]).
fn publish(shared: &Shared, error: Option<String>, changed: (bool, Vec<String>)) {
    let mut status = shared.status.lock().unwrap_or_else(|e| e.into_inner());
    status.error = error;
    let version = status.publish(changed);
    drop(status);
    // After the status is updated: a woken poll reads the new status.
    shared.version.send_replace(version);
}

/// Which open pages a rebuild (or a preview) reloads: all of them (an asset changed, or every
/// file did), else those whose page changed, as URL paths (`/plans/x/y/`).
fn reloads(rebuilt: &Rebuilt) -> (bool, Vec<String>) {
    let all = rebuilt.changed.iter().any(|p| p.starts_with("static/"))
        || rebuilt.changed.len() >= rebuilt.stats.files;
    if all {
        return (true, Vec::new());
    }
    let pages = rebuilt
        .changed
        .iter()
        .filter_map(|p| p.strip_suffix("index.html"))
        .map(|p| format!("/{p}"))
        .collect();
    (false, pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_rebuild_is_a_failure_not_a_crash() {
        let ok: Result<u8, Failure> = guarded(|| Ok::<u8, String>(7));
        assert_eq!(ok, Ok(7));
        let failed: Result<u8, Failure> = guarded(|| Err("bad content".to_string()));
        assert_eq!(failed, Err(Failure::Build("bad content".into())));
        let static_msg: Result<u8, Failure> = guarded(|| -> Result<u8, String> {
            panic!("boom");
        });
        assert_eq!(static_msg, Err(Failure::Panic("boom".into())));
        let formatted: Result<u8, Failure> = guarded(|| -> Result<u8, String> {
            let i = 3;
            panic!("index {i} out of range");
        });
        assert_eq!(
            formatted,
            Err(Failure::Panic("index 3 out of range".into()))
        );
    }

    #[test]
    fn a_poll_learns_every_change_since_the_version_its_page_saw() {
        let page = |p: &str| p.to_string();
        let mut status = Status::default();
        assert_eq!(status.since(0), (false, vec![]));
        status.publish((true, vec![page("/a/")]));
        assert_eq!(status.since(0), (true, vec![]), "the first build");
        assert_eq!(status.since(1), (false, vec![]));
        // A preview, then its exact rebuild: a page that saw neither learns of both.
        status.publish((false, vec![page("/a/")]));
        status.publish((false, vec![page("/b/"), page("/a/")]));
        assert_eq!(status.since(1), (false, vec![page("/a/"), page("/b/")]));
        assert_eq!(status.since(2), (false, vec![page("/a/"), page("/b/")]));
        assert_eq!(status.since(3), (false, vec![]));
        // A failure changes no page.
        status.publish((false, vec![]));
        assert_eq!(status.since(3), (false, vec![]));
        assert_eq!(status.since(2), (false, vec![page("/a/"), page("/b/")]));
        // A page further behind than the kept versions, or from an earlier `serve`, reloads.
        for _ in 0..KEPT_CHANGES {
            status.publish((false, vec![page("/c/")]));
        }
        assert_eq!(status.since(3), (true, vec![]));
        assert_eq!(status.since(4), (false, vec![page("/c/")]));
        assert_eq!(status.since(status.version + 1), (true, vec![]));
        // A change of very many pages reloads every page, and lists none.
        let seen = status.version;
        status.publish((false, (0..=MAX_LISTED).map(|i| format!("/p{i}/")).collect()));
        assert_eq!(status.since(seen), (true, vec![]));
        assert!(status.changes.back().unwrap().pages.is_empty());
    }

    #[test]
    fn a_preview_reloads_the_edited_pages_only() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        crate::cmd::init::init(&site).unwrap();
        let mut options = BuildOptions::new(&site);
        options.output = dir.path().join("out");
        let mut builder = Incremental::new(options);
        let first = builder.rebuild().unwrap();
        assert!(reloads(&first).0, "a first build reloads every page");
        let section = site.join("content/plans/example-plan/01-tasks/01-green.md");
        let text = std::fs::read_to_string(&section).unwrap();
        std::fs::write(
            &section,
            text.replace("扩大绿色信贷。", "扩大绿色信贷（预览）。"),
        )
        .unwrap();
        let mut preview = None;
        let exact = builder
            .rebuild_previewed(&mut |p| preview = Some(reloads(p)))
            .unwrap();
        assert_eq!(
            preview,
            Some((false, vec!["/plans/example-plan/tasks/green/".to_string()]))
        );
        let (all, pages) = reloads(&exact);
        assert!(!all, "{pages:?}");
        assert!(
            !pages.contains(&"/plans/example-plan/tasks/green/".to_string()),
            "the exact rebuild left the previewed page as it was: {pages:?}"
        );
    }

    #[test]
    fn serve_builds_outside_the_site_one_folder_per_site() {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        let out_a = default_output(a.path()).unwrap();
        let out_b = default_output(b.path()).unwrap();
        assert_ne!(out_a, out_b);
        assert_eq!(default_output(a.path()).unwrap(), out_a, "stable");
        assert!(!out_a.starts_with(a.path()));
        assert!(out_a.starts_with(std::env::temp_dir()));
        let parent = out_a.parent().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(parent).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
            // A folder others can write to is refused, not used.
            std::fs::set_permissions(parent, std::fs::Permissions::from_mode(0o777)).unwrap();
            let err = default_output(a.path()).unwrap_err().to_string();
            assert!(err.contains("other users"), "{err}");
        }
        let _ = std::fs::remove_dir_all(parent);
        let _ = std::fs::remove_dir_all(out_b.parent().unwrap());
    }
}
