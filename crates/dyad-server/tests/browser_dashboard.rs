//! Runs the real-Chromium dashboard test (`tests/browser/run.sh`) against
//! the `fake_serve` example (the server with the KeywordCoder test double),
//! when `chromium`, `chromedriver` and `node` are installed and `cargo test`
//! has built the example. Otherwise prints why it skipped. Set
//! `DYAD_SKIP_BROWSER=1` to skip. CI should also run `run.sh` against the
//! real `dyad` binary.

use std::path::PathBuf;
use std::process::Command;

fn on_path(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn dashboard_in_headless_chromium() {
    if std::env::var_os("DYAD_SKIP_BROWSER").is_some() {
        println!("skipping: DYAD_SKIP_BROWSER is set");
        return;
    }
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if !manifest.join("../../../shared/corpus").exists() {
        println!("skipping: ../shared not found");
        return;
    }
    for tool in ["node", "chromium", "chromedriver"] {
        if !on_path(tool) {
            println!("skipping: {tool} not installed");
            return;
        }
    }
    // target/<profile>/deps/browser_dashboard-HASH -> target/<profile>/examples/fake_serve
    let exe = std::env::current_exe().expect("test binary path");
    let Some(fake) = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("examples").join("fake_serve"))
        .filter(|p| p.exists())
    else {
        println!("skipping: the fake_serve example is not built (run `cargo test -p dyad-server`)");
        return;
    };
    let out = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|profile| profile.join("browser"))
        .expect("output dir");
    let status = Command::new("bash")
        .arg(manifest.join("tests/browser/run.sh"))
        .arg(&fake)
        .arg(&out)
        .status()
        .expect("run tests/browser/run.sh");
    assert!(
        status.success(),
        "browser test failed; see {}",
        out.display()
    );
    assert!(out.join("dashboard.png").exists(), "no screenshot written");
}
