//! Kernels of the sparse classifiers ([`crate::table::Sparse`]): adding
//! entry runs (`class << 16 | i16`) and dense i16 rows into a 256-slot i32
//! accumulator, the argmax of the sums and the early-exit margin test.
//!
//! The portable functions are the reference and the fallback; on x86_64 the
//! dense rows, argmax and margin passes also exist compiled for AVX2 and for
//! AVX-512 (F + BW + VL), chosen once per process ([`Kern::detected`],
//! stored in each table). Integer arithmetic, so every kernel set gives the
//! same results bit for bit (tests at the end of this file).

/// Which kernel set a table uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kern {
    /// Portable code (the reference).
    Scalar,
    /// x86_64 with AVX2: 8-wide dense rows, wider argmax / margin passes.
    #[cfg(target_arch = "x86_64")]
    Avx2(Detected),
    /// x86_64 with AVX-512 F, BW and VL: 16-wide dense rows and passes.
    #[cfg(target_arch = "x86_64")]
    Avx512(Detected),
}

/// Proof that the CPU was checked for a kernel set's features: only
/// [`Kern::available`] can make one (the field is private to this module),
/// so holding a `Kern::Avx2` / `Kern::Avx512` means the features are there.
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Detected(());

impl Kern {
    /// The best kernel set this CPU supports (detected once per process).
    pub(crate) fn detected() -> Kern {
        static K: std::sync::OnceLock<Kern> = std::sync::OnceLock::new();
        *K.get_or_init(|| Kern::available().pop().unwrap_or(Kern::Scalar))
    }

    /// All kernel sets this CPU can run, best last.
    pub(crate) fn available() -> Vec<Kern> {
        #[cfg_attr(not(target_arch = "x86_64"), allow(unused_mut))]
        let mut v = vec![Kern::Scalar];
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx2") {
                v.push(Kern::Avx2(Detected(())));
            }
            if std::is_x86_feature_detected!("avx512f")
                && std::is_x86_feature_detected!("avx512bw")
                && std::is_x86_feature_detected!("avx512vl")
            {
                v.push(Kern::Avx512(Detected(())));
            }
        }
        v
    }
}

/// `len` value of a run that is a dense row (see `table::DENSE`).
const DENSE: usize = 0xFF;

/// Add the runs `runs` (`offset << 8 | len`; `len` [`DENSE`] = dense row
/// `offset` of `dense`, stride `dc`, a multiple of 8) into `acc`: each
/// entry adds its i16 weight to `acc[class as u8]`, a dense row its weights
/// to `acc[..dc]` (with the kernel set `k`); runs out of range are skipped.
/// Integer additions, so every kernel set gives the same sums.
#[inline(always)]
pub(crate) fn add_runs(
    k: Kern,
    ents: &[u32],
    dense: &[i16],
    dc: usize,
    runs: &[u64],
    acc: &mut [i32; 256],
) {
    let dc = dc.min(256);
    for &r in runs {
        let (off, len) = ((r >> 8) as usize, (r & 0xFF) as usize);
        if len == DENSE {
            if let Some(row) = dense.get(off * dc..off * dc + dc) {
                add_dense(k, row, acc);
            }
        } else if let Some(es) = ents.get(off..off + len) {
            add_sparse(es, acc);
        }
    }
}

/// Add the dense row `row` (length a multiple of 8, at most 256 used) into
/// `acc[..row.len()]`.
#[inline(always)]
fn add_dense(k: Kern, row: &[i16], acc: &mut [i32; 256]) {
    match k {
        Kern::Scalar => add_dense_scalar(row, acc),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a `Kern::Avx2` holds a `Detected`, which only
        // `Kern::available` makes, after `is_x86_feature_detected!("avx2")`.
        Kern::Avx2(_) => unsafe { x86::add_dense_avx2(row, acc) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a `Kern::Avx512` holds a `Detected`, which only
        // `Kern::available` makes, after detecting AVX-512 F, BW and VL.
        Kern::Avx512(_) => unsafe { x86::add_dense_avx512(row, acc) },
    }
}

/// [`add_dense`] in portable code (8-wide chunks, vectorized by the
/// compiler for the baseline instruction set).
#[inline(always)]
fn add_dense_scalar(row: &[i16], acc: &mut [i32; 256]) {
    for (a8, w8) in acc.chunks_exact_mut(8).zip(row.chunks_exact(8)) {
        for (a, &w) in a8.iter_mut().zip(w8) {
            *a += w as i32;
        }
    }
}

/// Add the entries `es` (`class << 16 | i16`) into `acc[class as u8]`.
/// Portable: a gather / add / scatter version (AVX-512, 16 entries at a
/// time) was slower, see NOTES.md.
#[inline(always)]
fn add_sparse(es: &[u32], acc: &mut [i32; 256]) {
    #[cfg(target_endian = "little")]
    {
        // SAFETY: the memory of `es` (valid, initialised, 4-byte aligned)
        // is read as twice as many u16, which have no invalid values and
        // need 2-byte alignment; the view borrows `es` for its lifetime.
        let h: &[u16] = unsafe { core::slice::from_raw_parts(es.as_ptr().cast(), es.len() * 2) };
        // little-endian: h[2i] is entry i's weight, h[2i + 1] its class, so
        // the class byte is loaded directly (no shift or mask)
        for p in h.chunks_exact(2) {
            acc[p[1] as u8 as usize] += p[0] as i16 as i32;
        }
    }
    #[cfg(not(target_endian = "little"))]
    for &e in es {
        acc[(e >> 16) as u8 as usize] += (e as u16 as i16) as i32;
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::*;

    /// `super::add_dense` with 8-wide AVX2 widening adds.
    #[target_feature(enable = "avx2")]
    pub(super) fn add_dense_avx2(row: &[i16], acc: &mut [i32; 256]) {
        let n = row.len().min(256) / 8;
        for i in 0..n {
            // SAFETY: `8 * i + 8 <= row.len()` and `<= 256 = acc.len()`, so
            // the unaligned 16-byte load and 32-byte load / store stay inside
            // `row` and `acc`; AVX2 is enabled for this function.
            unsafe {
                let w = _mm256_cvtepi16_epi32(_mm_loadu_si128(row.as_ptr().add(8 * i).cast()));
                let p = acc.as_mut_ptr().add(8 * i).cast::<__m256i>();
                _mm256_storeu_si256(p, _mm256_add_epi32(_mm256_loadu_si256(p), w));
            }
        }
    }

    /// `super::add_dense` with 16-wide AVX-512 widening adds (and one
    /// 8-wide tail).
    #[target_feature(enable = "avx512f,avx512bw,avx512vl")]
    pub(super) fn add_dense_avx512(row: &[i16], acc: &mut [i32; 256]) {
        let n = row.len().min(256);
        let mut i = 0;
        while i + 16 <= n {
            // SAFETY: `i + 16 <= row.len()` and `<= 256 = acc.len()`: the
            // 32-byte load and the 64-byte load / store stay in bounds;
            // AVX-512 F is enabled for this function.
            unsafe {
                let w = _mm512_cvtepi16_epi32(_mm256_loadu_si256(row.as_ptr().add(i).cast()));
                let p = acc.as_mut_ptr().add(i).cast::<__m512i>();
                _mm512_storeu_si512(p, _mm512_add_epi32(_mm512_loadu_si512(p), w));
            }
            i += 16;
        }
        if i + 8 <= n {
            // SAFETY: as above with 8 lanes (`i + 8 <= row.len() <= 256`).
            unsafe {
                let w = _mm256_cvtepi16_epi32(_mm_loadu_si128(row.as_ptr().add(i).cast()));
                let p = acc.as_mut_ptr().add(i).cast::<__m256i>();
                _mm256_storeu_si256(p, _mm256_add_epi32(_mm256_loadu_si256(p), w));
            }
        }
    }

    /// `super::first_eq` with 8-wide compares: one compare and one mask
    /// extraction per 8 values (the portable version builds its block mask
    /// one value at a time, which LLVM does not vectorize).
    #[target_feature(enable = "avx2")]
    pub(super) fn first_eq_avx2(v: &[i32], m: i32) -> Option<usize> {
        let mv = _mm256_set1_epi32(m);
        super::first_eq_by::<8>(v, m, |b| {
            // SAFETY: `b` is 8 values (32 bytes), all read by the unaligned
            // load; AVX2 is enabled for this function (and its closures).
            unsafe {
                let x = _mm256_loadu_si256(b.as_ptr().cast());
                _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(x, mv))) as u32
            }
        })
    }

    /// `super::first_eq` with 16-wide compares into a mask register.
    #[target_feature(enable = "avx512f,avx512bw,avx512vl")]
    pub(super) fn first_eq_avx512(v: &[i32], m: i32) -> Option<usize> {
        let mv = _mm512_set1_epi32(m);
        super::first_eq_by::<16>(v, m, |b| {
            // SAFETY: `b` is 16 values (64 bytes), all read by the unaligned
            // load; AVX-512 F is enabled for this function (and its closures).
            unsafe {
                u32::from(_mm512_cmpeq_epi32_mask(
                    _mm512_loadu_si512(b.as_ptr().cast()),
                    mv,
                ))
            }
        })
    }

    /// `super::argmax` for AVX-512 (F, BW, VL): the maximum pass compiled
    /// for 16 lanes, then [`first_eq_avx512`].
    #[target_feature(enable = "avx512f,avx512bw,avx512vl")]
    pub(super) fn argmax_avx512(v: &[i32]) -> usize {
        first_eq_avx512(v, super::max_of(v)).unwrap_or(0)
    }

    /// `super::argmax` for AVX2: the maximum pass compiled for 8 lanes,
    /// then [`first_eq_avx2`].
    #[target_feature(enable = "avx2")]
    pub(super) fn argmax_avx2(v: &[i32]) -> usize {
        first_eq_avx2(v, super::max_of(v)).unwrap_or(0)
    }

    /// `table::leads_by` compiled for AVX-512 (F, BW, VL), its index
    /// search by [`first_eq_avx512`].
    #[target_feature(enable = "avx512f,avx512bw,avx512vl")]
    pub(super) fn leads_by_avx512(v: &mut [i32], skip: usize, margin: u32) -> Option<usize> {
        // (the closure inherits this function's target features)
        crate::table::leads_by_with(v, skip, margin, |v, m| first_eq_avx512(v, m))
    }

    /// `table::leads_by` compiled for AVX2, its index search by
    /// [`first_eq_avx2`].
    #[target_feature(enable = "avx2")]
    pub(super) fn leads_by_avx2(v: &mut [i32], skip: usize, margin: u32) -> Option<usize> {
        // (the closure inherits this function's target features)
        crate::table::leads_by_with(v, skip, margin, |v, m| first_eq_avx2(v, m))
    }
}

/// First index of the maximum of `v` (0 when empty) with the kernel set `k`.
#[inline(always)]
pub(crate) fn argmax(k: Kern, v: &[i32]) -> usize {
    match k {
        Kern::Scalar => argmax_body(v),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: AVX2 was detected (see `add_dense`).
        Kern::Avx2(_) => unsafe { x86::argmax_avx2(v) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: AVX-512 F, BW and VL were detected (see `add_dense`).
        Kern::Avx512(_) => unsafe { x86::argmax_avx512(v) },
    }
}

/// First index of the maximum of `v` (0 when empty): the maximum in one
/// vectorizable pass, then [`first_eq`].
#[inline(always)]
fn argmax_body(v: &[i32]) -> usize {
    first_eq(v, max_of(v)).unwrap_or(0)
}

/// The maximum of `v` (`i32::MIN` when empty), in one vectorizable pass.
#[inline(always)]
fn max_of(v: &[i32]) -> i32 {
    v.iter().copied().fold(i32::MIN, i32::max)
}

/// The first index of `m` in `v`: the first block of 16 holding it is found
/// by its bit mask (built one value at a time here; the AVX2 / AVX-512
/// kernels have their own vector index search), the index within the block
/// with a trailing-zero count.
#[inline(always)]
pub(crate) fn first_eq(v: &[i32], m: i32) -> Option<usize> {
    first_eq_by::<16>(v, m, |b| {
        b.iter()
            .enumerate()
            .fold(0u32, |bits, (j, &x)| bits | (u32::from(x == m) << j))
    })
}

/// The first index of `m` in `v`, `W` values at a time: `eq(block)` gives
/// the equality bit mask of a block's `W` values (bit j = value j), the
/// index within a block is its trailing-zero count, and the last `< W`
/// values are scanned.
#[inline(always)]
fn first_eq_by<const W: usize>(v: &[i32], m: i32, eq: impl Fn(&[i32; W]) -> u32) -> Option<usize> {
    let mut blocks = v.chunks_exact(W);
    let mut base = 0;
    for b in &mut blocks {
        let bits = b.try_into().map_or(0, &eq);
        if bits != 0 {
            return Some(base + bits.trailing_zeros() as usize);
        }
        base += W;
    }
    blocks
        .remainder()
        .iter()
        .position(|&x| x == m)
        .map(|p| base + p)
}

/// `table::leads_by` with the kernel set `k` (the same function compiled
/// for wider vectors).
#[inline(always)]
pub(crate) fn leads_by(k: Kern, v: &mut [i32], skip: usize, margin: u32) -> Option<usize> {
    match k {
        Kern::Scalar => crate::table::leads_by(v, skip, margin),
        #[cfg(target_arch = "x86_64")]
        // SAFETY: AVX2 was detected (see `add_dense`).
        Kern::Avx2(_) => unsafe { x86::leads_by_avx2(v, skip, margin) },
        #[cfg(target_arch = "x86_64")]
        // SAFETY: AVX-512 F, BW and VL were detected (see `add_dense`).
        Kern::Avx512(_) => unsafe { x86::leads_by_avx512(v, skip, margin) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One entry / one weight at a time: the reference for [`add_runs`].
    fn add_runs_ref(ents: &[u32], dense: &[i16], dc: usize, runs: &[u64], acc: &mut [i32; 256]) {
        for &r in runs {
            let (off, len) = ((r >> 8) as usize, (r & 0xFF) as usize);
            if len == DENSE {
                if off * dc + dc <= dense.len() {
                    for j in 0..dc.min(256) {
                        acc[j] += i32::from(dense[off * dc + j]);
                    }
                }
            } else if off + len <= ents.len() {
                for &e in &ents[off..off + len] {
                    acc[((e >> 16) & 0xFF) as usize] += i32::from(e as u16 as i16);
                }
            }
        }
    }

    fn weight(rng: &mut crate::Rng) -> i16 {
        match rng.next_u64() % 6 {
            0 => i16::MIN,
            1 => i16::MAX,
            2 => -1,
            _ => rng.next_u64() as i16,
        }
    }

    /// Random runs (extreme weights, classes ≥ 256 that wrap as u8, repeated
    /// classes, dense rows of every stride, runs out of range) give the
    /// reference sums with every kernel set this CPU can run.
    #[test]
    fn kernels_add_runs_like_the_reference() {
        let mut rng = crate::Rng::new(31);
        let kerns = Kern::available();
        for round in 0..3000u64 {
            let dc = 8 * (1 + (rng.next_u64() % 32) as usize);
            let mut ents = Vec::new();
            let mut runs = Vec::new();
            for _ in 0..(round % 40) {
                let len = (rng.next_u64() % 255) as usize;
                let off = ents.len();
                for _ in 0..len {
                    let cl = (rng.next_u64() % 300) as u32;
                    ents.push((cl << 16) | weight(&mut rng) as u16 as u32);
                }
                runs.push(((off as u64) << 8) | len as u64);
            }
            let nd = (rng.next_u64() % 4) as usize;
            let dense: Vec<i16> = (0..nd * dc).map(|_| weight(&mut rng)).collect();
            for d in 0..=nd {
                // the last one is out of range: skipped
                runs.push(((d as u64) << 8) | DENSE as u64);
            }
            runs.push(((ents.len() as u64) << 8) | 3);
            let j = (rng.next_u64() as usize) % runs.len();
            runs.swap(0, j);
            let mut start = [0i32; 256];
            for a in start.iter_mut() {
                *a = (rng.next_u64() % 2_000_001) as i32 - 1_000_000;
            }
            let mut want = start;
            add_runs_ref(&ents, &dense, dc, &runs, &mut want);
            for &k in &kerns {
                let mut got = start;
                add_runs(k, &ents, &dense, dc, &runs, &mut got);
                assert_eq!(got, want, "{k:?} round {round} dc {dc}");
            }
        }
    }

    /// The longest sums a classifier can make: 32 full-length runs and
    /// 256-wide dense rows of ±32767 / -32768 in every class.
    #[test]
    fn kernels_add_extreme_runs_like_the_reference() {
        for wv in [i16::MIN, i16::MAX, -1, 1] {
            let ents: Vec<u32> = (0..250u32)
                .map(|cl| (cl << 16) | wv as u16 as u32)
                .collect();
            let dense = vec![wv; 256 * 2];
            let runs: Vec<u64> = (0..32)
                .map(|i| {
                    if i % 2 == 0 {
                        250
                    } else {
                        (1 << 8) | DENSE as u64
                    }
                })
                .collect();
            let mut want = [0i32; 256];
            add_runs_ref(&ents, &dense, 256, &runs, &mut want);
            assert_eq!(want[0], 32 * i32::from(wv));
            for k in Kern::available() {
                let mut got = [0i32; 256];
                add_runs(k, &ents, &dense, 256, &runs, &mut got);
                assert_eq!(got, want, "{k:?} {wv}");
            }
        }
    }

    /// [`argmax`] is the first index of the maximum, like a scalar scan,
    /// on random sums with ties and extremes, for every kernel set.
    #[test]
    fn kernels_argmax_like_a_scan() {
        let mut rng = crate::Rng::new(41);
        let kerns = Kern::available();
        for round in 0..20_000usize {
            let n = round % 257;
            let v = rng.scores(n, 1000);
            let mut want = 0;
            for (i, &x) in v.iter().enumerate() {
                if x > v[want] {
                    want = i;
                }
            }
            for &k in &kerns {
                assert_eq!(argmax(k, &v), want, "{k:?} {v:?}");
            }
        }
    }

    /// [`leads_by`] with every kernel set (the portable one is
    /// `table::leads_by`) equals the exact top-two margin test, with and
    /// without a skipped class, on random sums with ties and extremes, and
    /// leaves the sums unchanged.
    #[test]
    fn kernels_leads_by_equal_top2_margin() {
        let mut rng = crate::Rng::new(43);
        let kerns = Kern::available();
        for round in 0..20_000usize {
            let n = 1 + round % 256;
            let mut v = rng.scores(n, 100_000);
            let skip = if round % 3 == 0 {
                usize::MAX
            } else {
                (rng.next_u64() % n as u64) as usize
            };
            let before = v.clone();
            let (best, m) = crate::table::top2(&v, skip);
            for th in [1u32, 2, 1000, 30_000, 100_000, u32::MAX] {
                let want = (m >= th && (0..n).any(|i| i != skip)).then_some(best);
                for &k in &kerns {
                    assert_eq!(
                        leads_by(k, &mut v, skip, th),
                        want,
                        "{k:?} {v:?} {skip} {th}"
                    );
                    assert_eq!(v, before);
                }
            }
        }
    }

    /// The vector index searches find the first occurrence, like a scan,
    /// at every position and slice length (matches in the vector blocks
    /// and in the tail, several matches, none).
    #[test]
    fn kernels_first_eq_like_a_scan() {
        let mut rng = crate::Rng::new(47);
        for round in 0..20_000usize {
            let n = round % 70;
            let v = rng.scores(n, 5);
            for m in -6..=6 {
                let want = v.iter().position(|&x| x == m);
                assert_eq!(first_eq(&v, m), want, "{v:?} {m}");
                #[cfg(target_arch = "x86_64")]
                for k in Kern::available() {
                    // SAFETY: each kernel is called only when `available`
                    // detected its features.
                    let got = match k {
                        Kern::Scalar => first_eq(&v, m),
                        Kern::Avx2(_) => unsafe { x86::first_eq_avx2(&v, m) },
                        Kern::Avx512(_) => unsafe { x86::first_eq_avx512(&v, m) },
                    };
                    assert_eq!(got, want, "{k:?} {v:?} {m}");
                }
            }
        }
    }

    /// Detection picks one of the kernel sets the tests cover.
    #[test]
    fn detected_kernels_are_tested() {
        assert!(Kern::available().contains(&Kern::detected()));
    }
}
