//! The HTTP side of `gatecheck serve`: hyper's HTTP/1 server on a single-threaded tokio
//! runtime, hardened for an endpoint that anyone on the network path may reach.
//!
//! - At most [`Limits::max_connections`] connections at once (a semaphore permit is taken
//!   before `accept`, so the excess waits in the kernel's backlog instead of using memory).
//! - A client must send its whole request head within [`Limits::header_timeout`]; the same
//!   timer closes a keep-alive connection that stays idle that long.
//! - A connection, and so any request on it, is closed after [`Limits::request_timeout`]:
//!   first gracefully (the response in flight may finish), then, [`GRACE`] later, by force, so
//!   a client that reads its response slowly cannot pin a connection either.
//! - Request heads are capped at [`MAX_HEADER_BYTES`] and [`MAX_HEADERS`] (431 beyond);
//!   requests with a body get 413, methods other than GET and HEAD 405, other paths 404.
//! - SIGINT or SIGTERM stops accepting, lets open connections finish their response, and
//!   returns once all are closed (or after [`GRACE`]).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::header::{self, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

use super::settings::{Limits, Options, ServeError, log};
use super::state::State;

/// Largest request head (request line and headers) accepted, in bytes.
const MAX_HEADER_BYTES: usize = 8 * 1024;
/// Most header fields accepted in one request.
const MAX_HEADERS: usize = 64;
/// hyper's connection buffer (its minimum is 8 KiB); bounds the memory of one connection.
const MAX_BUFFER: usize = 16 * 1024;
/// Time a connection has to finish its response once it is asked to close.
const GRACE: Duration = Duration::from_secs(2);
/// Pause after a failed `accept` (such as too many open files), so the loop does not spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

/// The Content-Type of the Prometheus text format 0.0.4.
const PROMETHEUS_TEXT: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Serves until SIGINT or SIGTERM.
pub(super) async fn serve(
    options: &Options,
    state: Arc<State>,
    ready: &dyn Fn(SocketAddr),
) -> Result<(), ServeError> {
    let listener = TcpListener::bind(options.listen)
        .await
        .map_err(|source| bind_error(options.listen, source))?;
    let local = listener
        .local_addr()
        .map_err(|source| bind_error(options.listen, source))?;
    let mut shutdown = shutdown_signal()?;
    ready(local);
    let limits = options.limits;
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (closing, closed) = watch::channel(false);
    while let Some((stream, permit)) = next_connection(&listener, &permits, &mut shutdown).await {
        let connection = Connection {
            state: Arc::clone(&state),
            limits,
            closing: closed.clone(),
            _permit: permit,
        };
        tokio::spawn(connection.serve(stream));
    }
    log(format_args!("shutting down"));
    let _ = closing.send(true);
    drain(&permits, limits.max_connections).await;
    Ok(())
}

fn bind_error(addr: SocketAddr, source: std::io::Error) -> ServeError {
    ServeError::Bind { addr, source }
}

/// A future that completes on the first SIGINT or SIGTERM.
fn shutdown_signal() -> Result<watch::Receiver<bool>, ServeError> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).map_err(ServeError::Start)?;
    let mut terminate = signal(SignalKind::terminate()).map_err(ServeError::Start)?;
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        let _ = tx.send(true);
    });
    Ok(rx)
}

/// The next accepted connection with its permit, or `None` once shutdown was asked for.
async fn next_connection(
    listener: &TcpListener,
    permits: &Arc<Semaphore>,
    shutdown: &mut watch::Receiver<bool>,
) -> Option<(TcpStream, OwnedSemaphorePermit)> {
    loop {
        let permit = tokio::select! {
            permit = Arc::clone(permits).acquire_owned() => permit.ok()?,
            _ = shutdown.changed() => return None,
        };
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let _ = stream.set_nodelay(true);
                    return Some((stream, permit));
                }
                Err(e) => {
                    log(format_args!("accept failed: {e}"));
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                }
            },
            _ = shutdown.changed() => return None,
        }
    }
}

/// Waits until every connection has closed, or [`GRACE`] plus a little.
async fn drain(permits: &Semaphore, max: usize) {
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(GRACE * 2, permits.acquire_many(all)).await;
}

/// One accepted connection and what it needs.
struct Connection {
    state: Arc<State>,
    limits: Limits,
    closing: watch::Receiver<bool>,
    /// Held while the connection lives: frees its slot when dropped.
    _permit: OwnedSemaphorePermit,
}

impl Connection {
    async fn serve(mut self, stream: TcpStream) {
        let state = Arc::clone(&self.state);
        let service = service_fn(move |request| {
            let response = respond(&request, &state);
            async move { Ok::<_, Infallible>(response) }
        });
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.limits.header_timeout)
            .max_header_size(MAX_HEADER_BYTES)
            .max_headers(MAX_HEADERS)
            .max_buf_size(MAX_BUFFER);
        let connection = builder.serve_connection(TokioIo::new(stream), service);
        tokio::pin!(connection);
        tokio::select! {
            // Errors here are the client's (a malformed request, a reset): hyper has answered
            // what could be answered, and there is nothing more to do with this connection.
            _ = connection.as_mut() => return,
            () = tokio::time::sleep(self.limits.request_timeout) => {}
            _ = self.closing.wait_for(|closing| *closing) => {}
        }
        connection.as_mut().graceful_shutdown();
        let _ = tokio::time::timeout(GRACE, connection).await;
    }
}

/// The response to one request.
fn respond(request: &Request<Incoming>, state: &State) -> Response<Full<Bytes>> {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = plain(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n");
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    if has_body(request) {
        return plain(StatusCode::PAYLOAD_TOO_LARGE, "requests take no body\n");
    }
    match request.uri().path() {
        "/metrics" => body(StatusCode::OK, PROMETHEUS_TEXT, state.scrape()),
        "/report.json" => match state.snapshot() {
            Some(s) => body(StatusCode::OK, "application/json", s.report.clone()),
            None => plain(
                StatusCode::SERVICE_UNAVAILABLE,
                "the first analysis has not finished yet\n",
            ),
        },
        "/healthz" => plain(StatusCode::OK, "ok\n"),
        _ => plain(
            StatusCode::NOT_FOUND,
            "not found; try /metrics, /report.json or /healthz\n",
        ),
    }
}

/// Whether the request announces a body (which this server never reads).
fn has_body(request: &Request<Incoming>) -> bool {
    let headers = request.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0")
}

fn plain(status: StatusCode, text: &'static str) -> Response<Full<Bytes>> {
    body(
        status,
        "text/plain; charset=utf-8",
        Bytes::from_static(text.as_bytes()),
    )
}

fn body(status: StatusCode, content_type: &'static str, bytes: Bytes) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(bytes));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}
