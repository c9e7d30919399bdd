//! The hashes planatlas uses, each written once. All are the same in every run: FNV values are
//! shown in URLs (unit pages) or recomputed in the browser (search shards); [`key_hasher`]'s
//! values are compared only with others of the same run.

/// The hasher of keys and fingerprints that a build compares with those of an earlier build in
/// the same process (`serve`): page keys, the manifest's file hashes, plan-folder
/// fingerprints, the templates' key. None is stored or shown, so none needs to be the same
/// across versions or machines.
///
/// foldhash's quality hasher with a fixed seed rather than SipHash: an incremental rebuild of
/// 10,000 measures hashes every page's context and 130 MB of output, and spent 6 % of its time
/// in SipHash (`BENCHMARKS.md`, "Seventeenth round"). A 64-bit hash of a changed page that equals
/// the old one's would leave the old page; for inputs no one crafts, that is a chance in 2^64.
pub fn key_hasher() -> foldhash::quality::FoldHasher<'static> {
    use std::hash::BuildHasher;
    foldhash::quality::FixedState::with_seed(0x5eed).build_hasher()
}

/// [`key_hasher`]'s hash of `value`.
pub fn key_of(value: &(impl std::hash::Hash + ?Sized)) -> u64 {
    use std::hash::Hasher;
    let mut hasher = key_hasher();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The offset basis of 64-bit FNV-1a.
pub const FNV64_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
/// The prime of 64-bit FNV-1a.
const FNV64_PRIME: u64 = 0x0000_0100_0000_01b3;

/// 64-bit FNV-1a of `bytes`, continuing from the state `h` (start with [`FNV64_OFFSET`]).
pub fn fnv1a64_from(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV64_PRIME);
    }
    h
}

/// 64-bit FNV-1a of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv1a64_from(FNV64_OFFSET, bytes)
}

/// 32-bit FNV-1a over the code points of `text` (not its bytes), as `search.js` computes it.
pub fn fnv1a32_chars(text: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in text.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{Hash, Hasher};

    #[test]
    fn known_values() {
        assert_eq!(fnv1a64(b""), FNV64_OFFSET);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64_from(fnv1a64(b"a"), b"b"), fnv1a64(b"ab"));
        assert_eq!(fnv1a32_chars(""), 0x811c_9dc5);
        assert_eq!(fnv1a32_chars("a"), 0xe40c_292c);
        let mut h = key_hasher();
        b"x".hash(&mut h);
        let mut g = key_hasher();
        b"x".hash(&mut g);
        assert_eq!(h.finish(), g.finish());
    }
}
