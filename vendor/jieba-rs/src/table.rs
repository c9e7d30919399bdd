//! (planatlas) Tables read where they lie in a static image, or owned.
//!
//! A dictionary image included in the program holds its tables (the double array, the code
//! table, each word's class of frequency and its tag) as they lie in memory; read in place,
//! their pages are the program file's, clean and shared, and only those a build touches are
//! resident. A table to change is copied into an owned vector first (`Table::to_mut`, the
//! words' tags); the double array and the words' classes thaw into other forms instead.

/// Read where they lie in a static image, or owned.
#[derive(Clone)]
pub(crate) enum Table<T: 'static> {
    Image(&'static [T]),
    Owned(Vec<T>),
}

impl<T> Default for Table<T> {
    fn default() -> Self {
        Table::Owned(Vec::new())
    }
}

impl<T: Clone> Table<T> {
    #[inline(always)]
    pub(crate) fn get(&self) -> &[T] {
        match self {
            Table::Image(items) => items,
            Table::Owned(items) => items,
        }
    }

    /// The table to change, copied out of the image first if it lies there.
    pub(crate) fn to_mut(&mut self) -> &mut Vec<T> {
        if let Table::Image(items) = *self {
            *self = Table::Owned(items.to_vec());
        }
        match self {
            Table::Owned(items) => items,
            Table::Image(_) => unreachable!("copied above"),
        }
    }

    /// Whether the table is read where it lies in a static image.
    pub(crate) fn in_image(&self) -> bool {
        matches!(self, Table::Image(_))
    }
}

/// `bytes` as `T`s, if they lie aligned for `T` and this machine's byte order is the image's
/// (little-endian).
pub(crate) fn cast<T: Plain>(bytes: &'static [u8]) -> Option<&'static [T]> {
    if cfg!(target_endian = "big") {
        return None;
    }
    // SAFETY: `T` is `Plain`: an integer, or `repr(C)` of integers without padding, and every bit
    // pattern is a value. `align_to` puts in the middle part only what is aligned for `T`; the
    // whole table must be there.
    let (head, items, tail) = unsafe { bytes.align_to::<T>() };
    (head.is_empty() && tail.is_empty()).then_some(items)
}

/// Types that any bytes of their size are a value of.
///
/// # Safety
/// Implement only for integers and `repr(C)` types of them without padding.
pub(crate) unsafe trait Plain {}
// SAFETY: an integer.
unsafe impl Plain for u16 {}
// SAFETY: an integer.
unsafe impl Plain for u32 {}
