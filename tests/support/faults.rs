//! Faults the test API server injects, chosen per resource: slow answers,
//! error statuses (with `Retry-After`), a connection dropped mid-body, JSON
//! cut short or not JSON at all, and 410 Gone for an expired `continue`
//! token. Each rule applies to every matching request, or to the first `n`.

use http_body_util::{BodyExt, Full, channel::Channel};
use hyper::Response;
use hyper::body::{Bytes, Frame};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Notify;

/// The body type the server answers with: whole, slow or broken.
pub type Body = http_body_util::combinators::BoxBody<Bytes, std::io::Error>;

/// What to do to an answer.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Wait this long before sending the headers.
    Delay(Duration),
    /// Send the headers and half the body at once, the rest after this long.
    SlowBody(Duration),
    /// Answer this HTTP status with a Kubernetes `Status` body, and a
    /// `Retry-After` header (seconds, or any text) when given.
    Status {
        code: u16,
        retry_after: Option<String>,
    },
    /// Send the headers (with the full Content-Length) and half the body,
    /// then drop the connection.
    ResetMidBody,
    /// Answer 200 with the first half of the JSON only (a Content-Length
    /// that matches what is sent: a proxy that cut the answer).
    TruncatedJson,
    /// Answer 200 with an HTML page (a proxy's error page).
    InvalidJson,
    /// Answer with the same JSON, its keys in alphabetical order: a list's
    /// `items` then come before its `metadata` (a server or proxy that
    /// writes JSON its own way).
    ItemsFirst,
    /// Answer a list request that carries a `continue` token with 410 Gone,
    /// reason `Expired`, as the API server does once the token is too old.
    ExpiredContinue,
    /// Send the headers and the first half of the body, and the rest only
    /// once another request for the same target has arrived (or the
    /// [`Hold`]'s longest wait has passed): a client that asks for the next
    /// page only after this one is whole waits the longest wait per page.
    HeldUntilNext(Arc<Hold>),
}

/// What a [`Fault::HeldUntilNext`] rule shares between the requests it
/// holds, and what it saw.
#[derive(Debug)]
pub struct Hold {
    /// The longest a body is held.
    pub max: Duration,
    arrived: AtomicUsize,
    next: Notify,
    released_by_next: AtomicUsize,
}

impl Hold {
    pub fn new(max: Duration) -> Arc<Hold> {
        Arc::new(Hold {
            max,
            arrived: AtomicUsize::new(0),
            next: Notify::new(),
            released_by_next: AtomicUsize::new(0),
        })
    }

    /// How many held bodies were finished because a later request arrived,
    /// not because the longest wait passed.
    pub fn released_by_next(&self) -> usize {
        self.released_by_next.load(Ordering::SeqCst)
    }

    /// Counts a request for the target.
    fn arrive(&self) {
        self.arrived.fetch_add(1, Ordering::SeqCst);
        self.next.notify_waiters();
    }

    /// Waits until more than `seen` requests have arrived, or `max`.
    async fn until_after(&self, seen: usize) {
        let deadline = tokio::time::Instant::now() + self.max;
        loop {
            let next = self.next.notified();
            tokio::pin!(next);
            // Registered before the count is read, so an arrival between
            // the two is not missed.
            next.as_mut().enable();
            if self.arrived.load(Ordering::SeqCst) > seen {
                self.released_by_next.fetch_add(1, Ordering::SeqCst);
                return;
            }
            if tokio::time::timeout_at(deadline, next).await.is_err() {
                return;
            }
        }
    }
}

impl Fault {
    /// 503 Service Unavailable, `Retry-After` in seconds when given.
    pub fn unavailable(retry_after: Option<u64>) -> Fault {
        Fault::Status {
            code: 503,
            retry_after: retry_after.map(|s| s.to_string()),
        }
    }

    /// 429 Too Many Requests with `Retry-After` in seconds.
    pub fn too_many(retry_after: u64) -> Fault {
        Fault::Status {
            code: 429,
            retry_after: Some(retry_after.to_string()),
        }
    }

    /// 500 Internal Server Error.
    pub fn internal() -> Fault {
        Fault::Status {
            code: 500,
            retry_after: None,
        }
    }
}

/// A fault, what it applies to, and how often.
#[derive(Debug)]
pub struct Rule {
    /// A resource's plural (`services`: every path of it) or an exact path
    /// (`/apis`).
    pub target: String,
    pub fault: Fault,
    /// Applies to the first `n` matching requests only; `None`: to all.
    pub times: Option<usize>,
    hits: AtomicUsize,
}

impl Rule {
    pub fn new(target: &str, fault: Fault, times: Option<usize>) -> Rule {
        Rule {
            target: target.to_string(),
            fault,
            times,
            hits: AtomicUsize::new(0),
        }
    }
}

/// The fault to inject into the answer to `path?query`, if a rule matches
/// and has hits left (counting this one).
pub fn choose(rules: &[Rule], path: &str, query: &str) -> Option<Fault> {
    let plural = plural_of(path);
    let continues = super::server::query_pairs(query)
        .iter()
        .any(|(k, v)| k == "continue" && !v.is_empty());
    rules.iter().find_map(|rule| {
        let matches =
            rule.target == path.trim_end_matches('/') || plural.is_some_and(|p| p == rule.target);
        if !matches || matches!(rule.fault, Fault::ExpiredContinue) && !continues {
            return None;
        }
        // Every request counts as a held body's "next", whether or not it
        // is held itself.
        if let Fault::HeldUntilNext(hold) = &rule.fault {
            hold.arrive();
        }
        let hit = rule.hits.fetch_add(1, Ordering::SeqCst);
        rule.times
            .is_none_or(|n| hit < n)
            .then(|| rule.fault.clone())
    })
}

/// The plural a resource path is about: `/api/v1/namespaces/shop/services`
/// and `/apis/discovery.k8s.io/v1/endpointslices` name `services` and
/// `endpointslices`.
fn plural_of(path: &str) -> Option<&str> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    let rest = match segments.as_slice() {
        ["api", "v1", rest @ ..] => rest,
        ["apis", _, _, rest @ ..] => rest,
        _ => return None,
    };
    match rest {
        ["namespaces", _, plural, ..] => Some(plural),
        [plural, ..] => Some(plural),
        [] => None,
    }
}

/// A whole body.
pub fn whole(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// The headers and the first half of `bytes` at once, the rest once `wait`
/// is over; without a `Content-Length`, as a streamed answer.
fn rest_after(
    mut parts: http::response::Parts,
    bytes: Bytes,
    wait: impl Future<Output = ()> + Send + 'static,
) -> Response<Body> {
    let (mut tx, body) = Channel::<Bytes, std::io::Error>::new(2);
    let half = bytes.slice(..bytes.len() / 2);
    let rest = bytes.slice(half.len()..);
    tokio::spawn(async move {
        let _ = tx.send_data(half).await;
        wait.await;
        let _ = tx.send_data(rest).await;
    });
    parts.headers.remove(hyper::header::CONTENT_LENGTH);
    Response::from_parts(parts, body.boxed())
}

/// Applies `fault` to the answer the server would have sent.
pub async fn apply(fault: Option<Fault>, answer: Response<Full<Bytes>>) -> Response<Body> {
    let (mut parts, body) = answer.into_parts();
    let bytes = body
        .collect()
        .await
        .map(|c| c.to_bytes())
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    let Some(fault) = fault else {
        return Response::from_parts(parts, whole(bytes));
    };
    match fault {
        Fault::Delay(d) => {
            tokio::time::sleep(d).await;
            Response::from_parts(parts, whole(bytes))
        }
        Fault::SlowBody(d) => rest_after(parts, bytes, tokio::time::sleep(d)),
        Fault::ResetMidBody => {
            let (mut tx, body) = Channel::<Bytes, std::io::Error>::new(2);
            tokio::spawn(async move {
                let _ = tx.send(Frame::data(half)).await;
                tx.abort(std::io::Error::from(std::io::ErrorKind::ConnectionReset));
            });
            parts.headers.insert(
                hyper::header::CONTENT_LENGTH,
                hyper::header::HeaderValue::from(bytes.len()),
            );
            Response::from_parts(parts, body.boxed())
        }
        Fault::HeldUntilNext(hold) => {
            // The arrivals so far, this request's included: the next one
            // cannot come before the first half, which holds its token, is
            // sent.
            let seen = hold.arrived.load(Ordering::SeqCst);
            rest_after(parts, bytes, async move { hold.until_after(seen).await })
        }
        Fault::TruncatedJson => {
            parts.headers.remove(hyper::header::CONTENT_LENGTH);
            Response::from_parts(parts, whole(half))
        }
        Fault::ItemsFirst => {
            // serde_json's maps keep keys sorted (no `preserve_order`).
            let value: serde_json::Value =
                serde_json::from_slice(&bytes).expect("the server writes JSON");
            let sorted = serde_json::to_vec(&value).expect("JSON");
            parts.headers.insert(
                hyper::header::CONTENT_LENGTH,
                hyper::header::HeaderValue::from(sorted.len()),
            );
            Response::from_parts(parts, whole(sorted))
        }
        Fault::InvalidJson => {
            parts.headers.remove(hyper::header::CONTENT_LENGTH);
            parts.headers.insert(
                hyper::header::CONTENT_TYPE,
                hyper::header::HeaderValue::from_static("text/html"),
            );
            let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
            Response::from_parts(parts, whole(page))
        }
        Fault::Status { code, retry_after } => {
            let code = hyper::StatusCode::from_u16(code).expect("a valid status code");
            let reason = code
                .canonical_reason()
                .unwrap_or("Unknown")
                .replace(' ', "");
            // What the API server says with each.
            let message = match code.as_u16() {
                429 => "too many requests, please try again later".to_string(),
                500 => {
                    "an error on the server has prevented the request from succeeding".to_string()
                }
                503 => "the server is currently unable to handle the request".to_string(),
                _ => reason.clone(),
            };
            let mut reply = super::server::status(code, &reason, &message, None);
            if let Some(after) = retry_after {
                reply.headers_mut().insert(
                    hyper::header::RETRY_AFTER,
                    hyper::header::HeaderValue::from_str(&after).expect("a header value"),
                );
            }
            let (parts, body) = reply.into_parts();
            Box::pin(apply(None, Response::from_parts(parts, body))).await
        }
        Fault::ExpiredContinue => {
            let message = "The provided continue parameter is too old to display a consistent \
                           list result. You can start a new list without the continue parameter.";
            let reply = super::server::status(hyper::StatusCode::GONE, "Expired", message, None);
            let (parts, body) = reply.into_parts();
            Box::pin(apply(None, Response::from_parts(parts, body))).await
        }
    }
}
