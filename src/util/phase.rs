//! A build's phases as `--timings` reports them: how long each took and, when they run one
//! after another (`check --timings --apart`), the most memory the process held while each ran.
//!
//! The kernel keeps one peak of a process's resident memory (Linux: `VmHWM`), which tools
//! outside (GNU time's `%M`) read when it ends; setting it back at each phase would hide the
//! whole run's peak from them. So a phase's peak is sampled instead: [`PeakSampler`] reads
//! the resident memory every [`SAMPLE_EVERY`] on a thread of its own. Memory is faulted in at
//! a few MB a millisecond, and what mimalloc frees stays resident for 50 ms
//! (`util::alloc`), so a peak is missed by a few MB at most.
//!
//! A phase's peak counts everything resident while it ran, what earlier phases left too (the
//! model, the analysis, and memory freed less than 50 ms before, not yet given back): it is the
//! memory a machine needs for that phase, which is what grows with the corpus.

use std::fs::File;
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
        Phase::measured(name, took, None)
    }

    /// A phase timed that ends now, with its peak memory where `memory` samples it.
    pub fn measured(name: &'static str, took: Duration, memory: Option<&PeakSampler>) -> Phase {
        Phase {
            name,
            took,
            peak_kib: memory.map(PeakSampler::phase_peak_kib),
        }
    }
}

/// How often [`PeakSampler`] reads the resident memory (a read costs about 1.5 µs).
pub const SAMPLE_EVERY: Duration = Duration::from_millis(2);

/// The process's peak resident memory since it started (the kernel's), in KiB, or None where
/// the system does not say.
pub fn process_peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// `/proc/self/statm`, opened once and read again from its start for each sample (a fifth of
/// the cost of opening it each time).
struct Statm {
    file: File,
    page_kib: u64,
}

impl Statm {
    #[cfg(target_os = "linux")]
    fn open() -> Option<Statm> {
        // SAFETY: sysconf takes a plain integer and returns one.
        let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        Some(Statm {
            file: File::open("/proc/self/statm").ok()?,
            page_kib: u64::try_from(page_size).ok()? / 1024,
        })
    }

    /// Elsewhere there is no statm to read.
    #[cfg(not(target_os = "linux"))]
    fn open() -> Option<Statm> {
        None
    }

    /// The process's resident memory now, in KiB: the second figure, in pages.
    #[cfg(unix)]
    fn resident_kib(&self) -> Option<u64> {
        use std::os::unix::fs::FileExt;
        let mut buf = [0u8; 128];
        let len = self.file.read_at(&mut buf, 0).ok()?;
        let text = std::str::from_utf8(&buf[..len]).ok()?;
        let pages: u64 = text.split_whitespace().nth(1)?.parse().ok()?;
        Some(pages * self.page_kib)
    }

    #[cfg(not(unix))]
    fn resident_kib(&self) -> Option<u64> {
        None
    }
}

/// A thread that samples the process's resident memory until dropped, keeping the highest,
/// for phases that run one after another: with others beside it, a phase's peak would be theirs
/// too.
pub struct PeakSampler {
    shared: Arc<Sampled>,
    thread: Option<JoinHandle<()>>,
}

/// What the sampling thread and the phases' readings share.
struct Sampled {
    statm: Statm,
    /// The highest resident memory since the current phase began, in KiB.
    peak_kib: AtomicU64,
    stop: AtomicBool,
}

impl PeakSampler {
    /// Starts sampling, with the first phase beginning now; None where the system does not
    /// say how much memory is resident (not Linux), or no thread can be started.
    pub fn start() -> Option<PeakSampler> {
        let statm = Statm::open()?;
        let shared = Arc::new(Sampled {
            peak_kib: AtomicU64::new(statm.resident_kib()?),
            statm,
            stop: AtomicBool::new(false),
        });
        let sampled = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("peak-sampler".into())
            .spawn(move || {
                while !sampled.stop.load(Ordering::Relaxed) {
                    if let Some(kib) = sampled.statm.resident_kib() {
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
    /// the next phase begins now, at what is resident now. (A sample read just before and
    /// recorded just after this call counts in the next phase: it differs from what is
    /// resident now only by what changed in those microseconds.)
    pub fn phase_peak_kib(&self) -> u64 {
        let now = self.shared.statm.resident_kib().unwrap_or(0);
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// A phase that holds 64 MiB for a while peaks that much above what was resident when it
    /// began, though the memory is given back before the phase ends; the process's peak is as
    /// high. (Other tests of this binary run beside it and allocate too: the margins are wide,
    /// and the sampler is given up to ten seconds to see the memory held.)
    #[test]
    fn each_phase_has_its_own_sampled_peak() {
        const HELD: u64 = 64 << 20;
        let sampler = PeakSampler::start().expect("resident memory on Linux");
        sampler.phase_peak_kib();
        let began = sampler.shared.statm.resident_kib().unwrap();
        let held = vec![1u8; HELD as usize];
        std::hint::black_box(&held);
        let holding = sampler.shared.statm.resident_kib().unwrap();
        assert!(
            holding >= began + (HELD >> 10) * 9 / 10,
            "{holding} KiB, {began} before"
        );
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while sampler.shared.peak_kib.load(Ordering::Relaxed) < holding - (HELD >> 10) / 4
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(SAMPLE_EVERY);
        }
        drop(held);
        let peak = sampler.phase_peak_kib();
        assert!(
            peak >= began + (HELD >> 10) / 2,
            "a peak of {peak} KiB while holding 64 MiB, {began} KiB when the phase began"
        );
        // Both are the kernel's per-CPU counts summed as they stand, which may differ a little.
        let process = process_peak_kib().unwrap();
        assert!(
            process + 1024 >= peak,
            "the process's peak {process} KiB, {peak} KiB sampled"
        );
        drop(sampler);
    }
}
