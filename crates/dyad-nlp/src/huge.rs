//! Owned, zero-initialised arrays for the model's big tables, placed on
//! transparent huge pages where the system offers them.
//!
//! The tagger's and parser's hashed tables (≈ 30 MB) are read at random; on
//! 4 KiB pages nearly every lookup also misses the TLB. On Linux a
//! [`HugeBuf`] of at least [`MIN_HUGE`] bytes is its own anonymous mapping,
//! 2 MiB-aligned and rounded up to whole 2 MiB pages, advised
//! `MADV_HUGEPAGE` before it is first touched, so the kernel backs it with
//! 2 MiB pages when THP is `always` or `madvise`. Smaller arrays, other
//! systems, and a failed mapping fall back to an ordinary `Vec`. This does
//! not depend on the global allocator.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// Element types whose all-zero bit pattern is a valid value (memory
/// fresh from the kernel is zero-filled).
///
/// # Safety
/// Implementors must be plain data for which all-zero bytes are a valid
/// value equal to [`Zeroable::ZERO`], with no `Drop`.
pub(crate) unsafe trait Zeroable: Copy + Send + Sync + 'static {
    const ZERO: Self;
}

// SAFETY: primitive integers; all-zero bytes are the value 0.
unsafe impl Zeroable for u64 {
    const ZERO: u64 = 0;
}
// SAFETY: as above.
unsafe impl Zeroable for u32 {
    const ZERO: u32 = 0;
}
// SAFETY: as above.
unsafe impl Zeroable for i32 {
    const ZERO: i32 = 0;
}
// SAFETY: as above.
unsafe impl Zeroable for i16 {
    const ZERO: i16 = 0;
}

/// Size (and alignment) of a transparent huge page on x86-64 and arm64
/// with 4 KiB base pages.
#[cfg(target_os = "linux")]
const HUGE: usize = 2 << 20;

/// Arrays smaller than this stay ordinary heap vectors (rounding them up to
/// a whole huge page would waste more than it saves).
pub(crate) const MIN_HUGE: usize = 1 << 20;

/// A fixed-length, zero-initialised array (see the module docs).
pub(crate) struct HugeBuf<T: Zeroable> {
    inner: Inner<T>,
}

enum Inner<T> {
    Heap(Vec<T>),
    #[cfg(target_os = "linux")]
    Map(map::Map<T>),
}

impl<T: Zeroable> HugeBuf<T> {
    /// `len` zeros.
    pub(crate) fn zeroed(len: usize) -> HugeBuf<T> {
        #[cfg(target_os = "linux")]
        if len.saturating_mul(size_of::<T>()) >= MIN_HUGE {
            if let Some(m) = map::Map::new(len) {
                return HugeBuf {
                    inner: Inner::Map(m),
                };
            }
        }
        HugeBuf {
            inner: Inner::Heap(vec![T::ZERO; len]),
        }
    }

    /// A copy of `s`.
    pub(crate) fn from_slice(s: &[T]) -> HugeBuf<T> {
        let mut b = HugeBuf::zeroed(s.len());
        b.copy_from_slice(s);
        b
    }

    /// Shorten to `len` elements (no-op if already shorter); the memory is
    /// kept.
    pub(crate) fn truncate(&mut self, len: usize) {
        match &mut self.inner {
            Inner::Heap(v) => v.truncate(len),
            #[cfg(target_os = "linux")]
            Inner::Map(m) => m.truncate(len),
        }
    }

    /// Whether the array is its own huge-page-advised mapping.
    #[cfg(test)]
    pub(crate) fn is_mapped(&self) -> bool {
        !matches!(self.inner, Inner::Heap(_))
    }
}

impl<T: Zeroable> Deref for HugeBuf<T> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        match &self.inner {
            Inner::Heap(v) => v,
            #[cfg(target_os = "linux")]
            Inner::Map(m) => m.as_slice(),
        }
    }
}

impl<T: Zeroable> DerefMut for HugeBuf<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.inner {
            Inner::Heap(v) => v,
            #[cfg(target_os = "linux")]
            Inner::Map(m) => m.as_mut_slice(),
        }
    }
}

impl<'a, T: Zeroable> IntoIterator for &'a HugeBuf<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> std::slice::Iter<'a, T> {
        self.iter()
    }
}

impl<T: Zeroable> Default for HugeBuf<T> {
    fn default() -> HugeBuf<T> {
        HugeBuf {
            inner: Inner::Heap(Vec::new()),
        }
    }
}

impl<T: Zeroable> Clone for HugeBuf<T> {
    fn clone(&self) -> HugeBuf<T> {
        HugeBuf::from_slice(self)
    }
}

impl<T: Zeroable> From<Vec<T>> for HugeBuf<T> {
    /// Large vectors are copied into a mapping; small ones are kept.
    fn from(v: Vec<T>) -> HugeBuf<T> {
        if cfg!(target_os = "linux") && v.len().saturating_mul(size_of::<T>()) >= MIN_HUGE {
            HugeBuf::from_slice(&v)
        } else {
            HugeBuf {
                inner: Inner::Heap(v),
            }
        }
    }
}

impl<T: Zeroable + fmt::Debug> fmt::Debug for HugeBuf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: Zeroable + PartialEq> PartialEq for HugeBuf<T> {
    fn eq(&self, o: &HugeBuf<T>) -> bool {
        **self == **o
    }
}

#[cfg(target_os = "linux")]
mod map {
    use super::{Zeroable, HUGE};
    use std::ptr::NonNull;

    /// An anonymous private mapping of `bytes` bytes at a 2 MiB boundary
    /// holding `len` elements (`len * size_of::<T>() <= bytes`), owned.
    pub(super) struct Map<T> {
        ptr: NonNull<T>,
        len: usize,
        bytes: usize,
    }

    // SAFETY: a `Map` owns its memory exclusively (like a `Vec`), and
    // `T: Zeroable` is plain `Send + Sync` data.
    unsafe impl<T: Zeroable> Send for Map<T> {}
    // SAFETY: as above; shared access only reads.
    unsafe impl<T: Zeroable> Sync for Map<T> {}

    impl<T: Zeroable> Map<T> {
        /// `len` zeroed elements, or `None` if the system refuses the mapping.
        pub(super) fn new(len: usize) -> Option<Map<T>> {
            let bytes = len.checked_mul(size_of::<T>())?.checked_add(HUGE - 1)? & !(HUGE - 1);
            if bytes == 0 {
                return None;
            }
            // one huge page of slack, so that an aligned start exists inside
            let total = bytes.checked_add(HUGE)?;
            // SAFETY: a new anonymous private mapping at an address of the
            // kernel's choosing; no existing memory is affected.
            let p = unsafe {
                libc::mmap(
                    std::ptr::null_mut(),
                    total,
                    libc::PROT_READ | libc::PROT_WRITE,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                    -1,
                    0,
                )
            };
            if p == libc::MAP_FAILED {
                return None;
            }
            let addr = p as usize;
            let start = (addr + HUGE - 1) & !(HUGE - 1);
            let head = start - addr;
            let tail = total - head - bytes;
            // SAFETY: both ranges are page-aligned (mmap returns page-aligned
            // addresses, HUGE and `bytes` are multiples of the page size), lie
            // inside the mapping just made, and nothing refers to them.
            unsafe {
                if head > 0 {
                    libc::munmap(p, head);
                }
                if tail > 0 {
                    libc::munmap((start + bytes) as *mut libc::c_void, tail);
                }
            }
            // SAFETY: [start, start + bytes) is our mapping; madvise only
            // changes how it is paged. It is advised before any page is
            // touched, so the first faults can allocate 2 MiB pages. A
            // failure (THP not built in or disabled) leaves ordinary pages.
            unsafe {
                libc::madvise(start as *mut libc::c_void, bytes, libc::MADV_HUGEPAGE);
            }
            Some(Map {
                ptr: NonNull::new(start as *mut T)?,
                len,
                bytes,
            })
        }

        #[inline(always)]
        pub(super) fn as_slice(&self) -> &[T] {
            // SAFETY: `ptr` is 2 MiB-aligned (so aligned for T), valid for
            // `bytes >= len * size_of::<T>()` bytes, zero-filled by the kernel
            // or written as T since (zero bytes are a valid T), and owned by
            // `self`, borrowed shared here.
            unsafe { std::slice::from_raw_parts(self.ptr.as_ptr(), self.len) }
        }

        #[inline(always)]
        pub(super) fn as_mut_slice(&mut self) -> &mut [T] {
            // SAFETY: as in `as_slice`; `&mut self` makes the borrow unique.
            unsafe { std::slice::from_raw_parts_mut(self.ptr.as_ptr(), self.len) }
        }

        pub(super) fn truncate(&mut self, len: usize) {
            self.len = self.len.min(len);
        }
    }

    impl<T> Drop for Map<T> {
        fn drop(&mut self) {
            // SAFETY: exactly the range mapped in `Map::new`, no longer
            // referenced (the slices borrowed from `self` have ended).
            unsafe {
                libc::munmap(self.ptr.as_ptr().cast(), self.bytes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_is_zero_and_writable_at_every_size() {
        for len in [
            0usize,
            1,
            1000,
            MIN_HUGE / 8 - 1,
            MIN_HUGE / 8,
            300_001,
            1 << 20,
        ] {
            let mut b = HugeBuf::<u64>::zeroed(len);
            assert_eq!(b.len(), len);
            assert!(b.iter().all(|&x| x == 0));
            for (i, x) in b.iter_mut().enumerate() {
                *x = i as u64 * 3 + 1;
            }
            let c = b.clone();
            assert_eq!(c.len(), len);
            assert!(c.iter().enumerate().all(|(i, &x)| x == i as u64 * 3 + 1));
            #[cfg(target_os = "linux")]
            assert_eq!(b.is_mapped(), len * 8 >= MIN_HUGE, "len {len}");
            if b.is_mapped() {
                assert_eq!(b.as_ptr() as usize % (2 << 20), 0);
            }
        }
    }

    #[test]
    fn from_vec_and_truncate_keep_contents() {
        let v: Vec<i16> = (0..700_000).map(|i| (i % 30_000) as i16 - 15_000).collect();
        let mut b = HugeBuf::from(v.clone());
        assert_eq!(&*b, &v[..]);
        b.truncate(123_456);
        assert_eq!(&*b, &v[..123_456]);
        let s = HugeBuf::from(vec![5u32; 10]);
        assert_eq!(&*s, &[5u32; 10][..]);
        assert!(!s.is_mapped());
    }
}
