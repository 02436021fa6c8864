//! The default dictionary set: loads clean, every code is in the codebook,
//! the seed article's people and groups are there with the right codes.
use std::path::PathBuf;

use chrono_free_date::ymd;
use dyad_core::cameo::Codebook;
use dyad_curate::{codes_not_in_codebook, default_dict_dir, default_set_paths, load_default};
use dyad_dict::{DateSemantics, DictKind, Severity};

mod chrono_free_date {
    /// A date for actor lookups.
    pub fn ymd(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }
}

fn all_files() -> Vec<(PathBuf, Option<DictKind>)> {
    let sp = default_set_paths(&default_dict_dir());
    let mut files: Vec<(PathBuf, Option<DictKind>)> = Vec::new();
    files.extend(
        sp.verbs
            .iter()
            .map(|p| (p.clone(), Some(DictKind::VerbsP1))),
    );
    files.extend(
        sp.actors
            .iter()
            .map(|p| (p.clone(), Some(DictKind::Actors))),
    );
    files.extend(
        sp.agents
            .iter()
            .map(|p| (p.clone(), Some(DictKind::Agents))),
    );
    files.extend(
        sp.discards
            .iter()
            .map(|p| (p.clone(), Some(DictKind::Discards))),
    );
    files.extend(
        sp.issues
            .iter()
            .map(|p| (p.clone(), Some(DictKind::Issues))),
    );
    files
}

#[test]
fn default_set_passes_dict_check_with_no_errors_or_warnings() {
    let report = dyad_dict::check(&all_files(), Codebook::builtin()).expect("files readable");
    let bad: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.severity >= Severity::Warning)
        .map(|d| d.to_string())
        .collect();
    assert!(
        bad.is_empty(),
        "{} problems:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert!(
        report.entries() > 3000,
        "suspiciously few entries: {}",
        report.entries()
    );
}

#[test]
fn every_event_code_in_the_verbs_file_is_in_the_codebook() {
    let path = default_dict_dir().join("dyad.verbs.txt");
    let text = std::fs::read_to_string(&path).expect("verbs file");
    let unknown = codes_not_in_codebook(&text, Codebook::builtin());
    assert!(unknown.is_empty(), "codes not in the codebook: {unknown:?}");
    // The scan itself must be able to fail.
    let planted = codes_not_in_codebook(
        "--- X [042] ---\n- * FOO [999] # [1234]\n- * [042:0999]\n",
        Codebook::builtin(),
    );
    let planted: Vec<&str> = planted.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(planted, vec!["999", "0999"]);
}

fn code_of(
    set: &dyad_dict::DictionarySet,
    phrase: &str,
    date: Option<chrono::NaiveDate>,
) -> Option<String> {
    // Words joined by `_`, as in the files.
    let want = dyad_dict::Phrase::parse(phrase)?;
    set.actors
        .entries
        .iter()
        .find(|e| e.phrases.contains(&want))
        .and_then(|e| e.code_on(date, DateSemantics::default()))
        .map(|c| c.as_str().to_string())
}

#[test]
fn seed_article_actors_have_the_right_codes() {
    let (set, _) = load_default(&default_dict_dir()).expect("default set loads");
    let aug2023 = Some(ymd(2023, 8, 8));
    assert_eq!(
        code_of(&set, "THABIT_ABBASI", aug2023).as_deref(),
        Some("IRQMIL")
    );
    assert_eq!(
        code_of(&set, "THABIT_AL-ABBASI", None).as_deref(),
        Some("IRQMIL")
    );
    assert_eq!(
        code_of(&set, "CELESTE_WALLANDER", aug2023).as_deref(),
        Some("USAMIL")
    );
    assert_eq!(
        code_of(&set, "CELESTE_WALLANDER", Some(ymd(2025, 6, 1))).as_deref(),
        Some("USAELI")
    );
    assert_eq!(code_of(&set, "ISIS", None).as_deref(), Some("IMGISI"));
    assert_eq!(code_of(&set, "DAESH", None).as_deref(), Some("IMGISI"));
    assert_eq!(code_of(&set, "IRAQI", None).as_deref(), Some("IRQ"));
    assert_eq!(code_of(&set, "WASHINGTON", None).as_deref(), Some("USA"));
    assert_eq!(code_of(&set, "PENTAGON", None).as_deref(), Some("USAMIL"));
    assert_eq!(code_of(&set, "KREMLIN", None).as_deref(), Some("RUSGOV"));
    assert_eq!(code_of(&set, "THE_REFERENCE", None), None);
}

#[test]
fn date_restricted_codes_follow_terms_of_office() {
    let (set, _) = load_default(&default_dict_dir()).expect("default set loads");
    let on = |p: &str, y, m, d| code_of(&set, p, Some(ymd(y, m, d)));
    assert_eq!(on("DONALD_TRUMP", 2019, 1, 1).as_deref(), Some("USAGOV"));
    assert_eq!(on("DONALD_TRUMP", 2023, 1, 1).as_deref(), Some("USAELI"));
    assert_eq!(on("DONALD_TRUMP", 2026, 1, 1).as_deref(), Some("USAGOV"));
    assert_eq!(on("TALIBAN", 2015, 1, 1).as_deref(), Some("AFGREB"));
    assert_eq!(on("TALIBAN", 2022, 1, 1).as_deref(), Some("AFGGOV"));
    assert_eq!(on("RSF", 2024, 1, 1).as_deref(), Some("SDNREB"));
    assert_eq!(on("BASHAR_AL-ASSAD", 2020, 1, 1).as_deref(), Some("SYRGOV"));
    assert_eq!(on("BASHAR_AL-ASSAD", 2025, 1, 1).as_deref(), Some("SYRELI"));
    assert_eq!(on("AHMED_AL-SHARAA", 2025, 3, 1).as_deref(), Some("SYRGOV"));
    // Thailand's 2025 change: one curated, one generated from an abbreviated Factbook date
    assert_eq!(on("PAETONGTARN", 2025, 3, 1).as_deref(), Some("THAGOV"));
    assert_eq!(on("PAETONGTARN", 2025, 10, 1).as_deref(), Some("THAELI"));
    assert_eq!(
        on("ANUTIN_CHARNVIRAKUL", 2025, 10, 1).as_deref(),
        Some("THAGOV")
    );
    // Madagascar's October 2025 takeover
    assert_eq!(on("RAJOELINA", 2024, 1, 1).as_deref(), Some("MDGGOV"));
    assert_eq!(on("RAJOELINA", 2026, 1, 1).as_deref(), Some("MDGELI"));
    assert_eq!(on("RANDRIANIRINA", 2025, 1, 1).as_deref(), Some("MDGMIL"));
    assert_eq!(on("RANDRIANIRINA", 2026, 1, 1).as_deref(), Some("MDGGOV"));
}

#[test]
fn generated_files_are_up_to_date() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = root.join("../shared/data/factbook");
    if !shared.is_dir() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    // The generator's other inputs are Debian packages (.ci/run installs them).
    for (dir, pkg) in [
        ("/usr/share/iso-codes/json", "iso-codes"),
        ("/usr/share/wordnet", "wordnet-base"),
    ] {
        if !std::path::Path::new(dir).is_dir() {
            eprintln!("skipping: {dir} not found (Debian package {pkg})");
            return;
        }
    }
    let out = std::process::Command::new("python3")
        .arg(root.join("tools/dictgen/dictgen.py"))
        .arg("--check")
        .output();
    match out {
        Ok(o) => assert!(
            o.status.success(),
            "dictgen --check: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => eprintln!("skipping: python3 not runnable: {e}"),
    }
}
