//! Splitting CAMEO actor codes into the per-format fields (GDELT's
//! country/group/religion/type columns, Phoenix's entity/role/attribute,
//! PLOVER's entity code and sector).
//!
//! The vocabulary is [`dyad_core::actor_roles`] (the data file
//! `crates/dyad-core/data/actor_roles.tsv`), the same table the store
//! derives an event's countries from.

use dyad_core::actor_roles::{is_entity_at, role_at, segments, Kind};

/// An actor code split the GDELT way.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct GdeltActor<'a> {
    /// Country code (first segment, when it is a country).
    pub country: &'a str,
    /// Known group (IGO/NGO/rebel organisation code).
    pub known_group: &'a str,
    /// Up to two religion codes.
    pub religion: [&'a str; 2],
    /// Up to three type codes.
    pub types: [&'a str; 3],
}

/// Splits an actor code into GDELT's columns. Ethnic codes are never
/// filled: the code alone cannot tell an ethnic group from a known group.
pub fn split_gdelt(code: &str) -> GdeltActor<'_> {
    let mut out = GdeltActor::default();
    let (mut nrel, mut ntype) = (0, 0);
    for (i, seg) in segments(code).enumerate() {
        match role_at(seg, i) {
            Some(r) if r.kind == Kind::Religion => {
                if let Some(slot) = out.religion.get_mut(nrel) {
                    *slot = seg;
                    nrel += 1;
                }
            }
            Some(_) => {
                if let Some(slot) = out.types.get_mut(ntype) {
                    *slot = seg;
                    ntype += 1;
                }
            }
            None if i == 0 && is_entity_at(seg, 0) => out.country = seg,
            None if out.known_group.is_empty()
                && seg.len() == 3
                && seg.bytes().all(|b| b.is_ascii_uppercase()) =>
            {
                out.known_group = seg
            }
            None => {}
        }
    }
    out
}

/// An actor code split the Phoenix way.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PhoenixActor<'a> {
    /// Root: the first segment (country or IGO/NGO/IMG/MNC), empty for `---`.
    pub entity: &'a str,
    /// The first segment that is a Phoenix role code.
    pub role: &'a str,
    /// Every other segment after the root, in order.
    pub attributes: Vec<&'a str>,
}

/// Splits an actor code into Phoenix's entity/role/attribute columns.
pub fn split_phoenix(code: &str) -> PhoenixActor<'_> {
    let mut out = PhoenixActor::default();
    for (i, seg) in segments(code).enumerate() {
        if i == 0 {
            if seg != "---" && role_at(seg, 0).is_none_or(|r| r.kind == Kind::Org) {
                out.entity = seg;
                continue;
            }
            if seg == "---" {
                continue;
            }
        }
        if out.role.is_empty() && role_at(seg, i).is_some_and(|r| r.phoenix_role) {
            out.role = seg;
        } else {
            out.attributes.push(seg);
        }
    }
    out
}

/// An actor code read the PLOVER way.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PloverActor<'a> {
    /// Top-level entity: a country code, or `UNO`/`EUR`/`IGO`/`NGO`/`IMG`/`MNC`.
    pub code: &'a str,
    /// Sectors in code order, first = primary; de-duplicated.
    pub sectors: Vec<&'static str>,
    /// A religion code, if the actor code has one.
    pub religion: Option<&'a str>,
}

/// Reads an actor code as a PLOVER entity: CAMEO roles are mapped to
/// PLOVER sectors through the role table (CAMEO `MED` media becomes
/// `JRN`, `HLH` health becomes `MED`, `INS`/`SEP` become `REB`).
pub fn split_plover(code: &str) -> PloverActor<'_> {
    let mut out = PloverActor::default();
    let segs: Vec<&str> = segments(code).collect();
    let mut i = 0;
    if let Some(&first) = segs.first() {
        if first == "---" {
            i = 1;
        } else if is_entity_at(first, 0) {
            out.code = first;
            i = 1;
        } else if role_at(first, 0).is_some_and(|r| r.kind == Kind::Org) {
            out.code = first;
            i = 1;
            // The UN and the EU are entities of their own in PLOVER.
            if first == "IGO" {
                if let Some(&next) = segs.get(1) {
                    if next == "UNO" || next == "EUR" {
                        out.code = next;
                        i = 2;
                    }
                }
            }
        }
    }
    for &seg in &segs[i..] {
        if let Some(r) = role_at(seg, 1) {
            if r.kind == Kind::Religion && out.religion.is_none() {
                out.religion = Some(seg);
            }
            if let Some(s) = r.plover {
                if !out.sectors.contains(&s) {
                    out.sectors.push(s);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gdelt_split() {
        let a = split_gdelt("USAGOV");
        assert_eq!(a.country, "USA");
        assert_eq!(a.types, ["GOV", "", ""]);
        let a = split_gdelt("IRQMILSHI");
        assert_eq!(
            (a.country, a.types[0], a.religion[0]),
            ("IRQ", "MIL", "SHI")
        );
        let a = split_gdelt("IGOUNOKID");
        assert_eq!(a.country, "");
        assert_eq!(a.types[0], "IGO");
        assert_eq!(a.known_group, "UNO");
        let a = split_gdelt("---GOV");
        assert_eq!((a.country, a.types[0]), ("", "GOV"));
        assert_eq!(split_gdelt(""), GdeltActor::default());
    }

    #[test]
    fn phoenix_split() {
        let a = split_phoenix("USAGOVLEG");
        assert_eq!((a.entity, a.role), ("USA", "GOV"));
        assert_eq!(a.attributes, ["LEG"]);
        let a = split_phoenix("IGOUNO");
        assert_eq!((a.entity, a.role), ("IGO", ""));
        assert_eq!(a.attributes, ["UNO"]);
        let a = split_phoenix("---REB");
        assert_eq!((a.entity, a.role), ("", "REB"));
    }

    #[test]
    fn plover_split_maps_sectors() {
        let a = split_plover("USAMED");
        assert_eq!((a.code, a.sectors.clone()), ("USA", vec!["JRN"]));
        let a = split_plover("IGOUNO");
        assert_eq!(a.code, "UNO");
        assert!(a.sectors.is_empty());
        let a = split_plover("SYRINSSUN");
        assert_eq!(a.sectors, ["REB", "REL"]);
        assert_eq!(a.religion, Some("SUN"));
        assert_eq!(split_plover("é").code, "");
    }
}
