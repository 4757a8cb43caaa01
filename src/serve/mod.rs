//! `plansearch serve`: a search page and a JSON API over the library calls of
//! the CLI ([`crate::service`]), so the API's JSON is what `--json` prints.
//!
//! Safe by default: the server binds to 127.0.0.1 unless told otherwise;
//! documents are fetched by id from the index, never by a path from the
//! request; the URL, the query, the hits asked for and the time of a request
//! are capped (see [`Caps`]), and a request over a cap gets a JSON error with
//! a 4xx status (503 when the server is busy or a request runs over its time).
//! Searches run on a blocking pool, at most `max_concurrent` at once; others
//! wait their turn within their time cap. Every request reads the live
//! generation from `plansearch.json` and a fresh reader of its last commit, so
//! commits of `plansearch index` and rebuilds show without a restart.

mod conn;
mod guard;
mod params;

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};
use tokio::time::{Instant, timeout_at};

use crate::error::Error;
use crate::export::{self, ExportFormat};
use crate::indexer::{INFO_FILE, IndexInfo, OpenIndex, open_index};
use crate::search::PreparedSearch;
use crate::{service, similar, stats};
use plansearch::cancel;

/// How to run the server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The index folder.
    pub index: PathBuf,
    /// The corpus folder, to read a document's evidence (default: the one
    /// the index was built from).
    pub corpus: Option<PathBuf>,
    /// Where to listen.
    pub addr: SocketAddr,
    /// Longest a request may take, waiting included; over it: 503.
    pub time_cap: Duration,
    /// Longest an export may stream.
    pub export_time_cap: Duration,
    /// Longest a write may wait for a client that does not read (an export
    /// to a client that stopped reading ends after it, and frees its slot).
    pub send_timeout: Duration,
    /// Longest wait for a whole request head (request line and headers),
    /// from the connection's opening or the end of its last answer: the
    /// timeout of slow and of idle keep-alive connections.
    pub head_timeout: Duration,
    /// Connections served at once; more wait to be accepted (default: the
    /// open-file limit less 128).
    pub max_connections: usize,
    /// Searches run at once (the rest wait).
    pub max_concurrent: usize,
    /// Requests waiting or running at once; over it: 503 at once.
    pub max_queue: usize,
    /// Host names the server answers to besides its own address (a name in
    /// DNS, a reverse proxy's); any other Host is refused (DNS rebinding).
    pub allowed_hosts: Vec<String>,
}

impl ServeConfig {
    /// Defaults: 127.0.0.1:7700, a 10 s time cap, one search per core at once.
    pub fn new(index: impl Into<PathBuf>) -> ServeConfig {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        ServeConfig {
            index: index.into(),
            corpus: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 7700)),
            time_cap: Duration::from_secs(10),
            export_time_cap: Duration::from_secs(120),
            send_timeout: Duration::from_secs(30),
            head_timeout: Duration::from_secs(15),
            max_connections: conn::default_max_connections(),
            max_concurrent: cores,
            max_queue: 256,
            allowed_hosts: Vec::new(),
        }
    }
}

/// The page, embedded.
const INDEX_HTML: &str = include_str!("assets/index.html");
const APP_JS: &str = include_str!("assets/app.js");
const STYLE_CSS: &str = include_str!("assets/style.css");

struct AppState {
    dir: PathBuf,
    corpus: Option<PathBuf>,
    current: Mutex<Arc<OpenIndex>>,
    permits: Arc<Semaphore>,
    in_flight: AtomicUsize,
    time_cap: Duration,
    export_time_cap: Duration,
    send_timeout: Duration,
    max_queue: usize,
}

impl AppState {
    /// The live index: re-opened when `plansearch.json` names another
    /// generation (a rebuild was swapped in). Commits within a generation
    /// need nothing: each call of the library opens a reader of the last one.
    fn index(&self) -> Result<Arc<OpenIndex>, ApiError> {
        let live = read_generation(&self.dir);
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(generation) = live
            && generation != current.info.generation
        {
            match open_index(&self.dir) {
                Ok(open) => {
                    log::info!(
                        "serving generation {:?} of {}",
                        open.info.generation,
                        self.dir.display()
                    );
                    *current = Arc::new(open);
                }
                // Keep serving the generation we have.
                Err(e) => log::warn!("re-opening {}: {e}", self.dir.display()),
            }
        }
        Ok(current.clone())
    }
}

/// The generation `plansearch.json` names now; `None` if it cannot be read.
fn read_generation(dir: &Path) -> Option<Option<String>> {
    let text = std::fs::read_to_string(dir.join(INFO_FILE)).ok()?;
    let info: IndexInfo = serde_json::from_str(&text).ok()?;
    Some(info.generation)
}

/// A JSON error: `{"error": "…"}` with a status.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, message)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        let status = match &e {
            Error::Query(_) | Error::Filter(_) | Error::Invalid(_) => StatusCode::BAD_REQUEST,
            Error::NotFound(_) => StatusCode::NOT_FOUND,
            // Seen only if the work looked at the clock before the server did.
            Error::Cancelled => StatusCode::SERVICE_UNAVAILABLE,
            Error::NoIndex(_) | Error::StaleIndex { .. } | Error::Locked(_) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        ApiError::new(status, e.to_string())
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&ErrorBody {
            error: &self.message,
        })
        .unwrap_or_default();
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response()
    }
}

fn json_response<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
            body,
        )
            .into_response(),
        Err(e) => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// Counts a request in flight while it lives.
struct InFlight(Arc<AppState>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Lets a request in: counted in flight (503 at once over the queue cap),
/// then a permit to run, waited for until `deadline` (else 503).
async fn admit(
    state: &Arc<AppState>,
    deadline: Instant,
) -> Result<(OwnedSemaphorePermit, InFlight), ApiError> {
    let queued = state.in_flight.fetch_add(1, Ordering::SeqCst);
    let in_flight = InFlight(state.clone());
    if queued >= state.max_queue {
        return Err(busy(state));
    }
    match timeout_at(deadline, state.permits.clone().acquire_owned()).await {
        Ok(Ok(permit)) if Instant::now() < deadline => Ok((permit, in_flight)),
        // Its time ran out waiting its turn: the time cap, as for a request
        // that ran too long; "busy" is for the queue cap alone.
        _ => Err(over_time(state)),
    }
}

fn busy(state: &AppState) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "the server is busy: more requests than it can answer within its time cap of {}; try again in a moment",
            seconds(state.time_cap)
        ),
    )
}

fn over_time(state: &AppState) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "the request took longer than the time cap of {}; narrow it (a filter, fewer hits) or try again",
            seconds(state.time_cap)
        ),
    )
}

fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

/// Runs `work` on the blocking pool with a permit, within the time cap.
async fn blocking<T, F>(state: Arc<AppState>, work: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&AppState, &OpenIndex) -> Result<T, ApiError> + Send + 'static,
{
    let deadline = Instant::now() + state.time_cap;
    let (permit, in_flight) = admit(&state, deadline).await?;
    let st = state.clone();
    let cutoff = deadline.into_std();
    let task = tokio::task::spawn_blocking(move || {
        let _in_flight = in_flight;
        // The work stops at its next look at the clock past the cap.
        cancel::until(cutoff, || {
            let index = st.index()?;
            work(&st, &index)
        })
    });
    let finished = timeout_at(deadline, task).await;
    // The slot is free at the cap, whether the work has stopped yet or not.
    drop(permit);
    match finished {
        // Stopped by its own look at the clock, just before the server's.
        Ok(Ok(Err(_))) if Instant::now() >= deadline => Err(over_time(&state)),
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("internal error (a bug in plansearch, please report it): {e}"),
        )),
        Err(_) => Err(over_time(&state)),
    }
}

type Shared = State<Arc<AppState>>;

async fn api_search(State(state): Shared, uri: Uri) -> Response {
    let query = match params::Params::parse(&uri).and_then(|p| p.search_query()) {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    respond(blocking(state, move |_, index| Ok(service::search(index, &query)?)).await)
}

async fn api_facets(State(state): Shared, uri: Uri) -> Response {
    let request = match params::Params::parse(&uri).and_then(|p| p.facets_request()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    respond(blocking(state, move |_, index| Ok(service::facets(index, &request)?)).await)
}

async fn api_similar(State(state): Shared, uri: Uri) -> Response {
    let request = match params::Params::parse(&uri).and_then(|p| p.similar_request()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    respond(
        blocking(state, move |_, index| {
            Ok(similar::similar(index, &request)?)
        })
        .await,
    )
}

/// `POST /api/similar`: the parameters as a JSON object, for a pasted text
/// longer than a URL holds.
async fn api_similar_post(
    State(state): Shared,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // A body that trickles in may take the time cap, no more: the head
    // timeout of the connection does not cover it.
    let read =
        match tokio::time::timeout(state.time_cap, params::read_json_body(&uri, &headers, body))
            .await
        {
            Ok(read) => read,
            Err(_) => Err(ApiError::new(
                StatusCode::REQUEST_TIMEOUT,
                format!(
                    "the request body did not arrive within the time cap of {}; send it at once",
                    seconds(state.time_cap)
                ),
            )),
        };
    let request = match read.and_then(|p| p.similar_request()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    respond(
        blocking(state, move |_, index| {
            Ok(similar::similar(index, &request)?)
        })
        .await,
    )
}

async fn api_timeline(State(state): Shared, uri: Uri) -> Response {
    let (q, filters, level) = match params::Params::parse(&uri).and_then(|p| p.timeline_request()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    respond(
        blocking(state, move |_, index| {
            Ok(crate::timeline::timeline(index, &q, &filters, level)?)
        })
        .await,
    )
}

async fn api_crosstab(State(state): Shared, uri: Uri) -> Response {
    let (q, filters, rows, columns) =
        match params::Params::parse(&uri).and_then(|p| p.crosstab_request()) {
            Ok(r) => r,
            Err(e) => return e.into_response(),
        };
    respond(
        blocking(state, move |_, index| {
            Ok(crate::crosstab::crosstab(
                index, &q, &filters, rows, columns,
            )?)
        })
        .await,
    )
}

async fn api_stats(State(state): Shared, uri: Uri) -> Response {
    if let Err(e) = params::Params::parse(&uri).and_then(|p| p.known(&[])) {
        return e.into_response();
    }
    respond(
        blocking(state, move |_, index| {
            // The folders by name: no server path to a web client.
            let mut stats = stats::stats(index)?;
            stats.index = folder_name(&stats.index);
            stats.corpus = folder_name(&stats.corpus);
            Ok(stats)
        })
        .await,
    )
}

/// The last component of a path.
fn folder_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}

async fn api_doc(State(state): Shared, uri: Uri) -> Response {
    let asked =
        params::doc_id(&uri).and_then(|id| Ok((id, params::Params::parse(&uri)?.doc_page()?)));
    let (id, page) = match asked {
        Ok(asked) => asked,
        Err(e) => return e.into_response(),
    };
    respond(
        blocking(state, move |st, index| {
            Ok(service::document_page(
                index,
                &id,
                st.corpus.as_deref(),
                page,
            )?)
        })
        .await,
    )
}

fn respond<T: Serialize>(result: Result<T, ApiError>) -> Response {
    match result {
        Ok(value) => json_response(&value),
        Err(e) => e.into_response(),
    }
}

/// Sends what an export writes to the response body, in chunks, from the
/// blocking pool. A slot is a share of the machine's work, so the export
/// holds one while it works and gives it up while it waits for the client
/// to take data: a slow or stalled client never keeps searches waiting.
/// Every wait for the client lasts at most `send_timeout` and never goes
/// past `deadline` (the export time cap): past either, the export stops with
/// an error.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
    deadline: Instant,
    send_timeout: Duration,
    runtime: tokio::runtime::Handle,
    /// The slot while working; `None` while waiting for the client.
    slot: Option<OwnedSemaphorePermit>,
    permits: Arc<Semaphore>,
}

const CHUNK: usize = 32 << 10;

impl ChannelWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let now = Instant::now();
        if now >= self.deadline {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the export ran over its time cap",
            ));
        }
        let until = self.deadline.min(now + self.send_timeout);
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        let chunk = match self.tx.try_send(Ok(chunk)) {
            Ok(()) => return Ok(()),
            Err(mpsc::error::TrySendError::Closed(_)) => {
                return Err(io::Error::from(io::ErrorKind::BrokenPipe));
            }
            Err(mpsc::error::TrySendError::Full(chunk)) => chunk,
        };
        // The client is behind: wait for it without the slot. On the
        // blocking pool, outside the runtime's workers, block_on may wait.
        self.slot = None;
        match self
            .runtime
            .block_on(timeout_at(until, self.tx.send(chunk)))
        {
            Ok(Ok(())) => {}
            Ok(Err(_)) => return Err(io::Error::from(io::ErrorKind::BrokenPipe)),
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the client took no data within the send timeout, or the export ran over its time cap",
                ));
            }
        }
        // Back to work: a slot again, in turn with the searches.
        let permits = self.permits.clone();
        match self
            .runtime
            .block_on(timeout_at(self.deadline, permits.acquire_owned()))
        {
            Ok(Ok(slot)) => {
                self.slot = Some(slot);
                Ok(())
            }
            _ => Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the export ran over its time cap waiting for a slot",
            )),
        }
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The receiving end, as a body stream. An export that stopped before its
/// end (its error could not be queued: the client was not reading) ends the
/// stream with an error, so the body is cut off rather than ended as if
/// whole.
struct ChunkStream {
    rx: mpsc::Receiver<io::Result<Bytes>>,
    complete: Arc<AtomicBool>,
    ended: bool,
}

impl futures_core::Stream for ChunkStream {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        match self.rx.poll_recv(cx) {
            Poll::Ready(None) => {
                self.ended = true;
                if self.complete.load(Ordering::SeqCst) {
                    Poll::Ready(None)
                } else {
                    Poll::Ready(Some(Err(io::Error::other(
                        "the export stopped before its end",
                    ))))
                }
            }
            other => other,
        }
    }
}

async fn api_export_csv(state: Shared, uri: Uri) -> Response {
    api_export(state, uri, ExportFormat::Csv).await
}

async fn api_export_jsonl(state: Shared, uri: Uri) -> Response {
    api_export(state, uri, ExportFormat::Jsonl).await
}

async fn api_export(State(state): Shared, uri: Uri, format: ExportFormat) -> Response {
    let (request, view) = match params::Params::parse(&uri).and_then(|p| p.export_request()) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    let deadline = Instant::now() + state.time_cap;
    let (permit, in_flight) = match admit(&state, deadline).await {
        Ok(admitted) => admitted,
        Err(e) => return e.into_response(),
    };
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(8);
    let (ready_tx, ready_rx) = oneshot::channel::<Result<(), ApiError>>();
    let export_deadline = Instant::now() + state.export_time_cap;
    let send_timeout = state.send_timeout;
    let runtime = tokio::runtime::Handle::current();
    let complete = Arc::new(AtomicBool::new(false));
    let done = complete.clone();
    let st = state.clone();
    // The request is checked within the time cap; then the export streams
    // on the blocking pool, within the export time cap, holding its slot
    // while it works (see ChannelWriter).
    tokio::task::spawn_blocking(move || {
        let _in_flight = in_flight;
        let index = match checked_index(&st, &request) {
            Ok(index) => index,
            Err(e) => {
                let _ = ready_tx.send(Err(e));
                return;
            }
        };
        if ready_tx.send(Ok(())).is_err() {
            return;
        }
        let mut w = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::new(),
            deadline: export_deadline,
            send_timeout,
            runtime,
            slot: Some(permit),
            permits: st.permits.clone(),
        };
        let written = cancel::until(export_deadline.into_std(), || {
            export::export_view(&index, &request, view, format, &mut w)
                .and_then(|_| w.flush().map_err(|e| Error::io("output", e)))
        });
        match written {
            Ok(()) => done.store(true, Ordering::SeqCst),
            Err(e) => {
                log::warn!("export stopped: {e}");
                // Never wait here: the client may not be reading.
                let _ = tx.try_send(Err(io::Error::other(e.to_string())));
            }
        }
        // The slot is freed here, as the export ends: whole, failed or cut off.
    });
    match timeout_at(deadline, ready_rx).await {
        Ok(Ok(Ok(()))) => export_response(view, format, rx, complete),
        Ok(Ok(Err(e))) => e.into_response(),
        Ok(Err(_)) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error (a bug in plansearch, please report it): the export stopped before it began",
        )
        .into_response(),
        Err(_) => over_time(&state).into_response(),
    }
}

/// The index, once the export's request is known to compile against it.
fn checked_index(
    state: &AppState,
    request: &crate::search::SearchRequest,
) -> Result<Arc<OpenIndex>, ApiError> {
    let index = state.index()?;
    let snapshot = index.snapshot()?;
    let resolved = crate::search::resolve_new(request, &snapshot.state)?;
    PreparedSearch::new(&index, &resolved)?;
    Ok(index)
}

/// The streamed answer of an export that has begun.
fn export_response(
    view: export::ExportView,
    format: ExportFormat,
    rx: mpsc::Receiver<io::Result<Bytes>>,
    complete: Arc<AtomicBool>,
) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                match format {
                    ExportFormat::Csv => "text/csv; charset=utf-8",
                    ExportFormat::Jsonl => "application/x-ndjson; charset=utf-8",
                },
            ),
            (header::CONTENT_DISPOSITION, export_file_name(view, format)),
        ],
        Body::from_stream(ChunkStream {
            rx,
            complete,
            ended: false,
        }),
    )
        .into_response()
}

/// The file a browser saves an export as.
fn export_file_name(view: export::ExportView, format: ExportFormat) -> &'static str {
    use export::ExportView::*;
    match (view, format) {
        (Hits, ExportFormat::Csv) => "attachment; filename=\"plansearch-export.csv\"",
        (Hits, ExportFormat::Jsonl) => "attachment; filename=\"plansearch-export.jsonl\"",
        (Groups(_), ExportFormat::Csv) => "attachment; filename=\"plansearch-groups.csv\"",
        (Groups(_), ExportFormat::Jsonl) => "attachment; filename=\"plansearch-groups.jsonl\"",
        (Facets, ExportFormat::Csv) => "attachment; filename=\"plansearch-facets.csv\"",
        (Facets, ExportFormat::Jsonl) => "attachment; filename=\"plansearch-facets.jsonl\"",
    }
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!(
            "no such page: {}; the page is at /, the API at /api/search, /api/facets, /api/similar, /api/timeline, /api/crosstab, /api/doc/ID, /api/stats, /api/export.csv and /api/export.jsonl",
            crate::text::ellipsize(uri.path(), 200)
        ),
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "only GET is served (and POST on /api/similar, for a long text): every endpoint reads, none writes",
    )
}

/// A file of the page; its security headers are added by [`guard`], as on
/// every response.
fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The router: the page, its assets and the API.
fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", APP_JS) }),
        )
        .route(
            "/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE_CSS) }),
        )
        .route("/api/search", get(api_search))
        .route("/api/facets", get(api_facets))
        .route("/api/similar", get(api_similar).post(api_similar_post))
        .route("/api/stats", get(api_stats))
        .route("/api/timeline", get(api_timeline))
        .route("/api/crosstab", get(api_crosstab))
        .route("/api/export.csv", get(api_export_csv))
        .route("/api/export.jsonl", get(api_export_jsonl))
        .route("/api/doc/{*id}", get(api_doc))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state)
}

/// Serves `index` until the process ends; `on_bound` is told the address
/// listened on (with port 0, the port the system chose).
pub fn serve(
    config: ServeConfig,
    index: OpenIndex,
    on_bound: impl FnOnce(SocketAddr),
) -> io::Result<()> {
    let max_concurrent = config.max_concurrent.max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Room for work that ran past its cap and has yet to see it (its
        // slot is already free) next to the work of the slots.
        .max_blocking_threads(2 * max_concurrent + 4)
        .enable_all()
        .build()?;
    // The corpus the index was built from, as it was given then.
    let recorded_corpus = index
        .snapshot()
        .ok()
        .map(|s| PathBuf::from(&s.state.corpus));
    let state = Arc::new(AppState {
        dir: config.index.clone(),
        corpus: config.corpus.clone(),
        current: Mutex::new(Arc::new(index)),
        permits: Arc::new(Semaphore::new(max_concurrent)),
        in_flight: AtomicUsize::new(0),
        time_cap: config.time_cap,
        export_time_cap: config.export_time_cap,
        send_timeout: config.send_timeout,
        max_queue: config.max_queue.max(1),
    });
    runtime.block_on(async move {
        let listener = conn::listen(config.addr)?;
        let bound = listener.local_addr()?;
        on_bound(bound);
        let app = guard::wrap(router(state), bound, &config, recorded_corpus.as_deref());
        let limits = conn::ConnLimits {
            max_connections: config.max_connections,
            head_timeout: config.head_timeout,
            send_timeout: config.send_timeout,
        };
        conn::accept_loop(listener, app, limits).await
    })
}
