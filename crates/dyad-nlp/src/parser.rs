//! Greedy arc-hybrid dependency parser with a dynamic oracle, averaged
//! perceptron transition classifier, and a separate label classifier
//! applied when an arc is built.

use crate::hash::{f1, f2, f3, f4};
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
}

pub(crate) const ROOT_TOK: PTok = PTok {
    w: 0xA001,
    p: 900,
    u: 901,
    s3: 0xA002,
    st: 960,
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
    let keys = Keys::new(t, st);
    for (k, x) in o.iter_mut().enumerate() {
        *x = keys.key(k);
    }
}

/// The positions and values of a state that the transition templates read,
/// gathered once per state, so that [`Keys::key`] hashes one template's key
/// on demand (the early-exit stages of [`Parser::parse_cached`] hash only
/// the templates they sum).
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
    #[inline(always)]
    fn new(t: &'a [PTok], st: &'a State) -> Keys<'a> {
        let c = Ctx { t, st };
        let (s0, s1, s2) = (st.s(0), st.s(1), st.s(2));
        let (b0, b1, b2) = (st.bk(0), st.bk(1), st.bk(2));
        let (s0l, s0l2) = (c.get(&st.l1, s0), c.get(&st.l2, s0));
        let (s0r, s0r2) = (c.get(&st.r1, s0), c.get(&st.r2, s0));
        let (s1l, s1r, s1r2) = (c.get(&st.l1, s1), c.get(&st.r1, s1), c.get(&st.r2, s1));
        let (b0l, b0l2) = (c.get(&st.l1, b0), c.get(&st.l2, b0));
        let (s0w, s0p, s1w, s1p, b0w, b0p) = (c.w(s0), c.p(s0), c.w(s1), c.p(s1), c.w(b0), c.p(b0));
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
    #[inline(always)]
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
/// role s0, s1, s2, and as b0 (with b1..b3 following it).
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

impl Parser<Inline3, Sparse> {
    /// [`Parser::label`] with exact integer scores (same choice: the first
    /// best class other than the root label).
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
    fn fill_cache(&self, t: &[PTok], st: &State, cache: &mut Vec<[i32; 3]>) -> usize {
        let n = t.len().saturating_sub(1);
        let m = n + 2;
        cache.clear();
        cache.resize(4 * m, [0; 3]);
        let (mut k0, mut k1, mut k2, mut kb) = ([0u64; 4], [0u64; 4], [0u64; 2], [0u64; 16]);
        for slot in 0..m {
            let i = if slot <= n { slot as u32 } else { NO };
            role_feats(t, st, i, &mut k0, &mut k1, &mut k2, &mut kb);
            cache[slot] = self.trans.sums(&k0);
            cache[m + slot] = self.trans.sums(&k1);
            cache[2 * m + slot] = self.trans.sums(&k2);
            cache[3 * m + slot] = self.trans.sums(&kb);
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
        let keys = Keys::new(t, st);
        let ex = &self.exit;
        if ex.stages.is_empty() {
            for (d, &k) in df.iter_mut().zip(DYN_T.iter()) {
                *d = keys.key(k);
            }
            add3(&mut acc, self.trans.sums(df));
            return pick(acc, v).0;
        }
        // only the keys of the stages summed are hashed
        let mut start = 0;
        for &(end, thr) in &ex.stages {
            let end = (end as usize).clamp(start, NDYN);
            let o = ex.order.get(start..end).unwrap_or(&[]);
            for (d, &k) in df[start..end].iter_mut().zip(o) {
                *d = keys.key(k as usize);
            }
            add3(&mut acc, self.trans.sums(&df[start..end]));
            start = end;
            let (best, margin) = pick(acc, v);
            if margin >= thr {
                return best;
            }
        }
        let o = ex.order.get(start..).unwrap_or(&[]);
        for (d, &k) in df[start..].iter_mut().zip(o) {
            *d = keys.key(k as usize);
        }
        add3(&mut acc, self.trans.sums(&df[start..]));
        pick(acc, v).0
    }

    /// [`Parser::parse`] for the quantized runtime model: the templates
    /// that depend on one token in one role (26 of 111) are summed once per
    /// token and sentence as exact integers, so each transition looks up
    /// only the remaining ones. Without an early-exit schedule the result is
    /// that of [`Parser::parse`] bit for bit; with one, a transition may be
    /// decided on a prefix of its templates (see [`Schedule`]).
    pub(crate) fn parse_cached(&self, t: &[PTok], st: &mut State) {
        let n = t.len().saturating_sub(1);
        st.reset(n);
        let mut cache = std::mem::take(&mut st.cache);
        let m = self.fill_cache(t, st, &mut cache);
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
            }
            st.apply(best, lab);
        }
        st.cache = cache;
    }

    /// Walk the full-scoring parse of every sentence of `sents` and call
    /// `visit(v, cached part, per-transition template weights, full best)`
    /// at every scored state (the weights in [`DYN_T`] order).
    fn walk_scored(&self, sents: &[Vec<PTok>], visit: &mut ScoredVisit<'_>) {
        let mut st = State::default();
        let mut cache = Vec::new();
        let mut lf = [0u64; NLF];
        let mut lacc = [0i32; 256];
        let mut w = [[0i32; 3]; NDYN];
        for t in sents {
            st.reset(t.len().saturating_sub(1));
            let m = self.fill_cache(t, &st, &mut cache);
            while !st.terminal() {
                let v = st.valid();
                let nvalid = v.iter().filter(|&&x| x).count();
                let best = match nvalid {
                    0 => break,
                    1 => v.iter().position(|&x| x).unwrap_or(SHIFT),
                    _ => {
                        let keys = Keys::new(t, &st);
                        let base = Self::cached_part(&st, &cache, m);
                        let mut acc = base;
                        for (wj, &k) in w.iter_mut().zip(DYN_T.iter()) {
                            *wj = self.trans.sums(&[keys.key(k)]);
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
        Schedule {
            order: idx.iter().map(|&j| DYN_T[j] as u8).collect(),
            stages,
        }
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
        let mut per = vec![0usize; ex.stages.len()];
        self.walk_scored(sents, &mut |v, base, w, best| {
            n += 1;
            let mut acc = base;
            let mut start = 0;
            for (k, &(end, thr)) in ex.stages.iter().enumerate() {
                let end = (end as usize).clamp(start, NDYN);
                for &t in &ex.order[start..end] {
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
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Schedule {
    /// All [`NDYN`] per-transition template ids, most important first
    /// (may be empty when `stages` is).
    pub order: Vec<u8>,
    /// (templates summed so far, strictly increasing and below [`NDYN`],
    /// 0 = the single-role sums only; margin threshold ≥ 0).
    pub stages: Vec<(u8, i32)>,
}

impl Schedule {
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

impl Parser<Inline3, Sparse> {
    /// Calibration data for the label early-exit rule (its `first` list; the
    /// threshold is ignored): parses `t` with full decisions (the same moves
    /// and labels as [`Parser::parse_cached`] without early exit) and pushes,
    /// per scored label, the stage-1 margin and whether the stage-1 best
    /// label is the full decision.
    pub(crate) fn label_margins(&self, t: &[PTok], st: &mut State, rec: &mut Vec<(u32, bool)>) {
        let n = t.len().saturating_sub(1);
        st.reset(n);
        let mut f = [0u64; NF];
        let mut lf = [0u64; NLF];
        let nl = self.labels.c.min(256);
        let root = self.root_label as usize;
        let probe = Exit::new(1, self.label_exit.first.clone(), &[]);
        while !st.terminal() {
            feats(t, st, &mut f);
            let sc = self.trans.sums(&f);
            let v = st.valid();
            let mut best = usize::MAX;
            for m in 0..3 {
                if v[m] && (best == usize::MAX || sc[m] > sc[best]) {
                    best = m;
                }
            }
            if best == usize::MAX {
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
                    let _ = probe.stage1(&self.labels, &lf, &mut acc, nl, root);
                    let (b, m) = crate::table::top2(&acc[..nl], root);
                    self.label_exit.add_rest(&self.labels, &lf, &mut acc);
                    let full = crate::table::top2(&acc[..nl], root).0;
                    rec.push((m, b == full));
                    lab = full as u8;
                }
            }
            st.apply(best, lab);
        }
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
