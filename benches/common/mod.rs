//! Shared by the benchmarks.

use std::path::{Path, PathBuf};

/// A scratch folder on a tmpfs where there is one (the figures are for output on a tmpfs).
pub fn scratch(name: &str) -> PathBuf {
    let shm = Path::new("/dev/shm");
    let base = if shm.is_dir() {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    };
    base.join(format!("planatlas-{name}-{}", std::process::id()))
}

/// The corpus sizes (plans of 100 measures) to run: `PLANATLAS_BENCH_SIZES`, or `default`.
pub fn sizes(default: &str) -> Vec<usize> {
    std::env::var("PLANATLAS_BENCH_SIZES")
        .unwrap_or_else(|_| default.into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}
