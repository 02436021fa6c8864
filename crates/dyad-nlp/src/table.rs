//! Feature weight tables: open addressing from 64-bit feature keys to
//! class-contiguous weight rows, plus an averaged-perceptron trainer.

use crate::huge::HugeBuf;
use crate::kern::Kern;

/// A trained (or training) weight table. Keys are non-zero 64-bit feature
/// hashes; each key owns one row of `c` weights laid out contiguously.
#[derive(Clone, Debug)]
pub(crate) struct Table {
    pub(crate) c: usize,
    pub(crate) mask: usize,
    pub(crate) keys: Vec<u64>,
    pub(crate) rows: Vec<u32>,
    pub(crate) w: Vec<f32>,
    pub(crate) nrows: usize,
    /// Per row: how often the feature fired after the row was created
    /// (training only; used to drop rare features from the saved model).
    pub(crate) hits: Vec<u32>,
}

#[inline(always)]
fn home(key: u64, mask: usize) -> usize {
    (key >> 17) as usize & mask
}

impl Table {
    pub(crate) fn new(c: usize, cap_log2: u32) -> Table {
        let cap = 1usize << cap_log2;
        Table {
            c,
            mask: cap - 1,
            keys: vec![0; cap],
            rows: vec![0; cap],
            w: Vec::new(),
            nrows: 0,
            hits: Vec::new(),
        }
    }

    /// Row index of `key`, if present.
    #[inline(always)]
    pub(crate) fn find(&self, key: u64) -> Option<usize> {
        let mut i = home(key, self.mask);
        loop {
            // SAFETY-free indexing: `i` is always masked into range.
            let k = self.keys[i];
            if k == key {
                return Some(self.rows[i] as usize);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    pub(crate) fn find_or_insert(&mut self, key: u64) -> usize {
        if (self.nrows + 1) * 2 > self.keys.len() {
            self.grow();
        }
        let mut i = home(key, self.mask);
        loop {
            let k = self.keys[i];
            if k == key {
                return self.rows[i] as usize;
            }
            if k == 0 {
                self.keys[i] = key;
                let r = self.nrows;
                self.rows[i] = r as u32;
                self.nrows += 1;
                self.w.resize(self.nrows * self.c, 0.0);
                self.hits.push(0);
                return r;
            }
            i = (i + 1) & self.mask;
        }
    }

    fn grow(&mut self) {
        let cap = self.keys.len() * 2;
        let mask = cap - 1;
        let mut keys = vec![0u64; cap];
        let mut rows = vec![0u32; cap];
        for (k, r) in self.keys.iter().zip(&self.rows) {
            if *k == 0 {
                continue;
            }
            let mut i = home(*k, mask);
            while keys[i] != 0 {
                i = (i + 1) & mask;
            }
            keys[i] = *k;
            rows[i] = *r;
        }
        self.keys = keys;
        self.rows = rows;
        self.mask = mask;
    }

    /// Add the rows of all present `feats` into `out` (length `c`).
    #[inline]
    pub(crate) fn score(&self, feats: &[u64], out: &mut [f32]) {
        let c = self.c;
        for &f in feats {
            if let Some(r) = self.find(f) {
                let row = &self.w[r * c..r * c + c];
                for (o, w) in out.iter_mut().zip(row) {
                    *o += *w;
                }
            }
        }
    }
}

/// Averaged perceptron trainer around a [`Table`] (Daumé's trick:
/// averaged w = w - acc / t).
pub(crate) struct Trainer {
    pub(crate) t: Table,
    acc: Vec<f64>,
    time: f64,
}

impl Trainer {
    pub(crate) fn new(c: usize, cap_log2: u32) -> Trainer {
        Trainer {
            t: Table::new(c, cap_log2),
            acc: Vec::new(),
            time: 1.0,
        }
    }

    /// Advance the instance counter (call once per training instance).
    #[inline]
    pub(crate) fn tick(&mut self) {
        self.time += 1.0;
    }

    /// Score like [`Table::score`], counting how often each row fires.
    pub(crate) fn score(&mut self, feats: &[u64], out: &mut [f32]) {
        let c = self.t.c;
        for &f in feats {
            if let Some(r) = self.t.find(f) {
                if let Some(h) = self.t.hits.get_mut(r) {
                    *h = h.saturating_add(1);
                }
                for (o, w) in out.iter_mut().zip(&self.t.w[r * c..r * c + c]) {
                    *o += *w;
                }
            }
        }
    }

    /// Add `delta` to weight (feat, class) for all feats.
    pub(crate) fn update(&mut self, feats: &[u64], class: usize, delta: f32) {
        let c = self.t.c;
        for &f in feats {
            let r = self.t.find_or_insert(f);
            if self.acc.len() < self.t.w.len() {
                self.acc.resize(self.t.w.len(), 0.0);
            }
            let i = r * c + class;
            self.t.w[i] += delta;
            self.acc[i] += self.time * delta as f64;
        }
    }

    /// The averaged weights as a new table.
    pub(crate) fn averaged(&self) -> Table {
        let mut t = self.t.clone();
        let time = self.time;
        for (i, w) in t.w.iter_mut().enumerate() {
            let a = self.acc.get(i).copied().unwrap_or(0.0);
            *w = (*w as f64 - a / time) as f32;
        }
        t
    }
}

/// Index of the maximum among `scores` restricted to `valid` (all if None).
#[inline]
pub(crate) fn argmax(scores: &[f32]) -> usize {
    let mut best = 0;
    let mut bv = f32::NEG_INFINITY;
    for (i, &s) in scores.iter().enumerate() {
        if s > bv {
            bv = s;
            best = i;
        }
    }
    best
}

/// A small open-addressing map from non-zero u64 keys to u32 values.
#[derive(Clone, Debug, Default)]
pub(crate) struct U64Map {
    mask: usize,
    keys: Vec<u64>,
    vals: Vec<u32>,
}

impl U64Map {
    /// Build from pairs (later duplicates are ignored).
    pub(crate) fn from_pairs(pairs: &[(u64, u32)]) -> U64Map {
        let mut cap = 16usize;
        while cap < pairs.len() * 2 {
            cap *= 2;
        }
        let mask = cap - 1;
        let mut keys = vec![0u64; cap];
        let mut vals = vec![0u32; cap];
        for &(k, v) in pairs {
            let k = k.max(1);
            let mut i = home(k, mask);
            loop {
                if keys[i] == 0 {
                    keys[i] = k;
                    vals[i] = v;
                    break;
                }
                if keys[i] == k {
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        U64Map { mask, keys, vals }
    }

    /// Look up a key.
    #[inline]
    pub(crate) fn get(&self, k: u64) -> Option<u32> {
        if self.keys.is_empty() {
            return None;
        }
        let k = k.max(1);
        let mut i = home(k, self.mask);
        loop {
            let kk = self.keys[i];
            if kk == k {
                return Some(self.vals[i]);
            }
            if kk == 0 {
                return None;
            }
            i = (i + 1) & self.mask;
        }
    }

    /// All pairs, in slot order (deterministic).
    pub(crate) fn pairs(&self) -> Vec<(u64, u32)> {
        self.keys
            .iter()
            .zip(&self.vals)
            .filter(|(k, _)| **k != 0)
            .map(|(k, v)| (*k, *v))
            .collect()
    }
}

/// Something that scores feature vectors into per-class sums.
pub(crate) trait Weights {
    /// Number of classes.
    fn classes(&self) -> usize;
    /// Add the weights of `feats` into `out` (length = classes).
    fn score(&self, feats: &[u64], out: &mut [f32]);
}

impl Weights for Table {
    fn classes(&self) -> usize {
        self.c
    }
    #[inline]
    fn score(&self, feats: &[u64], out: &mut [f32]) {
        Table::score(self, feats, out)
    }
}

/// Compact runtime table: open addressing over packed slots
/// (`fingerprint << 32 | offset << 8 | len`), each pointing at a run of
/// sparse entries (`class << 16 | i16 weight`). Weights are quantized to
/// i16 with one scale per table; argmax does not need the scale.
///
/// At load time ([`Sparse::densify`]) long runs are also copied into dense
/// i16 rows (`len` field [`DENSE`], offset = dense row number) so that
/// scoring them is a vectorized add instead of a scatter; `dsrc` keeps the
/// original slot word so the file is written back unchanged.
#[derive(Clone, Debug)]
pub(crate) struct Sparse {
    pub(crate) c: usize,
    pub(crate) mask: usize,
    pub(crate) slots: HugeBuf<u64>,
    pub(crate) ents: HugeBuf<u32>,
    pub(crate) scale: f32,
    /// Dense rows, `dc` weights each (class order, zero padded).
    pub(crate) dense: HugeBuf<i16>,
    /// Dense row stride: `c` rounded up to a multiple of 8.
    pub(crate) dc: usize,
    /// Per dense row: the slot word it replaced.
    pub(crate) dsrc: Vec<u64>,
    /// The kernels that add entry runs and dense rows (same sums).
    pub(crate) kern: Kern,
}

/// `len` value of a slot whose row is dense (real runs have len ≤ c ≤ 250).
pub(crate) const DENSE: u64 = 0xFF;

/// Maximum number of entries a [`Sparse`] table can address.
pub(crate) const MAX_ENTS: usize = 1 << 24;

#[inline(always)]
fn sp_fp(key: u64) -> u64 {
    (key >> 32) | 1
}

impl Sparse {
    /// Quantize and prune a trained table: weights with |w| < `min_abs`
    /// or a quantized magnitude below `min_q` are dropped, rows left empty
    /// disappear.
    pub(crate) fn from_table(t: &Table, min_abs: f32, min_hits: u32, min_q: u16) -> Sparse {
        let c = t.c;
        let maxabs = t.w.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if maxabs > 0.0 { maxabs / 32767.0 } else { 1.0 };
        let mut rows: Vec<(u64, usize, usize)> = Vec::new();
        let mut ents: Vec<u32> = Vec::new();
        for (slot, &k) in t.keys.iter().enumerate() {
            if k == 0 {
                continue;
            }
            let r = t.rows[slot] as usize;
            if t.hits.get(r).is_some_and(|&h| h < min_hits) {
                continue;
            }
            let start = ents.len();
            for (cl, &w) in t.w[r * c..r * c + c].iter().enumerate() {
                let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                if w.abs() >= min_abs && q != 0 && q.unsigned_abs() >= min_q {
                    ents.push(((cl as u32) << 16) | (q as u16 as u32));
                }
            }
            if ents.len() > start {
                if ents.len() > MAX_ENTS {
                    ents.truncate(start);
                    break;
                }
                rows.push((k, start, ents.len() - start));
            }
        }
        let mut cap = 16usize;
        while cap < rows.len() * 2 {
            cap *= 2;
        }
        let mask = cap - 1;
        let mut slots = HugeBuf::zeroed(cap);
        for (k, off, len) in rows {
            let mut i = k as usize & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (sp_fp(k) << 32) | ((off as u64) << 8) | len as u64;
        }
        Sparse::new(c, mask, slots, ents.into(), scale)
    }

    /// Assemble a table from its file parts and build the dense rows.
    pub(crate) fn new(
        c: usize,
        mask: usize,
        slots: HugeBuf<u64>,
        ents: HugeBuf<u32>,
        scale: f32,
    ) -> Sparse {
        let occ: Vec<usize> = (0..slots.len()).filter(|&i| slots[i] != 0).collect();
        Sparse::with_occupied(c, mask, slots, ents, scale, &occ)
    }

    /// [`Sparse::new`] given the indices of the occupied slots, ascending
    /// (the loader has them: it need not scan the empty slots again).
    pub(crate) fn with_occupied(
        c: usize,
        mask: usize,
        slots: HugeBuf<u64>,
        ents: HugeBuf<u32>,
        scale: f32,
        occ: &[usize],
    ) -> Sparse {
        let mut t = Sparse {
            c,
            mask,
            slots,
            ents,
            scale,
            dense: HugeBuf::default(),
            dc: c.div_ceil(8) * 8,
            dsrc: Vec::new(),
            kern: Kern::detected(),
        };
        t.densify(occ);
        t
    }

    /// Copy runs of at least half of the classes (never more bytes) into dense rows
    /// (only for ≤ 256 classes; scores are unchanged, see `add_i32`), visiting
    /// the slots `occ` in order.
    fn densify(&mut self, occ: &[usize]) {
        if self.c > 256 || self.c == 0 {
            return;
        }
        let dc = self.dc;
        let long = |s: u64| {
            let len = (s & 0xFF) as usize;
            s != 0 && len != DENSE as usize && len * 2 >= self.c
        };
        let rows = occ
            .iter()
            .filter(|&&i| self.slots.get(i).is_some_and(|&s| long(s)))
            .count();
        // all rows at once, zeroed (a huge-page mapping when large)
        self.dense = HugeBuf::zeroed(rows.saturating_mul(dc));
        self.dsrc.reserve_exact(rows);
        for &i in occ {
            let Some(s) = self.slots.get_mut(i) else {
                continue;
            };
            let len = (*s & 0xFF) as usize;
            if *s == 0 || len == DENSE as usize || len * 2 < self.c {
                continue;
            }
            let off = ((*s >> 8) & 0xFF_FFFF) as usize;
            let row = self.dsrc.len();
            let Some(es) = self.ents.get(off..off + len) else {
                continue;
            };
            if row >= 1 << 24 {
                break;
            }
            let Some(dr) = self.dense.get_mut(row * dc..(row + 1) * dc) else {
                break;
            };
            for &e in es {
                if let Some(d) = dr.get_mut((e >> 16) as usize) {
                    *d = d.wrapping_add(e as u16 as i16);
                }
            }
            self.dsrc.push(*s);
            *s = (*s & !0xFFFF_FFFF) | ((row as u64) << 8) | DENSE;
        }
        // rows skipped above (bad entry range, row limit) leave no gap
        self.dense.truncate(self.dsrc.len() * dc);
    }

    /// The slot word as stored in the file (dense rows map back to their run).
    #[inline]
    pub(crate) fn file_slot(&self, s: u64) -> u64 {
        if s & 0xFF == DENSE {
            self.dsrc
                .get(((s >> 8) & 0xFF_FFFF) as usize)
                .copied()
                .unwrap_or(s)
        } else {
            s
        }
    }
}

impl Sparse {
    /// Prefetch the home slot of key `k`.
    #[inline(always)]
    pub(crate) fn prefetch_home(&self, k: u64) {
        if let Some(s) = self.slots.get(k as usize & self.mask) {
            prefetch(s);
        }
    }

    /// Resolve a key to its (offset, len) run of entries.
    #[inline(always)]
    fn lookup(&self, k: u64) -> Option<(usize, usize)> {
        let fp = sp_fp(k);
        let mut i = k as usize & self.mask;
        loop {
            let s = self.slots[i];
            if s == 0 {
                return None;
            }
            if s >> 32 == fp {
                return Some((((s >> 8) & 0xFF_FFFF) as usize, (s & 0xFF) as usize));
            }
            i = (i + 1) & self.mask;
        }
    }
}

impl Weights for Sparse {
    fn classes(&self) -> usize {
        self.c
    }
    /// Three passes so that the cache misses of different features overlap:
    /// prefetch all home slots, resolve slots (prefetching the entry runs),
    /// then accumulate.
    #[inline]
    fn score(&self, feats: &[u64], out: &mut [f32]) {
        if self.c <= 256 {
            // Sums of i16 stay far below 2^24, so adding them as i32 and
            // converting once gives the same f32 as adding one by one.
            let mut acc = [0i32; 256];
            self.add_i32(feats, &mut acc);
            for (o, &a) in out.iter_mut().zip(acc.iter()) {
                *o += a as f32;
            }
            return;
        }
        for chunk in feats.chunks(RUNS) {
            let mut runs = [0u64; RUNS];
            let nr = self.resolve(chunk, &mut runs);
            for &r in &runs[..nr] {
                let (off, len) = ((r >> 8) as usize, (r & 0xFF) as usize);
                if let Some(es) = self.ents.get(off..off + len) {
                    for &e in es {
                        if let Some(o) = out.get_mut((e >> 16) as usize) {
                            *o += (e as u16 as i16) as f32;
                        }
                    }
                }
            }
        }
    }
}

impl Sparse {
    /// Prefetch the home slots of `chunk` (≤ 64 keys), resolve them to entry
    /// runs `offset << 8 | len` (prefetching each run's start); returns the
    /// number of runs.
    #[inline(always)]
    fn resolve(&self, chunk: &[u64], runs: &mut [u64; RUNS]) -> usize {
        self.resolve_keys(chunk.iter().copied(), runs)
    }

    /// [`Sparse::resolve`] over the keys `keys` yields (the first [`RUNS`]).
    #[inline(always)]
    fn resolve_keys(
        &self,
        keys: impl Iterator<Item = u64> + Clone,
        runs: &mut [u64; RUNS],
    ) -> usize {
        for k in keys.clone() {
            prefetch(&self.slots[k as usize & self.mask]);
        }
        let mut nr = 0;
        for k in keys.take(RUNS) {
            if let Some((off, len)) = self.lookup(k) {
                if len == DENSE as usize {
                    if let Some(d) = self.dense.get(off * self.dc) {
                        prefetch(d);
                    }
                } else if let Some(e) = self.ents.get(off) {
                    prefetch(e);
                }
                runs[nr] = ((off as u64) << 8) | len as u64;
                nr += 1;
            }
        }
        nr
    }

    /// Add the exact integer (quantized) class sums of `feats` into `acc`,
    /// indexed by class (only for tables with at most 256 classes; the loader
    /// guarantees class < c). Integer addition is associative, so partial
    /// sums may be cached and added later with bit-identical results.
    #[inline]
    pub(crate) fn add_i32(&self, feats: &[u64], acc: &mut [i32; 256]) {
        for chunk in feats.chunks(RUNS) {
            let mut runs = [0u64; RUNS];
            let nr = self.resolve(chunk, &mut runs);
            self.add_runs(&runs[..nr], acc);
        }
    }

    /// [`Sparse::add_i32`] of the keys `feats[i]` for `i` in `idx` (an
    /// index out of range gives key 0, which matches no row), without
    /// copying them out first.
    #[inline]
    pub(crate) fn add_i32_idx(&self, feats: &[u64], idx: &[u8], acc: &mut [i32; 256]) {
        for part in idx.chunks(RUNS) {
            let mut runs = [0u64; RUNS];
            let keys = part
                .iter()
                .map(|&i| feats.get(i as usize).copied().unwrap_or(0));
            let nr = self.resolve_keys(keys, &mut runs);
            self.add_runs(&runs[..nr], acc);
        }
    }

    /// Add the entry runs `runs` (from [`Sparse::resolve`]) into `acc`.
    #[inline(always)]
    fn add_runs(&self, runs: &[u64], acc: &mut [i32; 256]) {
        crate::kern::add_runs(self.kern, &self.ents, &self.dense, self.dc, runs, acc);
    }
}

/// Early-exit rule of one classifier (model data, calibrated on dev data
/// when the model is saved, see `train::calibrate_exits`). The context
/// templates `first` are looked up first; when the best class then leads
/// the second by at least `threshold` (quantized units), the remaining
/// templates `rest` are not looked up. `threshold` 0 = never exit (the
/// full sums, as without the rule).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Exit {
    pub(crate) threshold: u32,
    /// Template indices (into the classifier's feature array) of stage 1.
    pub(crate) first: Vec<u8>,
    /// The other context templates, in template order.
    pub(crate) rest: Vec<u8>,
}

impl Exit {
    /// A rule over the context templates `ctx` (all of them when it is off).
    pub(crate) fn new(threshold: u32, first: Vec<u8>, ctx: &[u8]) -> Exit {
        let rest = ctx.iter().copied().filter(|t| !first.contains(t)).collect();
        Exit {
            threshold,
            first,
            rest,
        }
    }

    /// No early exit, all of `ctx` in one stage.
    pub(crate) fn off(ctx: &[u8]) -> Exit {
        Exit::new(0, Vec::new(), ctx)
    }

    /// Add the stage-1 sums of `feats` into `acc`; `Some(best class)` when
    /// its margin reaches the threshold (class `skip` never counts), `None`
    /// when the caller must add [`Exit::add_rest`] and decide on the full sums.
    #[inline]
    pub(crate) fn stage1(
        &self,
        t: &Sparse,
        feats: &[u64],
        acc: &mut [i32; 256],
        c: usize,
        skip: usize,
    ) -> Option<usize> {
        if self.first.is_empty() {
            return None;
        }
        if self.threshold != 0 {
            // the stage-2 slots are wanted unless stage 1 decides: have
            // them in flight meanwhile
            for &i in &self.rest {
                if let Some(&k) = feats.get(i as usize) {
                    t.prefetch_home(k);
                }
            }
        }
        t.add_i32_idx(feats, &self.first, acc);
        if self.threshold == 0 {
            return None;
        }
        crate::kern::leads_by(t.kern, &mut acc[..c.min(256)], skip, self.threshold)
    }

    /// Add the sums of the stage-2 templates of `feats` into `acc`.
    #[inline]
    pub(crate) fn add_rest(&self, t: &Sparse, feats: &[u64], acc: &mut [i32; 256]) {
        t.add_i32_idx(feats, &self.rest, acc);
    }
}

/// `Some(first maximum of v)` when it exceeds every other value by at least
/// `margin` ≥ 1 (index `skip` does not count), i.e. when
/// `top2(v, skip).1 >= margin`; `v` is left unchanged. Two vectorizable
/// passes (maximum, count of values within the margin) and a block search
/// for the index only when the answer is yes (`kern::leads_by` runs this
/// compiled for wider vectors).
#[inline(always)]
pub(crate) fn leads_by(v: &mut [i32], skip: usize, margin: u32) -> Option<usize> {
    leads_by_with(v, skip, margin, crate::kern::first_eq)
}

/// [`leads_by`] with the index search `first_eq` (which must return the
/// first index of a value in a slice, like `kern::first_eq`).
#[inline(always)]
pub(crate) fn leads_by_with(
    v: &mut [i32],
    skip: usize,
    margin: u32,
    first_eq: impl Fn(&[i32], i32) -> Option<usize>,
) -> Option<usize> {
    let saved = v.get(skip).copied();
    if let Some(x) = v.get_mut(skip) {
        *x = i32::MIN;
    }
    let m1 = v.iter().copied().fold(i32::MIN, i32::max);
    // the values above m1 - margin; the maximum itself is one. As in `top2`,
    // a missing runner-up counts as i32::MIN, so the margin can be no larger
    // than m1 - i32::MIN: a limit below i32::MIN is a "no", and any other
    // fits an i32 (full-width vector compares).
    let lim = i64::from(m1) - i64::from(margin.max(1));
    let r = match i32::try_from(lim) {
        // counted in u32 lanes (v has far fewer than 2^32 values)
        Ok(lim)
            if v.iter()
                .fold(0u32, |n, &x| n.wrapping_add(u32::from(x > lim)))
                == 1 =>
        {
            first_eq(v, m1)
        }
        _ => None,
    };
    if let (Some(x), Some(s)) = (v.get_mut(skip), saved) {
        *x = s;
    }
    r
}

/// The first maximum of `v` (ignoring index `skip`; pass `usize::MAX` to
/// use all) and its lead over the best other value (0 on a tie).
#[inline]
pub(crate) fn top2(v: &[i32], skip: usize) -> (usize, u32) {
    // branch-free passes (vectorizable): the maximum, its first index, the
    // maximum of the others
    let masked = |i: usize, x: i32| if i == skip { i32::MIN } else { x };
    let m1 = v
        .iter()
        .enumerate()
        .fold(i32::MIN, |m, (i, &x)| m.max(masked(i, x)));
    let Some(best) = v
        .iter()
        .enumerate()
        .position(|(i, &x)| i != skip && x == m1)
    else {
        return (0, 0);
    };
    let m2 = v.iter().enumerate().fold(i32::MIN, |m, (i, &x)| {
        m.max(if i == best { i32::MIN } else { masked(i, x) })
    });
    // m1 >= m2, so this is m1 - m2 without overflow
    (best, m1.abs_diff(m2))
}

/// Keys resolved per batch by [`Sparse`]'s sums (every classifier has at
/// most 32 templates, so one batch; a small batch keeps the zeroing of its
/// run buffer cheap).
const RUNS: usize = 32;

/// Hint the CPU to fetch the cache line holding `p` (no effect on results).
#[inline(always)]
fn prefetch<T>(p: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; the pointer comes from a valid reference.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(
            p as *const T as *const i8,
        )
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Hint the CPU to fetch the cache line holding address `p`, which need
/// not be valid (no effect on results).
#[inline(always)]
fn prefetch_addr<T>(p: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint that never faults, whatever the address;
    // nothing is read into the program.
    unsafe {
        core::arch::x86_64::_mm_prefetch::<{ core::arch::x86_64::_MM_HINT_T0 }>(p as *const i8)
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

/// Runtime table for 3-class classifiers (the parser's transitions): each
/// slot is one u64 holding a 16-bit key fingerprint and three i16 weights,
/// so a feature costs one memory access.
#[derive(Clone, Debug)]
pub(crate) struct Inline3 {
    pub(crate) slots: HugeBuf<u64>,
    pub(crate) scale: f32,
    /// Identity of these weights for caches of sums that outlive one call
    /// (the parser's per-thread role cache): fresh for every table made or
    /// cloned. Code that changes `slots` in place must give it a fresh
    /// [`Uid`].
    pub(crate) uid: Uid,
}

/// A process-wide unique, non-zero identity; a clone gets a fresh one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Uid(u64);

impl Uid {
    pub(crate) fn new() -> Uid {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Uid(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
    #[inline(always)]
    pub(crate) fn get(&self) -> u64 {
        self.0
    }
}

impl Default for Uid {
    fn default() -> Uid {
        Uid::new()
    }
}

impl Clone for Uid {
    fn clone(&self) -> Uid {
        Uid::new()
    }
}

#[inline(always)]
fn i3_fp(key: u64) -> u64 {
    (key >> 48) | 1
}

impl Inline3 {
    /// Quantize a trained 3-class table.
    pub(crate) fn from_table(t: &Table, min_abs: f32, min_hits: u32) -> Inline3 {
        let maxabs = t.w.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if maxabs > 0.0 { maxabs / 32767.0 } else { 1.0 };
        let c = t.c.min(3);
        let mut rows: Vec<(u64, [i16; 3])> = Vec::new();
        for (slot, &k) in t.keys.iter().enumerate() {
            if k == 0 {
                continue;
            }
            let r = t.rows[slot] as usize;
            if t.hits.get(r).is_some_and(|&h| h < min_hits) {
                continue;
            }
            let mut q = [0i16; 3];
            for (cl, qv) in q.iter_mut().enumerate().take(c) {
                *qv = (t.w[r * t.c + cl] / scale).round().clamp(-32767.0, 32767.0) as i16;
            }
            let big = t.w[r * t.c..r * t.c + c].iter().any(|w| w.abs() >= min_abs);
            if q != [0; 3] && big {
                rows.push((k, q));
            }
        }
        Inline3::from_rows(&rows, scale)
    }

    /// A table of the (key, weights) `rows` (distinct non-zero keys), in
    /// linear probing at a load factor of at most 0.8.
    pub(crate) fn from_rows(rows: &[(u64, [i16; 3])], scale: f32) -> Inline3 {
        let mut cap = 16usize;
        while cap * 4 < rows.len() * 5 {
            cap *= 2;
        }
        let mask = cap - 1;
        let mut slots = HugeBuf::zeroed(cap);
        for &(k, q) in rows {
            let mut i = k as usize & mask;
            while slots[i] != 0 {
                i = (i + 1) & mask;
            }
            slots[i] = (i3_fp(k) << 48)
                | ((q[0] as u16 as u64) << 32)
                | ((q[1] as u16 as u64) << 16)
                | q[2] as u16 as u64;
        }
        Inline3 {
            slots,
            scale,
            uid: Uid::new(),
        }
    }
}

impl Weights for Inline3 {
    fn classes(&self) -> usize {
        3
    }
    #[inline]
    fn score(&self, feats: &[u64], out: &mut [f32]) {
        let [a, b, c] = self.sums(feats);
        if out.len() >= 3 {
            out[0] += a as f32;
            out[1] += b as f32;
            out[2] += c as f32;
        }
    }
}

impl Inline3 {
    /// Exact integer class sums of the quantized weights of `feats`.
    /// Integer addition is associative, so sums of disjoint feature subsets
    /// can be cached and added later with bit-identical results.
    #[inline]
    pub(crate) fn sums(&self, feats: &[u64]) -> [i32; 3] {
        for &k in feats {
            self.prefetch(k);
        }
        self.probe(feats)
    }

    /// Prefetch the home slot of key `k` (no length test: the address of
    /// an empty table's "slot" is never read).
    #[inline(always)]
    pub(crate) fn prefetch(&self, k: u64) {
        let mask = self.slots.len().wrapping_sub(1);
        prefetch_addr(self.slots.as_ptr().wrapping_add(k as usize & mask));
    }

    /// [`Inline3::sums`] without prefetching the home slots first.
    #[inline]
    pub(crate) fn probe(&self, feats: &[u64]) -> [i32; 3] {
        let mut acc = Acc3::new();
        // `slots.len()` is a power of two (constructor and loader), so
        // indexing with `& mask` needs no bounds check.
        let slots: &[u64] = &self.slots;
        let Some(mask) = slots.len().checked_sub(1) else {
            return [0; 3];
        };
        for &k in feats {
            let fp = i3_fp(k);
            let mut i = k as usize;
            loop {
                let s = slots[i & mask];
                if s == 0 {
                    break;
                }
                if s >> 48 == fp {
                    acc.add(s);
                    break;
                }
                i = (i & mask) + 1;
            }
        }
        acc.get()
    }
}

/// The three i16 weights of an [`Inline3`] slot word (`fp | w0 | w1 | w2`,
/// most significant first) summed one by one as i32: the reference for
/// [`Acc3`].
#[inline(always)]
#[allow(dead_code)]
fn add3_scalar(acc: &mut [i32; 3], s: u64) {
    acc[0] += (s >> 32) as u16 as i16 as i32;
    acc[1] += (s >> 16) as u16 as i16 as i32;
    acc[2] += s as u16 as i16 as i32;
}

/// Running i32 sums of the three i16 weights of [`Inline3`] slot words.
/// On x86_64 one SSE2 register holds all lanes: a slot word is loaded into
/// the low 64 bits (four i16: w2, w1, w0, fingerprint), widened to four
/// sign-extended i32 and added with one instruction. The fingerprint lane is
/// summed too and ignored. Sums of fewer than 2^16 i16 values cannot overflow
/// i32, and integer addition is exact, so the result equals
/// [`add3_scalar`]'s bit for bit (test `simd_sums_equal_scalar_sums`).
#[derive(Clone, Copy)]
pub(crate) struct Acc3 {
    #[cfg(target_arch = "x86_64")]
    v: core::arch::x86_64::__m128i,
    #[cfg(not(target_arch = "x86_64"))]
    v: [i32; 3],
}

impl Acc3 {
    #[inline(always)]
    pub(crate) fn new() -> Acc3 {
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: SSE2 is part of the x86_64 baseline, so the intrinsic
            // is always available; it only sets a register.
            Acc3 {
                v: unsafe { core::arch::x86_64::_mm_setzero_si128() },
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            Acc3 { v: [0; 3] }
        }
    }

    /// Add the three weights of slot word `s`.
    #[inline(always)]
    pub(crate) fn add(&mut self, s: u64) {
        #[cfg(target_arch = "x86_64")]
        {
            use core::arch::x86_64::*;
            // SAFETY: SSE2 is part of the x86_64 baseline; these intrinsics
            // only operate on registers (no memory access).
            unsafe {
                let x = _mm_cvtsi64_si128(s as i64);
                // each i16 lane duplicated into an i32 lane, then an
                // arithmetic shift leaves it sign-extended
                let w = _mm_srai_epi32::<16>(_mm_unpacklo_epi16(x, x));
                self.v = _mm_add_epi32(self.v, w);
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        add3_scalar(&mut self.v, s);
    }

    /// The sums of w0, w1, w2.
    #[inline(always)]
    pub(crate) fn get(self) -> [i32; 3] {
        #[cfg(target_arch = "x86_64")]
        {
            let mut l = [0i32; 4];
            // SAFETY: SSE2 is part of the x86_64 baseline; the unaligned
            // store writes exactly the 16 bytes of `l`.
            unsafe {
                core::arch::x86_64::_mm_storeu_si128(
                    l.as_mut_ptr() as *mut core::arch::x86_64::__m128i,
                    self.v,
                )
            };
            // lanes: 0 = w2, 1 = w1, 2 = w0, 3 = fingerprints (ignored)
            [l[2], l[1], l[0]]
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            self.v
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The SSE2 accumulator gives exactly the scalar sums, on random slot
    /// words including extreme weights and long runs.
    #[test]
    fn simd_sums_equal_scalar_sums() {
        let mut rng = crate::Rng::new(99);
        let special = [
            0u64,
            u64::MAX,
            0x8000_8000_8000_8000,
            0x7FFF_7FFF_7FFF_7FFF,
            0xFFFF_8001_7FFF_0001,
        ];
        for round in 0..2000 {
            let n = round % 300;
            let mut acc = Acc3::new();
            let mut r = [0i32; 3];
            for j in 0..n {
                let s = if j % 7 == 3 {
                    special[j % special.len()]
                } else {
                    rng.next_u64()
                };
                acc.add(s);
                add3_scalar(&mut r, s);
            }
            assert_eq!(acc.get(), r, "round {round}");
        }
        // the longest sums the parser can make: all 111 templates at ±32767
        for w in [0x8001u64, 0x7FFF] {
            let s = (0xABCD << 48) | (w << 32) | (w << 16) | w;
            let mut acc = Acc3::new();
            let mut r = [0i32; 3];
            for _ in 0..111 {
                acc.add(s);
                add3_scalar(&mut r, s);
            }
            assert_eq!(acc.get(), r);
        }
    }

    /// `min_q` drops exactly the quantized weights of smaller magnitude and
    /// keeps the others unchanged.
    #[test]
    fn sparse_min_q_prunes_small_quantized_weights() {
        let mut t = Table::new(4, 6);
        let r = t.find_or_insert(77);
        t.w[r * 4..r * 4 + 4].copy_from_slice(&[1.0, -0.5, 0.05, -0.01]);
        let r2 = t.find_or_insert(78);
        t.w[r2 * 4..r2 * 4 + 4].copy_from_slice(&[0.01, 0.0, -0.02, 0.0]);
        let all = Sparse::from_table(&t, 0.0, 0, 0);
        let cut = Sparse::from_table(&t, 0.0, 0, 1000);
        let row = |s: &Sparse, k: u64| {
            let mut acc = [0i32; 256];
            s.add_i32(&[k], &mut acc);
            acc[..4].to_vec()
        };
        assert_eq!(row(&all, 77), vec![32767, -16384, 1638, -328]);
        assert_eq!(row(&cut, 77), vec![32767, -16384, 1638, 0]);
        assert_eq!(row(&all, 78), vec![328, 0, -655, 0]);
        // a row left empty disappears
        assert_eq!(row(&cut, 78), vec![0, 0, 0, 0]);
        assert_eq!(cut.ents.len(), 3);
    }

    /// Table lookups summed with [`Acc3`] equal a scalar re-implementation.
    #[test]
    fn inline3_sums_equal_scalar_lookup() {
        let mut rng = crate::Rng::new(5);
        let mut t = Table::new(3, 10);
        let mut keys = Vec::new();
        for _ in 0..600 {
            let k = rng.next_u64() | 1;
            keys.push(k);
            let r = t.find_or_insert(k);
            for c in 0..3 {
                t.w[r * 3 + c] = (rng.next_u64() % 2001) as f32 - 1000.0;
            }
        }
        let t3 = Inline3::from_table(&t, 0.0, 0);
        let mask = t3.slots.len() - 1;
        for round in 0..200 {
            let feats: Vec<u64> = (0..(round % 120))
                .map(|j| {
                    if j % 3 == 0 {
                        rng.next_u64() | 1
                    } else {
                        keys[(rng.next_u64() % keys.len() as u64) as usize]
                    }
                })
                .collect();
            let mut r = [0i32; 3];
            for &k in &feats {
                let mut i = k as usize & mask;
                while t3.slots[i] != 0 {
                    if t3.slots[i] >> 48 == i3_fp(k) {
                        add3_scalar(&mut r, t3.slots[i]);
                        break;
                    }
                    i = (i + 1) & mask;
                }
            }
            assert_eq!(t3.sums(&feats), r);
        }
    }

    /// Hand-made cases of the top-two margin and the margin test (the
    /// random comparison of `leads_by` with `top2`, for every kernel set,
    /// is `kern::tests::kernels_leads_by_equal_top2_margin`).
    #[test]
    fn top2_and_leads_by_examples() {
        assert_eq!(top2(&[3, 7, 7], usize::MAX), (1, 0));
        assert_eq!(top2(&[3, 7, 9], 2), (1, 4));
        assert_eq!(leads_by(&mut [3, 7, 9], 2, 4), Some(1));
        assert_eq!(leads_by(&mut [3, 7, 9], 2, 5), None);
    }

    /// Stage 1 + stage 2 of an early-exit rule add exactly the full sums,
    /// and a rule that exits names the best class of its stage-1 sums.
    #[test]
    fn exit_stages_sum_to_full_sums() {
        let mut rng = crate::Rng::new(23);
        let mut t = Table::new(40, 10);
        let keys: Vec<u64> = (0..300).map(|_| rng.next_u64() | 1).collect();
        for &k in &keys {
            let r = t.find_or_insert(k);
            for c in 0..40 {
                if rng.next_u64().is_multiple_of(4) {
                    t.w[r * 40 + c] = (rng.next_u64() % 2001) as f32 - 1000.0;
                }
            }
        }
        let sp = Sparse::from_table(&t, 0.0, 0, 0);
        let ctx: Vec<u8> = (0..20).collect();
        for round in 0..500u32 {
            let feats: Vec<u64> = (0..20)
                .map(|_| keys[(rng.next_u64() % 300) as usize] ^ u64::from(round % 5 == 0))
                .collect();
            let mut full = [0i32; 256];
            sp.add_i32(&feats, &mut full);
            let first: Vec<u8> = ctx
                .iter()
                .copied()
                .filter(|&i| u32::from(i) % 3 != round % 3)
                .collect();
            for th in [0u32, 1, 5000, u32::MAX] {
                let e = Exit::new(th, first.clone(), &ctx);
                let mut acc = [0i32; 256];
                match e.stage1(&sp, &feats, &mut acc, 40, usize::MAX) {
                    Some(b) => {
                        assert!(th > 0);
                        let (b2, m) = top2(&acc[..40], usize::MAX);
                        assert_eq!(b, b2);
                        assert!(m >= th);
                    }
                    None => {
                        e.add_rest(&sp, &feats, &mut acc);
                        assert_eq!(acc[..40], full[..40], "round {round} th {th}");
                    }
                }
            }
        }
    }
}
