//! A build's phases as `--timings` reports them: how long each took and, when they run one
//! after another (`check --timings --apart`), the most memory the process held while each ran.
//!
//! The kernel keeps one peak of a process's resident memory (Linux: `VmHWM`), which tools
//! outside (GNU time's `%M`) read when it ends; setting it back at each phase would hide the
//! whole run's peak from them. So a phase's peak is sampled instead: [`PeakSampler`] reads
//! the resident memory every [`SAMPLE_EVERY`] on a thread of its own. Memory is faulted in at
//! a few MB a millisecond, and what mimalloc frees stays resident for 50 ms
//! (`util::alloc`), so a sampled peak falls short of the true one by a few MB at most.
//!
//! A phase's peak counts everything resident while it ran, what earlier phases left too (the
//! model, the analysis): it is the memory a machine needs for that phase, which is what grows
//! with the corpus.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// One phase of a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phase {
    pub name: &'static str,
    pub took: Duration,
    /// The process's peak resident memory while the phase ran, in KiB; only when the phases
    /// ran one after another (with others beside it, it would be theirs too) and the system
    /// says (Linux).
    pub peak_kib: Option<u64>,
}

impl Phase {
    /// A phase timed, its memory not measured.
    pub fn timed(name: &'static str, took: Duration) -> Phase {
        Phase {
            name,
            took,
            peak_kib: None,
        }
    }
}

/// How often [`PeakSampler`] reads the resident memory (a read costs about 8 µs).
pub const SAMPLE_EVERY: Duration = Duration::from_millis(2);

/// The process's peak resident memory since it started, in KiB, or None where the system does
/// not say.
pub fn peak_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

/// The process's resident memory now, in KiB (Linux: the second figure of `/proc/self/statm`,
/// in pages).
fn resident_kib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // SAFETY: sysconf takes a plain integer and returns one.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages * u64::try_from(page_size).ok()? / 1024)
}

/// A thread that samples the process's resident memory until dropped, keeping the highest,
/// for phases that run one after another: with others beside it, a phase's peak would be theirs
/// too.
pub struct PeakSampler {
    shared: Arc<Sampled>,
    thread: Option<JoinHandle<()>>,
}

struct Sampled {
    /// The highest resident memory since the current phase began, in KiB.
    peak_kib: AtomicU64,
    stop: AtomicBool,
}

impl PeakSampler {
    /// Starts sampling, with the first phase beginning now; None where the system does not
    /// say how much memory is resident, or no thread can be started.
    pub fn start() -> Option<PeakSampler> {
        let shared = Arc::new(Sampled {
            peak_kib: AtomicU64::new(resident_kib()?),
            stop: AtomicBool::new(false),
        });
        let sampled = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("peak-sampler".into())
            .spawn(move || {
                while !sampled.stop.load(Ordering::Relaxed) {
                    if let Some(kib) = resident_kib() {
                        sampled.peak_kib.fetch_max(kib, Ordering::Relaxed);
                    }
                    std::thread::park_timeout(SAMPLE_EVERY);
                }
            })
            .ok()?;
        Some(PeakSampler {
            shared,
            thread: Some(thread),
        })
    }

    /// The peak since the phase began (the previous call, or [`start`](Self::start)), in KiB;
    /// the next phase begins now, at what is resident now.
    pub fn phase_peak_kib(&self) -> u64 {
        let now = resident_kib().unwrap_or(0);
        self.shared.peak_kib.swap(now, Ordering::Relaxed).max(now)
    }
}

impl Drop for PeakSampler {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

/// A figure of `/proc/self/status` in KiB (`VmHWM:   1234 kB`).
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// A phase that holds 64 MiB for a while peaks that much above the phase before it, which
    /// held nothing of its own, though the memory is given back before the phase ends; the
    /// process's peak is as high. (Other tests of this binary run beside it and allocate too:
    /// the margins are wide.)
    #[test]
    fn each_phase_has_its_own_sampled_peak() {
        const HELD: usize = 64 << 20;
        let sampler = PeakSampler::start().expect("resident memory on Linux");
        let before = sampler.phase_peak_kib();
        let held = vec![1u8; HELD];
        std::hint::black_box(&held);
        // Sampled while held.
        std::thread::sleep(SAMPLE_EVERY * 10);
        drop(held);
        let during = sampler.phase_peak_kib();
        assert!(
            during >= before + (HELD as u64 >> 10) / 2,
            "{during} KiB while holding 64 MiB, {before} KiB before"
        );
        // Both are the kernel's per-CPU counts summed as they stand, which may differ a little.
        let peak = peak_kib().unwrap();
        assert!(
            peak + 1024 >= during,
            "the process's peak {peak} KiB, {during} KiB sampled"
        );
        drop(sampler);
    }
}
