//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use planatlas::{BuildError, BuildOptions, BuildStats};

/// The repository root (holds the real `content/` and `themes/`).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The official source texts, beside the repository.
pub fn seed(prefix: &str) -> String {
    let dir = repo().join("../shared/seeds");
    let entry = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the seeds folder {} is missing: {e}", dir.display()))
        .flatten()
        .find(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .unwrap_or_else(|| panic!("no seed {prefix}_*.txt"));
    fs::read_to_string(entry.path()).unwrap()
}

/// Replaces the first `from` in the file at `path` by `to`; the file must hold `from`.
pub fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{} has no {from}", path.display());
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// [`edit`] on `file`, relative to the site root `root`.
pub fn edit_file(root: &Path, file: &str, from: &str, to: &str) {
    edit(&root.join(file), from, to);
}

/// Copies a folder tree.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the real site (content and themes) in a temporary folder.
pub fn copy_of_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&repo().join("content"), &dir.path().join("content"));
    copy_tree(&repo().join("themes"), &dir.path().join("themes"));
    dir
}

/// Builds the site at `root` into `output`.
pub fn build(root: &Path, output: &Path, base_url: Option<&str>) -> Result<BuildStats, BuildError> {
    let mut options = BuildOptions::new(root);
    options.output = output.to_path_buf();
    options.base_url = base_url.map(str::to_string);
    planatlas::build(&options)
}

/// Every file below `dir`, by relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            files.insert(rel, fs::read(entry.path()).unwrap());
        }
    }
    files
}

/// The values of attribute `name` in an HTML text, quoted or not (minified HTML drops quotes).
pub fn attr_values(html: &str, name: &str) -> Vec<String> {
    let re =
        regex::Regex::new(&format!(r#"\s{name}=(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"#)).unwrap();
    re.captures_iter(html)
        .map(|c| {
            let v = c.get(1).or(c.get(2)).or(c.get(3)).unwrap().as_str();
            v.replace("&amp;", "&")
        })
        .collect()
}

/// A running `planatlas serve`, stopped when dropped.
pub struct Server {
    pub child: std::process::Child,
    pub port: u16,
    /// serve's system temp folder (`TMPDIR`), where it builds by default; removed when dropped.
    pub tmp: tempfile::TempDir,
}

impl Server {
    /// Where serve builds when no `--output` is given: its own folder in `tmp`.
    pub fn output(&self) -> PathBuf {
        let own: Vec<PathBuf> = fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("planatlas-serve-")
            })
            .collect();
        assert_eq!(own.len(), 1, "serve's own folders: {own:?}");
        own[0].join("site")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `planatlas serve` for the site at `root` on a free port and waits until it answers.
/// Its standard output is piped (read it from `child.stdout`).
pub fn start_serve(root: &Path) -> Server {
    start_serve_with(root, &[])
}

/// A port on 127.0.0.1 that nothing listens on (the system's pick, released at once).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `start_serve` with more arguments for `serve`.
pub fn start_serve_with(root: &Path, extra: &[&str]) -> Server {
    start_serve_env(root, extra, &[])
}

/// `serve` as [`start_serve_with`] starts it, with these variables in its environment.
pub fn start_serve_env(root: &Path, extra: &[&str], vars: &[(&str, &Path)]) -> Server {
    let port = free_port();
    let tmp = tempfile::tempdir().unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_planatlas"))
        .args([
            "--root",
            root.to_str().unwrap(),
            "serve",
            "--port",
            &port.to_string(),
        ])
        .args(extra)
        .envs(vars.iter().copied())
        .env("TMPDIR", tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server { child, port, tmp };
    // serve listens only once its first build is done.
    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// The rows of the tables in minified HTML, which may omit the optional `</tr>` and `</td>`:
/// each row's `id` with its cells' inner HTML.
#[allow(dead_code)]
pub fn table_rows(html: &str) -> Vec<(String, Vec<String>)> {
    let id_re = regex::Regex::new(r#"^ id=?"?([^\s">]+)"?>"#).unwrap();
    html.split("<tr")
        .skip(1)
        .filter_map(|row| {
            let id = id_re.captures(row)?[1].to_string();
            let row = row.split("</tr>").next().unwrap_or(row);
            let row = row.split("</table>").next().unwrap_or(row);
            let row = row.split("</tbody>").next().unwrap_or(row);
            let cells = row
                .split("<td")
                .skip(1)
                .map(|cell| {
                    let inner = cell.split_once('>').map_or("", |(_, rest)| rest);
                    inner.split("</td>").next().unwrap_or(inner).to_string()
                })
                .collect();
            Some((id, cells))
        })
        .collect()
}

/// The real site (`content/`, `themes/`), built once per test run with default options.
pub struct RealSite {
    /// The output folder, below the target's temporary folder; tests must not change it.
    pub output: PathBuf,
    /// Every output file, by relative path.
    pub files: BTreeMap<String, Vec<u8>>,
}

/// The real site, built on first use and shared by every test that only reads it: building it
/// takes seconds, and a third of the tests look at it.
pub fn real_site() -> &'static RealSite {
    static SITE: std::sync::OnceLock<RealSite> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        remove_dead_runs(tmp, "real-site-");
        let output = tmp.join(format!("real-site-{}", std::process::id()));
        let _ = fs::remove_dir_all(&output);
        build(&repo(), &output, None)
            .unwrap_or_else(|e| panic!("the real content must build:\n{e}"));
        let files = read_tree(&output);
        RealSite { output, files }
    })
}

/// Removes `<prefix><pid>` folders left by earlier test runs whose process is gone (statics are
/// never dropped, so each run leaves its shared site behind).
fn remove_dead_runs(tmp: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(prefix) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// A static file server for a built site on 127.0.0.1 (as any static host serves it: folders
/// answer with their `index.html`, missing files with `404.html` and status 404), so browser
/// tests can read the shared build without a `serve` of their own. Stops with the test process.
pub fn serve_static(root: &'static Path) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer_static(root, stream));
        }
    });
    port
}

fn answer_static(root: &Path, mut stream: TcpStream) {
    use std::io::{BufRead, BufReader, Write};
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // The rest of the head is not needed: every answer closes the connection.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let target = request.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let path = percent_decode(path);
    let mut file = root.join(path.trim_start_matches('/'));
    if path.contains("..") {
        file = root.join("no-such-file");
    } else if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, file) = if file.is_file() {
        ("200 OK", file)
    } else {
        ("404 Not Found", root.join("404.html"))
    };
    let body = fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        planatlas::serve::content_type(&file),
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if !request.starts_with("HEAD ") {
        let _ = stream.write_all(&body);
    }
}

fn percent_decode(path: &str) -> String {
    percent_encoding::percent_decode_str(path)
        .decode_utf8_lossy()
        .into_owned()
}

/// Runs the `planatlas` binary with `args` and returns what it did.
pub fn planatlas(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_planatlas"))
        .args(args)
        .output()
        .unwrap()
}

/// The standard error of a run, as text.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A new site from `planatlas init`, at `<tempdir>/site` (so tests can also write beside it).
pub fn new_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = planatlas(&["init", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

/// Whether the tests run under CI (`CI` set, as CI services and `.ci/run` do): there a check
/// whose tool is missing must fail, not skip, or it would pass unseen.
pub fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The text of output file `name` of a build made with `planatlas::build_in_memory`.
pub fn built_page(built: &planatlas::build::Built, name: &str) -> String {
    built
        .files
        .iter()
        .find(|(p, _)| p == name)
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap_or_else(|| panic!("no {name}"))
}

/// Every measure of `analysis` (in its order), the glossary's lexicon, and each measure's words
/// as related measures read them (`segment`, no cache).
pub fn measure_words<'s>(
    site: &'s planatlas::model::Site,
    analysis: &planatlas::analyse::Analysis,
) -> (
    Vec<&'s planatlas::model::Measure>,
    planatlas::analyse::related::Lexicon<'s>,
    Vec<Vec<&'s str>>,
) {
    use planatlas::analyse::related::{segment, Lexicon};
    let measures: Vec<_> = analysis
        .measures
        .iter()
        .map(|e| analysis.measure(site, e))
        .collect();
    let labels = planatlas::analyse::labels(site, &analysis.measures, &measures);
    let lexicon = Lexicon::new(&site.glossary);
    let docs = segment(&measures, &labels, &lexicon, None);
    (measures, lexicon, docs)
}
