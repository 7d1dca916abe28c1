//! Readiness and addresses as Kubernetes reports them in status fields, read
//! with the defaults the API documents (an unset EndpointSlice `ready` means
//! ready; an unset `terminating` means not terminating).

use super::endpoints::EndpointState;
use super::slim::SlimNode;
use k8s_openapi::api::discovery::v1::EndpointConditions;
use serde::Serialize;

/// The three EndpointSlice conditions, with API defaults applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Conditions {
    pub(crate) ready: bool,
    pub(crate) serving: bool,
    pub(crate) terminating: bool,
}

impl Conditions {
    /// Reads conditions with the defaults the API documents and kube-proxy
    /// applies (`pkg/proxy/endpointslicecache.go`): an unset `ready` or
    /// `serving` means true, an unset `terminating` means false.
    pub(crate) fn from_api(c: Option<&EndpointConditions>) -> Self {
        Conditions {
            ready: c.and_then(|c| c.ready).unwrap_or(true),
            serving: c.and_then(|c| c.serving).unwrap_or(true),
            terminating: c.and_then(|c| c.terminating).unwrap_or(false),
        }
    }

    /// What the conditions mean for traffic. kube-proxy sends to `ready`
    /// endpoints; with none, to `serving && terminating` ones (KEP-1669).
    /// `ready` without `serving`, or `ready` while terminating, only happens
    /// when `publishNotReadyAddresses` overrides readiness.
    pub(crate) fn state(&self) -> EndpointState {
        match (self.ready, self.serving, self.terminating) {
            (true, true, false) => EndpointState::Ready,
            (true, _, _) => EndpointState::Published,
            (false, true, true) => EndpointState::ServingTerminating,
            (false, false, true) => EndpointState::Terminating,
            (false, _, false) => EndpointState::NotReady,
        }
    }
}

/// A node's addresses a client can reach as `(type, address)`: ExternalIP
/// first, then InternalIP.
pub(crate) fn node_addresses(node: &SlimNode) -> Vec<(String, String)> {
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
    pub(crate) fn load_balancer_status_known(
        &self,
        svc: &k8s_openapi::api::core::v1::Service,
    ) -> bool {
        matches!(self.source, super::SourceInfo::Live { .. })
            || svc
                .status
                .as_ref()
                .and_then(|s| s.load_balancer.as_ref())
                .is_some()
    }
}
