//! No reader panics on any input: random bytes, and random mixes of the
//! formats' own punctuation, fed to every reader and to `check`.

use std::io::Write;
use std::path::PathBuf;

use dyad_dict::{actors, agents, check, codebooks, discards, issues, verbs, DictKind};
use proptest::prelude::*;

fn all_readers(bytes: &[u8]) {
    let book = codebooks::validate_suite();
    let (v, d) = verbs::read_p1("f", bytes, book);
    // diagnostics always name the file and a line within the input
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    assert!(d.iter().all(|x| &*x.file == "f" && x.line <= lines));
    for b in &v.blocks {
        for verb in &b.verbs {
            let _ = verb.forms();
        }
        for p in &b.patterns {
            let _ = (p.before(), p.after());
        }
    }
    for s in &v.synsets {
        let _ = s.forms();
    }
    let _ = verbs::read_p2("f", bytes, book);
    let _ = verbs::detect_format(bytes);
    let (a, d) = actors::read("f", bytes);
    assert!(d.iter().all(|x| x.line <= lines));
    for e in &a.entries {
        let _ = e.code_on(
            chrono::NaiveDate::from_ymd_opt(2010, 1, 1),
            Default::default(),
        );
    }
    let _ = agents::read("f", bytes);
    let _ = discards::read("f", bytes);
    let (i, _) = issues::read("f", bytes);
    for e in i.entries.iter().take(50) {
        if e.tokens.len() <= 4 {
            let _ = e.expansions();
        }
    }
}

/// Lines built from the formats' own symbols, so the parsers' deeper
/// branches are reached.
fn dictish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop::sample::select(vec![
        "---",
        " ",
        "\t",
        "[",
        "]",
        "{",
        "}",
        "(",
        ")",
        "&",
        "+",
        "-",
        "*",
        "$",
        "%",
        "^",
        "_",
        "~",
        "!",
        "=",
        ":",
        "#",
        ";",
        "<!--",
        "-->",
        "<ISSUE CATEGORY=\"A\">",
        "</ISSUE>",
        "n:",
        "v:",
        "ABC",
        "042",
        "---",
        "###",
        "013:012",
        "<",
        ">",
        "950101",
        "20101231",
        "2004017",
        "\n",
        "\n",
        "\n",
        "\r\n",
        "\u{e9}",
        "\u{0}",
        "/",
        ",",
        ".",
        "Q",
        "a",
        "=",
    ]);
    prop::collection::vec(piece, 0..200).prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        all_readers(&bytes);
    }

    #[test]
    fn random_dictionary_shaped_text_never_panics(bytes in dictish()) {
        all_readers(&bytes);
    }
}

#[test]
fn check_survives_garbage_files_of_every_kind() {
    let dir = std::env::temp_dir().join(format!("dyad-dict-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let garbage: &[u8] =
        b"\xff\xfe[[[ ---\n\t[X 99999999-1]\n~ ( ) =\n- * ( { [042:\n!A! = \n<ISSUE\n";
    let mut paths: Vec<(PathBuf, Option<DictKind>)> = Vec::new();
    for (i, k) in [
        DictKind::VerbsP1,
        DictKind::VerbsP2,
        DictKind::Actors,
        DictKind::Agents,
        DictKind::Discards,
        DictKind::Issues,
    ]
    .into_iter()
    .enumerate()
    {
        let p = dir.join(format!("g{i}.txt"));
        std::fs::File::create(&p)
            .and_then(|mut f| f.write_all(garbage))
            .expect("write");
        paths.push((p, Some(k)));
    }
    let r = check(&paths, codebooks::standard()).expect("readable");
    assert_eq!(r.files.len(), 6);
    assert!(!r.diagnostics.is_empty());
    let shown = r.to_string();
    assert!(shown
        .lines()
        .last()
        .is_some_and(|l| l.starts_with("files 6 entries ")));
    let _ = std::fs::remove_dir_all(&dir);
}
