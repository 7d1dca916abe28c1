//! The Snapshot: every object svcx reasons about, typed, with its origin, plus
//! the indexes that let analyses find a Service's pods, slices and nodes without
//! scanning. Sources build it; analyses only read it.

pub(crate) mod addresses;
pub(crate) mod cilium;
pub(crate) mod controller_labels;
pub(crate) mod endpoints;
pub(crate) mod entry_point;
pub(crate) mod finding;
pub(crate) mod gke_gateway;
pub(crate) mod host_ports;
mod index;
mod ingest;
pub(crate) mod ingress_lb;
pub(crate) mod load_balancer;
pub(crate) mod locality;
pub(crate) mod lookup;
pub(crate) mod mirror;
pub(crate) mod namespaces;
pub(crate) mod nodes;
mod origin;
pub(crate) mod policy;
pub(crate) mod ports;
pub(crate) mod proxy_params;
pub(crate) mod routes;
pub(crate) mod routing;
pub(crate) mod selector;
pub(crate) mod selector_hint;
pub(crate) mod slim;
mod stats;
pub(crate) mod status;
pub(crate) mod view;
pub(crate) mod view_findings;

pub(crate) use index::{Index, SERVICE_NAME_LABEL};
pub(crate) use ingest::{Ingested, POLICY_API, Prepared, unused_kind};
pub(crate) use origin::{FieldSpans, ObjectSpans, SourceText};
pub use origin::{Located, Origin, Span};
pub(crate) use stats::LoadStats;

use crate::model::routes::l4::{TcpRoute, UdpRoute};
use gateway_api::apis::standard::{
    gatewayclasses::GatewayClass, gateways::Gateway, grpcroutes::GrpcRoute, httproutes::HttpRoute,
    listenersets::ListenerSet, referencegrants::ReferenceGrant, tlsroutes::TlsRoute,
};
use k8s_openapi::api::core::v1::{Namespace, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};
use policy::{ClusterPolicy, NetworkPolicy};
use serde::Serialize;
use slim::{SlimContainer, SlimNode, SlimPod};
use std::collections::BTreeMap;

/// Which namespaces a run looks at.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "scope", content = "namespace", rename_all = "kebab-case")]
pub enum Scope {
    AllNamespaces,
    Namespace(String),
}

impl Scope {
    /// Whether an object in `namespace` is in scope.
    pub(crate) fn includes(&self, namespace: &str) -> bool {
        match self {
            Scope::AllNamespaces => true,
            Scope::Namespace(ns) => ns == namespace,
        }
    }
}

/// Where the whole snapshot was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum SourceInfo {
    Live {
        context: String,
        server: String,
    },
    Files {
        paths: Vec<String>,
    },
    Demo,
    /// Several clusters, one per context: see the report's `clusters`.
    Clusters,
}

/// One cluster of a run over several: which context, and whether it was
/// read. In `-o json`, the reports' `clusters[]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct ClusterInfo {
    pub(crate) context: String,
    /// The API server, when the cluster was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) server: Option<String>,
    /// The namespaces read there, when the cluster was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) scope: Option<Scope>,
    /// Why the cluster could not be read (or its answer not used), when so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error: Option<ClusterError>,
}

/// A cluster that could not be read: the failure as svcx prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct ClusterError {
    /// What failed, with its causes on one line.
    pub(crate) message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hint: Option<String>,
}

/// Something that degraded the answer without stopping it: a forbidden
/// resource, a kind the cluster does not serve, a document that was skipped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Notice {
    pub(crate) message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hint: Option<String>,
    /// The context of the cluster it is about, in a run over several
    /// clusters; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) context: Option<String>,
}

/// A controller that stamps out pods from a template. Offline (manifests), the
/// template stands in for the pods it would create, so selectors and named
/// target ports still resolve. Only the template's labels and containers are
/// kept.
#[derive(Clone, Debug)]
pub struct Workload {
    pub(crate) kind: String,
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) replicas: Option<i32>,
    /// The pod template's labels.
    pub(crate) labels: BTreeMap<String, String>,
    /// The pod template's containers, as a pod's (regular, then sidecars).
    pub(crate) containers: Vec<SlimContainer>,
    /// The pod template's `spec.hostNetwork`: its pods use their node's
    /// network.
    pub(crate) host_network: bool,
    /// The labels its controller adds to each pod beside the template's.
    pub(crate) controller_labels: controller_labels::ControllerLabels,
}

impl Workload {
    /// How many of its pods a Service selector matches: `None` for none,
    /// `Some(None)` for every pod when their number is not known (a
    /// DaemonSet), `Some(Some(n))` otherwise.
    pub(crate) fn selected(&self, selector: &BTreeMap<String, String>) -> Option<Option<i32>> {
        self.controller_labels
            .matches(&self.labels, self.replicas, selector)
    }

    /// The label pairs its pods may carry, for the index: the template's,
    /// then those its controller adds.
    pub(crate) fn indexed_labels(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.labels
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .chain(self.controller_labels.indexed(&self.labels))
    }
}

/// Every object read for one run, with indexes over them.
#[derive(Debug)]
pub struct Snapshot {
    pub(crate) source: SourceInfo,
    pub(crate) scope: Scope,
    pub services: Vec<Located<Service>>,
    pub(crate) endpoint_slices: Vec<Located<EndpointSlice>>,
    /// The EndpointSlices the mirroring controller writes for v1 Endpoints
    /// ([`mirror`]), each located at its Endpoints object; used only for
    /// Services without selector and without slices of their own.
    pub(crate) mirrored_slices: Vec<Located<EndpointSlice>>,
    pub pods: Vec<Located<SlimPod>>,
    pub workloads: Vec<Located<Workload>>,
    pub nodes: Vec<Located<SlimNode>>,
    pub(crate) ingresses: Vec<Located<Ingress>>,
    pub(crate) ingress_classes: Vec<Located<IngressClass>>,
    pub(crate) gateway_classes: Vec<Located<GatewayClass>>,
    pub(crate) gateways: Vec<Located<Gateway>>,
    /// Listeners added to Gateways that allow them (standard from Gateway
    /// API v1.5).
    pub(crate) listener_sets: Vec<Located<ListenerSet>>,
    pub(crate) http_routes: Vec<Located<HttpRoute>>,
    pub(crate) grpc_routes: Vec<Located<GrpcRoute>>,
    pub(crate) tls_routes: Vec<Located<TlsRoute>>,
    pub(crate) tcp_routes: Vec<Located<TcpRoute>>,
    pub(crate) udp_routes: Vec<Located<UdpRoute>>,
    pub(crate) reference_grants: Vec<Located<ReferenceGrant>>,
    /// Namespaces, for listeners that admit routes by namespace label
    /// (`allowedRoutes.namespaces.from: Selector`) and policies that select
    /// namespaces by label.
    pub(crate) namespaces: Vec<Located<Namespace>>,
    /// NetworkPolicies, reduced to what admission needs.
    pub(crate) network_policies: Vec<Located<NetworkPolicy>>,
    /// ClusterNetworkPolicies, AdminNetworkPolicies and
    /// BaselineAdminNetworkPolicies, as one kind.
    pub(crate) cluster_policies: Vec<Located<ClusterPolicy>>,
    /// Network plugins' own policies (CiliumNetworkPolicy, Calico's
    /// GlobalNetworkPolicy, ...): not evaluated, but known to be there.
    pub(crate) foreign_policies: Vec<policy::foreign::ForeignPolicy>,
    /// The proxies' parameters (Envoy Gateway's EnvoyProxy, NGINX Gateway
    /// Fabric's NginxProxy): what they say of the proxies.
    pub(crate) proxy_parameters: Vec<proxy_params::ProxyParameters>,
    /// Whether the source listed every Node (live, the demo), so that a
    /// missing one means it does not exist. Files never claim this: what
    /// they hold is decided per object.
    pub nodes_known: bool,
    /// Whether the source listed every Pod (live, the demo).
    pub(crate) pods_known: bool,
    /// Whether the source listed every EndpointSlice (live, the demo): a
    /// Service without one then has none. Offline, whether slices or pods
    /// stand for a Service's endpoints is decided per Service.
    pub(crate) endpoint_slices_known: bool,
    /// Whether the source listed every Namespace (the demo; live, when a
    /// listener selects route namespaces by label and the list was allowed).
    pub(crate) namespaces_known: bool,
    /// Whether the source listed every IngressClass (live, the demo).
    pub(crate) ingress_classes_known: bool,
    /// Whether the source listed the NetworkPolicies of every namespace in
    /// scope (live, the demo): then a namespace without one has none.
    pub(crate) network_policies_known: bool,
    /// Live: every `(kind, version)` of the Gateway API group the cluster
    /// serves (empty when the Gateway API is not installed). `None` when
    /// not known: offline, or discovery was refused.
    pub(crate) gateway_api_served: Option<Vec<(String, String)>>,
    /// Live, over one namespace: what its Gateway API objects name in other
    /// namespaces that was read by name, and what came of each
    /// ([`routes::beyond_scope`]).
    pub(crate) fetched: routes::Fetched,
    pub(crate) notices: Vec<Notice>,
    /// What a text source read (files, stdin, the demo): counts per kind,
    /// what was skipped and why. Empty for a live cluster.
    pub(crate) stats: LoadStats,
    /// Problems with the input itself that the reader turned into findings
    /// (an unrendered template), reported by lint.
    pub(crate) input_findings: Vec<finding::Finding>,
    /// The text of every file read, by the name origins give it (the path
    /// as given, `<stdin>`, `demo`): shared with the objects read from it,
    /// so keeping it costs nothing; lint shows the lines findings point at.
    pub(crate) texts: std::collections::HashMap<String, std::sync::Arc<String>>,
    index: Index,
}

impl Snapshot {
    /// An empty snapshot for a source and scope; fill it with [`Snapshot::ingest`]
    /// or the typed pushes, then call [`Snapshot::finish`].
    pub fn new(source: SourceInfo, scope: Scope) -> Self {
        Snapshot {
            source,
            scope,
            services: Vec::new(),
            endpoint_slices: Vec::new(),
            mirrored_slices: Vec::new(),
            pods: Vec::new(),
            workloads: Vec::new(),
            nodes: Vec::new(),
            ingresses: Vec::new(),
            ingress_classes: Vec::new(),
            gateway_classes: Vec::new(),
            gateways: Vec::new(),
            listener_sets: Vec::new(),
            http_routes: Vec::new(),
            grpc_routes: Vec::new(),
            tls_routes: Vec::new(),
            tcp_routes: Vec::new(),
            udp_routes: Vec::new(),
            reference_grants: Vec::new(),
            namespaces: Vec::new(),
            network_policies: Vec::new(),
            cluster_policies: Vec::new(),
            foreign_policies: Vec::new(),
            proxy_parameters: Vec::new(),
            nodes_known: false,
            pods_known: false,
            endpoint_slices_known: false,
            namespaces_known: false,
            ingress_classes_known: false,
            network_policies_known: false,
            gateway_api_served: None,
            fetched: routes::Fetched::default(),
            notices: Vec::new(),
            stats: LoadStats::default(),
            input_findings: Vec::new(),
            texts: std::collections::HashMap::new(),
            index: Index::default(),
        }
    }

    /// Sorts every list into a stable order (namespace, name), builds the
    /// indexes, and adds the notices about skipped and repeated objects.
    /// Call once, after the last object is added.
    pub fn finish(mut self) -> Self {
        self.skip_notices();
        // Compares borrowed names: a key that allocates would cost two
        // strings per comparison, millions at 100k pods.
        fn by_name<T: index::NsName>(a: &Located<T>, b: &Located<T>) -> std::cmp::Ordering {
            index::ns_name(&a.object).cmp(&index::ns_name(&b.object))
        }
        sort_moving_once(&mut self.services, by_name);
        sort_moving_once(&mut self.endpoint_slices, by_name);
        sort_moving_once(&mut self.mirrored_slices, by_name);
        sort_moving_once(&mut self.pods, by_name);
        sort_moving_once(&mut self.nodes, by_name);
        sort_moving_once(&mut self.ingresses, by_name);
        sort_moving_once(&mut self.ingress_classes, by_name);
        sort_moving_once(&mut self.gateway_classes, by_name);
        sort_moving_once(&mut self.gateways, by_name);
        sort_moving_once(&mut self.listener_sets, by_name);
        sort_moving_once(&mut self.http_routes, by_name);
        sort_moving_once(&mut self.grpc_routes, by_name);
        sort_moving_once(&mut self.tls_routes, by_name);
        sort_moving_once(&mut self.tcp_routes, by_name);
        sort_moving_once(&mut self.udp_routes, by_name);
        sort_moving_once(&mut self.reference_grants, by_name);
        sort_moving_once(&mut self.namespaces, by_name);
        sort_moving_once(&mut self.network_policies, by_name);
        sort_moving_once(&mut self.cluster_policies, |a, b| {
            (a.object.kind, a.object.name()).cmp(&(b.object.kind, b.object.name()))
        });
        sort_moving_once(&mut self.workloads, |a, b| {
            (&a.namespace, &a.kind, &a.name).cmp(&(&b.namespace, &b.kind, &b.name))
        });
        self.index = Index::build(&self);
        self
    }

    /// Records a degraded part of the answer.
    pub(crate) fn notice(&mut self, message: impl Into<String>, hint: Option<String>) {
        self.notices.push(Notice {
            message: message.into(),
            hint,
            context: None,
        });
    }
}

/// A stable sort that moves each element a bounded number of times, where
/// `sort_by` would move the large typed objects (a `Service` is hundreds of
/// bytes) at every step: positions are sorted, then the permutation is
/// applied in place, one cycle at a time (no second copy of the list).
fn sort_moving_once<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    // The API server lists in key order, namespace then name: a cluster's
    // lists arrive sorted, and checking costs one comparison per element.
    if items.is_sorted_by(|a, b| cmp(a, b).is_le()) {
        return;
    }
    // order[k]: the position of the element that belongs at k.
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    for start in 0..order.len() {
        // Position `cur` holds the cycle's first element until it is last.
        let mut cur = start;
        while order[cur] != start && order[cur] != cur {
            let next = order[cur];
            items.swap(cur, next);
            order[cur] = cur;
            cur = next;
        }
        order[cur] = cur;
    }
}

#[cfg(test)]
mod tests {
    use super::sort_moving_once;

    #[test]
    fn sorting_by_position_is_stable_and_keeps_every_element() {
        let mut items: Vec<(u8, usize)> = [3, 1, 3, 2, 1, 3].into_iter().zip(0..).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|&(k, _)| k);
        sort_moving_once(&mut items, |a, b| a.0.cmp(&b.0));
        assert_eq!(items, expected);
        // Longer cycles, and elements already in place.
        let mut items: Vec<usize> = (0..50).map(|i| (i * 37) % 50).collect();
        items[7] = 7;
        let mut expected = items.clone();
        expected.sort();
        sort_moving_once(&mut items, usize::cmp);
        assert_eq!(items, expected);
        // Sorted already, with equal keys: left as it is.
        let mut sorted: Vec<(u8, usize)> = [1, 1, 2, 3, 3].into_iter().zip(0..).collect();
        let before = sorted.clone();
        sort_moving_once(&mut sorted, |a, b| a.0.cmp(&b.0));
        assert_eq!(sorted, before);
        let mut empty: Vec<u8> = Vec::new();
        sort_moving_once(&mut empty, u8::cmp);
        assert!(empty.is_empty());
    }
}
