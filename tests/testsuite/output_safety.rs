//! A build never deletes what it did not write, and two builds at once never publish a broken
//! site: the output folder checks, `--force`, symbolic links, mount points, leftovers and the
//! lock, through the real command line.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::{planatlas, read_tree, stderr};

const MARKER: &str = ".planatlas-build";

/// A new site made by `init`, in `dir/site`.
fn new_site(dir: &Path) -> PathBuf {
    let site = dir.join("site");
    let out = planatlas(&["init", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

fn build(root: &Path, output: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["--root", root.to_str().unwrap(), "build", "--quiet"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--output", output.to_str().unwrap()]);
    planatlas(&args)
}

#[test]
fn a_build_refuses_a_folder_it_did_not_write_and_the_sources_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let site = new_site(dir.path());
    let sources = read_tree(&site);

    for (output, force) in [
        (site.join("content"), false),
        (site.join("content"), true),
        (site.join("content/plans/new"), true),
        (site.join("themes"), true),
        (site.clone(), true),
        (site.join("."), true),
        (dir.path().to_path_buf(), true),
    ] {
        let extra: &[&str] = if force { &["--force"] } else { &[] };
        let out = build(&site, &output, extra);
        assert!(!out.status.success(), "{} was accepted", output.display());
        let err = stderr(&out);
        assert!(err.contains("refusing to write the site to"), "{err}");
        assert!(err.contains("--force does not override"), "{err}");
        assert_eq!(read_tree(&site), sources, "{} changed", output.display());
    }

    // A user's folder: refused without --force, named in the message, left as it was.
    let docs = dir.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("thesis.md"), "years of work").unwrap();
    let out = build(&site, &docs, &[]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains(docs.to_str().unwrap()), "{err}");
    assert!(err.contains("not written by planatlas"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        fs::read_to_string(docs.join("thesis.md")).unwrap(),
        "years of work"
    );
    assert_eq!(fs::read_dir(&docs).unwrap().count(), 1);
    assert!(
        !dir.path().join(".docs.lock").exists(),
        "a refused build leaves nothing beside the folder either"
    );
    // With --force it is replaced, and from then on it is the build's own.
    let out = build(&site, &docs, &["--force"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!docs.join("thesis.md").exists());
    assert!(docs.join(MARKER).is_file());
    assert!(docs.join("index.html").is_file());
    let out = build(&site, &docs, &[]);
    assert!(out.status.success(), "{}", stderr(&out));

    // An empty folder is taken without --force.
    let empty = dir.path().join("empty");
    fs::create_dir(&empty).unwrap();
    let out = build(&site, &empty, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(empty.join("index.html").is_file());
}

#[test]
fn a_file_named_as_output_is_an_error_and_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let site = new_site(dir.path());
    let file = dir.path().join("site.html");
    fs::write(&file, "my page").unwrap();
    for extra in [&[][..], &["--force"][..]] {
        let out = build(&site, &file, extra);
        assert!(!out.status.success());
        assert!(
            stderr(&out).contains("is a file, not a folder"),
            "{}",
            stderr(&out)
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), "my page");
    }
    let mut names: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["site", "site.html"],
        "nothing hidden or left beside it"
    );
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_is_written_where_it_points_and_the_link_stays() {
    let dir = tempfile::tempdir().unwrap();
    let site = new_site(dir.path());
    let www = dir.path().join("www");
    fs::create_dir(&www).unwrap();
    let public = site.join("public");
    // The web root does not exist yet at the first build.
    std::os::unix::fs::symlink(www.join("html"), &public).unwrap();
    for round in 0..2 {
        let out = build(&site, &public, &[]);
        assert!(out.status.success(), "round {round}: {}", stderr(&out));
        assert!(fs::symlink_metadata(&public)
            .unwrap()
            .file_type()
            .is_symlink());
        assert!(www.join("html/index.html").is_file());
        assert!(www.join("html").join(MARKER).is_file());
    }
    // Nothing but the site and its lock beside the web root.
    let mut names: Vec<String> = fs::read_dir(&www)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [".html.lock", "html"]);
}

#[test]
fn only_planatlas_leftovers_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let site = new_site(dir.path());
    let public = site.join("public");
    assert!(build(&site, &public, &[]).status.success());
    // A user's backup next to the output, and what a killed build left (no such process).
    let backup = site.join(".public.old-backup");
    fs::create_dir(&backup).unwrap();
    fs::write(backup.join(MARKER), "").unwrap();
    fs::write(backup.join("index.html"), "old").unwrap();
    let killed = site.join(".public.tmp-99999999");
    fs::create_dir(&killed).unwrap();
    fs::write(killed.join(MARKER), "").unwrap();
    let unmarked = site.join(".public.tmp-99999998");
    fs::create_dir(&unmarked).unwrap();
    assert!(build(&site, &public, &[]).status.success());
    assert_eq!(
        fs::read_to_string(backup.join("index.html")).unwrap(),
        "old"
    );
    assert!(!killed.exists(), "a dead build's staging folder is removed");
    assert!(
        unmarked.exists(),
        "a folder without the marker is not planatlas's"
    );
}

/// Runs `script` with `sh` in a new mount namespace, or `None` where that is not allowed.
fn in_mount_namespace(script: &str) -> Option<Output> {
    let probe = Command::new("unshare")
        .args(["-m", "sh", "-c", "mount -t tmpfs none /mnt"])
        .output()
        .ok()?;
    if !probe.status.success() {
        return None;
    }
    Some(
        Command::new("unshare")
            .args(["-m", "sh", "-ec", script])
            .output()
            .unwrap(),
    )
}

#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_is_updated_in_place_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let site = new_site(dir.path());
    let reference = dir.path().join("reference");
    assert!(build(&site, &reference, &[]).status.success());
    let public = site.join("public");
    fs::create_dir(&public).unwrap();
    let exe = env!("CARGO_BIN_EXE_planatlas");
    let (root, out) = (site.to_str().unwrap(), public.to_str().unwrap());
    // Two builds into a fresh tmpfs mounted on public/ (the first finds it empty, the second
    // replaces the first); a stale file must go; the tree is listed from inside the namespace.
    let script = format!(
        "mount -t tmpfs none '{out}'
         '{exe}' --root '{root}' build --output '{out}' 2>/dev/null
         touch '{out}/stale.html'
         '{exe}' --root '{root}' build --output '{out}' 2>&1 1>/dev/null
         echo '--- tree'
         cd '{out}' && find . -type f | sort | xargs sha256sum"
    );
    let Some(run) = in_mount_namespace(&script) else {
        println!("skipped: this machine does not allow a private mount namespace");
        return;
    };
    let text = String::from_utf8_lossy(&run.stdout).into_owned();
    assert!(run.status.success(), "{text}{}", stderr(&run));
    let (warning, tree) = text.split_once("--- tree\n").unwrap();
    assert!(warning.contains("not atomic"), "{warning}");
    assert!(!warning.contains("os error"), "{warning}");
    let got: BTreeMap<String, String> = tree
        .lines()
        .map(|l| {
            let (hash, path) = l.split_once("  ").unwrap();
            (path.trim_start_matches("./").to_string(), hash.to_string())
        })
        .collect();
    let expected: BTreeMap<String, String> = read_tree(&reference)
        .into_iter()
        .map(|(path, bytes)| (path, sha256(&bytes)))
        .collect();
    assert_eq!(got, expected);
    // Beside the mount point nothing is left behind.
    assert!(!fs::read_dir(&site)
        .unwrap()
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with(".public.tmp")));
}

fn sha256(bytes: &[u8]) -> String {
    let mut child = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

fn spawn_build(root: &Path, output: &Path, extra: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_planatlas"))
        .args(["--root", root.to_str().unwrap(), "build"])
        .args(extra)
        .arg("--output")
        .arg(output)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn finish(child: Child) -> (bool, String) {
    let out = child.wait_with_output().unwrap();
    (out.status.success(), stderr(&out))
}

#[test]
fn two_builds_at_once_never_publish_a_broken_site() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good");
    let synth = planatlas(&[
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "synth",
        "--plans",
        "30",
        "--measures",
        "30",
        "--out",
        good.to_str().unwrap(),
    ]);
    assert!(synth.status.success(), "{}", stderr(&synth));
    // The same site with a content error: a build of it must fail and change nothing.
    let broken = dir.path().join("broken");
    crate::common::copy_tree(&good, &broken);
    let site_toml = broken.join("content/site.toml");
    let text = fs::read_to_string(&site_toml).unwrap();
    fs::write(&site_toml, text.replacen("title", "titel", 1)).unwrap();

    let reference = dir.path().join("reference");
    let start = Instant::now();
    let built = build(&good, &reference, &[]);
    assert!(built.status.success(), "{}", stderr(&built));
    let full = start.elapsed();
    let expected = read_tree(&reference);

    let public = dir.path().join("public");
    for k in 0..4u32 {
        let delay = full.mul_f64(f64::from(k) / 3.0) + Duration::from_millis(2);
        // A failing build started while a good one runs: it waits, then fails.
        let first = spawn_build(&good, &public, &["--quiet"]);
        std::thread::sleep(delay);
        let second = spawn_build(&broken, &public, &["--quiet"]);
        let (ok, err) = finish(first);
        assert!(ok, "round {k}: the good build failed: {err}");
        let (ok, err) = finish(second);
        assert!(!ok, "round {k}: the broken build succeeded");
        assert!(err.contains("site.toml"), "round {k}: {err}");
        assert!(
            read_tree(&public) == expected,
            "round {k}: public/ is not the site"
        );

        // Two good builds at once: both succeed, one after the other.
        let first = spawn_build(&good, &public, &["--quiet"]);
        std::thread::sleep(delay);
        let second = spawn_build(&good, &public, &[]);
        let (ok1, err1) = finish(first);
        let (ok2, err2) = finish(second);
        assert!(ok1 && ok2, "round {k}: {err1} {err2}");
        assert!(
            read_tree(&public) == expected,
            "round {k}: public/ is not the site"
        );
    }

    // While another process holds the output's lock, --no-wait fails at once and says why,
    // and a build without it waits, says so, and goes on once the lock is free.
    let lock = fs::File::create(dir.path().join(".public.lock")).unwrap();
    lock.lock().unwrap();
    let out = build(&good, &public, &["--no-wait"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("another planatlas build"),
        "{}",
        stderr(&out)
    );
    let waiting = spawn_build(&good, &public, &[]);
    std::thread::sleep(Duration::from_millis(1500));
    let mut waiting = waiting;
    assert!(
        waiting.try_wait().unwrap().is_none(),
        "the build did not wait"
    );
    drop(lock);
    let out = waiting.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Waiting for another planatlas build"),
        "{}",
        stderr(&out)
    );
    assert!(read_tree(&public) == expected);
}
