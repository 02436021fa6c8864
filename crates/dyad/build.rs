//! Embeds dyad's default data files (dictionaries, tagger/parser model) so
//! that the `dyad` binary works on its own. The files stay data: they are
//! parsed at run time by the same readers as any user-supplied file.
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn list(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some(ext))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("../..");
    let dict_dir = root.join("data/dict");
    let model_dir = root.join("models");
    println!("cargo:rerun-if-changed={}", dict_dir.display());
    println!("cargo:rerun-if-changed={}", model_dir.display());
    let mut out = String::new();
    out.push_str("/// Default dictionary files: (file name, contents).\n");
    out.push_str("pub static DICT_FILES: &[(&str, &str)] = &[\n");
    for p in list(&dict_dir, "txt") {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            p.display().to_string()
        );
    }
    out.push_str("];\n");
    let version = std::fs::read_to_string(dict_dir.join("VERSION")).unwrap_or_default();
    let _ = writeln!(
        out,
        "/// Version of the default dictionary set.\npub static DICT_VERSION: &str = {:?};",
        version.trim()
    );
    let model = list(&model_dir, "dyadnlp").into_iter().next();
    match model {
        Some(p) => {
            println!("cargo:rerun-if-changed={}", p.display());
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            let _ = writeln!(
                out,
                "/// The default tagger/parser model: (file name, bytes).\npub static MODEL: Option<(&str, &[u8])> = Some(({name:?}, include_bytes!({:?})));",
                p.display().to_string()
            );
        }
        None => out.push_str("/// No model was present at build time.\npub static MODEL: Option<(&str, &[u8])> = None;\n"),
    }
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default()).join("embedded.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        println!("cargo:warning=cannot write {}: {e}", dest.display());
    }
}
