//! CoNLL-U: one token per line, ten tab-separated columns, sentences separated by blank lines.
//! Multi-word token ranges (`1-2`) and empty nodes (`1.1`) are skipped.

use crate::{InputError, ReadError};

/// One syntactic word of a CoNLL-U sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConlluToken {
    /// 1-based word index.
    pub id: usize,
    /// Word form.
    pub form: String,
    /// Lemma (`_` when absent).
    pub lemma: String,
    /// Universal POS tag.
    pub upos: String,
    /// Language-specific tag (PTB tag for English).
    pub xpos: String,
    /// Head word index (0 = root).
    pub head: usize,
    /// Dependency relation (e.g. `nsubj`, `obl:tmod`).
    pub deprel: String,
}

/// One CoNLL-U sentence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConlluSentence {
    /// `# sent_id = …` if given.
    pub sent_id: Option<String>,
    /// `# text = …` if given.
    pub text: Option<String>,
    /// The words.
    pub tokens: Vec<ConlluToken>,
    /// Line of the first token/comment line (1-based).
    pub line: usize,
}

fn parse_token_line(
    line: &str,
    file: &str,
    lineno: usize,
) -> Result<Option<ConlluToken>, InputError> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != 10 {
        return Err(InputError::new(
            file,
            lineno,
            format!(
                "CoNLL-U line has {} tab-separated columns, expected 10",
                cols.len()
            ),
        ));
    }
    if cols[0].contains('-') || cols[0].contains('.') {
        return Ok(None);
    }
    let id: usize = cols[0].parse().map_err(|_| {
        InputError::new(
            file,
            lineno,
            format!("CoNLL-U ID '{}' is not a number", cols[0]),
        )
    })?;
    let head: usize = if cols[6] == "_" {
        0
    } else {
        cols[6].parse().map_err(|_| {
            InputError::new(
                file,
                lineno,
                format!("CoNLL-U HEAD '{}' is not a number", cols[6]),
            )
        })?
    };
    Ok(Some(ConlluToken {
        id,
        form: cols[1].to_string(),
        lemma: cols[2].to_string(),
        upos: cols[3].to_string(),
        xpos: cols[4].to_string(),
        head,
        deprel: cols[7].to_string(),
    }))
}

fn finish(sent: &mut ConlluSentence, file: &str) -> Result<(), InputError> {
    let n = sent.tokens.len();
    for (i, t) in sent.tokens.iter().enumerate() {
        if t.id != i + 1 {
            return Err(InputError::new(
                file,
                sent.line,
                format!(
                    "CoNLL-U word ids are not consecutive: expected {} but found {}",
                    i + 1,
                    t.id
                ),
            ));
        }
        if t.head > n {
            return Err(InputError::new(
                file,
                sent.line + i,
                format!(
                    "CoNLL-U HEAD {} of word {} points past the sentence ({} words)",
                    t.head, t.id, n
                ),
            ));
        }
    }
    Ok(())
}

/// Parses a CoNLL-U block that holds exactly one sentence (as inside a PETRARCH XML `<Parse>`).
pub fn parse_conllu_sentence(
    s: &str,
    file: &str,
    first_line: usize,
) -> Result<ConlluSentence, InputError> {
    let (mut sents, errs) = read_conllu_str(s, file, first_line);
    if let Some(e) = errs.into_iter().next() {
        return Err(e);
    }
    match sents.len() {
        0 => Err(InputError::new(file, first_line, "empty CoNLL-U parse")),
        1 => Ok(sents.remove(0)),
        n => Err(InputError::new(
            file,
            first_line,
            format!("expected one CoNLL-U sentence, found {n}"),
        )),
    }
}

/// Reads all sentences of a CoNLL-U text. Bad sentences are reported (file, line, cause) and
/// skipped; the rest are returned.
pub fn read_conllu_str(
    s: &str,
    file: &str,
    first_line: usize,
) -> (Vec<ConlluSentence>, Vec<InputError>) {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut cur = ConlluSentence::default();
    let mut bad: Option<InputError> = None;
    let mut started = false;
    let flush = |cur: &mut ConlluSentence,
                 bad: &mut Option<InputError>,
                 started: &mut bool,
                 out: &mut Vec<ConlluSentence>,
                 errors: &mut Vec<InputError>| {
        if *started {
            let mut sent = std::mem::take(cur);
            if let Some(e) = bad.take() {
                errors.push(e);
            } else if let Err(e) = finish(&mut sent, file) {
                errors.push(e);
            } else if !sent.tokens.is_empty() {
                out.push(sent);
            }
        }
        *started = false;
    };
    for (i, raw) in s.lines().enumerate() {
        let lineno = first_line + i;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() {
            flush(&mut cur, &mut bad, &mut started, &mut out, &mut errors);
            continue;
        }
        if !started {
            started = true;
            cur.line = lineno;
        }
        if let Some(c) = line.strip_prefix('#') {
            let c = c.trim();
            if let Some(v) = c.strip_prefix("sent_id =") {
                cur.sent_id = Some(v.trim().to_string());
            } else if let Some(v) = c.strip_prefix("text =") {
                cur.text = Some(v.trim().to_string());
            }
            continue;
        }
        if bad.is_some() {
            continue;
        }
        match parse_token_line(line.trim_start(), file, lineno) {
            Ok(Some(t)) => cur.tokens.push(t),
            Ok(None) => {}
            Err(e) => bad = Some(e),
        }
    }
    flush(&mut cur, &mut bad, &mut started, &mut out, &mut errors);
    (out, errors)
}

/// Reads a `.conllu` file: the good sentences plus one error per bad sentence.
pub fn read_conllu_file(
    path: &std::path::Path,
) -> Result<(Vec<ConlluSentence>, Vec<InputError>), ReadError> {
    let text = std::fs::read_to_string(path).map_err(|e| ReadError::Io {
        file: path.display().to_string(),
        source: e,
    })?;
    Ok(read_conllu_str(&text, &path.display().to_string(), 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str =
        "# text = A b\n1\tA\ta\tDET\tDT\t_\t2\tdet\t_\t_\n2\tb\tb\tNOUN\tNN\t_\t0\troot\t_\t_\n";

    #[test]
    fn reads_sentence() {
        let (s, e) = read_conllu_str(GOOD, "x.conllu", 1);
        assert!(e.is_empty());
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].tokens[1].head, 0);
        assert_eq!(s[0].text.as_deref(), Some("A b"));
    }

    #[test]
    fn bad_line_is_reported_and_skipped() {
        let text = format!("{GOOD}\n1\tX\tx\tNOUN\tNN\t_\tzz\troot\t_\t_\n\n{GOOD}");
        let (s, e) = read_conllu_str(&text, "x.conllu", 1);
        assert_eq!(s.len(), 2);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 5);
        assert!(e[0].cause.contains("HEAD"), "{}", e[0]);
    }
}
