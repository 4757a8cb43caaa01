//! Connections: the accept loop, with a cap on connections held at once and
//! timeouts on clients that are slow, idle or do not read.
//!
//! What a connection may cost is bounded three ways:
//! - a request head (request line and headers) must arrive whole within
//!   `head_timeout` of the connection opening or of the last answer ending,
//!   so an idle keep-alive connection and one that sends a header byte a
//!   second are both closed (hyper's header read timeout, whose timer starts
//!   whenever the connection waits for a head);
//! - a write the client does not take (it stopped reading) may wait at most
//!   `send_timeout`, then the connection is closed ([`StallGuard`]);
//! - at most `max_connections` are served at once (by default the open-file
//!   limit less 128): at the cap the loop stops accepting until one closes,
//!   and newcomers wait in the kernel's backlog (1,024 deep), so the server
//!   never runs out of file descriptors for the index; connections accepted
//!   while over half the cap is in use get a head timeout of 2 s at most, so
//!   that idle ones cannot keep newcomers waiting for long. An accept error
//!   (EMFILE: out of file descriptors) makes the loop pause briefly and go
//!   on, never spin or stop.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Sleep;

/// How long the loop pauses after an accept error that is not the client's.
const ACCEPT_PAUSE: Duration = Duration::from_millis(100);

/// The bounds on each connection (see the module's documentation).
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    /// Connections served at once.
    pub max_connections: usize,
    /// Longest wait for a whole request head, idle time between requests
    /// included.
    pub head_timeout: Duration,
    /// Longest a write may wait for a client that does not read.
    pub send_timeout: Duration,
}

/// The head timeout of connections accepted while over half the cap is in
/// use.
const BUSY_HEAD_TIMEOUT: Duration = Duration::from_secs(2);

/// File descriptors kept for the index, the corpus and the log when the
/// connection cap comes from the open-file limit.
const RESERVED_FILES: usize = 128;

/// The default connection cap: the process's open-file limit (soft, from
/// /proc/self/limits) less what the index and the rest need, so that held
/// connections never take the descriptors the index needs; 512 where the
/// limit cannot be read.
pub fn default_max_connections() -> usize {
    let limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("Max open files"))?;
            line.split_whitespace().nth(3)?.parse::<usize>().ok()
        });
    match limit {
        Some(files) => files.saturating_sub(RESERVED_FILES).clamp(64, 65_536),
        None => 512,
    }
}

/// Connections the system completes and holds for the loop to accept (the
/// listen backlog): newcomers past the cap wait there, and past it their
/// connection attempts are dropped and retried after seconds.
const BACKLOG: u32 = 1024;

/// Listens on `addr` with a backlog of [`BACKLOG`] (tokio's `bind` asks
/// for 128).
pub fn listen(addr: SocketAddr) -> io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// Accepts connections on `listener` and serves `app` on each, until the
/// process ends.
pub async fn accept_loop(
    listener: TcpListener,
    app: axum::Router,
    limits: ConnLimits,
) -> io::Result<()> {
    let max = limits.max_connections.max(1);
    let open = Arc::new(Semaphore::new(max));
    loop {
        // At the cap: accept nothing until a connection closes.
        let Ok(permit) = open.clone().acquire_owned().await else {
            return Ok(());
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) if is_connection_error(&e) => continue,
            Err(e) => {
                log::warn!("accepting a connection: {e}; trying again");
                tokio::time::sleep(ACCEPT_PAUSE).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        // Over half the cap in use: a new connection must send its request
        // soon, so that idle ones held by the hundred cannot keep a newcomer
        // waiting behind them for long.
        let in_use = max - open.available_permits();
        let head_timeout = if in_use > max / 2 {
            limits.head_timeout.min(BUSY_HEAD_TIMEOUT)
        } else {
            limits.head_timeout
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let io = TokioIo::new(StallGuard::new(stream, limits.send_timeout));
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(head_timeout);
            if let Err(e) = builder.serve_connection(io, service).await {
                log::debug!("connection closed: {e}");
            }
        });
    }
}

/// Errors of one connection that came and went before it was accepted.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// A connection whose writes fail with `TimedOut` once one has waited
/// `limit` for the client to take data: a client that stops reading cannot
/// hold its connection (and an export's slot) for ever.
pub struct StallGuard {
    inner: TcpStream,
    limit: Duration,
    /// Running while a write waits.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl StallGuard {
    fn new(inner: TcpStream, limit: Duration) -> StallGuard {
        StallGuard {
            inner,
            limit,
            stalled: None,
        }
    }

    /// After a write that could not go on: pending until `limit` has passed
    /// since the first of such writes, then the error.
    fn wait<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let limit = self.limit;
        let sleep = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        if sleep.as_mut().poll(cx).is_ready() {
            self.stalled = None;
            return Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client took no data for the send timeout",
            )));
        }
        Poll::Pending
    }

    fn written<T>(
        &mut self,
        cx: &mut Context<'_>,
        polled: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match polled {
            Poll::Pending => self.wait(cx),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl AsyncRead for StallGuard {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for StallGuard {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.written(cx, polled)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.written(cx, polled)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let polled = Pin::new(&mut this.inner).poll_flush(cx);
        this.written(cx, polled)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
