//! Buffers a thread keeps from one file it makes to the next.
//!
//! A build makes hundreds of thousands of files (pages, the search index's shards), each
//! written into a buffer and then written out or dropped. A buffer kept by the thread between
//! files is written in memory already mapped and in the cache, where a buffer per file took
//! fresh memory and grew by copies; at a million measures the files that grow with the corpus
//! (a responsible unit's page lists all of its measures) made that a cost the kernel paid in
//! page faults (BENCHMARKS.md, twenty-fourth round).
//!
//! What stays held: each slot of each thread that made a file keeps a buffer as large as the
//! largest file it made, up to [`KEEP_AT_MOST`] (`output`'s buffer on every thread that makes
//! files, the minifier's copy on the render threads). At 10,000 measures the largest page is
//! under 1 MB; on two cores at a million measures, 48 MiB at most in all.

use std::cell::Cell;
use std::thread::LocalKey;

/// A thread's buffer, declared with `thread_local!` by its user.
pub type Slot = LocalKey<Cell<Vec<u8>>>;

/// The largest buffer a thread keeps: a larger one (a page of 50 MB at a million measures) goes
/// back to the allocator rather than stay held after the build.
const KEEP_AT_MOST: usize = 8 << 20;

/// The thread's buffer in `slot`, empty; a new one while the thread's is taken.
pub fn take(slot: &'static Slot) -> Vec<u8> {
    let mut buffer = slot.take();
    buffer.clear();
    buffer
}

/// Gives `buffer` to the thread's `slot` for its next file, unless it is larger than a thread
/// keeps.
pub fn give_back(slot: &'static Slot, buffer: Vec<u8>) {
    if buffer.capacity() <= KEEP_AT_MOST {
        slot.set(buffer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        static SLOT: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
    }

    #[test]
    fn a_buffer_given_back_is_taken_again_empty_and_a_large_one_is_not_kept() {
        let mut buffer = take(&SLOT);
        buffer.extend_from_slice(&[1; 1000]);
        let at = buffer.as_ptr();
        give_back(&SLOT, buffer);
        let again = take(&SLOT);
        assert!(again.is_empty() && again.capacity() >= 1000);
        assert_eq!(again.as_ptr(), at);
        // Taken while taken: another buffer.
        assert_eq!(take(&SLOT).capacity(), 0);
        drop(again);
        give_back(&SLOT, Vec::with_capacity(KEEP_AT_MOST + 1));
        assert_eq!(take(&SLOT).capacity(), 0);
        give_back(&SLOT, Vec::with_capacity(KEEP_AT_MOST));
        assert_eq!(take(&SLOT).capacity(), KEEP_AT_MOST);
    }
}
