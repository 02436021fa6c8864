//! The pipeline: text → sentences/tokens → tag+parse → events → enrichment.
//!
//! [`Pipeline::code_document`] runs every stage on one raw document;
//! [`Pipeline::code_parsed`] starts from a sentence somebody else parsed
//! (PETRARCH XML, CoNLL-U). Both return [`dyad_core::Event`]s in the fixed
//! JSON Lines schema.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use dyad_coder::discourse::DEFAULT_WINDOW;
use dyad_coder::{CodedActor, CodedEvent, Coder, CoderOptions, Coding, Discourse, ParsedSentence};
use dyad_core::event::{Actor, EventCode, Evidence, Span};
use dyad_core::{Codebook, Event};
use dyad_enrich::{
    assign_id, is_asserted, mark_negated, CharOffsets, DatelineInfo, DocContext, Enricher,
    EventSlots, SentenceAnalysis, SentenceContext,
};
use dyad_input::{ConlluSentence, ConlluToken};
use dyad_nlp::{Lemmas, Model};
use dyad_text::Document;

use crate::prefilter::{heads_are_a_tree, EventFilter, ModelLemmas};

/// Pipeline settings.
#[derive(Debug, Clone)]
pub struct PipelineOptions {
    /// Emit negated events too (flagged `modality.negated`); by default they
    /// are dropped, since they did not happen.
    pub keep_negated: bool,
    /// Publication date to assume for documents that give none (`--date`).
    pub default_date: Option<NaiveDate>,
    /// Skip tagging, parsing and coding of sentences that provably cannot
    /// yield an event ([`crate::prefilter::EventFilter`]). On by default:
    /// the output is identical either way, only faster.
    pub skip_eventless: bool,
    /// With `skip_eventless`: make the tag-level test (a verb-dictionary
    /// key among the `VB*` tokens) before parsing, so that sentences that
    /// fail it are tagged but never parsed. On by default; off, every
    /// sentence that passes the word-level test is tagged and parsed first
    /// (the order before issue #3's split of `Model::analyze`), kept for
    /// benchmarks. The output is identical either way.
    pub test_tags_before_parse: bool,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            keep_negated: false,
            default_date: None,
            skip_eventless: true,
            test_tags_before_parse: true,
        }
    }
}

/// Pre-filter counts for a document ([`Pipeline::skip_stats`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SkipStats {
    /// Coded sentences (not headings, not empty).
    pub sentences: usize,
    /// Skipped from their words alone: not tagged, parsed or coded.
    pub before_tagging: usize,
    /// Skipped once tagged, before parsing: no parse, no coder tree, no
    /// coding.
    pub after_tagging: usize,
}

impl std::ops::AddAssign for SkipStats {
    fn add_assign(&mut self, o: SkipStats) {
        self.sentences += o.sentences;
        self.before_tagging += o.before_tagging;
        self.after_tagging += o.after_tagging;
    }
}

/// A sentence as stored alongside its events.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SentenceRecord {
    /// Sentence id within the document (1-based position).
    pub id: String,
    /// Character offset of the sentence in the document.
    pub start: usize,
    /// Character offset one past the sentence.
    pub end: usize,
    /// The sentence text (whitespace folded).
    pub text: String,
    /// Whether the segmenter judged it a heading (headings are not coded).
    pub is_heading: bool,
}

/// The result of coding one document.
#[derive(Debug, Clone, Default)]
pub struct CodedDocument {
    /// Document id.
    pub doc_id: String,
    /// Its sentences.
    pub sentences: Vec<SentenceRecord>,
    /// Its events.
    pub events: Vec<Event>,
    /// Non-fatal problems (e.g. a sentence that could not be parsed).
    pub warnings: Vec<String>,
}

thread_local! {
    /// The coder tree [`Pipeline::code_document`] rebuilds for each sentence
    /// (`ParsedSentence::rebuild_from_vectors`), kept between documents.
    static TREE: std::cell::RefCell<ParsedSentence> = std::cell::RefCell::new(ParsedSentence::default());
}

/// The assembled pipeline. Cheap to share across threads by reference.
pub struct Pipeline {
    coder: Coder,
    // Shared, so pipelines that differ only in dictionaries (one per
    // PETRARCH XML file's <Environment>) reuse one loaded model and gazetteer.
    model: Option<Arc<Model>>,
    enricher: Option<Arc<Enricher>>,
    /// The model's lemmatizer as the pre-filter needs it (per model, shared
    /// by `with_coder` copies; built on first use).
    lemmas: Arc<OnceLock<Option<Arc<ModelLemmas>>>>,
    /// The pre-filter for `coder` (per dictionary set; built on first use).
    filter: OnceLock<EventFilter>,
    book: &'static Codebook,
    /// Settings.
    pub options: PipelineOptions,
}

impl Pipeline {
    /// Assembles a pipeline. `model` is needed for raw text; `enricher`
    /// adds dates, places and modality (without it, events carry the
    /// document date only).
    pub fn new(
        coder: Coder,
        model: Option<Model>,
        enricher: Option<Enricher>,
        options: PipelineOptions,
    ) -> Self {
        Pipeline {
            filter: OnceLock::new(),
            lemmas: Arc::new(OnceLock::new()),
            coder,
            model: model.map(Arc::new),
            enricher: enricher.map(Arc::new),
            // The superset codebook: dictionaries were checked against the
            // right one at load, so every code they can emit is here.
            book: dyad_dict::codebooks::validate_suite(),
            options,
        }
    }

    /// The same pipeline with other dictionaries: shares the loaded model
    /// and gazetteer instead of loading them again.
    pub fn with_coder(&self, coder: Coder) -> Pipeline {
        Pipeline {
            filter: OnceLock::new(),
            lemmas: self.lemmas.clone(),
            coder,
            model: self.model.clone(),
            enricher: self.enricher.clone(),
            book: self.book,
            options: self.options.clone(),
        }
    }

    /// The coder.
    pub fn coder(&self) -> &Coder {
        &self.coder
    }

    /// The sentence pre-filter (see [`PipelineOptions::skip_eventless`]).
    pub fn filter(&self) -> &EventFilter {
        self.filter.get_or_init(|| {
            let lemmas = self
                .lemmas
                .get_or_init(|| self.model.clone().map(|m| Arc::new(ModelLemmas::new(m))));
            EventFilter::new(&self.coder, lemmas.clone())
        })
    }

    /// The tagger/parser model, if loaded.
    pub fn model(&self) -> Option<&Model> {
        self.model.as_deref()
    }

    /// Codes one raw document end to end.
    pub fn code_document(&self, doc: &Document) -> CodedDocument {
        let mut out = CodedDocument {
            doc_id: doc.id.clone(),
            ..CodedDocument::default()
        };
        let Some(model) = &self.model else {
            out.warnings.push(format!(
                "{}: no tagger/parser model loaded; raw text cannot be coded",
                doc.id
            ));
            return out;
        };
        let publication = doc
            .date
            .as_deref()
            .and_then(|d| dyad_enrich::parse_publication_date(d).ok())
            .or(self.options.default_date);
        let offsets = CharOffsets::new(&doc.text);
        let mut dctx = match &self.enricher {
            Some(en) => match &doc.dateline {
                Some(dl) => DocContext::with_dateline(
                    en,
                    publication,
                    &DatelineInfo {
                        place: Some(dl.place.as_str()),
                        region: dl.region.as_deref(),
                        year: dl.year,
                        month: dl.month.map(u32::from),
                        day: dl.day.map(u32::from),
                    },
                ),
                None => DocContext::new(en, publication, None),
            },
            None => DocContext {
                publication,
                ..DocContext::default()
            },
        };
        let mut analysis = SentenceAnalysis::default();
        let filter = self.options.skip_eventless.then(|| self.filter());
        // the countries named so far, for "the two sides" (dyad_coder::discourse)
        let mut discourse = DocDiscourse::new(filter.is_some());
        let char_of = |b: usize| offsets.char_offset(b).unwrap_or(0);
        let mut sents = dyad_text::segment(doc);
        // one coder tree for the document's sentences, rebuilt in place (its
        // strings and lists are reused), kept per thread across documents
        let mut tree = TREE.with(std::cell::RefCell::take);
        for i in 0..sents.len() {
            let text = std::mem::take(&mut sents[i].text);
            let s = &sents[i];
            let sid = (i + 1).to_string();
            let k = out.sentences.len();
            out.sentences.push(SentenceRecord {
                id: sid.clone(),
                start: char_of(s.start),
                end: char_of(s.end),
                text,
                is_heading: s.is_heading,
            });
            if s.is_heading || s.tokens.is_empty() {
                continue;
            }
            let words: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
            if filter.is_some_and(|f| !f.may_yield_events(&self.coder, &words)) {
                // No event can come of it; keep only the document-level
                // bookkeeping, which reads tokens alone. The countries it
                // may name need its tags: it is tagged only if a later
                // sentence asks (`DocDiscourse`).
                if let Some(en) = &self.enricher {
                    en.observe(&mut dctx, &words, &mut analysis);
                }
                discourse.skipped_untagged(i);
                continue;
            }
            let t = tag_repaired(model, &words);
            let tags_first = self.options.test_tags_before_parse;
            if tags_first
                && filter.is_some_and(|f| {
                    !f.tagged_may_yield_events(&self.coder, &words, t.xpos(), t.lemma())
                })
            {
                // Tagged, and the coder would drop it at once: not parsed,
                // not coded. It may still name countries for a later "the
                // two sides"; naming reads words and tags only.
                if let Some(en) = &self.enricher {
                    en.observe(&mut dctx, &words, &mut analysis);
                }
                discourse.skipped_tagged(&self.coder, &words, t.xpos(), publication, i);
                continue;
            }
            let a = t.parse(model);
            if !tags_first
                && filter.is_some_and(|f| {
                    heads_are_a_tree(&a.head)
                        && !f.tagged_may_yield_events(&self.coder, &words, &a.xpos, &a.lemma)
                })
            {
                // Tagged, and the coder would drop it at once: no coding.
                // It may still name countries for a later "the two sides".
                if let Some(en) = &self.enricher {
                    en.observe(&mut dctx, &words, &mut analysis);
                }
                discourse.skipped_tagged(&self.coder, &words, &a.xpos, publication, i);
                continue;
            }
            let heads: Vec<usize> = a.head.iter().map(|&h| h as usize).collect();
            let lemmas: Vec<&str> = a.lemma.to_strs();
            if let Err(e) = tree.rebuild_from_vectors(&words, &a.xpos, &lemmas, &heads, &a.deprel) {
                out.warnings.push(format!("{} sentence {sid}: {e}", doc.id));
                continue;
            }
            let parsed = &tree;
            let coding = self.coder.code_in_document(
                parsed,
                publication,
                self.coder.options(),
                discourse.for_coding(&self.coder, model, &sents, publication, i, &a.xpos),
            );
            let sctx = SentenceContext {
                tokens: &words,
                xpos: &a.xpos,
                heads: &a.head,
                deprels: &a.deprel,
            };
            if let Some(en) = &self.enricher {
                if filter.is_some() && coding.events.is_empty() {
                    // The sentence analysis only serves this sentence's
                    // events; the document-level part is all that counts.
                    en.observe(&mut dctx, &words, &mut analysis);
                    continue;
                }
                en.analyze(&mut dctx, &sctx, &mut analysis);
            }
            if coding.events.is_empty() {
                continue;
            }
            let spans: Vec<Span> = s
                .tokens
                .iter()
                .map(|t| Span {
                    start: char_of(t.start),
                    end: char_of(t.end),
                })
                .collect();
            for ce in &coding.events {
                let Some(mut ev) = self.event(
                    &doc.id,
                    &sid,
                    &out.sentences[k].text,
                    &words,
                    Some(&spans),
                    ce,
                    &coding,
                ) else {
                    continue;
                };
                match &self.enricher {
                    Some(en) => {
                        let slots = EventSlots {
                            verb: Some(ce.verb_span.0 as usize),
                            source: ce.source.as_ref().map(span_range),
                            target: ce.target.as_ref().map(span_range),
                        };
                        en.enrich(&dctx, &sctx, &analysis, &slots, &mut ev);
                    }
                    None => set_publication_date(&mut ev, publication),
                }
                out.events.extend(self.finish(ev, ce, s.start));
            }
        }
        TREE.with(|t| t.replace(tree));
        out
    }

    /// What the pre-filter does to a document: its coded sentences (not
    /// headings, not empty), how many are skipped before tagging, and how
    /// many more after tagging (not parsed, no tree, no coding). Tags the
    /// sentences that pass the first test; for reports and benchmarks.
    pub fn skip_stats(&self, doc: &Document) -> SkipStats {
        let mut st = SkipStats::default();
        let Some(model) = &self.model else {
            return st;
        };
        for s in dyad_text::segment(doc) {
            if s.is_heading || s.tokens.is_empty() {
                continue;
            }
            st.sentences += 1;
            let words: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
            if !self.filter().may_yield_events(&self.coder, &words) {
                st.before_tagging += 1;
                continue;
            }
            let t = tag_repaired(model, &words);
            if !self
                .filter()
                .tagged_may_yield_events(&self.coder, &words, t.xpos(), t.lemma())
            {
                st.after_tagging += 1;
            }
        }
        st
    }

    /// Codes one sentence that arrives already parsed. `date` is the
    /// sentence's (publication) date; it selects date-restricted actor
    /// codes and becomes the events' date.
    pub fn code_parsed(
        &self,
        doc_id: &str,
        sentence_id: &str,
        text: &str,
        parsed: &ParsedSentence,
        date: Option<NaiveDate>,
        opts: &CoderOptions,
    ) -> Vec<Event> {
        let coding = self.coder.code_full(parsed, date, opts);
        let words: Vec<&str> = parsed.tokens.iter().map(|t| t.word.as_str()).collect();
        let mut out = Vec::with_capacity(coding.events.len());
        for ce in &coding.events {
            if let Some(mut ev) = self.event(doc_id, sentence_id, text, &words, None, ce, &coding) {
                set_publication_date(&mut ev, date);
                out.extend(self.finish(ev, ce, 0));
            }
        }
        out
    }

    /// The last step for every event, whatever its input: the coder's own
    /// negation, the stable id, and dropping negated events unless asked to
    /// keep them. `sentence_offset` is the sentence's byte offset (0 when
    /// unknown).
    fn finish(&self, mut ev: Event, ce: &CodedEvent, sentence_offset: usize) -> Option<Event> {
        if ce.negated {
            mark_negated(&mut ev);
        } else if ce.negation_in_pattern {
            unmark_pattern_negation(&mut ev);
        }
        assign_id(&mut ev, sentence_offset);
        (self.options.keep_negated || is_asserted(&ev)).then_some(ev)
    }

    /// Builds the record of one coded event; `None` for a null code.
    #[allow(clippy::too_many_arguments)]
    fn event(
        &self,
        doc_id: &str,
        sentence_id: &str,
        sentence: &str,
        words: &[&str],
        spans: Option<&[Span]>,
        ce: &CodedEvent,
        coding: &Coding,
    ) -> Option<Event> {
        let code = ce.code.trim_end_matches(['!', '?']);
        let info = self.book.get(code)?;
        let d = self.coder.dictionaries();
        let file = d
            .files
            .get(ce.evidence.file as usize)
            .map_or("?", String::as_str);
        let actor = |a: &Option<CodedActor>| {
            a.as_ref().map(|a| {
                let r = span_range(a);
                Actor {
                    code: a.code.clone(),
                    text: join(words, r.clone()),
                    span: spans.and_then(|s| cover(s, r)),
                }
            })
        };
        let verb = span_range_of(ce.verb_span);
        Some(Event {
            id: None,
            doc_id: doc_id.to_string(),
            sentence_id: sentence_id.to_string(),
            sentence: sentence.to_string(),
            date: None,
            date_precision: None,
            date_source: None,
            source: actor(&ce.source),
            target: actor(&ce.target),
            event: EventCode::from(info),
            issues: coding.issues.iter().map(|(c, _)| c.clone()).collect(),
            evidence: Evidence {
                pattern: ce
                    .pattern
                    .clone()
                    .unwrap_or_else(|| format!("--- {} ---", ce.verb)),
                dictionary: format!("{file}:{}", ce.evidence.line),
                verb_text: Some(join(words, verb.clone())).filter(|t| !t.is_empty()),
                verb_span: spans.and_then(|s| cover(s, verb)),
            },
            modality: None,
            location: None,
            confidence: None,
            mentions: None,
            sources: None,
            doc_ids: None,
        })
    }
}

/// The document's discourse (the countries named so far, for "the two
/// sides": [`dyad_coder::discourse`]) as the coder reads it.
///
/// With the pre-filter off it is the running [`Discourse`], fed by
/// [`Coder::code_in_document`] sentence by sentence. With the filter on,
/// sentences are skipped before their tags are known, and the countries a
/// sentence names need its tags (a mention starts with a capitalised
/// `NN*`/`JJ*` word). The discourse is only read by a coded sentence holding
/// "two" or "both" (otherwise `code_in_document` drops the pair), and then
/// only for the [`DEFAULT_WINDOW`] sentences up to it. So the pipeline keeps
/// what the last `DEFAULT_WINDOW - 1` sentences give it (their tags, or just
/// their position when they were skipped untagged), and for such a sentence
/// replays them into a fresh [`Discourse`], tagging the untagged ones then.
/// The replay observes the same sentences, in the same order, with the same
/// tags as the running discourse would have, and [`Discourse::pair`]
/// depends only on the sentences inside the window, so the pair is the same.
/// Every coded or skipped sentence counts once, as in the running
/// discourse: `from_vectors` accepts every parse the pipeline makes (see
/// [`TaggedSentence`]), so no sentence drops out of the count.
enum DocDiscourse<'m> {
    /// Filter off: the running discourse.
    Running(Discourse),
    /// Filter on: the last sentences' contributions, oldest first, and the
    /// discourse handed to the coder for the current sentence.
    Lazy {
        log: std::collections::VecDeque<Seen<'m>>,
        current: Discourse,
        /// Tokens for replaying a logged sentence (buffers reused).
        scratch: ParsedSentence,
    },
}

/// What one sentence gives the discourse ([`DocDiscourse`]).
enum Seen<'m> {
    /// Sentence `.0` of the document, not tagged (skipped before tagging).
    Untagged(usize),
    /// Sentence `.0`, with its final XPOS tags.
    Tagged(usize, Vec<&'m str>),
}

impl<'m> DocDiscourse<'m> {
    fn new(lazy: bool) -> Self {
        if lazy {
            DocDiscourse::Lazy {
                log: std::collections::VecDeque::with_capacity(DEFAULT_WINDOW),
                current: Discourse::new(),
                scratch: ParsedSentence::default(),
            }
        } else {
            DocDiscourse::Running(Discourse::new())
        }
    }

    fn log(log: &mut std::collections::VecDeque<Seen<'m>>, seen: Seen<'m>) {
        log.push_back(seen);
        while log.len() > DEFAULT_WINDOW.saturating_sub(1) {
            log.pop_front();
        }
    }

    /// Sentence `i` was skipped before tagging.
    fn skipped_untagged(&mut self, i: usize) {
        match self {
            // (not reached: the running discourse is used without the filter)
            DocDiscourse::Running(d) => d.skip(),
            DocDiscourse::Lazy { log, .. } => Self::log(log, Seen::Untagged(i)),
        }
    }

    /// Sentence `i` (`words`, tagged `xpos`) was tagged but not coded.
    fn skipped_tagged(
        &mut self,
        coder: &Coder,
        words: &[&str],
        xpos: &[&'m str],
        date: Option<NaiveDate>,
        i: usize,
    ) {
        match self {
            DocDiscourse::Running(d) => {
                observe_tagged(coder, d, words, xpos, date, &mut ParsedSentence::default())
            }
            DocDiscourse::Lazy { log, .. } => Self::log(log, Seen::Tagged(i, xpos.to_vec())),
        }
    }

    /// The discourse to code sentence `i` (tagged `xpos`) with; the coder
    /// then observes the sentence itself ([`Coder::code_in_document`]).
    fn for_coding(
        &mut self,
        coder: &Coder,
        model: &'m Model,
        sents: &[dyad_text::Sentence],
        date: Option<NaiveDate>,
        i: usize,
        xpos: &[&'m str],
    ) -> &mut Discourse {
        match self {
            DocDiscourse::Running(d) => d,
            DocDiscourse::Lazy {
                log,
                current,
                scratch,
            } => {
                *current = Discourse::new();
                if sents.get(i).is_some_and(|s| names_a_pair(&s.tokens)) {
                    for seen in log.iter_mut() {
                        let k = match seen {
                            Seen::Untagged(k) | Seen::Tagged(k, _) => *k,
                        };
                        let Some(s) = sents.get(k) else { continue };
                        let words: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
                        if let Seen::Untagged(_) = seen {
                            let t = tag_repaired(model, &words);
                            *seen = Seen::Tagged(k, t.xpos().to_vec());
                        }
                        if let Seen::Tagged(_, x) = seen {
                            observe_tagged(coder, current, &words, x, date, scratch);
                        }
                    }
                }
                Self::log(log, Seen::Tagged(i, xpos.to_vec()));
                current
            }
        }
    }
}

/// Whether a sentence holds "two" or "both", the words with which
/// [`Coder::code_in_document`] reads the discourse (it compares the
/// upper-cased word).
fn names_a_pair(tokens: &[dyad_text::Token]) -> bool {
    tokens.iter().any(|t| {
        let w = t.text.as_str();
        (3..=16).contains(&w.len())
            && if w.is_ascii() {
                w.eq_ignore_ascii_case("TWO") || w.eq_ignore_ascii_case("BOTH")
            } else {
                let u = w.to_uppercase();
                u == "TWO" || u == "BOTH"
            }
    })
}

/// Records in `discourse` the countries a sentence names, from its words and
/// tags alone. [`Discourse::observe`] reads only the sentence's tokens (their
/// words, upper-case forms and tags: `Coder::country_mentions`), never its
/// tree or lemmas, so a tree-less sentence whose tokens are the ones
/// `from_vectors` would build (lemma left at the word's lower case) feeds it
/// exactly as the parsed one does. `tests/prefilter.rs` checks "the two
/// sides" resolved from sentences skipped before and after tagging.
/// `scratch` holds the tokens (its buffers are reused).
fn observe_tagged(
    coder: &Coder,
    discourse: &mut Discourse,
    words: &[&str],
    xpos: &[&str],
    date: Option<NaiveDate>,
    scratch: &mut ParsedSentence,
) {
    scratch.nodes.clear();
    scratch.leaf.clear();
    let n = words.len().min(xpos.len());
    scratch.tokens.truncate(n);
    scratch.tokens.resize_with(n, dyad_coder::Token::default);
    for ((t, w), tag) in scratch.tokens.iter_mut().zip(words).zip(xpos) {
        t.assign(w, "", tag);
    }
    discourse.observe(coder, scratch, date);
}

fn set_publication_date(ev: &mut Event, date: Option<NaiveDate>) {
    if let Some(d) = date {
        ev.date = Some(d.format("%Y-%m-%d").to_string());
        ev.date_precision = Some(dyad_core::event::DatePrecision::Day);
        ev.date_source = Some(dyad_core::event::DateSource::Publication);
    }
}

fn span_range_of((a, b): (u32, u32)) -> Range<usize> {
    a as usize..b as usize
}

fn span_range(a: &CodedActor) -> Range<usize> {
    span_range_of(a.span)
}

fn join(words: &[&str], r: Range<usize>) -> String {
    words.get(r).map(|w| w.join(" ")).unwrap_or_default()
}

fn cover(spans: &[Span], r: Range<usize>) -> Option<Span> {
    if r.start >= r.end {
        return None;
    }
    let first = spans.get(r.start)?;
    let last = spans.get(r.end - 1)?;
    Some(Span {
        start: first.start,
        end: last.end,
    })
}

impl Pipeline {
    /// Tokenises, tags and parses a short text as ONE sentence (as the
    /// PETRARCH records are), for coding records from their `<Text>` alone.
    /// `None` when the text has no tokens or no model is loaded.
    pub fn analyze_text(&self, text: &str) -> Option<ConlluSentence> {
        let model = self.model.as_ref()?;
        let sents = dyad_text::segment_text(text);
        let words: Vec<&str> = sents
            .iter()
            .flat_map(|s| s.tokens.iter().map(|t| t.text.as_str()))
            .collect();
        if words.is_empty() {
            return None;
        }
        let a = analyze_repaired(model, &words);
        let tokens = words
            .iter()
            .enumerate()
            .map(|(i, w)| ConlluToken {
                id: i + 1,
                form: (*w).to_string(),
                lemma: a.lemma[i].to_string(),
                upos: a.upos[i].to_string(),
                xpos: a.xpos[i].to_string(),
                head: a.head[i] as usize,
                deprel: a.deprel[i].to_string(),
            })
            .collect();
        Some(ConlluSentence {
            sent_id: None,
            text: Some(text.to_string()),
            tokens,
            line: 0,
        })
    }

    /// [`Pipeline::analyze_text`], as the coder's sentence representation.
    pub fn parse_text(&self, text: &str) -> Option<ParsedSentence> {
        ParsedSentence::from_conllu(&self.analyze_text(text)?).ok()
    }
}

/// The coder's pattern consumed the negation ("will not accept" coded as a
/// rejection, CAMEO 12x): the enricher's negation cue is the event itself,
/// so the event stays asserted and its confidence gets back the modality
/// factor that [`mark_negated`] took (0.1 → 1.0, or 0.6 future / 0.5
/// hypothetical).
fn unmark_pattern_negation(ev: &mut Event) {
    let Some(m) = ev.modality.as_mut() else {
        return;
    };
    if !m.negated {
        return;
    }
    m.negated = false;
    let factor = if m.hypothetical {
        0.5
    } else if m.future {
        0.6
    } else {
        1.0
    };
    if let Some(c) = ev.confidence.as_mut() {
        *c = ((*c / 0.1 * factor).min(1.0) * 1000.0).round() / 1000.0;
    }
}

/// Tags and parses one sentence. A temporal adverb between the subject and
/// its verb ("Iran today threatened …") often makes the parser lose the
/// subject; such adverbs are left out of a second parse and put back
/// attached to their verb (see [`dyad_coder::repair`]).
fn analyze_repaired<'m>(model: &'m Model, words: &[&str]) -> dyad_nlp::Analysis<'m> {
    tag_repaired(model, words).parse(model)
}

/// A sentence tagged as [`analyze_repaired`] tags it, not yet parsed: the
/// decision to drop temporal adverbs reads the first tagging only, and the
/// final tags and lemmas are those of the second tagging (of the kept
/// words), spliced, exactly as in the parsed result.
///
/// Its parse is always a forest that `ParsedSentence::from_vectors` accepts,
/// which is what lets the pipeline skip a sentence before parsing it without
/// losing a warning: the arc-hybrid parser attaches each word at most once,
/// to a word still on its stack or buffer, and leaves the rest at the root,
/// so its heads are in range and acyclic; `splice_heads` maps that forest
/// onto the kept words and hangs each dropped adverb (a leaf) off a kept
/// word; `from_vectors`' own repair (`hidden_conjuncts`) only moves a word up
/// to an ancestor of its head, which keeps a forest. (`tests/prefilter.rs`
/// checks every parse of its corpora with [`heads_are_a_tree`].)
struct TaggedSentence<'m> {
    /// The tagging that will be parsed: of all words, or of the kept ones.
    tagged: dyad_nlp::Tagged<'m>,
    /// Positions of the dropped temporal adverbs (usually none).
    drops: Vec<usize>,
    /// With drops: the final per-word tags and lemmas (spliced).
    spliced: Option<(Vec<&'m str>, Lemmas)>,
}

fn tag_repaired<'m>(model: &'m Model, words: &[&str]) -> TaggedSentence<'m> {
    use dyad_coder::repair::{kept_positions, splice, temporal_drops};
    // XPOS and lemmas only: a sentence the pre-filter drops after tagging
    // never needs UPOS or supertags (`parse_tagged` adds them, identically)
    let a = model.tag_xpos(words);
    let drops = temporal_drops(words, &a.xpos);
    if drops.is_empty() {
        return TaggedSentence {
            tagged: a,
            drops,
            spliced: None,
        };
    }
    let n = words.len();
    let kept: Vec<&str> = kept_positions(n, &drops)
        .into_iter()
        .map(|i| words[i])
        .collect();
    let b = model.tag_xpos(&kept);
    // the kept words' lemmas, and a dropped word's lower case
    let lemma: Lemmas = {
        let mut kept_lemmas = b.lemma.iter();
        (0..n)
            .map(|i| {
                if drops.contains(&i) {
                    words[i].to_lowercase()
                } else {
                    kept_lemmas.next().unwrap_or_default().to_string()
                }
            })
            .collect()
    };
    let xpos = splice(n, &drops, &b.xpos, "NN");
    TaggedSentence {
        tagged: b,
        drops,
        spliced: Some((xpos, lemma)),
    }
}

impl<'m> TaggedSentence<'m> {
    /// Final XPOS per word.
    fn xpos(&self) -> &[&'m str] {
        match &self.spliced {
            Some((x, _)) => x,
            None => &self.tagged.xpos,
        }
    }

    /// Final lemma per word.
    fn lemma(&self) -> &Lemmas {
        match &self.spliced {
            Some((_, l)) => l,
            None => &self.tagged.lemma,
        }
    }

    /// Parses, and splices the dropped adverbs back in.
    fn parse(self, model: &'m Model) -> dyad_nlp::Analysis<'m> {
        use dyad_coder::repair::{splice, splice_heads};
        let b = model.parse_tagged(self.tagged);
        let Some((xpos, lemma)) = self.spliced else {
            return b;
        };
        let (n, drops) = (xpos.len(), &self.drops);
        dyad_nlp::Analysis {
            xpos,
            upos: splice(n, drops, &b.upos, "NOUN"),
            lemma,
            head: splice_heads(n, drops, &b.head, &b.deprel),
            deprel: splice(n, drops, &b.deprel, "obl:unmarked"),
        }
    }
}

/// The CoNLL-U of a raw document, as `dyad parse` writes it: its sentences
/// split, tokenized, tagged and parsed (`# sent_id = DOC-N`, `# text = …`;
/// FEATS, DEPS and MISC `_`).
pub fn document_conllu(model: &Model, doc: &Document) -> String {
    use std::fmt::Write as _;
    let mut buf = String::new();
    for (i, s) in dyad_text::segment(doc).iter().enumerate() {
        if s.tokens.is_empty() {
            continue;
        }
        let words: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
        let an = model.analyze(&words);
        let _ = writeln!(buf, "# sent_id = {}-{}\n# text = {}", doc.id, i + 1, s.text);
        for (k, w) in words.iter().enumerate() {
            let _ = writeln!(
                buf,
                "{}\t{}\t{}\t{}\t{}\t_\t{}\t{}\t_\t_",
                k + 1,
                w,
                &an.lemma[k],
                an.upos[k],
                an.xpos[k],
                an.head[k],
                an.deprel[k]
            );
        }
        buf.push('\n');
    }
    buf
}

#[cfg(test)]
mod tests {
    use super::names_a_pair;

    /// The ASCII shortcut of `names_a_pair` answers as comparing the
    /// upper-cased word does (the coder's test).
    #[test]
    fn pair_words_match_the_upper_case_comparison() {
        let words = [
            "two",
            "Two",
            "TWO",
            "tWo",
            "both",
            "BOTH",
            "bOtH",
            "twos",
            "tw",
            "to",
            "bot",
            "boths",
            "ΤWO",
            "twо",
            "ＴＷＯ",
            "ßoth",
            "",
        ];
        for w in words {
            let tok = dyad_text::Token {
                text: w.to_string(),
                start: 0,
                end: w.len(),
            };
            let u = w.to_uppercase();
            let expected = (3..=16).contains(&w.len()) && (u == "TWO" || u == "BOTH");
            assert_eq!(names_a_pair(&[tok]), expected, "{w}");
        }
    }
}
