//! The store's `actor_country` and the output writers' actor-code splits
//! read the same role table (`dyad_core::actor_roles`); this checks that
//! they agree on every actor code in dyad's own dictionaries (and in the
//! Phoenix dictionaries under `../shared` when present).

use dyad_output::actor::{split_gdelt, split_phoenix, split_plover};
use dyad_store::actor_country;
use std::path::Path;

/// Every bracketed code (`[USAGOV]`, `[~MIL]`, `[SUNGOV 19850311-…]`) in
/// the dictionary files of `dir`, `~` stripped.
fn dictionary_codes(dir: &Path) -> Vec<String> {
    let mut codes = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return codes;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for chunk in text.split('[').skip(1) {
            let code: String = chunk
                .trim_start_matches('~')
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '-')
                .collect();
            if !code.is_empty() {
                codes.push(code);
            }
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

/// Asserts that the store and each writer read `code`'s country alike.
fn assert_agree(code: &str) {
    let store = actor_country(code);
    let gdelt = split_gdelt(code).country;
    assert_eq!(
        store.as_deref(),
        (!gdelt.is_empty()).then_some(gdelt),
        "store vs GDELT country of {code:?}"
    );
    if let Some(c) = &store {
        assert_eq!(
            split_plover(code).code,
            c,
            "store vs PLOVER entity of {code:?}"
        );
        assert_eq!(
            split_phoenix(code).entity,
            c,
            "store vs Phoenix entity of {code:?}"
        );
    }
}

#[test]
fn known_codes() {
    let cases = [
        ("IRQGOV", Some("IRQ")),
        ("USAMILREB", Some("USA")),
        ("NGOUSA", None),
        ("IGOUNONSC", None),
        ("GOVUSA", None),
        ("CHRCTH", None),
        ("REL", None),
        ("---GOV", None),
        ("US", None),
        ("", None),
        ("é", None),
    ];
    for (code, want) in cases {
        assert_eq!(actor_country(code).as_deref(), want, "{code:?}");
        assert_agree(code);
    }
}

#[test]
fn store_and_writers_agree_on_dictionary_codes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let ours = dictionary_codes(&root.join("data/dict"));
    assert!(
        ours.len() > 100,
        "found only {} codes in data/dict",
        ours.len()
    );
    let with_country = ours.iter().filter(|c| actor_country(c).is_some()).count();
    assert!(
        with_country > 100,
        "only {with_country} codes have a country"
    );
    for code in &ours {
        assert_agree(code);
    }
    let phoenix = root.join("../shared/data/phoenix");
    if !phoenix.is_dir() {
        eprintln!("skipping the Phoenix dictionaries: ../shared not found");
        return;
    }
    for code in dictionary_codes(&phoenix) {
        assert_agree(&code);
    }
}
