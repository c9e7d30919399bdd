//! `planatlas serve` under load, attack and misuse: a burst of clients during a rebuild, slow
//! clients, clients that never read, floods of long polls, huge headers, other methods, other
//! hosts, redirects to other hosts, and where it writes (its rebuilds: `serve_rebuilds.rs`).
//! Every attack runs while another client asks for `/` and must get it promptly (see
//! `PROMPTLY`). Only loopback addresses; every loop is bounded.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::new_site;
use crate::serve_rebuilds::{line_starting, wait_for_version_after};

fn connect(port: u16) -> TcpStream {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream
}

/// A parsed response: status, lower-cased head, body bytes.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) head: String,
    pub(crate) body: Vec<u8>,
}

fn parse(bytes: &[u8]) -> Reply {
    let split = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(bytes.len());
    let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head,
        body: bytes.get(split + 4..).unwrap_or_default().to_vec(),
    }
}

/// Sends `raw` on a new connection and reads until the server closes it.
pub(crate) fn send(port: u16, raw: &str) -> Reply {
    let mut stream = connect(port);
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse(&bytes)
}

/// The value of header `name` (lower case) in a lower-cased head.
fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .map(str::trim)
}

/// How soon `/` must answer while the server is under attack. Well below the server's 10 s
/// timeouts, after which a starved client would get in anyway, and loose enough for a loaded
/// 2-core machine running the rest of the suite (1 s failed there now and then).
const PROMPTLY: Duration = Duration::from_secs(3);

/// A well-behaved client: `/` answers 200 with the whole page, [`PROMPTLY`].
pub(crate) fn home_promptly(port: u16, during: &str) {
    let start = Instant::now();
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, PROMPTLY)
        .unwrap_or_else(|e| panic!("during {during}: cannot connect: {e}"));
    stream.set_read_timeout(Some(PROMPTLY)).unwrap();
    stream.set_write_timeout(Some(PROMPTLY)).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut bytes = Vec::new();
    let read = stream.read_to_end(&mut bytes);
    let took = start.elapsed();
    assert!(
        read.is_ok(),
        "during {during}: / did not answer within {PROMPTLY:?} ({read:?}, {} bytes)",
        bytes.len()
    );
    let reply = parse(&bytes);
    assert_eq!(reply.status, 200, "during {during}: {}", reply.head);
    assert!(took < PROMPTLY, "during {during}: / took {took:?}");
    let length = header(&reply.head, "content-length").and_then(|l| l.parse::<usize>().ok());
    assert!(
        !reply.body.is_empty() && length.is_none_or(|l| l == reply.body.len()),
        "during {during}: a cut page ({} bytes of {length:?})",
        reply.body.len()
    );
}

/// The version the server is at (an immediate poll for version 0 answers at once).
pub(crate) fn version(port: u16) -> u64 {
    let reply = send(
        port,
        "GET /__planatlas/poll?v=0 HTTP/1.0\r\nHost: localhost\r\n\r\n",
    );
    assert_eq!(reply.status, 200, "{}", reply.head);
    let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
    json["version"].as_u64().unwrap()
}

#[test]
fn eight_slow_post_bodies_do_not_stop_the_server() {
    let dir = new_site();
    let server = crate::common::start_serve(&dir.path().join("site"));
    let port = server.port;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let attackers: Vec<_> = (0..8)
        .map(|_| {
            let stop = std::sync::Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut stream = connect(port);
                let _ = stream.write_all(
                    b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\n\r\n",
                );
                // One byte every 100 ms, at most 100 of them (10 s).
                for _ in 0..100 {
                    if stop.load(std::sync::atomic::Ordering::SeqCst)
                        || stream.write_all(b"x").is_err()
                    {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(100));
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..3 {
        home_promptly(port, "8 slow POST bodies");
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for a in attackers {
        a.join().unwrap();
    }
}

#[test]
fn a_pipelining_client_that_never_reads_does_not_stop_the_server() {
    let dir = new_site();
    let server = crate::common::start_serve(&dir.path().join("site"));
    let port = server.port;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let attacker = {
        let stop = std::sync::Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut stream = connect(port);
            stream
                .set_write_timeout(Some(Duration::from_millis(200)))
                .unwrap();
            let request = b"GET /plans/example-plan/ HTTP/1.1\r\nHost: localhost\r\n\r\n";
            let mut sent = 0;
            // At most 20,000 requests or 8 s; the writes stop once the server stops reading.
            let deadline = Instant::now() + Duration::from_secs(8);
            while sent < 20_000
                && Instant::now() < deadline
                && !stop.load(std::sync::atomic::Ordering::SeqCst)
            {
                if stream.write_all(request).is_ok() {
                    sent += 1;
                } else {
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
            // Never read; keep the connection open until the test is done.
            while !stop.load(std::sync::atomic::Ordering::SeqCst) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(50));
            }
            sent
        })
    };
    std::thread::sleep(Duration::from_millis(1500));
    for _ in 0..3 {
        home_promptly(port, "a pipelining client that never reads");
        std::thread::sleep(Duration::from_millis(200));
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let sent = attacker.join().unwrap();
    assert!(sent > 100, "the attack sent only {sent} requests");
}

#[test]
fn hundreds_of_long_polls_are_bounded_and_do_not_stop_the_server() {
    let dir = new_site();
    let server = crate::common::start_serve(&dir.path().join("site"));
    let port = server.port;
    let seen = version(port);
    // 400 pages waiting for a rebuild, each on its own connection, all kept open.
    let request = format!("GET /__planatlas/poll?v={seen} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    let mut polls: Vec<TcpStream> = (0..400)
        .map(|_| {
            let mut stream = connect(port);
            stream.write_all(request.as_bytes()).unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    for _ in 0..3 {
        home_promptly(port, "400 long polls");
        std::thread::sleep(Duration::from_millis(200));
    }
    // Waiters are bounded: most of the 400 were answered at once (asked to retry later)
    // instead of each holding a thread for the whole wait.
    let mut answered = 0;
    let deadline = Instant::now() + Duration::from_secs(3);
    for stream in &mut polls {
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        stream.set_read_timeout(Some(left)).unwrap();
        let mut head = [0u8; 12];
        if stream.read_exact(&mut head).is_ok() {
            let reply = parse(&head);
            assert!(
                reply.head.starts_with("http/1.1 503"),
                "an excess waiter is told to come back: {}",
                reply.head
            );
            answered += 1;
        }
    }
    assert!(
        answered >= 250,
        "only {answered} of 400 long polls were answered at once"
    );
}

#[test]
fn idle_clients_and_clients_that_never_read_are_dropped() {
    let dir = new_site();
    let server = crate::common::start_serve(&dir.path().join("site"));
    let port = server.port;
    let start = Instant::now();
    // A client that connects and says nothing.
    let mut idle = connect(port);
    // A client that asks for pages without end and never reads the answers.
    let mut greedy = connect(port);
    greedy
        .set_write_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let request = b"GET /plans/example-plan/ HTTP/1.1\r\nHost: localhost\r\n\r\n";
    let mut dropped = None;
    // Bounded: 30 s at most; the server's timeouts are 10 s.
    while start.elapsed() < Duration::from_secs(30) {
        match greedy.write(request) {
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                dropped = Some(start.elapsed());
                break;
            }
        }
    }
    let dropped = dropped.expect("a client that never reads kept its connection for 30 s");
    assert!(
        dropped > Duration::from_secs(5),
        "dropped too soon: {dropped:?}"
    );
    idle.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut byte = [0u8; 1];
    assert_eq!(
        idle.read(&mut byte).ok(),
        Some(0),
        "an idle connection is closed after the head timeout"
    );
    home_promptly(port, "after the timeouts");
}

#[test]
fn a_huge_header_is_refused_and_does_not_stop_the_server() {
    let dir = new_site();
    let server = crate::common::start_serve(&dir.path().join("site"));
    let port = server.port;
    let attacker = std::thread::spawn(move || {
        let mut stream = connect(port);
        stream
            .set_write_timeout(Some(Duration::from_secs(2)))
            .unwrap();
        let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ");
        let chunk = vec![b'a'; 64 * 1024];
        let mut sent = 0;
        // 1 MiB of header in 16 chunks, slowly enough for the test to ask for `/` meanwhile.
        for _ in 0..16 {
            if stream.write_all(&chunk).is_err() {
                break;
            }
            sent += chunk.len();
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = stream.write_all(b"\r\n\r\n");
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        (sent, parse(&bytes))
    });
    std::thread::sleep(Duration::from_millis(300));
    home_promptly(port, "a 1 MiB header");
    let (sent, reply) = attacker.join().unwrap();
    assert!(
        reply.status == 431 || sent < 1024 * 1024,
        "a 1 MiB header was read whole and answered {}",
        reply.head
    );
    home_promptly(port, "after a 1 MiB header");
}

#[test]
fn only_get_and_head_are_served() {
    let dir = new_site();
    let server = crate::common::start_serve(&dir.path().join("site"));
    let port = server.port;
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let reply = send(
            port,
            &format!("{method} / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nConnection: close\r\n\r\nab"),
        );
        assert_eq!(reply.status, 405, "{method}: {}", reply.head);
        assert_eq!(header(&reply.head, "allow"), Some("get, head"), "{method}");
    }
    let get = send(
        port,
        "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    let head = send(
        port,
        "HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(get.status, 200);
    assert_eq!(head.status, 200, "{}", head.head);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(
        header(&head.head, "content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(
        header(&head.head, "content-length"),
        Some(get.body.len().to_string().as_str()),
        "HEAD tells the length GET sends"
    );
}

#[test]
fn requests_for_other_hosts_are_refused() {
    let dir = new_site();
    let server = crate::common::start_serve(&dir.path().join("site"));
    let port = server.port;
    let get = |host: &str| {
        send(
            port,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        )
    };
    for good in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "localhost".to_string(),
        format!("LocalHost:{port}"),
    ] {
        assert_eq!(get(&good).status, 200, "{good}");
    }
    // A page on another site whose name was re-pointed at 127.0.0.1 (DNS rebinding).
    for bad in [
        format!("evil.example:{port}"),
        "evil.example".to_string(),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
        format!("127.0.0.1:{port}@evil.example"),
        String::new(),
    ] {
        let reply = get(&bad);
        assert!(
            reply.status == 403 || reply.status == 421 || reply.status == 400,
            "Host {bad:?}: {}",
            reply.head
        );
        if reply.status != 400 {
            assert!(
                String::from_utf8_lossy(&reply.body).contains("localhost"),
                "the refusal says what to use"
            );
        }
    }
    // The absolute form names the host in the request line; it counts, not the Host header.
    let reply = send(
        port,
        "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert!(reply.status == 403 || reply.status == 421, "{}", reply.head);
    // Polls are refused as well: the build errors they carry name local files.
    let reply = send(
        port,
        "GET /__planatlas/poll?v=0 HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert!(reply.status == 403 || reply.status == 421, "{}", reply.head);
}

#[test]
fn no_redirect_leads_to_another_host() {
    let dir = new_site();
    let server = crate::common::start_serve(&dir.path().join("site"));
    let port = server.port;
    let get = |path: &str| {
        send(
            port,
            &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"),
        )
    };
    // A folder asked for without its slash is redirected, to a path on this server.
    let reply = get("/plans");
    assert_eq!(reply.status, 301, "{}", reply.head);
    assert_eq!(header(&reply.head, "location"), Some("/plans/"));
    let reply = get("//plans");
    assert_eq!(reply.status, 301, "{}", reply.head);
    assert_eq!(header(&reply.head, "location"), Some("/plans/"));
    for path in [
        "//plans",
        "///plans",
        "//plans/example-plan",
        "//evil.example",
        "//evil.example/",
        "/%2Fplans",
        "/%2F%2Fplans",
        "/%5Cplans",
        "/%5C%5Cplans",
        "/.//plans",
        "/plans/..//plans",
        "//data",
        "//static",
    ] {
        let reply = get(path);
        if let Some(location) = header(&reply.head, "location") {
            assert!(
                location.starts_with('/')
                    && !location.starts_with("//")
                    && !location.starts_with("/\\")
                    && !location.contains("://"),
                "{path} redirects to {location}"
            );
        }
    }
}

fn files(dir: &Path) -> Vec<String> {
    crate::common::read_tree(dir).into_keys().collect()
}

#[test]
fn serve_never_writes_into_public() {
    // No public/: serve does not create one.
    let dir = new_site();
    let site = dir.path().join("site");
    let mut server = crate::common::start_serve(&site);
    let building = line_starting(&mut server, "Building into ");
    assert_eq!(home(server.port).status, 200);
    assert!(!site.join("public").exists(), "serve created public/");
    // It builds into its own folder under the system temp folder, and says where.
    let own: Vec<_> = fs::read_dir(server.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(own.len(), 1, "{own:?}");
    assert!(
        own[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("planatlas-serve-"),
        "{own:?}"
    );
    let folder = building
        .strip_prefix("Building into ")
        .unwrap()
        .split(' ')
        .next()
        .unwrap();
    assert!(
        Path::new(folder).starts_with(&own[0]),
        "{building} vs {own:?}"
    );
    assert!(Path::new(folder).join("index.html").is_file(), "{folder}");
    drop(server);

    // A public/ from `build`: left exactly as it was, through rebuilds.
    let public = site.join("public");
    fs::create_dir_all(&public).unwrap();
    fs::write(public.join("keep.txt"), "deployed").unwrap();
    let server = crate::common::start_serve(&site);
    let port = server.port;
    let seen = version(port);
    crate::common::edit(
        &site.join("content/plans/example-plan/01-tasks/01-green.md"),
        "扩大绿色信贷。",
        "扩大绿色信贷（修改）。",
    );
    let status = wait_for_version_after(port, seen);
    assert!(status["error"].is_null(), "{status}");
    assert_eq!(files(&public), ["keep.txt"]);
    assert_eq!(
        fs::read_to_string(public.join("keep.txt")).unwrap(),
        "deployed"
    );
    drop(server);

    // --output is still obeyed.
    let chosen = dir.path().join("chosen");
    let server = crate::common::start_serve_with(&site, &["--output", chosen.to_str().unwrap()]);
    assert_eq!(home(server.port).status, 200);
    assert!(chosen.join("index.html").is_file());
    assert_eq!(files(&public), ["keep.txt"]);
}

fn home(port: u16) -> Reply {
    send(
        port,
        "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
}

/// `serve --output` naming a folder a build may not replace (the site's sources, a user's
/// folder) stops serve at once with the error: it must neither replace nor serve that folder.
#[test]
fn serve_refuses_an_output_folder_it_may_not_write_and_serves_nothing() {
    let dir = new_site();
    let site = dir.path().join("site");
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("private.txt"), "mine").unwrap();
    for (output, says) in [
        (docs.clone(), "not written by planatlas"),
        (site.join("content"), "refusing to write the site to"),
        (dir.path().to_path_buf(), "refusing to write the site to"),
    ] {
        let port = crate::common::free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_planatlas"))
            .args(["--root", site.to_str().unwrap(), "serve", "--port"])
            .arg(port.to_string())
            .arg("--output")
            .arg(&output)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break Some(status);
            }
            if Instant::now() > deadline {
                break None;
            }
            assert!(
                TcpStream::connect(("127.0.0.1", port)).is_err(),
                "serve listens on a refused output {}",
                output.display()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let Some(status) = status else {
            let _ = child.kill();
            panic!("serve kept running with output {}", output.display());
        };
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        assert!(!status.success(), "{}", output.display());
        assert!(err.contains(says), "{}: {err}", output.display());
        assert_eq!(
            fs::read_to_string(docs.join("private.txt")).unwrap(),
            "mine"
        );
    }
}

/// Hundreds of connections that send nothing, half a request head, or one request and then
/// stay idle: the oldest are closed once too many are open, so another client still gets `/`.
#[test]
fn hundreds_of_idle_connections_do_not_keep_others_out() {
    let dir = new_site();
    let server = crate::common::start_serve(&dir.path().join("site"));
    let port = server.port;
    let mut held = Vec::new();
    // The attacker keeps its sockets and opens more each round.
    for _ in 0..3 {
        for k in 0..200 {
            let mut stream = connect(port);
            match k % 3 {
                0 => {}
                1 => {
                    let _ = stream.write_all(b"GET / HTTP/1.1\r\nHost: loc");
                }
                _ => {
                    let _ =
                        stream.write_all(b"GET /robots.txt HTTP/1.1\r\nHost: localhost\r\n\r\n");
                }
            }
            held.push(stream);
        }
        std::thread::sleep(Duration::from_millis(200));
        home_promptly(port, &format!("{} idle connections", held.len()));
    }
    drop(held);
}

#[test]
fn serve_answers_a_burst_of_clients_during_a_rebuild_with_whole_files() {
    let site = crate::common::copy_of_site();
    let root = site.path();
    let server = crate::common::start_serve_with(root, &["--no-live-reload"]);
    let port = server.port;
    let public = server.output();
    let section = "plans/sichuan-finance/financial-system/institutions/index.html";
    let paths = [
        "index.html",
        section,
        "themes/institutions/index.html",
        "data/measures.json",
        "data/measures.csv",
        "search/meta.json",
        "static/style.css",
        "sitemap.xml",
    ];
    let read = |p: &str| fs::read(public.join(p)).unwrap();
    let old: Vec<Vec<u8>> = paths.iter().map(|p| read(p)).collect();

    // 20 clients, at least 10 requests each, asking on until the rebuild has landed: the
    // requests come before, during and after it.
    let landed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let clients: Vec<_> = (0..20)
        .map(|c| {
            let landed = std::sync::Arc::clone(&landed);
            std::thread::spawn(move || {
                (0..)
                    .take_while(|k| *k < 10 || !landed.load(std::sync::atomic::Ordering::SeqCst))
                    .take(2000)
                    .map(|k| {
                        let path = paths[(c + k) % paths.len()];
                        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                        stream
                            .set_read_timeout(Some(Duration::from_secs(30)))
                            .unwrap();
                        write!(
                            stream,
                            "GET /{path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                        )
                        .unwrap();
                        let mut bytes = Vec::new();
                        stream.read_to_end(&mut bytes).unwrap();
                        (path, bytes)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let file = root.join("content/plans/sichuan-finance/03-financial-system/01-institutions.md");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(
        &file,
        text.replacen("合理布局重点金融牌照", "合理布局重点金融牌照（修改）", 1),
    )
    .unwrap();
    // Wait for the rebuild to land (the last file it writes is in place a moment later).
    let deadline = Instant::now() + Duration::from_secs(30);
    while !String::from_utf8_lossy(&read(section)).contains("（修改）") {
        assert!(Instant::now() < deadline, "the edit was not rebuilt");
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    landed.store(true, std::sync::atomic::Ordering::SeqCst);
    let responses: Vec<(&str, Vec<u8>)> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    assert!(responses.len() >= 200, "{} responses", responses.len());
    let new: Vec<Vec<u8>> = paths.iter().map(|p| read(p)).collect();
    assert_ne!(old[1], new[1]);
    let mut seen = [0usize; 2];
    for (path, bytes) in responses {
        let split = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a complete head");
        let head = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
        let body = &bytes[split + 4..];
        assert!(head.starts_with("http/1.1 200"), "{path}: {head}");
        let body = if head.contains("transfer-encoding: chunked") {
            dechunk(body).unwrap_or_else(|| panic!("{path}: the chunked body is cut short"))
        } else {
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().unwrap())
                .unwrap_or_else(|| panic!("{path}: no length in {head}"));
            assert_eq!(body.len(), length, "{path}: the body is cut short");
            body.to_vec()
        };
        let i = paths.iter().position(|p| *p == path).unwrap();
        assert!(
            body == old[i] || body == new[i],
            "{path}: the body is neither the old nor the new file ({} bytes)",
            body.len()
        );
        if old[i] != new[i] {
            seen[usize::from(body == new[i])] += 1;
        }
    }
    assert!(
        seen[0] > 0 && seen[1] > 0,
        "old and new versions both served: {seen:?}"
    );
}

/// The body of a chunked response, or `None` if it does not end with the last chunk.
fn dechunk(mut bytes: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = bytes.windows(2).position(|w| w == b"\r\n")?;
        let size_text = String::from_utf8_lossy(&bytes[..line_end]);
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        bytes = &bytes[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        if bytes.len() < size + 2 {
            return None;
        }
        body.extend_from_slice(&bytes[..size]);
        bytes = &bytes[size + 2..];
    }
}
