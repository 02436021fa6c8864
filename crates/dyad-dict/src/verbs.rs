//! Verb dictionaries, both families:
//!
//! - PETRARCH-1 / TABARI *linear* patterns ([`VerbDictP1`], patterns are
//!   [`LinearPattern`]), e.g. `PETR.Validate.verbs.txt`,
//!   `CAMEO.verbpatterns.150430.txt`;
//! - PETRARCH-2 *tree* patterns ([`VerbDictP2`], patterns are
//!   [`TreePattern`]) plus `~` transformations, e.g. `CAMEO.2.0.txt`.
//!
//! Both share the file layout: synsets (`&NAME` followed by `+member`
//! lines), verb blocks (`--- NAME [code] ---`, then verb lines, then `-`
//! pattern lines). Verb lines: `VERB {IRREGULAR FORMS} [code]`; multi-word
//! verbs join words with `_` and mark the verb word with `+`
//! (`WIRE_+TAP`, `+CORDON_OFF`).

use std::sync::Arc;

use dyad_core::cameo::Codebook;

use crate::code::{parse_verb_code, VerbCode};
use crate::diag::{Diagnostic, Sink};
use crate::lex::{Line, Lines};
use crate::phrase::{plural, regular_verb_forms, upper_box, Phrase};

/// A synonym set: `&NAME` and its `+` members.
#[derive(Debug, Clone, PartialEq)]
pub struct Synset {
    /// The label including `&`, without a trailing `_`, e.g. `&CURRENCY`.
    pub name: Box<str>,
    /// The label ended with `_`: no plurals are generated for its members.
    pub no_plural: bool,
    /// Members in file order.
    pub members: Vec<SynsetMember>,
    /// Line of the label.
    pub line: u32,
}

/// One `+` member of a synset.
#[derive(Debug, Clone, PartialEq)]
pub struct SynsetMember {
    /// The words (consecutive). A member that is a single word starting with
    /// `&` refers to another synset (used by the validation suite).
    pub phrase: Phrase,
    /// Line of the member.
    pub line: u32,
}

impl SynsetMember {
    /// The referenced synset's name if this member is a synset reference.
    pub fn synset_ref(&self) -> Option<&str> {
        let s = self.phrase.as_str();
        (s.starts_with('&') && !s.contains(' ')).then_some(s)
    }
}

impl Synset {
    /// The phrases this synset matches, with the automatic plurals: the
    /// plural of the last word is added unless the label or the member ends
    /// with `_`. Synset references are not expanded (see
    /// [`VerbDict::synset`]).
    pub fn forms(&self) -> Vec<Phrase> {
        let mut out = Vec::with_capacity(self.members.len() * 2);
        for m in &self.members {
            out.push(m.phrase.clone());
            if !self.no_plural && !m.phrase.trailing_underscore() && m.synset_ref().is_none() {
                out.push(m.phrase.with_last_word(&plural(m.phrase.last_word())));
            }
        }
        out
    }
}

/// One form of a verb: the words and which of them is the verb.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbForm {
    /// All words, e.g. `WIRE TAP`.
    pub phrase: Phrase,
    /// Index of the verb word (marked `+` in multi-word verbs; 0 otherwise).
    pub verb_word: usize,
}

impl VerbForm {
    /// The verb word itself.
    pub fn verb(&self) -> &str {
        self.phrase.words().nth(self.verb_word).unwrap_or("")
    }
}

/// A verb line in a block.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbEntry {
    /// The base form.
    pub base: VerbForm,
    /// The forms given in `{…}`; when present they replace the generated
    /// regular forms (an empty `{}` means "no other forms").
    pub irregular: Option<Vec<VerbForm>>,
    /// The verb's own code; `None` means "use the block's code".
    pub code: Option<VerbCode>,
    /// Line number.
    pub line: u32,
}

impl VerbEntry {
    /// Every form: the base form, then either the irregular forms or the
    /// generated regular forms (`-S`, `-ED`, `-ING` on the verb word).
    pub fn forms(&self) -> Vec<VerbForm> {
        let mut out = vec![self.base.clone()];
        match &self.irregular {
            Some(forms) => out.extend(forms.iter().cloned()),
            None => {
                let words: Vec<&str> = self.base.phrase.words().collect();
                for f in regular_verb_forms(self.base.verb()) {
                    let replaced = words.iter().enumerate().map(|(i, w)| {
                        if i == self.base.verb_word {
                            f.as_str()
                        } else {
                            w
                        }
                    });
                    if let Some(phrase) = Phrase::from_words(replaced) {
                        out.push(VerbForm {
                            phrase,
                            verb_word: self.base.verb_word,
                        });
                    }
                }
            }
        }
        out
    }
}

/// A verb block: `--- NAME [code] ---`, its verbs and its patterns.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbBlock<P> {
    /// The block's name (PETRARCH-2 calls it the verb's "meaning"), e.g.
    /// `ATTACK`.
    pub name: Box<str>,
    /// The block's primary code; `[---]` when the header has none.
    pub code: VerbCode,
    /// Line of the header.
    pub line: u32,
    /// The verbs of the block (synonyms that share its patterns).
    pub verbs: Vec<VerbEntry>,
    /// The patterns, in file order.
    pub patterns: Vec<P>,
}

impl<P> VerbBlock<P> {
    /// The code of a verb of this block: its own, else the block's.
    pub fn code_of(&self, verb: &VerbEntry) -> VerbCode {
        verb.code.unwrap_or(self.code)
    }
}

/// A token of a linear (PETRARCH-1/TABARI) pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A literal word (upper case).
    Word(Box<str>),
    /// `&NAME`: any phrase of the synset.
    Synset(Box<str>),
    /// `*`: the verb.
    Verb,
    /// `$`: the source actor.
    Source,
    /// `+`: the target actor.
    Target,
    /// `%`: a compound actor (both source and target).
    Compound,
    /// `^`: skip the next noun phrase.
    Skip,
}

/// A token and how it joins the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternElem {
    /// The token.
    pub token: Token,
    /// `true` when the file joined it to the next token with a blank (other
    /// words may come between); `false` for `_` (consecutive).
    pub gap_after: bool,
}

/// A PETRARCH-1/TABARI linear pattern: `- WORDS * WORDS [code] # comment`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearPattern {
    /// Tokens in order, including exactly one [`Token::Verb`].
    pub elems: Vec<PatternElem>,
    /// The pattern's code.
    pub code: VerbCode,
    /// Line number.
    pub line: u32,
    /// The comment after `#`, if any (often the verb the pattern came from).
    pub comment: Option<Box<str>>,
}

impl LinearPattern {
    /// Index of the verb token in [`LinearPattern::elems`].
    pub fn verb_index(&self) -> usize {
        self.elems
            .iter()
            .position(|e| e.token == Token::Verb)
            .unwrap_or(self.elems.len())
    }

    /// Tokens before the verb.
    pub fn before(&self) -> &[PatternElem] {
        &self.elems[..self.verb_index()]
    }

    /// Tokens after the verb.
    pub fn after(&self) -> &[PatternElem] {
        let i = self.verb_index();
        if i < self.elems.len() {
            &self.elems[i + 1..]
        } else {
            &[]
        }
    }
}

/// A word or synset in a PETRARCH-2 pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// A literal word.
    Word(Box<str>),
    /// `&NAME`.
    Synset(Box<str>),
}

/// An element of a PETRARCH-2 tree pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TreeElem {
    /// A noun phrase: one word, or `{A B C}` whose last term is the head.
    Noun(Vec<Term>),
    /// `(PREP objects…)`: a prepositional phrase. `TO/FOR` alternatives are
    /// split into several prepositions.
    Prep {
        /// The preposition(s); any one matches.
        preps: Vec<Box<str>>,
        /// What the preposition governs (may be empty: `(TO)`).
        objects: Vec<TreeElem>,
    },
    /// `$`: the source actor.
    Source,
    /// `+`: the target actor.
    Target,
    /// `%`: compound actor.
    Compound,
    /// `^`: skip.
    Skip,
}

/// A PETRARCH-2 pattern: `- [pre-verb elements] * [post-verb elements] [code]`.
#[derive(Debug, Clone, PartialEq)]
pub struct TreePattern {
    /// Elements before `*` (matched against the subject side).
    pub before: Vec<TreeElem>,
    /// Elements after `*` (objects and prepositional phrases).
    pub after: Vec<TreeElem>,
    /// The code.
    pub code: VerbCode,
    /// Line number.
    pub line: u32,
    /// The comment after `#`, if any.
    pub comment: Option<Box<str>>,
}

/// An actor variable in a transformation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Var {
    /// A named variable (`a`, `b`, …).
    Named(Box<str>),
    /// `.`: an unspecified actor.
    Unspecified,
    /// `_`: no actor.
    Absent,
}

/// A verb in a transformation: a block name or `Q` (any verb).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum VerbRef {
    /// `Q`: any verb.
    Any,
    /// A verb block name (e.g. `SAY`, `ATTACK`).
    Named(Box<str>),
}

/// The result code of a transformation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransformCode {
    /// A CAMEO code.
    Code(crate::code::EventCode),
    /// `Q`: the lower event's code.
    Lower,
}

/// A PETRARCH-2 transformation:
/// `~ a (b c LOWER) UPPER = x y CODE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Transformation {
    /// The upper (outer) source variable.
    pub upper_source: Var,
    /// The lower event's source.
    pub lower_source: Var,
    /// The lower event's target.
    pub lower_target: Var,
    /// The lower verb.
    pub lower_verb: VerbRef,
    /// The upper verb.
    pub upper_verb: VerbRef,
    /// The resulting source.
    pub result_source: Var,
    /// The resulting target.
    pub result_target: Var,
    /// The resulting code.
    pub result_code: TransformCode,
    /// Line number.
    pub line: u32,
}

/// A verb dictionary: synsets, blocks and (PETRARCH-2 only) transformations.
#[derive(Debug, Clone, PartialEq)]
pub struct VerbDict<P> {
    /// The file name as given to the loader (for evidence `file:line`).
    pub file: Arc<str>,
    /// Synsets in file order.
    pub synsets: Vec<Synset>,
    /// Verb blocks in file order.
    pub blocks: Vec<VerbBlock<P>>,
    /// Transformations (PETRARCH-2 format only).
    pub transformations: Vec<Transformation>,
}

/// A PETRARCH-1/TABARI verb dictionary.
pub type VerbDictP1 = VerbDict<LinearPattern>;
/// A PETRARCH-2 verb dictionary.
pub type VerbDictP2 = VerbDict<TreePattern>;

impl<P> VerbDict<P> {
    /// Looks a synset up by name (with `&`, without trailing `_`).
    pub fn synset(&self, name: &str) -> Option<&Synset> {
        self.synsets.iter().find(|s| &*s.name == name)
    }

    /// Number of patterns over all blocks.
    pub fn pattern_count(&self) -> usize {
        self.blocks.iter().map(|b| b.patterns.len()).sum()
    }

    /// Number of verb lines over all blocks.
    pub fn verb_count(&self) -> usize {
        self.blocks.iter().map(|b| b.verbs.len()).sum()
    }
}

/// Which pattern syntax a verb file uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerbFormat {
    /// PETRARCH-1 / TABARI linear patterns.
    P1,
    /// PETRARCH-2 tree patterns with transformations.
    P2,
}

/// Guesses the format from content: PETRARCH-2 files have `~`
/// transformation lines or patterns with `(…)` prepositional phrases.
pub fn detect_format(bytes: &[u8]) -> VerbFormat {
    let mut p2 = 0usize;
    let mut p1 = 0usize;
    for line in bytes.split(|&b| b == b'\n') {
        match line.first() {
            Some(b'~') => return VerbFormat::P2,
            Some(b'-') if !line.starts_with(b"---") => {
                let body = line.split(|&b| b == b'[').next().unwrap_or(line);
                if body.contains(&b'(') {
                    p2 += 1;
                } else {
                    p1 += 1;
                }
            }
            _ => {}
        }
    }
    if p2 * 20 > p1 + p2 && p2 > 0 {
        VerbFormat::P2
    } else {
        VerbFormat::P1
    }
}

trait PatternSyntax: Sized {
    fn parse(body: &str, sink: &mut Sink, line: u32) -> Option<Self>;
    fn synset_refs<'s>(&'s self, out: &mut Vec<&'s str>);
    fn set_meta(&mut self, code: VerbCode, comment: Option<&str>);
    fn line(&self) -> u32;
}

/// Reads a PETRARCH-1 verb dictionary from bytes.
pub fn read_p1(file: &str, bytes: &[u8], book: &Codebook) -> (VerbDictP1, Vec<Diagnostic>) {
    read(file, bytes, book, false)
}

/// Reads a PETRARCH-2 verb dictionary from bytes.
pub fn read_p2(file: &str, bytes: &[u8], book: &Codebook) -> (VerbDictP2, Vec<Diagnostic>) {
    read(file, bytes, book, true)
}

/// Splits `TEXT [code] rest` into the text before the first `[`, the code
/// inside, and anything after `]`.
fn split_code(s: &str) -> (&str, Option<&str>, &str) {
    match s.find('[') {
        Some(i) => {
            let rest = &s[i + 1..];
            match rest.find([']', '}']) {
                Some(j) => (&s[..i], Some(&rest[..j]), &rest[j + 1..]),
                None => (&s[..i], Some(rest), ""),
            }
        }
        None => (s, None, ""),
    }
}

fn code_or_report(inner: &str, book: &Codebook, sink: &mut Sink, line: u32) -> Option<VerbCode> {
    match parse_verb_code(inner, book) {
        Ok((c, note)) => {
            if let Some(n) = note {
                sink.warn(line, n);
            }
            Some(c)
        }
        Err(e) => {
            sink.error(line, e);
            None
        }
    }
}

fn read<P: PatternSyntax>(
    file: &str,
    bytes: &[u8],
    book: &Codebook,
    p2: bool,
) -> (VerbDict<P>, Vec<Diagnostic>) {
    let piece = read_piece::<P>(Arc::from(file), bytes, 0, book, p2);
    merge_pieces(vec![piece])
}

/// Byte offsets at which a verb file can be cut into about `parts` pieces
/// that read independently: each cut is at a `---` block header outside
/// `<!-- -->` comments.
pub fn split_points(bytes: &[u8], parts: usize) -> Vec<usize> {
    crate::lex::cut_points(bytes, parts, |b, at| b[at..].starts_with(b"---"))
}

/// Reads a PETRARCH-1 piece (see [`split_points`]); finish with [`merge_p1`].
pub(crate) fn read_piece_p1(
    file: Arc<str>,
    bytes: &[u8],
    first_line: u32,
    book: &Codebook,
) -> (VerbDictP1, Vec<Diagnostic>) {
    read_piece(file, bytes, first_line, book, false)
}

/// Reads a PETRARCH-2 piece; finish with [`merge_p2`].
pub(crate) fn read_piece_p2(
    file: Arc<str>,
    bytes: &[u8],
    first_line: u32,
    book: &Codebook,
) -> (VerbDictP2, Vec<Diagnostic>) {
    read_piece(file, bytes, first_line, book, true)
}

/// Joins PETRARCH-1 pieces in file order and runs the whole-file checks.
pub(crate) fn merge_p1(
    pieces: Vec<(VerbDictP1, Vec<Diagnostic>)>,
) -> (VerbDictP1, Vec<Diagnostic>) {
    merge_pieces(pieces)
}

/// Joins PETRARCH-2 pieces in file order and runs the whole-file checks.
pub(crate) fn merge_p2(
    pieces: Vec<(VerbDictP2, Vec<Diagnostic>)>,
) -> (VerbDictP2, Vec<Diagnostic>) {
    merge_pieces(pieces)
}

fn merge_pieces<P: PatternSyntax>(
    pieces: Vec<(VerbDict<P>, Vec<Diagnostic>)>,
) -> (VerbDict<P>, Vec<Diagnostic>) {
    let mut it = pieces.into_iter();
    let (mut dict, diags) = it.next().unwrap_or_else(|| {
        (
            VerbDict {
                file: Arc::from(""),
                synsets: Vec::new(),
                blocks: Vec::new(),
                transformations: Vec::new(),
            },
            Vec::new(),
        )
    });
    let mut sink = Sink::new(dict.file.clone());
    sink.diags = diags;
    for (d, g) in it {
        sink.diags.extend(g);
        for syn in d.synsets {
            if dict.synsets.iter().any(|s| s.name == syn.name) {
                sink.warn(
                    syn.line,
                    format!(
                        "synset {} defined again; the later definition is used",
                        syn.name
                    ),
                );
                dict.synsets.retain(|s| s.name != syn.name);
            }
            dict.synsets.push(syn);
        }
        dict.blocks.extend(d.blocks);
        dict.transformations.extend(d.transformations);
    }
    finish(dict, sink)
}

fn read_piece<P: PatternSyntax>(
    file: Arc<str>,
    bytes: &[u8],
    first_line: u32,
    book: &Codebook,
    p2: bool,
) -> (VerbDict<P>, Vec<Diagnostic>) {
    let mut sink = Sink::new(file.clone());
    let mut lines = Lines::new_at(bytes, first_line);
    let mut dict = VerbDict {
        file,
        synsets: Vec::new(),
        blocks: Vec::new(),
        transformations: Vec::new(),
    };
    // The block currently receiving verbs and patterns; `None` after a
    // header whose code was rejected (its lines are skipped).
    let mut current: Option<usize> = None;
    let mut skipping_block = false;
    let mut pending: Option<Line<'_>> = None;
    loop {
        let line = match pending.take() {
            Some(l) => l,
            None => match lines.next_line(&mut sink) {
                Some(l) => l,
                None => break,
            },
        };
        let no = line.no;
        let text = line.text.trim();
        if text.starts_with("---") {
            // Block header: `--- NAME [code] ---`.
            let inner = text.trim_start_matches('-').trim_end_matches('-').trim();
            let (name, code, rest) = split_code(inner);
            if rest.contains('[') {
                sink.warn(
                    no,
                    "block header has more than one [code]; the first is used",
                );
            }
            let name = name.trim().trim_end_matches('_').trim();
            let code = match code {
                Some(c) => match code_or_report(c, book, &mut sink, no) {
                    Some(c) => c,
                    None => {
                        sink.error(
                            no,
                            format!("block {name} skipped with its verbs and patterns"),
                        );
                        current = None;
                        skipping_block = true;
                        continue;
                    }
                },
                None => VerbCode::NULL,
            };
            if name.is_empty() {
                sink.warn(no, "block header has no name");
            }
            dict.blocks.push(VerbBlock {
                name: name.to_uppercase().into_boxed_str(),
                code,
                line: no,
                verbs: Vec::new(),
                patterns: Vec::new(),
            });
            current = Some(dict.blocks.len() - 1);
            skipping_block = false;
        } else if text.starts_with('&') {
            // Synset: label then `+` members.
            let label = text.split_whitespace().next().unwrap_or("&");
            let no_plural = label.ends_with('_');
            let name = label.trim_end_matches('_').to_uppercase();
            if text.split_whitespace().nth(1).is_some() {
                sink.warn(no, format!("text after synset label {name} ignored"));
            }
            let mut syn = Synset {
                name: name.into_boxed_str(),
                no_plural,
                members: Vec::new(),
                line: no,
            };
            while let Some(l) = lines.next_line(&mut sink) {
                let t = l.text.trim();
                if let Some(m) = t.strip_prefix('+') {
                    match Phrase::parse(m) {
                        Some(phrase) => syn.members.push(SynsetMember { phrase, line: l.no }),
                        None => sink.warn(l.no, "empty synset member skipped"),
                    }
                } else {
                    pending = Some(l);
                    break;
                }
            }
            if syn.members.is_empty() {
                sink.warn(no, format!("synset {} has no members", syn.name));
            }
            if dict.synsets.iter().any(|s| s.name == syn.name) {
                sink.warn(
                    no,
                    format!(
                        "synset {} defined again; the later definition is used",
                        syn.name
                    ),
                );
                dict.synsets.retain(|s| s.name != syn.name);
            }
            dict.synsets.push(syn);
        } else if text.starts_with('~') {
            if !p2 {
                sink.warn(no, "`~` transformation in a PETRARCH-1 verb file skipped");
                continue;
            }
            match parse_transformation(text, book) {
                Ok(t) => dict.transformations.push(Transformation { line: no, ..t }),
                Err((sev_err, cause)) => {
                    if sev_err {
                        sink.error(no, cause)
                    } else {
                        sink.warn(no, cause)
                    }
                }
            }
        } else if let Some(body) = text.strip_prefix('-') {
            // Pattern.
            if skipping_block {
                continue;
            }
            let Some(bi) = current else {
                sink.warn(no, "pattern before any `---` block header skipped");
                continue;
            };
            let (pat, code, rest) = split_code(body);
            if !rest.trim().is_empty() {
                sink.warn(
                    no,
                    format!("text after the code ignored: {:?}", rest.trim()),
                );
            }
            let Some(code) = code else {
                sink.warn(no, "pattern has no [code]; skipped");
                continue;
            };
            let Some(code) = code_or_report(code, book, &mut sink, no) else {
                continue;
            };
            if let Some(mut p) = P::parse(pat, &mut sink, no) {
                p.set_meta(code, line.comment.as_deref());
                dict.blocks[bi].patterns.push(p);
            }
        } else {
            // Verb line.
            if skipping_block {
                continue;
            }
            let bi = match current {
                Some(bi) => bi,
                None => {
                    let name = text
                        .split(|c: char| c.is_whitespace() || c == '{' || c == '[')
                        .next()
                        .unwrap_or("")
                        .trim_start_matches('+')
                        .to_uppercase();
                    sink.warn(
                        no,
                        format!("verb before any `---` block header; opened an implicit block {name} with code [---]"),
                    );
                    dict.blocks.push(VerbBlock {
                        name: name.into_boxed_str(),
                        code: VerbCode::NULL,
                        line: no,
                        verbs: Vec::new(),
                        patterns: Vec::new(),
                    });
                    current = Some(dict.blocks.len() - 1);
                    dict.blocks.len() - 1
                }
            };
            if let Some(v) = parse_verb_line(text, book, &mut sink, no) {
                dict.blocks[bi].verbs.push(v);
            }
        }
    }
    (dict, sink.diags)
}

/// Whole-file checks, then diagnostics in line order.
fn finish<P: PatternSyntax>(
    mut dict: VerbDict<P>,
    mut sink: Sink,
) -> (VerbDict<P>, Vec<Diagnostic>) {
    // Patterns referring to synsets that are never defined can never match:
    // PETRARCH ignores them; so does dyad, with a warning.
    let names: std::collections::HashSet<&str> = dict.synsets.iter().map(|s| &*s.name).collect();
    for s in &dict.synsets {
        for m in &s.members {
            if let Some(r) = m.synset_ref() {
                if !names.contains(r) {
                    sink.warn(
                        m.line,
                        format!("synset {} refers to undefined synset {r}", s.name),
                    );
                }
            }
        }
    }
    for b in &mut dict.blocks {
        b.patterns.retain(|p| {
            let mut refs = Vec::new();
            p.synset_refs(&mut refs);
            match refs.iter().find(|r| !names.contains(**r)) {
                Some(r) => {
                    sink.warn(
                        p.line(),
                        format!("pattern uses undefined synset {r}; skipped"),
                    );
                    false
                }
                None => true,
            }
        });
    }
    let mut diags = sink.diags;
    diags.sort_by_key(|d| d.line);
    (dict, diags)
}

/// Parses a verb form like `WIRE_+TAP` or `+CORDON_OFF` or `GIVE`.
fn parse_form(s: &str) -> Result<VerbForm, String> {
    let words: Vec<&str> = s.split('_').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Err(format!("empty verb form {s:?}"));
    }
    let marked: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.starts_with('+'))
        .map(|(i, _)| i)
        .collect();
    if marked.len() > 1 {
        return Err(format!("verb form {s:?} marks more than one word with `+`"));
    }
    let verb_word = marked.first().copied().unwrap_or(0);
    let phrase = Phrase::from_words(words.iter().map(|w| w.trim_start_matches('+')))
        .ok_or_else(|| format!("empty verb form {s:?}"))?;
    Ok(VerbForm { phrase, verb_word })
}

fn parse_verb_line(text: &str, book: &Codebook, sink: &mut Sink, no: u32) -> Option<VerbEntry> {
    // `VERB {FORMS} [code]`; the `{…}` and `[…]` parts may come in either
    // order.
    let mut rest = text.to_string();
    let mut take = |open: char, close: char, what: &str, sink: &mut Sink| -> Option<String> {
        let i = rest.find(open)?;
        let after = &rest[i + open.len_utf8()..];
        let (inner, end) = match after.find(close) {
            Some(j) => (
                after[..j].to_string(),
                i + open.len_utf8() + j + close.len_utf8(),
            ),
            None => {
                sink.warn(
                    no,
                    format!("{what} `{open}` is never closed; read to the end of the line"),
                );
                (after.to_string(), rest.len())
            }
        };
        rest.replace_range(i..end, " ");
        Some(inner)
    };
    let code_text = take('[', ']', "code", sink);
    let irregular_text = take('{', '}', "form list", sink);
    if rest.contains(['[', ']', '{', '}']) {
        sink.warn(no, "extra brackets on a verb line ignored");
    }
    let code = match code_text {
        Some(c) => Some(code_or_report(&c, book, sink, no)?),
        None => None,
    };
    let base_text = rest.replace(['[', ']', '{', '}'], " ");
    let words: Vec<&str> = base_text.split_whitespace().collect();
    if words.is_empty() {
        sink.warn(no, "verb line has no verb; skipped");
        return None;
    }
    let joined = words.join("_");
    if words.len() > 1 {
        sink.warn(
            no,
            format!("verb line has blank-separated words; read as the multi-word verb {joined}"),
        );
    }
    let base = match parse_form(&joined) {
        Ok(f) => f,
        Err(e) => {
            sink.warn(no, format!("{e}; verb skipped"));
            return None;
        }
    };
    let irregular = match irregular_text.as_deref() {
        None => None,
        Some(t) => {
            let mut forms = Vec::new();
            for f in t.split_whitespace() {
                match parse_form(f) {
                    Ok(mut form) => {
                        // A one-word form of a multi-word verb replaces the
                        // verb word.
                        if form.phrase.len() == 1 && base.phrase.len() > 1 {
                            let w = form.phrase.as_str().to_string();
                            let words = base
                                .phrase
                                .words()
                                .enumerate()
                                .map(|(i, x)| if i == base.verb_word { w.as_str() } else { x })
                                .collect::<Vec<_>>();
                            if let Some(p) = Phrase::from_words(words) {
                                form = VerbForm {
                                    phrase: p,
                                    verb_word: base.verb_word,
                                };
                            }
                        }
                        forms.push(form)
                    }
                    Err(e) => sink.warn(no, format!("{e}; form skipped")),
                }
            }
            Some(forms)
        }
    };
    Some(VerbEntry {
        base,
        irregular,
        code,
        line: no,
    })
}

impl PatternSyntax for LinearPattern {
    fn set_meta(&mut self, code: VerbCode, comment: Option<&str>) {
        self.code = code;
        self.comment = comment.map(Box::from);
    }

    fn line(&self) -> u32 {
        self.line
    }

    fn parse(body: &str, sink: &mut Sink, line: u32) -> Option<Self> {
        if body.contains(['{', '}', '|']) {
            sink.warn(
                line,
                "TABARI disjunction `{…|…}` in a pattern is not supported (PETRARCH skips these); pattern skipped",
            );
            return None;
        }
        // `_ ` is an open join (TABARI legacy); a trailing `_` is dropped.
        let body = body.trim();
        let body = body.strip_suffix('_').unwrap_or(body);
        let mut elems: Vec<PatternElem> = Vec::new();
        let bytes = body.as_bytes();
        let mut i = 0;
        let mut glued = false;
        while i < bytes.len() {
            // skip separators
            if bytes[i] == b' ' || bytes[i] == b'\t' || bytes[i] == b'_' {
                i += 1;
                continue;
            }
            // A token is a run of `*` or a run of other non-separators, so a
            // `*` written against a word (`*SCEPTICAL`) is its own token.
            let start = i;
            let star = bytes[i] == b'*';
            while i < bytes.len()
                && !matches!(bytes[i], b' ' | b'\t' | b'_')
                && (bytes[i] == b'*') == star
            {
                i += 1;
            }
            let tok = &body[start..i];
            // The join after this token: consecutive for `_` (unless
            // followed by a blank: `X_ Y` reads as an open join) and for a
            // token glued to the next one; open otherwise.
            let glued_next = i < bytes.len() && !matches!(bytes[i], b' ' | b'\t' | b'_');
            glued |= glued_next;
            let gap_after = !(glued_next
                || (i < bytes.len()
                    && bytes[i] == b'_'
                    && !matches!(bytes.get(i + 1), Some(b' ') | Some(b'\t') | None)));
            let token = match tok {
                "$" => Token::Source,
                "+" => Token::Target,
                "%" => Token::Compound,
                "^" => Token::Skip,
                t if t.bytes().all(|b| b == b'*') => Token::Verb,
                t if t.starts_with('&') => Token::Synset(upper_box(t)),
                t => Token::Word(upper_box(t)),
            };
            elems.push(PatternElem { token, gap_after });
        }
        if let Some(last) = elems.last_mut() {
            last.gap_after = true;
        }
        if glued {
            sink.warn(line, "`*` written against a word; read as a separate token");
        }
        let verbs = elems.iter().filter(|e| e.token == Token::Verb).count();
        if verbs > 1 {
            sink.warn(line, "pattern has more than one `*`; skipped");
            return None;
        }
        if verbs == 0 {
            sink.warn(
                line,
                "pattern has no `*`; read as a pre-verb pattern (verb after the last token), as PETRARCH-1 does",
            );
            elems.push(PatternElem {
                token: Token::Verb,
                gap_after: true,
            });
        }
        Some(LinearPattern {
            elems,
            code: VerbCode::NULL,
            line,
            comment: None,
        })
    }

    fn synset_refs<'s>(&'s self, out: &mut Vec<&'s str>) {
        for e in &self.elems {
            if let Token::Synset(s) = &e.token {
                out.push(s);
            }
        }
    }
}

/// Tokenizer for PETRARCH-2 patterns: words, `{`, `}`, `(`, `)`.
fn tree_tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' => i += 1,
            b'{' | b'}' | b'(' | b')' => {
                out.push(&s[i..i + 1]);
                i += 1;
            }
            _ => {
                let st = i;
                while i < b.len() && !matches!(b[i], b' ' | b'\t' | b'{' | b'}' | b'(' | b')') {
                    i += 1;
                }
                out.push(&s[st..i]);
            }
        }
    }
    out
}

fn term(t: &str) -> Term {
    let u = upper_box(t);
    if u.starts_with('&') {
        Term::Synset(u)
    } else {
        Term::Word(u)
    }
}

/// Parses a sequence of tree elements until `close` (or end). Returns the
/// elements and the index after the closing token.
fn tree_seq(
    toks: &[&str],
    mut i: usize,
    close: Option<&str>,
    depth: usize,
) -> Result<(Vec<TreeElem>, usize, bool), String> {
    let mut out = Vec::new();
    let saw_verb = false;
    while i < toks.len() {
        let t = toks[i];
        if Some(t) == close {
            return Ok((out, i + 1, saw_verb));
        }
        match t {
            "{" => {
                let mut words = Vec::new();
                i += 1;
                while i < toks.len() && toks[i] != "}" {
                    if matches!(toks[i], "(" | ")" | "{") {
                        return Err("unexpected bracket inside `{…}`".to_string());
                    }
                    for w in toks[i].split('_').filter(|w| !w.is_empty()) {
                        words.push(term(w));
                    }
                    i += 1;
                }
                if i >= toks.len() {
                    return Err("`{` is never closed".to_string());
                }
                i += 1;
                if words.is_empty() {
                    return Err("empty `{}` noun phrase".to_string());
                }
                out.push(TreeElem::Noun(words));
            }
            "(" => {
                i += 1;
                let prep = toks.get(i).copied().unwrap_or(")");
                if matches!(prep, "(" | ")" | "{" | "}") {
                    return Err("prepositional phrase `(…)` has no preposition".to_string());
                }
                let preps = prep
                    .split('/')
                    .filter(|p| !p.is_empty())
                    .map(|p| p.to_uppercase().into_boxed_str())
                    .collect();
                if depth >= 16 {
                    return Err("prepositional phrases nested too deeply".to_string());
                }
                let (objects, next, v) = tree_seq(toks, i + 1, Some(")"), depth + 1)?;
                if v {
                    return Err("`*` inside a prepositional phrase".to_string());
                }
                if next > toks.len() || toks.get(next - 1) != Some(&")") {
                    return Err("`(` is never closed".to_string());
                }
                i = next;
                out.push(TreeElem::Prep { preps, objects });
            }
            ")" | "}" => return Err(format!("unbalanced `{t}`")),
            "*" => {
                if close.is_some() {
                    return Err("`*` inside brackets".to_string());
                }
                return Ok((out, i + 1, true));
            }
            "$" => {
                out.push(TreeElem::Source);
                i += 1;
            }
            "+" => {
                out.push(TreeElem::Target);
                i += 1;
            }
            "%" => {
                out.push(TreeElem::Compound);
                i += 1;
            }
            "^" => {
                out.push(TreeElem::Skip);
                i += 1;
            }
            w => {
                let words: Vec<Term> = w.split('_').filter(|x| !x.is_empty()).map(term).collect();
                if !words.is_empty() {
                    out.push(TreeElem::Noun(words));
                }
                i += 1;
            }
        }
    }
    if close.is_some() {
        return Err(format!(
            "`{}` is never closed",
            if close == Some(")") { "(" } else { "{" }
        ));
    }
    Ok((out, i, saw_verb))
}

fn parse_tree(toks: &[&str]) -> Result<(Vec<TreeElem>, Vec<TreeElem>), String> {
    let (before, i, saw) = tree_seq(toks, 0, None, 0)?;
    if !saw {
        return Err("pattern has no `*`".to_string());
    }
    let (after, _, saw2) = tree_seq(toks, i, None, 0)?;
    if saw2 {
        return Err("pattern has more than one `*`".to_string());
    }
    Ok((before, after))
}

impl PatternSyntax for TreePattern {
    fn set_meta(&mut self, code: VerbCode, comment: Option<&str>) {
        self.code = code;
        self.comment = comment.map(Box::from);
    }

    fn line(&self) -> u32 {
        self.line
    }

    fn parse(body: &str, sink: &mut Sink, line: u32) -> Option<Self> {
        let mut toks = Vec::new();
        let mut glued = false;
        for t in tree_tokens(body) {
            // `*` written against a word (`*_LAWS`, `SPY_*_DEAL`).
            if t != "*" && t.contains('*') {
                glued = true;
                for (k, piece) in t.split('*').enumerate() {
                    if k > 0 {
                        toks.push("*");
                    }
                    let piece = piece.trim_matches('_');
                    if !piece.is_empty() {
                        toks.push(piece);
                    }
                }
            } else {
                toks.push(t);
            }
        }
        if glued {
            sink.warn(line, "`*` written against a word; read as a separate token");
        }
        let mut res = parse_tree(&toks);
        if res.is_err() {
            // Trailing junk such as a repeated `WORD)` before the code: keep
            // the longest prefix that parses, when it ends before the first
            // unbalanced `)`.
            let mut depth = 0i32;
            let mut bad = None;
            for (k, t) in toks.iter().enumerate() {
                match *t {
                    "(" | "{" => depth += 1,
                    ")" | "}" => {
                        depth -= 1;
                        if depth < 0 {
                            bad = Some(k);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            if let Some(j) = bad {
                // Junk is a few tokens; try dropping at most 8 before `)`.
                if let Some(k) = (j.saturating_sub(8).max(1)..j)
                    .rev()
                    .find(|&k| parse_tree(&toks[..k]).is_ok())
                {
                    sink.warn(
                        line,
                        format!(
                            "trailing text {:?} is not part of the pattern; ignored",
                            toks[k..].join(" ")
                        ),
                    );
                    res = parse_tree(&toks[..k]);
                }
            }
        }
        match res {
            Ok((before, after)) => Some(TreePattern {
                before,
                after,
                code: VerbCode::NULL,
                line,
                comment: None,
            }),
            Err(e) => {
                sink.warn(line, format!("{e}; pattern skipped"));
                None
            }
        }
    }

    fn synset_refs<'s>(&'s self, out: &mut Vec<&'s str>) {
        fn walk<'s>(e: &'s [TreeElem], out: &mut Vec<&'s str>) {
            for x in e {
                match x {
                    TreeElem::Noun(ts) => {
                        for t in ts {
                            if let Term::Synset(s) = t {
                                out.push(s);
                            }
                        }
                    }
                    TreeElem::Prep { objects, .. } => walk(objects, out),
                    _ => {}
                }
            }
        }
        walk(&self.before, out);
        walk(&self.after, out);
    }
}

fn var(t: &str) -> Result<Var, String> {
    match t {
        "." => Ok(Var::Unspecified),
        "_" => Ok(Var::Absent),
        v if v.chars().all(|c| c.is_ascii_lowercase()) && !v.is_empty() => Ok(Var::Named(v.into())),
        v => Err(format!(
            "{v:?} is not an actor variable (a lower-case letter, `.` or `_`)"
        )),
    }
}

fn verb_ref(t: &str) -> VerbRef {
    if t == "Q" {
        VerbRef::Any
    } else {
        VerbRef::Named(t.to_uppercase().into_boxed_str())
    }
}

/// `~ a (b c LOWER) UPPER = x y CODE`. Error flag `true` = code error.
fn parse_transformation(text: &str, book: &Codebook) -> Result<Transformation, (bool, String)> {
    let body = text.trim_start_matches('~');
    let (lhs, rhs) = body
        .split_once('=')
        .ok_or((false, "transformation has no `=`; skipped".to_string()))?;
    let spaced = lhs.replace('(', " ( ").replace(')', " ) ");
    let l: Vec<&str> = spaced.split_whitespace().collect();
    let r: Vec<&str> = rhs.split_whitespace().collect();
    let shape_err = || {
        (
            false,
            "transformation is not of the form `~ a (b c VERB) VERB = x y CODE`; skipped"
                .to_string(),
        )
    };
    if l.len() != 7 || l[1] != "(" || l[5] != ")" || r.len() != 3 {
        return Err(shape_err());
    }
    let v = |t: &str| var(t).map_err(|e| (false, format!("{e}; transformation skipped")));
    let result_code = if r[2] == "Q" {
        TransformCode::Lower
    } else {
        match parse_verb_code(r[2], book) {
            Ok((c, _)) => match (c.active, c.passive) {
                (Some(a), None) => TransformCode::Code(a),
                _ => return Err((false, "transformation result must be one code".to_string())),
            },
            Err(e) => return Err((true, e)),
        }
    };
    Ok(Transformation {
        upper_source: v(l[0])?,
        lower_source: v(l[2])?,
        lower_target: v(l[3])?,
        lower_verb: verb_ref(l[4]),
        upper_verb: verb_ref(l[6]),
        result_source: v(r[0])?,
        result_target: v(r[1])?,
        result_code,
        line: 0,
    })
}
