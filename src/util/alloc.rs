//! How the binaries (the command line, the benchmarks) set up their allocator, mimalloc: the
//! library itself allocates through whatever global allocator its user chose.

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (`mimalloc.h`, the same in v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system after 50 ms. With mimalloc's default a build of
/// 10,000 measures peaked 30 % higher than with the system allocator; purged at once (0 ms) as
/// high as with it, but about 7 % of the CPU time went to faulting the same memory in
/// again; at 50 ms it peaks 8 % higher than at 0 ms with a third less system time
/// (BENCHMARKS.md).
/// `MIMALLOC_PURGE_DELAY` in the environment still decides, as mimalloc documents.
/// Only meaningful in a binary whose global allocator is `mimalloc::MiMalloc`.
pub fn set_purge_delay() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of mimalloc's process-wide options, which it reads on every purge;
        // any thread may set an option at any time.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 50) };
    }
}
