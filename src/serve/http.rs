//! The HTTP side of `serve`: hyper 1 (HTTP/1.1) on a small tokio runtime, with limits so
//! that no client, slow, greedy or foreign, can stop the server or read it from another site.
//!
//! - Request heads are limited to [`MAX_HEAD_BYTES`] (431 beyond) and must arrive within
//!   [`HEAD_TIMEOUT`]; idle keep-alive connections are dropped after the same time.
//! - A response that the client does not read for [`WRITE_TIMEOUT`] ends its connection, so a
//!   pipelining client that never reads cannot hold a connection for ever.
//! - At most [`MAX_CONNECTIONS`] connections are served at once (further ones wait to be
//!   accepted); beyond [`KEEP_CONNECTIONS`] the oldest are closed (idle ones at once), so that
//!   a client holding hundreds of idle connections cannot keep others out; at most
//!   [`MAX_WAITERS`] long polls wait, and excess polls get an immediate 503.
//!   Each connection is a task, not a thread; file reads run on a bounded blocking pool.
//! - Only GET and HEAD are served (405 with `Allow` otherwise); request bodies are never read.
//! - A request whose Host is neither localhost nor an address of this server is refused
//!   (DNS rebinding: a page of another site whose name was pointed at 127.0.0.1).
//! - A folder's redirect (`/plans` → `/plans/`) always stays on this server.

use std::convert::Infallible;
use std::fs;
use std::future::Future;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio_io_timeout::TimeoutStream;

use super::Shared;

/// Largest request head (request line and headers) read.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// Time a client has to send a request head, and to start the next one on a kept-alive
/// connection.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// Time a response may wait for the client to read before the connection is dropped.
pub const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 512;
/// Open connections beyond this many close the oldest ones (idle ones at once).
pub const KEEP_CONNECTIONS: usize = 128;
/// How long an evicted connection may take to finish the request it is serving.
const EVICTION_GRACE: Duration = Duration::from_secs(2);
/// Long polls waiting at once (an open tab has one).
pub const MAX_WAITERS: usize = 64;
/// How long a long poll waits for a rebuild before answering anyway.
const POLL_WAIT: Duration = Duration::from_secs(25);
/// Threads that read files (and accept connections): 2 workers, at most 8 file readers.
const WORKERS: usize = 2;
const FILE_READERS: usize = 8;

pub(super) const POLL_PATH: &str = "/__planatlas/poll";

type Body = Full<Bytes>;

/// The running server; it lives on its own threads until the process ends.
pub(super) struct Running {
    _thread: std::thread::JoinHandle<()>,
}

/// Serves `listener` on a tokio runtime of its own.
pub(super) fn start(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
) -> std::io::Result<Running> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .max_blocking_threads(FILE_READERS)
        .thread_name("planatlas-http")
        .enable_io()
        .enable_time()
        .build()?;
    listener.set_nonblocking(true)?;
    let listener = {
        let _context = runtime.enter();
        tokio::net::TcpListener::from_std(listener)?
    };
    let thread = std::thread::Builder::new()
        .name("planatlas-accept".into())
        .spawn(move || runtime.block_on(accept_loop(listener, shared)))?;
    Ok(Running { _thread: thread })
}

async fn accept_loop(listener: tokio::net::TcpListener, shared: Arc<Shared>) {
    let connections = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let waiters = Arc::new(AtomicUsize::new(0));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(HEAD_TIMEOUT)
        .max_header_size(MAX_HEAD_BYTES)
        .max_buf_size(4 * MAX_HEAD_BYTES);
    let mut reported = false;
    // One handle per open connection, oldest first, to close it when too many are open.
    let mut open: std::collections::VecDeque<tokio::sync::oneshot::Sender<()>> =
        std::collections::VecDeque::new();
    loop {
        // Wait for a free slot before accepting: excess clients wait in the listen queue.
        let Ok(permit) = Arc::clone(&connections).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of file descriptors and the like: the listener lives on, and says so once.
                if !reported {
                    eprintln!("warning: cannot accept a connection: {e}; trying again");
                    reported = true;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let mut stream = TimeoutStream::new(stream);
        stream.set_write_timeout(Some(WRITE_TIMEOUT));
        let io = TokioIo::new(Box::pin(stream));
        let shared = Arc::clone(&shared);
        let waiters = Arc::clone(&waiters);
        let service = service_fn(move |request| {
            let shared = Arc::clone(&shared);
            let waiters = Arc::clone(&waiters);
            async move { Ok::<_, Infallible>(respond(request, shared, waiters).await) }
        });
        let connection = http.serve_connection(io, service);
        let (evict, evicted) = tokio::sync::oneshot::channel::<()>();
        open.push_back(evict);
        evict_oldest(&mut open);
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let mut evicted = Some(evicted);
            // Whichever comes first: the connection ends, or it is asked to close.
            let asked = std::future::poll_fn(|cx| {
                if connection.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(false);
                }
                if let Some(rx) = evicted.as_mut() {
                    match Pin::new(rx).poll(cx) {
                        Poll::Ready(Ok(())) => return Poll::Ready(true),
                        // The accept loop is gone: nobody will ask any more.
                        Poll::Ready(Err(_)) => evicted = None,
                        Poll::Pending => {}
                    }
                }
                Poll::Pending
            })
            .await;
            if asked {
                // Idle connections close at once; one in the middle of a request gets a
                // moment to finish it.
                connection.as_mut().graceful_shutdown();
                let _ = tokio::time::timeout(EVICTION_GRACE, connection).await;
            }
            drop(permit);
        });
    }
}

/// Beyond [`KEEP_CONNECTIONS`] open connections, asks the oldest to close, so that clients that
/// open connections and send nothing (or keep them idle) cannot keep others out.
///
/// Counts only the connections not yet asked: one asked to close may still hold its slot for
/// [`EVICTION_GRACE`], and counting those too made every accept ask for more, down to the
/// connection just accepted, which then closed without an answer.
fn evict_oldest(open: &mut std::collections::VecDeque<tokio::sync::oneshot::Sender<()>>) {
    open.retain(|tx| !tx.is_closed());
    while open.len() > KEEP_CONNECTIONS {
        if let Some(oldest) = open.pop_front() {
            let _ = oldest.send(());
        }
    }
}

async fn respond(
    request: Request<Incoming>,
    shared: Arc<Shared>,
    waiters: Arc<AtomicUsize>,
) -> Response<Body> {
    if !request_host_allowed(&request, shared.interface, shared.port) {
        return closing(text(
            StatusCode::FORBIDDEN,
            "planatlas serve answers only requests for localhost, 127.0.0.1, [::1] or the address it listens on.\n",
        ));
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = closing(text(
            StatusCode::METHOD_NOT_ALLOWED,
            "planatlas serve answers only GET and HEAD.\n",
        ));
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path().to_string();
    if path == POLL_PATH {
        let seen = request
            .uri()
            .query()
            .unwrap_or("")
            .split('&')
            .find_map(|kv| kv.strip_prefix("v="))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        return long_poll(&shared, &waiters, seen).await;
    }
    // Reading a file (and adding the live-reload script) blocks: off the async workers.
    tokio::task::spawn_blocking(move || serve_path(&shared, &path))
        .await
        .unwrap_or_else(|_| text(StatusCode::INTERNAL_SERVER_ERROR, "the request failed\n"))
}

/// Answers when the version differs from `seen`, or after [`POLL_WAIT`]; if
/// [`MAX_WAITERS`] polls already wait, answers 503 at once (the page retries a second later).
async fn long_poll(shared: &Shared, waiters: &AtomicUsize, seen: u64) -> Response<Body> {
    let mut version = shared.version.subscribe();
    if *version.borrow_and_update() == seen {
        let Some(_slot) = WaiterSlot::take(waiters) else {
            let mut response = closing(text(
                StatusCode::SERVICE_UNAVAILABLE,
                "too many pages are waiting for a rebuild; try again in a second\n",
            ));
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return response;
        };
        let _ = tokio::time::timeout(POLL_WAIT, version.wait_for(|v| *v != seen)).await;
    }
    let mut response = Response::new(Body::from(shared.status_json(Some(seen))));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    no_store(response)
}

/// One of the [`MAX_WAITERS`] places of waiting long polls, given back when dropped (also
/// when the client goes away and its request is dropped).
struct WaiterSlot<'a>(&'a AtomicUsize);

impl<'a> WaiterSlot<'a> {
    fn take(count: &'a AtomicUsize) -> Option<WaiterSlot<'a>> {
        count
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < MAX_WAITERS).then_some(n + 1)
            })
            .ok()
            .map(|_| WaiterSlot(count))
    }
}

impl Drop for WaiterSlot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

fn serve_path(shared: &Shared, path: &str) -> Response<Body> {
    let output = &shared.output;
    match resolve(output, path) {
        Resolved::File(file) => file_response(&file, StatusCode::OK, shared),
        Resolved::Redirect(to) => {
            let mut response = Response::new(Body::default());
            *response.status_mut() = StatusCode::MOVED_PERMANENTLY;
            match HeaderValue::from_str(&to) {
                Ok(location) => {
                    response.headers_mut().insert(header::LOCATION, location);
                    response
                }
                Err(_) => text(StatusCode::NOT_FOUND, "not found\n"),
            }
        }
        Resolved::NotFound => {
            let page = output.join("404.html");
            if page.is_file() {
                file_response(&page, StatusCode::NOT_FOUND, shared)
            } else {
                // No build has succeeded yet: a bare page that shows the errors and reloads
                // once the content builds.
                let html = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>planatlas</title></head><body><p>No build yet.</p></body></html>";
                let mut response = Response::new(Body::from(inject_reload(
                    html.to_vec(),
                    &shared.status_json(None),
                )));
                *response.status_mut() = StatusCode::NOT_FOUND;
                response.headers_mut().insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                );
                no_store(response)
            }
        }
    }
}

/// Whether the request names this server: its Host header (or the authority of an
/// absolute-form request line, which takes its place) must be allowed by [`host_allowed`]. A
/// request without Host (HTTP/1.0 tools) is served: browsers always send one.
fn request_host_allowed(request: &Request<Incoming>, interface: IpAddr, port: u16) -> bool {
    if let Some(authority) = request.uri().authority() {
        if !host_allowed(authority.as_str(), interface, port) {
            return false;
        }
    }
    let mut hosts = request.headers().get_all(header::HOST).iter();
    match (hosts.next(), hosts.next()) {
        (None, _) => true,
        (Some(host), None) => host
            .to_str()
            .is_ok_and(|host| host_allowed(host, interface, port)),
        (Some(_), Some(_)) => false,
    }
}

/// Whether a Host value (`name[:port]`) names this server: `localhost`, a loopback address,
/// the address it listens on, or (listening on all interfaces) any IP address, with no port
/// or its port. Names other than `localhost` are refused: only a name can be re-pointed at
/// this machine by a page of another site (DNS rebinding).
pub(super) fn host_allowed(host: &str, interface: IpAddr, port: u16) -> bool {
    let (name, given_port) = if let Some(rest) = host.strip_prefix('[') {
        let Some((inside, after)) = rest.split_once(']') else {
            return false;
        };
        let given = match after {
            "" => None,
            _ => match after.strip_prefix(':') {
                Some(p) => Some(p),
                None => return false,
            },
        };
        (inside, given)
    } else {
        match host.rsplit_once(':') {
            Some((name, p)) => (name, Some(p)),
            None => (host, None),
        }
    };
    if given_port.is_some_and(|p| p.parse::<u16>() != Ok(port)) {
        return false;
    }
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = if host.starts_with('[') {
        name.parse::<std::net::Ipv6Addr>().ok().map(IpAddr::V6)
    } else {
        name.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
    };
    ip.is_some_and(|ip| ip.is_loopback() || ip == interface || interface.is_unspecified())
}

fn text(status: StatusCode, body: &'static str) -> Response<Body> {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

/// The connection ends after this response: a refused client's body is never read.
fn closing(mut response: Response<Body>) -> Response<Body> {
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

fn no_store(mut response: Response<Body>) -> Response<Body> {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
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
            // Built from the path without its leading slashes: `//name` must not become a
            // protocol-relative `//name/`, which browsers follow to another host.
            return Resolved::Redirect(format!("/{}/", url_path.trim_start_matches('/')));
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

fn file_response(path: &Path, status: StatusCode, shared: &Shared) -> Response<Body> {
    let kind = content_type(path);
    // The status before the file: a rebuild published in between then makes the page reload,
    // where a page read first would take the newer version for its own.
    let reload =
        (kind.starts_with("text/html") && shared.live_reload).then(|| shared.status_json(None));
    let mut bytes = Vec::new();
    if fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .is_err()
    {
        return text(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the file could not be read\n",
        );
    }
    if let Some(status_json) = reload {
        bytes = inject_reload(bytes, &status_json);
    }
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    no_store(response)
}

/// Adds the live-reload script (and the current build status, with its error if any) to an
/// HTML page.
fn inject_reload(mut html: Vec<u8>, status_json: &str) -> Vec<u8> {
    // `</` cannot end the script early: the JSON's `<` are escaped.
    let status = status_json.replace('<', "\\u003c");
    let script = format!(
        "<script>{}</script>",
        include_str!("reload.js")
            .trim_end()
            .replace("__PLANATLAS_STATUS__", &status)
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
    fn eviction_asks_only_the_oldest_and_never_the_newest() {
        let mut open = std::collections::VecDeque::new();
        let mut receivers = Vec::new();
        let accept = |open: &mut std::collections::VecDeque<_>, receivers: &mut Vec<_>| {
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            open.push_back(tx);
            receivers.push(rx);
            evict_oldest(open);
        };
        for _ in 0..300 {
            accept(&mut open, &mut receivers);
        }
        let asked = |receivers: &mut Vec<tokio::sync::oneshot::Receiver<()>>| {
            receivers
                .iter_mut()
                .map(|rx| rx.try_recv().is_ok())
                .collect::<Vec<_>>()
        };
        let first = asked(&mut receivers);
        assert_eq!(first.iter().filter(|a| **a).count(), 300 - KEEP_CONNECTIONS);
        assert!(first[..300 - KEEP_CONNECTIONS].iter().all(|a| *a));
        // The asked ones still hold their slots (they are closing): the next connection must
        // ask exactly one more, the oldest unasked, not itself.
        accept(&mut open, &mut receivers);
        let second = asked(&mut receivers);
        assert_eq!(second.iter().filter(|a| **a).count(), 1);
        assert!(second[300 - KEEP_CONNECTIONS] && !second[300]);
    }

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
        // Never a protocol-relative `//plans/`, which a browser would take for a host.
        for path in ["//plans", "///plans", "/%2Fplans"] {
            match resolve(&out, path) {
                Resolved::Redirect(to) => {
                    assert!(to.starts_with('/') && !to.starts_with("//"), "{path}: {to}")
                }
                other => panic!("{path}: {other:?}"),
            }
        }
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

    #[test]
    fn only_local_hosts_are_allowed() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        let all: IpAddr = "0.0.0.0".parse().unwrap();
        let v6_all: IpAddr = "::".parse().unwrap();
        for (host, interface) in [
            ("localhost", loopback),
            ("localhost:1111", loopback),
            ("LOCALHOST.:1111", loopback),
            ("127.0.0.1:1111", loopback),
            ("127.0.0.2:1111", loopback),
            ("[::1]:1111", loopback),
            ("[::1]", loopback),
            ("192.168.1.5:1111", lan),
            ("10.0.0.7:1111", all),
            ("[fe80::1]:1111", v6_all),
        ] {
            assert!(host_allowed(host, interface, 1111), "{host} on {interface}");
        }
        for (host, interface) in [
            ("evil.example:1111", loopback),
            ("evil.example", all),
            ("localhost.evil.example:1111", loopback),
            ("127.0.0.1.nip.io:1111", loopback),
            ("localhost:1112", loopback),
            ("127.0.0.1:", loopback),
            ("127.0.0.1:1111@evil.example", loopback),
            ("10.0.0.7:1111", loopback),
            ("[::1", loopback),
            ("[::1]x", loopback),
            ("[127.0.0.1]:1111", loopback),
            ("::1", loopback),
            ("", loopback),
        ] {
            assert!(
                !host_allowed(host, interface, 1111),
                "{host} on {interface}"
            );
        }
    }
}
