//! What svcx keeps of the objects that come in large numbers. A real cluster's
//! Pods carry managed fields, environment, volumes and container statuses, and
//! its Nodes list every image they hold; none of that bears on how traffic
//! reaches a pod, and at 100k pods it is most of the memory.
//!
//! [`SlimPod`] and [`SlimNode`] deserialize from the Kubernetes JSON (or YAML)
//! of a Pod or a Node and keep only the fields below; everything else is
//! skipped while parsing, never built. A live list of Pods or Nodes decodes
//! each page straight into them, and files decode into them
//! through `serde_path_to_error` like every other kind, with the same field
//! paths in errors (`spec.containers[0].ports[0].containerPort`).
//!
//! The fields read are checked as the API types check them (a `containerPort`
//! must be a number, a container must have a name); the fields skipped are
//! not checked at all.
//!
//! Services and EndpointSlices stay typed as the API defines them (every
//! field of theirs bears on traffic), but lose their managed fields and
//! kubectl's copy of the last applied object ([`trim_service`],
//! [`trim_endpoint_slice`]) as they are read.

use k8s_openapi::api::core::v1::Service;
#[cfg(test)]
use k8s_openapi::api::core::v1::{Container, PodSpec};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, Time};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A Pod, reduced to what decides where its traffic goes: names, labels, uid
/// and deletion time; node, host network and container ports; phase, IPs and
/// readiness.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(from = "RawPod")]
pub struct SlimPod {
    pub(crate) metadata: SlimMeta,
    node_name: Option<String>,
    host_network: bool,
    containers: Vec<SlimContainer>,
    phase: Option<String>,
    ips: Vec<String>,
    ready: Option<bool>,
    /// Whether the object has a `status` at all: a Pod manifest written by
    /// hand has none (it was never created), unlike one a cluster reports.
    has_status: bool,
}

/// A container that can receive traffic: a regular container, or a sidecar
/// (an init container with `restartPolicy: Always`, which keeps running and
/// whose ports the EndpointSlice controller resolves too).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct SlimContainer {
    pub(crate) name: String,
    /// `image`, for recognising proxies and ingress controllers.
    pub(crate) image: String,
    pub(crate) ports: Vec<SlimPort>,
    /// An init container with `restartPolicy: Always`.
    pub(crate) sidecar: bool,
}

/// One declared `containerPort`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SlimPort {
    pub(crate) name: Option<String>,
    pub(crate) port: i32,
    /// `TCP` when unset, as the API defaults it.
    pub(crate) protocol: String,
    /// `hostPort`: the port opened on the node's own addresses for it.
    pub(crate) host_port: Option<i32>,
}

/// A Node, reduced to its name, labels, addresses and readiness.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(from = "RawNode")]
pub struct SlimNode {
    pub(crate) metadata: SlimMeta,
    /// `(type, address)`, in status order.
    addresses: Vec<(String, String)>,
    ready: Option<bool>,
}

impl SlimPod {
    /// `spec.nodeName`: the node the pod was scheduled to.
    pub(crate) fn node_name(&self) -> Option<&str> {
        self.node_name.as_deref()
    }

    /// `spec.hostNetwork`: the pod uses its node's network, so its IP is the
    /// node's.
    pub(crate) fn host_network(&self) -> bool {
        self.host_network
    }

    /// Regular containers, then sidecars.
    pub(crate) fn containers(&self) -> &[SlimContainer] {
        &self.containers
    }

    /// `status.phase` (`Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`).
    pub(crate) fn phase(&self) -> Option<&str> {
        self.phase.as_deref()
    }

    /// `status.podIPs[].ip`, else `status.podIP`.
    pub(crate) fn ips(&self) -> Vec<&str> {
        self.ips.iter().map(String::as_str).collect()
    }

    /// `Some(true)` when the Ready condition is True, `None` when the pod
    /// reports no Ready condition.
    pub(crate) fn ready(&self) -> Option<bool> {
        self.ready
    }

    /// Whether the pod has a `status`: one that does not was never created
    /// (a manifest written by hand), so its IP and readiness are unknown, not
    /// missing.
    pub(crate) fn has_status(&self) -> bool {
        self.has_status
    }

    /// Whether `metadata.deletionTimestamp` is set: the pod is shutting down.
    pub(crate) fn is_terminating(&self) -> bool {
        self.metadata.deletion_timestamp.is_some()
    }
}

impl SlimContainer {
    /// The containers of a typed pod spec, as a [`SlimPod`] keeps them:
    /// regular containers, then sidecars.
    #[cfg(test)]
    pub(crate) fn from_pod_spec(spec: &PodSpec) -> Vec<SlimContainer> {
        let slim = |c: &Container, sidecar: bool| SlimContainer {
            name: c.name.clone(),
            image: c.image.clone().unwrap_or_default(),
            ports: c
                .ports
                .iter()
                .flatten()
                .map(|p| SlimPort {
                    name: p.name.clone(),
                    port: p.container_port,
                    protocol: p.protocol.clone().unwrap_or_else(|| "TCP".into()),
                    host_port: p.host_port.filter(|&h| h != 0),
                })
                .collect(),
            sidecar,
        };
        let sidecars = spec
            .init_containers
            .iter()
            .flatten()
            .filter(|c| c.restart_policy.as_deref() == Some("Always"));
        spec.containers
            .iter()
            .map(|c| slim(c, false))
            .chain(sidecars.map(|c| slim(c, true)))
            .collect()
    }
}

impl SlimNode {
    /// `status.addresses` as `(type, address)`, as reported, in status order.
    pub(crate) fn addresses(&self) -> impl Iterator<Item = (&str, &str)> {
        self.addresses.iter().map(|(t, a)| (t.as_str(), a.as_str()))
    }

    /// `Some(true)` when the Ready condition is True, `None` when the node
    /// reports no Ready condition.
    pub(crate) fn ready(&self) -> Option<bool> {
        self.ready
    }
}

/// The annotation `kubectl apply` writes: the whole object as last applied
/// (`kubectl.kubernetes.io/last-applied-configuration`).
pub(crate) const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Drops the metadata no analysis reads and that weighs most: managed fields
/// and the last-applied copy. Other annotations stay (load balancer
/// controllers and MetalLB are configured through them).
fn trim_meta(meta: &mut ObjectMeta) {
    meta.managed_fields = None;
    if let Some(annotations) = meta.annotations.as_mut() {
        annotations.remove(LAST_APPLIED);
        if annotations.is_empty() {
            meta.annotations = None;
        }
    }
}

/// Trims a Service as it is read (see [`trim_meta`]), and reads its port
/// fields as the API server stores them ([`super::ports::read_as_stored`]):
/// every Service, from files or a cluster, comes in through here.
pub(crate) fn trim_service(svc: &mut Service) {
    trim_meta(&mut svc.metadata);
    super::ports::read_as_stored(svc);
}

/// Trims an EndpointSlice as it is read (see [`trim_meta`]), and gives back
/// the spare room of its lists, which are kept for the whole run.
pub(crate) fn trim_endpoint_slice(slice: &mut EndpointSlice) {
    trim_meta(&mut slice.metadata);
    if let Some(endpoints) = &mut slice.endpoints {
        endpoints.shrink_to_fit();
        for ep in endpoints {
            ep.addresses.shrink_to_fit();
        }
    }
}

// The wire shapes: the Kubernetes JSON field names, with only the fields svcx
// reads. Unknown fields are skipped by serde without being built. Optional
// fields accept `null` as absent, as the API types do; fields the API requires
// (a container's name, a port's number) are required here too.

/// The metadata svcx reads of a Pod or a Node: the fields of the API's
/// `ObjectMeta` of the same names. Not `ObjectMeta` itself, whose thirteen
/// other fields took 220 of each Pod's 500 bytes at 100k Pods.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SlimMeta {
    pub(crate) name: Option<String>,
    /// What a name is made from when the object has none yet (a manifest).
    pub(crate) generate_name: Option<String>,
    pub(crate) namespace: Option<String>,
    /// Shared by the pods of a cluster that carry the same labels
    /// ([`SharedLabels`]): a Deployment's pods all do, and one map per pod
    /// cost 27 to 44 MiB more at 100k pods (docs/performance.md).
    pub(crate) labels: Option<Arc<BTreeMap<String, String>>>,
    pub(crate) uid: Option<String>,
    pub(crate) deletion_timestamp: Option<Time>,
}

impl SlimMeta {
    /// The namespace and the name (else the `generateName` prefix), as
    /// [`super::index::NsName`] reads every object's.
    pub(crate) fn ns_name(&self) -> (&str, &str) {
        super::index::ns_and_name(&self.namespace, &self.name, &self.generate_name)
    }
}

/// The label maps read so far, each kept once: objects with the same labels
/// are given the same map.
#[derive(Default)]
pub(crate) struct SharedLabels(std::collections::HashSet<Arc<BTreeMap<String, String>>>);

impl SharedLabels {
    /// Gives `meta` the map already kept for its labels, or keeps its own.
    pub(crate) fn share(&mut self, meta: &mut SlimMeta) {
        if let Some(labels) = &mut meta.labels {
            match self.0.get(labels) {
                Some(kept) => *labels = kept.clone(),
                None => {
                    self.0.insert(labels.clone());
                }
            }
        }
    }
}

/// What `kube::ResourceExt` offers of an API object's metadata, for the slim
/// objects, with the same names and meaning.
pub(crate) trait SlimObject {
    fn meta(&self) -> &SlimMeta;

    /// The name, else the `generateName` prefix, else empty.
    fn name_any(&self) -> String {
        self.meta().ns_name().1.to_string()
    }

    fn namespace(&self) -> Option<String> {
        self.meta().namespace.clone()
    }

    /// The labels; none is an empty map.
    fn labels(&self) -> &BTreeMap<String, String> {
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        self.meta().labels.as_deref().unwrap_or(&NONE)
    }
}

impl SlimObject for SlimPod {
    fn meta(&self) -> &SlimMeta {
        &self.metadata
    }
}

impl SlimObject for SlimNode {
    fn meta(&self) -> &SlimMeta {
        &self.metadata
    }
}

#[derive(Deserialize)]
struct RawPod {
    metadata: Option<SlimMeta>,
    spec: Option<RawPodSpec>,
    status: Option<RawPodStatus>,
}

/// The parts of a pod spec that bear on traffic; also what a workload's pod
/// template is read as.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RawPodSpec {
    node_name: Option<String>,
    host_network: Option<bool>,
    containers: Option<Vec<RawContainer>>,
    init_containers: Option<Vec<RawContainer>>,
}

impl RawPodSpec {
    /// `spec.hostNetwork`.
    pub(super) fn host_network(&self) -> bool {
        self.host_network.unwrap_or(false)
    }

    /// Regular containers, then sidecars; other init containers end before
    /// the pod serves, so they are dropped.
    pub(super) fn into_containers(self) -> Vec<SlimContainer> {
        let regular = self.containers.into_iter().flatten().map(|c| c.slim(false));
        let sidecars = self
            .init_containers
            .into_iter()
            .flatten()
            .filter(|c| c.restart_policy.as_deref() == Some("Always"))
            .map(|c| c.slim(true));
        let mut containers: Vec<SlimContainer> = regular.chain(sidecars).collect();
        containers.shrink_to_fit();
        containers
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawContainer {
    name: String,
    #[serde(default)]
    image: Option<String>,
    ports: Option<Vec<RawPort>>,
    restart_policy: Option<String>,
}

impl RawContainer {
    fn slim(self, sidecar: bool) -> SlimContainer {
        let mut ports: Vec<SlimPort> = self
            .ports
            .into_iter()
            .flatten()
            .map(|p| SlimPort {
                name: p.name,
                port: p.container_port,
                protocol: p.protocol.unwrap_or_else(|| "TCP".into()),
                host_port: p.host_port.filter(|&h| h != 0),
            })
            .collect();
        ports.shrink_to_fit();
        SlimContainer {
            name: self.name,
            image: self.image.unwrap_or_default(),
            ports,
            sidecar,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPort {
    name: Option<String>,
    container_port: i32,
    protocol: Option<String>,
    host_port: Option<i32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPodStatus {
    phase: Option<String>,
    #[serde(rename = "podIP")]
    pod_ip: Option<String>,
    #[serde(rename = "podIPs")]
    pod_ips: Option<Vec<RawPodIp>>,
    conditions: Option<Vec<RawCondition>>,
}

#[derive(Deserialize)]
struct RawPodIp {
    ip: String,
}

/// A Pod or Node condition; only its type and status are read.
#[derive(Deserialize)]
struct RawCondition {
    #[serde(rename = "type")]
    type_: String,
    status: String,
}

/// The Ready condition's verdict, if there is one.
fn ready(conditions: Option<Vec<RawCondition>>) -> Option<bool> {
    conditions
        .into_iter()
        .flatten()
        .find(|c| c.type_ == "Ready")
        .map(|c| c.status == "True")
}

impl From<RawPod> for SlimPod {
    fn from(raw: RawPod) -> Self {
        let (node_name, host_network, containers) = match raw.spec {
            Some(mut spec) => (
                spec.node_name.take(),
                spec.host_network.unwrap_or(false),
                spec.into_containers(),
            ),
            None => (None, false, Vec::new()),
        };
        let has_status = raw.status.is_some();
        let (phase, ips, ready) = match raw.status {
            Some(s) => {
                let mut ips: Vec<String> = s.pod_ips.into_iter().flatten().map(|p| p.ip).collect();
                if ips.is_empty() {
                    ips.extend(s.pod_ip);
                }
                ips.shrink_to_fit();
                (s.phase, ips, ready(s.conditions))
            }
            None => (None, Vec::new(), None),
        };
        SlimPod {
            metadata: raw.metadata.unwrap_or_default(),
            node_name,
            host_network,
            containers,
            phase,
            ips,
            ready,
            has_status,
        }
    }
}

#[derive(Deserialize)]
struct RawNode {
    metadata: Option<SlimMeta>,
    status: Option<RawNodeStatus>,
}

#[derive(Deserialize)]
struct RawNodeStatus {
    addresses: Option<Vec<RawNodeAddress>>,
    conditions: Option<Vec<RawCondition>>,
}

#[derive(Deserialize)]
struct RawNodeAddress {
    #[serde(rename = "type")]
    type_: String,
    address: String,
}

impl From<RawNode> for SlimNode {
    fn from(raw: RawNode) -> Self {
        // A node's namespace, uid and deletion time bear on nothing.
        let meta = raw.metadata.map(|m| SlimMeta {
            name: m.name,
            labels: m.labels,
            ..Default::default()
        });
        let (addresses, ready) = match raw.status {
            Some(s) => {
                let mut addresses: Vec<(String, String)> = s
                    .addresses
                    .into_iter()
                    .flatten()
                    .map(|a| (a.type_, a.address))
                    .collect();
                addresses.shrink_to_fit();
                (addresses, ready(s.conditions))
            }
            None => (Vec::new(), None),
        };
        SlimNode {
            metadata: meta.unwrap_or_default(),
            addresses,
            ready,
        }
    }
}

/// A workload's `spec.template`, read as a pod's: its labels and containers.
#[derive(Deserialize)]
pub(super) struct RawTemplate {
    pub(super) metadata: Option<RawTemplateMeta>,
    pub(super) spec: Option<RawPodSpec>,
}

#[derive(Deserialize)]
pub(super) struct RawTemplateMeta {
    pub(super) labels: Option<BTreeMap<String, String>>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::core::v1::{ContainerPort, Pod};
    use serde_json::json;

    /// A Pod as the API server returns it, with the fields svcx skips.
    fn full_pod() -> serde_json::Value {
        json!({
            "apiVersion": "v1", "kind": "Pod",
            "metadata": {
                "name": "web-1", "namespace": "shop", "uid": "u-1",
                "labels": {"app": "web"},
                "annotations": {"a": "b"},
                "deletionTimestamp": "2026-01-01T00:00:00Z",
                "managedFields": [{"manager": "kubelet", "fieldsV1": {"f:status": {}}}],
                "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web", "uid": "r"}]
            },
            "spec": {
                "nodeName": "node-a",
                "hostNetwork": true,
                "volumes": [{"name": "v", "emptyDir": {}}],
                "initContainers": [
                    {"name": "migrate", "image": "m", "ports": [{"containerPort": 1}]},
                    {"name": "proxy", "image": "p", "restartPolicy": "Always",
                     "ports": [{"name": "admin", "containerPort": 15000, "protocol": "TCP"}]}
                ],
                "containers": [{
                    "name": "web", "image": "example/web:1",
                    "env": [{"name": "X", "value": "1"}],
                    "ports": [{"name": "http", "containerPort": 8080}, {"containerPort": 53, "protocol": "UDP"}]
                }]
            },
            "status": {
                "phase": "Running",
                "podIP": "10.0.0.1",
                "podIPs": [{"ip": "10.0.0.1"}, {"ip": "fd00::1"}],
                "conditions": [{"type": "PodScheduled", "status": "True"}, {"type": "Ready", "status": "False"}],
                "containerStatuses": [{"name": "web", "ready": false, "restartCount": 0, "image": "x", "imageID": "y"}]
            }
        })
    }

    /// Pods with the same labels end up with one map between them; other
    /// labels, or none, stay their own.
    #[test]
    fn equal_labels_are_kept_once() {
        let pod = |labels: serde_json::Value| -> SlimPod {
            serde_json::from_value(serde_json::json!({"metadata": {"name": "p", "labels": labels}}))
                .unwrap()
        };
        let mut shared = SharedLabels::default();
        let mut pods = [
            pod(serde_json::json!({"app": "web", "pod-template-hash": "5d4f"})),
            pod(serde_json::json!({"pod-template-hash": "5d4f", "app": "web"})),
            pod(serde_json::json!({"app": "db"})),
            pod(serde_json::json!(null)),
        ];
        for p in &mut pods {
            shared.share(&mut p.metadata);
        }
        let labels: Vec<_> = pods.iter().map(|p| p.metadata.labels.clone()).collect();
        let (web, again, db) = (
            labels[0].as_ref().unwrap(),
            labels[1].as_ref().unwrap(),
            labels[2].as_ref().unwrap(),
        );
        assert!(Arc::ptr_eq(web, again));
        assert!(!Arc::ptr_eq(web, db));
        assert_eq!(db["app"], "db");
        assert_eq!(pods[1].labels()["pod-template-hash"], "5d4f");
        assert!(labels[3].is_none() && pods[3].labels().is_empty());
    }

    #[test]
    fn slim_pod_keeps_what_traffic_needs() {
        let pod: SlimPod = serde_json::from_value(full_pod()).unwrap();
        assert_eq!(pod.metadata.name.as_deref(), Some("web-1"));
        assert_eq!(pod.metadata.namespace.as_deref(), Some("shop"));
        assert_eq!(pod.metadata.uid.as_deref(), Some("u-1"));
        assert_eq!(pod.metadata.labels.as_ref().unwrap()["app"], "web");
        // Annotations, managed fields and owner references are not even
        // fields: the metadata kept is well under half the API's.
        assert!(size_of::<SlimMeta>() * 2 < size_of::<ObjectMeta>());
        assert!(pod.is_terminating());
        assert_eq!(pod.node_name(), Some("node-a"));
        assert!(pod.host_network());
        assert_eq!(pod.phase(), Some("Running"));
        assert_eq!(pod.ips(), ["10.0.0.1", "fd00::1"]);
        assert_eq!(pod.ready(), Some(false));
        let names: Vec<(&str, bool)> = pod
            .containers()
            .iter()
            .map(|c| (c.name.as_str(), c.sidecar))
            .collect();
        assert_eq!(names, [("web", false), ("proxy", true)]);
        assert_eq!(
            pod.containers()[0].ports,
            [
                SlimPort {
                    name: Some("http".into()),
                    port: 8080,
                    protocol: "TCP".into(),
                    host_port: None,
                },
                SlimPort {
                    name: None,
                    port: 53,
                    protocol: "UDP".into(),
                    host_port: None,
                },
            ]
        );
    }

    #[test]
    fn pod_without_status_or_spec_reads_as_unknown() {
        let pod: SlimPod =
            serde_json::from_value(json!({"metadata": {"name": "p"}, "spec": null})).unwrap();
        assert_eq!(pod.ready(), None);
        assert_eq!(pod.phase(), None);
        assert!(pod.ips().is_empty());
        assert!(pod.containers().is_empty());
        assert!(!pod.is_terminating());
        let only_ip: SlimPod =
            serde_json::from_value(json!({"status": {"podIP": "10.0.0.2"}})).unwrap();
        assert_eq!(only_ip.ips(), ["10.0.0.2"]);
    }

    #[test]
    fn wrong_type_in_a_read_field_names_its_path() {
        let mut pod = full_pod();
        pod["spec"]["containers"][0]["ports"][0]["containerPort"] = json!("eighty");
        let err = serde_path_to_error::deserialize::<_, SlimPod>(pod).unwrap_err();
        assert_eq!(
            err.path().to_string(),
            "spec.containers[0].ports[0].containerPort"
        );
    }

    #[test]
    fn skipped_fields_are_not_checked() {
        let mut pod = full_pod();
        pod["spec"]["volumes"] = json!("not a list");
        assert!(serde_json::from_value::<SlimPod>(pod).is_ok());
    }

    #[test]
    fn from_pod_spec_matches_the_wire_reading() {
        let pod: Pod = serde_json::from_value(full_pod()).unwrap();
        let slim: SlimPod = serde_json::from_value(full_pod()).unwrap();
        assert_eq!(
            SlimContainer::from_pod_spec(pod.spec.as_ref().unwrap()),
            slim.containers()
        );
        let spec = PodSpec {
            containers: vec![Container {
                name: "c".into(),
                ports: Some(vec![ContainerPort {
                    container_port: 80,
                    ..Default::default()
                }]),
                ..Default::default()
            }],
            ..Default::default()
        };
        assert_eq!(
            SlimContainer::from_pod_spec(&spec)[0].ports[0].protocol,
            "TCP"
        );
    }

    #[test]
    fn slim_node_keeps_addresses_in_order_and_readiness() {
        let node: SlimNode = serde_json::from_value(json!({
            "apiVersion": "v1", "kind": "Node",
            "metadata": {"name": "n1", "labels": {"zone": "a"}, "annotations": {"x": "y"}},
            "status": {
                "addresses": [{"type": "Hostname", "address": "n1"}, {"type": "InternalIP", "address": "10.0.0.1"},
                              {"type": "ExternalIP", "address": "203.0.113.1"}],
                "conditions": [{"type": "Ready", "status": "True"}],
                "images": [{"names": ["a"], "sizeBytes": 1}]
            }
        }))
        .unwrap();
        assert_eq!(node.metadata.name.as_deref(), Some("n1"));
        assert_eq!(node.metadata.labels.as_ref().unwrap()["zone"], "a");
        assert_eq!(
            node.addresses().collect::<Vec<_>>(),
            [
                ("Hostname", "n1"),
                ("InternalIP", "10.0.0.1"),
                ("ExternalIP", "203.0.113.1")
            ]
        );
        assert_eq!(node.ready(), Some(true));
        let bare: SlimNode = serde_json::from_value(json!({"metadata": {"name": "n2"}})).unwrap();
        assert_eq!(bare.ready(), None);
    }

    #[test]
    fn names_are_read_as_resource_ext_reads_them() {
        let named: SlimPod =
            serde_json::from_value(json!({"metadata": {"name": "web-1", "namespace": "shop"}}))
                .unwrap();
        assert_eq!(named.name_any(), "web-1");
        assert_eq!(named.namespace().as_deref(), Some("shop"));
        assert!(named.labels().is_empty());
        let generated: SlimPod =
            serde_json::from_value(json!({"metadata": {"generateName": "web-"}})).unwrap();
        assert_eq!(generated.name_any(), "web-");
        assert_eq!(generated.namespace(), None);
    }

    #[test]
    fn trimming_keeps_annotations_but_not_managed_fields_or_last_applied() {
        let mut svc: Service = serde_json::from_value(json!({
            "metadata": {
                "name": "web",
                "annotations": {
                    "kubectl.kubernetes.io/last-applied-configuration": "{}",
                    "metallb.universe.tf/allow-shared-ip": "key"
                },
                "managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {}}}]
            },
            "spec": {"ports": [{"port": 80}]}
        }))
        .unwrap();
        trim_service(&mut svc);
        assert!(svc.metadata.managed_fields.is_none());
        let annotations = svc.metadata.annotations.as_ref().unwrap();
        assert_eq!(
            annotations.keys().collect::<Vec<_>>(),
            ["metallb.universe.tf/allow-shared-ip"]
        );
        assert_eq!(
            svc.spec.as_ref().unwrap().ports.as_ref().unwrap()[0].port,
            80
        );
        let mut slice: EndpointSlice = serde_json::from_value(json!({
            "metadata": {"name": "web-1", "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"},
                         "managedFields": [{"manager": "endpointslice-controller.k8s.io"}]},
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.0.0.1"]}, {"addresses": ["10.0.0.2"]}]
        }))
        .unwrap();
        trim_endpoint_slice(&mut slice);
        assert!(slice.metadata.managed_fields.is_none());
        assert!(slice.metadata.annotations.is_none());
        let endpoints = slice.endpoints.as_deref().unwrap_or_default();
        assert_eq!(endpoints.len(), 2);
        assert_eq!(endpoints[1].addresses, ["10.0.0.2"]);
    }
}
