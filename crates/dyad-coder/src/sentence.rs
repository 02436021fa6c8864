//! The coder's one sentence representation: tokens (word, lemma, PTB tag) plus a phrase-structure
//! tree over them.
//!
//! * Penn Treebank input maps onto it directly ([`ParsedSentence::from_ptb`]).
//! * Universal Dependencies input (CoNLL-U, or dyad's own parser through
//!   [`ParsedSentence::from_vectors`]) is *projected*: every head word yields a phrase holding
//!   its dependents; nominal heads give `NP` (wrapped in `PP` when they carry a `case`
//!   preposition), clausal heads give `S` = subject `NP` + `VP`, with `SBAR` for marked clauses,
//!   and `conj`/`cc` become coordinated phrases. The coder then reads one structure whatever
//!   the parser was.

use dyad_input::{ConlluSentence, PtbNode, PtbTree};

/// Phrase categories the coder distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cat {
    /// Clause (`S`, `SINV`, `SQ`).
    S,
    /// Subordinate clause (`SBAR`).
    Sbar,
    /// Noun phrase (`NP`, `NML`, `NX`).
    Np,
    /// Temporal noun phrase (`NP-TMP`): never an actor slot.
    NpTmp,
    /// Verb phrase.
    Vp,
    /// Prepositional phrase.
    Pp,
    /// Adjective phrase.
    Adjp,
    /// Adverb phrase.
    Advp,
    /// Parenthetical.
    Prn,
    /// Wh-noun phrase.
    Whnp,
    /// Anything else (ROOT, QP, PRT, FRAG …).
    Other,
    /// A word (preterminal).
    Leaf,
}

impl Cat {
    fn from_label(l: &str) -> Cat {
        if l == "NP-TMP" {
            return Cat::NpTmp;
        }
        let base = l.split(['-', '=']).next().unwrap_or(l);
        match base {
            "S" | "SINV" | "SQ" => Cat::S,
            "SBAR" | "SBARQ" => Cat::Sbar,
            "NP" | "NML" | "NX" => Cat::Np,
            "VP" => Cat::Vp,
            "PP" => Cat::Pp,
            "ADJP" => Cat::Adjp,
            "ADVP" => Cat::Advp,
            "PRN" => Cat::Prn,
            "WHNP" => Cat::Whnp,
            _ => Cat::Other,
        }
    }
}

/// A token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Token {
    /// Surface form.
    pub word: String,
    /// Upper-case form (dictionary key).
    pub upper: String,
    /// Lemma (lower-case; may equal the word when unknown).
    pub lemma: String,
    /// PTB tag.
    pub tag: String,
}

/// A tree node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Category.
    pub cat: Cat,
    /// Parent node (`u32::MAX` for the root).
    pub parent: u32,
    /// Children in surface order.
    pub children: Vec<u32>,
    /// First token (inclusive).
    pub start: u32,
    /// Last token (exclusive).
    pub end: u32,
    /// For leaves: the token.
    pub token: u32,
}

impl Node {
    /// A node with no children, span or token yet.
    fn new(cat: Cat, parent: u32) -> Node {
        Node {
            cat,
            parent,
            children: Vec::new(),
            start: 0,
            end: 0,
            token: NONE,
        }
    }
}

/// No node.
pub const NONE: u32 = u32::MAX;

/// A parsed sentence: tokens plus a phrase-structure tree (node 0 is the root).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedSentence {
    /// Tokens in order.
    pub tokens: Vec<Token>,
    /// Tree nodes; `nodes[0]` is the root.
    pub nodes: Vec<Node>,
    /// Leaf node of each token.
    pub leaf: Vec<u32>,
}

/// Error building a sentence from vectors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SentenceError {
    /// Vectors of different lengths.
    #[error("input vectors have different lengths")]
    Lengths,
    /// A head index out of range or a cycle.
    #[error("word {0}: head out of range or dependency cycle")]
    BadHead(usize),
    /// No tokens.
    #[error("empty sentence")]
    Empty,
}

fn mk_token(word: &str, lemma: &str, tag: &str) -> Token {
    Token {
        word: word.to_string(),
        upper: word.to_uppercase(),
        lemma: if lemma.is_empty() || lemma == "_" {
            word.to_lowercase()
        } else {
            lemma.to_lowercase()
        },
        tag: tag.to_string(),
    }
}

impl Token {
    /// Makes this token the one [`ParsedSentence::from_vectors`] makes of
    /// `word` with `lemma` (empty or `_`: none) and `tag`, reusing its
    /// strings' buffers.
    pub fn assign(&mut self, word: &str, lemma: &str, tag: &str) {
        set_reusing(&mut self.word, word);
        if word.is_ascii() {
            set_reusing(&mut self.upper, word);
            self.upper.make_ascii_uppercase();
        } else {
            set_reusing(&mut self.upper, &word.to_uppercase());
        }
        let l = if lemma.is_empty() || lemma == "_" {
            word
        } else {
            lemma
        };
        if l.is_ascii() {
            set_reusing(&mut self.lemma, l);
            self.lemma.make_ascii_lowercase();
        } else {
            // (`str::to_lowercase` has context rules, e.g. a final sigma)
            set_reusing(&mut self.lemma, &l.to_lowercase());
        }
        set_reusing(&mut self.tag, tag);
    }
}

/// Sets `dst` to `src`, keeping its buffer; a buffer too small grows to at
/// least 32 bytes, which holds nearly every word, so that a token reused
/// for another word rarely reallocates.
fn set_reusing(dst: &mut String, src: &str) {
    dst.clear();
    if dst.capacity() < src.len() {
        dst.reserve(src.len().max(32));
    }
    dst.push_str(src);
}

/// Nodes and tokens left over when [`ParsedSentence::rebuild_from_vectors`]
/// makes a sentence smaller than the one before, kept (per thread, at most
/// [`SPARE_MAX`] of each) with their buffers for the next, larger one.
#[derive(Default)]
struct Spare {
    nodes: Vec<Node>,
    tokens: Vec<Token>,
}

const SPARE_MAX: usize = 512;

thread_local! {
    static SPARE: std::cell::RefCell<Spare> = std::cell::RefCell::new(Spare::default());
}

impl ParsedSentence {
    /// [`ParsedSentence::push`] for a sentence being rebuilt in place: node
    /// `*used` is overwritten when it exists (keeping its child list's
    /// buffer), else pushed; the caller truncates `nodes` to `*used` at the
    /// end.
    fn push_reusing(&mut self, used: &mut usize, cat: Cat, parent: u32) -> u32 {
        let id = *used as u32;
        // a fresh node: every field set, only the children list's buffer kept
        let reset = |nd: &mut Node| {
            nd.cat = cat;
            nd.parent = parent;
            nd.children.clear();
            nd.start = 0;
            nd.end = 0;
            nd.token = NONE;
        };
        match self.nodes.get_mut(*used) {
            Some(nd) => reset(nd),
            None => {
                let spare = SPARE
                    .try_with(|sp| sp.try_borrow_mut().ok().and_then(|mut sp| sp.nodes.pop()))
                    .ok()
                    .flatten();
                let nd = match spare {
                    Some(mut nd) => {
                        reset(&mut nd);
                        nd
                    }
                    None => Node::new(cat, parent),
                };
                self.nodes.push(nd);
            }
        }
        *used += 1;
        if parent != NONE {
            self.nodes[parent as usize].children.push(id);
        }
        id
    }

    fn push(&mut self, cat: Cat, parent: u32) -> u32 {
        let id = self.nodes.len() as u32;
        self.nodes.push(Node::new(cat, parent));
        if parent != NONE {
            self.nodes[parent as usize].children.push(id);
        }
        id
    }

    fn add_leaf(&mut self, parent: u32, tok: Token) -> u32 {
        let t = self.tokens.len() as u32;
        self.tokens.push(tok);
        let id = self.push(Cat::Leaf, parent);
        self.nodes[id as usize].token = t;
        self.nodes[id as usize].start = t;
        self.nodes[id as usize].end = t + 1;
        self.leaf.push(id);
        id
    }

    fn fix_spans(&mut self, n: u32) {
        if self.nodes[n as usize].cat == Cat::Leaf {
            return;
        }
        // by index, not over a clone of the child list: no allocation per node
        let mut s = u32::MAX;
        let mut e = 0;
        for j in 0..self.nodes[n as usize].children.len() {
            let k = self.nodes[n as usize].children[j];
            self.fix_spans(k);
            s = s.min(self.nodes[k as usize].start);
            e = e.max(self.nodes[k as usize].end);
        }
        if s == u32::MAX {
            s = 0;
        }
        self.nodes[n as usize].start = s;
        self.nodes[n as usize].end = e;
    }

    /// From a Penn Treebank tree. Empty elements (`-NONE-`) are dropped.
    pub fn from_ptb(tree: &PtbTree) -> ParsedSentence {
        let mut s = ParsedSentence::default();
        if tree.nodes.is_empty() {
            s.push(Cat::Other, NONE);
            return s;
        }
        fn go(s: &mut ParsedSentence, t: &PtbTree, n: usize, parent: u32) {
            match &t.nodes[n] {
                PtbNode::Leaf { tag, word } => {
                    if tag == "-NONE-" {
                        return;
                    }
                    let w = word.replace("-LRB-", "(").replace("-RRB-", ")");
                    s.add_leaf(parent, mk_token(&w, "", tag));
                }
                PtbNode::Phrase { label, children } => {
                    let id = s.push(Cat::from_label(label), parent);
                    for &c in children {
                        go(s, t, c, id);
                    }
                }
            }
        }
        match &tree.nodes[0] {
            PtbNode::Phrase { .. } => go(&mut s, tree, 0, NONE),
            PtbNode::Leaf { .. } => {
                let r = s.push(Cat::Other, NONE);
                go(&mut s, tree, 0, r);
            }
        }
        s.fix_spans(0);
        s
    }

    /// From a CoNLL-U sentence (FORM, LEMMA, XPOS as PTB tag — UPOS mapped when XPOS is `_`,
    /// HEAD, DEPREL).
    pub fn from_conllu(c: &ConlluSentence) -> Result<ParsedSentence, SentenceError> {
        let words: Vec<&str> = c.tokens.iter().map(|t| t.form.as_str()).collect();
        let tags: Vec<String> = c
            .tokens
            .iter()
            .map(|t| {
                if t.xpos.is_empty() || t.xpos == "_" {
                    upos_to_ptb(&t.upos, &t.form)
                } else {
                    t.xpos.clone()
                }
            })
            .collect();
        let tags: Vec<&str> = tags.iter().map(String::as_str).collect();
        let lemmas: Vec<&str> = c.tokens.iter().map(|t| t.lemma.as_str()).collect();
        let heads: Vec<usize> = c.tokens.iter().map(|t| t.head).collect();
        let rels: Vec<&str> = c.tokens.iter().map(|t| t.deprel.as_str()).collect();
        ParsedSentence::from_vectors(&words, &tags, &lemmas, &heads, &rels)
    }

    /// From plain vectors (dyad's own parser): words, PTB tags, lemmas, 1-based heads (0 = root)
    /// and UD relations. The dependency tree is projected into phrases (see the module docs).
    pub fn from_vectors(
        words: &[&str],
        xpos: &[&str],
        lemmas: &[&str],
        heads: &[usize],
        deprels: &[&str],
    ) -> Result<ParsedSentence, SentenceError> {
        let mut s = ParsedSentence::default();
        s.rebuild_from_vectors(words, xpos, lemmas, heads, deprels)?;
        Ok(s)
    }

    /// [`ParsedSentence::from_vectors`] into `self`, replacing its content
    /// (the result is equal to `from_vectors`'), but reusing its token
    /// strings and node lists: a caller that builds many sentences one
    /// after the other keeps one `ParsedSentence` and allocates little. On
    /// an error `self` is left empty.
    pub fn rebuild_from_vectors(
        &mut self,
        words: &[&str],
        xpos: &[&str],
        lemmas: &[&str],
        heads: &[usize],
        deprels: &[&str],
    ) -> Result<(), SentenceError> {
        // (taken out, so that an error leaves `self` empty; the old nodes'
        // child lists and the old tokens' strings are reused)
        let nodes = std::mem::take(&mut self.nodes);
        let mut tokens = std::mem::take(&mut self.tokens);
        let mut leaf = std::mem::take(&mut self.leaf);
        let n = words.len();
        if n == 0 {
            return Err(SentenceError::Empty);
        }
        if xpos.len() != n || lemmas.len() != n || heads.len() != n || deprels.len() != n {
            return Err(SentenceError::Lengths);
        }
        // modifiers read as subjects of their noun, main verbs read as participles, and
        // conjuncts hidden inside appositive/participle clauses (crate::repair)
        let rels1 = crate::repair::noun_subjects(xpos, heads, deprels);
        let deprels = rels1.as_deref().unwrap_or(deprels);
        let verbs = crate::repair::participle_main_verbs(words, xpos, heads, deprels);
        let (heads, deprels, xpos) = match &verbs {
            Some((h, r, x)) => (h.as_slice(), r.as_slice(), x.as_slice()),
            None => (heads, deprels, xpos),
        };
        let repaired = crate::repair::hidden_conjuncts(words, xpos, heads, deprels);
        let (heads, deprels) = match &repaired {
            Some((h, r)) => (h.as_slice(), r.as_slice()),
            None => (heads, deprels),
        };
        // a preposition stranded on the first word of a name ("by al-Shabaab militants")
        let unstranded = crate::repair::stranded_case(xpos, heads, deprels);
        let heads = unstranded.as_deref().unwrap_or(heads);
        let mut roots = Vec::new();
        // dependents per head, in word order, as one flat list (no Vec per word)
        let mut start = vec![0u32; n + 1];
        for (i, &h) in heads.iter().enumerate() {
            if h > n || h == i + 1 {
                return Err(SentenceError::BadHead(i + 1));
            }
            // sentence-final punctuation hangs off the root, not inside the last clause, so
            // that phrase spans stay contiguous
            let final_punct = i + 1 == n && deprels[i].starts_with("punct");
            if h == 0 || final_punct {
                roots.push(i);
            } else {
                start[h] += 1;
            }
        }
        for h in 0..n {
            start[h + 1] += start[h];
        }
        let mut fill: Vec<u32> = start[..n].to_vec();
        let mut list = vec![0usize; start[n] as usize];
        for (i, &h) in heads.iter().enumerate() {
            let final_punct = i + 1 == n && deprels[i].starts_with("punct");
            if h != 0 && !final_punct {
                list[fill[h - 1] as usize] = i;
                fill[h - 1] += 1;
            }
        }
        let kids = Kids { start, list };
        // cycle check: every word must reach a root
        for i in 0..n {
            let mut cur = i;
            let mut steps = 0;
            while heads[cur] != 0 {
                cur = heads[cur] - 1;
                steps += 1;
                if steps > n {
                    return Err(SentenceError::BadHead(i + 1));
                }
            }
        }
        let proj = Projector {
            words,
            tags: xpos,
            lemmas,
            rels: deprels,
            kids: &kids,
        };
        let mut shape = Vec::new();
        for &r in &roots {
            shape.push(proj.project(r, false));
        }
        let s = self;
        s.nodes = nodes;
        let mut used = 0usize;
        let root = s.push_reusing(&mut used, Cat::Other, NONE);
        // Emit leaves in token order: build nodes from the shape, creating leaves as we go in
        // surface order (the shape lists children sorted by position).
        let mut tmp: Vec<(Shape, u32)> = shape.into_iter().map(|x| (x, root)).collect();
        tmp.sort_by_key(|(sh, _)| sh.first());
        // the leaf node of each word, once placed
        let mut leaves: Vec<u32> = vec![NONE; n];
        // Each phrase's span is the hull of its children's (a leaf's is its word; a phrase
        // with no children gets 0..0), computed as the tree is built: what `fix_spans` gives.
        fn hull(acc: &mut (u32, u32), sp: Option<(u32, u32)>) {
            if let Some((a, b)) = sp {
                acc.0 = acc.0.min(a);
                acc.1 = acc.1.max(b);
            }
        }
        fn close(nd: &mut Node, acc: (u32, u32)) -> (u32, u32) {
            let sp = (if acc.0 == u32::MAX { 0 } else { acc.0 }, acc.1);
            (nd.start, nd.end) = sp;
            sp
        }
        /// Builds the nodes of `sh` under `parent`; the new node's span, if one was made.
        fn build(
            s: &mut ParsedSentence,
            used: &mut usize,
            sh: &Shape,
            parent: u32,
            leaves: &mut [u32],
        ) -> Option<(u32, u32)> {
            match sh {
                Shape::Word(i) => {
                    if leaves[*i] != NONE {
                        return None;
                    }
                    leaves[*i] = s.push_reusing(used, Cat::Leaf, parent);
                    Some((*i as u32, *i as u32 + 1))
                }
                Shape::Phrase(cat, ch, _) => {
                    let id = s.push_reusing(used, *cat, parent);
                    let mut acc = (u32::MAX, 0);
                    for c in ch {
                        hull(&mut acc, build(s, used, c, id, leaves));
                    }
                    Some(close(&mut s.nodes[id as usize], acc))
                }
            }
        }
        let mut acc = (u32::MAX, 0);
        for (sh, p) in &tmp {
            hull(&mut acc, build(s, &mut used, sh, *p, &mut leaves));
        }
        // a word the projection did not place (an unusual attachment) hangs off the root
        // rather than failing the sentence
        for i in 0..n {
            if leaves[i] == NONE {
                hull(
                    &mut acc,
                    build(s, &mut used, &Shape::Word(i), root, &mut leaves),
                );
            }
        }
        close(&mut s.nodes[root as usize], acc);
        // nodes and tokens beyond this sentence's are kept for the next one
        let _ = SPARE.try_with(|sp| {
            let Ok(mut sp) = sp.try_borrow_mut() else {
                return;
            };
            let keep = |len: usize, n: usize| SPARE_MAX.saturating_sub(len).min(n);
            let k = keep(sp.nodes.len(), s.nodes.len().saturating_sub(used));
            sp.nodes.extend(s.nodes.drain(used..).take(k));
            if tokens.len() > n {
                let k = keep(sp.tokens.len(), tokens.len() - n);
                sp.tokens.extend(tokens.drain(n..).take(k));
            }
            while tokens.len() < n {
                match sp.tokens.pop() {
                    Some(t) => tokens.push(t),
                    None => break,
                }
            }
        });
        s.nodes.truncate(used);
        tokens.truncate(n);
        tokens.resize_with(n, Token::default);
        for (i, t) in tokens.iter_mut().enumerate() {
            t.assign(words[i], lemmas[i], xpos[i]);
        }
        s.tokens = tokens;
        leaf.clear();
        leaf.extend_from_slice(&leaves);
        s.leaf = leaf;
        for (i, &id) in leaves.iter().enumerate() {
            let nd = &mut s.nodes[id as usize];
            nd.token = i as u32;
            nd.start = i as u32;
            nd.end = i as u32 + 1;
        }
        Ok(())
    }

    /// Category of a node.
    pub fn cat(&self, n: u32) -> Cat {
        self.nodes[n as usize].cat
    }

    /// The bracketed rendering of the tree (for debugging and tests).
    pub fn bracketed(&self) -> String {
        let mut out = String::new();
        self.render(0, &mut out);
        out
    }

    fn render(&self, n: u32, out: &mut String) {
        let nd = &self.nodes[n as usize];
        if nd.cat == Cat::Leaf {
            let t = &self.tokens[nd.token as usize];
            out.push_str(&format!("({} {})", t.tag, t.word));
            return;
        }
        out.push_str(&format!("({:?}", nd.cat));
        for &c in &nd.children {
            out.push(' ');
            self.render(c, out);
        }
        out.push(')');
    }
}

fn upos_to_ptb(upos: &str, form: &str) -> String {
    match upos {
        "NOUN" => "NN",
        "PROPN" => "NNP",
        "VERB" => "VB",
        "AUX" => "MD",
        "ADJ" => "JJ",
        "ADV" => "RB",
        "ADP" => "IN",
        "DET" => "DT",
        "PRON" => "PRP",
        "NUM" => "CD",
        "CCONJ" => "CC",
        "PART" => {
            if form.eq_ignore_ascii_case("to") {
                "TO"
            } else {
                "RB"
            }
        }
        "PUNCT" => {
            if form == "," {
                ","
            } else {
                "."
            }
        }
        _ => "NN",
    }
    .to_string()
}

#[derive(Debug, Clone)]
enum Shape {
    Word(usize),
    /// A phrase, its children, and its first word (cached: sorting by it is hot).
    Phrase(Cat, Vec<Shape>, usize),
}

impl Shape {
    /// A phrase node (computes its first word once).
    fn phrase(cat: Cat, ch: Vec<Shape>) -> Shape {
        let first = ch.iter().map(Shape::first).min().unwrap_or(0);
        Shape::Phrase(cat, ch, first)
    }

    fn first(&self) -> usize {
        match self {
            Shape::Word(i) => *i,
            Shape::Phrase(_, _, f) => *f,
        }
    }
}

struct Projector<'a> {
    words: &'a [&'a str],
    tags: &'a [&'a str],
    lemmas: &'a [&'a str],
    rels: &'a [&'a str],
    kids: &'a Kids,
}

/// The dependents of each word, in word order: `list[start[h]..start[h + 1]]`.
struct Kids {
    start: Vec<u32>,
    list: Vec<usize>,
}

impl std::ops::Index<usize> for Kids {
    type Output = [usize];
    fn index(&self, h: usize) -> &[usize] {
        &self.list[self.start[h] as usize..self.start[h + 1] as usize]
    }
}

fn nominal_tag(t: &str) -> bool {
    t.starts_with("NN")
        || t.starts_with("PRP")
        || t == "CD"
        || t == "DT"
        || t.starts_with('W')
        || t == "EX"
        || t == "FW"
}

/// The universal part of a UD relation (`nmod:poss` → `nmod`), i.e. the
/// text before the first `:` (`r.split(':').next()`, without the splitter).
#[inline]
pub(crate) fn base_rel(r: &str) -> &str {
    match r.bytes().position(|b| b == b':') {
        // `:` is ASCII, so `i` is a char boundary
        Some(i) => r.get(..i).unwrap_or(r),
        None => r,
    }
}

impl Projector<'_> {
    fn is_subj(&self, d: usize) -> bool {
        matches!(
            base_rel(self.rels[d]),
            "nsubj" | "csubj" | "nsubjpass" | "csubjpass" | "expl"
        )
    }

    fn is_verbal(&self, h: usize) -> bool {
        let t = self.tags[h];
        t.starts_with("VB") || t == "MD"
    }

    fn is_clause(&self, h: usize) -> bool {
        self.is_verbal(h)
            || self.kids[h]
                .iter()
                .any(|&d| self.is_subj(d) || base_rel(self.rels[d]) == "cop")
    }

    fn sorted(v: &mut [Shape]) {
        v.sort_by_key(Shape::first);
    }

    /// A function word and everything below it, as plain words ("rather than", "such as").
    fn words_of(&self, d: usize) -> Vec<Shape> {
        let mut out = vec![Shape::Word(d)];
        let mut stack: Vec<usize> = self.kids[d].to_vec();
        while let Some(k) = stack.pop() {
            out.push(Shape::Word(k));
            stack.extend(self.kids[k].iter().copied());
        }
        out.sort_by_key(Shape::first);
        out
    }

    /// Projects word `h`; `as_conjunct` drops its own `cc` (emitted by the coordinator).
    fn project(&self, h: usize, as_conjunct: bool) -> Shape {
        let _ = self.lemmas;
        let deps = &self.kids[h];
        let conj: Vec<usize> = deps
            .iter()
            .copied()
            .filter(|&d| base_rel(self.rels[d]) == "conj")
            .collect();
        let last_conj = conj.iter().copied().max().unwrap_or(0);
        // UD v1 attaches cc and separating commas to the first conjunct.
        let seps: Vec<usize> = deps
            .iter()
            .copied()
            .filter(|&d| {
                d > h
                    && d < last_conj
                    && (base_rel(self.rels[d]) == "cc"
                        || base_rel(self.rels[d]) == "punct" && self.words[d] == ",")
            })
            .collect();
        let mut skip = conj.clone();
        skip.extend(&seps);
        // the preposition of the first conjunct governs the whole coordination
        let case: Vec<usize> = if conj.is_empty() || self.is_clause(h) {
            Vec::new()
        } else {
            deps.iter()
                .copied()
                .filter(|&d| d < h && base_rel(self.rels[d]) == "case" && self.tags[d] != "POS")
                .collect()
        };
        skip.extend(&case);
        let core = self.project_core(h, as_conjunct, &skip);
        if conj.is_empty() {
            return core;
        }
        let clause = self.is_clause(h);
        let mut parts = vec![core];
        parts.extend(seps.iter().flat_map(|&d| self.words_of(d)));
        for &c in &conj {
            for &cc in &self.kids[c] {
                if cc < c && matches!(base_rel(self.rels[cc]), "cc") {
                    parts.extend(self.words_of(cc));
                }
            }
            // commas between conjuncts
            for &p in &self.kids[c] {
                if base_rel(self.rels[p]) == "punct" && p < c && self.words[p] == "," {
                    parts.extend(self.words_of(p));
                }
            }
            parts.push(self.project(c, true));
        }
        Self::sorted(&mut parts);
        let cat = if clause {
            // clauses with their own subject coordinate as S, otherwise as VP
            if conj
                .iter()
                .all(|&c| self.kids[c].iter().any(|&d| self.is_subj(d)))
            {
                Cat::S
            } else {
                Cat::Vp
            }
        } else {
            Cat::Np
        };
        if cat == Cat::Vp {
            // Pull the subject (and material before it) of the first conjunct up: S(subj, VP(coord)).
            // (moved out of `parts[0]`, not cloned, once the shape is known to fit)
            if let Shape::Phrase(Cat::S, ch, _) = &mut parts[0] {
                if let Some(Shape::Phrase(Cat::Vp, _, _)) = ch.last() {
                    let mut ch = std::mem::take(ch);
                    if let Some(vp) = ch.pop() {
                        parts[0] = vp;
                        ch.push(Shape::phrase(Cat::Vp, parts));
                        return Shape::phrase(Cat::S, ch);
                    }
                }
            }
        }
        if !case.is_empty() {
            let mut pp: Vec<Shape> = case.iter().flat_map(|&c| self.words_of(c)).collect();
            pp.push(Shape::phrase(cat, parts));
            Self::sorted(&mut pp);
            return Shape::phrase(Cat::Pp, pp);
        }
        Shape::phrase(cat, parts)
    }

    fn project_core(&self, h: usize, as_conjunct: bool, conj: &[usize]) -> Shape {
        let full_rel = self.rels[h];
        let modifier = matches!(
            base_rel(full_rel),
            "det"
                | "amod"
                | "advmod"
                | "nummod"
                | "compound"
                | "flat"
                | "fixed"
                | "case"
                | "mark"
                | "cc"
                | "punct"
                | "neg"
                | "discourse"
                | "name"
                | "mwe"
                | "goeswith"
                | "aux"
                | "auxpass"
                | "cop"
                | "predet"
        ) || full_rel == "nmod:poss";
        if modifier && self.kids[h].iter().all(|d| conj.contains(d)) {
            return Shape::Word(h);
        }
        let deps: Vec<usize> = self.kids[h]
            .iter()
            .copied()
            .filter(|d| !conj.contains(d))
            .filter(|&d| !(as_conjunct && base_rel(self.rels[d]) == "cc"))
            .filter(|&d| {
                !(as_conjunct && base_rel(self.rels[d]) == "punct" && d < h && self.words[d] == ",")
            })
            .collect();
        // A participle modifying a noun from before it ("Saudi-led forces", "government-backed
        // militia", "rebel-held town") is part of the noun phrase, not a clause: as a clause its
        // words ("Saudi") would be hidden from the noun phrase's actor codes.
        if matches!(base_rel(full_rel), "amod" | "compound")
            && matches!(self.tags[h], "VBN" | "VBG")
            && !deps.iter().any(|&d| self.is_subj(d))
        {
            return Shape::phrase(Cat::Adjp, self.words_of(h));
        }
        if self.is_clause(h) {
            let marks: Vec<usize> = deps
                .iter()
                .copied()
                .filter(|&d| base_rel(self.rels[d]) == "mark" && !self.tags[d].eq("TO"))
                .collect();
            let subj = deps.iter().copied().find(|&d| self.is_subj(d));
            let mut vp: Vec<Shape> = vec![Shape::Word(h)];
            let mut s: Vec<Shape> = Vec::new();
            for &d in &deps {
                if marks.contains(&d) {
                    continue;
                }
                let sh = self.project(d, false);
                match subj {
                    Some(sj) if d == sj => s.push(sh),
                    Some(sj) if d < sj => s.push(sh),
                    _ => vp.push(sh),
                }
            }
            Self::sorted(&mut vp);
            let rel = base_rel(self.rels[h]);
            let clause = if subj.is_some() {
                s.push(Shape::phrase(Cat::Vp, vp));
                Self::sorted(&mut s);
                Shape::phrase(Cat::S, s)
            } else if matches!(rel, "advcl" | "ccomp" | "root" | "parataxis" | "csubj") {
                Shape::phrase(Cat::S, vec![Shape::phrase(Cat::Vp, vp)])
            } else {
                Shape::phrase(Cat::Vp, vp)
            };
            if marks.is_empty() {
                return clause;
            }
            let mut sb: Vec<Shape> = marks.iter().flat_map(|&m| self.words_of(m)).collect();
            sb.push(clause);
            Self::sorted(&mut sb);
            return Shape::phrase(Cat::Sbar, sb);
        }
        let tag = self.tags[h];
        let nominal = tag.starts_with("NN")
            || tag.starts_with("PRP")
            || tag == "CD"
            || tag == "DT"
            || tag.starts_with("W")
            || tag == "EX"
            || tag == "FW";
        let mut case: Vec<usize> = Vec::new();
        let mut inner: Vec<Shape> = vec![Shape::Word(h)];
        let mut post: Vec<Shape> = Vec::new();
        for &d in &deps {
            let r = base_rel(self.rels[d]);
            if r == "case" && self.tags[d] != "POS" && d < h {
                case.push(d);
            } else if r == "punct" && (d == 0 || d + 1 == self.words.len()) {
                inner.extend(self.words_of(d));
            } else {
                let sh = self.project(d, false);
                // post-head phrases (PPs, clauses, appositions) modify a head NP, as in PTB
                if d > h
                    && matches!(
                        sh,
                        Shape::Phrase(Cat::Pp | Cat::Sbar | Cat::Vp | Cat::S | Cat::Np, _, _)
                    )
                    && nominal_tag(self.tags[h])
                {
                    post.push(sh);
                } else {
                    inner.push(sh);
                }
            }
        }
        Self::sorted(&mut inner);
        if !post.is_empty() {
            // commas between the head and its modifiers stay with the modifiers
            Self::sorted(&mut post);
            let mut outer = vec![Shape::phrase(Cat::Np, inner)];
            outer.extend(post);
            inner = outer;
        }
        let cat = if nominal {
            if self.rels[h] == "obl:tmod" || self.rels[h] == "nmod:tmod" {
                Cat::NpTmp
            } else {
                Cat::Np
            }
        } else if tag.starts_with("JJ") {
            Cat::Adjp
        } else if tag.starts_with("RB") {
            Cat::Advp
        } else {
            Cat::Other
        };
        let phrase = if inner.len() == 1 && !nominal && case.is_empty() {
            inner.remove(0)
        } else {
            Shape::phrase(cat, inner)
        };
        if case.is_empty() {
            return phrase;
        }
        let mut pp: Vec<Shape> = case.iter().flat_map(|&c| self.words_of(c)).collect();
        pp.push(phrase);
        Self::sorted(&mut pp);
        Shape::phrase(Cat::Pp, pp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ptb_spans() {
        let t = PtbTree::parse(
            "(ROOT (S (NP (NNP Aland)) (VP (VBD hit) (NP (NNP Bland))) (. .)))",
            "t",
            1,
        )
        .unwrap();
        let s = ParsedSentence::from_ptb(&t);
        assert_eq!(s.tokens.len(), 4);
        assert_eq!(s.nodes[0].end, 4);
        assert_eq!(s.tokens[1].upper, "HIT");
    }

    #[test]
    fn ud_projection() {
        // Aland met Bland in Carland .
        let s = ParsedSentence::from_vectors(
            &["Aland", "met", "Bland", "in", "Carland", "."],
            &["NNP", "VBD", "NNP", "IN", "NNP", "."],
            &["Aland", "meet", "Bland", "in", "Carland", "."],
            &[2, 0, 2, 5, 2, 2],
            &["nsubj", "root", "obj", "case", "obl", "punct"],
        )
        .unwrap();
        assert_eq!(s.bracketed(), "(Other (S (Np (NNP Aland)) (Vp (VBD met) (Np (NNP Bland)) (Pp (IN in) (Np (NNP Carland))))) (. .))");
    }

    #[test]
    fn prenominal_participle_stays_in_the_noun_phrase() {
        // Aland - led forces attacked Bland .
        let s = ParsedSentence::from_vectors(
            &["Aland", "-", "led", "forces", "attacked", "Bland", "."],
            &["JJ", "HYPH", "VBN", "NNS", "VBD", "NNP", "."],
            &["Aland", "-", "lead", "force", "attack", "Bland", "."],
            &[3, 3, 4, 5, 0, 5, 5],
            &["compound", "punct", "amod", "nsubj", "root", "obj", "punct"],
        )
        .unwrap();
        assert_eq!(
            s.bracketed(),
            "(Other (S (Np (Adjp (JJ Aland) (HYPH -) (VBN led)) (NNS forces)) (Vp (VBD attacked) (Np (NNP Bland)))) (. .))"
        );
    }

    /// `Token::assign` makes the token `mk_token` makes, over a token that
    /// held another word (ASCII, non-ASCII, a final sigma, missing lemmas).
    #[test]
    fn assigned_token_equals_a_new_one() {
        let cases = [
            ("Iraq", "Iraq", "NNP"),
            ("met", "meet", "VBD"),
            ("ÉCOLE", "École", "NN"),
            ("ΟΔΟΣ", "ΟΔΟΣ", "NN"),
            ("Straße", "", "NN"),
            ("said", "_", "VBD"),
            (
                "a-very-long-hyphenated-word-of-more-than-32-bytes",
                "x",
                "JJ",
            ),
        ];
        let mut t = Token::default();
        for (w, l, tag) in cases.iter().chain(cases.iter().rev()) {
            t.assign(w, l, tag);
            assert_eq!(t, mk_token(w, l, tag), "{w}");
        }
    }

    /// Rebuilding one `ParsedSentence` in place, sentence after sentence,
    /// gives what `from_vectors` gives each sentence afresh, also after a
    /// longer sentence and after an error (which leaves it empty).
    #[test]
    fn rebuilt_sentence_equals_a_new_one() {
        type Rows<'a> = (
            Vec<&'a str>,
            Vec<&'a str>,
            Vec<&'a str>,
            Vec<usize>,
            Vec<&'a str>,
        );
        let long: Rows = (
            vec![
                "Aland", "-", "led", "forces", "attacked", "Bland", "and", "Cland", ".",
            ],
            vec!["JJ", "HYPH", "VBN", "NNS", "VBD", "NNP", "CC", "NNP", "."],
            vec![
                "Aland", "-", "lead", "force", "attack", "Bland", "and", "Cland", ".",
            ],
            vec![3, 3, 4, 5, 0, 5, 8, 6, 5],
            vec![
                "compound", "punct", "amod", "nsubj", "root", "obj", "cc", "conj", "punct",
            ],
        );
        let short: Rows = (
            vec!["Aland", "met", "Bland", "in", "Carland", "."],
            vec!["NNP", "VBD", "NNP", "IN", "NNP", "."],
            vec!["Aland", "meet", "Bland", "in", "Carland", "."],
            vec![2, 0, 2, 5, 2, 2],
            vec!["nsubj", "root", "obj", "case", "obl", "punct"],
        );
        let greek: Rows = (
            vec!["Η", "ΟΔΟΣ", "έκλεισε", "."],
            vec!["DT", "NN", "VBD", "."],
            vec!["", "ΟΔΟΣ", "_", "."],
            vec![2, 3, 0, 3],
            vec!["det", "nsubj", "root", "punct"],
        );
        let cycle: Rows = (
            vec!["a", "b"],
            vec!["NN", "NN"],
            vec!["a", "b"],
            vec![2, 1],
            vec!["x", "y"],
        );
        let mut s = ParsedSentence::default();
        for (w, x, l, h, d) in [&long, &short, &greek, &long, &cycle, &short, &greek] {
            let fresh = ParsedSentence::from_vectors(w, x, l, h, d);
            let again = s.rebuild_from_vectors(w, x, l, h, d);
            match fresh {
                Ok(f) => {
                    assert!(again.is_ok());
                    assert_eq!(s, f);
                    assert_eq!(s.bracketed(), f.bracketed());
                    // the spans made while building are those `fix_spans` computes
                    let mut spans = s.clone();
                    for nd in spans.nodes.iter_mut().filter(|nd| nd.cat != Cat::Leaf) {
                        (nd.start, nd.end) = (7, 7);
                    }
                    spans.fix_spans(0);
                    assert_eq!(spans, s);
                }
                Err(e) => {
                    assert_eq!(again, Err(e));
                    assert_eq!(s, ParsedSentence::default());
                }
            }
        }
    }

    #[test]
    fn ud_cycle_is_error() {
        let e = ParsedSentence::from_vectors(
            &["a", "b"],
            &["NN", "NN"],
            &["a", "b"],
            &[2, 1],
            &["x", "y"],
        )
        .unwrap_err();
        assert!(matches!(e, SentenceError::BadHead(_)));
    }
}
