//! Asking the processor for memory ahead of its use.
//!
//! Scoring related measures on a large corpus reads the vectors of sixty candidates scattered
//! over hundreds of megabytes, one after the other; each read waits for main memory unless the
//! processor was asked for it a few candidates before.

/// Asks for the cache line holding `value` to be brought into every cache level. Does nothing
/// but hint: it never faults and changes nothing the program can observe.
#[inline(always)]
pub fn prefetch<T: ?Sized>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads no memory the program sees and cannot fault, whatever the
    // address; this one is a live reference's. SSE, which the instruction belongs to, is part
    // of every x86_64 target.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

#[cfg(test)]
mod tests {
    use super::prefetch;

    /// Any reference may be asked for, even one to nothing (an empty vector's words, the
    /// case of a measure without content words, point nowhere): it changes nothing and never
    /// faults.
    #[test]
    fn prefetch_is_only_a_hint() {
        let v = vec![1u32, 2, 3];
        prefetch(&v[..]);
        prefetch(&v[2]);
        prefetch("text");
        let empty: Vec<(u32, f32)> = Vec::new();
        prefetch(&empty[..]);
        prefetch(&empty);
        assert_eq!(v, [1, 2, 3]);
        assert!(empty.is_empty());
    }
}
