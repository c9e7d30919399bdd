//! A small random source for tests (xorshift32): the same numbers in every run, for tests that
//! compare code with a plain reference on many generated inputs.

/// Marsaglia's xorshift32 (shifts 13, 17, 5); the seed must not be 0.
pub struct XorShift32(u32);

impl XorShift32 {
    pub fn new(seed: u32) -> Self {
        XorShift32(seed)
    }

    /// The next number.
    pub fn next_u32(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    /// The next number, below `m`.
    pub fn below(&mut self, m: u32) -> u32 {
        self.next_u32() % m
    }
}
