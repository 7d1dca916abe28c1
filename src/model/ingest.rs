//! Turning one decoded Kubernetes object (JSON value) into a typed snapshot
//! entry, dispatched by apiVersion and kind. Files and the demo come through
//! here; live lists arrive typed and use the same pushes.

use super::slim::{RawTemplate, trim_endpoint_slice, trim_service};
use super::{Located, Origin, Snapshot, Workload};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// What happened to one object.
#[derive(Debug, PartialEq, Eq)]
pub enum Ingested {
    /// Added to the snapshot.
    Added,
    /// A kind svcx does not use (ConfigMap, CRDs, ...).
    Ignored,
    /// In a namespace outside the run's scope.
    OutOfScope,
}

/// An object of a kind svcx reads whose content does not fit that kind's schema.
#[derive(Debug, thiserror::Error)]
#[error("invalid {kind} `{name}`: {message}")]
pub struct IngestError {
    pub kind: String,
    pub name: String,
    pub message: String,
}

impl IngestError {
    /// Gateway API objects come in many CRD versions and partial forms (status
    /// dumps without spec); one that does not fit is skipped with a notice
    /// instead of failing the run. Core kinds must fit their schema.
    pub fn is_skippable(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "GatewayClass"
                | "Gateway"
                | "HTTPRoute"
                | "GRPCRoute"
                | "TLSRoute"
                | "TCPRoute"
                | "UDPRoute"
                | "ReferenceGrant"
        )
    }
}

/// Kinds that only exist at cluster scope.
fn cluster_scoped(kind: &str) -> bool {
    matches!(kind, "Node" | "IngressClass" | "GatewayClass" | "Namespace")
}

impl Snapshot {
    /// Adds one object. `default_namespace` fills a missing
    /// `metadata.namespace`, as `kubectl apply` would.
    pub fn ingest(
        &mut self,
        mut value: Value,
        origin: Origin,
        default_namespace: &str,
    ) -> Result<Ingested, IngestError> {
        let api_version = value
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("");
        let group = api_version
            .rsplit_once('/')
            .map_or("", |(g, _)| g)
            .to_string();
        let kind = value
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let name = value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or("<unnamed>")
            .to_string();
        let namespace = if cluster_scoped(&kind) {
            String::new()
        } else {
            let ns = value
                .pointer("/metadata/namespace")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .unwrap_or(default_namespace)
                .to_string();
            if let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut) {
                meta.insert("namespace".into(), Value::String(ns.clone()));
            }
            ns
        };
        if !cluster_scoped(&kind) && !self.scope.includes(&namespace) {
            return Ok(Ingested::OutOfScope);
        }
        let err = |message: String| IngestError {
            kind: kind.clone(),
            name: name.clone(),
            message,
        };
        macro_rules! push {
            ($list:ident) => {
                push!($list, |_| {})
            };
            ($list:ident, $trim:expr) => {{
                let mut object = typed(value).map_err(err)?;
                $trim(&mut object);
                self.$list.push(Located::new(object, origin));
            }};
        }
        match (group.as_str(), kind.as_str()) {
            ("", "Service") => push!(services, trim_service),
            ("discovery.k8s.io", "EndpointSlice") => {
                self.endpoint_slices_known = true;
                push!(endpoint_slices, trim_endpoint_slice)
            }
            ("", "Pod") => {
                self.pods_known = true;
                push!(pods)
            }
            ("", "Node") => {
                self.nodes_known = true;
                push!(nodes)
            }
            ("networking.k8s.io", "Ingress") => push!(ingresses),
            ("networking.k8s.io", "IngressClass") => push!(ingress_classes),
            ("gateway.networking.k8s.io", "GatewayClass") => push!(gateway_classes),
            ("gateway.networking.k8s.io", "Gateway") => push!(gateways),
            ("gateway.networking.k8s.io", "HTTPRoute") => push!(http_routes),
            ("gateway.networking.k8s.io", "GRPCRoute") => push!(grpc_routes),
            ("gateway.networking.k8s.io", "TLSRoute") => push!(tls_routes),
            ("gateway.networking.k8s.io", "TCPRoute") => push!(tcp_routes),
            ("gateway.networking.k8s.io", "UDPRoute") => push!(udp_routes),
            ("gateway.networking.k8s.io", "ReferenceGrant") => push!(reference_grants),
            ("apps", "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet")
            | ("batch", "Job") => {
                let spec = value.get("spec").cloned().unwrap_or(Value::Null);
                let workload = workload(&kind, &namespace, &name, &spec).map_err(err)?;
                self.workloads.push(Located::new(workload, origin));
            }
            ("batch", "CronJob") => {
                let spec = value
                    .pointer("/spec/jobTemplate/spec")
                    .cloned()
                    .unwrap_or(Value::Null);
                let workload = workload(&kind, &namespace, &name, &spec).map_err(err)?;
                self.workloads.push(Located::new(workload, origin));
            }
            _ => return Ok(Ingested::Ignored),
        }
        Ok(Ingested::Added)
    }
}

/// Deserializes with the failing field's path in the message
/// (`spec.ports[0].port: invalid type: string "x", expected i32`).
fn typed<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            e.inner().to_string()
        } else {
            format!("{path}: {}", e.inner())
        }
    })
}

fn workload(kind: &str, namespace: &str, name: &str, spec: &Value) -> Result<Workload, String> {
    let template: Option<RawTemplate> = match spec.get("template") {
        Some(t) => typed(t.clone()).map_err(|e| format!("spec.template.{e}"))?,
        None => None,
    };
    let (labels, containers) = match template {
        Some(t) => (
            t.metadata.and_then(|m| m.labels).unwrap_or_default(),
            t.spec.map(|s| s.into_containers()).unwrap_or_default(),
        ),
        None => Default::default(),
    };
    let selector: Option<LabelSelector> = match spec.get("selector") {
        Some(s) if !s.is_null() => {
            Some(typed(s.clone()).map_err(|e| format!("spec.selector.{e}"))?)
        }
        _ => None,
    };
    // DaemonSets run one pod per node and have no replica count.
    let replicas = match kind {
        "DaemonSet" => None,
        "Job" | "CronJob" => spec
            .get("parallelism")
            .and_then(Value::as_i64)
            .map(|n| n as i32),
        _ => Some(
            spec.get("replicas")
                .and_then(Value::as_i64)
                .map_or(1, |n| n as i32),
        ),
    };
    Ok(Workload {
        kind: kind.to_string(),
        namespace: namespace.to_string(),
        name: name.to_string(),
        replicas,
        selector,
        labels,
        containers,
    })
}
