//! The HTTP API on a real socket (127.0.0.1:0), with the toy `KeywordCoder`
//! test double as the injected coder.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;

use dyad_server::{routes, serve_on, ServeConfig};
use dyad_store::testing::KeywordCoder;
use serde_json::Value;

const TOKEN: &str = "s3cret-token";

struct Server {
    addr: SocketAddr,
    _dir: tempfile::TempDir,
}

fn start(token: Option<&str>, max_body: usize) -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let mut config = ServeConfig::new(dir.path().join("events.db"));
    config.addr = addr;
    config.token = token.map(str::to_string);
    config.max_body_bytes = max_body;
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(serve_on(
            listener,
            config,
            Arc::new(KeywordCoder::default()),
        ))
        .expect("serve");
    });
    Server { addr, _dir: dir }
}

struct Resp {
    status: u16,
    headers: String,
    body: String,
}

impl Resp {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

fn decode_chunked(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((len, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(len.trim(), 16).unwrap_or(0);
        if n == 0 {
            break;
        }
        out.push_str(&rest[..n]);
        s = &rest[n + 2..];
    }
    out
}

fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Resp {
    let mut stream = None;
    for _ in 0..100 {
        match TcpStream::connect(addr) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    }
    let mut s = stream.expect("server accepts connections");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).expect("write head");
    // The server may answer (413) and close before reading a large body.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {raw:?}"));
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    Resp {
        status,
        headers: head.to_string(),
        body: if chunked {
            decode_chunked(body)
        } else {
            body.to_string()
        },
    }
}

fn get(addr: SocketAddr, path: &str) -> Resp {
    request(addr, "GET", path, &[], b"")
}

fn post_json(addr: SocketAddr, token: Option<&str>, body: &Value) -> Resp {
    let auth = token.map(|t| format!("Bearer {t}"));
    let mut h = vec![("Content-Type", "application/json")];
    if let Some(a) = &auth {
        h.push(("Authorization", a.as_str()));
    }
    request(
        addr,
        "POST",
        "/v1/documents",
        &h,
        body.to_string().as_bytes(),
    )
}

#[test]
fn writes_need_the_bearer_token() {
    let srv = start(Some(TOKEN), 1 << 20);
    let doc = serde_json::json!({"text": "Iraq met France.", "doc_id": "x"});
    let r = post_json(srv.addr, None, &doc);
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(r
        .headers
        .to_ascii_lowercase()
        .contains("www-authenticate: bearer"));
    assert_eq!(post_json(srv.addr, Some("wrong"), &doc).status, 401);
    let r = post_json(srv.addr, Some(TOKEN), &doc);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["events"], 1);
    // Nothing was stored by the refused requests.
    assert_eq!(get(srv.addr, "/v1/health").json()["documents"], 1);

    let no_token = start(None, 1 << 20);
    let r = post_json(no_token.addr, Some(TOKEN), &doc);
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(r.json()["error"].as_str().unwrap_or("").contains("token"));
}

#[test]
fn oversized_bodies_get_413() {
    let srv = start(Some(TOKEN), 1024);
    let big = "Iraq met France. ".repeat(200);
    let r = post_json(srv.addr, Some(TOKEN), &serde_json::json!({"text": big}));
    assert_eq!(r.status, 413, "{}", r.body);
    let small = post_json(
        srv.addr,
        Some(TOKEN),
        &serde_json::json!({"text": "Iraq met France."}),
    );
    assert_eq!(small.status, 200, "{}", small.body);
}

#[test]
fn bad_requests_are_400_with_a_reason() {
    let srv = start(Some(TOKEN), 1 << 20);
    let auth = format!("Bearer {TOKEN}");
    let r = request(
        srv.addr,
        "POST",
        "/v1/documents",
        &[
            ("Content-Type", "application/json"),
            ("Authorization", &auth),
        ],
        b"{\"text\": 12",
    );
    assert_eq!(r.status, 400);
    assert!(r.json()["error"]
        .as_str()
        .unwrap_or("")
        .contains("bad JSON"));
    let r = request(
        srv.addr,
        "POST",
        "/v1/documents",
        &[("Authorization", &auth)],
        b"  ",
    );
    assert_eq!(r.status, 400);
    for path in [
        "/v1/events?from=last-week",
        "/v1/events?quad_class=9",
        "/v1/events?dyad=IRQ",
        "/v1/events?country_role=sideways&country=IRQ",
        "/v1/events?q=%22unbalanced",
        "/v1/events?limit=many",
        "/v1/dyads/IRQ/USA/timeline?interval=fortnight",
        "/v1/actors?by=planet",
    ] {
        let r = get(srv.addr, path);
        assert_eq!(r.status, 400, "{path}: {}", r.body);
        assert!(r.json()["error"].is_string(), "{path}");
    }
    assert_eq!(get(srv.addr, "/v1/nothing").status, 404);
    assert_eq!(
        request(srv.addr, "DELETE", "/v1/events", &[], b"").status,
        405
    );
}

#[test]
fn seed_like_article_gives_an_irq_usa_consult_in_the_timeline() {
    let srv = start(Some(TOKEN), 1 << 20);
    // Plain text with no publication date: the events are undated and the
    // timeline reports them as unplaced, per CAMEO root.
    let auth = format!("Bearer {TOKEN}");
    let text = "Iraq has held talks\nwith the US over security. A delegation from Iraq and a US delegation discussed defence issues.";
    let r = request(
        srv.addr,
        "POST",
        "/v1/documents?doc_id=seed",
        &[("Content-Type", "text/plain"), ("Authorization", &auth)],
        text.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    assert_eq!(v["documents"][0]["doc_id"], "seed");
    assert_eq!(v["documents"][0]["replaced"], false);
    let ev = &v["documents"][0]["events"][0];
    assert_eq!(ev["event"]["cameo"], "040");
    // Offsets for highlighting: the sentence start and the actor spans.
    let start = ev["sentence_start"].as_u64().expect("sentence_start") as usize;
    let span = &ev["target"]["span"];
    let chars: Vec<char> = text.chars().collect();
    let s = span["start"].as_u64().expect("span") as usize;
    let e = span["end"].as_u64().expect("span") as usize;
    assert!(s >= start);
    assert_eq!(chars[s..e].iter().collect::<String>(), "US");

    let t = get(srv.addr, "/v1/dyads/IRQ/USA/timeline").json();
    let consults = t["totals"]["a_to_b"]["roots"]["04"].as_u64().unwrap_or(0);
    assert!(consults >= 1, "{t}");
    assert_eq!(
        t["unplaced"]["a_to_b"]["roots"]["04"].as_u64(),
        Some(consults)
    );
    assert_eq!(t["buckets"].as_array().map(Vec::len), Some(0));

    // Re-posting the same doc_id replaces it.
    let r = request(
        srv.addr,
        "POST",
        "/v1/documents?doc_id=seed&published=2024-06-02",
        &[("Content-Type", "text/plain"), ("Authorization", &auth)],
        text.as_bytes(),
    );
    assert_eq!(r.json()["documents"][0]["replaced"], true);
    let h = get(srv.addr, "/v1/health").json();
    assert_eq!(h["documents"], 1);
    assert_eq!(h["events"], 2);
    let t = get(srv.addr, "/v1/dyads/IRQ/USA/timeline?interval=week").json();
    assert_eq!(t["buckets"][0]["period"], "2024-05-27");
    assert_eq!(t["buckets"][0]["a_to_b"]["count"], 2);
}

#[test]
fn timeline_math_over_http_both_directions() {
    let srv = start(Some(TOKEN), 1 << 20);
    let docs = serde_json::json!({"documents": [
        {"doc_id": "1", "published": "2024-01-10", "text": "Iraq met France. Iraq attacked France."},
        {"doc_id": "2", "published": "2024-01-20", "text": "France criticized Iraq."},
        {"doc_id": "3", "published": "2024-03-01", "text": "France praised Iraq. Iraq threatened France."}
    ]});
    let r = post_json(srv.addr, Some(TOKEN), &docs);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["events"], 5);
    let t = get(srv.addr, "/v1/dyads/IRQ/FRA/timeline?interval=month").json();
    let b = t["buckets"].as_array().expect("buckets");
    assert_eq!(b.len(), 2);
    assert_eq!(b[0]["period"], "2024-01");
    assert_eq!(
        b[0]["a_to_b"]["quad_counts"],
        serde_json::json!([1, 0, 0, 1])
    );
    assert!((b[0]["a_to_b"]["goldstein_sum"].as_f64().expect("sum") - (1.0 - 10.0)).abs() < 1e-6);
    assert!((b[0]["a_to_b"]["goldstein_mean"].as_f64().expect("mean") + 4.5).abs() < 1e-6);
    assert_eq!(
        b[0]["b_to_a"]["quad_counts"],
        serde_json::json!([0, 0, 1, 0])
    );
    assert_eq!(b[1]["period"], "2024-03");
    assert!((b[1]["b_to_a"]["goldstein_mean"].as_f64().expect("mean") - 3.4).abs() < 1e-5);
    assert!((b[1]["a_to_b"]["goldstein_mean"].as_f64().expect("mean") + 4.4).abs() < 1e-5);
    let d = get(
        srv.addr,
        "/v1/dyads/IRQ/FRA/timeline?interval=day&from=2024-01-15&to=2024-02",
    )
    .json();
    assert_eq!(d["buckets"].as_array().map(Vec::len), Some(1));
    assert_eq!(d["buckets"][0]["period"], "2024-01-20");
    assert_eq!(d["totals"]["a_to_b"]["count"], 0);

    let actors = get(srv.addr, "/v1/actors?by=country").json();
    assert_eq!(actors["actors"][0]["total"], 5);
    let net = get(srv.addr, "/v1/network").json();
    let edges = net["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 2);
    assert_eq!(edges[0]["source"], "IRQ");
    assert_eq!(edges[0]["count"], 3);
}

#[test]
fn events_filters_and_cursor_over_http() {
    let srv = start(Some(TOKEN), 1 << 20);
    let docs: Vec<Value> = (0..7)
        .map(|i| serde_json::json!({"doc_id": format!("d{i}"), "published": format!("2024-02-{:02}", i + 1),
            "text": "Iraq met Iran in Washington. Russia attacked China."}))
        .collect();
    assert_eq!(
        post_json(srv.addr, Some(TOKEN), &Value::Array(docs)).status,
        200
    );
    let mut seen = Vec::new();
    let mut path = "/v1/events?country=IRQ&limit=3".to_string();
    loop {
        let page = get(srv.addr, &path).json();
        for e in page["events"].as_array().expect("events") {
            seen.push(e["doc_id"].as_str().expect("doc").to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/events?country=IRQ&limit=3&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen, ["d6", "d5", "d4", "d3", "d2", "d1", "d0"]);
    let q = get(
        srv.addr,
        "/v1/events?q=attacked&root=19&from=2024-02-03&to=2024-02-04",
    )
    .json();
    assert_eq!(q["events"].as_array().map(Vec::len), Some(2));
    let loc = get(
        srv.addr,
        "/v1/events?located=true&location_country=USA&dyad=IRQ,IRN",
    )
    .json();
    assert_eq!(loc["events"].as_array().map(Vec::len), Some(7));
    let none = get(srv.addr, "/v1/events?dyad=IRN,IRQ").json();
    assert_eq!(none["events"].as_array().map(Vec::len), Some(0));
    let both = get(srv.addr, "/v1/events?dyad=IRN,IRQ&both=true&limit=2").json();
    assert_eq!(both["events"].as_array().map(Vec::len), Some(2));
    assert!(both["next_cursor"].is_string());
}

fn path_params(p: &str) -> String {
    p.replace("{a}", "IRQ")
        .replace("{b}", "USA")
        .replace("{name}", "app.js")
}

#[test]
fn openapi_document_matches_the_router() {
    let srv = start(Some(TOKEN), 1 << 20);
    let doc = get(srv.addr, "/openapi.json").json();
    assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3."));
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let mut routed = BTreeSet::new();
    for (path, methods, _) in routes() {
        for m in methods {
            routed.insert((m.as_str().to_string(), path.to_string()));
        }
    }
    assert_eq!(documented, routed, "OpenAPI paths vs router");
    // And the router really serves each documented operation.
    for (method, path) in &documented {
        let p = path_params(path);
        let r = if method == "POST" {
            request(srv.addr, "POST", &p, &[], b"{}")
        } else {
            request(srv.addr, method, &p, &[], b"")
        };
        assert!(
            r.status != 404 && r.status != 405,
            "{method} {p} documented but not served: {}",
            r.status
        );
    }
    // Every $ref resolves.
    let text = doc.to_string();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap_or("");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "dangling $ref {name}"
        );
    }
}

#[test]
fn dashboard_is_self_contained() {
    let srv = start(Some(TOKEN), 1 << 20);
    let r = get(srv.addr, "/");
    assert_eq!(r.status, 200);
    assert!(r
        .headers
        .to_ascii_lowercase()
        .contains("content-type: text/html"));
    let html = r.body;
    for id in [
        "dyad-a",
        "dyad-b",
        "timeline",
        "events-table",
        "event-detail",
        "network",
        "map",
        "article",
        "token",
    ] {
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "dashboard lacks #{id}"
        );
    }
    let mut srcs = Vec::new();
    for part in html
        .split("src=\"")
        .skip(1)
        .chain(html.split("href=\"").skip(1))
    {
        srcs.push(part.split('"').next().unwrap_or("").to_string());
    }
    assert!(srcs.len() >= 4);
    for s in &srcs {
        assert!(
            s.starts_with("/assets/"),
            "external or unexpected asset {s}"
        );
        let r = get(srv.addr, s);
        assert_eq!(r.status, 200, "{s}");
        assert!(r.body.len() > 100, "{s} is empty");
    }
    for (name, _, body) in dyad_server::assets::ASSETS {
        assert_eq!(get(srv.addr, &format!("/assets/{name}")).status, 200);
        if !name.ends_with(".min.js") && !name.ends_with(".json") {
            let stripped = body.replace("http://www.w3.org/2000/svg", "");
            assert!(
                !stripped.contains("http://") && !stripped.contains("https://"),
                "{name} references the network"
            );
        }
    }
    let land = get(srv.addr, "/assets/land-110m.json").json();
    assert_eq!(land["type"], "Topology");
    assert_eq!(get(srv.addr, "/assets/nope.js").status, 404);
}

#[test]
fn the_seed_article_posted_as_text_reaches_the_irq_usa_timeline() {
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus/000_86ffe86b06bc2f2f.txt");
    let Ok(text) = std::fs::read_to_string(&seed) else {
        println!("skipping: ../shared not found");
        return;
    };
    let srv = start(Some(TOKEN), 1 << 20);
    let auth = format!("Bearer {TOKEN}");
    let r = request(
        srv.addr,
        "POST",
        "/v1/documents",
        &[
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Authorization", &auth),
        ],
        text.as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // The toy coder finds CONSULT (04) events between Iraq and the US; the
    // timeline must count them (undated: unplaced, but in the totals).
    let t = get(srv.addr, "/v1/dyads/IRQ/USA/timeline").json();
    let consult = |dir: &str| t["totals"][dir]["roots"]["04"].as_u64().unwrap_or(0);
    assert!(consult("a_to_b") + consult("b_to_a") >= 1, "{t}");
    // Without the token the same POST is refused.
    let r = request(srv.addr, "POST", "/v1/documents", &[], text.as_bytes());
    assert_eq!(r.status, 401);
}
