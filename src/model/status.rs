//! Readiness and addresses as Kubernetes reports them in status fields, read
//! with the defaults the API documents (an unset EndpointSlice `ready` means
//! ready; an unset `terminating` means not terminating).

use super::endpoints::EndpointState;
use k8s_openapi::api::core::v1::{Node, Pod};
use k8s_openapi::api::discovery::v1::EndpointConditions;
use serde::Serialize;

/// The three EndpointSlice conditions, with API defaults applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Conditions {
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
}

impl Conditions {
    /// Reads conditions with the defaults the API documents and kube-proxy
    /// applies (`pkg/proxy/endpointslicecache.go`): an unset `ready` or
    /// `serving` means true, an unset `terminating` means false.
    pub fn from_api(c: Option<&EndpointConditions>) -> Self {
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
    pub fn state(&self) -> EndpointState {
        match (self.ready, self.serving, self.terminating) {
            (true, true, false) => EndpointState::Ready,
            (true, _, _) => EndpointState::Published,
            (false, true, true) => EndpointState::ServingTerminating,
            (false, false, true) => EndpointState::Terminating,
            (false, _, false) => EndpointState::NotReady,
        }
    }
}

/// What svcx reads of a Pod: the accessors the model uses, so that the rest
/// of the model does not depend on how a Pod is stored.
pub trait PodAccess {
    /// `spec.nodeName`.
    fn node_name(&self) -> Option<&str>;
    /// `spec.hostNetwork`.
    fn host_network(&self) -> bool;
    /// `status.phase`.
    fn phase(&self) -> Option<&str>;
    /// `status.podIPs`, else `status.podIP`.
    fn ips(&self) -> Vec<&str>;
    /// The Ready condition; `None` when the pod reports none.
    fn ready(&self) -> Option<bool>;
    /// Whether the pod has a deletion timestamp.
    fn is_terminating(&self) -> bool;
}

impl PodAccess for Pod {
    fn node_name(&self) -> Option<&str> {
        self.spec.as_ref()?.node_name.as_deref()
    }
    fn host_network(&self) -> bool {
        self.spec.as_ref().and_then(|s| s.host_network) == Some(true)
    }
    fn phase(&self) -> Option<&str> {
        self.status.as_ref()?.phase.as_deref()
    }
    fn ips(&self) -> Vec<&str> {
        let status = self.status.as_ref();
        let mut out: Vec<&str> = status
            .and_then(|s| s.pod_ips.as_ref())
            .map(|ips| ips.iter().map(|p| p.ip.as_str()).collect())
            .unwrap_or_default();
        if out.is_empty() {
            out.extend(
                status
                    .and_then(|s| s.pod_ip.as_deref())
                    .filter(|ip| !ip.is_empty()),
            );
        }
        out
    }
    fn ready(&self) -> Option<bool> {
        pod_ready(self)
    }
    fn is_terminating(&self) -> bool {
        self.metadata.deletion_timestamp.is_some()
    }
}

/// `Some(true)` when the node's Ready condition is True, `None` if unreported.
pub fn node_ready(node: &Node) -> Option<bool> {
    let conds = node.status.as_ref()?.conditions.as_ref()?;
    let ready = conds.iter().find(|c| c.type_ == "Ready")?;
    Some(ready.status == "True")
}

/// A node's addresses as `(type, address)`, InternalIP and ExternalIP first.
pub fn node_addresses(node: &Node) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = node
        .status
        .iter()
        .flat_map(|s| s.addresses.iter().flatten())
        .filter(|a| a.type_ == "InternalIP" || a.type_ == "ExternalIP")
        .map(|a| (a.type_.clone(), a.address.clone()))
        .collect();
    out.sort_by_key(|(t, _)| t != "ExternalIP");
    out
}

/// `Some(true)` when the pod's Ready condition is True, `None` if unreported.
pub fn pod_ready(pod: &Pod) -> Option<bool> {
    let conds = pod.status.as_ref()?.conditions.as_ref()?;
    let ready = conds.iter().find(|c| c.type_ == "Ready")?;
    Some(ready.status == "True")
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
