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
