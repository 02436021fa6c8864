//! Small, fast, deterministic hashing used for feature keys.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// Final avalanche (murmur3 fmix64).
#[inline(always)]
pub(crate) fn fmix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Combine a value into a running hash (FxHash style).
#[inline(always)]
pub(crate) const fn comb(h: u64, v: u64) -> u64 {
    (h.rotate_left(5) ^ v).wrapping_mul(K)
}

/// Finish a feature key: avalanche and make it non-zero (0 marks empty slots).
#[inline(always)]
pub(crate) fn finish(h: u64) -> u64 {
    fmix(h).max(1)
}

#[inline(always)]
pub(crate) fn f1(t: u32, a: u64) -> u64 {
    finish(comb(comb(0x51, t as u64), a))
}
#[inline(always)]
pub(crate) fn f2(t: u32, a: u64, b: u64) -> u64 {
    finish(comb(comb(comb(0x51, t as u64), a), b))
}
#[inline(always)]
pub(crate) fn f3(t: u32, a: u64, b: u64, c: u64) -> u64 {
    finish(comb(comb(comb(comb(0x51, t as u64), a), b), c))
}
#[inline(always)]
pub(crate) fn f4(t: u32, a: u64, b: u64, c: u64, d: u64) -> u64 {
    finish(comb(comb(comb(comb(comb(0x51, t as u64), a), b), c), d))
}

/// Hash of a byte string.
pub(crate) fn bytes(s: &[u8]) -> u64 {
    let mut h = 0x2545_f491_4f6c_dd1d_u64;
    for &b in s {
        h = comb(h, b as u64);
    }
    fmix(h ^ s.len() as u64)
}

/// Hash of a string with a domain tag, so that the same text in different roles differs.
pub(crate) fn str_tagged(tag: u64, s: &str) -> u64 {
    fmix(comb(bytes(s.as_bytes()), tag))
}
