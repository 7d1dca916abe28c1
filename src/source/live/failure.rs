//! Turning a failed read into a message that says what failed (the resource
//! and its scope), why (the HTTP status or the transport fault, and how many
//! tries), and what to do; the most telling of several errors; kube's error
//! chain on one line.

use super::fetch::{Failed, Fault, connection_broke};
use super::{Cluster, ListFailure};
use crate::error::Failure;
use std::time::Duration;

/// Of several failed lists, the error that best explains the failure: a
/// refused credential first, then any other answer from the server, then a
/// connection failure, then running out of time.
pub(super) fn most_telling<'a>(
    failures: impl Iterator<Item = &'a ListFailure>,
) -> Option<&'a ListFailure> {
    let rank = |f: &ListFailure| match &f.failed.fault {
        Fault::Status { status, .. } if status.code == 401 => 0,
        Fault::Status { .. } | Fault::Decode(_) | Fault::Cut(_) => 1,
        Fault::Transport(_) => 2,
        Fault::TimedOut(_) => 3,
    };
    failures.min_by_key(|f| rank(f))
}

/// Whether a failure says that nothing can be read from this cluster (the
/// credentials are refused, the certificate does not verify, nothing
/// answers), so that it stops the run whichever list met it. Anything else
/// concerns one list only.
pub(super) fn is_fatal_anywhere(failed: &Failed) -> bool {
    match &failed.fault {
        Fault::Status { status, .. } => status.code == 401,
        Fault::Transport(e) => !connection_broke(e),
        Fault::Cut(_) | Fault::Decode(_) | Fault::TimedOut(_) => false,
    }
}

/// A fault in a few words: `503 Service Unavailable`, `an answer cut short`.
pub(super) fn fault_summary(fault: &Fault) -> String {
    match fault {
        Fault::Status { status, .. } => {
            let code = http::StatusCode::from_u16(status.code).ok();
            match code.and_then(|c| c.canonical_reason()) {
                Some(reason) => format!("{} {reason}", status.code),
                None => format!("HTTP {}", status.code),
            }
        }
        Fault::Cut(e) => format!(
            "the connection closed before the whole answer arrived ({})",
            causes(e)
        ),
        Fault::Transport(e) => causes(e),
        Fault::Decode(e) if e.is_eof() => "an answer cut short (incomplete JSON)".to_string(),
        Fault::Decode(e) if e.is_syntax() => format!("an answer that is not JSON ({e})"),
        Fault::Decode(e) => format!("an answer that does not fit the Kubernetes schema ({e})"),
        Fault::TimedOut(doing) => format!("no complete answer in time ({doing})"),
    }
}

/// A failed request on one line: the fault, the server's own message, the
/// tries, and why svcx stopped retrying.
/// `503 Service Unavailable: etcd is unavailable (4 attempts)`.
pub(super) fn describe(failed: &Failed) -> String {
    let mut out = fault_summary(&failed.fault);
    if let Fault::Status { status, .. } = &failed.fault
        && !status.message.is_empty()
    {
        out.push_str(": ");
        out.push_str(&status.message);
    }
    if failed.attempts > 1 {
        out.push_str(&format!(" ({} attempts)", failed.attempts));
    }
    if let Some(why) = &failed.gave_up {
        out.push_str("; ");
        out.push_str(why);
    }
    out
}

/// The failure for an error that stops the run.
pub(super) fn fatal(failure: &ListFailure, target: &Cluster) -> anyhow::Error {
    let (context, server) = (&target.context, &target.server);
    let (failed, resource) = (&failure.failed, &failure.resource);
    let listing = format!("could not list {resource} from {server} (context `{context}`)");
    match &failed.fault {
        Fault::Status { status, .. } if status.code == 401 => Failure::new(format!(
            "the cluster refused the credentials (401 Unauthorized) for context `{context}`"
        ))
        .hint(format!(
            "the token or client certificate may have expired; check with `kubectl auth whoami --context {context}`, then log in again"
        ))
        .into(),
        Fault::Status { status, .. } => {
            let hint = match status.code {
                429 => "the API server is limiting requests (API Priority and Fairness); try again in a minute".to_string(),
                503 | 504 => "the API server is overloaded or not ready; try again in a minute, or check it with `kubectl get --raw /readyz`".to_string(),
                410 => "the list changed faster than svcx could read it page by page; try again, or narrow the read with -n".to_string(),
                _ => "the cluster answered with an error; try again, or check it with `kubectl get --raw /readyz`".to_string(),
            };
            anyhow::Error::new(Failure::new(describe(failed)).hint(hint)).context(listing)
        }
        Fault::Decode(e) => {
            let hint = if e.is_data() {
                format!(
                    "an object does not fit the Kubernetes schema svcx knows; \
                     please report this with the output of `kubectl get {} -A -o yaml`",
                    resource.split(' ').next().unwrap_or(resource)
                )
            } else {
                "a proxy between svcx and the API server may have cut or replaced the answer; \
                 try again, or check with `kubectl get --raw /readyz`"
                    .to_string()
            };
            anyhow::Error::new(Failure::new(describe(failed)).hint(hint))
                .context(format!("could not decode the {resource} listed from {server} (context `{context}`)"))
        }
        Fault::Cut(_) => anyhow::Error::new(Failure::new(describe(failed)).hint(
            "the connection broke in the middle of the answer; a proxy or load balancer in between \
             may be cutting long answers; try again, or narrow the read with -n",
        ))
        .context(listing),
        Fault::TimedOut(doing) => anyhow::Error::new(
            Failure::new(format!("{resource}: {doing}")).hint(
                "check that the cluster is reachable from here and healthy (`kubectl get --raw /readyz`); \
                 raise --request-timeout for a slow cluster, or narrow the read with -n",
            ),
        )
        .context(format!(
            "the cluster at {server} did not finish answering within {} (context `{context}`)",
            seconds(target.timeout)
        )),
        Fault::Transport(err) => transport(err, failed, &listing, target),
    }
}

/// The failure for a request that got no answer.
fn transport(err: &kube::Error, failed: &Failed, listing: &str, target: &Cluster) -> anyhow::Error {
    let (context, server) = (&target.context, &target.server);
    match err {
        kube::Error::Auth(_) => anyhow::Error::new(Failure::new(causes(err)).hint(format!(
            "check the user entry of context `{context}`; `kubectl auth whoami --context {context}` shows whether kubectl can log in"
        )))
        .context(format!("could not get credentials for context `{context}`")),
        _ if is_tls(err) => anyhow::Error::new(Failure::new(causes(err)).hint(format!(
            "the server's certificate is not signed by the certificate authority in the kubeconfig; \
             check `certificate-authority-data` of the cluster used by context `{context}`"
        )))
        .context(format!("could not verify the TLS certificate of {server} (context `{context}`)")),
        _ if connection_broke(err) => anyhow::Error::new(Failure::new(describe(failed)).hint(
            "the connection was reset; a proxy or load balancer in between may be dropping it; try again",
        ))
        .context(listing.to_string()),
        _ => anyhow::Error::new(Failure::new(causes(err)).hint(format!(
            "check that the cluster is running and that {server} is reachable from here \
             (`kubectl cluster-info --context {context}`)"
        )))
        .context(format!("could not reach the cluster at {server} (context `{context}`)")),
    }
}

/// Whether a connection failed in the TLS handshake.
fn is_tls(err: &kube::Error) -> bool {
    let text = causes(err).to_lowercase();
    ["certificate", "tls", "handshake", "unknownissuer"]
        .iter()
        .any(|w| text.contains(w))
}

/// An error's chain on one line, without kube's wrapper prefixes or repeats:
/// `tcp connect error: Connection refused (os error 111)`.
pub(super) fn causes(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(err);
    while let Some(e) = next {
        let text = e.to_string();
        // rustls ends some messages with a link to its manual: noise here.
        let text = text.split(": https://docs.rs/").next().unwrap_or_default();
        let text = strip_wrapper(text).to_string();
        next = e.source();
        // Skip a link whose text the previous one already printed, and a
        // wrapper whose text is only its source's.
        if let Some(last) = parts.last_mut() {
            if last.contains(&text) {
                continue;
            }
            if text.contains(last.as_str()) {
                *last = text;
                continue;
            }
        }
        if !text.is_empty() {
            parts.push(text);
        }
    }
    // Generic wrappers say nothing a user can act on.
    parts.retain(|p| {
        !matches!(
            p.as_str(),
            "client error (Connect)" | "error trying to connect"
        )
    });
    if parts.is_empty() {
        err.to_string()
    } else {
        parts.join(": ")
    }
}

fn strip_wrapper(text: &str) -> &str {
    for prefix in [
        "ServiceError: ",
        "HyperError: ",
        "Failed to infer provided configuration: ",
        "auth error: ",
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            return rest;
        }
    }
    text
}

/// `2s`, `1.5s`, `500ms`.
pub(super) fn seconds(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{}ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Link(&'static str, Option<Box<Link>>);

    impl std::fmt::Display for Link {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl std::error::Error for Link {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|l| l as _)
        }
    }

    #[test]
    fn causes_drop_wrappers_and_repeats() {
        let chain = Link(
            "ServiceError: client error (Connect)",
            Some(Box::new(Link(
                "client error (Connect)",
                Some(Box::new(Link(
                    "tcp connect error",
                    Some(Box::new(Link("Connection refused (os error 111)", None))),
                ))),
            ))),
        );
        assert_eq!(
            causes(&chain),
            "tcp connect error: Connection refused (os error 111)"
        );
        let repeated = Link(
            "HyperError: boom: inner",
            Some(Box::new(Link("inner", None))),
        );
        assert_eq!(causes(&repeated), "boom: inner");
    }

    #[test]
    fn timeouts_read_as_typed() {
        assert_eq!(seconds(Duration::from_secs(2)), "2s");
        assert_eq!(seconds(Duration::from_millis(500)), "500ms");
        assert_eq!(seconds(Duration::from_millis(1500)), "1.5s");
    }
}
