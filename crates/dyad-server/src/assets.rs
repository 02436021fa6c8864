//! The dashboard: every file compiled into the binary (no CDN, no network).

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::{typed, ApiError};

/// The embedded files: `(name under /assets/, content type, bytes)`.
pub const ASSETS: &[(&str, &str, &str)] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/app.js"),
    ),
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../assets/app.css"),
    ),
    (
        "chart.umd.min.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/vendor/chart.umd.min.js"),
    ),
    (
        "topojson-client.min.js",
        "text/javascript; charset=utf-8",
        include_str!("../assets/vendor/topojson-client.min.js"),
    ),
    (
        "land-110m.json",
        "application/json",
        include_str!("../assets/vendor/land-110m.json"),
    ),
];

/// The dashboard page.
pub const INDEX_HTML: &str = include_str!("../assets/index.html");

/// `GET /`.
pub async fn index() -> Response {
    typed("text/html; charset=utf-8", INDEX_HTML)
}

/// `GET /assets/{name}`.
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, ct, body)) => {
            let mut r = typed(ct, *body);
            r.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("public, max-age=3600"),
            );
            r
        }
        None => ApiError::new(StatusCode::NOT_FOUND, format!("no asset {name:?}")).into_response(),
    }
}
