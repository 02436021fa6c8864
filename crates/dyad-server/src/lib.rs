//! dyad's HTTP API and dashboard over a [`dyad_store::Store`].
//!
//! The coder is injected ([`DocumentCoder`]); this crate never depends on
//! the `dyad` pipeline. Routes (see [`openapi`] and [`routes`]):
//!
//! | method | path | what |
//! | --- | --- | --- |
//! | POST | `/v1/documents` | code and store JSON or plain text (bearer token) |
//! | GET | `/v1/events` | filtered events, cursor pagination |
//! | GET | `/v1/dyads/{a}/{b}/timeline` | per day/week/month aggregates, both directions |
//! | GET | `/v1/actors` | top actors in a period |
//! | GET | `/v1/network` | heaviest actor pairs in a period |
//! | GET | `/v1/health` | liveness and row counts |
//! | GET | `/openapi.json` | the OpenAPI 3 document |
//! | GET | `/`, `/assets/{name}` | the embedded dashboard |
#![warn(missing_docs)]

pub mod assets;
pub mod openapi;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, MethodRouter};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub use dyad_store::{
    ingest, query, CodedDocument, DocumentCoder, Filter, IncomingDocument, IngestOptions,
    IngestSummary, SentenceRecord, Store, StoredEvent,
};
use dyad_store::{text_doc_id, ActorQuery, Interval, Role, StoreError};

/// Server settings.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The event database (created if missing).
    pub db: PathBuf,
    /// Where to listen; loopback by default.
    pub addr: SocketAddr,
    /// Bearer token for writes. `None`: writes are refused (403).
    pub token: Option<String>,
    /// Request body limit in bytes (larger bodies get 413).
    pub max_body_bytes: usize,
}

/// Default body limit: 2 MiB.
pub const DEFAULT_MAX_BODY: usize = 2 * 1024 * 1024;

impl ServeConfig {
    /// Defaults: `127.0.0.1:8080`, token from `DYAD_TOKEN` if set, 2 MiB bodies.
    pub fn new(db: impl Into<PathBuf>) -> Self {
        ServeConfig {
            db: db.into(),
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            token: std::env::var("DYAD_TOKEN").ok().filter(|t| !t.is_empty()),
            max_body_bytes: DEFAULT_MAX_BODY,
        }
    }
}

/// Server failures (start-up only; request errors become HTTP responses).
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The store could not be opened.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Binding or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

struct Inner {
    db: PathBuf,
    writer: Mutex<Store>,
    readers: Mutex<Vec<Store>>,
    coder: Arc<dyn DocumentCoder>,
    token: Option<String>,
    max_body: usize,
}

/// Shared state of the handlers.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

impl AppState {
    /// Open the store and wrap the coder.
    pub fn new(config: &ServeConfig, coder: Arc<dyn DocumentCoder>) -> Result<Self, ServerError> {
        let writer = Store::open(&config.db)?;
        Ok(AppState(Arc::new(Inner {
            db: config.db.clone(),
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            coder,
            token: config.token.clone(),
            max_body: config.max_body_bytes,
        })))
    }

    fn with_reader<T>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, StoreError>,
    ) -> Result<T, ApiError> {
        let pooled = self
            .0
            .readers
            .lock()
            .map_err(|_| ApiError::internal("reader pool poisoned"))?
            .pop();
        let store = match pooled {
            Some(s) => s,
            None => Store::open_read_only(&self.0.db)?,
        };
        let out = f(&store);
        if let Ok(mut pool) = self.0.readers.lock() {
            if pool.len() < 8 {
                pool.push(store);
            }
        }
        Ok(out?)
    }
}

/// An error response: `{"error": message}` with a status.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }
    fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::BadFilter(m) => ApiError::new(StatusCode::BAD_REQUEST, m),
            other => ApiError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut r = (
            self.status,
            Json(serde_json::json!({ "error": self.message })),
        )
            .into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::internal(format!("worker failed: {e}")))?
}

/// Every route: `(path, methods, handler)`. The router is built from this
/// list and the OpenAPI test checks the document against it.
pub fn routes() -> Vec<(&'static str, &'static [Method], MethodRouter<AppState>)> {
    vec![
        ("/", &[Method::GET], get(assets::index)),
        ("/assets/{name}", &[Method::GET], get(assets::asset)),
        ("/openapi.json", &[Method::GET], get(openapi_handler)),
        ("/v1/health", &[Method::GET], get(health)),
        ("/v1/documents", &[Method::POST], post(post_documents)),
        ("/v1/events", &[Method::GET], get(get_events)),
        (
            "/v1/dyads/{a}/{b}/timeline",
            &[Method::GET],
            get(get_timeline),
        ),
        ("/v1/actors", &[Method::GET], get(get_actors)),
        ("/v1/network", &[Method::GET], get(get_network)),
    ]
}

/// The application router over `state`.
pub fn router(state: AppState) -> Router {
    routes()
        .into_iter()
        .fold(Router::new(), |r, (path, _, mr)| r.route(path, mr))
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "no such route") })
        .with_state(state)
}

/// Serve on an already bound listener until Ctrl-C (or the task is dropped).
pub async fn serve_on(
    listener: std::net::TcpListener,
    config: ServeConfig,
    coder: Arc<dyn DocumentCoder>,
) -> Result<(), ServerError> {
    let state = AppState::new(&config, coder)?;
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// Bind `config.addr`, print the URL to stderr and serve until Ctrl-C.
/// This is what `dyad serve` calls.
pub fn serve(config: ServeConfig, coder: Arc<dyn DocumentCoder>) -> Result<(), ServerError> {
    let listener = std::net::TcpListener::bind(config.addr)?;
    let addr = listener.local_addr()?;
    eprintln!(
        "dyad: serving {} on http://{addr}/ (writes {})",
        config.db.display(),
        if config.token.is_some() {
            "need the bearer token"
        } else {
            "disabled: no token"
        }
    );
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve_on(listener, config, coder))
}

async fn openapi_handler() -> Json<serde_json::Value> {
    Json(openapi::document())
}

#[derive(Serialize)]
struct Health {
    status: &'static str,
    version: &'static str,
    documents: u64,
    sentences: u64,
    events: u64,
}

async fn health(State(st): State<AppState>) -> Result<Json<Health>, ApiError> {
    let c = blocking(move || st.with_reader(|s| s.counts())).await?;
    Ok(Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        documents: c.documents,
        sentences: c.sentences,
        events: c.events,
    }))
}

fn authorize(st: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = st.0.token.as_deref() else {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "writes are disabled: start the server with a token (--token or DYAD_TOKEN)",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(g) if constant_time_eq(g.as_bytes(), token.as_bytes()) => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "wrong bearer token",
        )),
        None => Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "missing bearer token (Authorization: Bearer TOKEN)",
        )),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Query parameters of a plain-text `POST /v1/documents`.
#[derive(Debug, Default, Deserialize)]
struct TextParams {
    doc_id: Option<String>,
    #[serde(alias = "date")]
    published: Option<String>,
    source: Option<String>,
    title: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonBody {
    Many { documents: Vec<IncomingDocument> },
    List(Vec<IncomingDocument>),
    One(IncomingDocument),
}

#[derive(Serialize)]
struct PostedDocument {
    doc_id: String,
    replaced: bool,
    sentences: usize,
    events: Vec<StoredEvent>,
}

#[derive(Serialize)]
struct PostResponse {
    documents: Vec<PostedDocument>,
    events: usize,
}

async fn post_documents(
    State(st): State<AppState>,
    Query(params): Query<TextParams>,
    req: Request,
) -> Result<Json<PostResponse>, ApiError> {
    authorize(&st, req.headers())?;
    let limit = st.0.max_body;
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body exceeds the {limit}-byte limit"),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let bytes = axum::body::to_bytes(req.into_body(), limit)
        .await
        .map_err(|_| too_large())?;
    let docs: Vec<IncomingDocument> = if is_json {
        match serde_json::from_slice::<JsonBody>(&bytes) {
            Ok(JsonBody::One(d)) => vec![d],
            Ok(JsonBody::List(v)) | Ok(JsonBody::Many { documents: v }) => v,
            Err(e) => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!("bad JSON body: {e} (expected {{\"text\": ...}} or a list of them)"),
                ))
            }
        }
    } else {
        let text = String::from_utf8(bytes.to_vec()).map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("body is not UTF-8 at byte {}", e.utf8_error().valid_up_to()),
            )
        })?;
        vec![IncomingDocument {
            doc_id: params.doc_id,
            text,
            published: params.published,
            source: params.source,
            title: params.title,
            origin: Some("POST /v1/documents".into()),
        }]
    };
    if docs.is_empty() {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "no documents in the body",
        ));
    }
    let resp = blocking(move || {
        let mut coded = Vec::with_capacity(docs.len());
        for (i, mut d) in docs.into_iter().enumerate() {
            if d.text.trim().is_empty() {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!("document {i}: empty text"),
                ));
            }
            if d.doc_id.is_none() {
                d.doc_id = Some(text_doc_id(&d.text));
            }
            let id = d.doc_id.clone().unwrap_or_default();
            let c = st.0.coder.code(d).map_err(|e| {
                ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("document {i} ({id}): {e}"),
                )
            })?;
            coded.push(c);
        }
        let mut replaced = Vec::with_capacity(coded.len());
        {
            let mut w =
                st.0.writer
                    .lock()
                    .map_err(|_| ApiError::internal("writer poisoned"))?;
            for c in &coded {
                replaced.push(w.document(&c.doc_id)?.is_some());
            }
            w.put_documents(&coded)?;
        }
        let mut total = 0;
        let documents = coded
            .into_iter()
            .zip(replaced)
            .map(|(c, replaced)| {
                let starts: std::collections::HashMap<&str, usize> = c
                    .sentences
                    .iter()
                    .map(|s| (s.sentence_id.as_str(), s.start))
                    .collect();
                let events: Vec<StoredEvent> = c
                    .events
                    .iter()
                    .map(|e| StoredEvent {
                        sentence_start: starts.get(e.sentence_id.as_str()).copied(),
                        event: e.clone(),
                    })
                    .collect();
                total += events.len();
                PostedDocument {
                    doc_id: c.doc_id.clone(),
                    replaced,
                    sentences: c.sentences.len(),
                    events,
                }
            })
            .collect();
        Ok(PostResponse {
            documents,
            events: total,
        })
    })
    .await?;
    Ok(Json(resp))
}

/// Query parameters of `GET /v1/events`.
#[derive(Debug, Default, Deserialize)]
struct EventParams {
    actor: Option<String>,
    actor_role: Option<String>,
    country: Option<String>,
    country_role: Option<String>,
    dyad: Option<String>,
    both: Option<bool>,
    cameo: Option<String>,
    root: Option<String>,
    quad_class: Option<u8>,
    from: Option<String>,
    to: Option<String>,
    location_country: Option<String>,
    located: Option<bool>,
    q: Option<String>,
    doc_id: Option<String>,
    limit: Option<usize>,
    cursor: Option<String>,
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl EventParams {
    fn into_filter(self) -> Result<Filter, ApiError> {
        let role = |r: Option<String>| -> Result<Role, ApiError> {
            Ok(r.as_deref().unwrap_or("").parse::<Role>()?)
        };
        let dyad = match nonempty(self.dyad) {
            None => None,
            Some(d) => {
                let (a, b) = d.split_once(',').ok_or_else(|| {
                    ApiError::new(StatusCode::BAD_REQUEST, "dyad must be A,B (e.g. IRQ,USA)")
                })?;
                Some((a.trim().to_string(), b.trim().to_string()))
            }
        };
        if let Some(q) = self.quad_class {
            if !(1..=4).contains(&q) {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "quad_class must be 1-4",
                ));
            }
        }
        Ok(Filter {
            actor: nonempty(self.actor),
            actor_role: role(self.actor_role)?,
            country: nonempty(self.country),
            country_role: role(self.country_role)?,
            dyad,
            dyad_both_directions: self.both.unwrap_or(false),
            cameo: nonempty(self.cameo),
            root: nonempty(self.root),
            quad_class: self.quad_class,
            from: nonempty(self.from),
            to: nonempty(self.to),
            location_country: nonempty(self.location_country),
            located: self.located.unwrap_or(false),
            text: nonempty(self.q),
            doc_id: nonempty(self.doc_id),
            limit: self.limit.unwrap_or(100).clamp(1, 1000),
            cursor: nonempty(self.cursor),
        })
    }
}

fn bad_query(e: axum::extract::rejection::QueryRejection) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, e.body_text())
}

async fn get_events(
    State(st): State<AppState>,
    params: Result<Query<EventParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<dyad_store::Page>, ApiError> {
    let Query(params) = params.map_err(bad_query)?;
    let filter = params.into_filter()?;
    Ok(Json(
        blocking(move || st.with_reader(|s| s.query(&filter))).await?,
    ))
}

/// Query parameters of the timeline.
#[derive(Debug, Default, Deserialize)]
struct TimelineParams {
    interval: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

async fn get_timeline(
    State(st): State<AppState>,
    UrlPath((a, b)): UrlPath<(String, String)>,
    params: Result<Query<TimelineParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<dyad_store::Timeline>, ApiError> {
    let Query(p) = params.map_err(bad_query)?;
    let interval: Interval = p.interval.as_deref().unwrap_or("month").parse()?;
    let (from, to) = (nonempty(p.from), nonempty(p.to));
    Ok(Json(
        blocking(move || {
            st.with_reader(|s| s.timeline(&a, &b, interval, from.as_deref(), to.as_deref()))
        })
        .await?,
    ))
}

/// Query parameters of the actor endpoints.
#[derive(Debug, Default, Deserialize)]
struct ActorParams {
    from: Option<String>,
    to: Option<String>,
    by: Option<String>,
    limit: Option<usize>,
}

impl ActorParams {
    fn into_query(self) -> Result<ActorQuery, ApiError> {
        let by_country = match self.by.as_deref().unwrap_or("country") {
            "country" => true,
            "actor" | "code" => false,
            other => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!("by must be country or actor, not {other:?}"),
                ))
            }
        };
        Ok(ActorQuery {
            from: nonempty(self.from),
            to: nonempty(self.to),
            by_country,
            limit: self.limit.unwrap_or(0),
        })
    }
}

#[derive(Serialize)]
struct ActorsResponse {
    actors: Vec<dyad_store::ActorCount>,
}

async fn get_actors(
    State(st): State<AppState>,
    params: Result<Query<ActorParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<ActorsResponse>, ApiError> {
    let Query(p) = params.map_err(bad_query)?;
    let q = p.into_query()?;
    let actors = blocking(move || st.with_reader(|s| s.top_actors(&q))).await?;
    Ok(Json(ActorsResponse { actors }))
}

#[derive(Serialize)]
struct NetworkResponse {
    edges: Vec<dyad_store::Edge>,
}

async fn get_network(
    State(st): State<AppState>,
    params: Result<Query<ActorParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<NetworkResponse>, ApiError> {
    let Query(p) = params.map_err(bad_query)?;
    let q = p.into_query()?;
    let edges = blocking(move || st.with_reader(|s| s.network(&q))).await?;
    Ok(Json(NetworkResponse { edges }))
}

/// A plain response with a content type (used by the asset handlers).
pub(crate) fn typed(content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut r = Response::new(body.into());
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}
