//! The pipeline: text → sentences/tokens → tag+parse → events → enrichment.
//!
//! [`Pipeline::code_document`] runs every stage on one raw document;
//! [`Pipeline::code_parsed`] starts from a sentence somebody else parsed
//! (PETRARCH XML, CoNLL-U). Both return [`dyad_core::Event`]s in the fixed
//! JSON Lines schema.

use std::ops::Range;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use dyad_coder::{CodedActor, CodedEvent, Coder, CoderOptions, Coding, Discourse, ParsedSentence};
use dyad_core::event::{Actor, EventCode, Evidence, Span};
use dyad_core::{Codebook, Event};
use dyad_enrich::{
    assign_id, is_asserted, mark_negated, CharOffsets, DatelineInfo, DocContext, Enricher,
    EventSlots, SentenceAnalysis, SentenceContext,
};
use dyad_input::{ConlluSentence, ConlluToken};
use dyad_nlp::Model;
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
}

impl Default for PipelineOptions {
    fn default() -> Self {
        PipelineOptions {
            keep_negated: false,
            default_date: None,
            skip_eventless: true,
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
    /// Skipped once tagged and parsed: no coder tree, no coding.
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
        // the countries named so far, for "the two sides" (dyad_coder::discourse)
        let mut discourse = Discourse::new();
        let filter = self.options.skip_eventless.then(|| self.filter());
        let char_of = |b: usize| offsets.char_offset(b).unwrap_or(0);
        for (i, mut s) in dyad_text::segment(doc).into_iter().enumerate() {
            let sid = (i + 1).to_string();
            let k = out.sentences.len();
            out.sentences.push(SentenceRecord {
                id: sid.clone(),
                start: char_of(s.start),
                end: char_of(s.end),
                text: std::mem::take(&mut s.text),
                is_heading: s.is_heading,
            });
            if s.is_heading || s.tokens.is_empty() {
                continue;
            }
            let words: Vec<&str> = s.tokens.iter().map(|t| t.text.as_str()).collect();
            if filter.is_some_and(|f| !f.may_yield_events(&self.coder, &words)) {
                // No event can come of it; keep only the document-level
                // bookkeeping, which reads tokens alone. No word can start an
                // actor phrase, so it names no country for the discourse.
                if let Some(en) = &self.enricher {
                    en.observe(&mut dctx, &words, &mut analysis);
                }
                discourse.skip();
                continue;
            }
            let a = analyze_repaired(model, &words);
            if filter.is_some_and(|f| {
                heads_are_a_tree(&a.head)
                    && !f.tagged_may_yield_events(&self.coder, &words, &a.xpos, &a.lemma)
            }) {
                // Tagged, and the coder would drop it at once: no coding.
                // It may still name countries for a later "the two sides".
                if let Some(en) = &self.enricher {
                    en.observe(&mut dctx, &words, &mut analysis);
                }
                observe_uncoded(&self.coder, &mut discourse, &words, &a, publication);
                continue;
            }
            let heads: Vec<usize> = a.head.iter().map(|&h| h as usize).collect();
            let lemmas: Vec<&str> = a.lemma.iter().map(String::as_str).collect();
            let parsed =
                match ParsedSentence::from_vectors(&words, &a.xpos, &lemmas, &heads, &a.deprel) {
                    Ok(p) => p,
                    Err(e) => {
                        out.warnings.push(format!("{} sentence {sid}: {e}", doc.id));
                        continue;
                    }
                };
            let coding = self.coder.code_in_document(
                &parsed,
                publication,
                self.coder.options(),
                &mut discourse,
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
        out
    }

    /// What the pre-filter does to a document: its coded sentences (not
    /// headings, not empty), how many are skipped before tagging, and how
    /// many more after tagging (no tree, no coding). Tags the sentences that
    /// pass the first test; for reports and benchmarks.
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
            let a = model.analyze(&words);
            if heads_are_a_tree(&a.head)
                && !self
                    .filter()
                    .tagged_may_yield_events(&self.coder, &words, &a.xpos, &a.lemma)
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

/// Records in `discourse` the countries a sentence names that the coder will
/// not see (the pre-filter dropped it after tagging), as coding it would have.
fn observe_uncoded(
    coder: &Coder,
    discourse: &mut Discourse,
    words: &[&str],
    a: &dyad_nlp::Analysis<'_>,
    date: Option<NaiveDate>,
) {
    let heads: Vec<usize> = a.head.iter().map(|&h| h as usize).collect();
    let lemmas: Vec<&str> = a.lemma.iter().map(String::as_str).collect();
    // a sentence the coder could not read is not observed on the coding path either
    if let Ok(p) = ParsedSentence::from_vectors(words, &a.xpos, &lemmas, &heads, &a.deprel) {
        discourse.observe(coder, &p, date);
    }
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
                lemma: a.lemma[i].clone(),
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
    use dyad_coder::repair::{kept_positions, splice, splice_heads, temporal_drops};
    let a = model.analyze(words);
    let drops = temporal_drops(words, &a.xpos);
    if drops.is_empty() {
        return a;
    }
    let n = words.len();
    let kept: Vec<&str> = kept_positions(n, &drops)
        .into_iter()
        .map(|i| words[i])
        .collect();
    let b = model.analyze(&kept);
    let lemmas: Vec<String> = drops.iter().map(|&d| words[d].to_lowercase()).collect();
    let mut lemma = splice(n, &drops, &b.lemma, String::new());
    for (&d, l) in drops.iter().zip(lemmas) {
        lemma[d] = l;
    }
    dyad_nlp::Analysis {
        xpos: splice(n, &drops, &b.xpos, "NN"),
        upos: splice(n, &drops, &b.upos, "NOUN"),
        lemma,
        head: splice_heads(n, &drops, &b.head, &b.deprel),
        deprel: splice(n, &drops, &b.deprel, "obl:unmarked"),
    }
}
