//! The real dictionaries in ../shared: the unit-test suite's set and the
//! full Phoenix set load with zero errors, and the readers' counts agree
//! with independent line scans. Skips when ../shared is absent.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use dyad_dict::{codebooks, set, DictionarySet, Severity, Verbs};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipping: ../shared not found");
        None
    }
}

fn text(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).expect("readable")).into_owned()
}

/// Lines that are not inside `<!-- -->` comments, `#`-comment lines removed.
fn live_lines(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_comment = false;
    for l in src.lines() {
        let mut l = l.to_string();
        if in_comment {
            match l.find("-->") {
                Some(i) => {
                    in_comment = false;
                    l = l[i + 3..].to_string();
                }
                None => continue,
            }
        }
        while let Some(i) = l.find("<!--") {
            match l[i..].find("-->") {
                Some(j) => l.replace_range(i..i + j + 3, ""),
                None => {
                    in_comment = true;
                    l.truncate(i);
                }
            }
        }
        if l.trim_start().starts_with('#') || l.trim_start().starts_with("<!") {
            continue;
        }
        out.push(l);
    }
    out
}

fn count_diag(diags: &[dyad_dict::Diagnostic], file: &Path, needle: &str) -> usize {
    let f = file.display().to_string();
    diags
        .iter()
        .filter(|d| *d.file == *f && d.cause.contains(needle))
        .count()
}

fn check_verb_counts(path: &Path, verbs: &Verbs, diags: &[dyad_dict::Diagnostic]) {
    let live = live_lines(&text(path));
    let headers = live.iter().filter(|l| l.starts_with("---")).count();
    let patterns = live
        .iter()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .count();
    let synsets = live.iter().filter(|l| l.starts_with('&')).count();
    let skipped = count_diag(diags, path, "skipped");
    let (blocks, nsyn) = match verbs {
        Verbs::P1(v) => (v.blocks.len(), v.synsets.len()),
        Verbs::P2(v) => (v.blocks.len(), v.synsets.len()),
    };
    assert_eq!(
        blocks,
        headers,
        "{}: blocks vs `---` headers",
        path.display()
    );
    assert_eq!(nsyn, synsets, "{}: synsets vs `&` lines", path.display());
    assert_eq!(
        verbs.pattern_count() + skipped,
        patterns,
        "{}: patterns read + patterns skipped vs `-` lines",
        path.display()
    );
    assert!(
        verbs.pattern_count() * 100 >= patterns * 99,
        "almost every pattern is read"
    );
}

#[test]
fn validate_set_loads_with_zero_errors_and_expected_counts() {
    let Some(data) = shared() else { return };
    let dir = data.join("petrarch2");
    let verbs = dir.join("PETR.Validate.verbs.txt");
    let actors = dir.join("PETR.Validate.actors.txt");
    let agents = dir.join("PETR.Validate.agents.txt");
    let discards = dir.join("PETR.Validate.discards.txt");
    assert!(std::ptr::eq(
        codebooks::for_verbs_file(&verbs),
        codebooks::validate_suite()
    ));
    let (set, diags) = DictionarySet::load(
        Some(&verbs),
        &[actors.as_path()],
        Some(&agents),
        Some(&discards),
        None,
        codebooks::for_verbs_file(&verbs),
    )
    .expect("readable");
    let errors: Vec<String> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let v = set.verbs.as_ref().expect("verbs");
    assert!(matches!(v, Verbs::P1(_)));
    check_verb_counts(&verbs, v, &diags);

    // actors: primary lines = lines starting with a letter or digit
    let live = live_lines(&text(&actors));
    let primaries = live
        .iter()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()))
        .count();
    assert_eq!(set.actors.entries.len(), primaries);
    // the multi-code entry of the suite
    assert!(set
        .actors
        .entries
        .iter()
        .any(|e| e.code.as_ref().is_some_and(|c| c.parts().count() == 3)));

    let ag = set.agents.as_ref().expect("agents");
    let records = live_lines(&text(&agents))
        .iter()
        .filter(|l| l.contains('[') && !(l.trim_start().starts_with('!') && l.contains('=')))
        .count();
    assert_eq!(ag.entries.len(), records);
    // the substitution marker of the suite expands into five forms
    let cong = ag
        .forms
        .iter()
        .filter(|f| f.phrase.as_str().starts_with("CONGRESS") && f.phrase.len() == 1)
        .count();
    assert!(
        cong >= 6,
        "CONGRESS, CONGRESSES and five !PERSON! forms: {cong}"
    );

    let dd = set.discards.as_ref().expect("discards");
    let lines = live_lines(&text(&discards))
        .iter()
        .filter(|l| !l.trim().is_empty())
        .count();
    assert_eq!(dd.entries.len(), lines);
}

#[test]
fn validate_legacy_codes_are_exactly_the_extension_table() {
    let Some(data) = shared() else { return };
    let verbs = data.join("petrarch2/PETR.Validate.verbs.txt");
    // Every bracketed code of the file, by a plain scan.
    let mut used = BTreeSet::new();
    for l in live_lines(&text(&verbs)) {
        let l = match l.find(" #") {
            Some(i) => l[..i].to_string(),
            None => l,
        };
        let mut rest = l.as_str();
        while let Some(i) = rest.find('[') {
            let Some(j) = rest[i..].find(']') else { break };
            for c in rest[i + 1..i + j].split(':') {
                let c = c.trim().trim_end_matches(['!', '?']);
                if !c.is_empty() && c != "---" && c != "###" && !codebooks::standard().contains(c) {
                    used.insert(c.to_string());
                }
            }
            rest = &rest[i + j..];
        }
    }
    let table: BTreeSet<String> = codebooks::VALIDATE_EXTENSION
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next().map(str::to_string))
        .collect();
    assert_eq!(
        used, table,
        "every table entry is used and every legacy code is declared"
    );
    // Without the table, the file's legacy codes are load errors.
    let (_, diags) = set::load_verbs(&verbs, codebooks::standard()).expect("readable");
    assert!(
        diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
            >= 30
    );
}

#[test]
fn phoenix_set_loads_with_zero_errors_in_both_verb_formats() {
    let Some(data) = shared() else { return };
    let px = data.join("phoenix");
    let actors: Vec<PathBuf> = ["Countries", "International", "MilNonState"]
        .iter()
        .map(|n| px.join(format!("Phoenix.{n}.actors.txt")))
        .collect();
    let actor_refs: Vec<&Path> = actors.iter().map(PathBuf::as_path).collect();
    for (verbs_name, want_p2) in [
        ("CAMEO.2.0.txt", true),
        ("CAMEO.verbpatterns.150430.txt", false),
    ] {
        let verbs = px.join(verbs_name);
        let (set, diags) = DictionarySet::load(
            Some(&verbs),
            &actor_refs,
            Some(&px.join("Phoenix.agents.txt")),
            Some(&px.join("Phoenix.discards.txt")),
            Some(&px.join("Phoenix.IssueCoding.txt")),
            codebooks::for_verbs_file(&verbs),
        )
        .expect("readable");
        let errors: Vec<String> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let v = set.verbs.as_ref().expect("verbs");
        assert_eq!(matches!(v, Verbs::P2(_)), want_p2);
        check_verb_counts(&verbs, v, &diags);
        if let Verbs::P2(v2) = v {
            let tilde = live_lines(&text(&verbs))
                .iter()
                .filter(|l| l.starts_with('~'))
                .count();
            assert_eq!(v2.transformations.len(), tilde);
        }
        // actors: every primary line of the three files is an entry
        let mut primaries = 0;
        for a in &actors {
            let live = live_lines(&text(a));
            primaries += live
                .iter()
                .filter(|l| {
                    let t = l.trim();
                    !t.is_empty() && !t.starts_with(['+', '['])
                })
                .count();
        }
        assert_eq!(set.actors.entries.len(), primaries);
        assert_eq!(set.actors.files.len(), 3);
        // dated restrictions: every `[CODE date…]` line is read (repairs allowed, skips counted)
        let dated: usize = set
            .actors
            .entries
            .iter()
            .map(|e| {
                e.restrictions
                    .iter()
                    .filter(|r| r.start.is_some() || r.end.is_some())
                    .count()
            })
            .sum();
        assert!(
            dated > 20_000,
            "Phoenix has tens of thousands of dated codes: {dated}"
        );
        let agents = set.agents.as_ref().expect("agents");
        assert!(agents.forms.len() > agents.entries.len());
        assert!(set.issues.as_ref().is_some_and(|i| i.entries.len() > 2_500));
        assert!(set.discards.as_ref().is_some_and(|d| d.entries.len() > 400));
    }
}

#[test]
fn the_sloppy_seven_digit_date_is_repaired_with_a_report() {
    let Some(data) = shared() else { return };
    let p = data.join("phoenix/Phoenix.International.actors.txt");
    let (_, diags) = set::load_actors(&p).expect("readable");
    let hits: Vec<String> = diags
        .iter()
        .filter(|d| d.cause.contains("7-digit date"))
        .map(|d| d.to_string())
        .collect();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0].starts_with(&format!("{}:", p.display())));
    assert_eq!(
        diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        0
    );
}

#[test]
fn split_parallel_load_equals_sequential_read() {
    let Some(data) = shared() else { return };
    let p = data.join("phoenix/Phoenix.Countries.actors.txt");
    let (seq, seq_diags) = set::load_actors(&p).expect("readable");
    let (par, par_diags) = DictionarySet::load(
        None,
        &[p.as_path()],
        None,
        None,
        None,
        codebooks::standard(),
    )
    .expect("readable");
    assert_eq!(par.actors.files, seq.files);
    assert_eq!(par.actors.entries.len(), seq.entries.len());
    assert!(par.actors.entries == seq.entries, "entries differ");
    assert_eq!(par_diags, seq_diags);
}

#[test]
fn split_parallel_verb_load_equals_sequential_read() {
    let Some(data) = shared() else { return };
    for f in [
        "phoenix/CAMEO.verbpatterns.150430.txt",
        "phoenix/CAMEO.2.0.txt",
    ] {
        let p = data.join(f);
        let bytes = std::fs::read(&p).expect("readable");
        assert_eq!(
            dyad_dict::verbs::split_points(&bytes, 2).len(),
            1,
            "{f} is cut once"
        );
        let (seq, seq_diags) = set::load_verbs(&p, codebooks::standard()).expect("readable");
        let (par, par_diags) =
            DictionarySet::load(Some(&p), &[], None, None, None, codebooks::standard())
                .expect("readable");
        assert!(par.verbs.as_ref() == Some(&seq), "{f}: verbs differ");
        assert_eq!(par_diags, seq_diags, "{f}");
    }
}
