//! A development server with the TOY `KeywordCoder` test double instead of
//! dyad's real coder, for the dashboard and the browser test before (or
//! without) the `dyad` binary. Same arguments as `dyad serve`:
//!
//! ```text
//! cargo run -p dyad-server --example fake_serve -- serve --db events.db \
//!     [--addr 127.0.0.1:8080] [--token TOKEN]
//! ```

use std::sync::Arc;

use dyad_server::{serve, ServeConfig};
use dyad_store::testing::KeywordCoder;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("serve") {
        args.next();
    }
    let mut db = None;
    let mut config = ServeConfig::new("events.db");
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next().unwrap_or_else(|| {
                eprintln!("fake_serve: {name} needs a value");
                std::process::exit(2)
            })
        };
        match a.as_str() {
            "--db" => db = Some(value("--db")),
            "--addr" => {
                let v = value("--addr");
                config.addr = v.parse().unwrap_or_else(|e| {
                    eprintln!("fake_serve: bad --addr {v:?}: {e}");
                    std::process::exit(2)
                });
            }
            "--token" => config.token = Some(value("--token")),
            other => {
                eprintln!("fake_serve: unknown argument {other:?}");
                std::process::exit(2)
            }
        }
    }
    if let Some(db) = db {
        config.db = db.into();
    }
    eprintln!("fake_serve: using the KeywordCoder TEST DOUBLE, not dyad's coder");
    if let Err(e) = serve(config, Arc::new(KeywordCoder::default())) {
        eprintln!("fake_serve: {e}");
        std::process::exit(1);
    }
}
