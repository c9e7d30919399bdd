//! `planatlas serve`'s rebuilds as its console and its clients see them: a rebuild that panics,
//! the preview of an edit and the exact rebuild after it, a newer edit that stops a rebuild.

use std::fs;
use std::io::Read;
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::new_site;
use crate::serve::{home_promptly, send, version};

#[test]
fn a_rebuild_that_panics_is_reported_and_the_server_lives_on() {
    let dir = new_site();
    let site = dir.path().join("site");
    // Test hook: while this file exists, serve's rebuilds panic.
    let trigger = dir.path().join("panic-now");
    let port = crate::common::free_port();
    let tmp = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_planatlas"))
        .args(["--root", site.to_str().unwrap(), "serve", "--port"])
        .arg(port.to_string())
        .env("TMPDIR", tmp.path())
        .env("PLANATLAS_SERVE_PANIC_IF", &trigger)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut server = crate::common::Server { child, port, tmp };
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let section = site.join("content/plans/example-plan/01-tasks/01-green.md");
    let before = version(port);
    fs::write(&trigger, "").unwrap();
    crate::common::edit(&section, "扩大绿色信贷。", "扩大绿色信贷（一）。");
    let status = wait_for_version_after(port, before);
    let error = status["error"].as_str().unwrap_or_default().to_string();
    assert!(error.contains("panicked"), "{status}");
    assert!(
        server.child.try_wait().unwrap().is_none(),
        "serve died of the panic"
    );
    // The last good build is still served, with the error for the overlay.
    let page = send(
        port,
        "GET /plans/example-plan/tasks/green/ HTTP/1.0\r\nHost: localhost\r\n\r\n",
    );
    let body = String::from_utf8_lossy(&page.body);
    assert_eq!(page.status, 200);
    assert!(body.contains("扩大绿色信贷。"), "the last good build");
    assert!(body.contains("panicked"), "the page carries the error");
    home_promptly(port, "after a panicked rebuild");

    // The next rebuild works, and is a full one (the caches may be inconsistent).
    fs::remove_file(&trigger).unwrap();
    crate::common::edit(&section, "扩大绿色信贷（一）。", "扩大绿色信贷（二）。");
    let seen = status["version"].as_u64().unwrap();
    let status = wait_for_version_after(port, seen);
    assert!(status["error"].is_null(), "{status}");
    assert_eq!(status["all"], true, "a full rebuild reloads every page");
    let page = send(
        port,
        "GET /plans/example-plan/tasks/green/ HTTP/1.0\r\nHost: localhost\r\n\r\n",
    );
    assert!(String::from_utf8_lossy(&page.body).contains("扩大绿色信贷（二）。"));

    // The console said so too.
    let _ = server.child.kill();
    let _ = server.child.wait();
    let mut stderr = String::new();
    let _ = server
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr);
    assert!(
        stderr.contains("panicked") && stderr.contains("Still serving the last good build"),
        "{stderr}"
    );
}

/// Long-polls until the server's version passes `seen` (bounded to 30 s).
pub(crate) fn wait_for_version_after(port: u16, seen: u64) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let reply = send(
            port,
            &format!("GET /__planatlas/poll?v={seen} HTTP/1.0\r\nHost: localhost\r\n\r\n"),
        );
        if reply.status == 200 {
            let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
            if json["version"].as_u64() != Some(seen) {
                return json;
            }
        }
        assert!(Instant::now() < deadline, "no rebuild after version {seen}");
    }
}

/// Reads serve's standard output up to the line that starts with `prefix` (at most 60 s).
pub(crate) fn line_starting(server: &mut crate::common::Server, prefix: &str) -> String {
    lines_starting(&console(server), &[prefix]).remove(0)
}

/// Serve's standard output, line by line. A reader thread, so that a server that never prints
/// an awaited line cannot hang a test; it ends when the server is stopped.
fn console(server: &mut crate::common::Server) -> std::sync::mpsc::Receiver<String> {
    use std::io::BufRead;
    let stdout = server.child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Reads `console` up to a line that starts with each of `prefixes` in turn, each after the
/// one before (at most 60 s), and returns those lines.
fn lines_starting(console: &std::sync::mpsc::Receiver<String>, prefixes: &[&str]) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut seen = Vec::new();
    let mut found = Vec::new();
    while let Ok(line) = console.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        if line.starts_with(prefixes[found.len()]) {
            found.push(line.clone());
            if found.len() == prefixes.len() {
                return found;
            }
        }
        seen.push(line);
    }
    panic!("serve never printed lines starting with {prefixes:?} in turn: {seen:?}");
}

#[test]
fn an_edit_is_previewed_then_rebuilt_exactly() {
    let dir = new_site();
    let site = dir.path().join("site");
    let mut server = crate::common::start_serve(&site);
    let port = server.port;
    let console = console(&mut server);
    lines_starting(&console, &["Watching "]);
    crate::common::edit(
        &site.join("content/plans/example-plan/01-tasks/01-green.md"),
        "扩大绿色信贷。",
        "扩大绿色信贷（预览）。",
    );
    // The console reports the preview, then the exact rebuild (which pages each reloads is
    // checked on the rebuilds themselves, in the unit tests of src/serve/mod.rs).
    let lines = lines_starting(&console, &["Preview in ", "Built in "]);
    assert!(
        lines[0].contains("page") && lines[0].contains("of 1 edited plan rendered"),
        "{lines:?}"
    );
    // Three versions: the first build, the preview, the exact rebuild.
    let status = wait_for_version_after(port, 2);
    assert!(status["error"].is_null(), "{status}");
    assert_eq!(status["version"], 3, "{status}");
    let page = send(
        port,
        "GET /plans/example-plan/tasks/green/ HTTP/1.0\r\nHost: localhost\r\n\r\n",
    );
    assert!(String::from_utf8_lossy(&page.body).contains("扩大绿色信贷（预览）。"));
    let data = send(
        port,
        "GET /data/measures.json HTTP/1.0\r\nHost: localhost\r\n\r\n",
    );
    assert!(String::from_utf8_lossy(&data.body).contains("扩大绿色信贷（预览）。"));
}

#[test]
fn a_newer_edit_stops_the_rebuild_after_its_preview_and_is_previewed_at_once() {
    let dir = new_site();
    let site = dir.path().join("site");
    // While this file exists, serve waits after showing a preview (a test hook): the newer
    // edit is saved then, before the exact rebuild starts.
    let hold = dir.path().join("hold");
    let mut server =
        crate::common::start_serve_env(&site, &[], &[("PLANATLAS_SERVE_HOLD_IF", &hold)]);
    let console = console(&mut server);
    lines_starting(&console, &["Watching "]);
    let section = site.join("content/plans/example-plan/01-tasks/01-green.md");
    fs::write(&hold, "").unwrap();
    crate::common::edit(&section, "扩大绿色信贷。", "扩大绿色信贷（甲）。");
    lines_starting(&console, &["Preview in "]);
    crate::common::edit(&section, "（甲）", "（甲）（乙）");
    // The watcher sees the save within milliseconds; give it ample time before going on.
    std::thread::sleep(Duration::from_millis(300));
    fs::remove_file(&hold).unwrap();
    let lines = lines_starting(
        &console,
        &["A newer edit came in", "Preview in ", "Built in "],
    );
    assert_eq!(lines.len(), 3);
    let data = send(
        server.port,
        "GET /data/measures.json HTTP/1.0\r\nHost: localhost\r\n\r\n",
    );
    assert!(String::from_utf8_lossy(&data.body).contains("扩大绿色信贷（甲）（乙）。"));
}
