//! One GET to the API server, retried only where a retry is safe, within the
//! time the whole read has left.
//!
//! Every request svcx sends is a GET, so repeating one changes nothing on the
//! cluster. It is repeated when the server says it is busy (429 Too Many
//! Requests, 503 Service Unavailable, 504 Gateway Timeout) and when the
//! connection broke before the answer was complete: at most
//! [`MAX_ATTEMPTS`] tries, with exponential backoff and jitter, or after the
//! server's `Retry-After` when it gives one and it is at most
//! [`MAX_RETRY_AFTER`]. A retry that could not finish before the read's
//! deadline (`--request-timeout`) is not started: the fault is reported at
//! once, naming the status it got. Everything else (500, a refused
//! connection, a certificate that does not verify, an answer that is not
//! JSON) fails at the first try.
//!
//! kube's own retry layer is switched off (see `resolve`): it retries up to 15
//! times with delays of up to 1000 s, and the run then ended in a bare
//! timeout that named neither the resource nor the status.

use super::failure::seconds;
use backon::{BackoffBuilder, ExponentialBuilder};
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Body as _;
use kube::Client;
use kube::core::Status;
use serde::de::DeserializeOwned;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Tries per request: the first and at most three retries.
pub(super) const MAX_ATTEMPTS: usize = 4;

/// The longest `Retry-After` svcx honours. A server that asks for a longer
/// wait is reported at once rather than waited for.
pub(super) const MAX_RETRY_AFTER: Duration = Duration::from_secs(5);

/// The most room reserved up front for an answer, whatever its
/// `Content-Length` says; a longer answer grows the buffer as it arrives.
const MAX_RESERVE: usize = 64 << 20;

/// The first backoff delay; each next one doubles, with jitter.
const FIRST_BACKOFF: Duration = Duration::from_millis(200);

/// What went wrong with one request.
#[derive(Debug)]
pub(super) enum Fault {
    /// The server answered with an error status: its `Status` body, or one
    /// made from the HTTP status when the body is not one.
    Status {
        status: Box<Status>,
        /// The server's `Retry-After`, in seconds, when it sent one.
        retry_after: Option<Duration>,
    },
    /// The request got no answer: connection refused, TLS, credentials.
    Transport(kube::Error),
    /// The connection broke before the whole answer arrived.
    Cut(kube::Error),
    /// The answer arrived whole but is not the JSON svcx expected.
    Decode(serde_json::Error),
    /// `--request-timeout` ran out; what the request was doing then.
    TimedOut(String),
}

impl Fault {
    /// The HTTP status the server answered with, if it answered.
    pub(super) fn code(&self) -> Option<u16> {
        match self {
            Fault::Status { status, .. } => Some(status.code),
            _ => None,
        }
    }

    /// Whether sending the same GET again may succeed.
    fn retryable(&self) -> bool {
        match self {
            Fault::Status { status, .. } => matches!(status.code, 429 | 503 | 504),
            Fault::Cut(_) => true,
            Fault::Transport(e) => connection_broke(e),
            Fault::Decode(_) | Fault::TimedOut(_) => false,
        }
    }
}

/// A request that failed, after any retries.
#[derive(Debug)]
pub(super) struct Failed {
    pub(crate) fault: Fault,
    /// How many times the request was sent.
    pub(crate) attempts: usize,
    /// Why svcx stopped retrying a fault it could have retried.
    pub(crate) gave_up: Option<String>,
}

impl Failed {
    pub(super) fn new(fault: Fault) -> Failed {
        Failed {
            fault,
            attempts: 1,
            gave_up: None,
        }
    }

    /// An answer that arrived whole, after `attempts` tries, but is not the
    /// JSON svcx expected.
    pub(super) fn undecodable(e: serde_json::Error, attempts: usize) -> Failed {
        Failed {
            fault: Fault::Decode(e),
            attempts,
            gave_up: None,
        }
    }
}

/// What a pending list is doing, kept outside its future so that a timeout,
/// which drops the future, can still say where it stood.
#[derive(Debug, Default)]
pub(super) struct Progress(Mutex<String>);

impl Progress {
    pub(super) fn set(&self, doing: impl Into<String>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = doing.into();
    }

    pub(super) fn get(&self) -> String {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// A client and the deadline of the whole read.
#[derive(Clone)]
pub(super) struct Reader {
    pub(crate) client: Client,
    pub(crate) deadline: Instant,
}

impl Reader {
    /// GETs `request` (built anew for each try) and decodes the answer,
    /// retrying what is safe to retry while time is left.
    pub(super) async fn get<T: DeserializeOwned>(
        &self,
        request: impl Fn() -> Result<http::Request<Vec<u8>>, kube::core::request::Error>,
        progress: &Progress,
    ) -> Result<T, Failed> {
        let (body, attempts) = self.get_body(request, progress, &mut |_| true).await?;
        serde_json::from_slice(&body).map_err(|e| Failed::undecodable(e, attempts))
    }

    /// [`Reader::get`] without the decoding: the answer's bytes, and how
    /// many tries it took. `watch` is shown the bytes of a successful answer
    /// read so far each time more arrive, until it returns true (it has
    /// seen what it looked for); a retry shows it the new answer from its
    /// start.
    pub(super) async fn get_body(
        &self,
        request: impl Fn() -> Result<http::Request<Vec<u8>>, kube::core::request::Error>,
        progress: &Progress,
        watch: &mut (dyn FnMut(&[u8]) -> bool + Send),
    ) -> Result<(Bytes, usize), Failed> {
        let doing = progress.get();
        let mut backoff = ExponentialBuilder::new()
            .with_min_delay(FIRST_BACKOFF)
            .with_max_delay(MAX_RETRY_AFTER)
            .with_jitter()
            .with_max_times(MAX_ATTEMPTS - 1)
            .build();
        let mut attempts = 0;
        loop {
            attempts += 1;
            let fault = match request() {
                Ok(req) => match self.once(req, watch).await {
                    Ok(body) => return Ok((body, attempts)),
                    Err(fault) => fault,
                },
                Err(e) => Fault::Transport(kube::Error::BuildRequest(e)),
            };
            match retry_wait(&fault, backoff.next(), self.deadline - Instant::now()) {
                Ok(wait) => {
                    progress.set(format!(
                        "{doing}, retrying after {}",
                        super::failure::fault_summary(&fault)
                    ));
                    tokio::time::sleep(wait).await;
                }
                Err(gave_up) => {
                    return Err(Failed {
                        fault,
                        attempts,
                        gave_up,
                    });
                }
            }
        }
    }

    /// One try: send, check the status, read the whole body (showing it to
    /// `watch` as it arrives, when the status is a success).
    async fn once(
        &self,
        req: http::Request<Vec<u8>>,
        watch: &mut (dyn FnMut(&[u8]) -> bool + Send),
    ) -> Result<Bytes, Fault> {
        let response = self
            .client
            .send(req.map(kube::client::Body::from))
            .await
            .map_err(Fault::Transport)?;
        let code = response.status();
        let retry_after = response
            .headers()
            .get(http::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let mut watching = !(code.is_client_error() || code.is_server_error());
        let mut body = response.into_body();
        // One buffer the frames are appended to as they arrive, sized from
        // `Content-Length` when the server sends one: gathering the frames
        // and joining them at the end copied every page twice.
        let told = body.size_hint().exact().unwrap_or(0);
        let mut bytes = Vec::with_capacity(usize::try_from(told).map_or(0, |n| n.min(MAX_RESERVE)));
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.map_err(Fault::Cut)?.into_data() {
                bytes.extend_from_slice(&data);
                if watching {
                    watching = !watch(&bytes);
                }
            }
        }
        let body = Bytes::from(bytes);
        if code.is_client_error() || code.is_server_error() {
            // The API server explains itself in a Status; a proxy in front of
            // it may send anything, and then the HTTP status says it all.
            let status = serde_json::from_slice::<Status>(&body)
                .ok()
                .filter(|s| s.code == code.as_u16() || s.code == 0)
                .unwrap_or_default()
                .with_code(code.as_u16());
            let mut status = status;
            if status.reason.is_empty() {
                status.reason = code.canonical_reason().unwrap_or("").replace(' ', "");
            }
            return Err(Fault::Status {
                status: Box::new(status),
                retry_after,
            });
        }
        Ok(body)
    }
}

/// How long to wait before retrying `fault`, given the next backoff delay
/// (`None`: no tries left) and the time left; or why not to retry (`None`
/// when the fault is not worth retrying or the tries are spent).
fn retry_wait(
    fault: &Fault,
    backoff: Option<Duration>,
    left: Duration,
) -> Result<Duration, Option<String>> {
    let Some(backoff) = backoff.filter(|_| fault.retryable()) else {
        return Err(None);
    };
    let wait = match fault {
        Fault::Status {
            retry_after: Some(asked),
            ..
        } if *asked > MAX_RETRY_AFTER => {
            return Err(Some(format!(
                "the server asked to retry after {}, longer than svcx waits ({})",
                seconds(*asked),
                seconds(MAX_RETRY_AFTER)
            )));
        }
        Fault::Status {
            retry_after: Some(asked),
            ..
        } => *asked,
        _ => backoff,
    };
    if wait >= left {
        return Err(Some(
            "no time was left to retry within --request-timeout".to_string(),
        ));
    }
    Ok(wait)
}

/// Whether a request failed because the connection broke (reset, closed
/// before the answer was complete), which a retry may get past; not a refused
/// connection or a failed handshake, which it would not.
pub(super) fn connection_broke(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut next = Some(err);
    while let Some(e) = next {
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && matches!(
                io.kind(),
                std::io::ErrorKind::ConnectionReset
                    | std::io::ErrorKind::ConnectionAborted
                    | std::io::ErrorKind::UnexpectedEof
                    | std::io::ErrorKind::BrokenPipe
            )
        {
            return true;
        }
        if let Some(h) = e.downcast_ref::<hyper::Error>()
            && (h.is_incomplete_message() || h.is_canceled())
        {
            return true;
        }
        next = e.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16) -> Fault {
        Fault::Status {
            status: Box::new(Status::failure("busy", "").with_code(code)),
            retry_after: None,
        }
    }

    #[test]
    fn only_busy_answers_and_broken_connections_are_retried() {
        assert!(status(429).retryable());
        assert!(status(503).retryable());
        assert!(status(504).retryable());
        for code in [400, 401, 403, 404, 410, 500, 502] {
            assert!(!status(code).retryable(), "{code}");
        }
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert!(Fault::Cut(kube::Error::Service(Box::new(reset))).retryable());
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        assert!(!Fault::Transport(kube::Error::Service(Box::new(refused))).retryable());
        let reset = std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        assert!(Fault::Transport(kube::Error::Service(Box::new(reset))).retryable());
        let bad: serde_json::Error = serde_json::from_str::<u8>("x").unwrap_err();
        assert!(!Fault::Decode(bad).retryable());
    }

    fn asking(code: u16, secs: u64) -> Fault {
        Fault::Status {
            status: Box::new(Status::failure("busy", "").with_code(code)),
            retry_after: Some(Duration::from_secs(secs)),
        }
    }

    #[test]
    fn retry_after_is_honoured_capped_and_kept_within_the_deadline() {
        let backoff = Some(Duration::from_millis(200));
        let plenty = Duration::from_secs(30);
        assert_eq!(
            retry_wait(&asking(429, 2), backoff, plenty),
            Ok(Duration::from_secs(2))
        );
        assert_eq!(
            retry_wait(&status(503), backoff, plenty),
            Ok(Duration::from_millis(200))
        );
        assert!(matches!(
            retry_wait(&asking(503, 30), backoff, plenty),
            Err(Some(why)) if why.contains("retry after 30s")
        ));
        assert!(matches!(
            retry_wait(&asking(503, 2), backoff, Duration::from_secs(1)),
            Err(Some(why)) if why.contains("--request-timeout")
        ));
        assert_eq!(retry_wait(&status(503), None, plenty), Err(None));
        assert_eq!(retry_wait(&status(500), backoff, plenty), Err(None));
    }
}
