//! CoNLL-U reading and writing.
//!
//! The reader is strict about the token lines it keeps and lenient about the
//! file as a whole: a malformed line yields a [`ConlluError`] naming the file
//! and line, the sentence containing it is skipped, and reading goes on.
//! Multiword token lines (`1-2`) and empty nodes (`1.1`) are kept verbatim
//! so that a sentence can be written back unchanged.

use crate::error::{ConlluError, NlpError};
use std::fmt::Write as _;
use std::path::Path;

/// One syntactic word (a line with an integer ID).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Word {
    /// FORM.
    pub form: String,
    /// LEMMA.
    pub lemma: String,
    /// UPOS.
    pub upos: String,
    /// XPOS.
    pub xpos: String,
    /// FEATS.
    pub feats: String,
    /// HEAD (0 = root); `None` when the column is `_`.
    pub head: Option<u32>,
    /// DEPREL.
    pub deprel: String,
    /// DEPS.
    pub deps: String,
    /// MISC.
    pub misc: String,
}

/// One sentence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence {
    /// Comment lines, without the trailing newline (they keep their `#`).
    pub comments: Vec<String>,
    /// The syntactic words, in order (word `i` has CoNLL-U ID `i + 1`).
    pub words: Vec<Word>,
    /// Multiword-token and empty-node lines, verbatim, each with the index
    /// of the word it precedes (`words.len()` = after the last word).
    pub extra: Vec<(usize, String)>,
    /// 1-based line number where the sentence starts.
    pub line: usize,
}

impl Sentence {
    /// The word forms.
    pub fn forms(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.form.as_str()).collect()
    }
}

/// Result of reading a CoNLL-U text: good sentences and the errors of the skipped ones.
#[derive(Debug, Clone, Default)]
pub struct Corpus {
    /// Well-formed sentences.
    pub sentences: Vec<Sentence>,
    /// One error per skipped sentence.
    pub errors: Vec<ConlluError>,
}

/// Read a CoNLL-U file.
pub fn read_file(path: impl AsRef<Path>) -> Result<Corpus, NlpError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| NlpError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(read_bytes(&bytes, &path.display().to_string()))
}

/// Read CoNLL-U from bytes; `name` labels errors.
pub fn read_bytes(bytes: &[u8], name: &str) -> Corpus {
    let mut corpus = Corpus::default();
    let mut cur = Sentence::default();
    let mut bad: Option<ConlluError> = None;
    let mut started = false;
    let mut lineno = 0usize;
    let mut rest = bytes;
    loop {
        if rest.is_empty() {
            break;
        }
        let (raw, next) = match rest.iter().position(|&b| b == b'\n') {
            Some(p) => (&rest[..p], &rest[p + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        lineno += 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let line = match std::str::from_utf8(raw) {
            Ok(l) => l,
            Err(e) => {
                if !started {
                    started = true;
                    cur.line = lineno;
                }
                if bad.is_none() {
                    bad = Some(err(
                        name,
                        lineno,
                        format!("invalid UTF-8 at column {}", e.valid_up_to() + 1),
                    ));
                }
                continue;
            }
        };
        if line.trim().is_empty() {
            if started {
                finish(&mut corpus, &mut cur, &mut bad, name);
            }
            started = false;
            continue;
        }
        if !started {
            started = true;
            cur.line = lineno;
        }
        if bad.is_some() {
            continue;
        }
        if line.starts_with('#') {
            cur.comments.push(line.to_string());
            continue;
        }
        if let Err(cause) = token_line(line, &mut cur) {
            bad = Some(err(name, lineno, cause));
        }
    }
    if started {
        finish(&mut corpus, &mut cur, &mut bad, name);
    }
    corpus
}

fn err(name: &str, line: usize, cause: String) -> ConlluError {
    ConlluError {
        file: name.to_string(),
        line,
        cause,
    }
}

fn finish(corpus: &mut Corpus, cur: &mut Sentence, bad: &mut Option<ConlluError>, name: &str) {
    let s = std::mem::take(cur);
    if let Some(e) = bad.take() {
        corpus.errors.push(e);
        return;
    }
    if s.words.is_empty() {
        corpus
            .errors
            .push(err(name, s.line, "sentence has no word lines".to_string()));
        return;
    }
    let n = s.words.len() as u32;
    for (i, w) in s.words.iter().enumerate() {
        if let Some(h) = w.head {
            if h > n {
                corpus.errors.push(err(
                    name,
                    s.line,
                    format!(
                        "word {} has HEAD {} beyond the sentence length {}",
                        i + 1,
                        h,
                        n
                    ),
                ));
                return;
            }
        }
    }
    corpus.sentences.push(s);
}

fn token_line(line: &str, cur: &mut Sentence) -> Result<(), String> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != 10 {
        return Err(format!(
            "expected 10 tab-separated columns, found {}",
            cols.len()
        ));
    }
    let id = cols[0];
    if let Some((a, b)) = id.split_once('-') {
        let a: usize = a
            .parse()
            .map_err(|_| format!("bad multiword token ID {id:?}"))?;
        let b: usize = b
            .parse()
            .map_err(|_| format!("bad multiword token ID {id:?}"))?;
        if a != cur.words.len() + 1 || b < a {
            return Err(format!("multiword token range {id:?} out of order"));
        }
        cur.extra.push((cur.words.len(), line.to_string()));
        return Ok(());
    }
    if let Some((a, b)) = id.split_once('.') {
        let a: usize = a.parse().map_err(|_| format!("bad empty node ID {id:?}"))?;
        let _: usize = b.parse().map_err(|_| format!("bad empty node ID {id:?}"))?;
        if a != cur.words.len() {
            return Err(format!("empty node {id:?} out of order"));
        }
        cur.extra.push((cur.words.len(), line.to_string()));
        return Ok(());
    }
    let n: usize = id.parse().map_err(|_| format!("bad word ID {id:?}"))?;
    if n != cur.words.len() + 1 {
        return Err(format!(
            "word ID {} where {} was expected",
            n,
            cur.words.len() + 1
        ));
    }
    if cols[1].is_empty() {
        return Err("empty FORM column".to_string());
    }
    let head = match cols[6] {
        "_" => None,
        h => Some(h.parse::<u32>().map_err(|_| format!("bad HEAD {h:?}"))?),
    };
    if head == Some(n as u32) {
        return Err(format!("word {n} is its own head"));
    }
    cur.words.push(Word {
        form: cols[1].to_string(),
        lemma: cols[2].to_string(),
        upos: cols[3].to_string(),
        xpos: cols[4].to_string(),
        feats: cols[5].to_string(),
        head,
        deprel: cols[7].to_string(),
        deps: cols[8].to_string(),
        misc: cols[9].to_string(),
    });
    Ok(())
}

/// Append one sentence in CoNLL-U form (ending with a blank line) to `out`.
pub fn write_sentence(s: &Sentence, out: &mut String) {
    for c in &s.comments {
        out.push_str(c);
        out.push('\n');
    }
    let mut extra = s.extra.iter().peekable();
    for (i, w) in s.words.iter().enumerate() {
        while let Some((_, line)) = extra.next_if(|(p, _)| *p <= i) {
            out.push_str(line);
            out.push('\n');
        }
        let _ = write!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t",
            i + 1,
            w.form,
            w.lemma,
            w.upos,
            w.xpos,
            w.feats
        );
        match w.head {
            Some(h) => {
                let _ = write!(out, "{h}");
            }
            None => out.push('_'),
        }
        let _ = writeln!(out, "\t{}\t{}\t{}", w.deprel, w.deps, w.misc);
    }
    for (_, line) in extra {
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
}

/// Write sentences as CoNLL-U text.
pub fn write_string(sents: &[Sentence]) -> String {
    let mut out = String::new();
    for s in sents {
        write_sentence(s, &mut out);
    }
    out
}
