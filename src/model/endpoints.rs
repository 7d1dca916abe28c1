//! A Service's backends: the addresses its traffic lands on, each with its
//! node, its conditions and, per Service port, the port it resolves to.
//!
//! Live and in dumps, EndpointSlices are the truth (what kube-proxy programs).
//! Without slices, selected Pods stand in (readiness from their Ready
//! condition); offline, pod templates of workloads stand in (readiness
//! unknown). Explain and trace both read backends from here, so they agree.

use super::ports::{TargetResolution, TargetStatus, resolve_target_port};
use super::slim::{SlimContainer, SlimPod};
use super::status::Conditions;
use super::{Located, Origin, Snapshot};
use k8s_openapi::api::core::v1::{Service, ServicePort};
use kube::ResourceExt;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a Service's backends were read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BackendSource {
    /// EndpointSlices (the controller's, or manual ones for a Service without selector).
    EndpointSlices,
    /// Pods matched by the selector; no EndpointSlices were available.
    Pods,
    /// Pod templates of workloads matched by the selector (manifests only).
    PodTemplates,
    /// Nothing to read: an ExternalName Service, or no slices, pods or templates.
    None,
}

/// One backend: a pod (or a workload's pod template) or a manual endpoint.
#[derive(Clone, Debug, Serialize)]
pub struct Backend {
    /// The pod's name, when the backend is a pod.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<String>,
    /// `Deployment/name` for a template stand-in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    /// Replicas the workload asks for (templates only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    pub addresses: Vec<String>,
    /// Unknown (None) for templates: readiness exists only at run time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Conditions>,
    /// Per Service port, in the Service's port order.
    pub ports: Vec<BackendPort>,
    #[serde(skip)]
    pub origin: Option<Origin>,
}

/// How one Service port lands on one backend.
#[derive(Clone, Debug, Serialize)]
pub struct BackendPort {
    /// The Service port's name, or its number when unnamed.
    pub service_port: String,
    #[serde(flatten)]
    pub resolution: TargetResolution,
}

impl Backend {
    /// Ready to receive new traffic (unknown counts as not known to be ready).
    pub fn is_ready(&self) -> bool {
        self.conditions.is_some_and(|c| c.ready)
    }
}

/// All backends of one Service.
#[derive(Clone, Debug, Serialize)]
pub struct Backends {
    pub source: BackendSource,
    pub items: Vec<Backend>,
}

/// The key a Service port is known by in EndpointSlices: its name ("" if unnamed).
fn port_key(sp: &ServicePort) -> &str {
    sp.name.as_deref().unwrap_or("")
}

/// Display name of a Service port.
pub fn service_port_label(sp: &ServicePort) -> String {
    match sp.name.as_deref() {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => sp.port.to_string(),
    }
}

fn resolve_all(ports: &[ServicePort], spec: Option<&[SlimContainer]>) -> Vec<BackendPort> {
    ports
        .iter()
        .map(|sp| BackendPort {
            service_port: service_port_label(sp),
            resolution: match spec {
                Some(spec) => resolve_target_port(sp, spec),
                None => match super::ports::target_port(sp) {
                    k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(n) => {
                        TargetResolution {
                            port: Some(n),
                            container: None,
                            status: TargetStatus::Undeclared,
                        }
                    }
                    k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(name) => {
                        TargetResolution {
                            port: None,
                            container: None,
                            status: TargetStatus::NameNotFound { name },
                        }
                    }
                },
            },
        })
        .collect()
}

fn pod_addresses(pod: &SlimPod) -> Vec<String> {
    pod.ips().into_iter().map(str::to_string).collect()
}

impl Snapshot {
    /// The backends of a Service, from the best source available.
    pub fn backends(&self, svc: &Service) -> Backends {
        let ns = svc.namespace().unwrap_or_default();
        let spec = svc.spec.clone().unwrap_or_default();
        let ports = spec.ports.unwrap_or_default();
        if spec.type_.as_deref() == Some("ExternalName") {
            return Backends {
                source: BackendSource::None,
                items: Vec::new(),
            };
        }
        let selector = spec.selector.unwrap_or_default();
        let slices = self.slices_for(&ns, &svc.name_any());
        if self.endpoint_slices_known || !slices.is_empty() {
            return Backends {
                source: BackendSource::EndpointSlices,
                items: self.backends_from_slices(&ns, &ports, &slices),
            };
        }
        if selector.is_empty() {
            return Backends {
                source: BackendSource::None,
                items: Vec::new(),
            };
        }
        let pods = self.pods_selected_by(&ns, &selector);
        if self.pods_known || !pods.is_empty() {
            let items = pods
                .into_iter()
                .map(|p| backend_from_pod(p, &ports))
                .collect();
            return Backends {
                source: BackendSource::Pods,
                items,
            };
        }
        let items: Vec<Backend> = self
            .workloads_selected_by(&ns, &selector)
            .into_iter()
            .map(|w| Backend {
                pod: None,
                workload: Some(format!("{}/{}", w.kind, w.name)),
                replicas: w.replicas,
                node: None,
                addresses: Vec::new(),
                conditions: None,
                ports: resolve_all(&ports, Some(&w.containers)),
                origin: Some(w.origin.clone()),
            })
            .collect();
        let source = if items.is_empty() {
            BackendSource::None
        } else {
            BackendSource::PodTemplates
        };
        Backends { source, items }
    }

    fn backends_from_slices(
        &self,
        ns: &str,
        ports: &[ServicePort],
        slices: &[&Located<k8s_openapi::api::discovery::v1::EndpointSlice>],
    ) -> Vec<Backend> {
        // Dual-stack Services have one slice per address family; merge a pod's
        // endpoints across them by its targetRef (or by address when manual).
        let mut merged: BTreeMap<String, Backend> = BTreeMap::new();
        for slice in slices {
            let slice_ports: BTreeMap<&str, i32> = slice
                .object
                .ports
                .iter()
                .flatten()
                .filter_map(|p| Some((p.name.as_deref().unwrap_or(""), p.port?)))
                .collect();
            for ep in &slice.object.endpoints {
                let pod_name = ep
                    .target_ref
                    .as_ref()
                    .filter(|r| r.kind.as_deref() == Some("Pod"))
                    .and_then(|r| r.name.clone());
                let pod = pod_name.as_deref().and_then(|n| self.pod(ns, n));
                let key = pod_name.clone().unwrap_or_else(|| ep.addresses.join(","));
                let spec = pod.map(|p| p.object.containers());
                let from_spec = resolve_all(ports, spec);
                let bports = ports
                    .iter()
                    .zip(from_spec)
                    .map(|(sp, mut bp)| {
                        match slice_ports.get(port_key(sp)) {
                            // The slice is what kube-proxy uses; its number wins.
                            Some(&n) => {
                                bp.resolution.port = Some(n);
                                if spec.is_none() {
                                    bp.resolution.status = TargetStatus::Undeclared;
                                }
                            }
                            None => {
                                bp.resolution.port = None;
                                if spec.is_none() || bp.resolution.status == TargetStatus::Declared
                                {
                                    bp.resolution.status = TargetStatus::NameNotFound {
                                        name: super::ports::format_int_or_string(
                                            &super::ports::target_port(sp),
                                        ),
                                    };
                                }
                            }
                        }
                        bp
                    })
                    .collect();
                let entry = merged.entry(key).or_insert_with(|| Backend {
                    pod: pod_name.clone(),
                    workload: None,
                    replicas: None,
                    node: ep.node_name.clone(),
                    addresses: Vec::new(),
                    conditions: Some(Conditions::from_api(ep.conditions.as_ref())),
                    ports: bports,
                    origin: Some(pod.map_or_else(|| slice.origin.clone(), |p| p.origin.clone())),
                });
                entry.addresses.extend(ep.addresses.iter().cloned());
            }
        }
        merged.into_values().collect()
    }
}

fn backend_from_pod(pod: &Located<SlimPod>, ports: &[ServicePort]) -> Backend {
    let ready = pod.object.ready();
    let terminating = pod.object.is_terminating();
    Backend {
        pod: Some(pod.object.name_any()),
        workload: None,
        replicas: None,
        node: pod.object.node_name().map(str::to_string),
        addresses: pod_addresses(&pod.object),
        conditions: ready.map(|r| Conditions {
            ready: r && !terminating,
            serving: r,
            terminating,
        }),
        ports: resolve_all(ports, Some(pod.object.containers())),
        origin: Some(pod.origin.clone()),
    }
}
