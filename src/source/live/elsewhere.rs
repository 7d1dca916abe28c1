//! Where else a Service name is. Live, svcx lists only the namespace in scope,
//! so a name that matched nothing there may still name a Service in a
//! namespace that was not read. Only then is the cluster asked, once: a list
//! across all namespaces that the API server narrows to that name
//! (`fieldSelector=metadata.name=NAME`), GET only, bounded by the request
//! timeout. The answer is a hint, so a refusal (403: a user whose Roles are
//! bound in some namespaces only) or any other failure means no hint, never an
//! error.

use super::fetch::Reader;
use super::{Listed, list_trimmed, resolve};
use crate::model::{Located, Origin};
use crate::source::{LiveOptions, Namespaces};
use k8s_openapi::api::core::v1::Service;
use kube::{Api, Client};

/// Every Service named `name`, in any namespace, as the cluster lists them.
/// Empty when the cluster cannot tell, and for a name no Service can have.
pub(crate) async fn services_named(opts: &LiveOptions, name: &str) -> Vec<Located<Service>> {
    if !is_service_name(name) {
        return Vec::new();
    }
    let deadline = tokio::time::Instant::now() + opts.request_timeout;
    let ask = async {
        let target = resolve(opts, &Namespaces::All).await.ok()?;
        let client = Client::try_from(target.config).ok()?;
        let api = Api::<Service>::all(client.clone());
        let reader = Reader { client, deadline };
        let selector = format!("metadata.name={name}");
        let what = format!("services named `{name}` in all namespaces");
        let narrow = kube::api::ListParams::default().fields(&selector);
        match list_trimmed(&reader, api, what, narrow, |_| {}).await {
            Ok(Listed::Items(items)) => Some((items, target.context)),
            Ok(Listed::Forbidden | Listed::NotServed | Listed::Unreadable(_)) | Err(_) => None,
        }
    };
    let Ok(Some((items, context))) = tokio::time::timeout_at(deadline, ask).await else {
        return Vec::new();
    };
    let origin = Origin::Live { context };
    items
        .into_iter()
        .map(|s| Located::new(s, origin.clone()))
        .collect()
}

/// Whether `name` can name a Service (an RFC 1035 label, as the API server
/// validates it). Anything else matches nothing, and could not be put in a
/// field selector as it is: `,` and `=` are its syntax.
fn is_service_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes[bytes.len() - 1] != b'-'
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_service_names_are_asked_for() {
        assert!(is_service_name("metrics"));
        assert!(is_service_name("payments-api2"));
        assert!(!is_service_name(""));
        assert!(!is_service_name("Metrics"));
        assert!(!is_service_name("2fast"));
        assert!(!is_service_name("web-"));
        assert!(!is_service_name("a,metadata.namespace=x"));
        assert!(!is_service_name(&"a".repeat(64)));
    }
}
