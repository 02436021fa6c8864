//! The model: tagger + lemmatizer + parser, its binary file format, and
//! the high-level analyze / eval / re-parse functions.

use crate::conllu::{self, Sentence};
use crate::error::{ConlluError, NlpError};
use crate::huge::HugeBuf;
use crate::lemma::{Lemmas, Lemmatizer, Rule};
use crate::parser::{PTok, Parser, Schedule, State, ROOT_TOK};
use crate::table::{Exit, Inline3, Sparse, U64Map, Weights, MAX_ENTS};
use crate::tagger::{tok_info, TagCache, TagDict, Tagger, Tok};
use std::fmt;
use std::io::Write;
use std::path::Path;

const MAGIC: &[u8; 8] = b"DYADNLP\0";
/// Model file format version written by this crate.
pub const FORMAT_VERSION: u32 = 7;

/// A trained tagger + lemmatizer + parser.
#[derive(Clone, Debug)]
pub struct Model {
    pub(crate) xpos_names: Vec<String>,
    pub(crate) upos_names: Vec<String>,
    pub(crate) label_names: Vec<String>,
    pub(crate) tagger: Tagger<Sparse>,
    pub(crate) lemma: Lemmatizer,
    pub(crate) parser: Parser<Inline3, Sparse>,
    /// Process-unique id of the loaded weights (keys the per-thread caches).
    pub(crate) id: u64,
}

/// A fresh process-unique model id (never 0).
pub(crate) fn next_model_id() -> u64 {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// The analysis of one sentence. Tags and relations borrow from the model.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Analysis<'m> {
    /// Penn Treebank tag per word (e.g. `NNP`, `VBD`, `IN`).
    pub xpos: Vec<&'m str>,
    /// Universal POS tag per word.
    pub upos: Vec<&'m str>,
    /// Lemma per word (`lemma[i]` is a `&str`).
    pub lemma: Lemmas,
    /// Head per word: 1-based index of the head word, 0 = root.
    pub head: Vec<u32>,
    /// UD dependency relation per word (with subtypes, e.g. `nmod:poss`).
    pub deprel: Vec<&'m str>,
}

/// The parser's tokens: root, then per word its hashes, tags, supertag and
/// supertag margin (`sm` may be empty: margins 0, no supertag-label shortcut).
pub(crate) fn ptoks(
    toks: &[Tok],
    xp: &[u8],
    up: &[u8],
    sp: &[u8],
    sm: &[u32],
    out: &mut Vec<PTok>,
) {
    out.clear();
    out.push(ROOT_TOK);
    for (i, t) in toks.iter().enumerate() {
        out.push(PTok {
            w: t.w,
            p: xp[i] as u64,
            u: up[i] as u64,
            s3: t.suf[2],
            st: sp[i] as u64,
            sm: sm.get(i).copied().unwrap_or(0),
        });
    }
}

/// Room for the lemmas of `words`: lemmas are rarely longer than their
/// word, and one more byte per word covers most that are.
fn lemma_bytes(words: &[&str]) -> usize {
    words.iter().map(|w| w.len() + 1).sum()
}

/// The name of tag `i` (`_` if out of range).
fn name(v: &[String], i: u8) -> &str {
    v.get(i as usize).map(|s| s.as_str()).unwrap_or("_")
}

/// Reusable buffers for [`Model::analyze`].
#[derive(Default)]
struct Work {
    toks: Vec<Tok>,
    xp: Vec<u8>,
    up: Vec<u8>,
    sp: Vec<u8>,
    sm: Vec<u32>,
    pt: Vec<PTok>,
    st: State,
    tc: TagCache,
}

impl Model {
    /// Load a model file.
    pub fn load(path: impl AsRef<Path>) -> Result<Model, NlpError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|source| NlpError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Model::decode(&bytes, &path.display().to_string())
    }

    /// Load a model from bytes (the contents of a model file).
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, NlpError> {
        Model::decode(bytes, "<bytes>")
    }

    /// Write the model file.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<(), NlpError> {
        let path = path.as_ref();
        std::fs::write(path, self.to_bytes()).map_err(|source| NlpError::Io {
            path: path.to_path_buf(),
            source,
        })
    }

    /// Table sizes, for diagnostics.
    #[doc(hidden)]
    pub fn stats(&self) -> String {
        let sp = |n: &str, t: &Sparse| {
            format!(
                "{n}: classes {} slots {} rows {} entries {}\n",
                t.c,
                t.slots.len(),
                t.slots.iter().filter(|&&s| s != 0).count(),
                t.ents.len()
            )
        };
        let t = &self.parser.trans;
        sp("xpos", &self.tagger.xt)
            + &sp("upos", &self.tagger.ut)
            + &sp("supertags", &self.tagger.st)
            + &sp("labels", &self.parser.labels)
            + &format!(
                "trans: slots {} rows {}\n",
                t.slots.len(),
                t.slots.iter().filter(|&&s| s != 0).count()
            )
            + &format!(
                "transition early exit: stages {:?} order {:?}\n",
                self.parser.exit.stages(),
                self.parser.exit.order()
            )
            + &format!(
                "early exit thresholds: xpos {} supertags {} labels {} supertag labels {}\n",
                self.tagger.xexit.threshold,
                self.tagger.sexit.threshold,
                self.parser.label_exit.threshold,
                self.parser.st_label
            )
    }

    /// The XPOS tag set.
    pub fn xpos_tags(&self) -> &[String] {
        &self.xpos_names
    }
    /// The UPOS tag set.
    pub fn upos_tags(&self) -> &[String] {
        &self.upos_names
    }
    /// The dependency relation set.
    pub fn deprels(&self) -> &[String] {
        &self.label_names
    }

    /// The lemma [`Model::analyze`] gives `form` when it is tagged with the
    /// XPOS tag number `xpos` (an index into [`Model::xpos_tags`]), without
    /// tagging anything. Lets callers ask "what would this word's lemma be
    /// under that tag" (e.g. a pre-filter testing every verb tag at once).
    pub fn lemma(&self, form: &str, xpos: u8) -> String {
        self.lemma.lemma(form, xpos)
    }

    fn run(&self, words: &[&str], w: &mut Work) {
        w.toks.clear();
        w.toks.extend(words.iter().map(|s| tok_info(s)));
        self.tagger.tag_fast(
            &w.toks, &mut w.xp, &mut w.up, &mut w.sp, &mut w.sm, &mut w.tc, self.id,
        );
        ptoks(&w.toks, &w.xp, &w.up, &w.sp, &w.sm, &mut w.pt);
        self.parser.parse_cached(&w.pt, &mut w.st);
    }

    /// Calibrate the parser's early-exit schedule on held-out sentences
    /// (see `Parser::calibrate`), tagged by this model as `analyze` tags
    /// them; `ends` empty removes the schedule.
    #[doc(hidden)]
    pub fn calibrate_exit(&mut self, sents: &[Vec<&str>], ends: &[usize], max_bad: f64) {
        self.parser.exit = Schedule::default();
        if ends.is_empty() {
            return;
        }
        let pts = self.parser_inputs(sents);
        self.parser.exit = self.parser.calibrate(&pts, ends, max_bad);
    }

    /// The parser's input for each sentence, tagged as `analyze` tags it.
    fn parser_inputs(&self, sents: &[Vec<&str>]) -> Vec<Vec<PTok>> {
        let mut w = Work::default();
        sents
            .iter()
            .map(|s| {
                self.run(s, &mut w);
                w.pt.clone()
            })
            .collect()
    }

    /// On held-out sentences: (scored transitions, decided early, decided
    /// early as the full scoring decides, early exits per stage).
    #[doc(hidden)]
    pub fn exit_agreement(&self, sents: &[Vec<&str>]) -> (usize, usize, usize, Vec<usize>) {
        self.parser.exit_agreement(&self.parser_inputs(sents))
    }

    /// The parser's input for a tokenized sentence, tagged as `analyze`
    /// tags it (XPOS, UPOS, supertags and their margins).
    pub(crate) fn ptoks_of(&self, toks: &[Tok], tc: &mut TagCache, out: &mut Vec<PTok>) {
        let (mut xp, mut up, mut sp, mut sm) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        self.tagger
            .tag_fast(toks, &mut xp, &mut up, &mut sp, &mut sm, tc, self.id);
        ptoks(toks, &xp, &up, &sp, &sm, out);
    }

    /// Tag, lemmatize and parse one pre-tokenized sentence. Never panics;
    /// an empty slice gives an empty analysis.
    pub fn analyze(&self, words: &[&str]) -> Analysis<'_> {
        thread_local! {
            // Reused buffers: no per-sentence allocation of the work vectors.
            static WORK: std::cell::RefCell<Work> = std::cell::RefCell::new(Work::default());
        }
        WORK.with(|cell| match cell.try_borrow_mut() {
            Ok(mut w) => self.build(words, &mut w),
            Err(_) => self.build(words, &mut Work::default()),
        })
    }

    fn build(&self, words: &[&str], w: &mut Work) -> Analysis<'_> {
        self.run(words, w);
        let n = words.len();
        let mut a = Analysis {
            xpos: Vec::with_capacity(n),
            upos: Vec::with_capacity(n),
            lemma: Lemmas::with_capacity(n, lemma_bytes(words)),
            head: Vec::with_capacity(n),
            deprel: Vec::with_capacity(n),
        };
        for (i, word) in words.iter().enumerate() {
            a.xpos.push(name(&self.xpos_names, w.xp[i]));
            a.upos.push(name(&self.upos_names, w.up[i]));
            a.lemma
                .push_with(|out| self.lemma.lemma_into(word, w.xp[i], out));
            let h = w.st.head.get(i + 1).copied().unwrap_or(0);
            a.head.push(if h == crate::parser::NO { 0 } else { h });
            a.deprel.push(name(
                &self.label_names,
                w.st.label.get(i + 1).copied().unwrap_or(0),
            ));
        }
        a
    }

    /// Serialize to the binary model format.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut o = Vec::with_capacity(1 << 20);
        o.extend_from_slice(MAGIC);
        put_u32(&mut o, FORMAT_VERSION);
        for names in [&self.xpos_names, &self.upos_names, &self.label_names] {
            put_u32(&mut o, names.len() as u32);
            for s in names.iter() {
                put_str(&mut o, s);
            }
        }
        o.push(self.parser.root_label);
        put_u32(&mut o, self.lemma.rules.len() as u32);
        for r in &self.lemma.rules {
            o.push(r.lower as u8);
            o.push(r.strip);
            put_str(&mut o, &r.append);
        }
        for m in [
            &self.lemma.dict,
            &self.lemma.suffix,
            &self.tagger.dict.xpos,
            &self.tagger.dict.upos,
        ] {
            let pairs = m.pairs();
            put_u32(&mut o, pairs.len() as u32);
            for (k, v) in pairs {
                put_u64(&mut o, k);
                put_u32(&mut o, v);
            }
        }
        put_table(&mut o, &self.tagger.xt);
        put_table(&mut o, &self.tagger.ut);
        put_table(&mut o, &self.tagger.st);
        put_inline3(&mut o, &self.parser.trans);
        put_table(&mut o, &self.parser.labels);
        put_exit(&mut o, &self.parser.exit);
        put_exits(&mut o, self);
        let sum = checksum(&o);
        put_u64(&mut o, sum);
        o
    }

    fn decode(bytes: &[u8], what: &str) -> Result<Model, NlpError> {
        let mut r = Reader {
            b: bytes,
            pos: 0,
            what,
        };
        if bytes.len() < 8 + 4 + 8 || &bytes[..8] != MAGIC {
            return Err(r.err("not a dyad-nlp model (bad magic)"));
        }
        let body = bytes.len() - 8;
        let mut tail = [0u8; 8];
        tail.copy_from_slice(&bytes[body..]);
        if checksum(&bytes[..body]) != u64::from_le_bytes(tail) {
            return Err(NlpError::Format {
                what: what.to_string(),
                offset: body,
                cause: "checksum mismatch (file truncated or corrupted)".into(),
            });
        }
        r.b = &bytes[..body];
        r.pos = 8;
        let version = r.u32()?;
        if version != FORMAT_VERSION {
            return Err(r.err(&format!(
                "unsupported format version {version} (expected {FORMAT_VERSION})"
            )));
        }
        let mut names = Vec::new();
        for _ in 0..3 {
            let n = r.u32()? as usize;
            if n == 0 || n > 250 {
                return Err(r.err("bad tag set size"));
            }
            let mut v = Vec::with_capacity(n);
            for _ in 0..n {
                v.push(r.string()?);
            }
            names.push(v);
        }
        let root_label = r.u8()?;
        let nrules = r.u32()? as usize;
        let mut rules = Vec::with_capacity(nrules.min(1 << 20));
        for _ in 0..nrules {
            let lower = r.u8()? != 0;
            let strip = r.u8()?;
            let append = r.string()?;
            rules.push(Rule {
                lower,
                strip,
                append,
            });
        }
        let mut maps = Vec::new();
        // lemma dictionary, lemma suffixes (values: rule index), tag
        // dictionary XPOS and UPOS (values: tag ids)
        for (m, limit) in [rules.len(), rules.len(), names[0].len(), names[1].len()]
            .into_iter()
            .enumerate()
        {
            let n = r.u32()? as usize;
            let mut pairs = Vec::with_capacity(n.min(1 << 22));
            for _ in 0..n {
                let k = r.u64()?;
                let v = r.u32()?;
                if v as usize >= limit {
                    return Err(r.err(if m < 2 {
                        "lemma rule index out of range"
                    } else {
                        "tag dictionary entry out of range"
                    }));
                }
                pairs.push((k, v));
            }
            maps.push(if pairs.is_empty() && m >= 2 {
                U64Map::default()
            } else {
                U64Map::from_pairs(&pairs)
            });
        }
        let xt = r.table()?;
        let ut = r.table()?;
        let st = r.table()?;
        let trans = r.inline3()?;
        let labels = r.table()?;
        let exit = r.exit()?;
        let exits = r.exits()?;
        if r.pos != r.b.len() {
            return Err(r.err("trailing bytes"));
        }
        let labels_names = names.pop().unwrap_or_default();
        let upos_names = names.pop().unwrap_or_default();
        let xpos_names = names.pop().unwrap_or_default();
        if xt.classes() != xpos_names.len()
            || ut.classes() != upos_names.len()
            || labels.classes() != labels_names.len()
            || trans.classes() != 3
            || st.classes() != labels_names.len() * 3
            || root_label as usize >= labels_names.len()
        {
            return Err(r.err("table sizes do not match the tag sets"));
        }
        let tag_dict = TagDict {
            upos: maps.pop().unwrap_or_default(),
            xpos: maps.pop().unwrap_or_default(),
        };
        let suffix = maps.pop().unwrap_or_default();
        let dict = maps.pop().unwrap_or_default();
        let verb = crate::tagger::verb_flags(&xpos_names);
        Ok(Model {
            xpos_names,
            upos_names,
            label_names: labels_names,
            tagger: Tagger {
                verb,
                xt,
                ut,
                st,
                dict: tag_dict,
                xexit: exits.0,
                sexit: exits.1,
            },
            lemma: Lemmatizer {
                rules,
                dict,
                suffix,
            },
            parser: Parser {
                trans,
                labels,
                root_label,
                exit,
                label_exit: exits.2,
                st_label: exits.3,
            },
            id: next_model_id(),
        })
    }
}

fn put_u32(o: &mut Vec<u8>, v: u32) {
    o.extend_from_slice(&v.to_le_bytes());
}
fn put_u64(o: &mut Vec<u8>, v: u64) {
    o.extend_from_slice(&v.to_le_bytes());
}
fn put_str(o: &mut Vec<u8>, s: &str) {
    put_u32(o, s.len() as u32);
    o.extend_from_slice(s.as_bytes());
}

/// Checksum of the file body: four independent lanes over 32-byte blocks
/// (so the multiply chains overlap), then the tail byte by byte.
fn checksum(b: &[u8]) -> u64 {
    let mut h = [
        0x1234_5678_9abc_def0u64,
        0x0fed_cba9_8765_4321,
        0x9e37_79b9_7f4a_7c15,
        0xc2b2_ae3d_27d4_eb4f,
    ];
    let mut blocks = b.chunks_exact(32);
    for blk in &mut blocks {
        for (lane, c) in h.iter_mut().zip(blk.chunks_exact(8)) {
            let mut a = [0u8; 8];
            a.copy_from_slice(c);
            *lane = crate::hash::comb(*lane, u64::from_le_bytes(a));
        }
    }
    let mut x = h[0] ^ h[1].rotate_left(16) ^ h[2].rotate_left(32) ^ h[3].rotate_left(48);
    for &v in blocks.remainder() {
        x = crate::hash::comb(x, v as u64);
    }
    crate::hash::fmix(x ^ b.len() as u64)
}

/// Occupied slot indices as varint-coded gaps.
fn put_slot_deltas(o: &mut Vec<u8>, idx: impl Iterator<Item = u32>) {
    let mut prev = 0u32;
    let mut first = true;
    for i in idx {
        let mut d = if first { i } else { i - prev - 1 };
        first = false;
        prev = i;
        loop {
            let b = (d & 0x7F) as u8;
            d >>= 7;
            if d == 0 {
                o.push(b);
                break;
            }
            o.push(b | 0x80);
        }
    }
}

/// The 3-class table is written densely (empty slots included): it is
/// ~70% full, so this costs little space and loads with one pass.
fn put_inline3(o: &mut Vec<u8>, t: &Inline3) {
    o.push(t.slots.len().trailing_zeros() as u8);
    o.extend_from_slice(&t.scale.to_le_bytes());
    for s in &t.slots {
        put_u64(o, *s);
    }
}

/// Write a sparse table: header, then the occupied slot indices (ascending),
/// their packed slot words, and the entries, each as a little-endian array.
fn put_table(o: &mut Vec<u8>, t: &Sparse) {
    let mut occ: Vec<(u32, u64)> = Vec::new();
    for (i, &s) in t.slots.iter().enumerate() {
        if s != 0 {
            occ.push((i as u32, t.file_slot(s)));
        }
    }
    put_u32(o, t.c as u32);
    o.push(t.slots.len().trailing_zeros() as u8);
    put_u32(o, occ.len() as u32);
    put_u32(o, t.ents.len() as u32);
    o.extend_from_slice(&t.scale.to_le_bytes());
    put_slot_deltas(o, occ.iter().map(|x| x.0));
    for (_, s) in &occ {
        put_u64(o, *s);
    }
    for e in &t.ents {
        put_u32(o, *e);
    }
}

/// The early-exit schedule: u8 number of ordered templates (0 or all
/// per-transition ones), their ids, u8 number of stages, per stage u8 end and
/// i32 threshold.
fn put_exit(o: &mut Vec<u8>, e: &Schedule) {
    o.push(e.order().len() as u8);
    o.extend_from_slice(e.order());
    o.push(e.stages().len() as u8);
    for &(end, thr) in e.stages() {
        o.push(end);
        put_u32(o, thr as u32);
    }
}

// ---- Early-exit section (format versions 6 and 7) ----
// After the label table: the tag `EXIT`, a u8 count (≤ 4), then per rule
// a u8 classifier id (EXIT_XPOS, EXIT_SUPERTAG, EXIT_LABELS, and since
// version 7 EXIT_ST_LABELS; each at most once), the u32 margin threshold
// (0 = off) and the stage-1 context templates (u8 count, u8 template
// indices; distinct context templates of that classifier). A classifier
// without a rule has no early exit. The EXIT_ST_LABELS rule is the parser's
// supertag-label shortcut (`Parser::st_label`): no templates, a threshold
// in 1..=MAX_ST_MARGIN (the largest margin the supertagger can give).

const EXIT_TAG: &[u8; 4] = b"EXIT";
const EXIT_XPOS: u8 = 0;
const EXIT_SUPERTAG: u8 = 2;
const EXIT_LABELS: u8 = 3;
const EXIT_ST_LABELS: u8 = 4;
/// The largest supertag margin: two classes' sums of `NS` i16 weights.
const MAX_ST_MARGIN: u32 = 2 * crate::tagger::NS as u32 * 32767;

/// The context templates of classifier `id` (those an early-exit rule may
/// order), or `None` for an unknown id.
fn exit_ctx(id: u8) -> Option<&'static [u8]> {
    match id {
        EXIT_XPOS => Some(&crate::tagger::X_CTX),
        EXIT_SUPERTAG => Some(&crate::tagger::S_CTX_U8),
        EXIT_LABELS => Some(&crate::parser::L_CTX),
        EXIT_ST_LABELS => Some(&[]),
        _ => None,
    }
}

fn put_exits(o: &mut Vec<u8>, m: &Model) {
    o.extend_from_slice(EXIT_TAG);
    let st_label = Exit {
        threshold: m.parser.st_label,
        first: Vec::new(),
        rest: Vec::new(),
    };
    let rules = [
        (EXIT_XPOS, &m.tagger.xexit),
        (EXIT_SUPERTAG, &m.tagger.sexit),
        (EXIT_LABELS, &m.parser.label_exit),
        (EXIT_ST_LABELS, &st_label),
    ];
    let on: Vec<_> = rules
        .iter()
        .filter(|(_, e)| e.threshold != 0 || !e.first.is_empty())
        .collect();
    o.push(on.len() as u8);
    for (id, e) in on {
        o.push(*id);
        put_u32(o, e.threshold);
        o.push(e.first.len() as u8);
        o.extend_from_slice(&e.first);
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
    what: &'a str,
}

impl<'a> Reader<'a> {
    fn err(&self, cause: &str) -> NlpError {
        NlpError::Format {
            what: self.what.to_string(),
            offset: self.pos,
            cause: cause.to_string(),
        }
    }
    fn take(&mut self, n: usize) -> Result<&'a [u8], NlpError> {
        if self.b.len() - self.pos < n {
            return Err(self.err("unexpected end of data"));
        }
        let b: &'a [u8] = self.b;
        let s = &b[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8, NlpError> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, NlpError> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn u64(&mut self) -> Result<u64, NlpError> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(u64::from_le_bytes(a))
    }
    fn string(&mut self) -> Result<String, NlpError> {
        let n = self.u32()? as usize;
        let pos = self.pos;
        let s = self.take(n)?;
        String::from_utf8(s.to_vec()).map_err(|_| NlpError::Format {
            what: self.what.to_string(),
            offset: pos,
            cause: "string is not UTF-8".into(),
        })
    }
    fn slot_deltas(&mut self, n: usize, cap: usize) -> Result<Vec<usize>, NlpError> {
        let mut out = Vec::with_capacity(n.min(cap));
        let mut cur: usize = 0;
        for k in 0..n {
            let mut d: usize = 0;
            let mut shift = 0;
            loop {
                let b = self.u8()?;
                d |= ((b & 0x7F) as usize) << shift;
                if b & 0x80 == 0 {
                    break;
                }
                shift += 7;
                if shift > 28 {
                    return Err(self.err("bad varint"));
                }
            }
            cur = if k == 0 { d } else { cur + d + 1 };
            if cur >= cap {
                return Err(self.err("slot index out of range"));
            }
            out.push(cur);
        }
        Ok(out)
    }

    fn exit(&mut self) -> Result<Schedule, NlpError> {
        let start = self.pos;
        let n = self.u8()? as usize;
        let order = self.take(n)?.to_vec();
        let ns = self.u8()? as usize;
        let mut stages = Vec::with_capacity(ns);
        for _ in 0..ns {
            let end = self.u8()?;
            let thr = self.u32()? as i32;
            stages.push((end, thr));
        }
        let e = Schedule::new(order, stages);
        e.validate().map_err(|cause| NlpError::Format {
            what: self.what.to_string(),
            offset: start,
            cause,
        })?;
        Ok(e)
    }

    /// The early-exit section: rules for XPOS, supertags, labels, and the
    /// supertag-label threshold (0 = none).
    fn exits(&mut self) -> Result<(Exit, Exit, Exit, u32), NlpError> {
        if self.take(4)? != EXIT_TAG {
            self.pos -= 4;
            return Err(self.err("missing early-exit section"));
        }
        let n = self.u8()?;
        if n > 4 {
            self.pos -= 1;
            return Err(self.err("too many early-exit rules"));
        }
        let mut rules: [Option<Exit>; 5] = Default::default();
        for _ in 0..n {
            let id_pos = self.pos;
            let id = self.u8()?;
            let Some(ctx) = exit_ctx(id) else {
                self.pos = id_pos;
                return Err(self.err("unknown early-exit classifier"));
            };
            if rules[id as usize].is_some() {
                self.pos = id_pos;
                return Err(self.err("early-exit classifier given twice"));
            }
            let thr_pos = self.pos;
            let threshold = self.u32()?;
            if id == EXIT_ST_LABELS && !(1..=MAX_ST_MARGIN).contains(&threshold) {
                self.pos = thr_pos;
                return Err(self.err(&format!(
                    "supertag-label threshold {threshold} out of range 1..={MAX_ST_MARGIN}"
                )));
            }
            let k = self.u8()? as usize;
            let list_pos = self.pos;
            let first = self.take(k)?.to_vec();
            for (j, t) in first.iter().enumerate() {
                if !ctx.contains(t) || first[..j].contains(t) {
                    self.pos = list_pos + j;
                    return Err(self.err("bad early-exit template"));
                }
            }
            if threshold != 0 && first.is_empty() && id != EXIT_ST_LABELS {
                self.pos = list_pos;
                return Err(self.err("early-exit threshold without stage-1 templates"));
            }
            rules[id as usize] = Some(Exit::new(threshold, first, ctx));
        }
        let mut take = |id: u8| {
            rules[id as usize]
                .take()
                .unwrap_or_else(|| Exit::off(exit_ctx(id).unwrap_or(&[])))
        };
        let st_label = take(EXIT_ST_LABELS).threshold;
        Ok((
            take(EXIT_XPOS),
            take(EXIT_SUPERTAG),
            take(EXIT_LABELS),
            st_label,
        ))
    }

    fn inline3(&mut self) -> Result<Inline3, NlpError> {
        let cap_log2 = self.u8()? as u32;
        let scale = f32::from_bits(self.u32()?);
        if !(4..=28).contains(&cap_log2) || !scale.is_finite() {
            return Err(self.err("bad table header"));
        }
        let cap = 1usize << cap_log2;
        let raw = self.take(cap * 8)?;
        let mut slots = HugeBuf::zeroed(cap);
        for (s, b) in slots.iter_mut().zip(raw.chunks_exact(8)) {
            *s = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        }
        if slots.iter().all(|&s| s != 0) {
            return Err(self.err("table has no empty slot"));
        }
        Ok(Inline3 {
            slots,
            scale,
            uid: crate::table::Uid::new(),
        })
    }

    fn table(&mut self) -> Result<Sparse, NlpError> {
        let c = self.u32()? as usize;
        let cap_log2 = self.u8()? as u32;
        let n = self.u32()? as usize;
        let nent = self.u32()? as usize;
        let scale = f32::from_bits(self.u32()?);
        if c == 0
            || c > 250
            || !(4..=30).contains(&cap_log2)
            // at least one empty slot, so that every lookup terminates
            || n >= (1usize << cap_log2)
            || nent > MAX_ENTS
            || !scale.is_finite()
        {
            return Err(self.err("bad table header"));
        }
        let cap = 1usize << cap_log2;
        let mut slots = HugeBuf::zeroed(cap);
        let idx_pos = self.pos;
        let idx = self.slot_deltas(n, cap)?;
        let packed = self.take(n * 8)?;
        let mut prev: Option<usize> = None;
        for (&i, pb) in idx.iter().zip(packed.chunks_exact(8)) {
            let mut a = [0u8; 8];
            a.copy_from_slice(pb);
            let s = u64::from_le_bytes(a);
            let off = ((s >> 8) & 0xFF_FFFF) as usize;
            let len = (s & 0xFF) as usize;
            if i >= cap
                || prev.is_some_and(|p| i <= p)
                || s >> 32 == 0
                || len > c
                || off + len > nent
            {
                return Err(NlpError::Format {
                    what: self.what.to_string(),
                    offset: idx_pos,
                    cause: "bad table slot".into(),
                });
            }
            prev = Some(i);
            slots[i] = s;
        }
        let ent_pos = self.pos;
        let eb = self.take(nent * 4)?;
        // one vectorizable pass each: decode, then the largest class
        let mut ents = HugeBuf::zeroed(nent);
        for (e, b) in ents.iter_mut().zip(eb.chunks_exact(4)) {
            *e = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        }
        if ents.iter().fold(0u32, |m, &e| m.max(e >> 16)) as usize >= c {
            return Err(NlpError::Format {
                what: self.what.to_string(),
                offset: ent_pos,
                cause: "class index out of range".into(),
            });
        }
        Ok(Sparse::with_occupied(c, cap - 1, slots, ents, scale, &idx))
    }
}

/// A sentence tagged and lemmatized but not yet parsed ([`Model::tag`]).
/// [`Model::parse_tagged`] finishes it into exactly the [`Analysis`] that
/// [`Model::analyze`] gives the same words, so a caller can look at the tags
/// (e.g. to skip sentences that need no parse) before paying for the parser.
#[derive(Clone, Debug, Default)]
pub struct Tagged<'m> {
    /// Penn Treebank tag per word.
    pub xpos: Vec<&'m str>,
    /// Universal POS tag per word (empty after [`Model::tag_xpos`]).
    pub upos: Vec<&'m str>,
    /// Lemma per word (`lemma[i]` is a `&str`).
    pub lemma: Lemmas,
    toks: Vec<Tok>,
    xp: Vec<u8>,
    up: Vec<u8>,
    sp: Vec<u8>,
    sm: Vec<u32>,
}

impl<'m> Tagged<'m> {
    /// Number of words.
    pub fn len(&self) -> usize {
        self.xpos.len()
    }
    /// Whether the sentence has no words.
    pub fn is_empty(&self) -> bool {
        self.xpos.is_empty()
    }
}

/// Per-thread buffers of [`Model::tag`] / [`Model::parse_tagged`].
#[derive(Default)]
struct SplitWork {
    tc: TagCache,
    pt: Vec<PTok>,
    st: State,
    /// The work vectors of the last parsed (or dropped) [`Tagged`], for the
    /// next one: a sentence's token features are a few KB, and a fresh
    /// allocation of that size per sentence is costly next to many small
    /// ones (it makes the allocator consolidate its free lists).
    spare: Spare,
}

/// A [`Tagged`]'s internal work vectors, kept for reuse.
#[derive(Default)]
struct Spare {
    toks: Vec<Tok>,
    xp: Vec<u8>,
    up: Vec<u8>,
    sp: Vec<u8>,
    sm: Vec<u32>,
}

thread_local! {
    static SPLIT_WORK: std::cell::RefCell<SplitWork> = std::cell::RefCell::new(SplitWork::default());
}

impl Drop for Tagged<'_> {
    /// Hands the work vectors back to this thread's [`SplitWork`] (when it
    /// is free and has none), so that the next sentence reuses them.
    fn drop(&mut self) {
        if self.toks.capacity() == 0 {
            return;
        }
        let _ = SPLIT_WORK.try_with(|cell| {
            if let Ok(mut w) = cell.try_borrow_mut() {
                if w.spare.toks.capacity() < self.toks.capacity() {
                    w.spare = Spare {
                        toks: std::mem::take(&mut self.toks),
                        xp: std::mem::take(&mut self.xp),
                        up: std::mem::take(&mut self.up),
                        sp: std::mem::take(&mut self.sp),
                        sm: std::mem::take(&mut self.sm),
                    };
                }
            }
        });
    }
}

impl Model {
    /// The first half of [`Model::analyze`]: tag and lemmatize one
    /// pre-tokenized sentence, without parsing it. Never panics.
    pub fn tag(&self, words: &[&str]) -> Tagged<'_> {
        SPLIT_WORK.with(|cell| match cell.try_borrow_mut() {
            Ok(mut w) => {
                let w = &mut *w;
                let mut t = self.tag_xpos_with(words, &mut w.tc, &mut w.spare);
                self.tag_rest(&mut t, &mut w.tc);
                t
            }
            Err(_) => self.tag_with(words, &mut TagCache::default()),
        })
    }

    /// [`Model::tag`] without the UPOS tags (and the supertags the parser
    /// needs): `upos` is left empty, and [`Model::parse_tagged`] computes
    /// them first, with the same result as [`Model::tag`] would have had.
    /// For callers that read only XPOS and lemmas before deciding to parse:
    /// a sentence they drop never pays for UPOS and supertags.
    pub fn tag_xpos(&self, words: &[&str]) -> Tagged<'_> {
        SPLIT_WORK.with(|cell| match cell.try_borrow_mut() {
            Ok(mut w) => {
                let w = &mut *w;
                self.tag_xpos_with(words, &mut w.tc, &mut w.spare)
            }
            Err(_) => self.tag_xpos_with(words, &mut TagCache::default(), &mut Spare::default()),
        })
    }

    fn tag_xpos_with(&self, words: &[&str], tc: &mut TagCache, spare: &mut Spare) -> Tagged<'_> {
        let Spare {
            mut toks,
            mut xp,
            mut up,
            mut sp,
            mut sm,
        } = std::mem::take(spare);
        toks.clear();
        xp.clear();
        up.clear();
        sp.clear();
        sm.clear();
        toks.extend(words.iter().map(|s| tok_info(s)));
        let mut t = Tagged {
            xpos: Vec::new(),
            upos: Vec::new(),
            lemma: Lemmas::new(),
            toks,
            xp,
            up,
            sp,
            sm,
        };
        self.tagger.xpos_fast(&t.toks, &mut t.xp, tc, self.id);
        t.xpos = t.xp.iter().map(|&x| name(&self.xpos_names, x)).collect();
        let mut lemma = Lemmas::with_capacity(words.len(), lemma_bytes(words));
        for (w, &x) in words.iter().zip(&t.xp) {
            lemma.push_with(|out| self.lemma.lemma_into(w, x, out));
        }
        t.lemma = lemma;
        t
    }

    fn tag_with(&self, words: &[&str], tc: &mut TagCache) -> Tagged<'_> {
        let mut t = self.tag_xpos_with(words, tc, &mut Spare::default());
        self.tag_rest(&mut t, tc);
        t
    }

    /// Add UPOS and supertags to a sentence tagged by [`Model::tag_xpos`]
    /// (the second half of `Tagger::tag_fast`).
    fn tag_rest<'m>(&'m self, t: &mut Tagged<'m>, tc: &mut TagCache) {
        self.tagger
            .rest_fast(&t.toks, &t.xp, &mut t.up, &mut t.sp, &mut t.sm, tc, self.id);
        t.upos = t.up.iter().map(|&u| name(&self.upos_names, u)).collect();
    }

    /// The second half of [`Model::analyze`]: parse a sentence tagged by
    /// [`Model::tag`] (of this model). `model.parse_tagged(model.tag(w))`
    /// equals `model.analyze(w)`.
    pub fn parse_tagged<'m>(&'m self, tagged: Tagged<'m>) -> Analysis<'m> {
        SPLIT_WORK.with(|cell| match cell.try_borrow_mut() {
            Ok(mut w) => self.parse_tagged_with(tagged, &mut w),
            Err(_) => self.parse_tagged_with(tagged, &mut SplitWork::default()),
        })
    }

    fn parse_tagged_with<'m>(&'m self, mut t: Tagged<'m>, w: &mut SplitWork) -> Analysis<'m> {
        let SplitWork { tc, pt, st, spare } = w;
        let n = t.toks.len();
        if n > 0 && t.xp.len() == n && t.up.is_empty() && t.sp.is_empty() {
            // from `tag_xpos`: UPOS and supertags still to do
            self.tag_rest(&mut t, tc);
        }
        let (xpos, upos, lemma) = (
            std::mem::take(&mut t.xpos),
            std::mem::take(&mut t.upos),
            std::mem::take(&mut t.lemma),
        );
        if t.xp.len() != n || t.up.len() != n || t.sp.len() != n {
            // not made by `Model::tag`: nothing to parse
            return Analysis {
                head: vec![0; xpos.len()],
                deprel: vec!["_"; xpos.len()],
                xpos,
                upos,
                lemma,
            };
        }
        ptoks(&t.toks, &t.xp, &t.up, &t.sp, &t.sm, pt);
        if spare.toks.capacity() < t.toks.capacity() {
            // (the thread's work is borrowed here, so `Tagged`'s drop
            // could not hand the vectors back)
            *spare = Spare {
                toks: std::mem::take(&mut t.toks),
                xp: std::mem::take(&mut t.xp),
                up: std::mem::take(&mut t.up),
                sp: std::mem::take(&mut t.sp),
                sm: std::mem::take(&mut t.sm),
            };
        }
        self.parser.parse_cached(pt, st);
        let mut head = Vec::with_capacity(n);
        let mut deprel = Vec::with_capacity(n);
        for i in 0..n {
            let h = st.head.get(i + 1).copied().unwrap_or(0);
            head.push(if h == crate::parser::NO { 0 } else { h });
            let l = st.label.get(i + 1).copied().unwrap_or(0);
            deprel.push(
                self.label_names
                    .get(l as usize)
                    .map(|s| s.as_str())
                    .unwrap_or("_"),
            );
        }
        Analysis {
            xpos,
            upos,
            lemma,
            head,
            deprel,
        }
    }
}

impl Analysis<'_> {
    /// A CoNLL-U sentence for `words` with this analysis (FEATS, DEPS and
    /// MISC `_`); `comments` are copied verbatim (each should start with `#`).
    pub fn to_sentence(&self, words: &[&str], comments: &[String]) -> Sentence {
        let words = words
            .iter()
            .enumerate()
            .map(|(i, w)| conllu::Word {
                form: if w.is_empty() {
                    "_".to_string()
                } else {
                    w.replace(['\t', '\n', '\r'], " ")
                },
                lemma: self.lemma.get(i).unwrap_or("_").to_string(),
                upos: self.upos.get(i).copied().unwrap_or("_").to_string(),
                xpos: self.xpos.get(i).copied().unwrap_or("_").to_string(),
                feats: "_".into(),
                head: self.head.get(i).copied(),
                deprel: self.deprel.get(i).copied().unwrap_or("_").to_string(),
                deps: "_".into(),
                misc: "_".into(),
            })
            .collect();
        Sentence {
            comments: comments.to_vec(),
            words,
            extra: Vec::new(),
            line: 0,
        }
    }
}

/// Evaluation scores in percent. `las` follows the CoNLL 2018 evaluation
/// (universal part of DEPREL, all words including punctuation); `las_full`
/// compares full relations with subtypes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// UPOS accuracy.
    pub upos: f64,
    /// XPOS accuracy.
    pub xpos: f64,
    /// Unlabeled attachment score.
    pub uas: f64,
    /// Labeled attachment score (universal relation, as conll18_ud_eval).
    pub las: f64,
    /// Labeled attachment score with full relations (subtypes must match).
    pub las_full: f64,
    /// Lemma accuracy.
    pub lemma: f64,
    /// Number of words scored.
    pub words: usize,
    /// Number of sentences scored.
    pub sentences: usize,
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "UPOS {:.2} XPOS {:.2} UAS {:.2} LAS {:.2}",
            self.upos, self.xpos, self.uas, self.las
        )
    }
}

fn universal(rel: &str) -> &str {
    rel.split(':').next().unwrap_or(rel)
}

/// Score the model on gold sentences (gold tokenization).
pub fn eval_corpus(model: &Model, gold: &[Sentence]) -> Scores {
    let (mut n, mut up, mut xp, mut ua, mut la, mut lf, mut lm) = (0usize, 0, 0, 0, 0, 0, 0);
    for s in gold {
        let forms = s.forms();
        let a = model.analyze(&forms);
        for (i, w) in s.words.iter().enumerate() {
            n += 1;
            up += (a.upos[i] == w.upos) as usize;
            xp += (a.xpos[i] == w.xpos) as usize;
            lm += (a.lemma[i] == w.lemma) as usize;
            if w.head == Some(a.head[i]) {
                ua += 1;
                la += (universal(a.deprel[i]) == universal(&w.deprel)) as usize;
                lf += (a.deprel[i] == w.deprel) as usize;
            }
        }
    }
    let pct = |c: usize| 100.0 * c as f64 / n.max(1) as f64;
    Scores {
        upos: pct(up),
        xpos: pct(xp),
        uas: pct(ua),
        las: pct(la),
        las_full: pct(lf),
        lemma: pct(lm),
        words: n,
        sentences: gold.len(),
    }
}

/// Score the model on a gold CoNLL-U file. Malformed sentences are skipped
/// (they are not scored); an unreadable file or one without any good
/// sentence is an error.
pub fn eval(model: &Model, gold_conllu: impl AsRef<Path>) -> Result<Scores, NlpError> {
    let corpus = conllu::read_file(gold_conllu.as_ref())?;
    if corpus.sentences.is_empty() {
        return Err(match corpus.errors.into_iter().next() {
            Some(e) => NlpError::Conllu(e),
            None => NlpError::Conllu(ConlluError {
                file: gold_conllu.as_ref().display().to_string(),
                line: 0,
                cause: "no sentences".into(),
            }),
        });
    }
    Ok(eval_corpus(model, &corpus.sentences))
}

/// Outcome of [`reparse_conllu`].
#[derive(Debug, Default)]
pub struct ReparseStats {
    /// Sentences written.
    pub sentences: usize,
    /// Malformed input sentences that were skipped.
    pub errors: Vec<ConlluError>,
}

/// Re-tag and re-parse the words of a CoNLL-U file, keeping its
/// tokenization, comments, multiword tokens and MISC, and write CoNLL-U
/// (LEMMA, UPOS, XPOS, HEAD, DEPREL predicted; FEATS and DEPS set to `_`;
/// empty nodes dropped).
pub fn reparse_conllu(
    model: &Model,
    input: impl AsRef<Path>,
    out: &mut dyn Write,
) -> Result<ReparseStats, NlpError> {
    let corpus = conllu::read_file(input.as_ref())?;
    let mut buf = String::new();
    let mut stats = ReparseStats {
        errors: corpus.errors,
        ..Default::default()
    };
    for mut s in corpus.sentences {
        let forms: Vec<&str> = s.forms();
        let a = model.analyze(&forms);
        for (i, w) in s.words.iter_mut().enumerate() {
            w.lemma = a.lemma[i].to_string();
            w.upos = a.upos[i].to_string();
            w.xpos = a.xpos[i].to_string();
            w.feats = "_".into();
            w.head = Some(a.head[i]);
            w.deprel = a.deprel[i].to_string();
            w.deps = "_".into();
        }
        s.extra
            .retain(|(_, line)| !line.split('\t').next().unwrap_or("").contains('.'));
        buf.clear();
        conllu::write_sentence(&s, &mut buf);
        out.write_all(buf.as_bytes())?;
        stats.sentences += 1;
    }
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed model file's bytes, or `None` (saying so) without it.
    fn committed_model_bytes() -> Option<Vec<u8>> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/en-ewt.dyadnlp");
        match std::fs::read(path) {
            Ok(b) => Some(b),
            Err(_) => {
                eprintln!("skipping: model not found");
                None
            }
        }
    }

    /// The committed model, or `None` (saying so) without its file.
    fn committed_model() -> Option<Model> {
        committed_model_bytes().map(|b| Model::from_bytes(&b).expect("committed model loads"))
    }

    /// The committed model and EWT test, for the tests that compare two code paths on real
    /// text; `None` (the test skips, saying so) when ../shared is absent.
    fn committed_model_and_ewt_test() -> Option<(Model, crate::conllu::Corpus)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");
        if !std::path::Path::new(dir).exists() {
            eprintln!("skipping: ../shared not found");
            return None;
        }
        let model = committed_model()?;
        let corpus = crate::conllu::read_file(format!("{dir}/data/ud-ewt/en_ewt-ud-test.conllu"))
            .expect("EWT test reads");
        Some((model, corpus))
    }

    /// `m` without its early-exit rules and transition schedule: every
    /// decision on the full sums, as the plain (reference) tagger and parser
    /// make them.
    fn without_exits(m: &Model) -> Model {
        let mut m = m.clone();
        m.tagger.xexit = Exit::off(&crate::tagger::X_CTX);
        m.tagger.sexit = Exit::off(&crate::tagger::S_CTX_U8);
        m.parser.label_exit = Exit::off(&crate::parser::L_CTX);
        m.parser.exit = Schedule::default();
        m.parser.st_label = 0;
        m
    }

    /// The cached transition scoring used by `analyze` must pick exactly the
    /// same heads and labels as the plain per-transition scoring (early
    /// exits off: they are tested on their own).
    #[test]
    fn cached_parse_matches_plain_parse_on_ewt_test() {
        let Some((model, corpus)) = committed_model_and_ewt_test() else {
            return;
        };
        assert!(
            !model.parser.exit.stages().is_empty(),
            "no early exit in the model"
        );
        // (so a model without the supertag-label rule labels as before it)
        assert!(model.parser.st_label > 0, "no supertag-label shortcut");
        let model = without_exits(&model);
        let mut w = Work::default();
        let mut plain = State::default();
        let mut arcs = 0usize;
        for s in &corpus.sentences {
            let words = s.forms();
            model.run(&words, &mut w);
            model.parser.parse(&w.pt, &mut plain);
            assert_eq!(w.st.head, plain.head, "heads differ on {words:?}");
            assert_eq!(w.st.label, plain.label, "labels differ on {words:?}");
            arcs += words.len();
        }
        assert!(arcs > 20_000, "only {arcs} words compared");
    }

    /// The committed model's early exit (calibrated on EWT dev when the
    /// model was saved) decides most scored transitions early, and those
    /// decisions equal the full scoring's on EWT dev and (held out) test.
    #[test]
    fn early_exit_agrees_with_full_scoring_on_ewt_dev_and_test() {
        let Some((model, test)) = committed_model_and_ewt_test() else {
            return;
        };
        let dev_path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/ud-ewt/en_ewt-ud-dev.conllu"
        );
        let dev = crate::conllu::read_file(dev_path).expect("EWT dev reads");
        for (name, corpus, min_agree) in [("dev", &dev, 0.998), ("test", &test, 0.995)] {
            let sents: Vec<Vec<&str>> = corpus.sentences.iter().map(|s| s.forms()).collect();
            let (n, early, same, per) = model.exit_agreement(&sents);
            eprintln!("{name}: {n} scored, {early} early ({per:?}), {same} as the full scoring");
            assert!(n > 30_000, "{name}: only {n} scored transitions");
            assert!(early * 2 > n, "{name}: only {early} of {n} decided early");
            assert!(
                same as f64 >= min_agree * early as f64,
                "{name}: {same} of {early} early decisions equal the full ones"
            );
        }
    }

    /// Early-exit data that the scorer could not use as calibrated (a
    /// template order that is not a permutation of the per-transition
    /// templates, stage ends out of order or range, a negative threshold)
    /// is a format error at the start of the schedule's section.
    #[test]
    fn bad_early_exit_data_is_a_format_error() {
        let Some(mut model) = committed_model() else {
            return;
        };
        let good = model.parser.exit.clone();
        assert!(good.validate().is_ok());
        let n = good.order().len();
        let section = |e: &Schedule| 2 + e.order().len() + 5 * e.stages().len();
        let with_order = |f: &dyn Fn(&mut Vec<u8>)| {
            let mut o = good.order().to_vec();
            f(&mut o);
            Schedule::new(o, good.stages().to_vec())
        };
        let with_stages = |s: Vec<(u8, i32)>| Schedule::new(good.order().to_vec(), s);
        let bad = vec![
            (
                with_order(&|o| {
                    o.pop();
                }),
                "templates",
            ),
            (with_order(&|o| o[n - 1] = o[0]), "twice"),
            // template 0 (s0's word) is a cached single-role template
            (with_order(&|o| o[0] = 0), "not a per-transition"),
            (with_stages(vec![(20, 5), (20, 5)]), "stage end"),
            (with_stages(vec![(n as u8, 5)]), "stage end"),
            (with_stages(vec![(10, -1)]), "negative"),
        ];
        for (e, what) in bad {
            model.parser.exit = e.clone();
            let bytes = model.to_bytes();
            match Model::from_bytes(&bytes) {
                Err(NlpError::Format { cause, offset, .. }) => {
                    assert!(cause.contains(what), "{cause} (expected {what})");
                    // the schedule is followed by the tagger/labeller
                    // `EXIT` section and the checksum
                    let mut exits = Vec::new();
                    put_exits(&mut exits, &model);
                    assert_eq!(
                        offset,
                        bytes.len() - 8 - exits.len() - section(&e),
                        "{cause}"
                    );
                }
                Err(e) => panic!("unexpected error {e}"),
                Ok(_) => panic!("bad early-exit data accepted: {e:?}"),
            }
        }
        // no early exit at all is valid, and so is the calibrated one
        for e in [Schedule::default(), good] {
            model.parser.exit = e;
            assert!(Model::from_bytes(&model.to_bytes()).is_ok());
        }
    }

    /// The word-type cached tagger used by `analyze` must give exactly the
    /// tags of the plain tagger, also when the cache is warm (second pass)
    /// and when it was filled by another model (early exits off).
    #[test]
    fn cached_tagger_matches_plain_tagger_on_ewt_test() {
        let Some((model, corpus)) = committed_model_and_ewt_test() else {
            return;
        };
        let model = without_exits(&model);
        let mut cache = TagCache::default();
        let (mut x1, mut u1, mut s1) = (Vec::new(), Vec::new(), Vec::new());
        let (mut x2, mut u2, mut s2) = (Vec::new(), Vec::new(), Vec::new());
        let mut m2 = Vec::new();
        let mut words = 0usize;
        // cold cache, warm cache, then a cache filled under another owner id
        for owner in [model.id, model.id, model.id + 1] {
            for s in &corpus.sentences {
                let toks: Vec<Tok> = s.forms().iter().map(|f| tok_info(f)).collect();
                model.tagger.tag(&toks, &mut x1, &mut u1, &mut s1);
                model
                    .tagger
                    .tag_fast(&toks, &mut x2, &mut u2, &mut s2, &mut m2, &mut cache, owner);
                assert_eq!(m2.len(), toks.len());
                assert_eq!(
                    (&x1, &u1, &s1),
                    (&x2, &u2, &s2),
                    "tags differ on {:?}",
                    s.forms()
                );
                words += toks.len();
            }
        }
        assert!(words > 40_000, "only {words} words compared");
    }

    /// The allocation-light lemmatizer gives the reference lemmas for every
    /// EWT test word under every XPOS (covers dictionary, suffix rules and
    /// the lowercase fallback, ASCII and non-ASCII forms).
    #[test]
    fn lemma_matches_reference_on_ewt_test() {
        let Some((model, corpus)) = committed_model_and_ewt_test() else {
            return;
        };
        let mut n = 0usize;
        let long = "x".repeat(80);
        let extra = ["ÉCOLE", "Straße", "ΣΟΦΟΣ", long.as_str()];
        for s in &corpus.sentences {
            for f in s.forms().into_iter().chain(extra) {
                for x in 0..model.xpos_names.len() as u8 {
                    assert_eq!(
                        model.lemma.lemma(f, x),
                        model.lemma.lemma_reference(f, x),
                        "{f} {x}"
                    );
                    n += 1;
                }
            }
        }
        assert!(n > 1_000_000, "only {n} lemmas compared");
    }

    /// `parse_tagged(tag(w))` is `analyze(w)` on every EWT test sentence,
    /// also when the two halves are interleaved with other sentences.
    #[test]
    fn tag_then_parse_equals_analyze_on_ewt_test() {
        let Some((model, corpus)) = committed_model_and_ewt_test() else {
            return;
        };
        let mut words = 0usize;
        let mut prev: Option<Tagged<'_>> = None;
        for s in &corpus.sentences {
            let forms = s.forms();
            let whole = model.analyze(&forms);
            let tagged = model.tag(&forms);
            assert_eq!(tagged.xpos, whole.xpos, "{forms:?}");
            assert_eq!(tagged.lemma, whole.lemma, "{forms:?}");
            // parse the previous sentence's tags first: the halves keep no
            // state of their own between calls
            if let Some(p) = prev.take() {
                let n = p.len();
                assert_eq!(model.parse_tagged(p).head.len(), n);
            }
            prev = Some(tagged.clone());
            assert_eq!(model.parse_tagged(tagged), whole, "{forms:?}");
            let lazy = model.tag_xpos(&forms);
            assert_eq!(lazy.xpos, whole.xpos, "{forms:?}");
            assert_eq!(lazy.lemma, whole.lemma, "{forms:?}");
            assert!(lazy.upos.is_empty() || forms.is_empty());
            assert_eq!(model.parse_tagged(lazy), whole, "{forms:?}");
            words += forms.len();
        }
        assert!(words > 20_000, "only {words} words compared");
        assert_eq!(model.parse_tagged(model.tag(&[])), model.analyze(&[]));
        assert_eq!(model.parse_tagged(model.tag_xpos(&[])), model.analyze(&[]));
    }

    /// Dense rows are a load-time layout: writing the model back gives the
    /// file's bytes, and some rows actually are dense.
    #[test]
    fn dense_rows_round_trip_to_identical_bytes() {
        let Some(bytes) = committed_model_bytes() else {
            return;
        };
        let model = Model::from_bytes(&bytes).expect("committed model loads");
        // (pruned label rows are short: few of them are dense)
        let (dx, dl) = (model.tagger.xt.dsrc.len(), model.parser.labels.dsrc.len());
        eprintln!("dense rows: XPOS {dx}, labels {dl}");
        assert!(dx > 100, "no dense XPOS rows");
        assert!(dl > 0, "no dense label rows");
        assert!(
            model.to_bytes() == bytes,
            "re-serialized model differs from the file"
        );
    }

    /// A model file of another format version (e.g. one written before the
    /// early exit existed) is a format error naming both versions, not
    /// a misread.
    #[test]
    fn older_format_version_is_rejected() {
        let Some(mut b) = committed_model_bytes() else {
            return;
        };
        b[8..12].copy_from_slice(&5u32.to_le_bytes());
        // a valid checksum, so that the version check is what fails
        let body = b.len() - 8;
        let sum = checksum(&b[..body]);
        b[body..].copy_from_slice(&sum.to_le_bytes());
        match Model::from_bytes(&b) {
            Err(NlpError::Format { cause, offset, .. }) => {
                assert!(cause.contains("format version 5"), "{cause}");
                assert!(
                    cause.contains(&format!("expected {FORMAT_VERSION}")),
                    "{cause}"
                );
                assert_eq!(offset, 12);
            }
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("a version 5 file was accepted"),
        }
    }

    /// The committed model has a tag dictionary, and `analyze` (through
    /// `tag_fast`) gives every dictionary word its dictionary XPOS and every
    /// dictionary (form, XPOS) pair its UPOS, whatever the context.
    #[test]
    fn tag_dictionary_is_used_on_ewt_test() {
        let Some((model, corpus)) = committed_model_and_ewt_test() else {
            return;
        };
        let d = &model.tagger.dict;
        assert!(d.xpos.pairs().len() > 1000, "small XPOS dictionary");
        assert!(d.upos.pairs().len() > 5000, "small UPOS dictionary");
        let (mut nx, mut nu, mut n) = (0usize, 0usize, 0usize);
        for s in &corpus.sentences {
            let forms = s.forms();
            let a = model.analyze(&forms);
            for (i, f) in forms.iter().enumerate() {
                let t = tok_info(f);
                let x = model.xpos_names.iter().position(|x| x == a.xpos[i]);
                if let Some(dx) = d.xpos.get(t.form) {
                    assert_eq!(x, Some(dx as usize), "{f} in {forms:?}");
                    nx += 1;
                }
                let key = crate::tagger::type_key(t.form, x.unwrap_or(0) as u8);
                if let Some(du) = d.upos.get(key) {
                    assert_eq!(model.upos_names[du as usize], a.upos[i], "{f}");
                    nu += 1;
                }
                n += 1;
            }
        }
        // about a fifth of running words are frequent forms with one XPOS
        // (most frequent forms are ambiguous); most (form, XPOS) pairs have
        // one UPOS
        eprintln!("dictionary XPOS {nx} UPOS {nu} of {n} words");
        assert!(
            nx * 6 > n,
            "only {nx} of {n} words from the XPOS dictionary"
        );
        assert!(
            nu * 2 > n,
            "only {nu} of {n} words from the UPOS dictionary"
        );
    }

    /// A sparse table without an empty slot would make lookups of absent
    /// keys probe forever: the loader rejects it (with a valid checksum).
    #[test]
    fn full_sparse_table_is_a_format_error() {
        let Some(mut model) = committed_model() else {
            return;
        };
        let c = model.parser.labels.c;
        // 16 slots, all occupied, each pointing at one entry of class 1
        let slots: Vec<u64> = (0..16u64).map(|i| ((i + 1) << 32) | (i << 8) | 1).collect();
        let ents = vec![(1u32 << 16) | 5; 16];
        model.parser.labels = Sparse::new(c, 15, slots.clone().into(), ents.clone().into(), 1.0);
        match Model::from_bytes(&model.to_bytes()) {
            Err(NlpError::Format { cause, .. }) => assert!(cause.contains("header"), "{cause}"),
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("a table without empty slot was accepted"),
        }
        // one empty slot: accepted
        let mut slots = slots;
        slots[7] = 0;
        model.parser.labels = Sparse::new(c, 15, slots.into(), ents.into(), 1.0);
        assert!(Model::from_bytes(&model.to_bytes()).is_ok());
    }

    /// The committed model's early exits (calibrated on EWT dev for at most
    /// 0.5 % disagreement among early decisions) fire, and change few
    /// decisions on EWT dev: XPOS and labels of the exiting model against
    /// the same model deciding everything on the full sums.
    #[test]
    fn early_exit_agrees_with_full_decisions_on_ewt_dev() {
        let Some((mut model, _)) = committed_model_and_ewt_test() else {
            return;
        };
        // (the supertag-label shortcut has its own test)
        model.parser.st_label = 0;
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");
        let dev = crate::conllu::read_file(format!("{dir}/data/ud-ewt/en_ewt-ud-dev.conllu"))
            .expect("EWT dev reads");
        assert!(model.tagger.xexit.threshold > 0, "no XPOS early exit");
        assert!(model.parser.label_exit.threshold > 0, "no label early exit");
        let full = without_exits(&model);
        let (mut n, mut same_x, mut same_l, mut same_h) = (0usize, 0usize, 0usize, 0usize);
        for s in &dev.sentences {
            let w = s.forms();
            let (a, b) = (model.analyze(&w), full.analyze(&w));
            for i in 0..w.len() {
                n += 1;
                same_x += usize::from(a.xpos[i] == b.xpos[i]);
                same_l += usize::from(a.deprel[i] == b.deprel[i]);
                same_h += usize::from(a.head[i] == b.head[i]);
            }
        }
        let pct = |k: usize| 100.0 * k as f64 / n.max(1) as f64;
        eprintln!(
            "EWT dev, {n} words: XPOS {:.2} % labels {:.2} % heads {:.2} % as without early exit",
            pct(same_x),
            pct(same_l),
            pct(same_h)
        );
        assert!(n > 20_000, "only {n} words compared");
        // (committed model: 99.75 / 99.34 / 99.67; labels also change
        // when an earlier label or tag changed the parse)
        assert!(pct(same_x) >= 99.6, "XPOS agreement {:.2} %", pct(same_x));
        assert!(pct(same_l) >= 99.0, "label agreement {:.2} %", pct(same_l));
        assert!(pct(same_h) >= 99.4, "head agreement {:.2} %", pct(same_h));
    }

    /// A malformed early-exit section (with a valid checksum) is a format
    /// error naming the offending byte, never a misread model.
    #[test]
    fn bad_early_exit_section_is_a_format_error() {
        let Some(bytes) = committed_model_bytes() else {
            return;
        };
        let model = Model::from_bytes(&bytes).expect("committed model loads");
        let mut sec = Vec::new();
        put_exits(&mut sec, &model);
        let body = bytes.len() - 8;
        let start = body - sec.len();
        assert_eq!(&bytes[start..body], &sec[..], "section not at the end");
        // the committed section: XPOS rule first (then labels, supertag labels)
        assert_eq!(&sec[..6], b"EXIT\x03\x00", "{sec:?}");
        let try_with = |f: &dyn Fn(&mut Vec<u8>)| {
            let mut b = bytes[..body].to_vec();
            f(&mut b);
            let sum = checksum(&b);
            b.extend_from_slice(&sum.to_le_bytes());
            match Model::from_bytes(&b) {
                Err(NlpError::Format { cause, offset, .. }) => (cause, offset),
                Err(e) => panic!("unexpected error {e}"),
                Ok(_) => panic!("a bad early-exit section was accepted"),
            }
        };
        // XPOS stage-1 list (after id, threshold, count): a word template
        let list = start + 4 + 1 + 1 + 4 + 1;
        let (cause, off) = try_with(&|b| b[list + 1] = 3);
        assert!(cause.contains("template"), "{cause}");
        assert_eq!(off, list + 1);
        // a repeated template
        let (cause, off) = try_with(&|b| b[list + 1] = b[list]);
        assert!(cause.contains("template"), "{cause}");
        assert_eq!(off, list + 1);
        // UPOS (id 1) has no early exit
        let (cause, off) = try_with(&|b| b[start + 5] = 1);
        assert!(cause.contains("classifier"), "{cause}");
        assert_eq!(off, start + 5);
        // the labels rule given as a second XPOS rule
        let second = list + sec[10] as usize;
        let (cause, off) = try_with(&|b| b[second] = 0);
        assert!(cause.contains("twice"), "{cause}");
        assert_eq!(off, second);
        // more rules than classifiers, a missing tag, a cut section
        let (cause, off) = try_with(&|b| b[start + 4] = 5);
        assert!(cause.contains("too many"), "{cause}");
        assert_eq!(off, start + 4);
        let (cause, off) = try_with(&|b| b[start] = b'X');
        assert!(cause.contains("missing early-exit"), "{cause}");
        assert_eq!(off, start);
        let (cause, _) = try_with(&|b| b.truncate(b.len() - 3));
        assert!(cause.contains("end of data"), "{cause}");
        // a threshold without stage-1 templates
        let (cause, _) = try_with(&|b| {
            b.truncate(start);
            b.extend_from_slice(b"EXIT\x01\x03\x10\x00\x00\x00\x00");
        });
        assert!(cause.contains("without stage-1"), "{cause}");
        // and the untouched section loads, with the same rules
        let back = Model::from_bytes(&bytes).expect("loads");
        assert_eq!(back.tagger.xexit, model.tagger.xexit);
        assert_eq!(back.parser.label_exit, model.parser.label_exit);
        assert_eq!(back.parser.st_label, model.parser.st_label);
    }

    /// A bad supertag-label rule (the section's last rule: id, u32
    /// threshold, template count) is a format error naming its byte: a
    /// threshold of 0 or above the largest supertag margin, templates, the
    /// rule twice. Without the rule the model loads with the shortcut off.
    #[test]
    fn bad_supertag_label_rule_is_a_format_error() {
        let Some(bytes) = committed_model_bytes() else {
            return;
        };
        let model = Model::from_bytes(&bytes).expect("committed model loads");
        assert!(model.parser.st_label > 0, "no supertag-label shortcut");
        let body = bytes.len() - 8;
        let rule = body - 6;
        assert_eq!(bytes[rule], EXIT_ST_LABELS);
        let thr = u32::from_le_bytes([
            bytes[rule + 1],
            bytes[rule + 2],
            bytes[rule + 3],
            bytes[rule + 4],
        ]);
        assert_eq!(thr, model.parser.st_label);
        let load = |f: &dyn Fn(&mut Vec<u8>)| {
            let mut b = bytes[..body].to_vec();
            f(&mut b);
            let sum = checksum(&b);
            b.extend_from_slice(&sum.to_le_bytes());
            Model::from_bytes(&b)
        };
        let fails = |f: &dyn Fn(&mut Vec<u8>)| match load(f) {
            Err(NlpError::Format { cause, offset, .. }) => (cause, offset),
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => panic!("a bad supertag-label rule was accepted"),
        };
        let set_thr =
            |b: &mut Vec<u8>, v: u32| b[rule + 1..rule + 5].copy_from_slice(&v.to_le_bytes());
        for v in [0, MAX_ST_MARGIN + 1, u32::MAX] {
            let (cause, off) = fails(&|b| set_thr(b, v));
            assert!(cause.contains("supertag-label threshold"), "{cause}");
            assert_eq!(off, rule + 1, "{cause}");
        }
        // templates: none is a supertag-label template
        let (cause, off) = fails(&|b| {
            b[rule + 5] = 1;
            b.push(12);
        });
        assert!(cause.contains("template"), "{cause}");
        assert_eq!(off, rule + 6);
        // the rule twice
        let count = body - sec_len(&model) + 4;
        let (cause, off) = fails(&|b| {
            let r = b[rule..].to_vec();
            b.extend_from_slice(&r);
            b[count] += 1;
        });
        assert!(cause.contains("twice"), "{cause}");
        assert_eq!(off, rule + 6);
        // the largest threshold loads (and never fires); no rule: off
        let m = load(&|b| set_thr(b, MAX_ST_MARGIN)).expect("loads");
        assert_eq!(m.parser.st_label, MAX_ST_MARGIN);
        let m = load(&|b| {
            b.truncate(rule);
            b[count] -= 1;
        })
        .expect("loads");
        assert_eq!(m.parser.st_label, 0);
        assert_eq!(m.parser.label_exit, model.parser.label_exit);
    }

    /// Length of `m`'s `EXIT` section.
    fn sec_len(m: &Model) -> usize {
        let mut sec = Vec::new();
        put_exits(&mut sec, m);
        sec.len()
    }

    /// The supertag-label shortcut of the committed model (calibrated on EWT
    /// dev for at most `TrainOptions::default().supertag_labels` of 10,000
    /// shortcut labels differing from the labeller's) labels most arcs, and
    /// those labels are the labeller's at about the calibrated rate, along
    /// the runtime parses of EWT dev and (held out) test; every other arc
    /// gets the labeller's label.
    #[test]
    fn supertag_labels_agree_with_full_labelling_on_ewt_dev_and_test() {
        let Some((model, test)) = committed_model_and_ewt_test() else {
            return;
        };
        let per_10k = crate::train::TrainOptions::default().supertag_labels;
        assert!(per_10k > 0 && model.parser.st_label > 0, "shortcut off");
        let dev_path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/ud-ewt/en_ewt-ud-dev.conllu"
        );
        let dev = crate::conllu::read_file(dev_path).expect("EWT dev reads");
        // the calibration's own view (full-decision parses of dev): at
        // most per_10k of 10,000 at or above the threshold differ
        let toks: Vec<Vec<Tok>> = dev
            .sentences
            .iter()
            .map(|s| s.forms().iter().map(|f| tok_info(f)).collect())
            .collect();
        let (mut rec, mut st, mut pt, mut tc) = (
            Vec::new(),
            State::default(),
            Vec::new(),
            TagCache::default(),
        );
        for t in &toks {
            model.ptoks_of(t, &mut tc, &mut pt);
            model.parser.supertag_label_margins(&pt, &mut st, &mut rec);
        }
        let thr = model.parser.st_label;
        let above: Vec<_> = rec.iter().filter(|r| r.0 >= thr).collect();
        let bad = above.iter().filter(|r| !r.1).count();
        assert!(
            bad * 10_000 <= per_10k as usize * above.len(),
            "dev calibration: {bad} of {} differ",
            above.len()
        );
        // ... and the next lower margin would allow more than that (the
        // threshold is the smallest such)
        if let Some(next) = rec.iter().map(|r| r.0).filter(|&m| m > 0 && m < thr).max() {
            let lower: Vec<_> = rec.iter().filter(|r| r.0 >= next).collect();
            let bad_lower = lower.iter().filter(|r| !r.1).count();
            assert!(
                bad_lower * 10_000 > per_10k as usize * lower.len(),
                "threshold {thr} is not the smallest ({next} also qualifies)"
            );
        }
        for (name, corpus, slack) in [("dev", &dev, 1.5), ("test", &test, 2.0)] {
            let mut r = [0usize; 4];
            let mut w = Work::default();
            for s in &corpus.sentences {
                model.run(&s.forms(), &mut w);
                let x = model.parser.shortcut_agreement(&w.pt, &mut st);
                for (a, b) in r.iter_mut().zip(x) {
                    *a += b;
                }
            }
            let [arcs, short, same, other] = r;
            eprintln!("{name}: {arcs} arcs, {short} by supertag, {same} as the labeller, {other} others differ");
            assert!(arcs > 20_000, "{name}: only {arcs} arcs");
            assert!(
                short * 2 > arcs,
                "{name}: only {short} of {arcs} arcs by supertag"
            );
            assert_eq!(
                other, 0,
                "{name}: labels differ where the shortcut did not fire"
            );
            let allowed = slack * per_10k as f64 / 10_000.0;
            assert!(
                (short - same) as f64 <= allowed * short as f64,
                "{name}: {} of {short} shortcut labels differ",
                short - same
            );
        }
    }
}
