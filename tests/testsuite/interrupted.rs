//! A build killed at any moment leaves `public/` holding either the previous complete site or
//! the new complete site, never a mix; the next build removes what the killed one left behind.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::read_tree;

fn planatlas(args: &[&str]) {
    let out = crate::common::planatlas(args);
    assert!(out.status.success(), "{}", crate::common::stderr(&out));
}

fn build(root: &Path, output: &Path) {
    planatlas(&[
        "--root",
        root.to_str().unwrap(),
        "build",
        "--quiet",
        "--output",
        output.to_str().unwrap(),
    ]);
}

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // The lock file stays beside the output by design; staging and old folders must not.
        .filter(|n| n.starts_with(".public.") && n != ".public.lock")
        .collect()
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_site_never_a_mix() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    // A corpus large enough for a build to take a while (several hundred pages).
    planatlas(&[
        "--root",
        env!("CARGO_MANIFEST_DIR"),
        "synth",
        "--plans",
        "6",
        "--measures",
        "100",
        "--out",
        root.to_str().unwrap(),
    ]);
    let public = dir.path().join("public");
    build(&root, &public);
    let old: BTreeMap<String, Vec<u8>> = read_tree(&public);

    // New content: every page changes (the site title is on each).
    let config = root.join("content/site.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let title = text
        .lines()
        .find(|l| l.starts_with("title"))
        .unwrap()
        .to_string();
    std::fs::write(&config, text.replacen(&title, "title = \"新标题\"", 1)).unwrap();
    let reference = dir.path().join("reference");
    let start = Instant::now();
    build(&root, &reference);
    let full = start.elapsed();
    let new = read_tree(&reference);
    assert_ne!(old, new);

    // Kill builds at moments spread over a whole build, the write at the end included.
    let mut outcomes = (0, 0);
    for k in 0..10u32 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_planatlas"))
            .args([
                "--root",
                root.to_str().unwrap(),
                "build",
                "--quiet",
                "--output",
            ])
            .arg(&public)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full.mul_f64(f64::from(k) / 9.0 * 1.1) + Duration::from_millis(5));
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = read_tree(&public);
        if now == old {
            outcomes.0 += 1;
        } else if now == new {
            outcomes.1 += 1;
        } else {
            panic!("kill {k} ({status}): public/ is neither the old nor the new site");
        }
        // Put the old site back for the next round (when the build got through).
        if now == new {
            std::fs::write(&config, &text).unwrap();
            build(&root, &public);
            assert_eq!(read_tree(&public), old);
            std::fs::write(&config, text.replacen(&title, "title = \"新标题\"", 1)).unwrap();
        }
    }
    println!(
        "kills: {} left the old site, {} the new one",
        outcomes.0, outcomes.1
    );
    assert!(outcomes.0 > 0, "some kills came before the swap");
    // The next build cleans up what the killed ones left.
    build(&root, &public);
    assert_eq!(read_tree(&public), new);
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}
