//! Locative phrases: "in Washington", "near Fallujah", "at the border town
//! of X", "in the Somali city of Beledweyne", "in Paris, Texas".

use crate::gazetteer::{fold_key, Gazetteer, MAX_KEY};

/// A place name found after a locative preposition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlaceMention {
    /// The preposition's token.
    pub prep: usize,
    /// First token of the name.
    pub start: usize,
    /// One past its last token.
    pub end: usize,
    /// The preposition is a direction ("to"), weaker evidence of where the
    /// event happened.
    pub directional: bool,
    /// Offset of the folded key in the analysis' key buffer.
    pub key_off: u32,
    /// Length of the folded key.
    pub key_len: u32,
    /// Admin1 key of a qualifier ("Paris, Texas" → `US.TX`) as an index
    /// into the gazetteer's admin1 table, resolved by the caller.
    pub qualifier_off: u32,
    /// Length of the qualifier's folded text (0 when none).
    pub qualifier_len: u32,
}

fn prep_kind(tok: &str) -> Option<bool> {
    // Some(directional)
    let b = tok.as_bytes();
    if b.len() < 2 || b.len() > 10 || !b[0].is_ascii_lowercase() {
        return None;
    }
    match tok {
        "in" | "at" | "near" | "outside" | "inside" | "across" | "throughout" | "around"
        | "within" | "off" | "nearby" => Some(false),
        "to" | "into" | "toward" | "towards" => Some(true),
        _ => None,
    }
}

fn is_place_noun(tok: &str) -> bool {
    matches!(
        tok,
        "city"
            | "town"
            | "village"
            | "capital"
            | "province"
            | "region"
            | "district"
            | "port"
            | "area"
            | "outskirts"
            | "suburb"
            | "neighbourhood"
            | "neighborhood"
            | "governorate"
            | "state"
            | "county"
            | "island"
            | "enclave"
            | "hub"
            | "stronghold"
    )
}

/// "north", "Southern", "central", "northeastern" ...: skipped between a
/// preposition and a name ("in central Iran", "in Western Cambodia").
fn is_direction(tok: &str) -> bool {
    let b = tok.as_bytes();
    if b.len() < 4 || b.len() > 14 {
        return false;
    }
    let mut buf = [0u8; 14];
    for (o, c) in buf.iter_mut().zip(b) {
        *o = c.to_ascii_lowercase();
    }
    let l = &buf[..b.len()];
    let l = l.strip_suffix(b"ern").unwrap_or(l);
    matches!(
        l,
        b"north"
            | b"south"
            | b"east"
            | b"west"
            | b"northeast"
            | b"northwest"
            | b"southeast"
            | b"southwest"
            | b"central"
            | b"upper"
            | b"lower"
            | b"greater"
            | b"far"
    )
}

#[inline]
fn capitalised(tok: &str) -> bool {
    tok.chars().next().is_some_and(char::is_uppercase)
}

/// Longest run of capitalised tokens starting at `i`, at most 4.
fn cap_run(tokens: &[&str], i: usize) -> usize {
    let mut j = i;
    while j < tokens.len() && j < i + 4 && capitalised(tokens[j]) {
        j += 1;
    }
    j - i
}

/// Joins tokens `[a, b)` with spaces and folds the result into `buf`.
fn folded_join<'b>(
    tokens: &[&str],
    a: usize,
    b: usize,
    buf: &'b mut [u8; MAX_KEY],
) -> Option<&'b str> {
    let mut tmp = [0u8; MAX_KEY];
    let mut n = 0;
    for (k, t) in tokens[a..b].iter().enumerate() {
        let add = t.len() + usize::from(k > 0);
        if n + add > MAX_KEY {
            return None;
        }
        if k > 0 {
            tmp[n] = b' ';
            n += 1;
        }
        tmp[n..n + t.len()].copy_from_slice(t.as_bytes());
        n += t.len();
    }
    let s = std::str::from_utf8(&tmp[..n]).ok()?;
    fold_key(s, buf)
}

/// The longest gazetteer name starting at `j`: up to 4 words of
/// capitalised tokens, where a `-` token joins its neighbours without spaces
/// (the tokenizer splits "Guinea-Bissau" and "Port-au-Prince"). Its folded
/// key is appended to `keys`. Returns (tokens used, key_off, key_len).
fn longest_name(
    tokens: &[&str],
    j: usize,
    gaz: &Gazetteer,
    keys: &mut String,
    buf: &mut [u8; MAX_KEY],
) -> Option<(usize, u32, u32)> {
    if !tokens.get(j).is_some_and(|t| capitalised(t)) {
        return None;
    }
    // candidate ends (exclusive token index) and the joined text length
    let mut joined = [0u8; MAX_KEY];
    let mut len = 0usize;
    let mut ends: [(usize, usize); 8] = [(0, 0); 8];
    let mut n_ends = 0;
    let mut k = j;
    let mut words = 0;
    let mut push = |bytes: &[u8], len: &mut usize| -> bool {
        if *len + bytes.len() > MAX_KEY {
            return false;
        }
        joined[*len..*len + bytes.len()].copy_from_slice(bytes);
        *len += bytes.len();
        true
    };
    if !push(tokens[k].as_bytes(), &mut len) {
        return None;
    }
    k += 1;
    words += 1;
    ends[n_ends] = (k, len);
    n_ends += 1;
    while k < tokens.len() && n_ends < ends.len() {
        let t = tokens[k];
        if t == "-"
            && tokens
                .get(k + 1)
                .is_some_and(|x| x.chars().next().is_some_and(char::is_alphabetic))
        {
            if !(push(b"-", &mut len) && push(tokens[k + 1].as_bytes(), &mut len)) {
                break;
            }
            k += 2;
        } else if capitalised(t) && words < 4 {
            if !(push(b" ", &mut len) && push(t.as_bytes(), &mut len)) {
                break;
            }
            k += 1;
            words += 1;
        } else {
            break;
        }
        ends[n_ends] = (k, len);
        n_ends += 1;
    }
    for &(end, l) in ends[..n_ends].iter().rev() {
        let Ok(text) = std::str::from_utf8(&joined[..l]) else {
            continue;
        };
        if let Some(key) = fold_key(text, buf) {
            if !gaz.lookup_folded(key).is_empty() {
                let key_off = keys.len() as u32;
                keys.push_str(key);
                return Some((end - j, key_off, key.len() as u32));
            }
        }
    }
    None
}

/// Rejects matches that are more likely part of another name:
/// - the next token continues a proper noun ("Borno State", "Human Rights
///   Watch", "Hudson Institute"), unless it is a weekday or month;
/// - a city after a bare "the" ("in the Obama administration"); countries
///   take "the" ("the Netherlands", "the US");
/// - an all-capitals acronym ("NISA") that is not a country ("US", "UAE").
fn plausible(
    tokens: &[&str],
    start: usize,
    end: usize,
    after_the: bool,
    gaz: &Gazetteer,
    key: &str,
) -> bool {
    if let Some(next) = tokens.get(end) {
        if capitalised(next)
            && crate::dates::weekday_of(next).is_none()
            && crate::dates::month_of(next).is_none()
        {
            return false;
        }
    }
    let is_country = || {
        gaz.lookup_folded(key)
            .first()
            .and_then(|&i| gaz.place(i))
            .is_some_and(|p| p.kind == crate::gazetteer::PlaceKind::Country)
    };
    if after_the && !is_country() {
        return false;
    }
    let t = tokens[start];
    let acronym =
        end == start + 1 && t.len() >= 2 && t.chars().all(|c| c.is_ascii_uppercase() || c == '.');
    if acronym && !is_country() {
        return false;
    }
    true
}

/// Finds locative place mentions in a sentence. Folded keys are appended to
/// `keys`; mentions to `out`.
pub fn find_places(
    tokens: &[&str],
    gaz: &Gazetteer,
    keys: &mut String,
    out: &mut Vec<PlaceMention>,
) {
    let n = tokens.len();
    let mut buf = [0u8; MAX_KEY];
    let mut i = 0;
    while i < n {
        let (directional, prep, mut j) = if let Some(d) = prep_kind(tokens[i]) {
            (d, i, i + 1)
        } else if is_place_noun(tokens[i]) && tokens.get(i + 1) == Some(&"of") {
            // "the besieged Bosnian town of Gorazde" without a preposition
            (false, i, i + 2)
        } else {
            i += 1;
            continue;
        };
        // optional determiner and a descriptor: "the border town of X",
        // "the Somali city of X", "the capital, X", "the capital X"
        let mut after_the = false;
        if j < n && matches!(tokens[j], "the" | "a" | "an") {
            after_the = tokens[j] == "the";
            let mut k = j + 1;
            while k < n && k < j + 6 {
                let t = tokens[k];
                if is_place_noun(t) && tokens.get(k + 1).is_some_and(|x| is_place_noun(x)) {
                    // "port city of", "border town of"
                } else if is_place_noun(t) {
                    match tokens.get(k + 1) {
                        Some(&"of") | Some(&",") => {
                            j = k + 1;
                            after_the = false;
                        }
                        Some(x) if capitalised(x) => {
                            j = k;
                            after_the = false;
                        }
                        _ => {}
                    }
                    break;
                } else if t == "of" || t == "," {
                    break;
                }
                k += 1;
            }
            j += 1;
        }
        let mut found = longest_name(tokens, j, gaz, keys, &mut buf);
        // "in central Iran", "in Western Cambodia" (but "South Sudan" first)
        if found.is_none() && j + 1 < n && is_direction(tokens[j]) {
            j += 1;
            found = longest_name(tokens, j, gaz, keys, &mut buf);
        }
        if let Some((len, key_off, key_len)) = found {
            let key = keys
                .get(key_off as usize..(key_off + key_len) as usize)
                .unwrap_or("");
            if !plausible(tokens, j, j + len, after_the, gaz, key) {
                found = None;
            }
        }
        if let Some((len, key_off, key_len)) = found {
            let end = j + len;
            // Qualifier: ", Texas" / ", Lebanon"
            let (mut q_off, mut q_len) = (0u32, 0u32);
            if end + 1 < n && tokens[end] == "," {
                let qrun = cap_run(tokens, end + 1).min(3);
                for ql in (1..=qrun).rev() {
                    if let Some(q) = folded_join(tokens, end + 1, end + 1 + ql, &mut buf) {
                        if gaz.admin1_code(q).is_some() || !gaz.lookup_folded(q).is_empty() {
                            q_off = keys.len() as u32;
                            keys.push_str(q);
                            q_len = q.len() as u32;
                            break;
                        }
                    }
                }
            }
            out.push(PlaceMention {
                prep,
                start: j,
                end,
                directional,
                key_off,
                key_len,
                qualifier_off: q_off,
                qualifier_len: q_len,
            });
            i = end;
        } else {
            i += 1;
        }
    }
}
