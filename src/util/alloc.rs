//! How the binaries (the command line, the benchmarks) set up their allocator, mimalloc, and the
//! process's memory: the library itself allocates through whatever global allocator its user
//! chose.

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (`mimalloc.h`, the same in v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Sets up a binary's memory before its first build: [`set_purge_delay`] and
/// [`small_pages`].
pub fn configure() {
    set_purge_delay();
    small_pages();
}

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

/// Turns transparent huge pages off for this process and the programs it starts (`pdftotext`:
/// the kernel keeps the flag across `exec`). Linux only; elsewhere nothing to do.
///
/// mimalloc asks for huge pages on all of its memory. A 2 MiB page is faulted in, and zeroed,
/// whole, however little of it is used; and each time a purge has given it back, again. A
/// build of 10,000 measures spent about 10 % of its CPU zeroing such pages, and peaked 15 %
/// higher than with 4 KiB pages (1,000 measures: 40 % higher) for no gain in time
/// (BENCHMARKS.md, sixth round). This only changes mimalloc's default: with
/// `MIMALLOC_ALLOW_THP` in the environment, mimalloc's own option, mimalloc decides (`1` leaves
/// them on, `0` turns them off as this does).
pub fn small_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag of the process,
        // which the kernel reads when it next faults memory in. An error (an old kernel) leaves
        // huge pages as the system has them, which is only slower.
        unsafe {
            libc::prctl(
                libc::PR_SET_THP_DISABLE,
                1 as libc::c_ulong,
                0 as libc::c_ulong,
                0 as libc::c_ulong,
                0 as libc::c_ulong,
            )
        };
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    #[test]
    fn small_pages_turns_huge_pages_off_for_the_process() {
        if std::env::var_os("MIMALLOC_ALLOW_THP").is_some() {
            return;
        }
        let zero: libc::c_ulong = 0;
        // SAFETY: as in `small_pages`: plain integers, a flag of the process. The flag is
        // inherited, so it is cleared first: the test must not pass on its parent's setting.
        let (cleared, disabled) = unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, zero, zero, zero, zero);
            let cleared = libc::prctl(libc::PR_GET_THP_DISABLE, zero, zero, zero, zero);
            super::small_pages();
            let disabled = libc::prctl(libc::PR_GET_THP_DISABLE, zero, zero, zero, zero);
            (cleared, disabled)
        };
        assert_eq!((cleared, disabled), (0, 1));
    }
}
