//! The offline gazetteer: GeoNames countries and cities of 15,000+
//! inhabitants, looked up by folded name.
//!
//! The data file (`data/gazetteer/gazetteer.tsv`, built by
//! `tools/gazetteer/build.py`) is described in `crates/dyad-enrich/NOTES.md`.
//! Loading parses it into a flat place table, one string arena of keys and an
//! open-addressing hash table over FNV-1a hashes of the keys, so that a lookup
//! costs one hash, usually one probe and one string compare, with no
//! allocation.

use std::borrow::Cow;
use std::path::Path;

use crate::error::EnrichError;

/// The data format version this loader reads (second field of the header).
pub const FORMAT_VERSION: u32 = 1;

/// The gazetteer shipped with the repository, compiled into the binary.
const BUILTIN: &str = include_str!("../../../data/gazetteer/gazetteer.tsv");

/// What kind of place a gazetteer entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    /// A country (coordinates: population-weighted mean of its cities).
    Country,
    /// A populated place.
    City,
}

/// One gazetteer entry, borrowed from the gazetteer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Place<'g> {
    /// GeoNames id.
    pub geonameid: u64,
    /// Display name (GeoNames' main name).
    pub name: &'g str,
    country: [u8; 3],
    /// GeoNames admin1 key (`ISO2.code`, e.g. `US.DC`), cities only.
    pub admin1: Option<&'g str>,
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
    /// Population.
    pub population: u64,
    /// Country or city.
    pub kind: PlaceKind,
    /// The city is its country's capital.
    pub capital: bool,
}

impl Place<'_> {
    /// ISO 3166-1 alpha-3 country code.
    pub fn country(&self) -> &str {
        std::str::from_utf8(&self.country).unwrap_or("")
    }

    /// ISO 3166-1 alpha-3 country code as bytes.
    pub fn country_code(&self) -> [u8; 3] {
        self.country
    }
}

/// A place record: strings are ranges of the gazetteer text.
#[derive(Debug, Clone, Copy)]
struct Rec {
    geonameid: u64,
    name_off: u32,
    name_len: u32,
    admin1_off: u32,
    admin1_len: u32,
    lat: f64,
    lon: f64,
    population: u64,
    country: [u8; 3],
    kind: PlaceKind,
    capital: bool,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    key_off: u32,
    key_len: u32,
    refs_off: u32,
    refs_len: u32,
}

/// Hints for choosing among homonyms.
#[derive(Debug, Clone, Copy, Default)]
pub struct Hints<'a> {
    /// ISO3 countries of the event's actors (e.g. `IRQ`, `USA`).
    pub actor_countries: &'a [[u8; 3]],
    /// ISO3 country of the story's dateline place.
    pub dateline_country: Option<[u8; 3]>,
    /// An admin1 qualifier found right after the name ("Paris, Texas" →
    /// `US.TX`).
    pub admin1: Option<&'a str>,
    /// A country named right after the place ("Tripoli, Lebanon").
    pub qualifier_country: Option<[u8; 3]>,
}

/// The gazetteer: places and a name index.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    text: Cow<'static, str>,
    recs: Vec<Rec>,
    entries: Vec<Entry>,
    refs: Vec<u32>,
    table: Vec<u32>,
    admin1: Vec<(Box<str>, Box<str>)>,
    countries: Vec<[u8; 3]>,
    provenance: String,
}

const EMPTY: u32 = u32::MAX;

/// Longest folded key we look up, in bytes.
pub const MAX_KEY: usize = 96;

/// Lines of a text split at `\n` with SIMD `memchr`.
struct ByteLines<'t> {
    rest: &'t str,
}

impl<'t> Iterator for ByteLines<'t> {
    type Item = &'t str;
    fn next(&mut self) -> Option<&'t str> {
        if self.rest.is_empty() {
            return None;
        }
        let b = self.rest.as_bytes();
        let end = memchr::memchr(b'\n', b).unwrap_or(b.len());
        let line = &self.rest[..end];
        self.rest = self.rest.get(end + 1..).unwrap_or("");
        Some(line)
    }
}

/// The name table's hash: 8 bytes per step (multiply-rotate), finished with
/// murmur3's fmix64. Internal only (ids use FNV-1a, which is documented).
#[inline]
fn key_hash(b: &[u8]) -> u64 {
    let mut h: u64 = b.len() as u64 ^ 0x9E37_79B9_7F4A_7C15;
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
    let rem = chunks.remainder();
    if !rem.is_empty() {
        let mut w = [0u8; 8];
        w[..rem.len()].copy_from_slice(rem);
        h = (h ^ u64::from_le_bytes(w))
            .wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .rotate_left(29);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Parses an unsigned decimal number (no sign, no spaces).
#[inline]
fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 19 {
        return None;
    }
    let mut n: u64 = 0;
    for &b in s.as_bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + (b - b'0') as u64;
    }
    Some(n)
}

impl Gazetteer {
    /// The gazetteer compiled into the binary (`data/gazetteer/gazetteer.tsv`).
    pub fn builtin() -> Result<Gazetteer, EnrichError> {
        Gazetteer::parse_cow(
            Cow::Borrowed(BUILTIN),
            "data/gazetteer/gazetteer.tsv (builtin)",
        )
    }

    /// Loads a gazetteer data file.
    pub fn from_path(path: &Path) -> Result<Gazetteer, EnrichError> {
        let text = std::fs::read_to_string(path).map_err(|e| EnrichError::Io {
            path: path.display().to_string(),
            source: e,
        })?;
        Gazetteer::parse_cow(Cow::Owned(text), &path.display().to_string())
    }

    /// Parses gazetteer text; `origin` names the file in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Gazetteer, EnrichError> {
        Gazetteer::parse_cow(Cow::Owned(text.to_string()), origin)
    }

    fn parse_cow(text: Cow<'static, str>, origin: &str) -> Result<Gazetteer, EnrichError> {
        let bad = |line: usize, cause: String| EnrichError::Gazetteer {
            file: origin.to_string(),
            line,
            cause,
        };
        if text.len() >= u32::MAX as usize {
            return Err(bad(0, "file larger than 4 GiB".into()));
        }
        let base = text.as_ptr() as usize;
        let off = |s: &str| (s.as_ptr() as usize - base) as u32;
        // `str::split(char)` costs a memchr plus a memcmp call per line, a
        // third of the load time; memchr alone is much cheaper.
        let mut lines = ByteLines { rest: &text };
        let header = lines.next().unwrap_or("");
        let mut hf = header.split('\t');
        if hf.next() != Some("#dyad-gazetteer") {
            return Err(bad(1, "missing `#dyad-gazetteer` header".into()));
        }
        let version: u32 = hf
            .next()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| bad(1, "header has no version number".into()))?;
        if version != FORMAT_VERSION {
            return Err(bad(
                1,
                format!("format version {version}, this loader reads {FORMAT_VERSION}"),
            ));
        }
        let provenance = hf.next().unwrap_or("").trim_end().to_string();
        let mut recs = Vec::with_capacity(34_500);
        let mut entries = Vec::with_capacity(120_000);
        let mut refs = Vec::with_capacity(140_000);
        let mut admin1 = Vec::new();
        let mut countries = Vec::new();
        for (i, line) in lines.enumerate() {
            let lno = i + 2;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if line.is_empty() {
                continue;
            }
            // The hot path (119k name records) avoids split iterators:
            // "N<TAB>key<TAB>i,j,k".
            if let Some(rest) = line.strip_prefix("N\t") {
                let Some(tab) = memchr::memchr(b'\t', rest.as_bytes()) else {
                    return Err(bad(lno, "N record needs key and place list".into()));
                };
                let key = &rest[..tab];
                let ids = &rest.as_bytes()[tab + 1..];
                let refs_off = refs.len() as u32;
                if !ids.is_empty() {
                    for id in ids.split(|&c| c == b',') {
                        let ok =
                            !id.is_empty() && id.len() <= 10 && id.iter().all(u8::is_ascii_digit);
                        let n = id
                            .iter()
                            .fold(0u64, |n, &c| n * 10 + u64::from(c.wrapping_sub(b'0')));
                        if !ok || n as usize >= recs.len() {
                            return Err(bad(
                                lno,
                                format!(
                                    "bad or out of range place index in `{}`",
                                    &rest[tab + 1..]
                                ),
                            ));
                        }
                        refs.push(n as u32);
                    }
                }
                if refs.len() as u32 == refs_off {
                    return Err(bad(lno, "N record with an empty place list".into()));
                }
                entries.push(Entry {
                    key_off: off(key),
                    key_len: key.len() as u32,
                    refs_off,
                    refs_len: refs.len() as u32 - refs_off,
                });
                continue;
            }
            let mut f = line.split('\t');
            let kind = f.next().unwrap_or("");
            match kind {
                "C" | "P" => {
                    let is_c = kind == "C";
                    let mut next = |what: &str| {
                        f.next()
                            .ok_or_else(|| bad(lno, format!("missing field `{what}`")))
                    };
                    let gid = next("geonameid")?;
                    let name = next("name")?;
                    let iso3 = next("iso3")?;
                    let adm = next(if is_c { "iso2" } else { "admin1" })?;
                    let lat = next("lat")?;
                    let lon = next("lon")?;
                    let pop = next("population")?;
                    let flags = if is_c { "-" } else { next("flags")? };
                    let num = |s: &str, what: &str| -> Result<f64, EnrichError> {
                        s.parse::<f64>()
                            .map_err(|_| bad(lno, format!("bad {what} `{s}`")))
                    };
                    let geonameid =
                        parse_u64(gid).ok_or_else(|| bad(lno, format!("bad geonameid `{gid}`")))?;
                    let population = parse_u64(pop)
                        .ok_or_else(|| bad(lno, format!("bad population `{pop}`")))?;
                    let lat = num(lat, "latitude")?;
                    let lon = num(lon, "longitude")?;
                    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                        return Err(bad(lno, format!("coordinates out of range {lat},{lon}")));
                    }
                    let cc: [u8; 3] = iso3
                        .as_bytes()
                        .try_into()
                        .map_err(|_| bad(lno, format!("bad ISO3 code `{iso3}`")))?;
                    if is_c {
                        countries.push(cc);
                    }
                    let has_adm = !is_c && !adm.is_empty();
                    recs.push(Rec {
                        geonameid,
                        name_off: off(name),
                        name_len: name.len() as u32,
                        admin1_off: if has_adm { off(adm) } else { 0 },
                        admin1_len: if has_adm { adm.len() as u32 } else { 0 },
                        lat,
                        lon,
                        population,
                        country: cc,
                        kind: if is_c {
                            PlaceKind::Country
                        } else {
                            PlaceKind::City
                        },
                        capital: flags.contains('c'),
                    });
                }
                "S" => {
                    let _iso3 = f.next();
                    let (Some(code), Some(key)) = (f.next(), f.next()) else {
                        return Err(bad(lno, "S record needs iso3, admin1 and key".into()));
                    };
                    admin1.push((key.into(), code.into()));
                }
                other => {
                    return Err(bad(lno, format!("unknown record type `{other}`")));
                }
            }
        }
        countries.sort_unstable();
        let mut g = Gazetteer {
            text,
            recs,
            entries,
            refs,
            table: Vec::new(),
            admin1,
            countries,
            provenance,
        };
        g.build_table();
        Ok(g)
    }

    fn build_table(&mut self) {
        let cap = (self.entries.len() * 2).next_power_of_two().max(16);
        self.table = vec![EMPTY; cap];
        let mask = cap - 1;
        let bytes = self.text.as_bytes();
        for (i, e) in self.entries.iter().enumerate() {
            let key = &bytes[e.key_off as usize..(e.key_off + e.key_len) as usize];
            let mut slot = key_hash(key) as usize & mask;
            while self.table[slot] != EMPTY {
                slot = (slot + 1) & mask;
            }
            self.table[slot] = i as u32;
        }
    }

    fn view(&self, r: &Rec) -> Place<'_> {
        let t: &str = &self.text;
        Place {
            geonameid: r.geonameid,
            name: t
                .get(r.name_off as usize..(r.name_off + r.name_len) as usize)
                .unwrap_or(""),
            country: r.country,
            admin1: (r.admin1_len > 0).then(|| {
                t.get(r.admin1_off as usize..(r.admin1_off + r.admin1_len) as usize)
                    .unwrap_or("")
            }),
            lat: r.lat,
            lon: r.lon,
            population: r.population,
            kind: r.kind,
            capital: r.capital,
        }
    }

    /// Number of places (countries and cities).
    pub fn len(&self) -> usize {
        self.recs.len()
    }

    /// True when the gazetteer has no places.
    pub fn is_empty(&self) -> bool {
        self.recs.is_empty()
    }

    /// Number of distinct lookup names.
    pub fn name_count(&self) -> usize {
        self.entries.len()
    }

    /// The provenance string of the data file's header.
    pub fn provenance(&self) -> &str {
        &self.provenance
    }

    /// A place by index.
    pub fn place(&self, idx: u32) -> Option<Place<'_>> {
        self.recs.get(idx as usize).map(|r| self.view(r))
    }

    /// True when `iso3` is a country of the gazetteer.
    pub fn is_country(&self, iso3: &[u8]) -> bool {
        iso3.len() == 3 && self.countries.binary_search_by(|c| c[..].cmp(iso3)).is_ok()
    }

    /// Place indices for an already folded key (see [`fold_key`]), countries
    /// first then by population.
    pub fn lookup_folded(&self, key: &str) -> &[u32] {
        let mask = self.table.len() - 1;
        let mut slot = key_hash(key.as_bytes()) as usize & mask;
        loop {
            let i = self.table[slot];
            if i == EMPTY {
                return &[];
            }
            let e = self.entries[i as usize];
            if self
                .text
                .as_bytes()
                .get(e.key_off as usize..(e.key_off + e.key_len) as usize)
                == Some(key.as_bytes())
            {
                return &self.refs[e.refs_off as usize..(e.refs_off + e.refs_len) as usize];
            }
            slot = (slot + 1) & mask;
        }
    }

    /// All places called `name` (any case, accents ignored).
    pub fn lookup(&self, name: &str) -> impl Iterator<Item = Place<'_>> + '_ {
        let mut buf = [0u8; MAX_KEY];
        let ids: &[u32] = match fold_key(name, &mut buf) {
            Some(k) => self.lookup_folded(k),
            None => &[],
        };
        ids.iter().filter_map(move |&i| self.place(i))
    }

    /// The admin1 key (e.g. `US.TX`) of a first-level division name
    /// ("Texas"), if the gazetteer knows it.
    pub fn admin1_code(&self, name: &str) -> Option<&str> {
        let mut buf = [0u8; MAX_KEY];
        let k = fold_key(name, &mut buf)?;
        self.admin1
            .iter()
            .find(|(key, _)| &**key == k)
            .map(|(_, code)| &**code)
    }

    /// The best place for `name` given the hints, with its score.
    ///
    /// Score = ln(population + 1) + 2 if a capital + 5 if in an actor's
    /// country + 2 if in the dateline's country + 10 if it matches the admin1
    /// qualifier + 10 if in the qualifier country.
    pub fn resolve(&self, name: &str, hints: &Hints<'_>) -> Option<(u32, Place<'_>)> {
        let mut buf = [0u8; MAX_KEY];
        let key = fold_key(name, &mut buf)?;
        self.resolve_folded(key, hints)
    }

    /// [`Gazetteer::resolve`] for an already folded key.
    pub fn resolve_folded(&self, key: &str, hints: &Hints<'_>) -> Option<(u32, Place<'_>)> {
        let mut best: Option<(f64, u32)> = None;
        for &i in self.lookup_folded(key) {
            let Some(p) = self.recs.get(i as usize) else {
                continue;
            };
            let mut s = ((p.population + 1) as f64).ln();
            if p.capital {
                s += 2.0;
            }
            if hints.actor_countries.contains(&p.country) {
                s += 5.0;
            }
            if hints.dateline_country == Some(p.country) {
                s += 2.0;
            }
            if hints.qualifier_country == Some(p.country) {
                s += 10.0;
            }
            if let Some(q) = hints.admin1 {
                let a = self
                    .text
                    .get(p.admin1_off as usize..(p.admin1_off + p.admin1_len) as usize);
                if p.admin1_len > 0 && a == Some(q) {
                    s += 10.0;
                }
            }
            if best.is_none_or(|(b, _)| s > b) {
                best = Some((s, i));
            }
        }
        best.and_then(|(_, i)| Some((i, self.place(i)?)))
    }
}

/// Folds a name to its lookup key in `buf`: Latin letters lose their accents,
/// everything is lower-cased, curly apostrophes become `'` and runs of
/// whitespace one space. Returns `None` for characters the gazetteer never
/// keys on (non-Latin scripts) or keys longer than [`MAX_KEY`].
pub fn fold_key<'b>(name: &str, buf: &'b mut [u8; MAX_KEY]) -> Option<&'b str> {
    let mut n = 0usize;
    let mut space = true; // drop leading whitespace
    let mut push = |bytes: &[u8], n: &mut usize| -> Option<()> {
        if *n + bytes.len() > MAX_KEY {
            return None;
        }
        buf[*n..*n + bytes.len()].copy_from_slice(bytes);
        *n += bytes.len();
        Some(())
    };
    for ch in name.chars() {
        if ch.is_whitespace() {
            if !space {
                push(b" ", &mut n)?;
                space = true;
            }
            continue;
        }
        space = false;
        if ch.is_ascii() {
            push(&[ch.to_ascii_lowercase() as u8], &mut n)?;
        } else if let Some(ch) = fold_char(ch) {
            push(ch.as_bytes(), &mut n)?;
        } else {
            return None;
        }
    }
    if n > 0 && buf[n - 1] == b' ' {
        n -= 1;
    }
    std::str::from_utf8(&buf[..n]).ok()
}

/// ASCII replacement of a non-ASCII Latin letter (lower-cased), `""` for a
/// combining mark.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{300}'..='\u{36f}' => "",
        'À'..='Å'
        | 'à'..='å'
        | 'Ā'
        | 'ā'
        | 'Ă'
        | 'ă'
        | 'Ą'
        | 'ą'
        | 'Ǎ'
        | 'ǎ'
        | 'Ạ'
        | 'ạ'
        | 'Ả'
        | 'ả'
        | 'Ấ'
        | 'ấ'
        | 'Ầ'
        | 'ầ'
        | 'Ẩ'
        | 'ẩ'
        | 'Ẫ'
        | 'ẫ'
        | 'Ậ'
        | 'ậ'
        | 'Ắ'
        | 'ắ'
        | 'Ằ'
        | 'ằ'
        | 'Ẳ'
        | 'ẳ'
        | 'Ẵ'
        | 'ẵ'
        | 'Ặ'
        | 'ặ'
        | 'Ȁ'
        | 'ȁ'
        | 'Ȃ'
        | 'ȃ'
        | 'Ǻ'
        | 'ǻ'
        | 'Ȧ'
        | 'ȧ' => "a",
        'Æ' | 'æ' | 'Ǽ' | 'ǽ' => "ae",
        'Ç' | 'ç' | 'Ć' | 'ć' | 'Ĉ' | 'ĉ' | 'Ċ' | 'ċ' | 'Č' | 'č' => "c",
        'Ð' | 'ð' | 'Ď' | 'ď' | 'Đ' | 'đ' | 'Ḍ' | 'ḍ' | 'Ḏ' | 'ḏ' => "d",
        'È'..='Ë'
        | 'è'..='ë'
        | 'Ē'
        | 'ē'
        | 'Ĕ'
        | 'ĕ'
        | 'Ė'
        | 'ė'
        | 'Ę'
        | 'ę'
        | 'Ě'
        | 'ě'
        | 'Ẹ'
        | 'ẹ'
        | 'Ẻ'
        | 'ẻ'
        | 'Ẽ'
        | 'ẽ'
        | 'Ế'
        | 'ế'
        | 'Ề'
        | 'ề'
        | 'Ể'
        | 'ể'
        | 'Ễ'
        | 'ễ'
        | 'Ệ'
        | 'ệ'
        | 'Ȅ'
        | 'ȅ'
        | 'Ȇ'
        | 'ȇ'
        | 'Ȩ'
        | 'ȩ' => "e",
        'Ĝ' | 'ĝ' | 'Ğ' | 'ğ' | 'Ġ' | 'ġ' | 'Ģ' | 'ģ' | 'Ǧ' | 'ǧ' | 'Ǵ' | 'ǵ' | 'Ḡ' | 'ḡ' => {
            "g"
        }
        'Ĥ' | 'ĥ' | 'Ħ' | 'ħ' | 'Ḥ' | 'ḥ' | 'Ḫ' | 'ḫ' | 'Ḩ' | 'ḩ' | 'ẖ' | 'Ḧ' | 'ḧ' => {
            "h"
        }
        'Ì'..='Ï'
        | 'ì'..='ï'
        | 'Ĩ'
        | 'ĩ'
        | 'Ī'
        | 'ī'
        | 'Ĭ'
        | 'ĭ'
        | 'Į'
        | 'į'
        | 'İ'
        | 'ı'
        | 'Ǐ'
        | 'ǐ'
        | 'Ị'
        | 'ị'
        | 'Ỉ'
        | 'ỉ'
        | 'Ȉ'
        | 'ȉ'
        | 'Ȋ'
        | 'ȋ' => "i",
        'Ĵ' | 'ĵ' | 'ǰ' => "j",
        'Ķ' | 'ķ' | 'Ǩ' | 'ǩ' | 'Ḱ' | 'ḱ' | 'Ḳ' | 'ḳ' => "k",
        'Ĺ' | 'ĺ' | 'Ļ' | 'ļ' | 'Ľ' | 'ľ' | 'Ŀ' | 'ŀ' | 'Ł' | 'ł' | 'Ḷ' | 'ḷ' => "l",
        'Ṁ' | 'ṁ' | 'Ṃ' | 'ṃ' | 'Ḿ' | 'ḿ' => "m",
        'Ñ' | 'ñ' | 'Ń' | 'ń' | 'Ņ' | 'ņ' | 'Ň' | 'ň' | 'Ṅ' | 'ṅ' | 'Ṇ' | 'ṇ' | 'Ǹ' | 'ǹ' => {
            "n"
        }
        'Ò'..='Ö'
        | 'Ø'
        | 'ò'..='ö'
        | 'ø'
        | 'Ō'
        | 'ō'
        | 'Ŏ'
        | 'ŏ'
        | 'Ő'
        | 'ő'
        | 'Ơ'
        | 'ơ'
        | 'Ǒ'
        | 'ǒ'
        | 'Ọ'
        | 'ọ'
        | 'Ỏ'
        | 'ỏ'
        | 'Ố'
        | 'ố'
        | 'Ồ'
        | 'ồ'
        | 'Ổ'
        | 'ổ'
        | 'Ỗ'
        | 'ỗ'
        | 'Ộ'
        | 'ộ'
        | 'Ớ'
        | 'ớ'
        | 'Ờ'
        | 'ờ'
        | 'Ở'
        | 'ở'
        | 'Ỡ'
        | 'ỡ'
        | 'Ợ'
        | 'ợ'
        | 'Ǫ'
        | 'ǫ'
        | 'Ȍ'
        | 'ȍ'
        | 'Ȏ'
        | 'ȏ'
        | 'Ǿ'
        | 'ǿ'
        | 'Ȯ'
        | 'ȯ' => "o",
        'Œ' | 'œ' => "oe",
        'Ŕ' | 'ŕ' | 'Ŗ' | 'ŗ' | 'Ř' | 'ř' | 'Ṛ' | 'ṛ' | 'Ȑ' | 'ȑ' | 'Ȓ' | 'ȓ' => "r",
        'Ś' | 'ś' | 'Ŝ' | 'ŝ' | 'Ş' | 'ş' | 'Š' | 'š' | 'Ș' | 'ș' | 'Ṣ' | 'ṣ' | 'Ṡ' | 'ṡ' => {
            "s"
        }
        'ß' => "ss",
        'Ţ' | 'ţ' | 'Ť' | 'ť' | 'Ŧ' | 'ŧ' | 'Ț' | 'ț' | 'Ṭ' | 'ṭ' | 'Ṯ' | 'ṯ' | 'ẗ' => {
            "t"
        }
        'Þ' | 'þ' => "th",
        'Ù'..='Ü'
        | 'ù'..='ü'
        | 'Ũ'
        | 'ũ'
        | 'Ū'
        | 'ū'
        | 'Ŭ'
        | 'ŭ'
        | 'Ů'
        | 'ů'
        | 'Ű'
        | 'ű'
        | 'Ų'
        | 'ų'
        | 'Ư'
        | 'ư'
        | 'Ǔ'
        | 'ǔ'
        | 'Ǖ'
        | 'ǖ'
        | 'Ǘ'
        | 'ǘ'
        | 'Ǚ'
        | 'ǚ'
        | 'Ǜ'
        | 'ǜ'
        | 'Ụ'
        | 'ụ'
        | 'Ủ'
        | 'ủ'
        | 'Ứ'
        | 'ứ'
        | 'Ừ'
        | 'ừ'
        | 'Ử'
        | 'ử'
        | 'Ữ'
        | 'ữ'
        | 'Ự'
        | 'ự'
        | 'Ȕ'
        | 'ȕ'
        | 'Ȗ'
        | 'ȗ' => "u",
        'Ŵ' | 'ŵ' | 'Ẁ' | 'ẁ' | 'Ẃ' | 'ẃ' | 'Ẅ' | 'ẅ' => "w",
        'Ý' | 'ý' | 'ÿ' | 'Ŷ' | 'ŷ' | 'Ÿ' | 'Ỳ' | 'ỳ' | 'Ỵ' | 'ỵ' | 'Ỷ' | 'ỷ' | 'Ỹ' | 'ỹ' | 'Ȳ'
        | 'ȳ' | 'Ẏ' | 'ẏ' => "y",
        'Ź' | 'ź' | 'Ż' | 'ż' | 'Ž' | 'ž' | 'Ẓ' | 'ẓ' | 'Ẕ' | 'ẕ' => "z",
        '\u{2018}' | '\u{2019}' | '\u{02bc}' | '\u{02bb}' => "'",
        '\u{2010}' | '\u{2011}' | '\u{2013}' => "-",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_lowercases_strips_accents_and_collapses_space() {
        let mut b = [0u8; MAX_KEY];
        assert_eq!(fold_key("  São   Paulo ", &mut b), Some("sao paulo"));
        assert_eq!(fold_key("Kraków", &mut b), Some("krakow"));
        assert_eq!(fold_key("Ålesund", &mut b), Some("alesund"));
        assert_eq!(fold_key("Washington", &mut b), Some("washington"));
        assert_eq!(fold_key("Москва", &mut b), None);
    }

    #[test]
    fn rejects_bad_header_and_bad_lines_with_line_numbers() {
        let e = Gazetteer::parse("hello\n", "g.tsv").unwrap_err();
        assert!(e.to_string().contains("g.tsv:1"), "{e}");
        let e = Gazetteer::parse("#dyad-gazetteer\t9\tx\n", "g.tsv").unwrap_err();
        assert!(e.to_string().contains("version 9"), "{e}");
        let t = "#dyad-gazetteer\t1\tx\nP\t1\tA\tAAA\tAA.1\tnot-a-number\t2\t3\t-\n";
        let e = Gazetteer::parse(t, "g.tsv").unwrap_err();
        assert!(
            e.to_string().contains("g.tsv:2") && e.to_string().contains("latitude"),
            "{e}"
        );
        let t = "#dyad-gazetteer\t1\tx\nN\tfoo\t7\n";
        let e = Gazetteer::parse(t, "g.tsv").unwrap_err();
        assert!(e.to_string().contains("out of range"), "{e}");
        let place = "#dyad-gazetteer\t1\tx\nP\t1\tA\tAAA\tAA.1\t1\t2\t3\t-\n";
        for (bad_n, want) in [
            ("N\tfoo\t\n", "empty place list"),
            ("N\tfoo\t0,x\n", "bad or out of range"),
            ("N\tfoo\t0,\n", "bad or out of range"),
            ("N\tfoo\n", "needs key and place list"),
            ("Q\tfoo\n", "unknown record type"),
        ] {
            let t = format!("{place}{bad_n}");
            let e = Gazetteer::parse(&t, "g.tsv").unwrap_err();
            assert!(
                e.to_string().contains("g.tsv:3") && e.to_string().contains(want),
                "{bad_n:?}: {e}"
            );
        }
        let ok = format!("{place}N\tfoo\t0\n");
        let g = Gazetteer::parse(&ok, "g.tsv").expect("valid");
        assert_eq!(g.lookup_folded("foo"), &[0]);
    }

    #[test]
    fn small_file_resolves_with_hints() {
        let t = "#dyad-gazetteer\t1\ttest\n\
                 C\t1\tAland\tAAA\tAA\t1.0\t1.0\t1000000\n\
                 P\t2\tTown\tAAA\tAA.1\t1.0\t1.0\t500000\tc\n\
                 P\t3\tTown\tBBB\tBB.1\t2.0\t2.0\t20000\t-\n\
                 N\ttown\t1,2\n";
        let g = Gazetteer::parse(t, "t").expect("parses");
        assert_eq!(g.len(), 3);
        let (_, p) = g.resolve("TOWN", &Hints::default()).expect("found");
        assert_eq!(p.geonameid, 2);
        let bbb = [*b"BBB"];
        let h = Hints {
            actor_countries: &bbb,
            ..Hints::default()
        };
        // ln(500001)+2 = 15.1 vs ln(20001)+5 = 14.9: the capital still wins.
        assert_eq!(g.resolve("Town", &h).expect("found").1.geonameid, 2);
        let h = Hints {
            actor_countries: &bbb,
            admin1: Some("BB.1"),
            ..Hints::default()
        };
        assert_eq!(g.resolve("Town", &h).expect("found").1.geonameid, 3);
        assert!(g.resolve("Nowhere", &h).is_none());
    }
}
