//! Runs the real-Chromium dashboard test (`tests/browser/run.sh`) against
//! the `fake_serve` example (the server with the KeywordCoder test double),
//! for working on the dashboard without the `dyad` binary.
//!
//! Opt-in: it runs only with `DYAD_BROWSER_TEST=1` (and `chromium`,
//! `chromedriver`, `node` installed, `cargo test` having built the example);
//! otherwise it prints why it skipped. CI runs the same `run.sh` once, from
//! `scripts/test`, against the real `dyad` binary, which exercises what
//! ships (the real coder behind the same server and dashboard); running it
//! here too would only repeat it with the toy coder.

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
    if std::env::var("DYAD_BROWSER_TEST").as_deref() != Ok("1") {
        println!(
            "skipping: the browser test runs in scripts/test against the real dyad binary; \
             to run it here against fake_serve: \
             DYAD_BROWSER_TEST=1 cargo test -p dyad-server --test browser_dashboard -- --nocapture"
        );
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
