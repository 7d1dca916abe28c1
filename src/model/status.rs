//! Readiness and addresses as Kubernetes reports them in status fields, read
//! with the defaults the API documents (an unset EndpointSlice `ready` means
//! ready; an unset `terminating` means not terminating).

use super::slim::SlimNode;
use k8s_openapi::api::discovery::v1::EndpointConditions;
use serde::Serialize;

/// The three EndpointSlice conditions, with API defaults applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Conditions {
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
}

impl Conditions {
    /// Reads conditions; `serving` falls back to `ready` when unset, as the
    /// API documents for older producers.
    pub fn from_api(c: Option<&EndpointConditions>) -> Self {
        let ready = c.and_then(|c| c.ready).unwrap_or(true);
        Conditions {
            ready,
            serving: c.and_then(|c| c.serving).unwrap_or(ready),
            terminating: c.and_then(|c| c.terminating).unwrap_or(false),
        }
    }
}

/// A node's addresses a client can reach as `(type, address)`: ExternalIP
/// first, then InternalIP.
pub fn node_addresses(node: &SlimNode) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = node
        .addresses()
        .filter(|(t, _)| *t == "InternalIP" || *t == "ExternalIP")
        .map(|(t, a)| (t.to_string(), a.to_string()))
        .collect();
    out.sort_by_key(|(t, _)| t != "ExternalIP");
    out
}

impl super::Snapshot {
    /// Whether a LoadBalancer Service's `status.loadBalancer` says anything:
    /// a live cluster always reports it (empty while pending); a manifest
    /// usually has no status at all, which means "not created yet", not
    /// "pending".
    pub fn load_balancer_status_known(&self, svc: &k8s_openapi::api::core::v1::Service) -> bool {
        matches!(self.source, super::SourceInfo::Live { .. })
            || svc
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .is_some()
    }
}
