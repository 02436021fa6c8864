//! The vocabulary of CAMEO actor-code segments: which 3-letter segments
//! are roles/types (`GOV`, `MIL`, …), organisation types standing in the
//! country slot (`IGO`, `NGO`, …) or religions (`CHR`, `SUN`, …), with each
//! one's Phoenix role flag and PLOVER sector.
//!
//! It is the data file `data/actor_roles.tsv`, embedded at compile time and
//! checked by this module's tests. Every stage that reads actor codes asks
//! it: the output writers split codes into per-format fields with it and
//! the store derives an event's countries with [`country`].

use std::sync::OnceLock;

const TABLE: &str = include_str!("../data/actor_roles.tsv");

/// What a 3-letter segment of an actor code is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A role/type code such as `GOV`.
    Type,
    /// An organisation type in the country slot, such as `IGO`.
    Org,
    /// A religion code such as `CHR`.
    Religion,
}

/// One row of the role table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Role {
    /// What the segment is.
    pub kind: Kind,
    /// Phoenix puts it in the `*ActorRole` column.
    pub phoenix_role: bool,
    /// The PLOVER sector, if any.
    pub plover: Option<&'static str>,
    /// In the first position of a code the segment is a country, not this
    /// role (`SUN`: Sunni after the first segment, the Soviet Union's
    /// former ISO code in first position, as in `SUNGOV`).
    pub first_is_country: bool,
}

/// The role table, sorted by code for binary search (faster than hashing
/// a 3-byte key on the writers' hot path).
fn table() -> &'static [(&'static str, Role)] {
    static T: OnceLock<Vec<(&'static str, Role)>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = Vec::new();
        for line in TABLE.lines() {
            if line.starts_with('#') || line.starts_with("code\t") || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&'static str> = line.split('\t').collect();
            // The embedded table is validated by the tests below; a
            // malformed row is skipped rather than panicking.
            if !(4..=5).contains(&f.len()) {
                continue;
            }
            let kind = match f[1] {
                "type" => Kind::Type,
                "org" => Kind::Org,
                "religion" => Kind::Religion,
                _ => continue,
            };
            m.push((
                f[0],
                Role {
                    kind,
                    phoenix_role: f[2] == "1",
                    plover: (f[3] != "-").then_some(f[3]),
                    first_is_country: f.get(4) == Some(&"first=country"),
                },
            ));
        }
        m.sort_by_key(|(code, _)| *code);
        m.dedup_by_key(|(code, _)| *code);
        m
    })
}

/// Looks a 3-letter segment up in the role table.
pub fn role(seg: &str) -> Option<Role> {
    let t = table();
    t.binary_search_by(|(code, _)| (*code).cmp(seg))
        .ok()
        .map(|i| t[i].1)
}

/// The role of `seg` at position `pos` (0-based segment index) of a code:
/// like [`role`], except that a segment marked `first=country` in the
/// table is no role in the first position.
pub fn role_at(seg: &str, pos: usize) -> Option<Role> {
    role(seg).filter(|r| !(pos == 0 && r.first_is_country))
}

/// Iterates the 3-character segments of an actor code (a shorter tail is
/// yielded as is).
pub fn segments(code: &str) -> impl Iterator<Item = &str> {
    let mut rest = code;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // Codes are ASCII; a non-ASCII code is yielded whole so that no
        // slice ever falls inside a character.
        let cut = if rest.is_char_boundary(3.min(rest.len())) {
            3.min(rest.len())
        } else {
            rest.len()
        };
        let (head, tail) = rest.split_at(cut);
        rest = tail;
        Some(head)
    })
}

/// Whether `seg` at position `pos` of a code is an entity (country or
/// other top-level) code: three ASCII capitals and no role there.
pub fn is_entity_at(seg: &str, pos: usize) -> bool {
    seg.len() == 3 && seg.bytes().all(|b| b.is_ascii_uppercase()) && role_at(seg, pos).is_none()
}

/// Whether a segment can be a country / top-level entity code: three
/// upper-case ASCII letters not listed in the role table (in any
/// position but the first; see [`is_entity_at`]).
pub fn is_entity(seg: &str) -> bool {
    seg.len() == 3 && seg.bytes().all(|b| b.is_ascii_uppercase()) && role(seg).is_none()
}

/// The country (or other top-level entity) of an actor code: its first
/// segment when that is one by [`is_entity_at`], so `IRQGOV` gives `IRQ` while
/// `NGOUSA`, `GOVUSA` and `---GOV` give none.
pub fn country(code: &str) -> Option<&str> {
    segments(code).next().filter(|seg| is_entity_at(seg, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_are_all_well_formed() {
        let mut rows = 0;
        for line in TABLE.lines() {
            if line.starts_with('#') || line.starts_with("code\t") || line.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            assert!(
                f.len() == 4 || (f.len() == 5 && f[4] == "first=country"),
                "{line:?}"
            );
            assert_eq!(f[0].len(), 3, "{line:?}");
            assert!(["type", "org", "religion"].contains(&f[1]), "{line:?}");
            assert!(["0", "1"].contains(&f[2]), "{line:?}");
            rows += 1;
        }
        assert_eq!(rows, table().len(), "duplicate codes in the table");
    }

    #[test]
    fn soviet_union_in_first_position_sunni_after() {
        assert_eq!(country("SUNGOV"), Some("SUN"));
        assert_eq!(country("MOSSUN"), None);
        assert_eq!(role_at("SUN", 1).map(|r| r.kind), Some(Kind::Religion));
        assert!(role_at("SUN", 0).is_none());
        assert_eq!(country("CHRCTH"), None);
    }

    #[test]
    fn lookups_and_segments() {
        assert_eq!(role("GOV").map(|r| r.kind), Some(Kind::Type));
        assert_eq!(role("NGO").map(|r| r.kind), Some(Kind::Org));
        assert_eq!(role("CHR").map(|r| r.kind), Some(Kind::Religion));
        assert_eq!(role("MED").and_then(|r| r.plover), Some("JRN"));
        assert!(role("USA").is_none());
        assert_eq!(
            segments("IGOUNOSC").collect::<Vec<_>>(),
            ["IGO", "UNO", "SC"]
        );
        assert_eq!(segments("é").collect::<Vec<_>>(), ["é"]);
    }

    #[test]
    fn country_is_the_first_segment_unless_it_is_listed() {
        assert_eq!(country("IRQGOV"), Some("IRQ"));
        assert_eq!(country("USA"), Some("USA"));
        for code in [
            "NGOUSA", "GOVUSA", "IGOUNO", "CHR", "REL", "---GOV", "US", "usa", "", "é",
        ] {
            assert_eq!(country(code), None, "{code:?}");
        }
    }
}
