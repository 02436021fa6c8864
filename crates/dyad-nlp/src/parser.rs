//! Greedy arc-hybrid dependency parser with a dynamic oracle, averaged
//! perceptron transition classifier, and a separate label classifier
//! applied when an arc is built.

use crate::hash::{comb, f1, f2, f3, f4, finish};
use crate::table::{argmax, Exit, Inline3, Sparse, Table, Trainer, Weights};
use crate::Rng;

pub(crate) const SHIFT: usize = 0;
pub(crate) const LEFT: usize = 1;
pub(crate) const RIGHT: usize = 2;
pub(crate) const NO: u32 = u32::MAX;

/// Parser view of a token.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct PTok {
    pub w: u64,
    pub p: u64,
    pub u: u64,
    pub s3: u64,
    /// predicted supertag (relation + head direction)
    pub st: u64,
    /// the supertag's margin over the runner-up class (quantized units;
    /// 0 = unknown), for the supertag-label shortcut of
    /// [`Parser::label_fast`]
    pub sm: u32,
}

pub(crate) const ROOT_TOK: PTok = PTok {
    w: 0xA001,
    p: 900,
    u: 901,
    s3: 0xA002,
    st: 960,
    sm: 0,
};
const NONE_W: u64 = 0xB001;
const NONE_P: u64 = 950;
const NONE_L: u64 = 250;

/// Parser configuration plus incremental tree bookkeeping for features.
#[derive(Clone, Debug, Default)]
pub(crate) struct State {
    n: u32,
    stack: Vec<u32>,
    b: u32,
    pub head: Vec<u32>,
    pub label: Vec<u8>,
    l1: Vec<u32>,
    l2: Vec<u32>,
    r1: Vec<u32>,
    r2: Vec<u32>,
    nl: Vec<u8>,
    nr: Vec<u8>,
    lset: Vec<u64>,
    rset: Vec<u64>,
    /// Per-sentence cache of the transition sums of the single-role
    /// templates (see [`Parser::parse_cached`]).
    cache: Vec<[i32; 3]>,
    /// Per-thread (the state is reused) cache of the per-token role sums,
    /// across sentences (see [`RoleCache`]).
    roles: RoleCache,
}

impl State {
    pub(crate) fn reset(&mut self, n: usize) {
        let m = n + 1;
        self.n = n as u32;
        self.stack.clear();
        self.stack.push(0);
        self.b = 1;
        for v in [
            &mut self.head,
            &mut self.l1,
            &mut self.l2,
            &mut self.r1,
            &mut self.r2,
        ] {
            v.clear();
            v.resize(m, NO);
        }
        self.label.clear();
        self.label.resize(m, 0);
        self.nl.clear();
        self.nl.resize(m, 0);
        self.nr.clear();
        self.nr.resize(m, 0);
        self.lset.clear();
        self.lset.resize(m, 0);
        self.rset.clear();
        self.rset.resize(m, 0);
    }

    #[inline]
    fn s(&self, k: usize) -> u32 {
        let l = self.stack.len();
        if k < l {
            self.stack[l - 1 - k]
        } else {
            NO
        }
    }

    #[inline]
    fn bk(&self, k: u32) -> u32 {
        let i = self.b + k;
        if i <= self.n {
            i
        } else {
            NO
        }
    }

    #[inline]
    pub(crate) fn terminal(&self) -> bool {
        self.b > self.n && self.stack.len() <= 1
    }

    #[inline]
    pub(crate) fn valid(&self) -> [bool; 3] {
        let has_b = self.b <= self.n;
        let sl = self.stack.len();
        [has_b, has_b && sl >= 2, sl >= 3 || (sl == 2 && !has_b)]
    }

    /// Head and dependent of an arc move.
    #[inline]
    pub(crate) fn arc(&self, mv: usize) -> (u32, u32) {
        if mv == LEFT {
            (self.b, self.s(0))
        } else {
            (self.s(1), self.s(0))
        }
    }

    fn add_arc(&mut self, h: u32, d: u32, lab: u8) {
        let (hu, du) = (h as usize, d as usize);
        self.head[du] = h;
        self.label[du] = lab;
        let bit = 1u64 << (lab & 63);
        if d < h {
            self.nl[hu] = self.nl[hu].saturating_add(1);
            self.lset[hu] |= bit;
            if self.l1[hu] == NO || d < self.l1[hu] {
                self.l2[hu] = self.l1[hu];
                self.l1[hu] = d;
            } else if self.l2[hu] == NO || d < self.l2[hu] {
                self.l2[hu] = d;
            }
        } else {
            self.nr[hu] = self.nr[hu].saturating_add(1);
            self.rset[hu] |= bit;
            if self.r1[hu] == NO || d > self.r1[hu] {
                self.r2[hu] = self.r1[hu];
                self.r1[hu] = d;
            } else if self.r2[hu] == NO || d > self.r2[hu] {
                self.r2[hu] = d;
            }
        }
    }

    /// Apply a (valid) move; `lab` is used for arcs.
    pub(crate) fn apply(&mut self, mv: usize, lab: u8) {
        match mv {
            SHIFT => {
                self.stack.push(self.b);
                self.b += 1;
            }
            LEFT => {
                if let Some(d) = self.stack.pop() {
                    self.add_arc(self.b, d, lab);
                }
            }
            _ => {
                if let Some(d) = self.stack.pop() {
                    if let Some(&h) = self.stack.last() {
                        self.add_arc(h, d, lab);
                    }
                }
            }
        }
    }

    /// Dynamic-oracle costs of the three moves (arc-hybrid, Goldberg & Nivre 2013).
    pub(crate) fn costs(&self, gold: &[u32]) -> [u32; 3] {
        let mut c = [u32::MAX; 3];
        let v = self.valid();
        let n = self.n;
        let s0 = self.s(0);
        let s1 = self.s(1);
        let b = self.b;
        let in_buf = |k: u32| k != NO && k >= b && k <= n;
        // dependents of x in the buffer
        let deps_in_buf =
            |x: u32, from: u32| (from..=n).filter(|&k| gold[k as usize] == x).count() as u32;
        if v[LEFT] {
            let g = gold[s0 as usize];
            let mut cost = 0;
            if g != b && (g == s1 || (g > b && g <= n)) {
                cost += 1;
            }
            cost += deps_in_buf(s0, b);
            c[LEFT] = cost;
        }
        if v[RIGHT] {
            let g = gold[s0 as usize];
            let mut cost = 0;
            if g != s1 && in_buf(g) {
                cost += 1;
            }
            cost += deps_in_buf(s0, b);
            c[RIGHT] = cost;
        }
        if v[SHIFT] {
            let g = gold[b as usize];
            let mut cost = 0;
            for &k in &self.stack {
                if k != s0 && g == k {
                    cost += 1;
                }
                if k != 0 && gold[k as usize] == b {
                    cost += 1;
                }
            }
            c[SHIFT] = cost;
        }
        c
    }
}

/// Number of transition feature templates.
pub(crate) const NF: usize = 111;
/// Number of label feature templates.
pub(crate) const NLF: usize = 27;

#[inline]
fn dist(a: u32, b: u32) -> u64 {
    let d = a.abs_diff(b) as u64;
    if d <= 5 {
        d
    } else if d <= 10 {
        6
    } else {
        7
    }
}

struct Ctx<'a> {
    t: &'a [PTok],
    st: &'a State,
}

impl Ctx<'_> {
    /// `f` of token `i`, or `none` for the absent token [`NO`].
    #[inline(always)]
    fn tok(&self, i: u32, none: u64, f: impl Fn(&PTok) -> u64) -> u64 {
        if i == NO {
            none
        } else {
            f(&self.t[i as usize])
        }
    }
    #[inline]
    fn w(&self, i: u32) -> u64 {
        self.tok(i, NONE_W, |t| t.w)
    }
    #[inline]
    fn p(&self, i: u32) -> u64 {
        self.tok(i, NONE_P, |t| t.p)
    }
    #[inline]
    fn u(&self, i: u32) -> u64 {
        self.tok(i, NONE_P, |t| t.u)
    }
    #[inline]
    fn st(&self, i: u32) -> u64 {
        self.tok(i, NONE_P, |t| t.st)
    }
    #[inline]
    fn s3(&self, i: u32) -> u64 {
        self.tok(i, NONE_W, |t| t.s3)
    }
    #[inline]
    fn l(&self, i: u32) -> u64 {
        if i == NO {
            NONE_L
        } else {
            self.st.label[i as usize] as u64
        }
    }
    #[inline]
    fn get(&self, v: &[u32], i: u32) -> u32 {
        if i == NO {
            NO
        } else {
            v[i as usize]
        }
    }
    #[inline]
    fn cnt(&self, v: &[u8], i: u32) -> u64 {
        if i == NO {
            99
        } else {
            v[i as usize].min(7) as u64
        }
    }
    #[inline]
    fn set(&self, v: &[u64], i: u32) -> u64 {
        if i == NO {
            u64::MAX
        } else {
            v[i as usize]
        }
    }
}

pub(crate) fn feats(t: &[PTok], st: &State, o: &mut [u64; NF]) {
    let v = values(t, st);
    for (k, x) in o.iter_mut().enumerate() {
        *x = key(&v, k);
    }
}

// The values of a state that the transition templates read (indices into
// the array [`values`] fills).
const S0W: u8 = 0;
const S0P: u8 = 1;
const B0W: u8 = 2;
const B0P: u8 = 3;
const B1W: u8 = 4;
const B1P: u8 = 5;
const B2W: u8 = 6;
const B2P: u8 = 7;
const S1W: u8 = 8;
const S1P: u8 = 9;
const S2P: u8 = 10;
const S2W: u8 = 11;
/// distance s0–b0 (0 if either is absent)
const D: u8 = 12;
/// distance s0–s1 (0 if either is absent)
const D2: u8 = 13;
const S0LP: u8 = 14;
const S0RP: u8 = 15;
const B0LP: u8 = 16;
const S1RP: u8 = 17;
const S1LP: u8 = 18;
// valency counts (0..=7, 99 = absent token)
const S0NR: u8 = 19;
const S0NL: u8 = 20;
const B0NL: u8 = 21;
const S1NR: u8 = 22;
const S1NL: u8 = 23;
// leftmost / rightmost children: word, label
const S0LW: u8 = 24;
const S0LL: u8 = 25;
const S0RW: u8 = 26;
const S0RL: u8 = 27;
const B0LW: u8 = 28;
const B0LL: u8 = 29;
const S1RW: u8 = 30;
const S1RL: u8 = 31;
const S1LL: u8 = 32;
// second children: word, tag, label
const S0L2W: u8 = 33;
const S0L2P: u8 = 34;
const S0L2L: u8 = 35;
const S0R2W: u8 = 36;
const S0R2P: u8 = 37;
const S0R2L: u8 = 38;
const B0L2W: u8 = 39;
const B0L2P: u8 = 40;
const B0L2L: u8 = 41;
const S1R2P: u8 = 42;
// label sets
const S0RSET: u8 = 43;
const S0LSET: u8 = 44;
const B0LSET: u8 = 45;
const S1RSET: u8 = 46;
const S1LSET: u8 = 47;
// UPOS
const S0U: u8 = 48;
const B0U: u8 = 49;
const S1U: u8 = 50;
const B3P: u8 = 51;
// suffixes
const S0S3: u8 = 52;
const B0S3: u8 = 53;
// supertags
const S0ST: u8 = 54;
const B0ST: u8 = 55;
const S1ST: u8 = 56;
const B1ST: u8 = 57;
/// Length of the value array (a power of two: indices are masked, so
/// reading it needs no bounds check).
const NV: usize = 64;

/// A transition template: its key is `f{n}(id, v[ops[0]], .., v[ops[n-1]])`
/// (see [`crate::hash`]) over the state's [`values`].
#[derive(Clone, Copy, Debug)]
struct Tpl {
    n: u8,
    ops: [u8; 4],
}

const fn t1(a: u8) -> Tpl {
    Tpl {
        n: 1,
        ops: [a, 0, 0, 0],
    }
}
const fn t2(a: u8, b: u8) -> Tpl {
    Tpl {
        n: 2,
        ops: [a, b, 0, 0],
    }
}
const fn t3(a: u8, b: u8, c: u8) -> Tpl {
    Tpl {
        n: 3,
        ops: [a, b, c, 0],
    }
}
const fn t4(a: u8, b: u8, c: u8, d: u8) -> Tpl {
    Tpl {
        n: 4,
        ops: [a, b, c, d],
    }
}

/// The transition templates, by id: the one definition that training
/// ([`feats`]), [`Parser::parse`] and the runtime stages ([`Plan`]) hash.
#[rustfmt::skip]
const TEMPLATES: [Tpl; NF] = [
    t1(S0W), t1(S0P), t2(S0W, S0P),                             // 0-2
    t1(B0W), t1(B0P), t2(B0W, B0P),                             // 3-5
    t1(B1W), t1(B1P), t2(B1W, B1P),                             // 6-8
    t1(B2W), t1(B2P), t2(B2W, B2P),                             // 9-11
    t1(S1W), t1(S1P), t2(S1W, S1P),                             // 12-14
    t1(S2P), t1(S2W),                                           // 15-16
    t4(S0W, S0P, B0W, B0P),                                     // 17
    t3(S0W, S0P, B0W), t3(S0W, B0W, B0P),                       // 18-19
    t3(S0W, S0P, B0P), t3(S0P, B0W, B0P),                       // 20-21
    t2(S0W, B0W), t2(S0P, B0P), t2(B0P, B1P),                   // 22-24
    t2(S1P, S0P), t2(S1W, S0W),                                 // 25-26
    t3(S1W, S1P, S0P), t3(S1P, S0W, S0P),                       // 27-28
    t3(B0P, B1P, B2P), t3(S0P, B0P, B1P), t3(S1P, S0P, B0P),    // 29-31
    t3(S0P, S0LP, B0P), t3(S0P, S0RP, B0P), t3(S0P, B0P, B0LP), // 32-34
    t3(S1P, S1RP, S0P), t3(S1P, S0P, S0LP), t3(S2P, S1P, S0P),  // 35-37
    t3(S1P, S1LP, S0P),                                         // 38
    t2(S0W, D), t2(S0P, D), t2(B0W, D), t2(B0P, D),             // 39-42
    t3(S0W, B0W, D), t3(S0P, B0P, D),                           // 43-44
    t3(S1P, S0P, D2), t3(S1W, S0P, D2),                         // 45-46
    t2(S0W, S0NR), t2(S0P, S0NR), t2(S0W, S0NL), t2(S0P, S0NL), // 47-50
    t2(B0W, B0NL), t2(B0P, B0NL), t2(S1P, S1NR),                // 51-53
    t3(S1P, S1NL, S1NR),                                        // 54
    t1(S0LW), t1(S0LP), t1(S0LL),                               // 55-57
    t1(S0RW), t1(S0RP), t1(S0RL),                               // 58-60
    t1(B0LW), t1(B0LP), t1(B0LL),                               // 61-63
    t1(S1RW), t1(S1RP), t1(S1RL), t1(S1LP), t1(S1LL),           // 64-68
    t1(S0L2W), t1(S0L2P), t1(S0L2L),                            // 69-71
    t1(S0R2W), t1(S0R2P), t1(S0R2L),                            // 72-74
    t1(B0L2W), t1(B0L2P), t1(B0L2L),                            // 75-77
    t3(S0P, S0LP, S0L2P), t3(S0P, S0RP, S0R2P),                 // 78-79
    t3(B0P, B0LP, B0L2P), t3(S1P, S1RP, S1R2P),                 // 80-81
    t2(S0W, S0RSET), t2(S0P, S0RSET),                           // 82-83
    t2(S0W, S0LSET), t2(S0P, S0LSET),                           // 84-85
    t2(B0W, B0LSET), t2(B0P, B0LSET),                           // 86-87
    t2(S1P, S1RSET), t2(S1P, S1LSET),                           // 88-89
    t3(S0P, S0LL, B0P), t3(S1P, S1RL, S0P),                     // 90-91
    t2(S0U, B0U), t3(S1U, S0U, B0U),                            // 92-93
    t2(B0W, B1W), t2(B0W, B1P), t3(S0W, B0P, B1P),              // 94-96
    t3(B1P, B2P, B3P),                                          // 97
    t2(S0S3, B0P), t2(S0P, B0S3),                               // 98-99
    t4(S1P, S0P, B0P, B1P), t4(S1P, S0P, B0P, D),               // 100-101
    t1(S0ST), t1(B0ST), t1(S1ST), t1(B1ST),                     // 102-105
    t2(S0ST, B0ST), t2(S1ST, S0ST),                             // 106-107
    t3(S0P, S0ST, B0ST), t2(S0ST, B0P), t2(S0P, B0ST),          // 108-110
];

/// The values of state `st` that the templates read (see the constants
/// above; absent tokens give the same `NONE_*` values as [`Ctx`]).
#[inline(always)]
fn values(t: &[PTok], st: &State) -> [u64; NV] {
    let c = Ctx { t, st };
    let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
    let (b0, b1, b2) = (st.bk(0), st.bk(1), st.bk(2));
    let (s0l, s0l2) = (c.get(&st.l1, s0), c.get(&st.l2, s0));
    let (s0r, s0r2) = (c.get(&st.r1, s0), c.get(&st.r2, s0));
    let (s1l, s1r, s1r2) = (c.get(&st.l1, s1), c.get(&st.r1, s1), c.get(&st.r2, s1));
    let (b0l, b0l2) = (c.get(&st.l1, b0), c.get(&st.l2, b0));
    let mut v = [0u64; NV];
    let mut set = |i: u8, x: u64| v[i as usize] = x;
    set(S0W, c.w(s0));
    set(S0P, c.p(s0));
    set(B0W, c.w(b0));
    set(B0P, c.p(b0));
    set(B1W, c.w(b1));
    set(B1P, c.p(b1));
    set(B2W, c.w(b2));
    set(B2P, c.p(b2));
    set(S1W, c.w(s1));
    set(S1P, c.p(s1));
    set(S2P, c.p(s2));
    set(S2W, c.w(s2));
    let d = |a: u32, b: u32| if a != NO && b != NO { dist(a, b) } else { 0 };
    set(D, d(s0, b0));
    set(D2, d(s0, s1));
    set(S0LP, c.p(s0l));
    set(S0RP, c.p(s0r));
    set(B0LP, c.p(b0l));
    set(S1RP, c.p(s1r));
    set(S1LP, c.p(s1l));
    set(S0NR, c.cnt(&st.nr, s0));
    set(S0NL, c.cnt(&st.nl, s0));
    set(B0NL, c.cnt(&st.nl, b0));
    set(S1NR, c.cnt(&st.nr, s1));
    set(S1NL, c.cnt(&st.nl, s1));
    set(S0LW, c.w(s0l));
    set(S0LL, c.l(s0l));
    set(S0RW, c.w(s0r));
    set(S0RL, c.l(s0r));
    set(B0LW, c.w(b0l));
    set(B0LL, c.l(b0l));
    set(S1RW, c.w(s1r));
    set(S1RL, c.l(s1r));
    set(S1LL, c.l(s1l));
    set(S0L2W, c.w(s0l2));
    set(S0L2P, c.p(s0l2));
    set(S0L2L, c.l(s0l2));
    set(S0R2W, c.w(s0r2));
    set(S0R2P, c.p(s0r2));
    set(S0R2L, c.l(s0r2));
    set(B0L2W, c.w(b0l2));
    set(B0L2P, c.p(b0l2));
    set(B0L2L, c.l(b0l2));
    set(S1R2P, c.p(s1r2));
    set(S0RSET, c.set(&st.rset, s0));
    set(S0LSET, c.set(&st.lset, s0));
    set(B0LSET, c.set(&st.lset, b0));
    set(S1RSET, c.set(&st.rset, s1));
    set(S1LSET, c.set(&st.lset, s1));
    set(S0U, c.u(s0));
    set(B0U, c.u(b0));
    set(S1U, c.u(s1));
    set(B3P, c.p(st.bk(3)));
    set(S0S3, c.s3(s0));
    set(B0S3, c.s3(b0));
    set(S0ST, c.st(s0));
    set(B0ST, c.st(b0));
    set(S1ST, c.st(s1));
    set(B1ST, c.st(b1));
    v
}

/// The first step of every key of template `k`: `comb(0x51, k)`, as in
/// [`crate::hash::f1`] .. `f4`.
#[inline(always)]
const fn seed(k: usize) -> u64 {
    comb(0x51, k as u64)
}

/// The key of template `k` over values `v` (0 for `k >= NF`).
#[inline]
fn key(v: &[u64; NV], k: usize) -> u64 {
    let Some(tp) = TEMPLATES.get(k) else {
        return 0;
    };
    let mut h = seed(k);
    for &o in &tp.ops[..tp.n as usize] {
        h = comb(h, v[o as usize % NV]);
    }
    finish(h)
}
pub(crate) fn lfeats(t: &[PTok], st: &State, mv: usize, h: u32, d: u32, o: &mut [u64; NLF]) {
    let c = Ctx { t, st };
    let dir = mv as u32;
    let id = |k: u32| 200 + 2 * k + dir;
    let (hw, hp, dw, dp) = (c.w(h), c.p(h), c.w(d), c.p(d));
    let dd = dist(h, d);
    let near = if mv == LEFT {
        c.get(&st.l1, h)
    } else {
        c.get(&st.r1, h)
    };
    let hset = c.set(&st.lset, h) ^ c.set(&st.rset, h).rotate_left(32);
    let dprev = if d >= 2 { d - 1 } else { NO };
    let dnext = if d < st.n { d + 1 } else { NO };
    let cx = if mv == LEFT {
        c.p(st.s(1))
    } else {
        c.p(st.bk(0))
    };
    let ds3 = if d == NO { NONE_W } else { t[d as usize].s3 };
    o[0] = f1(id(0), dp);
    o[1] = f1(id(1), dw);
    o[2] = f2(id(2), dw, dp);
    o[3] = f1(id(3), hp);
    o[4] = f1(id(4), hw);
    o[5] = f2(id(5), hp, dp);
    o[6] = f2(id(6), hw, dp);
    o[7] = f2(id(7), hp, dw);
    o[8] = f2(id(8), hw, dw);
    o[9] = f3(id(9), hp, dp, dd);
    o[10] = f2(id(10), dp, dd);
    o[11] = f3(id(11), dp, c.l(c.get(&st.l1, d)), c.l(c.get(&st.r1, d)));
    o[12] = f2(id(12), dp, c.set(&st.lset, d));
    o[13] = f2(id(13), dp, c.set(&st.rset, d));
    o[14] = f3(id(14), hp, dp, c.l(near));
    o[15] = f3(id(15), hp, dp, hset);
    o[16] = f3(id(16), hp, dp, c.p(dprev));
    o[17] = f3(id(17), hp, dp, c.p(dnext));
    o[18] = f2(id(18), c.u(h), c.u(d));
    o[19] = f2(id(19), c.u(d), dw);
    o[20] = f3(id(20), hp, dp, cx);
    o[21] = f3(id(21), dw, hp, dd);
    o[22] = f3(id(22), dp, (d == 1) as u64, c.u(h));
    o[23] = f2(id(23), dp, ds3);
    o[24] = f4(id(24), hw, hp, dw, dp);
    o[25] = f1(id(25), c.st(d));
    o[26] = f2(id(26), c.st(d), hp);
}

/// The parser's weights.
#[derive(Clone, Debug)]
pub(crate) struct Parser<T = Table, W = Table> {
    pub trans: T,
    pub labels: W,
    pub root_label: u8,
    /// Early-exit schedule of the runtime transition scoring (empty in
    /// training: `parse` always sums every template).
    pub exit: Schedule,
    /// Early-exit rule of the arc labeller (runtime only; off while training).
    pub label_exit: Exit,
    /// Supertag-label shortcut (runtime only; 0 = off, as in training): an
    /// arc whose dependent's supertag names this side for its head, a
    /// relation other than the root label, and leads its runner-up by at
    /// least this margin takes the supertag's relation without scoring the
    /// labeller (see [`supertag_label`]).
    pub st_label: u32,
}

/// The relation the supertag of dependent `d` gives arc (`h`, `d`) under the
/// supertag-label shortcut with threshold `thr` (0 = off): `Some` when the
/// supertag's margin reaches `thr`, its head side (supertag class =
/// relation × 3 + side: 0 head to the left, 1 to the right, 2 root) is
/// the side of `h`, and its relation is a label below `nl` other than
/// `root`. `h` is not the root token.
#[inline(always)]
pub(crate) fn supertag_label(
    tok: &PTok,
    h: u32,
    d: u32,
    thr: u32,
    root: u8,
    nl: usize,
) -> Option<u8> {
    if thr == 0 || tok.sm < thr {
        return None;
    }
    let (rel, side) = (tok.st / 3, tok.st % 3);
    let want = u64::from(h > d);
    (side == want && rel != u64::from(root) && rel < nl as u64).then_some(rel as u8)
}

/// All label templates (the labeller has no cached word part).
pub(crate) const L_CTX: [u8; NLF] = {
    let mut o = [0u8; NLF];
    let mut i = 0;
    while i < NLF {
        o[i] = i as u8;
        i += 1;
    }
    o
};
/// Stage 1 of the label early exit: the templates over tags, UPOS,
/// direction, distance, supertag and child labels (not over words or
/// label sets), whose rows stay in cache.
pub(crate) const L_FIRST: [u8; 14] = [0, 3, 5, 9, 10, 11, 14, 16, 17, 18, 20, 22, 25, 26];

impl<T: Weights, W: Weights> Parser<T, W> {
    /// Choose a label for arc (h, d) built by `mv`.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn label(
        &self,
        t: &[PTok],
        st: &State,
        mv: usize,
        h: u32,
        d: u32,
        lf: &mut [u64; NLF],
        sc: &mut [f32],
    ) -> u8 {
        if h == 0 {
            return self.root_label;
        }
        lfeats(t, st, mv, h, d, lf);
        sc.fill(0.0);
        self.labels.score(lf, sc);
        if let Some(r) = sc.get_mut(self.root_label as usize) {
            *r = f32::NEG_INFINITY;
        }
        argmax(sc) as u8
    }

    /// Parse; `t[0]` is the root token. Heads/labels are left in `st`.
    pub(crate) fn parse(&self, t: &[PTok], st: &mut State) {
        let n = t.len().saturating_sub(1);
        st.reset(n);
        let mut f = [0u64; NF];
        let mut lf = [0u64; NLF];
        let mut lsc = [0f32; 256];
        let nl = self.labels.classes().min(256);
        while !st.terminal() {
            feats(t, st, &mut f);
            let mut sc = [0f32; 3];
            self.trans.score(&f, &mut sc);
            let v = st.valid();
            let mut best = usize::MAX;
            let mut bv = f32::NEG_INFINITY;
            for m in 0..3 {
                if v[m] && (best == usize::MAX || sc[m] > bv) {
                    best = m;
                    bv = sc[m];
                }
            }
            if best == usize::MAX {
                break;
            }
            let mut lab = 0u8;
            if best != SHIFT {
                let (h, d) = st.arc(best);
                lab = self.label(t, st, best, h, d, &mut lf, &mut lsc[..nl]);
            }
            st.apply(best, lab);
        }
    }
}

/// Templates that read only s0's own token attributes.
const S0_T: [usize; 4] = [0, 1, 2, 102];
/// Templates that read only s1's own token attributes.
const S1_T: [usize; 4] = [12, 13, 14, 104];
/// Templates that read only s2's own token attributes.
const S2_T: [usize; 2] = [15, 16];
/// Templates that read only b0..b3 (the buffer is always b0, b0+1, ...,
/// so these are a function of b0's index).
const B_T: [usize; 16] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 24, 29, 94, 95, 97, 103, 105];
const fn contains(list: &[usize], x: usize) -> bool {
    let mut j = 0;
    while j < list.len() {
        if list[j] == x {
            return true;
        }
        j += 1;
    }
    false
}

const fn cached_template(i: usize) -> bool {
    contains(&S0_T, i) || contains(&S1_T, i) || contains(&S2_T, i) || contains(&B_T, i)
}

/// Number of templates looked up afresh for every transition.
const NDYN: usize = {
    let mut k = 0;
    let mut i = 0;
    while i < NF {
        if !cached_template(i) {
            k += 1;
        }
        i += 1;
    }
    k
};
/// The templates looked up afresh for every transition, in order.
const DYN_T: [usize; NDYN] = {
    let mut o = [0usize; NDYN];
    let mut k = 0;
    let mut i = 0;
    while i < NF {
        if !cached_template(i) {
            o[k] = i;
            k += 1;
        }
        i += 1;
    }
    o
};

/// Every template is in exactly one group (checked at compile time).
const _: () = {
    let groups: [&[usize]; 4] = [&S0_T, &S1_T, &S2_T, &B_T];
    let mut i = 0;
    while i < NF {
        let mut n = 0;
        let mut g = 0;
        while g < groups.len() {
            if contains(groups[g], i) {
                n += 1;
            }
            g += 1;
        }
        assert!(n <= 1, "template in two cached role groups");
        i += 1;
    }
    assert!(NDYN == NF - 4 - 4 - 2 - 16);
};

/// The keys of the single-role templates for token `i` (`NO` = absent) in
/// role s0, s1, s2, and as b0 (with b1..b3 following it): the reference
/// for [`Parser::fill_cache`].
#[cfg(test)]
fn role_feats(
    t: &[PTok],
    st: &State,
    i: u32,
    s0: &mut [u64; 4],
    s1: &mut [u64; 4],
    s2: &mut [u64; 2],
    b: &mut [u64; 16],
) {
    let c = Ctx { t, st };
    let (w, p, s) = (c.w(i), c.p(i), c.st(i));
    *s0 = [f1(0, w), f1(1, p), f2(2, w, p), f1(102, s)];
    *s1 = [f1(12, w), f1(13, p), f2(14, w, p), f1(104, s)];
    *s2 = [f1(15, p), f1(16, w)];
    let nx = |k: u32| if i != NO && i + k <= st.n { i + k } else { NO };
    let (b1, b2, b3) = (nx(1), nx(2), nx(3));
    let (b0w, b0p, b1w, b1p, b2w, b2p) = (w, p, c.w(b1), c.p(b1), c.w(b2), c.p(b2));
    *b = [
        f1(3, b0w),
        f1(4, b0p),
        f2(5, b0w, b0p),
        f1(6, b1w),
        f1(7, b1p),
        f2(8, b1w, b1p),
        f1(9, b2w),
        f1(10, b2p),
        f2(11, b2w, b2p),
        f2(24, b0p, b1p),
        f3(29, b0p, b1p, b2p),
        f2(94, b0w, b1w),
        f2(95, b0w, b1p),
        f3(97, b1p, b2p, c.p(b3)),
        f1(103, s),
        f1(105, c.st(b1)),
    ];
}

/// The single-role sums of one token (word, tag, supertag): the templates
/// of s0 ([`S0_T`]), s1 ([`S1_T`]), s2 ([`S2_T`]), and those of the buffer
/// group ([`B_T`]) that read b0 alone, b1 alone, b2 alone.
type TokParts = [[i32; 3]; 6];

/// The [`B_T`] templates that read b0 / b1 / b2 alone, and the rest.
const B0_T: [usize; 4] = [3, 4, 5, 103];
const B1_T: [usize; 4] = [6, 7, 8, 105];
const B2_T: [usize; 3] = [9, 10, 11];
const BN_T: [usize; 5] = [24, 29, 94, 95, 97];
const _: () = {
    let parts: [&[usize]; 4] = [&B0_T, &B1_T, &B2_T, &BN_T];
    let mut n = 0;
    let mut g = 0;
    while g < parts.len() {
        let mut j = 0;
        while j < parts[g].len() {
            assert!(contains(&B_T, parts[g][j]), "not a buffer template");
            n += 1;
            j += 1;
        }
        g += 1;
    }
    assert!(n == B_T.len(), "buffer templates split wrongly");
};

/// The [`TokParts`] of a token with word `w`, tag `p`, supertag `s`.
#[inline]
fn tok_parts(trans: &Inline3, w: u64, p: u64, s: u64) -> TokParts {
    let k = [
        // s0 (templates 0, 1, 2, 102)
        f1(0, w),
        f1(1, p),
        f2(2, w, p),
        f1(102, s),
        // s1 (12, 13, 14, 104)
        f1(12, w),
        f1(13, p),
        f2(14, w, p),
        f1(104, s),
        // s2 (15, 16)
        f1(15, p),
        f1(16, w),
        // b0 (3, 4, 5, 103)
        f1(3, w),
        f1(4, p),
        f2(5, w, p),
        f1(103, s),
        // b1 (6, 7, 8, 105)
        f1(6, w),
        f1(7, p),
        f2(8, w, p),
        f1(105, s),
        // b2 (9, 10, 11)
        f1(9, w),
        f1(10, p),
        f2(11, w, p),
    ];
    for &x in &k {
        trans.prefetch(x);
    }
    [
        trans.probe(&k[0..4]),
        trans.probe(&k[4..8]),
        trans.probe(&k[8..10]),
        trans.probe(&k[10..14]),
        trans.probe(&k[14..18]),
        trans.probe(&k[18..21]),
    ]
}

/// One entry of the [`RoleCache`]: the owner table's [`Uid`] (0 = empty),
/// the full (word, tag, supertag) triple, and its sums.
#[derive(Clone, Copy, Debug, Default)]
struct RoleEntry {
    owner: u64,
    key: [u64; 3],
    parts: TokParts,
}

/// Direct-mapped cache of [`tok_parts`] across sentences (frequent tokens
/// repeat). An entry is used only if its owner is the table asked and its
/// stored triple equals the token's in full, so a hit returns exactly the
/// sums [`tok_parts`] would compute (integer sums: bit-identical), whatever
/// the hash of the triple collides with.
#[derive(Clone, Debug, Default)]
pub(crate) struct RoleCache {
    e: Vec<RoleEntry>,
    /// per-sentence [`TokParts`] by slot (reused buffer)
    parts: Vec<TokParts>,
}

/// log2 of the number of [`RoleCache`] entries.
const ROLE_BITS: u32 = 12;

impl RoleCache {
    /// The [`TokParts`] of slots `0..m` whose (word, tag, supertag) is
    /// `tokv(slot)`, under `trans`.
    fn parts(
        &mut self,
        trans: &Inline3,
        m: usize,
        tokv: impl Fn(usize) -> (u64, u64, u64),
    ) -> &[TokParts] {
        if self.e.len() != 1 << ROLE_BITS {
            self.e = vec![RoleEntry::default(); 1 << ROLE_BITS];
        }
        let owner = trans.uid.get();
        self.parts.clear();
        for slot in 0..m {
            let (w, p, s) = tokv(slot);
            let h = (w ^ p.rotate_left(21) ^ s.rotate_left(42)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            let idx = (h >> (64 - ROLE_BITS)) as usize & ((1 << ROLE_BITS) - 1);
            let e = &mut self.e[idx];
            if e.owner != owner || e.key != [w, p, s] {
                *e = RoleEntry {
                    owner,
                    key: [w, p, s],
                    parts: tok_parts(trans, w, p, s),
                };
            }
            self.parts.push(e.parts);
        }
        &self.parts
    }
}

impl Parser<Inline3, Sparse> {
    /// The label of arc (h, d) built by `mv` at run time: the root label
    /// for the root attachment, else the supertag's relation when the
    /// supertag-label shortcut applies ([`supertag_label`]), else
    /// [`Parser::label_scored`].
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn label_fast(
        &self,
        t: &[PTok],
        st: &State,
        mv: usize,
        h: u32,
        d: u32,
        lf: &mut [u64; NLF],
        acc: &mut [i32; 256],
    ) -> u8 {
        if h == 0 {
            return self.root_label;
        }
        if self.st_label != 0 {
            if let Some(tok) = t.get(d as usize) {
                let nl = self.labels.c.min(256);
                if let Some(l) = supertag_label(tok, h, d, self.st_label, self.root_label, nl) {
                    return l;
                }
            }
        }
        self.label_scored(t, st, mv, h, d, lf, acc)
    }

    /// [`Parser::label`] of a non-root arc with exact integer scores (same
    /// choice: the first best class other than the root label) and the
    /// labeller's early-exit rule.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn label_scored(
        &self,
        t: &[PTok],
        st: &State,
        mv: usize,
        h: u32,
        d: u32,
        lf: &mut [u64; NLF],
        acc: &mut [i32; 256],
    ) -> u8 {
        lfeats(t, st, mv, h, d, lf);
        let nl = self.labels.c.min(256);
        acc[..nl].fill(0);
        let root = self.root_label as usize;
        if let Some(b) = self.label_exit.stage1(&self.labels, lf, acc, nl, root) {
            return b as u8;
        }
        self.label_exit.add_rest(&self.labels, lf, acc);
        let mut best = 0usize;
        let mut bv = i32::MIN;
        let mut first = true;
        for (i, &v) in acc[..nl].iter().enumerate() {
            if i != root && (first || v > bv) {
                best = i;
                bv = v;
                first = false;
            }
        }
        if first {
            0
        } else {
            best as u8
        }
    }

    /// Fill `cache` with the exact per-token sums of the single-role
    /// templates: four roles (s0, s1, s2, b0 with b1..b3) of `m = n + 2`
    /// slots each (0..=n tokens, n + 1 "absent"). Returns `m`.
    ///
    /// 21 of the 26 templates read one token's (word, tag, supertag) only
    /// (in role s0, s1, s2, b0, b1 or b2); their six sums per token come
    /// from `roles`, a cache across sentences keyed by that value triple
    /// (see [`RoleCache`]). The b0 role's slot adds b0's, b1's and b2's
    /// parts and the 5 templates that read several buffer tokens.
    fn fill_cache(
        trans: &Inline3,
        t: &[PTok],
        st: &State,
        roles: &mut RoleCache,
        cache: &mut Vec<[i32; 3]>,
    ) -> usize {
        let n = t.len().saturating_sub(1);
        let m = n + 2;
        cache.clear();
        cache.resize(4 * m, [0; 3]);
        let c = Ctx { t, st };
        let tokv = |slot: usize| {
            let i = if slot <= n { slot as u32 } else { NO };
            (c.w(i), c.p(i), c.st(i))
        };
        let parts = roles.parts(trans, m, tokv);
        // token index `slot + k` as a slot (past the end: absent)
        let at = |slot: usize, k: usize| {
            if slot <= n && slot + k <= n {
                slot + k
            } else {
                n + 1
            }
        };
        for slot in 0..m {
            let p = &parts[slot];
            cache[slot] = p[0];
            cache[m + slot] = p[1];
            cache[2 * m + slot] = p[2];
            let (b0w, b0p, _) = tokv(slot);
            let (b1w, b1p, _) = tokv(at(slot, 1));
            let (_, b2p, _) = tokv(at(slot, 2));
            let (_, b3p, _) = tokv(at(slot, 3));
            let keys = [
                f2(24, b0p, b1p),
                f3(29, b0p, b1p, b2p),
                f2(94, b0w, b1w),
                f2(95, b0w, b1p),
                f3(97, b1p, b2p, b3p),
            ];
            let mut b = trans.sums(&keys);
            add3(&mut b, p[3]);
            add3(&mut b, parts[at(slot, 1)][4]);
            add3(&mut b, parts[at(slot, 2)][5]);
            cache[3 * m + slot] = b;
        }
        m
    }

    /// [`Parser::fill_cache`] without the role cache: every slot's keys
    /// from [`role_feats`] (the reference).
    #[cfg(test)]
    fn fill_cache_ref(trans: &Inline3, t: &[PTok], st: &State, cache: &mut Vec<[i32; 3]>) -> usize {
        let n = t.len().saturating_sub(1);
        let m = n + 2;
        cache.clear();
        cache.resize(4 * m, [0; 3]);
        let (mut k0, mut k1, mut k2, mut kb) = ([0u64; 4], [0u64; 4], [0u64; 2], [0u64; 16]);
        for slot in 0..m {
            let i = if slot <= n { slot as u32 } else { NO };
            role_feats(t, st, i, &mut k0, &mut k1, &mut k2, &mut kb);
            cache[slot] = trans.sums(&k0);
            cache[m + slot] = trans.sums(&k1);
            cache[2 * m + slot] = trans.sums(&k2);
            cache[3 * m + slot] = trans.sums(&kb);
        }
        m
    }

    /// The sum of the cached single-role parts of `st` (see
    /// [`Parser::fill_cache`]).
    #[inline]
    fn cached_part(st: &State, cache: &[[i32; 3]], m: usize) -> [i32; 3] {
        let n = m - 2;
        let at = |i: u32| {
            if i == NO {
                n + 1
            } else {
                (i as usize).min(n + 1)
            }
        };
        let mut acc = [0i32; 3];
        for part in [
            cache[at(st.s(0))],
            cache[m + at(st.s(1))],
            cache[2 * m + at(st.s(2))],
            cache[3 * m + at(st.bk(0))],
        ] {
            add3(&mut acc, part);
        }
        acc
    }

    /// Pick the best valid move of `st` by its transition scores; the
    /// single-role parts come from `cache` (per token and role, see
    /// [`Parser::parse_cached`]). With an early-exit schedule
    /// ([`Schedule`]), the per-transition templates are summed in the
    /// schedule's order and the move is taken as soon as its margin over
    /// the runner-up reaches the stage's threshold.
    #[inline]
    fn score_cached(
        &self,
        t: &[PTok],
        st: &State,
        df: &mut [u64; NDYN],
        cache: &[[i32; 3]],
        m: usize,
        v: [bool; 3],
    ) -> usize {
        let mut acc = Self::cached_part(st, cache, m);
        let vals = values(t, st);
        // only the keys of the stages summed are hashed, a stage's keys in
        // one pass (see [`Segment`])
        for seg in &self.exit.plan {
            let n = seg.keys(&vals, df, &self.trans);
            add3(&mut acc, self.trans.probe(&df[..n]));
            if let Some(thr) = seg.thr {
                let (best, margin) = pick(acc, v);
                if margin >= thr {
                    return best;
                }
            }
        }
        pick(acc, v).0
    }

    /// [`Parser::parse`] for the quantized runtime model: the templates
    /// that depend on one token in one role (26 of 111) are summed once per
    /// token and sentence as exact integers, so each transition looks up
    /// only the remaining ones. Without an early-exit schedule the result is
    /// that of [`Parser::parse`] bit for bit; with one, a transition may be
    /// decided on a prefix of its templates (see [`Schedule`]).
    pub(crate) fn parse_cached(&self, t: &[PTok], st: &mut State) {
        self.parse_cached_with(t, st, |_, _, _, _, _| {});
    }

    /// [`Parser::parse_cached`], calling `on_arc(state, move, head,
    /// dependent, label)` for every arc just before it is applied (tests
    /// observe the labelling this way; the runtime passes a no-op, which
    /// compiles away).
    #[inline(always)]
    fn parse_cached_with(
        &self,
        t: &[PTok],
        st: &mut State,
        mut on_arc: impl FnMut(&State, usize, u32, u32, u8),
    ) {
        let n = t.len().saturating_sub(1);
        st.reset(n);
        let mut cache = std::mem::take(&mut st.cache);
        let mut roles = std::mem::take(&mut st.roles);
        let m = Self::fill_cache(&self.trans, t, st, &mut roles, &mut cache);
        st.roles = roles;
        let mut df = [0u64; NDYN];
        let mut lf = [0u64; NLF];
        let mut lacc = [0i32; 256];
        while !st.terminal() {
            let v = st.valid();
            let nvalid = v.iter().filter(|&&x| x).count();
            let best = match nvalid {
                0 => break,
                // A forced move (only SHIFT with the root alone on the stack,
                // only RIGHT once the buffer is empty) needs no scores.
                1 => v.iter().position(|&x| x).unwrap_or(SHIFT),
                _ => self.score_cached(t, st, &mut df, &cache, m, v),
            };
            if best > RIGHT {
                break;
            }
            let mut lab = 0u8;
            if best != SHIFT {
                let (h, d) = st.arc(best);
                lab = self.label_fast(t, st, best, h, d, &mut lf, &mut lacc);
                on_arc(st, best, h, d, lab);
            }
            st.apply(best, lab);
        }
        st.cache = cache;
    }

    /// Along the runtime parse of `t` ([`Parser::parse_cached`]'s moves and
    /// labels): (non-root arcs, arcs labelled by the supertag-label
    /// shortcut, of those the ones [`Parser::label_scored`] labels the
    /// same, other arcs whose label differs from `label_scored`'s — 0
    /// unless the shortcut fires where it should not).
    #[cfg(test)]
    pub(crate) fn shortcut_agreement(&self, t: &[PTok], st: &mut State) -> [usize; 4] {
        let mut lf = [0u64; NLF];
        let mut lacc = [0i32; 256];
        let nl = self.labels.c.min(256);
        let mut r = [0usize; 4];
        self.parse_cached_with(t, st, |st, best, h, d, lab| {
            if h == 0 {
                return;
            }
            let scored = self.label_scored(t, st, best, h, d, &mut lf, &mut lacc);
            let tok = t.get(d as usize).copied().unwrap_or_default();
            r[0] += 1;
            if supertag_label(&tok, h, d, self.st_label, self.root_label, nl).is_some() {
                r[1] += 1;
                r[2] += usize::from(lab == scored);
            } else {
                r[3] += usize::from(lab != scored);
            }
        });
        r
    }

    /// Walk the full-scoring parse of every sentence of `sents` and call
    /// `visit(v, cached part, per-transition template weights, full best)`
    /// at every scored state (the weights in [`DYN_T`] order).
    fn walk_scored(&self, sents: &[Vec<PTok>], visit: &mut ScoredVisit<'_>) {
        let mut st = State::default();
        let mut cache = Vec::new();
        let mut roles = RoleCache::default();
        let mut lf = [0u64; NLF];
        let mut lacc = [0i32; 256];
        let mut w = [[0i32; 3]; NDYN];
        for t in sents {
            st.reset(t.len().saturating_sub(1));
            let m = Self::fill_cache(&self.trans, t, &st, &mut roles, &mut cache);
            while !st.terminal() {
                let v = st.valid();
                let nvalid = v.iter().filter(|&&x| x).count();
                let best = match nvalid {
                    0 => break,
                    1 => v.iter().position(|&x| x).unwrap_or(SHIFT),
                    _ => {
                        let vals = values(t, &st);
                        let base = Self::cached_part(&st, &cache, m);
                        let mut acc = base;
                        for (wj, &k) in w.iter_mut().zip(DYN_T.iter()) {
                            *wj = self.trans.sums(&[key(&vals, k)]);
                            add3(&mut acc, *wj);
                        }
                        let best = pick(acc, v).0;
                        visit(v, base, &w, best);
                        best
                    }
                };
                if best > RIGHT {
                    break;
                }
                let mut lab = 0u8;
                if best != SHIFT {
                    let (h, d) = st.arc(best);
                    lab = self.label_fast(t, &st, best, h, d, &mut lf, &mut lacc);
                }
                st.apply(best, lab);
            }
        }
    }

    /// Calibrate an early-exit schedule on held-out sentences (parser input
    /// as the runtime tagger gives it): the per-transition templates are
    /// ordered by how much they separate the full decision from the
    /// runner-up (sum of |w[best] − w[runner-up]| over all scored states,
    /// ties by template id), and for each stage end of `ends` (templates of
    /// that order summed so far, increasing, below [`NDYN`]) the threshold
    /// is the lowest margin such that, among the states not decided at an
    /// earlier stage, those with at least that margin disagree with the
    /// full decision at most `max_bad` of the time (no such margin: the
    /// stage never exits). Deterministic.
    pub(crate) fn calibrate(&self, sents: &[Vec<PTok>], ends: &[usize], max_bad: f64) -> Schedule {
        let mut imp = [0i64; NDYN];
        self.walk_scored(sents, &mut |v, _, w, best| {
            let r = runner_up(v, best, |mv| w.iter().map(|x| x[mv] as i64).sum());
            if let Some(r) = r {
                for (i, x) in imp.iter_mut().zip(w) {
                    *i += (x[best] as i64 - x[r] as i64).abs();
                }
            }
        });
        let mut idx: Vec<usize> = (0..NDYN).collect();
        idx.sort_by_key(|&j| (std::cmp::Reverse(imp[j]), DYN_T[j]));
        let mut ends: Vec<usize> = ends.iter().copied().filter(|&e| e < NDYN).collect();
        ends.sort_unstable();
        ends.dedup();
        // per scored state: (margin, early decision == full decision) per stage
        let mut rec: Vec<Vec<(i32, bool)>> = Vec::new();
        self.walk_scored(sents, &mut |v, base, w, best| {
            let mut acc = base;
            let mut start = 0;
            let mut r = Vec::with_capacity(ends.len());
            for &e in &ends {
                for &j in &idx[start..e] {
                    add3(&mut acc, w[j]);
                }
                start = e;
                let (b, margin) = pick(acc, v);
                r.push((margin, b == best));
            }
            rec.push(r);
        });
        let mut alive: Vec<usize> = (0..rec.len()).collect();
        let mut stages = Vec::with_capacity(ends.len());
        for (k, &e) in ends.iter().enumerate() {
            let mut ms: Vec<(i32, bool)> = alive.iter().map(|&s| rec[s][k]).collect();
            ms.sort_by_key(|&(m, ok)| (std::cmp::Reverse(m), ok));
            let mut thr = i32::MAX;
            let mut bad = 0usize;
            for i in 0..ms.len() {
                bad += usize::from(!ms[i].1);
                let boundary = i + 1 == ms.len() || ms[i + 1].0 != ms[i].0;
                if boundary && bad as f64 <= max_bad * (i + 1) as f64 {
                    thr = ms[i].0;
                }
            }
            alive.retain(|&s| rec[s][k].0 < thr);
            stages.push((e as u8, thr));
        }
        Schedule::new(idx.iter().map(|&j| DYN_T[j] as u8).collect(), stages)
    }

    /// Along the full-scoring parses of `sents`: (scored states, states the
    /// early-exit schedule decides before the last stage, of those the ones
    /// decided as the full scoring decides, per stage early exits).
    pub(crate) fn exit_agreement(&self, sents: &[Vec<PTok>]) -> (usize, usize, usize, Vec<usize>) {
        let ex = &self.exit;
        let mut pos = [0usize; NF];
        for (j, &k) in DYN_T.iter().enumerate() {
            pos[k] = j;
        }
        let (mut n, mut early, mut same) = (0, 0, 0);
        let mut per = vec![0usize; ex.stages().len()];
        self.walk_scored(sents, &mut |v, base, w, best| {
            n += 1;
            let mut acc = base;
            let mut start = 0;
            for (k, &(end, thr)) in ex.stages().iter().enumerate() {
                let end = (end as usize).clamp(start, NDYN);
                for &t in &ex.order()[start..end] {
                    add3(&mut acc, w[pos[t as usize % NF]]);
                }
                start = end;
                let (b, margin) = pick(acc, v);
                if margin >= thr {
                    early += 1;
                    per[k] += 1;
                    same += usize::from(b == best);
                    return;
                }
            }
        });
        (n, early, same, per)
    }
}

/// Callback of [`Parser::walk_scored`]: valid moves, the cached single-role
/// sum, the per-transition templates' weights (in [`DYN_T`] order) and the
/// full scoring's move.
type ScoredVisit<'a> = dyn FnMut([bool; 3], [i32; 3], &[[i32; 3]; NDYN], usize) + 'a;

/// Add three class sums.
#[inline(always)]
fn add3(acc: &mut [i32; 3], x: [i32; 3]) {
    for (a, p) in acc.iter_mut().zip(x) {
        *a += p;
    }
}

/// The best valid move by `acc` (the first of equal ones, as
/// [`Parser::parse`] picks) and its margin over the best other valid move
/// (`i32::MAX` if it is the only one). Scores are exact integers below
/// 2^24, so comparing them as i32 orders them as their f32 values.
#[inline(always)]
fn pick(acc: [i32; 3], v: [bool; 3]) -> (usize, i32) {
    let mut best = usize::MAX;
    let mut bv = i32::MIN;
    for mv in 0..3 {
        if v[mv] && (best == usize::MAX || acc[mv] > bv) {
            best = mv;
            bv = acc[mv];
        }
    }
    let mut margin = i32::MAX;
    for mv in 0..3 {
        if v[mv] && mv != best {
            margin = margin.min(bv.saturating_sub(acc[mv]));
        }
    }
    (best, margin)
}

/// The best valid move other than `best` by `score` (first of equals).
fn runner_up(v: [bool; 3], best: usize, score: impl Fn(usize) -> i64) -> Option<usize> {
    let mut r: Option<usize> = None;
    for (mv, &ok) in v.iter().enumerate() {
        if ok && mv != best && r.is_none_or(|x| score(mv) > score(x)) {
            r = Some(mv);
        }
    }
    r
}

/// Early-exit schedule for transition scoring (model data, calibrated at
/// save time by [`Parser::calibrate`]; He, Eisner & Daumé 2013 style
/// dynamic feature selection). The per-transition templates are summed in
/// `order`; after the first `stages[k].0` of them, the best valid move is
/// taken if its margin over the runner-up is at least `stages[k].1`.
/// Empty = every template is summed (exactly [`Parser::parse`]'s choice).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Schedule {
    /// All [`NDYN`] per-transition template ids, most important first
    /// (may be empty when `stages` is).
    order: Vec<u8>,
    /// (templates summed so far, strictly increasing and below [`NDYN`],
    /// 0 = the single-role sums only; margin threshold ≥ 0).
    stages: Vec<(u8, i32)>,
    /// The run-time form of `order` and `stages` (derived from them).
    plan: Vec<Segment>,
}

impl Default for Schedule {
    fn default() -> Schedule {
        Schedule::new(Vec::new(), Vec::new())
    }
}

/// One early-exit stage as [`Parser::score_cached`] runs it: the stage's
/// templates grouped by arity (the order of the keys within a stage does
/// not change their integer sum), each with its first hash step done, and
/// the stage's threshold (`None` for the last stage: always decide).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Segment {
    /// `by_n[a - 1]`: the templates over `a` values.
    by_n: [Vec<Op>; 4],
    thr: Option<i32>,
}

/// A template as a stage hashes it: `seed(id)` and its value indices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Op {
    seed: u64,
    ops: [u8; 4],
}

impl Segment {
    fn new(ids: &[u8], thr: Option<i32>) -> Segment {
        let mut by_n: [Vec<Op>; 4] = Default::default();
        for &k in ids {
            let k = k as usize;
            // ids beyond the templates only occur in schedules the loader
            // rejects (`validate`)
            if let Some(tp) = TEMPLATES.get(k) {
                let n = (tp.n as usize).clamp(1, 4);
                by_n[n - 1].push(Op {
                    seed: seed(k),
                    ops: tp.ops,
                });
            }
        }
        Segment { by_n, thr }
    }

    /// Hash the stage's keys into `out` (prefetching their home slots in
    /// `tbl`); returns how many.
    #[inline(always)]
    fn keys(&self, v: &[u64; NV], out: &mut [u64; NDYN], tbl: &Inline3) -> usize {
        let [n1, n2, n3, n4] = &self.by_n;
        let mut n = 0;
        n += hash_ops::<1>(n1, v, &mut out[n..], tbl);
        n += hash_ops::<2>(n2, v, &mut out[n.min(NDYN)..], tbl);
        n += hash_ops::<3>(n3, v, &mut out[n.min(NDYN)..], tbl);
        n += hash_ops::<4>(n4, v, &mut out[n.min(NDYN)..], tbl);
        n.min(NDYN)
    }
}

/// The keys of templates `ops` (all over `A` values) into `out`, their home
/// slots in `tbl` prefetched; returns how many.
#[inline(always)]
fn hash_ops<const A: usize>(ops: &[Op], v: &[u64; NV], out: &mut [u64], tbl: &Inline3) -> usize {
    let mut n = 0;
    for (o, d) in ops.iter().zip(out.iter_mut()) {
        let mut h = o.seed;
        for &x in &o.ops[..A] {
            h = comb(h, v[x as usize % NV]);
        }
        let k = finish(h);
        *d = k;
        tbl.prefetch(k);
        n += 1;
    }
    n
}

impl Schedule {
    /// A schedule summing the per-transition templates in `order` (ids)
    /// with early exits after the `stages` (end, threshold); see
    /// [`Schedule::validate`] for what the loader accepts.
    pub(crate) fn new(order: Vec<u8>, stages: Vec<(u8, i32)>) -> Schedule {
        let mut plan = Vec::with_capacity(stages.len() + 1);
        if stages.is_empty() {
            let all: Vec<u8> = DYN_T.iter().map(|&k| k as u8).collect();
            plan.push(Segment::new(&all, None));
        } else {
            let mut start = 0;
            for &(end, thr) in &stages {
                let end = (end as usize).clamp(start, NDYN);
                plan.push(Segment::new(
                    order.get(start..end).unwrap_or(&[]),
                    Some(thr),
                ));
                start = end;
            }
            plan.push(Segment::new(order.get(start..).unwrap_or(&[]), None));
        }
        Schedule {
            order,
            stages,
            plan,
        }
    }

    /// The per-transition template ids in scoring order.
    pub(crate) fn order(&self) -> &[u8] {
        &self.order
    }

    /// The stages: (templates summed so far, margin threshold).
    pub(crate) fn stages(&self) -> &[(u8, i32)] {
        &self.stages
    }

    /// Check a schedule read from a file; the error says what is wrong.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if self.order.is_empty() && self.stages.is_empty() {
            return Ok(());
        }
        if self.order.len() != NDYN {
            return Err(format!(
                "early-exit order has {} templates (expected {NDYN})",
                self.order.len()
            ));
        }
        let mut seen = [false; NF];
        for &k in &self.order {
            let k = k as usize;
            if k >= NF || cached_template(k) {
                return Err(format!(
                    "early-exit order names template {k}, not a per-transition template"
                ));
            }
            if seen[k] {
                return Err(format!("early-exit order names template {k} twice"));
            }
            seen[k] = true;
        }
        let mut prev: Option<usize> = None;
        for &(end, thr) in &self.stages {
            let end = end as usize;
            if prev.is_some_and(|p| end <= p) || end >= NDYN {
                return Err(format!("early-exit stage end {end} out of order or range"));
            }
            if thr < 0 {
                return Err(format!("negative early-exit threshold {thr}"));
            }
            prev = Some(end);
        }
        Ok(())
    }
}

/// What [`Parser::full_arcs`] calls for each arc: (head, dependent, label,
/// the arc's label feature keys).
type ArcVisit<'a> = dyn FnMut(u32, u32, u8, &[u64; NLF]) + 'a;

impl Parser<Inline3, Sparse> {
    /// Calibration data for the label early-exit rule (its `first` list; the
    /// threshold is ignored): parses `t` with full decisions (the same moves
    /// and labels as [`Parser::parse_cached`] without early exit) and pushes,
    /// per scored label, the stage-1 margin and whether the stage-1 best
    /// label is the full decision.
    pub(crate) fn label_margins(&self, t: &[PTok], st: &mut State, rec: &mut Vec<(u32, bool)>) {
        let nl = self.labels.c.min(256);
        let root = self.root_label as usize;
        let probe = Exit::new(1, self.label_exit.first.clone(), &[]);
        self.full_arcs(t, st, &mut |_, _, lab, lf| {
            let mut acc = [0i32; 256];
            let _ = probe.stage1(&self.labels, lf, &mut acc, nl, root);
            let (b, m) = crate::table::top2(&acc[..nl], root);
            rec.push((m, b == lab as usize));
        });
    }

    /// Parse `t` with full decisions (every transition and label template
    /// summed: [`Parser::parse`]'s moves and labels, no early exit, no
    /// supertag-label shortcut) and call `visit(h, d, label, features)` for
    /// every arc not from the root token, in the order they are built
    /// (`features`: the arc's label feature keys).
    pub(crate) fn full_arcs(&self, t: &[PTok], st: &mut State, visit: &mut ArcVisit<'_>) {
        let n = t.len().saturating_sub(1);
        st.reset(n);
        let mut f = [0u64; NF];
        let mut lf = [0u64; NLF];
        let nl = self.labels.c.min(256);
        let root = self.root_label as usize;
        while !st.terminal() {
            feats(t, st, &mut f);
            let sc = self.trans.sums(&f);
            let (best, _) = pick(sc, st.valid());
            if best > RIGHT {
                break;
            }
            let mut lab = 0u8;
            if best != SHIFT {
                let (h, d) = st.arc(best);
                if h == 0 {
                    lab = self.root_label;
                } else {
                    lfeats(t, st, best, h, d, &mut lf);
                    let mut acc = [0i32; 256];
                    self.labels.add_i32(&lf, &mut acc);
                    lab = crate::table::top2(&acc[..nl], root).0 as u8;
                    visit(h, d, lab, &lf);
                }
            }
            st.apply(best, lab);
        }
    }

    /// Calibration data for the supertag-label shortcut: along the
    /// full-decision parse of `t` ([`Parser::full_arcs`]), for every arc
    /// the shortcut could take (threshold 1: the dependent's supertag names
    /// the head's side and a non-root relation), push its supertag margin
    /// and whether the supertag's relation is the full labeller's label.
    pub(crate) fn supertag_label_margins(
        &self,
        t: &[PTok],
        st: &mut State,
        rec: &mut Vec<(u32, bool)>,
    ) {
        let nl = self.labels.c.min(256);
        let root = self.root_label;
        self.full_arcs(t, st, &mut |h, d, lab, _| {
            if let Some(tok) = t.get(d as usize) {
                let any = PTok { sm: 1, ..*tok };
                if let Some(l) = supertag_label(&any, h, d, 1, root, nl) {
                    rec.push((tok.sm, l == lab));
                }
            }
        });
    }
}

/// A training sentence: tokens with root at 0, gold heads/labels (index 0 unused).
pub(crate) struct ParseSent {
    pub toks: Vec<PTok>,
    pub head: Vec<u32>,
    pub label: Vec<u8>,
}

/// Make a tree projective by lifting non-projective arcs (shortest first).
/// Returns false if the heads do not form a tree.
pub(crate) fn projectivize(head: &mut [u32]) -> bool {
    let n = head.len().saturating_sub(1);
    // check tree-ness: every node reaches 0 within n steps
    for i in 1..=n {
        let mut k = i;
        let mut steps = 0;
        while k != 0 {
            let h = head[k] as usize;
            if h > n {
                return false;
            }
            k = h;
            steps += 1;
            if steps > n {
                return false;
            }
        }
    }
    let is_anc = |head: &[u32], a: usize, mut k: usize| -> bool {
        while k != 0 {
            k = head[k] as usize;
            if k == a {
                return true;
            }
        }
        a == 0
    };
    loop {
        let mut worst: Option<(usize, usize)> = None;
        for d in 1..=n {
            let h = head[d] as usize;
            let (lo, hi) = if h < d { (h, d) } else { (d, h) };
            let nonproj = (lo + 1..hi).any(|k| !is_anc(head, h, k));
            if nonproj && worst.is_none_or(|(_, span)| hi - lo < span) {
                worst = Some((d, hi - lo));
            }
        }
        match worst {
            Some((d, _)) => {
                let h = head[d] as usize;
                head[d] = head[h];
            }
            None => return true,
        }
    }
}

/// Attachment counts for dev evaluation: (total, head correct, head+label correct).
pub(crate) fn attach<T: Weights, W: Weights>(
    p: &Parser<T, W>,
    sents: &[ParseSent],
) -> (usize, usize, usize) {
    let mut st = State::default();
    let (mut n, mut u, mut l) = (0, 0, 0);
    for s in sents {
        p.parse(&s.toks, &mut st);
        for i in 1..s.toks.len() {
            n += 1;
            if st.head[i] == s.head[i] {
                u += 1;
                if st.label[i] == s.label[i] {
                    l += 1;
                }
            }
        }
    }
    (n, u, l)
}

/// Train the parser with the dynamic oracle and early stopping on dev LAS.
#[allow(clippy::too_many_arguments)]
pub(crate) fn train(
    train: &[ParseSent],
    dev: &[ParseSent],
    nlabels: usize,
    root_label: u8,
    epochs: usize,
    seed: u64,
    log: &mut dyn FnMut(String),
) -> Parser {
    let mut tt = Trainer::new(3, 20);
    let mut lt = Trainer::new(nlabels, 18);
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut st = State::default();
    let mut f = [0u64; NF];
    let mut lf = [0u64; NLF];
    let mut lsc = vec![0f32; nlabels];
    let mut best: Option<(usize, Parser)> = None;
    let mut since = 0;
    for epoch in 1..=epochs {
        rng.shuffle(&mut order);
        let explore = epoch > 1;
        for &si in &order {
            let s = &train[si];
            let n = s.toks.len() - 1;
            st.reset(n);
            while !st.terminal() {
                feats(&s.toks, &st, &mut f);
                let mut sc = [0f32; 3];
                tt.score(&f, &mut sc);
                let v = st.valid();
                let costs = st.costs(&s.head);
                let mut pred = usize::MAX;
                let mut mincost = u32::MAX;
                for m in 0..3 {
                    if v[m] {
                        if pred == usize::MAX || sc[m] > sc[pred] {
                            pred = m;
                        }
                        mincost = mincost.min(costs[m]);
                    }
                }
                if pred == usize::MAX {
                    break;
                }
                let mut gold = usize::MAX;
                for m in 0..3 {
                    if v[m] && costs[m] == mincost && (gold == usize::MAX || sc[m] > sc[gold]) {
                        gold = m;
                    }
                }
                if costs[pred] > mincost {
                    tt.update(&f, gold, 1.0);
                    tt.update(&f, pred, -1.0);
                }
                tt.tick();
                // Follow the model's (possibly wrong) move with p = 0.9 once
                // exploring; otherwise the best zero-cost move.
                let follow_pred = costs[pred] == mincost || (explore && rng.next_f64() < 0.9);
                let mv = if follow_pred { pred } else { gold };
                let mut lab = 0u8;
                if mv != SHIFT {
                    let (h, d) = st.arc(mv);
                    if h == 0 {
                        lab = root_label;
                    } else {
                        lfeats(&s.toks, &st, mv, h, d, &mut lf);
                        lsc.fill(0.0);
                        lt.score(&lf, &mut lsc);
                        lsc[root_label as usize] = f32::NEG_INFINITY;
                        let p = argmax(&lsc);
                        lab = p as u8;
                        if s.head[d as usize] == h {
                            let g = s.label[d as usize] as usize;
                            if p != g {
                                lt.update(&lf, g, 1.0);
                                lt.update(&lf, p, -1.0);
                            }
                            lt.tick();
                        }
                    }
                }
                st.apply(mv, lab);
            }
        }
        let cur = Parser {
            trans: tt.averaged(),
            labels: lt.averaged(),
            root_label,
            exit: Schedule::default(),
            label_exit: Exit::off(&L_CTX),
            st_label: 0,
        };
        let (n, u, l) = attach(&cur, dev);
        let uas = 100.0 * u as f64 / n.max(1) as f64;
        let las = 100.0 * l as f64 / n.max(1) as f64;
        log(format!(
            "parser epoch {epoch}: dev UAS {uas:.2} LAS {las:.2} (features {} / {})",
            cur.trans.nrows, cur.labels.nrows
        ));
        if best.as_ref().is_none_or(|b| l + u > b.0) {
            best = Some((l + u, cur));
            since = 0;
        } else {
            since += 1;
            if since >= 3 {
                break;
            }
        }
    }
    match best {
        Some((_, p)) => p,
        None => Parser {
            trans: tt.averaged(),
            labels: lt.averaged(),
            root_label,
            exit: Schedule::default(),
            label_exit: Exit::off(&L_CTX),
            st_label: 0,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_tree(n: usize, rng: &mut Rng) -> Vec<u32> {
        let mut st = State::default();
        st.reset(n);
        while !st.terminal() {
            let v = st.valid();
            let opts: Vec<usize> = (0..3).filter(|&m| v[m]).collect();
            let m = opts[(rng.next_u64() % opts.len() as u64) as usize];
            st.apply(m, 0);
        }
        st.head.clone()
    }

    /// The definition of the transition templates before the table
    /// ([`TEMPLATES`]): a `match` over named state values, kept as the
    /// reference the table must reproduce bit for bit (the trained weights
    /// are keyed by these hashes).
    struct Keys<'a> {
        c: Ctx<'a>,
        s0: u32,
        s1: u32,
        s2: u32,
        b0: u32,
        b1: u32,
        b2: u32,
        s0l: u32,
        s0l2: u32,
        s0r: u32,
        s0r2: u32,
        s1l: u32,
        s1r: u32,
        s1r2: u32,
        b0l: u32,
        b0l2: u32,
        s0w: u64,
        s0p: u64,
        s1w: u64,
        s1p: u64,
        b0w: u64,
        b0p: u64,
        b1p: u64,
        s2p: u64,
        d: u64,
        d2: u64,
        s0lp: u64,
        s0rp: u64,
        b0lp: u64,
        s1rp: u64,
        s1lp: u64,
    }

    impl<'a> Keys<'a> {
        fn new(t: &'a [PTok], st: &'a State) -> Keys<'a> {
            let c = Ctx { t, st };
            let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
            let (b0, b1, b2) = (st.bk(0), st.bk(1), st.bk(2));
            let (s0l, s0l2) = (c.get(&st.l1, s0), c.get(&st.l2, s0));
            let (s0r, s0r2) = (c.get(&st.r1, s0), c.get(&st.r2, s0));
            let (s1l, s1r, s1r2) = (c.get(&st.l1, s1), c.get(&st.r1, s1), c.get(&st.r2, s1));
            let (b0l, b0l2) = (c.get(&st.l1, b0), c.get(&st.l2, b0));
            let (s0w, s0p, s1w, s1p, b0w, b0p) =
                (c.w(s0), c.p(s0), c.w(s1), c.p(s1), c.w(b0), c.p(b0));
            let (b1p, s2p) = (c.p(b1), c.p(s2));
            let d = if s0 != NO && b0 != NO {
                dist(s0, b0)
            } else {
                0
            };
            let d2 = if s0 != NO && s1 != NO {
                dist(s0, s1)
            } else {
                0
            };
            let (s0lp, s0rp, b0lp, s1rp, s1lp) = (c.p(s0l), c.p(s0r), c.p(b0l), c.p(s1r), c.p(s1l));
            Keys {
                c,
                s0,
                s1,
                s2,
                b0,
                b1,
                b2,
                s0l,
                s0l2,
                s0r,
                s0r2,
                s1l,
                s1r,
                s1r2,
                b0l,
                b0l2,
                s0w,
                s0p,
                s1w,
                s1p,
                b0w,
                b0p,
                b1p,
                s2p,
                d,
                d2,
                s0lp,
                s0rp,
                b0lp,
                s1rp,
                s1lp,
            }
        }

        /// The key of template `k` (0 for `k >= NF`).
        fn key(&self, k: usize) -> u64 {
            let c = &self.c;
            let st = c.st;
            match k {
                0 => f1(0, self.s0w),
                1 => f1(1, self.s0p),
                2 => f2(2, self.s0w, self.s0p),
                3 => f1(3, self.b0w),
                4 => f1(4, self.b0p),
                5 => f2(5, self.b0w, self.b0p),
                6 => f1(6, c.w(self.b1)),
                7 => f1(7, self.b1p),
                8 => f2(8, c.w(self.b1), self.b1p),
                9 => f1(9, c.w(self.b2)),
                10 => f1(10, c.p(self.b2)),
                11 => f2(11, c.w(self.b2), c.p(self.b2)),
                12 => f1(12, self.s1w),
                13 => f1(13, self.s1p),
                14 => f2(14, self.s1w, self.s1p),
                15 => f1(15, self.s2p),
                16 => f1(16, c.w(self.s2)),
                17 => f4(17, self.s0w, self.s0p, self.b0w, self.b0p),
                18 => f3(18, self.s0w, self.s0p, self.b0w),
                19 => f3(19, self.s0w, self.b0w, self.b0p),
                20 => f3(20, self.s0w, self.s0p, self.b0p),
                21 => f3(21, self.s0p, self.b0w, self.b0p),
                22 => f2(22, self.s0w, self.b0w),
                23 => f2(23, self.s0p, self.b0p),
                24 => f2(24, self.b0p, self.b1p),
                25 => f2(25, self.s1p, self.s0p),
                26 => f2(26, self.s1w, self.s0w),
                27 => f3(27, self.s1w, self.s1p, self.s0p),
                28 => f3(28, self.s1p, self.s0w, self.s0p),
                29 => f3(29, self.b0p, self.b1p, c.p(self.b2)),
                30 => f3(30, self.s0p, self.b0p, self.b1p),
                31 => f3(31, self.s1p, self.s0p, self.b0p),
                32 => f3(32, self.s0p, self.s0lp, self.b0p),
                33 => f3(33, self.s0p, self.s0rp, self.b0p),
                34 => f3(34, self.s0p, self.b0p, self.b0lp),
                35 => f3(35, self.s1p, self.s1rp, self.s0p),
                36 => f3(36, self.s1p, self.s0p, self.s0lp),
                37 => f3(37, self.s2p, self.s1p, self.s0p),
                38 => f3(38, self.s1p, self.s1lp, self.s0p),
                39 => f2(39, self.s0w, self.d),
                40 => f2(40, self.s0p, self.d),
                41 => f2(41, self.b0w, self.d),
                42 => f2(42, self.b0p, self.d),
                43 => f3(43, self.s0w, self.b0w, self.d),
                44 => f3(44, self.s0p, self.b0p, self.d),
                45 => f3(45, self.s1p, self.s0p, self.d2),
                46 => f3(46, self.s1w, self.s0p, self.d2),
                47 => f2(47, self.s0w, c.cnt(&st.nr, self.s0)),
                48 => f2(48, self.s0p, c.cnt(&st.nr, self.s0)),
                49 => f2(49, self.s0w, c.cnt(&st.nl, self.s0)),
                50 => f2(50, self.s0p, c.cnt(&st.nl, self.s0)),
                51 => f2(51, self.b0w, c.cnt(&st.nl, self.b0)),
                52 => f2(52, self.b0p, c.cnt(&st.nl, self.b0)),
                53 => f2(53, self.s1p, c.cnt(&st.nr, self.s1)),
                54 => f3(54, self.s1p, c.cnt(&st.nl, self.s1), c.cnt(&st.nr, self.s1)),
                55 => f1(55, c.w(self.s0l)),
                56 => f1(56, self.s0lp),
                57 => f1(57, c.l(self.s0l)),
                58 => f1(58, c.w(self.s0r)),
                59 => f1(59, self.s0rp),
                60 => f1(60, c.l(self.s0r)),
                61 => f1(61, c.w(self.b0l)),
                62 => f1(62, self.b0lp),
                63 => f1(63, c.l(self.b0l)),
                64 => f1(64, c.w(self.s1r)),
                65 => f1(65, self.s1rp),
                66 => f1(66, c.l(self.s1r)),
                67 => f1(67, self.s1lp),
                68 => f1(68, c.l(self.s1l)),
                69 => f1(69, c.w(self.s0l2)),
                70 => f1(70, c.p(self.s0l2)),
                71 => f1(71, c.l(self.s0l2)),
                72 => f1(72, c.w(self.s0r2)),
                73 => f1(73, c.p(self.s0r2)),
                74 => f1(74, c.l(self.s0r2)),
                75 => f1(75, c.w(self.b0l2)),
                76 => f1(76, c.p(self.b0l2)),
                77 => f1(77, c.l(self.b0l2)),
                78 => f3(78, self.s0p, self.s0lp, c.p(self.s0l2)),
                79 => f3(79, self.s0p, self.s0rp, c.p(self.s0r2)),
                80 => f3(80, self.b0p, self.b0lp, c.p(self.b0l2)),
                81 => f3(81, self.s1p, self.s1rp, c.p(self.s1r2)),
                82 => f2(82, self.s0w, c.set(&st.rset, self.s0)),
                83 => f2(83, self.s0p, c.set(&st.rset, self.s0)),
                84 => f2(84, self.s0w, c.set(&st.lset, self.s0)),
                85 => f2(85, self.s0p, c.set(&st.lset, self.s0)),
                86 => f2(86, self.b0w, c.set(&st.lset, self.b0)),
                87 => f2(87, self.b0p, c.set(&st.lset, self.b0)),
                88 => f2(88, self.s1p, c.set(&st.rset, self.s1)),
                89 => f2(89, self.s1p, c.set(&st.lset, self.s1)),
                90 => f3(90, self.s0p, c.l(self.s0l), self.b0p),
                91 => f3(91, self.s1p, c.l(self.s1r), self.s0p),
                92 => f2(92, c.u(self.s0), c.u(self.b0)),
                93 => f3(93, c.u(self.s1), c.u(self.s0), c.u(self.b0)),
                94 => f2(94, self.b0w, c.w(self.b1)),
                95 => f2(95, self.b0w, self.b1p),
                96 => f3(96, self.s0w, self.b0p, self.b1p),
                97 => f3(97, self.b1p, c.p(self.b2), c.p(st.bk(3))),
                98 => f2(98, c.s3(self.s0), self.b0p),
                99 => f2(99, self.s0p, c.s3(self.b0)),
                100 => f4(100, self.s1p, self.s0p, self.b0p, self.b1p),
                101 => f4(101, self.s1p, self.s0p, self.b0p, self.d),
                102 => f1(102, c.st(self.s0)),
                103 => f1(103, c.st(self.b0)),
                104 => f1(104, c.st(self.s1)),
                105 => f1(105, c.st(self.b1)),
                106 => f2(106, c.st(self.s0), c.st(self.b0)),
                107 => f2(107, c.st(self.s1), c.st(self.s0)),
                108 => f3(108, self.s0p, c.st(self.s0), c.st(self.b0)),
                109 => f2(109, c.st(self.s0), self.b0p),
                110 => f2(110, self.s0p, c.st(self.b0)),
                _ => 0,
            }
        }
    }

    /// A random sentence of parser tokens whose values collide often (few
    /// distinct words and tags), and a random walk of valid moves over it
    /// with random labels; `visit` sees every state.
    fn random_states(seed: u64, mut visit: impl FnMut(&[PTok], &State)) {
        let mut rng = Rng::new(seed);
        for n in 0..30usize {
            let mut t = vec![ROOT_TOK];
            for _ in 0..n {
                let mut r = || rng.next_u64() % 7;
                t.push(PTok {
                    w: r(),
                    p: r(),
                    u: r(),
                    s3: r(),
                    st: r(),
                    sm: 0,
                });
            }
            let mut st = State::default();
            st.reset(n);
            while !st.terminal() {
                visit(&t, &st);
                let v = st.valid();
                let opts: Vec<usize> = (0..3).filter(|&m| v[m]).collect();
                let m = opts[(rng.next_u64() % opts.len() as u64) as usize];
                st.apply(m, (rng.next_u64() % 70) as u8);
            }
            visit(&t, &st);
        }
    }

    /// Sentences of random tokens: words from a pool of 12,000 random
    /// values (more distinct (word, tag, supertag) triples than the role
    /// cache has entries, so entries are evicted and hashes collide; the
    /// frequent low pool indices repeat, so entries are hit), tags and
    /// supertags from a few values.
    fn random_sentences(seed: u64, count: usize) -> Vec<Vec<PTok>> {
        let mut rng = Rng::new(seed);
        let pool: Vec<u64> = (0..12_000).map(|_| rng.next_u64()).collect();
        (0..count)
            .map(|s| {
                let mut t = vec![ROOT_TOK];
                for _ in 0..s % 40 {
                    let r = rng.next_u64();
                    // skewed: half the words from the first 50 of the pool
                    let w = if r & 1 == 0 {
                        pool[(r >> 8) as usize % 50]
                    } else {
                        pool[(r >> 8) as usize % pool.len()]
                    };
                    t.push(PTok {
                        w,
                        p: (r >> 40) % 9,
                        u: (r >> 44) % 5,
                        s3: (r >> 48) % 7,
                        st: (r >> 52) % 6,
                        sm: 0,
                    });
                }
                t
            })
            .collect()
    }

    /// A transition table holding weights for about half of the
    /// single-role keys of `sents` (random, so every template and role
    /// contributes to the sums).
    fn random_role_table(sents: &[Vec<PTok>], seed: u64) -> Inline3 {
        let mut rng = Rng::new(seed);
        let mut keys = std::collections::BTreeSet::new();
        let (mut k0, mut k1, mut k2, mut kb) = ([0u64; 4], [0u64; 4], [0u64; 2], [0u64; 16]);
        for t in sents {
            let mut st = State::default();
            let n = t.len() - 1;
            st.reset(n);
            for slot in 0..n + 2 {
                let i = if slot <= n { slot as u32 } else { NO };
                role_feats(t, &st, i, &mut k0, &mut k1, &mut k2, &mut kb);
                keys.extend(k0.iter().chain(&k1).chain(&k2).chain(&kb));
            }
        }
        let mut w = || (rng.next_u64() % 2001) as i16 - 1000;
        let rows: Vec<(u64, [i16; 3])> = keys
            .into_iter()
            .filter(|k| k % 2 == 0)
            .map(|k| (k, [w(), w(), w()]))
            .collect();
        Inline3::from_rows(&rows, 1.0)
    }

    /// The role cache gives exactly the sums of hashing and probing every
    /// single-role template afresh, across sentences (hits, evictions,
    /// colliding hashes) and with two tables taking turns on one cache (an
    /// entry of one table must not serve the other).
    #[test]
    fn role_cache_sums_equal_uncached_sums() {
        let sents = random_sentences(41, 600);
        let a = random_role_table(&sents, 1);
        let b = random_role_table(&sents, 2);
        assert_ne!(a.uid, b.uid);
        assert_ne!(a.uid, a.clone().uid, "a clone keeps its table's identity");
        type P = Parser<Inline3, Sparse>;
        let mut roles = RoleCache::default();
        let (mut got, mut want) = (Vec::new(), Vec::new());
        let (mut nonzero, mut differ) = (0usize, 0usize);
        for (j, t) in sents.iter().enumerate() {
            let mut st = State::default();
            st.reset(t.len() - 1);
            for p in [&a, &b] {
                let m = P::fill_cache(p, t, &st, &mut roles, &mut got);
                assert_eq!(m, P::fill_cache_ref(p, t, &st, &mut want));
                assert_eq!(got, want, "sentence {j}");
                nonzero += got.iter().filter(|x| **x != [0; 3]).count();
            }
            P::fill_cache_ref(&a, t, &st, &mut got);
            differ += usize::from(got != want);
        }
        // the check is not vacuous: sums are mostly non-zero, and the two
        // tables' sums differ
        assert!(nonzero > 20_000, "only {nonzero} non-zero sums");
        assert!(differ > 500, "tables differ on only {differ} sentences");
    }

    /// Every template's key from the table equals the reference `match`.
    #[test]
    fn template_table_equals_reference_keys() {
        let mut states = 0;
        random_states(17, |t, st| {
            let keys = Keys::new(t, st);
            let mut f = [0u64; NF];
            feats(t, st, &mut f);
            for (k, &x) in f.iter().enumerate() {
                assert_eq!(x, keys.key(k), "template {k}");
            }
            assert_eq!(key(&values(t, st), NF), 0);
            states += 1;
        });
        assert!(states > 500);
    }

    /// The run-time stages of a schedule hash exactly the keys of their
    /// slice of the order (as a multiset: the order within a stage does
    /// not change the sum), and the schedule without stages all of them.
    #[test]
    fn schedule_stages_hash_their_templates() {
        let mut order: Vec<u8> = DYN_T.iter().map(|&k| k as u8).collect();
        Rng::new(5).shuffle(&mut order);
        let ends = [0usize, 20, 40, 60];
        let stages: Vec<(u8, i32)> = ends.iter().map(|&e| (e as u8, 1000)).collect();
        let with = Schedule::new(order.clone(), stages);
        assert!(with.validate().is_ok());
        let none = Schedule::default();
        assert_eq!(with.plan.len(), ends.len() + 1);
        let empty = Inline3 {
            slots: Default::default(),
            scale: 1.0,
            uid: crate::table::Uid::new(),
        };
        random_states(23, |t, st| {
            let v = values(t, st);
            let mut df = [0u64; NDYN];
            let mut bounds: Vec<usize> = ends.to_vec();
            bounds.push(NDYN);
            for (i, seg) in with.plan.iter().enumerate() {
                let start = if i == 0 { 0 } else { bounds[i - 1] };
                let n = seg.keys(&v, &mut df, &empty);
                let mut got = df[..n].to_vec();
                let mut want: Vec<u64> = order[start..bounds[i]]
                    .iter()
                    .map(|&k| key(&v, k as usize))
                    .collect();
                got.sort_unstable();
                want.sort_unstable();
                assert_eq!(got, want, "stage {i}");
                assert_eq!(seg.thr, (i < ends.len()).then_some(1000));
            }
            assert_eq!(none.plan.len(), 1);
            let n = none.plan[0].keys(&v, &mut df, &empty);
            let mut got = df[..n].to_vec();
            let mut want: Vec<u64> = DYN_T.iter().map(|&k| key(&v, k)).collect();
            got.sort_unstable();
            want.sort_unstable();
            assert_eq!(got, want);
        });
    }

    #[test]
    fn oracle_recovers_projective_trees() {
        let mut rng = Rng::new(3);
        for n in 1..40 {
            for _ in 0..20 {
                let gold = random_tree(n, &mut rng);
                let mut st = State::default();
                st.reset(n);
                while !st.terminal() {
                    let v = st.valid();
                    let c = st.costs(&gold);
                    let m = (0..3).filter(|&m| v[m]).min_by_key(|&m| c[m]).unwrap();
                    assert_eq!(c[m], 0, "a zero-cost move must exist (n={n})");
                    st.apply(m, 0);
                }
                assert_eq!(st.head[1..], gold[1..]);
                // exactly one word attached to the root
                assert_eq!(st.head[1..].iter().filter(|&&h| h == 0).count(), 1);
            }
        }
    }

    #[test]
    fn oracle_costs_count_lost_arcs() {
        // After a wrong move, the cost of the best move stays 0 and the
        // final tree loses exactly as many arcs as the costs added up.
        let mut rng = Rng::new(5);
        for n in 2..30 {
            for _ in 0..20 {
                let gold = random_tree(n, &mut rng);
                let mut st = State::default();
                st.reset(n);
                let mut total = 0;
                while !st.terminal() {
                    let v = st.valid();
                    let c = st.costs(&gold);
                    let opts: Vec<usize> = (0..3).filter(|&m| v[m]).collect();
                    let best = opts.iter().map(|&m| c[m]).min().unwrap();
                    let m = if rng.next_u64().is_multiple_of(4) {
                        opts[(rng.next_u64() % opts.len() as u64) as usize]
                    } else {
                        *opts.iter().find(|&&m| c[m] == best).unwrap()
                    };
                    total += c[m] - best;
                    st.apply(m, 0);
                }
                let wrong = (1..=n).filter(|&i| st.head[i] != gold[i]).count() as u32;
                assert_eq!(wrong, total, "n={n}");
            }
        }
    }

    #[test]
    fn projectivize_lifts_crossing_arcs() {
        // 1 <- 3 crossing 2 -> 4 : heads [_, 3, 0, 2, 2]? build a crossing:
        // word2 root, 4 -> head 1 (crosses 2..3), 1 -> 2, 3 -> 2
        let mut h = vec![0, 2, 0, 2, 1];
        assert!(projectivize(&mut h));
        // 4 lifted to 2
        assert_eq!(h, vec![0, 2, 0, 2, 2]);
        let mut cyc = vec![0, 2, 1];
        assert!(!projectivize(&mut cyc));
    }
}
