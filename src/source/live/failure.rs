//! Turning a failed read into a message that says what failed, why, and what
//! to do: the most telling of several errors, kube's error chain on one line.

use super::{ListFailure, Target};
use crate::error::Failure;
use std::time::Duration;

/// Of several failed lists, the error that best explains the failure: a
/// refused credential first, then any other answer from the server, then a
/// connection failure.
pub(super) fn most_telling<'a>(
    failures: impl Iterator<Item = &'a ListFailure>,
) -> Option<&'a ListFailure> {
    let rank = |f: &ListFailure| match &f.error {
        kube::Error::Api(s) if s.code == 401 => 0,
        kube::Error::Api(_) | kube::Error::SerdeError(_) => 1,
        _ => 2,
    };
    failures.min_by_key(|f| rank(f))
}

/// The failure for an error that stops the run.
pub(super) fn fatal(failure: &ListFailure, target: &Target) -> anyhow::Error {
    let (context, server) = (&target.context, &target.server);
    let (err, resource) = (&failure.error, &failure.resource);
    match err {
        kube::Error::Api(status) if status.code == 401 => Failure::new(format!(
            "the cluster refused the credentials (401 Unauthorized) for context `{context}`"
        ))
        .hint(format!(
            "the token or client certificate may have expired; check with `kubectl auth whoami --context {context}`, then log in again"
        ))
        .into(),
        kube::Error::Api(status) => anyhow::Error::new(
            Failure::new(format!("{} ({} {})", status.message, status.code, status.reason))
                .hint("the cluster answered with an error; try again, or check it with `kubectl get --raw /readyz`"),
        )
        .context(format!("could not list {resource} from {server} (context `{context}`)")),
        kube::Error::SerdeError(_) => anyhow::Error::new(Failure::new(causes(err)).hint(format!(
            "an object does not fit the Kubernetes schema svcx knows; \
             please report this with the output of `kubectl get {resource} -A -o yaml`"
        )))
        .context(format!("could not decode the {resource} listed from {server} (context `{context}`)")),
        kube::Error::Auth(_) => anyhow::Error::new(Failure::new(causes(err)).hint(format!(
            "check the user entry of context `{context}`; `kubectl auth whoami --context {context}` shows whether kubectl can log in"
        )))
        .context(format!("could not get credentials for context `{context}`")),
        _ if is_tls(err) => anyhow::Error::new(Failure::new(causes(err)).hint(format!(
            "the server's certificate is not signed by the certificate authority in the kubeconfig; \
             check `certificate-authority-data` of the cluster used by context `{context}`"
        )))
        .context(format!("could not verify the TLS certificate of {server} (context `{context}`)")),
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
        let text = strip_wrapper(&text).to_string();
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
