//! Greedy averaged-perceptron tagger: XPOS left to right, then UPOS with the
//! XPOS of the whole sentence as context.

use crate::hash::{comb, f1, f2, f3, f4, fmix};
use crate::huge::HugeBuf;
use crate::kern::Kern;
use crate::table::{argmax, Exit, Sparse, Table, Trainer, U64Map, Weights};
use crate::Rng;

/// Precomputed per-token hashes (no allocation per token).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Tok {
    /// lowercased form, digits mapped to 0
    pub w: u64,
    /// exact form
    pub form: u64,
    /// suffixes of length 1..=5 of the lowercased form
    pub suf: [u64; 5],
    /// prefixes of length 1..=3
    pub pre: [u64; 3],
    /// collapsed character shape
    pub shape: u64,
}

const SEED_W: u64 = 0x1111;
const SEED_F: u64 = 0x2222;
const SEED_S: u64 = 0x3333;
const SEED_P: u64 = 0x4444;
const SEED_SH: u64 = 0x5555;

#[inline]
fn lower_char(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        c.to_lowercase().next().unwrap_or(c)
    }
}

/// The hashes of `form` (see [`Tok`]); ASCII forms (nearly all news
/// tokens) take a byte loop with the same result as the general one
/// (test `ascii_tok_info_equals_general`).
#[inline]
pub(crate) fn tok_info(form: &str) -> Tok {
    if form.is_ascii() {
        tok_info_ascii(form.as_bytes())
    } else {
        tok_info_chars(form)
    }
}

/// [`tok_info_chars`] for an ASCII form, fed byte by byte (no UTF-8
/// decoding); the same hashes.
fn tok_info_ascii(form: &[u8]) -> Tok {
    tok_hashes(
        form.iter().map(|&b| char::from(b)),
        |c| c.to_ascii_lowercase(),
        ascii_shape_class,
    )
}

/// The hashes of `form`, char by char (any UTF-8).
fn tok_info_chars(form: &str) -> Tok {
    tok_hashes(form.chars(), lower_char, shape_class)
}

/// [`shape_class`] of an ASCII character (the Unicode tests answered
/// without them).
#[inline]
fn ascii_shape_class(c: char) -> char {
    match c {
        'A'..='Z' => 'X',
        'a'..='z' => 'x',
        '0'..='9' => 'd',
        _ => c,
    }
}

/// The character-shape class of `c`: `X` upper, `x` lower, `d` numeric,
/// `a` other letters, else the character itself.
#[inline]
fn shape_class(c: char) -> char {
    if c.is_ascii() {
        ascii_shape_class(c)
    } else if c.is_uppercase() {
        'X'
    } else if c.is_lowercase() {
        'x'
    } else if c.is_numeric() {
        'd'
    } else if c.is_alphabetic() {
        'a'
    } else {
        c
    }
}

/// The hashes of a form given as its characters `cs`, with `lower` its
/// lowercase mapping and `class` its character-shape class (one body for
/// the ASCII and the general path, monomorphised for each).
#[inline(always)]
fn tok_hashes<I>(cs: I, lower: impl Fn(char) -> char, class: impl Fn(char) -> char) -> Tok
where
    I: DoubleEndedIterator<Item = char> + Clone,
{
    let mut w = SEED_W;
    let mut f = SEED_F;
    let mut sh = SEED_SH;
    let mut last_class = '\0';
    let mut pre = [0u64; 3];
    let mut p = SEED_P;
    let mut nch = 0usize;
    for c in cs.clone() {
        let lc = lower(c);
        let wc = if lc.is_ascii_digit() { '0' } else { lc };
        w = comb(w, wc as u64);
        f = comb(f, c as u64);
        if let Some(x) = pre.get_mut(nch) {
            p = comb(p, lc as u64);
            *x = fmix(p);
        }
        nch += 1;
        let k = class(c);
        if k != last_class {
            sh = comb(sh, k as u64);
            last_class = k;
        }
    }
    for k in nch..3 {
        pre[k] = pre[k.saturating_sub(1)];
    }
    let mut suf = [0u64; 5];
    let mut s = SEED_S;
    let mut k = 0;
    for c in cs.rev().take(5) {
        s = comb(s, lower(c) as u64);
        suf[k] = fmix(s);
        k += 1;
    }
    for j in k..5 {
        suf[j] = if j == 0 { fmix(s) } else { suf[j - 1] };
    }
    Tok {
        w: fmix(w),
        form: fmix(f),
        suf,
        pre,
        shape: fmix(comb(sh, (nch > 3) as u64)),
    }
}

const START_W: u64 = 0x9001;
const START2_W: u64 = 0x9002;
const END_W: u64 = 0x9003;
const END2_W: u64 = 0x9004;

/// Number of XPOS feature templates.
pub(crate) const NX: usize = 32;
/// Number of UPOS feature templates.
pub(crate) const NU: usize = 16;

#[inline]
fn ctx(toks: &[Tok], i: isize) -> Tok {
    if i < 0 {
        let v = if i == -1 { START_W } else { START2_W };
        Tok {
            w: v,
            form: v,
            suf: [v; 5],
            pre: [v; 3],
            shape: v,
        }
    } else if i as usize >= toks.len() {
        let v = if i as usize == toks.len() {
            END_W
        } else {
            END2_W
        };
        Tok {
            w: v,
            form: v,
            suf: [v; 5],
            pre: [v; 3],
            shape: v,
        }
    } else {
        toks[i as usize]
    }
}

pub(crate) fn xfeats(toks: &[Tok], i: usize, p1: u64, p2: u64, out: &mut [u64; NX]) {
    let ii = i as isize;
    let t = &toks[i];
    let m1 = ctx(toks, ii - 1);
    let m2 = ctx(toks, ii - 2);
    let n1 = ctx(toks, ii + 1);
    let n2 = ctx(toks, ii + 2);
    out[0] = f1(0, 0);
    out[1] = f1(1, t.w);
    out[2] = f1(2, t.form);
    for k in 0..5 {
        out[3 + k] = f1(3 + k as u32, t.suf[k]);
    }
    for k in 0..3 {
        out[8 + k] = f1(8 + k as u32, t.pre[k]);
    }
    out[11] = f1(11, t.shape);
    out[12] = f1(12, p1);
    out[13] = f2(13, p1, p2);
    out[14] = f2(14, p1, t.w);
    out[15] = f1(15, m1.w);
    out[16] = f1(16, m1.suf[2]);
    out[17] = f1(17, m2.w);
    out[18] = f1(18, n1.w);
    out[19] = f1(19, n1.suf[2]);
    out[20] = f1(20, n2.w);
    out[21] = f2(21, m1.w, t.w);
    out[22] = f2(22, t.w, n1.w);
    out[23] = f2(23, p1, n1.w);
    out[24] = f1(24, n1.shape);
    out[25] = f1(25, m1.shape);
    out[26] = f2(26, (i == 0) as u64, t.shape);
    out[27] = f2(27, p1, t.suf[2]);
    out[28] = f2(28, n1.w, n2.w);
    out[29] = f1(29, n1.suf[1]);
    out[30] = f2(30, p1, t.shape);
    out[31] = f2(31, m1.w, n1.w);
}

pub(crate) fn ufeats(toks: &[Tok], xp: &[u8], i: usize, uprev: u64, out: &mut [u64; NU]) {
    let n = toks.len();
    let x = |j: isize| -> u64 {
        if j < 0 {
            1000 + (-j) as u64
        } else if j as usize >= n {
            2000 + j as u64 - n as u64
        } else {
            xp[j as usize] as u64
        }
    };
    let ii = i as isize;
    let t = &toks[i];
    let m1 = ctx(toks, ii - 1);
    let n1 = ctx(toks, ii + 1);
    let xi = x(ii);
    out[0] = f1(40, 0);
    out[1] = f1(41, xi);
    out[2] = f2(42, xi, t.w);
    out[3] = f2(43, x(ii - 1), xi);
    out[4] = f2(44, xi, x(ii + 1));
    out[5] = f3(45, x(ii - 1), xi, x(ii + 1));
    out[6] = f1(46, t.w);
    out[7] = f2(47, xi, t.suf[2]);
    out[8] = f2(48, xi, n1.w);
    out[9] = f2(49, xi, m1.w);
    out[10] = f2(50, uprev, xi);
    out[11] = f2(51, xi, t.shape);
    out[12] = f3(52, xi, x(ii + 1), x(ii + 2));
    out[13] = f3(53, xi, t.w, x(ii + 1));
    out[14] = f3(54, xi, t.w, x(ii - 1));
    out[15] = f2(55, xi, t.form);
}

/// Number of supertag feature templates.
pub(crate) const NS: usize = 16;

/// Supertag = relation * 3 + direction of the head (0 left, 1 right, 2 root).
pub(crate) fn supertag(label: u8, head: u32, i1: u32) -> u8 {
    let dir = if head == 0 {
        2
    } else if head < i1 {
        0
    } else {
        1
    };
    (label as u32 * 3 + dir).min(254) as u8
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn sfeats(
    toks: &[Tok],
    xp: &[u8],
    verb: &[bool],
    vl: bool,
    vr: bool,
    i: usize,
    sprev: (u64, u64),
    out: &mut [u64; NS],
) {
    let n = toks.len();
    let x = |j: isize| -> u64 {
        if j < 0 {
            1000 + (-j) as u64
        } else if j as usize >= n {
            2000 + j as u64 - n as u64
        } else {
            xp[j as usize] as u64
        }
    };
    let _ = verb;
    let ii = i as isize;
    let t = &toks[i];
    let m1 = ctx(toks, ii - 1);
    let n1 = ctx(toks, ii + 1);
    let xi = x(ii);
    out[0] = f1(60, xi);
    out[1] = f2(61, xi, t.w);
    out[2] = f2(62, x(ii - 1), xi);
    out[3] = f2(63, xi, x(ii + 1));
    out[4] = f3(64, x(ii - 1), xi, x(ii + 1));
    out[5] = f1(65, t.w);
    out[6] = f3(66, xi, x(ii + 1), x(ii + 2));
    out[7] = f3(67, x(ii - 2), x(ii - 1), xi);
    out[8] = f2(68, xi, n1.w);
    out[9] = f2(69, xi, m1.w);
    out[10] = f2(70, sprev.0, xi);
    out[11] = f3(71, sprev.1, sprev.0, xi);
    out[12] = f2(72, xi, t.suf[2]);
    out[13] = f3(73, xi, t.w, x(ii + 1));
    out[14] = f3(74, xi, t.w, x(ii - 1));
    out[15] = f4(
        75,
        xi,
        vl as u64,
        vr as u64,
        ((i == 0) as u64) | (((i + 1 == n) as u64) << 1),
    );
}

/// The tagger's weights.
#[derive(Clone, Debug)]
pub(crate) struct Tagger<W = Table> {
    pub xt: W,
    pub ut: W,
    /// supertagger (relation + head direction), a parser feature
    pub st: W,
    /// per XPOS id: is it a verb tag (VB*, MD)? Derived from the tag names.
    pub verb: Vec<bool>,
    /// Tag dictionary (empty while training).
    pub dict: TagDict,
    /// Early-exit rules of the XPOS and supertag steps (runtime only; off
    /// while training).
    pub xexit: Exit,
    pub sexit: Exit,
}

/// Ratnaparkhi-style tag dictionary, built from the training data when the
/// model is saved: frequent word forms that had exactly one XPOS get it
/// without scoring, and (form, XPOS) pairs that had exactly one UPOS get
/// that without scoring. Empty maps = score everything.
#[derive(Clone, Debug, Default)]
pub(crate) struct TagDict {
    /// exact-form hash (`Tok::form`) → XPOS id
    pub xpos: U64Map,
    /// [`type_key`]`(form, XPOS)` → UPOS id
    pub upos: U64Map,
}

impl TagDict {
    #[inline(always)]
    fn xpos(&self, t: &Tok) -> Option<u8> {
        self.xpos.get(t.form).map(|x| x as u8)
    }
    #[inline(always)]
    fn upos(&self, t: &Tok, xpos: u8) -> Option<u8> {
        self.upos.get(type_key(t.form, xpos)).map(|u| u as u8)
    }

    /// Build from training counts: `xpos_counts` maps a form hash to its
    /// (XPOS, count) list, `upos_counts` maps [`type_key`]`(form, XPOS)` to
    /// its (UPOS, count) list. A form enters the XPOS map when it was seen
    /// at least `min_x` times, always with the same XPOS (0 = no map); a
    /// pair enters the UPOS map when seen at least `min_u` times, always
    /// with the same UPOS (0 = no map).
    pub(crate) fn build(
        xpos_counts: &std::collections::BTreeMap<u64, Vec<(u8, u32)>>,
        upos_counts: &std::collections::BTreeMap<u64, Vec<(u8, u32)>>,
        min_x: u32,
        min_u: u32,
    ) -> TagDict {
        let pick = |m: &std::collections::BTreeMap<u64, Vec<(u8, u32)>>, min: u32| {
            let pairs: Vec<(u64, u32)> = if min == 0 {
                Vec::new()
            } else {
                m.iter()
                    .filter_map(|(&k, v)| match v.as_slice() {
                        [(t, n)] if *n >= min && *t != 255 && k > 1 => Some((k, *t as u32)),
                        _ => None,
                    })
                    .collect()
            };
            if pairs.is_empty() {
                U64Map::default()
            } else {
                U64Map::from_pairs(&pairs)
            }
        };
        TagDict {
            xpos: pick(xpos_counts, min_x),
            upos: pick(upos_counts, min_u),
        }
    }
}

/// Verb flags for a tag set.
pub(crate) fn verb_flags(xpos_names: &[String]) -> Vec<bool> {
    xpos_names
        .iter()
        .map(|n| n.starts_with("VB") || n == "MD")
        .collect()
}

const START_T: u64 = 500;
const START2_T: u64 = 501;
const START_U: u64 = 600;
const START_S: u64 = 700;

/// Per-token "a verb occurs to my left / right" flags.
fn verb_sides(xp: &[u8], verb: &[bool], vl: &mut Vec<bool>, vr: &mut Vec<bool>) {
    let n = xp.len();
    vl.clear();
    vr.clear();
    vl.resize(n, false);
    vr.resize(n, false);
    let isv = |t: u8| verb.get(t as usize).copied().unwrap_or(false);
    let mut seen = false;
    for i in 0..n {
        vl[i] = seen;
        seen |= isv(xp[i]);
    }
    seen = false;
    for i in (0..n).rev() {
        vr[i] = seen;
        seen |= isv(xp[i]);
    }
}

impl<W: Weights> Tagger<W> {
    /// Tag a sentence; writes XPOS, UPOS and supertag ids.
    pub(crate) fn tag(
        &self,
        toks: &[Tok],
        xpos: &mut Vec<u8>,
        upos: &mut Vec<u8>,
        sup: &mut Vec<u8>,
    ) {
        let nx = self.xt.classes().min(256);
        let nu = self.ut.classes().min(256);
        let ns = self.st.classes().min(256);
        xpos.clear();
        upos.clear();
        sup.clear();
        let mut fx = [0u64; NX];
        let mut fu = [0u64; NU];
        let mut fs = [0u64; NS];
        let mut sx = [0f32; 256];
        let (mut p1, mut p2) = (START_T, START2_T);
        for i in 0..toks.len() {
            let t = match self.dict.xpos(&toks[i]) {
                Some(t) => t as usize,
                None => {
                    xfeats(toks, i, p1, p2, &mut fx);
                    let s = &mut sx[..nx];
                    s.fill(0.0);
                    self.xt.score(&fx, s);
                    argmax(s)
                }
            };
            xpos.push(t as u8);
            p2 = p1;
            p1 = t as u64;
        }
        let mut up = START_U;
        for i in 0..toks.len() {
            let t = match self.dict.upos(&toks[i], xpos[i]) {
                Some(t) => t as usize,
                None => {
                    ufeats(toks, xpos, i, up, &mut fu);
                    let s = &mut sx[..nu];
                    s.fill(0.0);
                    self.ut.score(&fu, s);
                    argmax(s)
                }
            };
            upos.push(t as u8);
            up = t as u64;
        }
        let (mut vl, mut vr) = (Vec::new(), Vec::new());
        verb_sides(xpos, &self.verb, &mut vl, &mut vr);
        let mut sp = (START_S, START_S + 1);
        for i in 0..toks.len() {
            sfeats(toks, xpos, &self.verb, vl[i], vr[i], i, sp, &mut fs);
            let s = &mut sx[..ns];
            s.fill(0.0);
            self.st.score(&fs, s);
            let t = argmax(s);
            sup.push(t as u8);
            sp = (t as u64, sp.0);
        }
    }
}

/// Direct-mapped cache of exact partial class sums,
/// keyed by a non-zero word-type hash. Used by [`Tagger::tag_fast`].
#[derive(Clone, Debug, Default)]
pub(crate) struct SumCache {
    width: usize,
    mask: usize,
    keys: Vec<u64>,
    /// `width` sums per key; > 1 MB for the supertags (huge pages)
    vals: HugeBuf<i32>,
}

impl SumCache {
    fn new(width: usize, cap_log2: u32) -> SumCache {
        let cap = 1usize << cap_log2;
        SumCache {
            width,
            mask: cap - 1,
            keys: vec![0; cap],
            vals: HugeBuf::zeroed(cap * width),
        }
    }

    #[inline(always)]
    fn slot(&self, key: u64) -> usize {
        (key >> 23) as usize & self.mask
    }

    /// The cached sums of `key`, if present.
    #[inline]
    fn get(&self, key: u64) -> Option<&[i32]> {
        let i = self.slot(key);
        if self.keys.get(i) == Some(&key) {
            self.vals.get(i * self.width..(i + 1) * self.width)
        } else {
            None
        }
    }

    /// Remember `sums` for `key`.
    #[inline]
    fn put(&mut self, key: u64, sums: &[i32]) {
        if sums.len() != self.width {
            return;
        }
        let i = self.slot(key);
        let w = self.width;
        if let (Some(k), Some(v)) = (self.keys.get_mut(i), self.vals.get_mut(i * w..(i + 1) * w)) {
            *k = key;
            v.copy_from_slice(sums);
        }
    }
}

/// Per-thread word-type caches of [`Tagger::tag_fast`], valid for one model.
#[derive(Clone, Debug, Default)]
pub(crate) struct TagCache {
    owner: u64,
    x: SumCache,
    u: SumCache,
    s: SumCache,
    vl: Vec<bool>,
    vr: Vec<bool>,
}

/// XPOS templates that read only the word itself (`xfeats` slots 0..12).
const NXW: usize = 12;
/// The XPOS context templates (all others).
pub(crate) const X_CTX: [u8; NX - NXW] = {
    let mut o = [0u8; NX - NXW];
    let mut i = 0;
    while i < NX - NXW {
        o[i] = (NXW + i) as u8;
        i += 1;
    }
    o
};
/// Stage 1 of the XPOS early exit: context templates over the previous
/// tags and shapes (few distinct keys, so their rows stay in cache).
pub(crate) const X_FIRST: [u8; 6] = [12, 13, 24, 25, 26, 30];
/// UPOS templates that read only the word and its own XPOS.
const U_WORD: [usize; 7] = [0, 1, 2, 6, 7, 11, 15];
/// The other UPOS templates.
const U_CTX: [usize; 9] = [3, 4, 5, 8, 9, 10, 12, 13, 14];
/// Supertag templates that read only the word and its own XPOS.
const S_WORD: [usize; 4] = [0, 1, 5, 12];
/// The other supertag templates.
pub(crate) const S_CTX_U8: [u8; 12] = [2, 3, 4, 6, 7, 8, 9, 10, 11, 13, 14, 15];
/// Stage 1 of the supertag early exit: the context templates over tags,
/// previous supertags and verb flags (not over neighbouring words).
pub(crate) const S_FIRST: [u8; 8] = [2, 3, 4, 6, 7, 10, 11, 15];

#[inline(always)]
fn gather<const N: usize>(src: &[u64], idx: &[usize; N]) -> [u64; N] {
    let mut o = [0u64; N];
    for (d, &i) in o.iter_mut().zip(idx) {
        *d = src.get(i).copied().unwrap_or(0);
    }
    o
}

/// Class sums of the `word` features into `acc[..c]`, taken from `cache`
/// under `key` (one copy, no zeroing first) or computed and cached.
#[inline]
fn word_sums(
    t: &Sparse,
    cache: &mut SumCache,
    key: u64,
    word: &[u64],
    c: usize,
    acc: &mut [i32; 256],
) {
    match cache.get(key) {
        Some(v) if v.len() == c => acc[..c].copy_from_slice(v),
        _ => {
            acc[..c].fill(0);
            t.add_i32(word, acc);
            cache.put(key, &acc[..c]);
        }
    }
}

/// The decision of a tagger step on `feats` given its word sums in `acc`:
/// stage 1 of `exit`, then (unless it decides) the other context templates.
#[inline]
fn decide(t: &Sparse, exit: &Exit, feats: &[u64], c: usize, acc: &mut [i32; 256]) -> usize {
    if let Some(b) = exit.stage1(t, feats, acc, c, usize::MAX) {
        return b;
    }
    exit.add_rest(t, feats, acc);
    crate::kern::argmax(t.kern, &acc[..c])
}

/// [`decide`] for the supertag step, also giving the decision's margin over
/// the runner-up class on the full sums (0 when stage 1 of `exit` decided:
/// its margin is over partial sums). The class is `decide`'s.
#[inline]
fn decide_margin(
    t: &Sparse,
    exit: &Exit,
    feats: &[u64],
    c: usize,
    acc: &mut [i32; 256],
) -> (usize, u32) {
    if let Some(b) = exit.stage1(t, feats, acc, c, usize::MAX) {
        return (b, 0);
    }
    exit.add_rest(t, feats, acc);
    max_margin(t.kern, &mut acc[..c])
}

/// The first maximum of `v` (as `kern::argmax`) and its lead over the best
/// other value (0 on a tie): `table::top2(v, usize::MAX)` (test
/// `max_margin_equals_top2`), as two `kern::argmax` passes with the first
/// maximum set aside (`v` is left unchanged).
#[inline]
pub(crate) fn max_margin(k: Kern, v: &mut [i32]) -> (usize, u32) {
    let best = crate::kern::argmax(k, v);
    let Some(&m1) = v.get(best) else {
        return (0, 0);
    };
    v[best] = i32::MIN;
    // (no other value: the runner-up counts as i32::MIN, as in `top2`)
    let m2 = v
        .get(crate::kern::argmax(k, v))
        .copied()
        .unwrap_or(i32::MIN);
    v[best] = m1;
    (best, m1.abs_diff(m2))
}

#[inline(always)]
pub(crate) fn type_key(form: u64, tag: u8) -> u64 {
    fmix(comb(form, tag as u64)).max(1)
}

impl Tagger<Sparse> {
    /// [`Tagger::tag`] for the quantized runtime model, with the same result
    /// bit for bit: the templates that read only the word (XPOS) or the word
    /// and its own XPOS (UPOS, supertag) are summed as exact integers and
    /// cached per word type across sentences (news is Zipfian), so a frequent
    /// word costs one cache read instead of a dozen table lookups.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn tag_fast(
        &self,
        toks: &[Tok],
        xpos: &mut Vec<u8>,
        upos: &mut Vec<u8>,
        sup: &mut Vec<u8>,
        smargin: &mut Vec<u32>,
        cache: &mut TagCache,
        owner: u64,
    ) {
        self.xpos_fast(toks, xpos, cache, owner);
        self.rest_fast(toks, xpos, upos, sup, smargin, cache, owner);
    }

    /// (Re)initialise `cache` for this model's tables under `owner`.
    fn ready(&self, cache: &mut TagCache, owner: u64) -> (usize, usize, usize) {
        let nx = self.xt.classes().min(256);
        let nu = self.ut.classes().min(256);
        let ns = self.st.classes().min(256);
        if cache.owner != owner || cache.x.width != nx || cache.u.width != nu || cache.s.width != ns
        {
            *cache = TagCache {
                owner,
                x: SumCache::new(nx, 12),
                u: SumCache::new(nu, 12),
                s: SumCache::new(ns, 11),
                vl: Vec::new(),
                vr: Vec::new(),
            };
        }
        (nx, nu, ns)
    }

    /// The XPOS half of [`Tagger::tag_fast`].
    pub(crate) fn xpos_fast(
        &self,
        toks: &[Tok],
        xpos: &mut Vec<u8>,
        cache: &mut TagCache,
        owner: u64,
    ) {
        let (nx, _, _) = self.ready(cache, owner);
        xpos.clear();
        let mut fx = [0u64; NX];
        let mut acc = [0i32; 256];
        let (mut p1, mut p2) = (START_T, START2_T);
        for (i, tok) in toks.iter().enumerate() {
            let t = match self.dict.xpos(tok) {
                Some(t) => t as usize,
                None => {
                    xfeats(toks, i, p1, p2, &mut fx);
                    let key = tok.form.max(1);
                    word_sums(&self.xt, &mut cache.x, key, &fx[..NXW], nx, &mut acc);
                    decide(&self.xt, &self.xexit, &fx, nx, &mut acc)
                }
            };
            xpos.push(t as u8);
            p2 = p1;
            p1 = t as u64;
        }
    }

    /// The UPOS and supertag half of [`Tagger::tag_fast`], given the XPOS
    /// of [`Tagger::xpos_fast`] (one per token). `smargin` gets each
    /// supertag's margin over the runner-up class (quantized units; 0 when
    /// an early-exit rule decided it on partial sums), which the parser's
    /// supertag-label shortcut reads.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn rest_fast(
        &self,
        toks: &[Tok],
        xpos: &[u8],
        upos: &mut Vec<u8>,
        sup: &mut Vec<u8>,
        smargin: &mut Vec<u32>,
        cache: &mut TagCache,
        owner: u64,
    ) {
        let (_, nu, ns) = self.ready(cache, owner);
        upos.clear();
        sup.clear();
        smargin.clear();
        if xpos.len() != toks.len() {
            return;
        }
        let mut fu = [0u64; NU];
        let mut fs = [0u64; NS];
        let mut acc = [0i32; 256];
        let mut up = START_U;
        for (i, tok) in toks.iter().enumerate() {
            let t = match self.dict.upos(tok, xpos[i]) {
                Some(t) => t as usize,
                None => {
                    ufeats(toks, xpos, i, up, &mut fu);
                    let key = type_key(tok.form, xpos[i]);
                    let (word, ctx) = (gather(&fu, &U_WORD), gather(&fu, &U_CTX));
                    word_sums(&self.ut, &mut cache.u, key, &word, nu, &mut acc);
                    self.ut.add_i32(&ctx, &mut acc);
                    crate::kern::argmax(self.ut.kern, &acc[..nu])
                }
            };
            upos.push(t as u8);
            up = t as u64;
        }
        let (mut vl, mut vr) = (std::mem::take(&mut cache.vl), std::mem::take(&mut cache.vr));
        verb_sides(xpos, &self.verb, &mut vl, &mut vr);
        let mut sp = (START_S, START_S + 1);
        for (i, tok) in toks.iter().enumerate() {
            sfeats(toks, xpos, &self.verb, vl[i], vr[i], i, sp, &mut fs);
            let key = type_key(tok.form, xpos[i]);
            word_sums(
                &self.st,
                &mut cache.s,
                key,
                &gather(&fs, &S_WORD),
                ns,
                &mut acc,
            );
            let (t, m) = decide_margin(&self.st, &self.sexit, &fs, ns, &mut acc);
            sup.push(t as u8);
            smargin.push(m);
            sp = (t as u64, sp.0);
        }
        (cache.vl, cache.vr) = (vl, vr);
    }
}

impl Tagger<Sparse> {
    /// Calibration data for the early-exit rules (their `first` lists; the
    /// thresholds are ignored): tags `toks` with full decisions and pushes,
    /// per scored XPOS and supertag decision, the stage-1 margin and whether
    /// the stage-1 best class is the full decision. Returns the full XPOS.
    pub(crate) fn exit_margins(
        &self,
        toks: &[Tok],
        xrec: &mut Vec<(u32, bool)>,
        srec: &mut Vec<(u32, bool)>,
    ) -> Vec<u8> {
        let (nx, ns) = (self.xt.c.min(256), self.st.c.min(256));
        let one = |t: &Sparse, e: &Exit, word: &[u64], f: &[u64], c: usize| {
            let mut acc = [0i32; 256];
            t.add_i32(word, &mut acc);
            let probe = Exit::new(1, e.first.clone(), &[]);
            let _ = probe.stage1(t, f, &mut acc, c, usize::MAX);
            let (b, m) = crate::table::top2(&acc[..c], usize::MAX);
            e.add_rest(t, f, &mut acc);
            let full = crate::kern::argmax(t.kern, &acc[..c]);
            (full, m, b == full)
        };
        let mut xpos = Vec::with_capacity(toks.len());
        let mut fx = [0u64; NX];
        let (mut p1, mut p2) = (START_T, START2_T);
        for (i, tok) in toks.iter().enumerate() {
            let t = match self.dict.xpos(tok) {
                Some(t) => t as usize,
                None => {
                    xfeats(toks, i, p1, p2, &mut fx);
                    let (full, m, agree) = one(&self.xt, &self.xexit, &fx[..NXW], &fx, nx);
                    xrec.push((m, agree));
                    full
                }
            };
            xpos.push(t as u8);
            p2 = p1;
            p1 = t as u64;
        }
        let mut fs = [0u64; NS];
        let (mut vl, mut vr) = (Vec::new(), Vec::new());
        verb_sides(&xpos, &self.verb, &mut vl, &mut vr);
        let mut sp = (START_S, START_S + 1);
        for i in 0..toks.len() {
            sfeats(toks, &xpos, &self.verb, vl[i], vr[i], i, sp, &mut fs);
            let word = gather(&fs, &S_WORD);
            let (full, m, agree) = one(&self.st, &self.sexit, &word, &fs, ns);
            srec.push((m, agree));
            sp = (full as u64, sp.0);
        }
        xpos
    }
}

/// A training sentence for the tagger.
pub(crate) struct TagSent {
    pub toks: Vec<Tok>,
    pub xpos: Vec<u8>,
    pub upos: Vec<u8>,
    pub sup: Vec<u8>,
}

/// Tagging accuracy (xpos, upos, supertag) in percent.
pub(crate) fn accuracy<W: Weights>(tagger: &Tagger<W>, sents: &[TagSent]) -> (f64, f64, f64) {
    let (mut n, mut cx, mut cu, mut cs) = (0usize, 0usize, 0usize, 0usize);
    let (mut xp, mut up, mut sp) = (Vec::new(), Vec::new(), Vec::new());
    for s in sents {
        tagger.tag(&s.toks, &mut xp, &mut up, &mut sp);
        for i in 0..s.toks.len() {
            n += 1;
            cx += (xp[i] == s.xpos[i]) as usize;
            cu += (up[i] == s.upos[i]) as usize;
            cs += (sp[i] == s.sup[i]) as usize;
        }
    }
    let n = n.max(1) as f64;
    (
        100.0 * cx as f64 / n,
        100.0 * cu as f64 / n,
        100.0 * cs as f64 / n,
    )
}

/// Train the tagger. With `dev`, stop early on dev accuracy and return the
/// best epoch's averaged weights; without, train exactly `epochs` epochs.
#[allow(clippy::too_many_arguments)]
pub(crate) fn train(
    train: &[TagSent],
    dev: Option<&[TagSent]>,
    nx: usize,
    nu: usize,
    ns: usize,
    verb: &[bool],
    epochs: usize,
    seed: u64,
    log: &mut dyn FnMut(String),
) -> (Tagger, usize) {
    let mut tx = Trainer::new(nx, 18);
    let mut tu = Trainer::new(nu, 16);
    let mut ts = Trainer::new(ns, 16);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = Rng::new(seed);
    let mut best: Option<(f64, Tagger, usize)> = None;
    let mut since_best = 0;
    let mut fx = [0u64; NX];
    let mut fu = [0u64; NU];
    let mut fs = [0u64; NS];
    let mut sx = vec![0f32; nx.max(nu).max(ns)];
    let mut pred = Vec::new();
    let (mut vl, mut vr) = (Vec::new(), Vec::new());
    for epoch in 1..=epochs {
        rng.shuffle(&mut order);
        for &si in &order {
            let s = &train[si];
            pred.clear();
            let (mut p1, mut p2) = (START_T, START2_T);
            for i in 0..s.toks.len() {
                xfeats(&s.toks, i, p1, p2, &mut fx);
                let sc = &mut sx[..nx];
                sc.fill(0.0);
                tx.score(&fx, sc);
                let t = argmax(sc);
                let g = s.xpos[i] as usize;
                if t != g {
                    tx.update(&fx, g, 1.0);
                    tx.update(&fx, t, -1.0);
                }
                tx.tick();
                pred.push(t as u8);
                p2 = p1;
                p1 = t as u64;
            }
            let mut up = START_U;
            for i in 0..s.toks.len() {
                ufeats(&s.toks, &pred, i, up, &mut fu);
                let sc = &mut sx[..nu];
                sc.fill(0.0);
                tu.score(&fu, sc);
                let t = argmax(sc);
                let g = s.upos[i] as usize;
                if t != g {
                    tu.update(&fu, g, 1.0);
                    tu.update(&fu, t, -1.0);
                }
                tu.tick();
                up = t as u64;
            }
            verb_sides(&pred, verb, &mut vl, &mut vr);
            let mut sp = (START_S, START_S + 1);
            for i in 0..s.toks.len() {
                sfeats(&s.toks, &pred, verb, vl[i], vr[i], i, sp, &mut fs);
                let sc = &mut sx[..ns];
                sc.fill(0.0);
                ts.score(&fs, sc);
                let t = argmax(sc);
                let g = s.sup[i] as usize;
                if t != g && g < ns {
                    ts.update(&fs, g, 1.0);
                    ts.update(&fs, t, -1.0);
                }
                ts.tick();
                sp = (t as u64, sp.0);
            }
        }
        let cur = Tagger {
            xt: tx.averaged(),
            ut: tu.averaged(),
            st: ts.averaged(),
            verb: verb.to_vec(),
            dict: TagDict::default(),
            xexit: Exit::off(&X_CTX),
            sexit: Exit::off(&S_CTX_U8),
        };
        match dev {
            Some(dev) => {
                let (ax, au, asup) = accuracy(&cur, dev);
                log(format!(
                    "tagger epoch {epoch}: dev XPOS {ax:.2} UPOS {au:.2} supertag {asup:.2}"
                ));
                let score = ax + au;
                if best.as_ref().is_none_or(|b| score > b.0) {
                    best = Some((score, cur, epoch));
                    since_best = 0;
                } else {
                    since_best += 1;
                    if since_best >= 3 {
                        break;
                    }
                }
            }
            None => {
                best = Some((0.0, cur, epoch));
            }
        }
    }
    match best {
        Some((_, t, e)) => (t, e),
        None => (
            Tagger {
                xt: tx.averaged(),
                ut: tu.averaged(),
                st: ts.averaged(),
                verb: verb.to_vec(),
                dict: TagDict::default(),
                xexit: Exit::off(&X_CTX),
                sexit: Exit::off(&S_CTX_U8),
            },
            0,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn same_tok(a: &Tok, b: &Tok) -> bool {
        (a.w, a.form, a.suf, a.pre, a.shape) == (b.w, b.form, b.suf, b.pre, b.shape)
    }

    /// The ASCII byte loop gives the general char loop's hashes, on every
    /// form of EWT test (when present) and on edge cases of every length,
    /// class change and the NUL character.
    #[test]
    fn ascii_tok_info_equals_general() {
        let mut forms: Vec<String> = [
            "", "a", "A", "0", "\0", "ab", "aB3", "U.S.", "1,000", "I'm", "--", "e-mail",
            "McDonald", "HELLO", "x\u{0}y", "\u{0}", "\u{7f}z", "abcdefgh", "12:30pm",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for c in 0u8..128 {
            forms.push((c as char).to_string());
            forms.push(format!("a{}Z9", c as char));
        }
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/ud-ewt/en_ewt-ud-test.conllu"
        );
        match crate::conllu::read_file(path) {
            Ok(c) => {
                for s in &c.sentences {
                    forms.extend(s.forms().iter().map(|f| f.to_string()));
                }
            }
            Err(_) => eprintln!("skipping the EWT part: {path} not found"),
        }
        let mut n = 0;
        for f in forms.iter().filter(|f| f.is_ascii()) {
            assert!(
                same_tok(&tok_info_ascii(f.as_bytes()), &tok_info_chars(f)),
                "{f:?}"
            );
            n += 1;
        }
        assert!(n > 256);
        // non-ASCII forms still take the general loop
        assert!(same_tok(&tok_info("Zürich"), &tok_info_chars("Zürich")));
        assert!(!same_tok(&tok_info("ab"), &tok_info("aB")));
    }

    /// The supertag step's margin function gives `top2`'s answer (first
    /// maximum, lead over the runner-up) and `kern::argmax`'s class with
    /// every kernel set this CPU can run, on random sums with ties and
    /// extremes, and leaves the sums unchanged.
    #[test]
    fn max_margin_equals_top2() {
        let mut rng = crate::Rng::new(41);
        let kerns = Kern::available();
        for round in 0..20_000 {
            let c = round % 170;
            let mut v = rng.scores(c, 100_000);
            let want = crate::table::top2(&v, usize::MAX);
            let before = v.clone();
            for &k in &kerns {
                assert_eq!(max_margin(k, &mut v), want, "{k:?} {v:?}");
                assert_eq!(v, before);
                if !v.is_empty() {
                    assert_eq!(want.0, crate::kern::argmax(k, &v), "{v:?}");
                }
            }
        }
        for &k in &kerns {
            assert_eq!(max_margin(k, &mut [3, 9, 4, 9]), (1, 0));
            assert_eq!(max_margin(k, &mut [3, 9, 4, -2]), (1, 5));
            assert_eq!(max_margin(k, &mut []), (0, 0));
        }
    }

    /// Only forms seen often enough with a single tag enter the dictionary;
    /// a threshold of 0 switches a map off.
    #[test]
    fn tag_dictionary_keeps_frequent_unambiguous_forms() {
        let mut xc: BTreeMap<u64, Vec<(u8, u32)>> = BTreeMap::new();
        xc.insert(10, vec![(3, 5)]); // frequent, one tag: in
        xc.insert(11, vec![(3, 4)]); // too rare: out
        xc.insert(12, vec![(3, 50), (4, 1)]); // ambiguous: out
        xc.insert(13, vec![(7, 9)]); // in
        let mut uc: BTreeMap<u64, Vec<(u8, u32)>> = BTreeMap::new();
        uc.insert(20, vec![(1, 1)]);
        uc.insert(21, vec![(1, 3), (2, 3)]);
        let d = TagDict::build(&xc, &uc, 5, 1);
        assert_eq!(d.xpos.pairs().len(), 2);
        assert_eq!(d.xpos.get(10), Some(3));
        assert_eq!(d.xpos.get(13), Some(7));
        assert_eq!(d.xpos.get(11), None);
        assert_eq!(d.xpos.get(12), None);
        assert_eq!(d.upos.get(20), Some(1));
        assert_eq!(d.upos.get(21), None);
        let off = TagDict::build(&xc, &uc, 0, 0);
        assert!(off.xpos.pairs().is_empty() && off.upos.pairs().is_empty());
        assert_eq!(off.xpos.get(10), None);
    }
}
