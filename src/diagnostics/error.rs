//! [`BuildError`], what a failed command returns, and [`Report`], how it is printed.
//!
//! Content problems are collected as [`Diagnostic`]s and reported all at once. Everything else
//! (the disk, the theme's templates, the output folder, the server) stops the command at the
//! first failure; its variant says what planatlas was doing and on which path or template, and
//! keeps the error that caused it as its [`source`](std::error::Error::source), so that the
//! report can show the whole chain, one cause a line, instead of one flattened string.

use std::error::Error;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::Diagnostic;

/// The error a failed command returns: content problems, or the first failure outside the
/// content.
#[derive(Debug)]
pub enum BuildError {
    /// The content has problems; nothing was written.
    Content(Vec<Diagnostic>),
    /// A file or folder could not be read or written: `action` is what was being done
    /// (`"reading"`, `"writing"`, `"preparing"`, …), as the message says it.
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// A template of the theme failed to render (a page's output).
    Template { name: String, source: tera::Error },
    /// The templates in `dir` do not parse, or refer to templates that are not there.
    Templates { dir: PathBuf, source: tera::Error },
    /// The output folder is not the build's to write (the site's own folders, a user's folder,
    /// another build at work) or a path would leave it; the message says why and what to do.
    Output(String),
    /// `--base-url` is not a usable URL; the message says why.
    BaseUrl(String),
    /// The open data files could not be encoded.
    OpenData(Box<dyn Error + Send + Sync>),
    /// The development server could not listen or watch: `action` is what it was doing.
    Server {
        action: String,
        source: Box<dyn Error + Send + Sync>,
    },
    /// The command cannot run as asked (a theme without templates, `init` into a folder that is
    /// not empty, an unknown plan in `--source`); the message says why and what to do.
    Setup(String),
    /// An input file (an official text) could not be read as what it should be: `context` says
    /// which (`--source sichuan-finance=plan.pdf`), the source error says why and what to do.
    Input {
        context: String,
        source: Box<dyn Error + Send + Sync>,
    },
    /// A newer edit came in while `serve` finished a rebuild after its preview: the rebuild
    /// stopped, nothing more was written, and the next one starts with the newer edit.
    Superseded,
}

impl BuildError {
    /// An I/O failure while `action` was done on `path`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> BuildError {
        BuildError::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// A failure while walking the folder `root`, at the path where it happened. The I/O error
    /// is taken out of walkdir's, whose message repeats the path.
    pub fn walk(action: &'static str, root: &Path, e: walkdir::Error) -> BuildError {
        let path = e.path().unwrap_or(root).to_path_buf();
        let message = e.to_string();
        // Only a symbolic link loop has no I/O error inside.
        let source = e
            .into_io_error()
            .unwrap_or_else(|| io::Error::other(message));
        BuildError::Io {
            action,
            path,
            source,
        }
    }

    /// `Err(Superseded)` once `stop` is set: a build that may be stopped checks it between
    /// its steps and pages.
    pub fn unless_stopped(stop: Option<&AtomicBool>) -> Result<(), BuildError> {
        match stop {
            Some(stop) if stop.load(Ordering::Relaxed) => Err(BuildError::Superseded),
            _ => Ok(()),
        }
    }

    /// Of two errors of one build, the one to report: this (the earlier) one, unless it only
    /// says that the build stopped ([`BuildError::Superseded`]) and `later` is a real one.
    pub fn before(self, later: BuildError) -> BuildError {
        match self {
            BuildError::Superseded => later,
            earlier => earlier,
        }
    }

    /// The error as the command line prints it: see [`Report`].
    pub fn report(&self) -> Report<'_> {
        Report(self)
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Every problem on its own line: an editor fixes them all before the next build.
            BuildError::Content(items) => {
                for d in items {
                    writeln!(f, "error: {d}")?;
                }
                let n = items.len();
                write!(
                    f,
                    "{n} problem{} in the content; nothing was written",
                    if n == 1 { "" } else { "s" }
                )
            }
            BuildError::Io { action, path, .. } => write!(f, "{action} {}", path.display()),
            BuildError::Template { name, .. } => write!(f, "rendering {name}"),
            BuildError::Templates { dir, .. } => {
                write!(f, "loading the templates in {}", dir.display())
            }
            BuildError::Output(message) | BuildError::Setup(message) => f.write_str(message),
            BuildError::BaseUrl(message) => write!(f, "--base-url: {message}"),
            BuildError::OpenData(_) => f.write_str("encoding the open data files"),
            BuildError::Server { action, .. } => f.write_str(action),
            BuildError::Input { context, .. } => f.write_str(context),
            BuildError::Superseded => {
                f.write_str("the rebuild stopped: a newer edit came in, the next rebuild has it")
            }
        }
    }
}

impl Error for BuildError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            BuildError::Io { source, .. } => Some(source),
            BuildError::Template { source, .. } | BuildError::Templates { source, .. } => {
                Some(source)
            }
            BuildError::OpenData(source)
            | BuildError::Server { source, .. }
            | BuildError::Input { source, .. } => Some(&**source),
            BuildError::Content(_)
            | BuildError::Output(_)
            | BuildError::BaseUrl(_)
            | BuildError::Setup(_)
            | BuildError::Superseded => None,
        }
    }
}

/// A [`BuildError`] as printed: `error: <what failed>`, then one `  caused by: <cause>` line for
/// each error in its source chain, outermost first. Content problems print as they display:
/// one `error:` line each, then the count.
pub struct Report<'a>(&'a BuildError);

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let BuildError::Content(_) = self.0 {
            return write!(f, "{}", self.0);
        }
        write!(f, "error: {}", self.0)?;
        let mut cause = self.0.source();
        while let Some(e) = cause {
            write!(f, "\n  caused by: {e}")?;
            cause = e.source();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_io_error_names_the_action_and_path_and_keeps_its_cause() {
        let e = BuildError::io(
            "writing",
            "public/index.html",
            io::Error::from(io::ErrorKind::PermissionDenied),
        );
        assert_eq!(e.to_string(), "writing public/index.html");
        let cause = e.source().expect("the io error is the source");
        assert_eq!(
            cause.downcast_ref::<io::Error>().map(io::Error::kind),
            Some(io::ErrorKind::PermissionDenied)
        );
        assert_eq!(
            e.report().to_string(),
            "error: writing public/index.html\n  caused by: permission denied"
        );
    }

    #[test]
    fn a_template_error_reports_each_cause_on_its_own_line() {
        let mut tera = tera::Tera::default();
        tera.add_raw_template("page.html", "{{ nope | upper }}")
            .unwrap();
        let source = tera.render("page.html", &tera::Context::new()).unwrap_err();
        let e = BuildError::Template {
            name: "page.html".into(),
            source,
        };
        let report = e.report().to_string();
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(lines[0], "error: rendering page.html");
        assert_eq!(lines[1], "  caused by: Failed to render 'page.html'");
        assert!(
            lines[2].starts_with("  caused by: ") && lines[2].contains("nope"),
            "{report}"
        );
        // As many lines as errors in the chain: nothing is flattened or repeated.
        let mut depth = 1;
        let mut cause = e.source();
        while let Some(c) = cause {
            depth += 1;
            cause = c.source();
        }
        assert_eq!(lines.len(), depth, "{report}");
    }

    #[test]
    fn messages_without_a_cause_print_as_one_line() {
        let e = BuildError::BaseUrl("base_url `x` must start with http:// or https://".into());
        assert!(e.source().is_none());
        assert_eq!(
            e.report().to_string(),
            "error: --base-url: base_url `x` must start with http:// or https://"
        );
        let e = BuildError::Output("refusing to write the site to /: it is the site root".into());
        assert_eq!(
            e.report().to_string(),
            "error: refusing to write the site to /: it is the site root"
        );
    }

    #[test]
    fn content_problems_print_as_before() {
        let e = BuildError::Content(vec![
            Diagnostic::new("a.md", 2, "x").hint("y"),
            Diagnostic::new("b.md", 0, "z"),
        ]);
        assert!(e.source().is_none());
        assert_eq!(
            e.report().to_string(),
            "error: a.md:2: x (hint: y)\nerror: b.md: z\n2 problems in the content; nothing was written"
        );
    }

    #[test]
    fn a_walk_error_keeps_the_path_and_the_os_error_only() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let e = walkdir::WalkDir::new(&missing)
            .into_iter()
            .next()
            .unwrap()
            .unwrap_err();
        let e = BuildError::walk("reading", dir.path(), e);
        let report = e.report().to_string();
        assert_eq!(
            report.lines().next(),
            Some(format!("error: reading {}", missing.display()).as_str())
        );
        assert_eq!(report.lines().count(), 2, "{report}");
        assert!(!report.contains("IO error for operation"), "{report}");
    }
}
