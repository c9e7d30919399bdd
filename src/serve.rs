//! The development server: builds, serves the output on loopback, watches `content/` and
//! `themes/`, rebuilds on change and reloads open pages.
//!
//! Rebuilds are incremental ([`site::Incremental`]): only changed plans are parsed again, only
//! pages whose inputs changed are rendered, only files whose bytes changed are written, and
//! an open page reloads only if it, or an asset, changed. A failed rebuild writes nothing, and
//! the server keeps serving the last good output; open pages show the errors in an overlay
//! until the next good build. Pages learn of rebuilds by long-polling `/__planatlas/poll`, so no
//! WebSocket is needed.

use std::fs;
use std::io::{Cursor, Read};
use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};
use tiny_http::{Header, Response, Server, StatusCode};

use crate::config::BuildOptions;
use crate::site;

/// Options of `planatlas serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub interface: IpAddr,
    pub port: u16,
    /// Add the live-reload script to pages (off: pages are served exactly as built).
    pub live_reload: bool,
}

/// The state pages poll: a counter of rebuilds and the last build's errors.
#[derive(Debug, Default)]
struct Status {
    version: u64,
    error: Option<String>,
    live_reload: bool,
    /// URL paths of the pages the last rebuild changed (`/plans/x/y/`).
    pages: Vec<String>,
    /// The last rebuild changed an asset (or everything): every page reloads.
    reload_all: bool,
}

type Shared = Arc<(Mutex<Status>, Condvar)>;

const POLL_PATH: &str = "/__planatlas/poll";

/// Runs the server until the process is stopped.
pub fn serve(options: ServeOptions) -> Result<(), String> {
    let mut build = options.build.clone();
    let host = match options.interface {
        IpAddr::V6(a) => format!("[{a}]"),
        IpAddr::V4(a) => a.to_string(),
    };
    build.base_url = Some(format!("http://{host}:{}/", options.port));
    let shared: Shared = Arc::new((
        Mutex::new(Status {
            live_reload: options.live_reload,
            ..Status::default()
        }),
        Condvar::new(),
    ));
    // Build before listening: once the port answers, the site is there.
    let mut builder = site::Incremental::new(build.clone());
    rebuild(&mut builder, &shared);
    let server = Server::http((options.interface, options.port))
        .map_err(|e| format!("cannot listen on {host}:{}: {e}", options.port))?;

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

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if !matches!(event.kind, notify::EventKind::Access(_)) {
                let _ = tx.send(());
            }
        }
    })
    .map_err(|e| format!("cannot watch files: {e}"))?;
    for dir in ["content", "themes"] {
        let path = build.root.join(dir);
        if path.exists() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| format!("cannot watch {}: {e}", path.display()))?;
        }
    }

    let server = Arc::new(server);
    let output = build.output.clone();
    for _ in 0..8 {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        let output = output.clone();
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                handle(request, &output, &shared);
            }
        });
    }

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
        rebuild(&mut builder, &shared);
    }
    drop(watcher);
    Ok(())
}

fn rebuild(builder: &mut site::Incremental, shared: &Shared) {
    let start = Instant::now();
    let result = builder.rebuild();
    let (lock, condvar) = &**shared;
    let mut status = lock.lock().unwrap_or_else(|e| e.into_inner());
    status.version += 1;
    match result {
        Ok(rebuilt) => {
            println!(
                "Built in {} ms: {} of {} pages rendered, {} files changed",
                start.elapsed().as_millis(),
                rebuilt.rendered,
                rebuilt.stats.pages,
                rebuilt.changed.len()
            );
            status.error = None;
            status.reload_all = rebuilt.changed.iter().any(|p| p.starts_with("static/"))
                || rebuilt.changed.len() >= rebuilt.stats.files;
            status.pages = rebuilt
                .changed
                .iter()
                .filter_map(|p| p.strip_suffix("index.html"))
                .map(|p| format!("/{p}"))
                .collect();
        }
        Err(e) => {
            eprintln!("{e}\nStill serving the last good build.");
            status.error = Some(e.to_string());
        }
    }
    condvar.notify_all();
}

fn handle(request: tiny_http::Request, output: &Path, shared: &Shared) {
    let url = request.url().to_string();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    if path == POLL_PATH {
        let seen: u64 = query
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        // A long poll waits on its own thread so that open tabs never starve the workers.
        let shared = Arc::clone(shared);
        std::thread::spawn(move || {
            let body = wait_for_change(&shared, seen, Duration::from_secs(25));
            let _ = request.respond(
                Response::from_string(body).with_header(header("Content-Type", "application/json")),
            );
        });
        return;
    }
    let response = match resolve(output, path) {
        Resolved::File(file) => file_response(&file, 200, shared),
        Resolved::Redirect(to) => Response::new(
            StatusCode(301),
            vec![header("Location", &to)],
            Cursor::new(Vec::new()),
            Some(0),
            None,
        ),
        Resolved::NotFound => {
            let page = output.join("404.html");
            if page.is_file() {
                file_response(&page, 404, shared)
            } else {
                // No build has succeeded yet: a bare page that shows the errors and reloads
                // once the content builds.
                let html = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>planatlas</title></head><body><p>No build yet.</p></body></html>";
                let status = current_status(shared);
                Response::from_data(inject_reload(html.to_vec(), &status))
                    .with_status_code(404)
                    .with_header(header("Content-Type", "text/html; charset=utf-8"))
            }
        }
    };
    let _ = request.respond(response);
}

fn wait_for_change(shared: &Shared, seen: u64, timeout: Duration) -> String {
    let (lock, condvar) = &**shared;
    let guard = lock.lock().unwrap_or_else(|e| e.into_inner());
    let (status, _) = condvar
        .wait_timeout_while(guard, timeout, |s| s.version == seen)
        .unwrap_or_else(|e| e.into_inner());
    status_json(&status)
}

fn current_status(shared: &Shared) -> String {
    let (lock, _) = &**shared;
    let status = lock.lock().unwrap_or_else(|e| e.into_inner());
    status_json(&status)
}

fn status_json(status: &Status) -> String {
    serde_json::json!({
        "version": status.version,
        "error": status.error,
        "pages": status.pages,
        "all": status.reload_all,
    })
    .to_string()
}

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    Redirect(String),
    NotFound,
}

/// Maps a URL path to a file below `output`, never outside it: `..`, backslashes, encoded
/// separators and links that lead out are all refused.
pub fn resolve(output: &Path, url_path: &str) -> Resolved {
    let Ok(decoded) = percent_encoding::percent_decode_str(url_path).decode_utf8() else {
        return Resolved::NotFound;
    };
    if decoded.contains(['\\', '\0']) || decoded.contains('%') {
        // A `%` left after decoding means double encoding; nothing on the site needs it.
        return Resolved::NotFound;
    }
    let relative = decoded.trim_start_matches('/');
    let rel_path = Path::new(relative);
    if !rel_path
        .components()
        .all(|c| matches!(c, Component::Normal(_)))
    {
        return Resolved::NotFound;
    }
    let mut candidate = output.join(rel_path);
    if candidate.is_dir() {
        if !url_path.ends_with('/') {
            return Resolved::Redirect(format!("{url_path}/"));
        }
        candidate = candidate.join("index.html");
    }
    let (Ok(real), Ok(root)) = (candidate.canonicalize(), output.canonicalize()) else {
        return Resolved::NotFound;
    };
    if real.starts_with(&root) && real.is_file() {
        Resolved::File(real)
    } else {
        Resolved::NotFound
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("static header is valid")
    })
}

fn text_response(status: u16, text: &str) -> Response<Cursor<Vec<u8>>> {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
}

/// The content type of a file by its extension.
pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

fn file_response(path: &Path, status: u16, shared: &Shared) -> Response<Cursor<Vec<u8>>> {
    let mut bytes = Vec::new();
    if fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .is_err()
    {
        return text_response(500, "the file could not be read");
    }
    let kind = content_type(path);
    if kind.starts_with("text/html") {
        let live_reload = shared.0.lock().map(|s| s.live_reload).unwrap_or(true);
        if live_reload {
            bytes = inject_reload(bytes, &current_status(shared));
        }
    }
    Response::from_data(bytes)
        .with_status_code(status)
        .with_header(header("Content-Type", kind))
        .with_header(header("Cache-Control", "no-store"))
}

/// Adds the live-reload script (and the current build error, if any) to an HTML page.
fn inject_reload(mut html: Vec<u8>, status_json: &str) -> Vec<u8> {
    // `</` cannot end the script early: the JSON's `<` are escaped.
    let status = status_json.replace('<', "\\u003c");
    let script = format!(
        r#"<script>(function(){{var s={status};var box;function show(e){{if(!box){{box=document.createElement("pre");box.id="planatlas-error";box.setAttribute("role","alert");box.style.cssText="position:fixed;left:0;right:0;bottom:0;max-height:50vh;overflow:auto;margin:0;padding:1em;background:#5a0000;color:#fff;font:14px/1.5 monospace;white-space:pre-wrap;z-index:99999";document.body.appendChild(box);}}box.textContent="Build failed; showing the last good build.\n\n"+e;}}if(s.error)show(s.error);var v=s.version;function poll(){{fetch("{POLL_PATH}?v="+v).then(function(r){{return r.json();}}).then(function(n){{if(n.version!==v){{if(n.error){{v=n.version;show(n.error);poll();}}else if(n.all||n.version!==v+1||box||n.pages.indexOf(location.pathname.replace(/index\.html$/,""))>=0)location.reload();else{{v=n.version;poll();}}}}else poll();}},function(){{setTimeout(poll,1000);}});}}poll();}})();</script>"#
    );
    let needle = b"</body>";
    match html.windows(needle.len()).rposition(|w| w == needle) {
        Some(i) => {
            html.splice(i..i, script.into_bytes());
        }
        None => html.extend_from_slice(script.as_bytes()),
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_inside_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::create_dir_all(out.join("plans/a")).unwrap();
        fs::write(out.join("plans/a/index.html"), "x").unwrap();
        fs::write(dir.path().join("secret.txt"), "s").unwrap();
        let real = out.canonicalize().unwrap();
        assert_eq!(
            resolve(&out, "/plans/a/"),
            Resolved::File(real.join("plans/a/index.html"))
        );
        assert_eq!(
            resolve(&out, "/plans/a"),
            Resolved::Redirect("/plans/a/".into())
        );
        for bad in [
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/%252e%252e/secret.txt",
            "/..%5csecret.txt",
            "//etc/passwd",
            "/plans/../../secret.txt",
        ] {
            assert_eq!(resolve(&out, bad), Resolved::NotFound, "{bad}");
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), out.join("link.txt"))
                .unwrap();
            assert_eq!(resolve(&out, "/link.txt"), Resolved::NotFound);
        }
    }

    #[test]
    fn reload_script_goes_before_body_end() {
        let html = inject_reload(
            b"<html><body>x</body></html>".to_vec(),
            r#"{"version":1,"error":"</script>"}"#,
        );
        let html = String::from_utf8(html).unwrap();
        assert!(html.ends_with("</script></body></html>"));
        assert!(!html.contains("\"</script>\""));
    }

    #[test]
    fn content_types_by_extension() {
        for (name, kind) in [
            ("a/index.html", "text/html; charset=utf-8"),
            ("static/style.css", "text/css; charset=utf-8"),
            ("static/search.js", "text/javascript; charset=utf-8"),
            ("search/meta.json", "application/json"),
            ("x.wasm", "application/wasm"),
            ("sitemap.xml", "application/xml"),
            ("data/plans.csv", "text/csv; charset=utf-8"),
            ("robots.txt", "text/plain; charset=utf-8"),
        ] {
            assert_eq!(content_type(Path::new(name)), kind, "{name}");
        }
    }
}
