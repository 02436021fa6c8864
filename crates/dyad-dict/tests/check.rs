//! `check`: kind detection, load diagnostics, the lints and the report's
//! summary line.

use std::path::{Path, PathBuf};

use dyad_dict::check::detect_kind;
use dyad_dict::{check, codebooks, DictKind, Severity};

struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("dyad-dict-check-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&p).expect("temp dir");
        TempDir(p)
    }
    fn file(&self, name: &str, body: &str) -> PathBuf {
        let p = self.0.join(name);
        std::fs::write(&p, body).expect("write");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn lints_duplicates_conflicts_overlaps_and_unknown_codes() {
    let t = TempDir::new("lints");
    let a1 = t.file(
        "one.actors.txt",
        "GONDOR [GON]\n+MINAS_TIRITH\n\nROHAN [ROH]\n\nTHEODEN\n\t[ROHGOV 20000101-20101231]\n\t[ROHMIL 20050101-20151231]\n\t[ROHELI 20151231-20201231]\n",
    );
    let a2 = t.file("two.actors.txt", "GONDOR [GON]\nMINAS_TIRITH [MOR]\n");
    let ag = t.file(
        "x.agents.txt",
        "STEWARD [~GOV]\nSTEWARD [~GOV]\nGUARD [~MIL]\nGUARD [~COP]\n",
    );
    let v = t.file(
        "x.verbs.txt",
        "--- MEET [040] ---\nMEET\n- * + TODAY [042]\n- * + TODAY [042]\n- * + AGAIN [043]\n- * + AGAIN [044]\n- * + NEVER [999]\n--- GREET [041] ---\nMEET\n",
    );
    let d = t.file(
        "x.discards.txt",
        "DRAGON RACE\n+DRAGON RACE\nORC BALL\nORC BALL\n",
    );
    let i = t.file("x.issues.txt", "n:ring [MAGIC]\nrings [JEWELRY]\n");
    let paths: Vec<(PathBuf, Option<DictKind>)> = [&a1, &a2, &ag, &v, &d, &i]
        .iter()
        .map(|p| ((*p).clone(), None))
        .collect();
    let r = check(&paths, codebooks::standard()).expect("readable");
    let kinds: Vec<Option<DictKind>> = r.files.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            Some(DictKind::Actors),
            Some(DictKind::Actors),
            Some(DictKind::Agents),
            Some(DictKind::VerbsP1),
            Some(DictKind::Discards),
            Some(DictKind::Issues)
        ]
    );
    let lines: Vec<String> = r.to_string().lines().map(str::to_string).collect();
    let has = |prefix: &str, needle: &str| {
        lines
            .iter()
            .any(|l| l.starts_with(prefix) && l.contains(needle))
    };
    let a2s = a2.display().to_string();
    let a1s = a1.display().to_string();
    assert!(
        has(
            &format!("{a2s}:1: warning: duplicate: actor phrase GONDOR"),
            &format!("{a1s}:1")
        ),
        "{lines:#?}"
    );
    assert!(
        has(
            &format!("{a2s}:2: warning: conflict: actor phrase MINAS TIRITH has codes MOR"),
            "GON"
        ),
        "{lines:#?}"
    );
    assert!(
        has(
            &format!("{a1s}:8: warning: overlap: date ranges of actor THEODEN"),
            "[ROHGOV 20000101-20101231]"
        ),
        "{lines:#?}"
    );
    // the chained restriction that only touches at 20151231 is not an overlap
    assert_eq!(
        lines.iter().filter(|l| l.contains("overlap:")).count(),
        1,
        "{lines:#?}"
    );
    let ags = ag.display().to_string();
    assert!(
        has(&format!("{ags}:2: warning: duplicate: agent STEWARD"), ""),
        "{lines:#?}"
    );
    assert!(
        has(
            &format!("{ags}:4: warning: conflict: agent GUARD is ~COP here but ~MIL"),
            ""
        ),
        "{lines:#?}"
    );
    let vs = v.display().to_string();
    assert!(
        has(
            &format!("{vs}:4: warning: duplicate: pattern repeats line 3"),
            ""
        ),
        "{lines:#?}"
    );
    assert!(
        has(
            &format!("{vs}:6: warning: conflict: pattern repeats line 5"),
            "[044] instead of [043]"
        ),
        "{lines:#?}"
    );
    assert!(
        has(
            &format!("{vs}:7: error: code 999 is not in the CAMEO codebook"),
            ""
        ),
        "{lines:#?}"
    );
    assert!(
        has(
            &format!("{vs}:9: warning: conflict: verb MEET has code [041] here but [040]"),
            ""
        ),
        "{lines:#?}"
    );
    let ds = d.display().to_string();
    assert!(
        has(
            &format!("{ds}:2: warning: conflict: discard DRAGON RACE"),
            ""
        ),
        "{lines:#?}"
    );
    assert!(
        has(&format!("{ds}:4: warning: duplicate: discard ORC BALL"), ""),
        "{lines:#?}"
    );
    let is = i.display().to_string();
    assert!(
        has(
            &format!("{is}:2: warning: conflict: issue phrase RINGS is JEWELRY here but MAGIC"),
            ""
        ),
        "{lines:#?}"
    );
    assert_eq!(r.errors(), 1);
    // entries: actors 3 + 2, agents 4, verbs 2 verbs + 4 patterns, discards 4, issues 2
    assert_eq!(r.entries(), 3 + 2 + 4 + 6 + 4 + 2);
    assert_eq!(
        lines.last().map(String::as_str),
        Some(format!("files 6 entries 21 errors 1 warnings {}", r.warnings()).as_str())
    );
    assert!(r.warnings() >= 10);
    assert_eq!(r.count(Severity::Warning), r.warnings());
}

#[test]
fn explicit_kind_overrides_detection_and_unknown_kind_is_reported() {
    let t = TempDir::new("kinds");
    let p = t.file("mystery.dat", "");
    let r = check(&[(p.clone(), None)], codebooks::standard()).expect("readable");
    assert_eq!(r.errors(), 1);
    assert!(r
        .to_string()
        .contains("cannot tell what kind of dictionary"));
    let q = t.file("list.txt", "SOMETHING [~GOV]\n");
    assert_eq!(
        detect_kind(Path::new("list.txt"), b"SOMETHING [~GOV]\n"),
        Some(DictKind::Agents)
    );
    let r = check(&[(q, Some(DictKind::Discards))], codebooks::standard()).expect("readable");
    assert_eq!(r.files[0].kind, Some(DictKind::Discards));
    assert_eq!("verbs2".parse::<DictKind>(), Ok(DictKind::VerbsP2));
    assert!("nonsense".parse::<DictKind>().is_err());
    let missing = t.0.join("nope.actors.txt");
    let e = check(&[(missing.clone(), None)], codebooks::standard()).unwrap_err();
    assert!(e.to_string().starts_with(&missing.display().to_string()));
}

#[test]
fn phoenix_check_has_zero_errors() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/phoenix");
    if !data.is_dir() {
        println!("skipping: ../shared not found");
        return;
    }
    let mut paths: Vec<(PathBuf, Option<DictKind>)> = std::fs::read_dir(&data)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| (p, None))
        .collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    let r = check(&paths, codebooks::standard()).expect("readable");
    assert_eq!(r.files.len(), 8);
    assert!(r.files.iter().all(|f| f.kind.is_some()));
    assert_eq!(r.errors(), 0, "{r}");
    assert!(r.entries() > 50_000);
}
