//! HTML pages: main text, title and publication date.
//!
//! Built on html5ever's spec-compliant *tokenizer* only, not its tree
//! builder: the tree builder's scope checks walk the stack of open elements
//! for every start tag, which is quadratic on deeply nested pages. Our own
//! bookkeeping is a handful of counters, so any nesting depth costs O(1)
//! per tag and no recursion happens anywhere (100,000 nested `<div>`s are
//! read in linear time).
//!
//! Text is kept from block elements of the body, minus `script`, `style`,
//! `nav`, `header`, `footer`, `aside`, `form`, `noscript`, `template`,
//! `svg`, `iframe`, `button`, `select`, `figure`. If the page has an
//! `<article>` or `<main>` element only its text is used. If paragraphs
//! (`<p>`) hold at least 200 characters, only paragraphs and `h1`–`h6`
//! headings are kept. Blocks are separated by blank lines; headings become
//! heading sentences.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
};
use html5ever::TokenizerResult;

use crate::document::{normalise_date, Document};

#[derive(Default)]
struct Block {
    text: String,
    in_p: bool,
    in_main: bool,
    heading: bool,
}

#[derive(Default)]
struct State {
    excluded: usize,
    head: bool,
    title_depth: bool,
    title: String,
    og_title: Option<String>,
    url: Option<String>,
    site: Option<String>,
    /// (priority, value); lower priority wins.
    date: Option<(u8, String)>,
    time_datetime: Option<String>,
    in_ld_json: bool,
    /// Inside a raw-text element whose text is never article text
    /// (script, style, iframe, textarea, ...).
    in_raw: bool,
    ld_json: String,
    p_depth: usize,
    h_depth: usize,
    main_depth: usize,
    blocks: Vec<Block>,
    cur: Block,
}

const EXCLUDED: &[&str] = &[
    "aside", "button", "figure", "footer", "form", "header", "iframe", "nav", "noscript", "select",
    "svg", "template",
];

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "blockquote",
    "br",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

impl State {
    fn flush(&mut self) {
        let t = self.cur.text.trim();
        if !t.is_empty() {
            let text = t.to_string();
            self.blocks.push(Block {
                text,
                in_p: self.cur.in_p,
                in_main: self.cur.in_main,
                heading: self.cur.heading,
            });
        }
        self.cur = Block::default();
    }

    fn set_date(&mut self, prio: u8, v: &str) {
        let v = v.trim();
        if v.is_empty() {
            return;
        }
        if self.date.as_ref().is_none_or(|(p, _)| prio < *p) {
            self.date = Some((prio, v.to_string()));
        }
    }

    fn meta(&mut self, tag: &Tag) {
        let mut key = String::new();
        let mut content = None;
        for a in &tag.attrs {
            let n: &str = &a.name.local;
            match n {
                "property" | "name" | "itemprop" | "http-equiv" if key.is_empty() => {
                    key = a.value.to_ascii_lowercase();
                }
                "content" => content = Some(a.value.to_string()),
                _ => {}
            }
        }
        let Some(c) = content else { return };
        match key.as_str() {
            "article:published_time" => self.set_date(0, &c),
            "og:published_time" => self.set_date(1, &c),
            "datepublished" => self.set_date(3, &c),
            "dc.date.issued" | "dcterms.issued" => self.set_date(4, &c),
            "dc.date" | "dcterms.date" | "dcterms.created" => self.set_date(5, &c),
            "date" | "publish-date" | "publish_date" | "publishdate" | "sailthru.date"
            | "parsely-pub-date" => self.set_date(6, &c),
            "pubdate" => self.set_date(7, &c),
            "og:title" => self.og_title = Some(c),
            "og:url" => self.url = Some(c),
            "og:site_name" => self.site = Some(c),
            _ => {}
        }
    }

    fn start(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        match name {
            "script" => {
                let ld = tag.attrs.iter().any(|a| {
                    &*a.name.local == "type"
                        && a.value.trim().eq_ignore_ascii_case("application/ld+json")
                });
                if !tag.self_closing {
                    self.in_raw = true;
                    self.in_ld_json = ld;
                    self.ld_json.clear();
                    return TokenSinkResult::RawData(RawKind::ScriptData);
                }
                return TokenSinkResult::Continue;
            }
            "style" | "xmp" | "noembed" | "noframes" => {
                if tag.self_closing {
                    return TokenSinkResult::Continue;
                }
                self.in_raw = true;
                return TokenSinkResult::RawData(RawKind::Rawtext);
            }
            "iframe" => {
                if !tag.self_closing {
                    self.in_raw = true;
                    return TokenSinkResult::RawData(RawKind::Rawtext);
                }
                return TokenSinkResult::Continue;
            }
            "textarea" => {
                if tag.self_closing {
                    return TokenSinkResult::Continue;
                }
                self.in_raw = true;
                return TokenSinkResult::RawData(RawKind::Rcdata);
            }
            "plaintext" => return TokenSinkResult::Plaintext,
            "title" => {
                if !tag.self_closing {
                    self.title_depth = true;
                    return TokenSinkResult::RawData(RawKind::Rcdata);
                }
                return TokenSinkResult::Continue;
            }
            "meta" => {
                self.meta(tag);
                return TokenSinkResult::Continue;
            }
            "link" => {
                let canonical = tag
                    .attrs
                    .iter()
                    .any(|a| &*a.name.local == "rel" && a.value.eq_ignore_ascii_case("canonical"));
                if canonical && self.url.is_none() {
                    if let Some(h) = tag.attrs.iter().find(|a| &*a.name.local == "href") {
                        self.url = Some(h.value.to_string());
                    }
                }
                return TokenSinkResult::Continue;
            }
            "time" => {
                let pubdate = tag.attrs.iter().any(|a| &*a.name.local == "pubdate");
                if let Some(dt) = tag.attrs.iter().find(|a| &*a.name.local == "datetime") {
                    if pubdate {
                        self.set_date(2, &dt.value.clone());
                    } else if self.time_datetime.is_none() {
                        self.time_datetime = Some(dt.value.to_string());
                    }
                }
            }
            "head" => self.head = true,
            "body" => self.head = false,
            _ => {}
        }
        if let Some(ip) = tag.attrs.iter().find(|a| &*a.name.local == "itemprop") {
            if ip.value.eq_ignore_ascii_case("datePublished") {
                if let Some(v) = tag
                    .attrs
                    .iter()
                    .find(|a| matches!(&*a.name.local, "content" | "datetime"))
                {
                    self.set_date(3, &v.value.clone());
                }
            }
        }
        if tag.self_closing && name != "br" {
            return TokenSinkResult::Continue;
        }
        if EXCLUDED.binary_search(&name).is_ok() {
            self.excluded += 1;
            return TokenSinkResult::Continue;
        }
        if BLOCKS.binary_search(&name).is_ok() {
            if name == "br" {
                if !self.cur.text.is_empty() {
                    self.cur.text.push('\n');
                }
                return TokenSinkResult::Continue;
            }
            self.flush();
            match name {
                "p" => self.p_depth = 1, // paragraphs do not nest
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.h_depth = 1,
                "article" | "main" => self.main_depth += 1,
                "div" | "ul" | "ol" | "table" | "section" | "blockquote" | "pre" | "dl" => {
                    self.p_depth = 0
                }
                _ => {}
            }
        }
        TokenSinkResult::Continue
    }

    fn end(&mut self, tag: &Tag) {
        let name: &str = &tag.name;
        match name {
            "title" => {
                self.title_depth = false;
                return;
            }
            "style" | "xmp" | "noembed" | "noframes" | "iframe" | "textarea" => {
                self.in_raw = false;
                return;
            }
            "script" => {
                self.in_raw = false;
                if self.in_ld_json {
                    self.in_ld_json = false;
                    let json = std::mem::take(&mut self.ld_json);
                    if let Some(d) = ld_json_date(&json) {
                        self.set_date(2, &d);
                    }
                }
                return;
            }
            "head" => {
                self.head = false;
                return;
            }
            _ => {}
        }
        if EXCLUDED.binary_search(&name).is_ok() {
            self.excluded = self.excluded.saturating_sub(1);
            return;
        }
        if BLOCKS.binary_search(&name).is_ok() {
            self.flush();
            match name {
                "p" => self.p_depth = 0,
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.h_depth = 0,
                "article" | "main" => self.main_depth = self.main_depth.saturating_sub(1),
                _ => {}
            }
        }
    }

    fn chars(&mut self, t: &StrTendril) {
        if self.in_ld_json {
            if self.ld_json.len() < 1 << 20 {
                self.ld_json.push_str(t);
            }
            return;
        }
        if self.in_raw {
            return;
        }
        if self.title_depth {
            self.title.push_str(t);
            return;
        }
        if self.head || self.excluded > 0 {
            return;
        }
        if self.cur.text.is_empty() {
            self.cur.in_p = self.p_depth > 0;
            self.cur.in_main = self.main_depth > 0;
            self.cur.heading = self.h_depth > 0;
        }
        // Collapse whitespace; source line breaks are not text line breaks.
        for c in t.chars() {
            if c.is_whitespace() {
                if !self.cur.text.is_empty() && !self.cur.text.ends_with([' ', '\n']) {
                    self.cur.text.push(' ');
                }
            } else {
                self.cur.text.push(c);
            }
        }
    }
}

/// First `datePublished` anywhere in a JSON-LD value (depth-limited by
/// serde_json's recursion limit).
fn ld_json_date(json: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(json.trim()).ok()?;
    // Iterative search: no recursion on our side.
    let mut stack = vec![&v];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(s)) = m.get("datePublished") {
                    return Some(s.clone());
                }
                stack.extend(m.values());
            }
            serde_json::Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    None
}

struct Sink(RefCell<State>);

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut st = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return st.start(&tag),
                TagKind::EndTag => st.end(&tag),
            },
            Token::CharacterTokens(t) => st.chars(&t),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Most attributes a start tag may keep (see [`defuse`]).
const MAX_ATTRS: usize = 256;

/// html5ever's tokenizer checks each new attribute against all earlier ones
/// of the same tag, which is quadratic: one tag with 200,000 attributes
/// takes minutes. This linear pre-pass replaces any start tag with more
/// than [`MAX_ATTRS`] attributes by its bare name (`<div>`), and an
/// unterminated start tag at the end of the input the same way. Comments
/// and raw-text elements (script, style, ...) are skipped so that `a<b` in
/// a script is not mistaken for a tag. Returns `None` when nothing changed.
fn defuse(html: &str) -> Option<String> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0usize; // bytes of `html` already copied to `out`
    let mut i = 0usize;
    while let Some(k) = b[i..].iter().position(|&c| c == b'<') {
        let lt = i + k;
        i = lt + 1;
        if b[i..].starts_with(b"!--") {
            i = match find(b, i + 3, b"-->") {
                Some(e) => e + 3,
                None => b.len(),
            };
            continue;
        }
        if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        let name_end = i + b[i..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .unwrap_or(b.len() - i);
        let name = &html[i..name_end];
        // Scan the tag, counting attributes (whitespace runs outside quotes).
        let mut j = name_end;
        let mut quote: Option<u8> = None;
        let mut attrs = 0usize;
        let mut prev_space = false;
        let mut after_eq = false;
        let mut end = None;
        while j < b.len() {
            let c = b[j];
            match quote {
                Some(q) => {
                    if c == q {
                        quote = None;
                    }
                }
                None => {
                    if c == b'>' {
                        end = Some(j + 1);
                        break;
                    }
                    if (c == b'"' || c == b'\'') && after_eq {
                        quote = Some(c);
                    }
                    let space = c.is_ascii_whitespace();
                    if space && !prev_space {
                        attrs += 1;
                    }
                    prev_space = space;
                    if c == b'=' {
                        after_eq = true;
                    } else if !space {
                        after_eq = false;
                    }
                }
            }
            j += 1;
        }
        let tag_end = end.unwrap_or(b.len());
        if attrs > MAX_ATTRS || end.is_none() {
            let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
            o.push_str(&html[copied..lt]);
            o.push('<');
            o.push_str(name);
            o.push('>');
            copied = tag_end;
        }
        i = tag_end;
        // Raw-text elements: jump to their end tag.
        let lower = name.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes"
        ) {
            let close = format!("</{lower}");
            i = find_ci(b, i, close.as_bytes()).unwrap_or(b.len());
        }
        if i >= b.len() {
            break;
        }
    }
    let mut o = out?;
    o.push_str(&html[copied.min(html.len())..]);
    Some(o)
}

fn find(h: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    h.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|k| from + k)
}

fn find_ci(h: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    h.get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|k| from + k)
}

/// Extracts the main text, title, URL, site name and publication date of an
/// HTML page into a [`Document`] with id `id`.
pub fn extract(id: &str, html: &str) -> Document {
    let defused = defuse(html);
    let html = defused.as_deref().unwrap_or(html);
    let sink = Sink(RefCell::new(State::default()));
    let tok = Tokenizer::new(sink, Default::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    while let TokenizerResult::Script(()) = tok.feed(&input) {}
    tok.end();
    let mut st = tok.sink.0.into_inner();
    st.flush();

    let any_main = st.blocks.iter().any(|b| b.in_main);
    let mut blocks: Vec<&Block> = st
        .blocks
        .iter()
        .filter(|b| !any_main || b.in_main)
        .collect();
    let p_chars: usize = blocks.iter().filter(|b| b.in_p).map(|b| b.text.len()).sum();
    if p_chars >= 200 {
        blocks.retain(|b| b.in_p || b.heading);
    }
    let mut text = String::new();
    for b in blocks {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&b.text);
    }
    let title = st
        .og_title
        .or_else(|| Some(st.title.split_whitespace().collect::<Vec<_>>().join(" ")))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let date = st
        .date
        .map(|(_, d)| d)
        .or(st.time_datetime)
        .map(|d| normalise_date(&d));
    let mut doc = Document {
        id: id.to_string(),
        text,
        title,
        date,
        url: st.url,
        source: st.site,
        dateline: None,
        byline: None,
    };
    doc.detect_front_matter();
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defuse_only_touches_monster_tags() {
        let ok = "<p class=\"a b c\">x</p><script>if (a<b) {}</script>";
        assert_eq!(defuse(ok), None);
        let mut big = String::from("<p>a</p><div");
        for i in 0..300 {
            big.push_str(&format!(" a{i}=\"x y\""));
        }
        big.push_str("><p>b</p>");
        assert_eq!(defuse(&big).as_deref(), Some("<p>a</p><div><p>b</p>"));
        assert_eq!(
            defuse("<p>a</p><div x y z").as_deref(),
            Some("<p>a</p><div>")
        );
    }

    #[test]
    fn tag_tables_are_sorted_for_binary_search() {
        for t in [EXCLUDED, BLOCKS] {
            let mut s = t.to_vec();
            s.sort();
            assert_eq!(s, t.to_vec());
        }
    }
}
