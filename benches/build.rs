//! Build benchmark: synthetic corpora of 10, 100 (and, with `PLANATLAS_BENCH_SIZES`, more) plans
//! × 100 measures, built by the release binary with output on a tmpfs; prints a table of phase
//! times, total, peak memory, pages and bytes. Render, open data and the search index run side
//! by side, so their times overlap; the total is the wall time. Run: `cargo bench --bench build`
//! (sizes: `PLANATLAS_BENCH_SIZES=10,100,1000 cargo bench --bench build`).

mod common;

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_planatlas"))
        .args(args)
        .output()
        .expect("planatlas runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "planatlas {args:?} failed:\n{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn main() {
    let sizes = common::sizes("10,100");
    let root = env!("CARGO_MANIFEST_DIR");
    let dir = common::scratch("bench");
    println!("| plans × measures | measures | load | validate | analyse | of which segmentation and weights | of which related | render | open data | search index | write | total | peak memory | pages | output |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    for plans in sizes {
        let _ = std::fs::remove_dir_all(&dir);
        let corpus = dir.join("corpus");
        let output = dir.join("public");
        run(&[
            "--root",
            root,
            "synth",
            "--plans",
            &plans.to_string(),
            "--measures",
            "100",
            "--out",
            corpus.to_str().unwrap(),
        ]);
        let text = run(&[
            "--root",
            corpus.to_str().unwrap(),
            "build",
            "--output",
            output.to_str().unwrap(),
            "--timings",
            // As a deployed site: canonical links, sitemap and feed.
            "--base-url",
            "https://atlas.test/",
        ]);
        let field = |prefix: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .unwrap_or("")
                .to_string()
        };
        let built = field("Built ");
        let phases = field("Phases: ");
        let phase = |name: &str| {
            phases
                .split(", ")
                .find_map(|p| p.strip_prefix(name).map(|v| v.trim().to_string()))
                .unwrap_or_default()
        };
        let number_before = |what: &str| {
            built
                .split(", ")
                .chain(built.split(": "))
                .find_map(|p| {
                    p.trim()
                        .strip_suffix(what)
                        .map(|n| n.trim().rsplit(' ').next().unwrap_or("").to_string())
                })
                .unwrap_or_default()
        };
        let total = built.rsplit(" in ").next().unwrap_or("").to_string();
        let bytes = built
            .split(", ")
            .find(|p| p.ends_with("KiB in ".to_owned().as_str()) || p.contains("KiB"))
            .unwrap_or("")
            .split(" in ")
            .next()
            .unwrap_or("")
            .to_string();
        println!(
            "| {plans} × 100 | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {total} | {} | {} | {bytes} |",
            number_before(" measures"),
            phase("load "),
            phase("validate "),
            phase("analyse "),
            phase("analyse: segmentation and weights "),
            phase("analyse: related measures "),
            phase("render "),
            phase("assemble "),
            phase("search index "),
            phase("write "),
            field("Peak memory: "),
            number_before(" pages"),
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
