//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

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
