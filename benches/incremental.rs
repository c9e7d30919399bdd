//! Incremental rebuild benchmark: the time `serve` takes from a saved edit of one measure's
//! text to the rebuilt output, on the bundled site and on a synthetic corpus of 100 plans × 100
//! measures. Run: `cargo bench --bench incremental` (`PLANATLAS_BENCH_SIZES=100,500` for
//! other synthetic sizes; 0 for the bundled site only; `PLANATLAS_BENCH_EDITS=word` or `digits`
//! for one kind of edit, `PLANATLAS_BENCH_PREVIEW=0` without the previewed series, and
//! `PLANATLAS_BENCH_ROUNDS=n` for n edits instead of 7, to profile or count one series alone).
//!
//! Measured per edit: `Incremental::rebuild` (load of the changed plan, analysis, rendering of
//! the pages whose inputs changed, writing the changed files; `PLANATLAS_BENCH_PHASES=1` prints
//! each rebuild's phases), and, in a second series, `Incremental::rebuild_previewed` as `serve`
//! calls it: the time until the preview of the edited plan's pages is written (when open pages
//! reload) and until the exact rebuild is done. `serve` adds its 30 ms settle delay for bursts
//! of file events and the open page's reload.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use planatlas::build::Incremental;
use planatlas::config::BuildOptions;

/// As in the `planatlas` binary, whose `serve` these rebuilds stand for.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The first measure file below `content/plans` (by name) and a sentence end in it.
fn measure_file(root: &Path) -> PathBuf {
    walkdir::WalkDir::new(root.join("content/plans"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.path().to_path_buf())
        .find(|p| {
            p.extension().is_some_and(|e| e == "md")
                && std::fs::read_to_string(p)
                    .is_ok_and(|t| t.contains("\n### ") && t.contains('。'))
        })
        .expect("a file with measures")
}

/// What an edit inserts before the first sentence end of a measure: `（3）` leaves the
/// measure's words as they were (digits are not words), so no related list changes; a word
/// changes the measure's vector and BM25's statistics, so every related score is recomputed
/// and may change.
#[derive(Clone, Copy)]
enum Edit {
    Digits,
    Word,
}

impl Edit {
    fn text(self, i: usize) -> String {
        match self {
            Edit::Digits => format!("（{i}）"),
            // A different word each time, so that every edit changes the text's words.
            Edit::Word => [
                "绿色债券",
                "数字人民币",
                "供应链金融",
                "科技保险",
                "普惠金融",
                "跨境支付",
                "碳排放权",
            ][i % 7]
                .to_string(),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Edit::Digits => "`（3）` added",
            Edit::Word => "a word added",
        }
    }
}

fn bench(label: &str, root: &Path) {
    let only = std::env::var("PLANATLAS_BENCH_EDITS").unwrap_or_default();
    for edit in [Edit::Digits, Edit::Word] {
        let name = match edit {
            Edit::Digits => "digits",
            Edit::Word => "word",
        };
        if only.is_empty() || only == name {
            bench_edit(label, root, edit);
        }
    }
}

/// Times of one series of edits: to the preview (previewed rebuilds only) and to the end of
/// the rebuild, with the last rebuild's counts.
#[derive(Default)]
struct Series {
    preview: Vec<Duration>,
    rebuilt: Vec<Duration>,
    previewed_pages: usize,
    rendered: usize,
    changed: usize,
}

fn median(times: &mut [Duration]) -> String {
    if times.is_empty() {
        return "–".into();
    }
    times.sort();
    format!("{} ms", times[times.len() / 2].as_millis())
}

fn slowest(times: &[Duration]) -> String {
    times
        .iter()
        .max()
        .map_or("–".into(), |t| format!("{} ms", t.as_millis()))
}

fn bench_edit(label: &str, root: &Path, edit: Edit) {
    let (first, full, mut alone) = series(root, edit, false);
    let skip_preview = std::env::var_os("PLANATLAS_BENCH_PREVIEW").is_some_and(|v| v == "0");
    let mut previewed = if skip_preview {
        Series::default()
    } else {
        series(root, edit, true).2
    };
    println!(
        "| {label} | {} | {} | {} | {} ms | {} | {} | {} | {} | {} | {} | {} | {} |",
        edit.label(),
        first.stats.measures,
        first.stats.pages,
        full.as_millis(),
        median(&mut alone.rebuilt),
        slowest(&alone.rebuilt),
        median(&mut previewed.preview),
        slowest(&previewed.preview),
        median(&mut previewed.rebuilt),
        previewed.previewed_pages,
        alone.rendered,
        alone.changed,
    );
}

/// A first build, then seven edits (or `PLANATLAS_BENCH_ROUNDS`) each rebuilt (with a preview
/// first if `preview`).
fn series(root: &Path, edit: Edit, preview: bool) -> (planatlas::build::Rebuilt, Duration, Series) {
    let mut options = BuildOptions::new(root);
    options.output = root.join("public");
    let mut builder = Incremental::new(options);
    let start = Instant::now();
    let first = builder.rebuild().expect("the corpus builds");
    let full = start.elapsed();
    let file = measure_file(root);
    let mut series = Series::default();
    let phases = std::env::var_os("PLANATLAS_BENCH_PHASES").is_some();
    for i in 0..rounds() {
        let text = std::fs::read_to_string(&file).unwrap();
        // Change one measure's text (before the first sentence end after a heading).
        let heading = text.find("\n### ").unwrap();
        let at = heading + text[heading..].find("\n\n").unwrap() + 2;
        let end = at + text[at..].find('。').unwrap();
        let mut edited = text.clone();
        edited.insert_str(end, &edit.text(i));
        std::fs::write(&file, edited).unwrap();
        let start = Instant::now();
        let r = if preview {
            let mut shown = |p: &planatlas::build::Rebuilt| {
                series.preview.push(start.elapsed());
                series.previewed_pages = p.rendered;
                if phases {
                    eprintln!("preview {:?}", p.stats.phases);
                }
            };
            builder.rebuild_previewed(&mut shown)
        } else {
            builder.rebuild()
        }
        .expect("the edit builds");
        series.rebuilt.push(start.elapsed());
        series.rendered = r.rendered;
        series.changed = r.changed.len();
        if phases {
            eprintln!("{:?}", r.stats.phases);
        }
    }
    (first, full, series)
}

/// How many edits each corpus gets: 7, or `PLANATLAS_BENCH_ROUNDS`.
fn rounds() -> usize {
    std::env::var("PLANATLAS_BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7)
}

fn main() {
    planatlas::alloc::configure();
    let sizes = common::sizes("100");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = common::scratch("incremental");
    let rounds = rounds();
    println!("| corpus | edit | measures | pages | first (full) build | edit → rebuilt, median of {rounds} | slowest | with a preview: edit → preview written, median | slowest | edit → rebuilt | pages previewed | pages rendered | files changed |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let _ = std::fs::remove_dir_all(&dir);
    let real = dir.join("real");
    copy_tree(&repo.join("content"), &real.join("content"));
    copy_tree(&repo.join("themes"), &real.join("themes"));
    bench("bundled five plans", &real);
    for plans in sizes.into_iter().filter(|n| *n > 0) {
        let corpus = dir.join(format!("synth-{plans}"));
        planatlas::cmd::synth::synth(repo, &corpus, plans, 100, 1).expect("synth");
        bench(&format!("synthetic {plans} × 100"), &corpus);
    }
    let _ = std::fs::remove_dir_all(&dir);
}
