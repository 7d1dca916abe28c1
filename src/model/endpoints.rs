//! A Service's backends, and per Service port the endpoint set exactly as
//! kube-proxy builds it.
//!
//! Which source stands for the endpoints is decided per Service:
//! - its EndpointSlices, when the input holds any for it (or when the source
//!   listed every slice, as a live cluster does): they are what kube-proxy
//!   programs. Slice ports match Service ports by *name*; a pod on which a
//!   named targetPort does not resolve lands, like the EndpointSlice
//!   controller puts it, in a slice without that port, so it is no endpoint of
//!   that port. The same IP:port in two slices is one endpoint.
//! - else the Pods its selector matches, turned into endpoints the way the
//!   EndpointSlice controller does (pods in a terminal phase or without an IP
//!   are never endpoints; `ready` is the pod's Ready condition unless
//!   `publishNotReadyAddresses` forces it; `serving` is the Ready condition;
//!   `terminating` is a deletion timestamp);
//! - else, offline, the pod templates of the workloads it matches (readiness
//!   unknown; a workload with `replicas: 0` backs nothing).
//!
//! References: kubernetes/kubernetes `pkg/controller/endpointslice` (podToEndpoint,
//! getEndpointPorts), `pkg/api/v1/pod` (ShouldPodBeInEndpoints, FindPort),
//! `pkg/proxy/endpointslicecache.go` and `pkg/proxy/topology.go`
//! (CategorizeEndpoints); KEP-1669 (proxy terminating endpoints).

use super::ports::{
    TargetResolution, TargetStatus, resolve_on_pod, resolve_on_template, service_ports,
};
use super::slim::SlimPod;
use super::status::Conditions;
use super::{Located, Snapshot};
use crate::model::slim::SlimObject;
use k8s_openapi::api::core::v1::{Service, ServicePort};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::ResourceExt;
use serde::Serialize;
use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

/// Where a Service's backends were read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum BackendSource {
    /// EndpointSlices (the controller's, or manual ones for a Service without selector).
    EndpointSlices,
    /// v1 Endpoints of a Service without selector, as the EndpointSlice
    /// mirroring controller copies them into slices.
    MirroredEndpoints,
    /// Pods matched by the selector, turned into endpoints as the controller would.
    Pods,
    /// Pod templates of workloads matched by the selector (manifests only).
    PodTemplates,
    /// Nothing to read: an ExternalName Service, or no slices, pods or templates.
    None,
}

/// What one backend is to traffic, from its EndpointSlice conditions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum EndpointState {
    /// Ready: kube-proxy sends new connections to it.
    Ready,
    /// Marked ready only because of `publishNotReadyAddresses`: kube-proxy
    /// sends it traffic although the pod is not ready (or is terminating).
    Published,
    /// Terminating but still serving: gets traffic only while no endpoint is ready.
    ServingTerminating,
    /// Terminating and no longer serving: no traffic.
    Terminating,
    /// Not ready: no traffic.
    NotReady,
    /// A pod template: readiness exists only at run time.
    Unknown,
}

impl EndpointState {
    /// Whether kube-proxy counts it as ready (it gets traffic whenever any does).
    pub(crate) fn is_ready(self) -> bool {
        matches!(self, EndpointState::Ready | EndpointState::Published)
    }
}

/// One backend: a pod, a workload's pod template, or a manual address.
#[derive(Clone, Debug, Serialize)]
pub struct Backend {
    /// The pod's name, when the backend is a pod.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// `Deployment/name` for a template stand-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) workload: Option<String>,
    /// Replicas the workload asks for (templates only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) node: Option<String>,
    pub(crate) addresses: Vec<String>,
    /// A pod on the host network: its endpoint IP is its node's IP.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) host_network: bool,
    /// Unknown (None) for templates: readiness exists only at run time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Conditions>,
    /// What the conditions mean for traffic.
    pub(crate) state: EndpointState,
    /// Per Service port, in the Service's port order.
    pub(crate) ports: Vec<BackendPort>,
}

/// How one Service port lands on one backend.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct BackendPort {
    /// The Service port's name, or its number when unnamed.
    pub(crate) service_port: String,
    #[serde(flatten)]
    pub(crate) resolution: TargetResolution,
}

impl Backend {
    /// Ready in kube-proxy's sense (gets traffic whenever any endpoint does).
    pub(crate) fn is_ready(&self) -> bool {
        self.state.is_ready()
    }

    /// How the backend is named in messages: pod, workload, or address.
    pub(crate) fn label(&self) -> String {
        self.pod
            .clone()
            .or_else(|| self.workload.clone())
            .or_else(|| self.addresses.first().cloned())
            .unwrap_or_else(|| "an endpoint".to_string())
    }
}

/// Which endpoints of a port receive new connections, per kube-proxy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Receivers {
    /// The ready endpoints.
    Ready,
    /// No endpoint is ready, so the serving-and-terminating ones (KEP-1669).
    TerminatingFallback,
    /// None: connections are refused or dropped.
    Nobody,
    /// Pod templates: known only in a cluster.
    Unknown,
}

/// Endpoint counts of one Service port, by state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct EndpointCounts {
    /// Backends that are endpoints of this port.
    pub(crate) total: usize,
    pub ready: usize,
    /// Ready only through publishNotReadyAddresses.
    pub(crate) published: usize,
    pub(crate) serving_terminating: usize,
    pub(crate) terminating: usize,
    pub not_ready: usize,
    /// Pod templates: readiness unknown.
    pub(crate) unknown: usize,
    /// Backends that get no endpoint for this port (targetPort unresolved,
    /// or their slice has no such port).
    pub unresolved: usize,
}

/// Ready and serving-terminating endpoints of a port on one node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct LocalCounts {
    pub(crate) ready: usize,
    pub(crate) serving_terminating: usize,
}

/// The endpoint set of one Service port.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PortEndpoints {
    /// Positions in [`Backends::items`] of the backends in the set.
    pub(crate) members: Vec<usize>,
    /// Positions of backends that get no endpoint for this port.
    pub(crate) unresolved: Vec<usize>,
    pub(crate) counts: EndpointCounts,
    pub(crate) receivers: Receivers,
    /// Per node name, for the traffic policies (`endpoint.nodeName` equal to
    /// the node's name is what makes an endpoint local).
    pub(crate) local: BTreeMap<String, LocalCounts>,
    /// Ready endpoints with no nodeName: local to no node.
    pub(crate) unplaced_ready: usize,
    /// Whether locality can be known (not for pod templates).
    pub(crate) local_known: bool,
    /// Slices exist, but none has a port named like this Service port.
    pub(crate) slice_port_missing: bool,
}

/// All backends of one Service.
#[derive(Clone, Debug, Serialize)]
pub struct Backends {
    pub(crate) source: BackendSource,
    pub items: Vec<Backend>,
    /// Per Service port, in the Service's port order.
    #[serde(skip)]
    pub(crate) ports: Vec<PortEndpoints>,
    /// Workloads the selector matches that ask for zero replicas.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) scaled_to_zero: Vec<String>,
    /// Pods the selector matches that are no endpoint at all (terminal
    /// phase, no IP yet), with why.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) excluded: Vec<ExcludedPod>,
}

/// A selected pod that the EndpointSlice controller would not list.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ExcludedPod {
    pub(crate) pod: String,
    /// `succeeded`, `failed` or `no-ip`.
    pub(crate) why: &'static str,
}

/// The key a Service port is known by in EndpointSlices: its name ("" if unnamed).
fn port_key(sp: &ServicePort) -> &str {
    sp.name.as_deref().unwrap_or("")
}

/// Display name of a Service port.
pub(crate) fn service_port_label(sp: &ServicePort) -> String {
    match sp.name.as_deref() {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => sp.port.to_string(),
    }
}

impl Snapshot {
    /// The backends of a Service and, per port, its endpoint set.
    pub fn backends(&self, located: &Located<Service>) -> Backends {
        let svc = &located.object;
        let ns = svc.namespace().unwrap_or_default();
        let spec = svc.spec.as_ref();
        let ports = service_ports(svc);
        let publish = spec.and_then(|s| s.publish_not_ready_addresses) == Some(true);
        let mut out = Backends {
            source: BackendSource::None,
            items: Vec::new(),
            ports: Vec::new(),
            scaled_to_zero: Vec::new(),
            excluded: Vec::new(),
        };
        if spec.and_then(|s| s.type_.as_deref()) == Some("ExternalName") {
            return out;
        }
        let empty = BTreeMap::new();
        let selector = spec.and_then(|s| s.selector.as_ref()).unwrap_or(&empty);
        let mut slices = self.slices_for(&ns, &svc.name_any());
        let mut slice_ports_seen: Vec<bool> = vec![false; ports.len()];
        // No slice of its own: the mirroring controller would have copied
        // its Endpoints, if it has any (a cluster lists the copies already).
        let mirrored = slices.is_empty() && super::mirror::mirrors_for(svc);
        if mirrored {
            slices = self.mirrored_slices_for(&ns, &svc.name_any());
        }
        if mirrored && !slices.is_empty() {
            out.source = BackendSource::MirroredEndpoints;
            out.items = self.backends_from_slices(&ns, ports, &slices, &mut slice_ports_seen);
        } else if !slices.is_empty() || self.endpoint_slices_known {
            out.source = BackendSource::EndpointSlices;
            out.items = self.backends_from_slices(&ns, ports, &slices, &mut slice_ports_seen);
        } else if !selector.is_empty() {
            let pods = self.pods_selected_by(&ns, selector);
            if !pods.is_empty() || self.pods_known {
                out.source = BackendSource::Pods;
                (out.items, out.excluded) = pods_as_endpoints(pods, ports, publish);
            } else {
                for w in self.workloads_selected_by(&ns, selector) {
                    let label = format!("{}/{}", w.kind, w.name);
                    // A selector on a per-pod label (a StatefulSet's
                    // pod-name) picks one of its pods.
                    let replicas = w.selected(selector).flatten();
                    if replicas == Some(0) {
                        out.scaled_to_zero.push(label);
                        continue;
                    }
                    out.items.push(Backend {
                        pod: None,
                        workload: Some(label),
                        replicas,
                        node: None,
                        addresses: Vec::new(),
                        host_network: w.object.host_network,
                        conditions: None,
                        state: EndpointState::Unknown,
                        ports: ports
                            .iter()
                            .map(|sp| BackendPort {
                                service_port: service_port_label(sp),
                                resolution: resolve_on_template(sp, &w.object),
                            })
                            .collect(),
                    });
                }
                if !out.items.is_empty() || !out.scaled_to_zero.is_empty() {
                    out.source = BackendSource::PodTemplates;
                }
            }
        }
        let has_slices = !slices.is_empty();
        out.ports = (0..ports.len())
            .map(|i| port_endpoints(&out, i, has_slices && !slice_ports_seen[i]))
            .collect();
        out
    }

    fn backends_from_slices(
        &self,
        ns: &str,
        ports: &[ServicePort],
        slices: &[&Located<EndpointSlice>],
        seen: &mut [bool],
    ) -> Vec<Backend> {
        // Dual-stack Services have one slice per address family; a pod's
        // endpoints merge across them by its targetRef, a manual endpoint by
        // its address (so the same IP in two slices is one endpoint).
        let mut merged: BTreeMap<String, Backend> = BTreeMap::new();
        for slice in slices {
            let slice_ports: BTreeMap<&str, i32> = slice
                .object
                .ports
                .iter()
                .flatten()
                .filter_map(|p| Some((p.name.as_deref().unwrap_or(""), p.port?)))
                .collect();
            for (i, sp) in ports.iter().enumerate() {
                seen[i] |= slice_ports.contains_key(port_key(sp));
            }
            // `endpoints` may be left out since the 1.33 API (an empty list).
            for ep in slice.object.endpoints.iter().flatten() {
                let pod_name = ep
                    .target_ref
                    .as_ref()
                    .filter(|r| r.kind.as_deref() == Some("Pod"))
                    .and_then(|r| r.name.clone());
                let Some(first) = ep.addresses.first() else {
                    continue;
                };
                let key = pod_name.clone().unwrap_or_else(|| first.clone());
                let pod = pod_name.as_deref().and_then(|n| self.pod(ns, n));
                let conditions = Conditions::from_api(ep.conditions.as_ref());
                let bports: Vec<BackendPort> = ports
                    .iter()
                    .map(|sp| BackendPort {
                        service_port: service_port_label(sp),
                        resolution: slice_resolution(
                            sp,
                            slice_ports.get(port_key(sp)).copied(),
                            pod,
                        ),
                    })
                    .collect();
                let entry = match merged.entry(key) {
                    Entry::Vacant(v) => v.insert(Backend {
                        pod: pod_name,
                        workload: None,
                        replicas: None,
                        node: ep.node_name.clone(),
                        addresses: Vec::new(),
                        host_network: pod.is_some_and(|p| p.object.host_network()),
                        conditions: Some(conditions),
                        state: conditions.state(),
                        ports: bports,
                    }),
                    Entry::Occupied(o) => {
                        let entry = o.into_mut();
                        // A port missing from one family's slice may be in
                        // the other's.
                        for (have, new) in entry.ports.iter_mut().zip(bports) {
                            if have.resolution.port.is_none() && new.resolution.port.is_some() {
                                *have = new;
                            }
                        }
                        entry
                    }
                };
                for a in &ep.addresses {
                    if !entry.addresses.contains(a) {
                        entry.addresses.push(a.clone());
                    }
                }
            }
        }
        merged.into_values().collect()
    }
}

/// How a Service port lands on an endpoint of a slice: the slice's number
/// (what kube-proxy uses), checked against the pod's declared ports when the
/// pod was read.
fn slice_resolution(
    sp: &ServicePort,
    number: Option<i32>,
    pod: Option<&Located<SlimPod>>,
) -> TargetResolution {
    let on_pod = pod.map(|p| resolve_on_pod(sp, &p.object));
    match (number, on_pod) {
        (Some(n), Some(r)) if r.port == Some(n) => r,
        (Some(n), Some(r)) => TargetResolution {
            port: Some(n),
            container: r.container,
            status: TargetStatus::Unchecked,
        },
        (Some(n), None) => TargetResolution {
            port: Some(n),
            container: None,
            status: TargetStatus::Unchecked,
        },
        (None, Some(r)) if r.port.is_none() => r,
        (None, _) => TargetResolution {
            port: None,
            container: None,
            status: TargetStatus::SlicePortMissing,
        },
    }
}

/// The endpoints the EndpointSlice controller would write for `pods`, and
/// the pods it would leave out.
fn pods_as_endpoints(
    pods: Vec<&Located<SlimPod>>,
    ports: &[ServicePort],
    publish: bool,
) -> (Vec<Backend>, Vec<ExcludedPod>) {
    let mut items = Vec::new();
    let mut excluded = Vec::new();
    for pod in pods {
        match exclusion(&pod.object) {
            Some(why) => excluded.push(ExcludedPod {
                pod: pod.object.name_any(),
                why,
            }),
            None => items.push(backend_from_pod(pod, ports, publish)),
        }
    }
    (items, excluded)
}

impl Snapshot {
    /// What the EndpointSlice controller would write for a Service from the
    /// pods read, whatever slices the input holds: used to check that
    /// fixtures and the demo hold the slices the controller would write.
    pub fn endpoints_from_pods(&self, located: &Located<Service>) -> Vec<Backend> {
        let svc = &located.object;
        let spec = svc.spec.as_ref();
        let Some(selector) = spec
            .and_then(|s| s.selector.as_ref())
            .filter(|s| !s.is_empty())
        else {
            return Vec::new();
        };
        let ns = svc.namespace().unwrap_or_default();
        let ports = service_ports(svc);
        let publish = spec.and_then(|s| s.publish_not_ready_addresses) == Some(true);
        pods_as_endpoints(self.pods_selected_by(&ns, selector), ports, publish).0
    }
}

/// Why the EndpointSlice controller would leave a selected pod out
/// (`ShouldPodBeInEndpoints`): a terminal phase, or no IP yet.
fn exclusion(pod: &SlimPod) -> Option<&'static str> {
    if !pod.has_status() {
        // Never created (a hand-written manifest): not yet scheduled, so
        // neither excluded nor ready; see `backend_from_pod`.
        return None;
    }
    match pod.phase() {
        Some("Succeeded") => return Some("succeeded"),
        Some("Failed") => return Some("failed"),
        _ => {}
    }
    pod.ips().is_empty().then_some("no-ip")
}

/// A selected pod as the EndpointSlice controller writes it (podToEndpoint):
/// `serving` is the Ready condition (false when absent), `terminating` the
/// deletion timestamp, and `ready` is `serving && !terminating` unless
/// `publishNotReadyAddresses` forces it true.
fn backend_from_pod(pod: &Located<SlimPod>, ports: &[ServicePort], publish: bool) -> Backend {
    let serving = pod.object.ready() == Some(true);
    let terminating = pod.object.is_terminating();
    let conditions = Conditions {
        ready: publish || (serving && !terminating),
        serving,
        terminating,
    };
    // A Pod manifest without status was never created: like a pod template,
    // its readiness exists only in a cluster.
    let (conditions, state) = if pod.object.has_status() {
        (Some(conditions), conditions.state())
    } else {
        (None, EndpointState::Unknown)
    };
    Backend {
        pod: Some(pod.object.name_any()),
        workload: None,
        replicas: None,
        node: pod.object.node_name().map(str::to_string),
        addresses: pod.object.ips().into_iter().map(str::to_string).collect(),
        host_network: pod.object.host_network(),
        conditions,
        state,
        ports: ports
            .iter()
            .map(|sp| BackendPort {
                service_port: service_port_label(sp),
                resolution: resolve_on_pod(sp, &pod.object),
            })
            .collect(),
    }
}

/// The endpoint set of port `i`: who is in it, how they count, who receives
/// traffic, and which nodes hold them.
fn port_endpoints(b: &Backends, i: usize, slice_port_missing: bool) -> PortEndpoints {
    let mut pe = PortEndpoints {
        members: Vec::new(),
        unresolved: Vec::new(),
        counts: EndpointCounts::default(),
        receivers: Receivers::Nobody,
        local: BTreeMap::new(),
        unplaced_ready: 0,
        local_known: b.source != BackendSource::PodTemplates,
        slice_port_missing,
    };
    for (k, backend) in b.items.iter().enumerate() {
        let resolved = backend
            .ports
            .get(i)
            .is_some_and(|p| p.resolution.port.is_some());
        if !resolved {
            pe.unresolved.push(k);
            pe.counts.unresolved += 1;
            continue;
        }
        pe.members.push(k);
        let c = &mut pe.counts;
        c.total += 1;
        match backend.state {
            EndpointState::Ready => c.ready += 1,
            EndpointState::Published => c.published += 1,
            EndpointState::ServingTerminating => c.serving_terminating += 1,
            EndpointState::Terminating => c.terminating += 1,
            EndpointState::NotReady => c.not_ready += 1,
            EndpointState::Unknown => c.unknown += 1,
        }
        let local = match backend.state {
            s if s.is_ready() => Some(true),
            EndpointState::ServingTerminating => Some(false),
            _ => None,
        };
        match (local, &backend.node) {
            (Some(ready), Some(node)) => {
                let l = pe.local.entry(node.clone()).or_default();
                if ready {
                    l.ready += 1;
                } else {
                    l.serving_terminating += 1;
                }
            }
            (Some(true), None) => pe.unplaced_ready += 1,
            _ => {}
        }
    }
    let c = pe.counts;
    pe.receivers = if c.unknown > 0 {
        Receivers::Unknown
    } else if c.ready + c.published > 0 {
        Receivers::Ready
    } else if c.serving_terminating > 0 {
        Receivers::TerminatingFallback
    } else {
        Receivers::Nobody
    };
    pe
}
