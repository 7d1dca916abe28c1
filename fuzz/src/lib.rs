//! What the fuzz targets share: a structure-aware model of a cluster's
//! objects ([`Cluster`], built by the `arbitrary` crate from the fuzzer's
//! bytes and written out as JSON or YAML manifests), the choices a user makes
//! on the command line ([`Choices`]), and the way through svcx that every
//! target takes (read the text, run the analyses, render the reports).
//!
//! The model is deliberately not svcx's own types: deriving `Arbitrary` for
//! k8s-openapi's structs would mean a wrapper for every one of them, and a
//! manifest goes through the same reader a user's file does (field spans,
//! kind table, slim Pods and Nodes), so the analyses see Snapshots exactly as
//! svcx builds them. Names, labels, addresses and ports are drawn mostly from
//! small pools, so that selectors match pods, slices name their Services and
//! routes find their Gateways; each also has a raw escape (any string, any
//! integer) so that the fuzzer reaches the odd values too.

use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{Map, Value, json};
use std::io::sink;
use svcx::render::{self, Style};
use svcx::{Origin, Scope, Snapshot, SourceInfo};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The label svcx uses for the text in errors and origins.
pub const LABEL: &str = "fuzz.yaml";

/// Reads a manifest's text into a finished snapshot, as `svcx -f FILE` does.
/// `None` when svcx refuses the text (an error is an answer, not a crash).
pub fn load(text: &str, scope: Scope) -> Option<Snapshot> {
    let mut snap = Snapshot::new(
        SourceInfo::Files {
            paths: vec![LABEL.into()],
        },
        scope,
    );
    let origin = |line| Origin::File {
        path: LABEL.to_string(),
        line,
    };
    svcx::files::load_text(&mut snap, text, LABEL, origin, "default").ok()?;
    Some(snap.finish())
}

// ---------------------------------------------------------------------------
// Pools: a few values of each sort, so that objects refer to each other.

const NAMES: &[&str] = &["web", "api", "db", "gw", "default", "kubernetes", "a"];
const NAMESPACES: &[&str] = &["default", "prod", "kube-system", "infra"];
const LABEL_KEYS: &[&str] = &[
    "app",
    "tier",
    "kubernetes.io/service-name",
    "topology.kubernetes.io/zone",
    "svcx/ignore",
];
const LABEL_VALUES: &[&str] = &["web", "api", "db", "gw", "zone-a", "", "SVC010"];
const IPS: &[&str] = &[
    "10.0.0.1",
    "10.0.0.2",
    "10.96.0.10",
    "192.168.1.5",
    "203.0.113.7",
    "fd00::1",
    "2001:db8::7",
    "None",
    "",
    "999.1.1.1",
];
const HOSTS: &[&str] = &[
    "example.com",
    "*.example.com",
    "api.example.com",
    "lb.elb.amazonaws.com",
    "*",
    "",
];
const PORTS: &[i64] = &[
    80,
    443,
    8080,
    9090,
    30080,
    32767,
    0,
    -1,
    65535,
    65536,
    70000,
    i32::MIN as i64,
    i32::MAX as i64,
];
const PROTOCOLS: &[&str] = &["TCP", "UDP", "SCTP", "HTTP", "tcp", ""];
const APP_PROTOCOLS: &[&str] = &[
    "http",
    "https",
    "kubernetes.io/h2c",
    "grpc",
    "tls",
    "kubernetes.io/ws",
];
const PATHS: &[&str] = &["/", "/api", "/api/v1", "", "/a/../b", "*"];

/// A string: mostly one of a pool, sometimes anything.
#[derive(Debug)]
pub enum Pick<const POOL: u8> {
    Pool(u8),
    Raw(String),
}

const P_NAME: u8 = 0;
const P_NS: u8 = 1;
const P_KEY: u8 = 2;
const P_VALUE: u8 = 3;
const P_IP: u8 = 4;
const P_HOST: u8 = 5;
const P_PROTO: u8 = 6;
const P_APP: u8 = 7;
const P_PATH: u8 = 8;

fn pool(which: u8) -> &'static [&'static str] {
    match which {
        P_NAME => NAMES,
        P_NS => NAMESPACES,
        P_KEY => LABEL_KEYS,
        P_VALUE => LABEL_VALUES,
        P_IP => IPS,
        P_HOST => HOSTS,
        P_PROTO => PROTOCOLS,
        P_APP => APP_PROTOCOLS,
        _ => PATHS,
    }
}

impl<'a, const POOL: u8> Arbitrary<'a> for Pick<POOL> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        // Seven in eight from the pool.
        if u.ratio(1u8, 8u8)? {
            Ok(Pick::Raw(String::arbitrary(u)?))
        } else {
            Ok(Pick::Pool(u8::arbitrary(u)?))
        }
    }
}

impl<const POOL: u8> Pick<POOL> {
    fn value(&self) -> Value {
        Value::String(self.text())
    }
    fn text(&self) -> String {
        match self {
            Pick::Pool(i) => {
                let p = pool(POOL);
                p[*i as usize % p.len()].to_string()
            }
            Pick::Raw(s) => s.clone(),
        }
    }
}

type Name = Pick<P_NAME>;
type Ns = Pick<P_NS>;
type Key = Pick<P_KEY>;
type Val = Pick<P_VALUE>;
type Ip = Pick<P_IP>;
type Host = Pick<P_HOST>;
type Proto = Pick<P_PROTO>;
type AppProto = Pick<P_APP>;
type PathText = Pick<P_PATH>;

/// A port number: mostly a usual or an edge value, sometimes any i32 (what
/// the API allows; numbers beyond it are the loader target's business, and
/// here would only make the whole manifest fail to read).
#[derive(Debug)]
pub enum Port {
    Pool(u8),
    Raw(i32),
}

impl<'a> Arbitrary<'a> for Port {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        if u.ratio(1u8, 8u8)? {
            Ok(Port::Raw(i32::arbitrary(u)?))
        } else {
            Ok(Port::Pool(u8::arbitrary(u)?))
        }
    }
}

impl Port {
    fn value(&self) -> Value {
        match self {
            Port::Pool(i) => json!(PORTS[*i as usize % PORTS.len()]),
            Port::Raw(n) => json!(n),
        }
    }
}

/// A port given as a number or a name (targetPort, a backend's port).
#[derive(Arbitrary, Debug)]
pub enum IntOrName {
    Number(Port),
    Name(Name),
}

impl IntOrName {
    fn value(&self) -> Value {
        match self {
            IntOrName::Number(p) => p.value(),
            IntOrName::Name(n) => n.value(),
        }
    }
}

/// Up to a few items: enough for every interaction, few enough to stay fast.
#[derive(Debug)]
pub struct Few<T>(pub Vec<T>);

impl<'a, T: Arbitrary<'a>> Arbitrary<'a> for Few<T> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let n = u.int_in_range(0..=3u8)?;
        let mut v = Vec::with_capacity(n as usize);
        for _ in 0..n {
            v.push(T::arbitrary(u)?);
        }
        Ok(Few(v))
    }
}

impl<T> Few<T> {
    fn map(&self, f: impl Fn(&T) -> Value) -> Value {
        Value::Array(self.0.iter().map(f).collect())
    }
}

fn labels(pairs: &Few<(Key, Val)>) -> Value {
    let mut m = Map::new();
    for (k, v) in &pairs.0 {
        m.insert(k.text(), v.value());
    }
    Value::Object(m)
}

/// Sets `key` when the field is present: absent fields stay absent, so that
/// the API's defaults are exercised too.
fn put(obj: &mut Value, key: &str, v: Option<Value>) {
    if let (Some(v), Value::Object(m)) = (v, obj) {
        m.insert(key.to_string(), v);
    }
}

#[derive(Arbitrary, Debug)]
pub struct Meta {
    name: Name,
    namespace: Option<Ns>,
    labels: Few<(Key, Val)>,
    annotations: Few<(Annotation, Val)>,
}

/// Annotation keys that svcx and the migration read.
#[derive(Arbitrary, Debug)]
pub enum Annotation {
    Ignore,
    AwsLb,
    MetalLb,
    Other(Key),
}

impl Meta {
    fn value(&self) -> Value {
        let mut m = json!({ "name": self.name.value() });
        put(&mut m, "namespace", self.namespace.as_ref().map(Ns::value));
        if !self.labels.0.is_empty() {
            put(&mut m, "labels", Some(labels(&self.labels)));
        }
        if !self.annotations.0.is_empty() {
            let mut a = Map::new();
            for (k, v) in &self.annotations.0 {
                let key = match k {
                    Annotation::Ignore => "svcx/ignore".to_string(),
                    Annotation::AwsLb => {
                        "service.beta.kubernetes.io/aws-load-balancer-type".to_string()
                    }
                    Annotation::MetalLb => "metallb.universe.tf/allow-shared-ip".to_string(),
                    Annotation::Other(k) => k.text(),
                };
                a.insert(key, v.value());
            }
            put(&mut m, "annotations", Some(Value::Object(a)));
        }
        m
    }
}

// ---------------------------------------------------------------------------
// Objects.

#[derive(Arbitrary, Debug)]
pub enum ServiceType {
    ClusterIp,
    NodePort,
    LoadBalancer,
    ExternalName,
    Other(Name),
}

#[derive(Arbitrary, Debug)]
pub struct ServicePort {
    name: Option<Name>,
    port: Port,
    target_port: Option<IntOrName>,
    node_port: Option<Port>,
    protocol: Option<Proto>,
    app_protocol: Option<AppProto>,
}

#[derive(Arbitrary, Debug)]
pub struct LbIngress {
    ip: Option<Ip>,
    hostname: Option<Host>,
    proxy_mode: Option<bool>,
}

#[derive(Arbitrary, Debug)]
pub struct Service {
    meta: Meta,
    kind: Option<ServiceType>,
    selector: Option<Few<(Key, Val)>>,
    ports: Few<ServicePort>,
    cluster_ip: Option<Ip>,
    cluster_ips: Option<Few<Ip>>,
    families: Option<Few<bool>>,
    external_ips: Option<Few<Ip>>,
    external_name: Option<Host>,
    external_local: Option<bool>,
    internal_local: Option<bool>,
    health_check_node_port: Option<Port>,
    lb_ip: Option<Ip>,
    lb_class: Option<Name>,
    lb_source_ranges: Option<Few<Ip>>,
    allocate_node_ports: Option<bool>,
    affinity: Option<Option<Port>>,
    publish_not_ready: Option<bool>,
    traffic_distribution: Option<u8>,
    status: Option<Few<LbIngress>>,
}

fn family(v6: &bool) -> Value {
    json!(if *v6 { "IPv6" } else { "IPv4" })
}

impl Service {
    fn value(&self) -> Value {
        let mut spec = json!({});
        put(
            &mut spec,
            "type",
            self.kind.as_ref().map(|k| match k {
                ServiceType::ClusterIp => json!("ClusterIP"),
                ServiceType::NodePort => json!("NodePort"),
                ServiceType::LoadBalancer => json!("LoadBalancer"),
                ServiceType::ExternalName => json!("ExternalName"),
                ServiceType::Other(n) => n.value(),
            }),
        );
        put(&mut spec, "selector", self.selector.as_ref().map(labels));
        put(
            &mut spec,
            "ports",
            Some(self.ports.map(|p| {
                let mut v = json!({ "port": p.port.value() });
                put(&mut v, "name", p.name.as_ref().map(Name::value));
                put(
                    &mut v,
                    "targetPort",
                    p.target_port.as_ref().map(IntOrName::value),
                );
                put(&mut v, "nodePort", p.node_port.as_ref().map(Port::value));
                put(&mut v, "protocol", p.protocol.as_ref().map(Proto::value));
                put(
                    &mut v,
                    "appProtocol",
                    p.app_protocol.as_ref().map(AppProto::value),
                );
                v
            })),
        );
        put(
            &mut spec,
            "clusterIP",
            self.cluster_ip.as_ref().map(Ip::value),
        );
        put(
            &mut spec,
            "clusterIPs",
            self.cluster_ips.as_ref().map(|f| f.map(Ip::value)),
        );
        put(
            &mut spec,
            "ipFamilies",
            self.families.as_ref().map(|f| f.map(family)),
        );
        put(
            &mut spec,
            "externalIPs",
            self.external_ips.as_ref().map(|f| f.map(Ip::value)),
        );
        put(
            &mut spec,
            "externalName",
            self.external_name.as_ref().map(Host::value),
        );
        let policy = |local: &bool| json!(if *local { "Local" } else { "Cluster" });
        put(
            &mut spec,
            "externalTrafficPolicy",
            self.external_local.as_ref().map(policy),
        );
        put(
            &mut spec,
            "internalTrafficPolicy",
            self.internal_local.as_ref().map(policy),
        );
        put(
            &mut spec,
            "healthCheckNodePort",
            self.health_check_node_port.as_ref().map(Port::value),
        );
        put(
            &mut spec,
            "loadBalancerIP",
            self.lb_ip.as_ref().map(Ip::value),
        );
        put(
            &mut spec,
            "loadBalancerClass",
            self.lb_class.as_ref().map(Name::value),
        );
        put(
            &mut spec,
            "loadBalancerSourceRanges",
            self.lb_source_ranges.as_ref().map(|f| f.map(Ip::value)),
        );
        put(
            &mut spec,
            "allocateLoadBalancerNodePorts",
            self.allocate_node_ports.map(Value::Bool),
        );
        if let Some(affinity) = &self.affinity {
            put(&mut spec, "sessionAffinity", Some(json!("ClientIP")));
            if let Some(timeout) = affinity {
                put(
                    &mut spec,
                    "sessionAffinityConfig",
                    Some(json!({ "clientIP": { "timeoutSeconds": timeout.value() } })),
                );
            }
        }
        put(
            &mut spec,
            "publishNotReadyAddresses",
            self.publish_not_ready.map(Value::Bool),
        );
        put(
            &mut spec,
            "trafficDistribution",
            self.traffic_distribution.map(|d| {
                json!(["PreferClose", "PreferSameZone", "PreferSameNode", "Other"][d as usize % 4])
            }),
        );
        let mut obj = json!({
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": self.meta.value(),
            "spec": spec,
        });
        put(
            &mut obj,
            "status",
            self.status.as_ref().map(|ingress| {
                json!({ "loadBalancer": { "ingress": ingress.map(|i| {
                    let mut v = json!({});
                    put(&mut v, "ip", i.ip.as_ref().map(Ip::value));
                    put(&mut v, "hostname", i.hostname.as_ref().map(Host::value));
                    put(&mut v, "ipMode", i.proxy_mode.map(|p| json!(if p { "Proxy" } else { "VIP" })));
                    v
                }) } })
            }),
        );
        obj
    }
}

#[derive(Arbitrary, Debug)]
pub struct ContainerPort {
    name: Option<Name>,
    port: Port,
    protocol: Option<Proto>,
}

fn containers(ports: &Few<ContainerPort>) -> Value {
    json!([{ "name": "c", "image": "x", "ports": ports.map(|p| {
        let mut v = json!({ "containerPort": p.port.value() });
        put(&mut v, "name", p.name.as_ref().map(Name::value));
        put(&mut v, "protocol", p.protocol.as_ref().map(Proto::value));
        v
    }) }])
}

#[derive(Arbitrary, Debug)]
pub struct Pod {
    meta: Meta,
    node: Option<Name>,
    host_network: Option<bool>,
    ports: Few<ContainerPort>,
    phase: Option<u8>,
    ip: Option<Ip>,
    ips: Option<Few<Ip>>,
    ready: Option<bool>,
    deleting: bool,
}

impl Pod {
    fn value(&self) -> Value {
        let mut meta = self.meta.value();
        if self.deleting {
            put(
                &mut meta,
                "deletionTimestamp",
                Some(json!("2024-01-01T00:00:00Z")),
            );
        }
        let mut spec = json!({ "containers": containers(&self.ports) });
        put(&mut spec, "nodeName", self.node.as_ref().map(Name::value));
        put(&mut spec, "hostNetwork", self.host_network.map(Value::Bool));
        let mut status = json!({});
        put(
            &mut status,
            "phase",
            self.phase.map(|p| {
                json!(["Running", "Pending", "Succeeded", "Failed", "Unknown"][p as usize % 5])
            }),
        );
        put(&mut status, "podIP", self.ip.as_ref().map(Ip::value));
        put(
            &mut status,
            "podIPs",
            self.ips
                .as_ref()
                .map(|f| f.map(|ip| json!({ "ip": ip.value() }))),
        );
        put(
            &mut status,
            "conditions",
            self.ready
                .map(|r| json!([{ "type": "Ready", "status": if r { "True" } else { "False" } }])),
        );
        json!({ "apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status })
    }
}

#[derive(Arbitrary, Debug)]
pub struct Endpoint {
    addresses: Few<Ip>,
    ready: Option<bool>,
    serving: Option<bool>,
    terminating: Option<bool>,
    node: Option<Name>,
    zone: Option<Val>,
}

#[derive(Arbitrary, Debug)]
pub struct SlicePort {
    name: Option<Name>,
    port: Option<Port>,
    protocol: Option<Proto>,
    app_protocol: Option<AppProto>,
}

#[derive(Arbitrary, Debug)]
pub struct EndpointSlice {
    meta: Meta,
    service: Option<Name>,
    v6: Option<bool>,
    endpoints: Few<Endpoint>,
    ports: Option<Few<SlicePort>>,
}

impl EndpointSlice {
    fn value(&self) -> Value {
        let mut meta = self.meta.value();
        if let Some(s) = &self.service {
            let mut l = meta.get("labels").cloned().unwrap_or_else(|| json!({}));
            put(&mut l, "kubernetes.io/service-name", Some(s.value()));
            put(&mut meta, "labels", Some(l));
        }
        let mut obj = json!({
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": meta,
            "addressType": match self.v6 { Some(true) => "IPv6", Some(false) => "IPv4", None => "FQDN" },
            "endpoints": self.endpoints.map(|e| {
                let mut c = json!({});
                put(&mut c, "ready", e.ready.map(Value::Bool));
                put(&mut c, "serving", e.serving.map(Value::Bool));
                put(&mut c, "terminating", e.terminating.map(Value::Bool));
                let mut v = json!({ "addresses": e.addresses.map(Ip::value), "conditions": c });
                put(&mut v, "nodeName", e.node.as_ref().map(Name::value));
                put(&mut v, "zone", e.zone.as_ref().map(Val::value));
                v
            }),
        });
        put(
            &mut obj,
            "ports",
            self.ports.as_ref().map(|f| {
                f.map(|p| {
                    let mut v = json!({});
                    put(&mut v, "name", p.name.as_ref().map(Name::value));
                    put(&mut v, "port", p.port.as_ref().map(Port::value));
                    put(&mut v, "protocol", p.protocol.as_ref().map(Proto::value));
                    put(
                        &mut v,
                        "appProtocol",
                        p.app_protocol.as_ref().map(AppProto::value),
                    );
                    v
                })
            }),
        );
        obj
    }
}

#[derive(Arbitrary, Debug)]
pub struct Node {
    name: Name,
    labels: Few<(Key, Val)>,
    addresses: Few<(bool, Ip)>,
    ready: Option<bool>,
}

impl Node {
    fn value(&self) -> Value {
        let mut status = json!({
            "addresses": self.addresses.map(|(external, ip)| json!({
                "type": if *external { "ExternalIP" } else { "InternalIP" },
                "address": ip.value(),
            })),
        });
        put(
            &mut status,
            "conditions",
            self.ready
                .map(|r| json!([{ "type": "Ready", "status": if r { "True" } else { "False" } }])),
        );
        json!({
            "apiVersion": "v1",
            "kind": "Node",
            "metadata": { "name": self.name.value(), "labels": labels(&self.labels) },
            "status": status,
        })
    }
}

#[derive(Arbitrary, Debug)]
pub struct Workload {
    meta: Meta,
    kind: u8,
    replicas: Option<Port>,
    selector: Few<(Key, Val)>,
    template_labels: Few<(Key, Val)>,
    ports: Few<ContainerPort>,
}

impl Workload {
    fn value(&self) -> Value {
        let (api, kind) = [
            ("apps/v1", "Deployment"),
            ("apps/v1", "StatefulSet"),
            ("apps/v1", "DaemonSet"),
            ("v1", "ReplicationController"),
            ("batch/v1", "CronJob"),
        ][self.kind as usize % 5];
        let template = json!({
            "metadata": { "labels": labels(&self.template_labels) },
            "spec": { "containers": containers(&self.ports) },
        });
        let mut spec = match kind {
            "ReplicationController" => {
                json!({ "selector": labels(&self.selector), "template": template })
            }
            "CronJob" => {
                json!({ "schedule": "* * * * *", "jobTemplate": { "spec": { "template": template } } })
            }
            _ => {
                json!({ "selector": { "matchLabels": labels(&self.selector) }, "template": template })
            }
        };
        put(
            &mut spec,
            "replicas",
            self.replicas.as_ref().map(Port::value),
        );
        json!({ "apiVersion": api, "kind": kind, "metadata": self.meta.value(), "spec": spec })
    }
}

const GATEWAY_API: &str = "gateway.networking.k8s.io/v1";

#[derive(Arbitrary, Debug)]
pub struct Listener {
    name: Name,
    port: Port,
    protocol: u8,
    hostname: Option<Host>,
    tls: Option<(bool, Few<Name>)>,
    from: Option<u8>,
    kinds: Option<Few<u8>>,
}

const ROUTE_KINDS: &[&str] = &[
    "HTTPRoute",
    "GRPCRoute",
    "TLSRoute",
    "TCPRoute",
    "UDPRoute",
    "Service",
];

#[derive(Arbitrary, Debug)]
pub struct Gateway {
    meta: Meta,
    class: Name,
    listeners: Few<Listener>,
    addresses: Option<Few<Ip>>,
    status: Option<Few<Ip>>,
}

impl Gateway {
    fn value(&self) -> Value {
        let listeners = self.listeners.map(|l| {
            let mut v = json!({
                "name": l.name.value(),
                "port": l.port.value(),
                "protocol": (["HTTP", "HTTPS", "TLS", "TCP", "UDP", "GRPC"][l.protocol as usize % 6]),
            });
            put(&mut v, "hostname", l.hostname.as_ref().map(Host::value));
            put(
                &mut v,
                "tls",
                l.tls.as_ref().map(|(passthrough, refs)| {
                    json!({
                        "mode": if *passthrough { "Passthrough" } else { "Terminate" },
                        "certificateRefs": refs.map(|n| json!({ "kind": "Secret", "name": n.value() })),
                    })
                }),
            );
            let mut allowed = json!({});
            put(
                &mut allowed,
                "namespaces",
                l.from.map(|f| match f % 4 {
                    0 => json!({ "from": "Same" }),
                    1 => json!({ "from": "All" }),
                    2 => json!({ "from": "Selector", "selector": { "matchLabels": { "app": "web" } } }),
                    _ => json!({ "from": "Selector", "selector": { "matchExpressions": [
                        { "key": "tier", "operator": "In", "values": ["web"] }
                    ] } }),
                }),
            );
            put(
                &mut allowed,
                "kinds",
                l.kinds.as_ref().map(|k| {
                    k.map(|k| json!({ "kind": ROUTE_KINDS[*k as usize % ROUTE_KINDS.len()] }))
                }),
            );
            put(&mut v, "allowedRoutes", Some(allowed));
            v
        });
        let mut spec = json!({ "gatewayClassName": self.class.value(), "listeners": listeners });
        put(
            &mut spec,
            "addresses",
            self.addresses
                .as_ref()
                .map(|f| f.map(|ip| json!({ "type": "IPAddress", "value": ip.value() }))),
        );
        let mut obj = json!({ "apiVersion": GATEWAY_API, "kind": "Gateway", "metadata": self.meta.value(), "spec": spec });
        put(
            &mut obj,
            "status",
            self.status
                .as_ref()
                .map(|f| json!({ "addresses": f.map(|ip| json!({ "value": ip.value() })) })),
        );
        obj
    }
}

#[derive(Arbitrary, Debug)]
pub struct ParentRef {
    name: Name,
    namespace: Option<Ns>,
    section: Option<Name>,
    port: Option<Port>,
    kind: Option<u8>,
}

impl ParentRef {
    fn value(&self) -> Value {
        let mut v = json!({ "name": self.name.value() });
        put(&mut v, "namespace", self.namespace.as_ref().map(Ns::value));
        put(
            &mut v,
            "sectionName",
            self.section.as_ref().map(Name::value),
        );
        put(&mut v, "port", self.port.as_ref().map(Port::value));
        put(
            &mut v,
            "kind",
            self.kind
                .map(|k| json!(["Gateway", "Service", "ListenerSet"][k as usize % 3])),
        );
        v
    }
}

#[derive(Arbitrary, Debug)]
pub struct BackendRef {
    name: Name,
    namespace: Option<Ns>,
    port: Option<Port>,
    weight: Option<Port>,
    kind: Option<u8>,
}

impl BackendRef {
    fn value(&self) -> Value {
        let mut v = json!({ "name": self.name.value() });
        put(&mut v, "namespace", self.namespace.as_ref().map(Ns::value));
        put(&mut v, "port", self.port.as_ref().map(Port::value));
        put(&mut v, "weight", self.weight.as_ref().map(Port::value));
        put(
            &mut v,
            "kind",
            self.kind
                .map(|k| json!(["Service", "ServiceImport", "Bucket"][k as usize % 3])),
        );
        v
    }
}

#[derive(Arbitrary, Debug)]
pub struct Match {
    path: Option<(u8, PathText)>,
    method: Option<bool>,
    header: Option<(Name, Val)>,
}

#[derive(Arbitrary, Debug)]
pub struct RouteRule {
    matches: Option<Few<Match>>,
    backends: Few<BackendRef>,
}

/// An HTTPRoute, GRPCRoute, TLSRoute, TCPRoute or UDPRoute.
#[derive(Arbitrary, Debug)]
pub struct Route {
    meta: Meta,
    kind: u8,
    parents: Few<ParentRef>,
    hostnames: Option<Few<Host>>,
    rules: Few<RouteRule>,
    status: Option<Few<(ParentRef, bool)>>,
}

impl Route {
    fn value(&self) -> Value {
        let (api, kind) = [
            (GATEWAY_API, "HTTPRoute"),
            (GATEWAY_API, "GRPCRoute"),
            ("gateway.networking.k8s.io/v1alpha2", "TLSRoute"),
            ("gateway.networking.k8s.io/v1alpha2", "TCPRoute"),
            ("gateway.networking.k8s.io/v1alpha2", "UDPRoute"),
        ][self.kind as usize % 5];
        let http = kind == "HTTPRoute";
        let rules = self.rules.map(|r| {
            let mut v = json!({ "backendRefs": r.backends.map(BackendRef::value) });
            if http {
                put(
                    &mut v,
                    "matches",
                    r.matches.as_ref().map(|m| {
                        m.map(|m| {
                            let mut v = json!({});
                            put(
                                &mut v,
                                "path",
                                m.path.as_ref().map(|(t, p)| {
                                    json!({
                                        "type": (["PathPrefix", "Exact", "RegularExpression"][*t as usize % 3]),
                                        "value": p.value(),
                                    })
                                }),
                            );
                            put(&mut v, "method", m.method.map(|g| json!(if g { "GET" } else { "POST" })));
                            put(
                                &mut v,
                                "headers",
                                m.header
                                    .as_ref()
                                    .map(|(n, val)| json!([{ "name": n.value(), "value": val.value() }])),
                            );
                            v
                        })
                    }),
                );
            }
            v
        });
        let mut spec = json!({ "parentRefs": self.parents.map(ParentRef::value), "rules": rules });
        if matches!(kind, "HTTPRoute" | "GRPCRoute" | "TLSRoute") {
            put(
                &mut spec,
                "hostnames",
                self.hostnames.as_ref().map(|f| f.map(Host::value)),
            );
        }
        let mut obj =
            json!({ "apiVersion": api, "kind": kind, "metadata": self.meta.value(), "spec": spec });
        put(
            &mut obj,
            "status",
            self.status.as_ref().map(|parents| {
                json!({ "parents": parents.map(|(p, accepted)| json!({
                    "parentRef": p.value(),
                    "controllerName": "example.com/gateway",
                    "conditions": [{
                        "type": "Accepted",
                        "status": if *accepted { "True" } else { "False" },
                        "reason": "Fuzz",
                        "message": "",
                        "lastTransitionTime": "2024-01-01T00:00:00Z",
                    }],
                })) })
            }),
        );
        obj
    }
}

#[derive(Arbitrary, Debug)]
pub struct ReferenceGrant {
    meta: Meta,
    from: Few<(u8, Ns)>,
    to: Few<(bool, Option<Name>)>,
}

impl ReferenceGrant {
    fn value(&self) -> Value {
        json!({
            "apiVersion": "gateway.networking.k8s.io/v1beta1",
            "kind": "ReferenceGrant",
            "metadata": self.meta.value(),
            "spec": {
                "from": self.from.map(|(k, ns)| json!({
                    "group": "gateway.networking.k8s.io",
                    "kind": ROUTE_KINDS[*k as usize % 5],
                    "namespace": ns.value(),
                })),
                "to": self.to.map(|(service, name)| {
                    let mut v = json!({ "group": "", "kind": if *service { "Service" } else { "Secret" } });
                    put(&mut v, "name", name.as_ref().map(Name::value));
                    v
                }),
            },
        })
    }
}

#[derive(Arbitrary, Debug)]
pub struct IngressBackend {
    service: Name,
    port: IntOrName,
}

impl IngressBackend {
    fn value(&self) -> Value {
        let port = match &self.port {
            IntOrName::Number(p) => json!({ "number": p.value() }),
            IntOrName::Name(n) => json!({ "name": n.value() }),
        };
        json!({ "service": { "name": self.service.value(), "port": port } })
    }
}

/// A path of an Ingress rule: path, pathType (as an index), backend.
type IngressPath = (PathText, u8, IngressBackend);

#[derive(Arbitrary, Debug)]
pub struct Ingress {
    meta: Meta,
    class: Option<Name>,
    default_backend: Option<IngressBackend>,
    rules: Few<(Option<Host>, Few<IngressPath>)>,
    tls: Option<Few<(Few<Host>, Option<Name>)>>,
    status: Option<Few<Ip>>,
}

impl Ingress {
    fn value(&self) -> Value {
        let mut spec = json!({
            "rules": self.rules.map(|(host, paths)| {
                let mut v = json!({ "http": { "paths": paths.map(|(path, t, backend)| json!({
                    "path": path.value(),
                    "pathType": (["Prefix", "Exact", "ImplementationSpecific"][*t as usize % 3]),
                    "backend": backend.value(),
                })) } });
                put(&mut v, "host", host.as_ref().map(Host::value));
                v
            }),
        });
        put(
            &mut spec,
            "ingressClassName",
            self.class.as_ref().map(Name::value),
        );
        put(
            &mut spec,
            "defaultBackend",
            self.default_backend.as_ref().map(IngressBackend::value),
        );
        put(
            &mut spec,
            "tls",
            self.tls.as_ref().map(|f| {
                f.map(|(hosts, secret)| {
                    let mut v = json!({ "hosts": hosts.map(Host::value) });
                    put(&mut v, "secretName", secret.as_ref().map(Name::value));
                    v
                })
            }),
        );
        let mut obj = json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": self.meta.value(),
            "spec": spec,
        });
        put(
            &mut obj,
            "status",
            self.status
                .as_ref()
                .map(|f| json!({ "loadBalancer": { "ingress": f.map(|ip| json!({ "ip": ip.value() })) } })),
        );
        obj
    }
}

/// A cluster-scoped class or a Namespace.
#[derive(Arbitrary, Debug)]
pub enum ClusterObject {
    GatewayClass(Name, u8),
    IngressClass(Name, u8, bool),
    Namespace(Ns, Few<(Key, Val)>),
}

impl ClusterObject {
    fn value(&self) -> Value {
        const CONTROLLERS: &[&str] = &[
            "k8s.io/ingress-nginx",
            "example.com/gateway",
            "istio.io/gateway-controller",
        ];
        match self {
            ClusterObject::GatewayClass(n, c) => json!({
                "apiVersion": GATEWAY_API, "kind": "GatewayClass",
                "metadata": { "name": n.value() },
                "spec": { "controllerName": CONTROLLERS[*c as usize % 3] },
            }),
            ClusterObject::IngressClass(n, c, default) => json!({
                "apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
                "metadata": { "name": n.value(), "annotations": {
                    "ingressclass.kubernetes.io/is-default-class": if *default { "true" } else { "false" },
                } },
                "spec": { "controller": CONTROLLERS[*c as usize % 3] },
            }),
            ClusterObject::Namespace(n, l) => json!({
                "apiVersion": "v1", "kind": "Namespace",
                "metadata": { "name": n.value(), "labels": labels(l) },
            }),
        }
    }
}

/// One object of a manifest.
#[derive(Arbitrary, Debug)]
pub enum Object {
    Service(Service),
    Pod(Pod),
    EndpointSlice(EndpointSlice),
    Node(Node),
    Workload(Workload),
    Gateway(Gateway),
    Route(Route),
    ReferenceGrant(ReferenceGrant),
    Ingress(Ingress),
    Cluster(ClusterObject),
}

impl Object {
    /// The object as the JSON a manifest holds.
    pub fn value(&self) -> Value {
        match self {
            Object::Service(o) => o.value(),
            Object::Pod(o) => o.value(),
            Object::EndpointSlice(o) => o.value(),
            Object::Node(o) => o.value(),
            Object::Workload(o) => o.value(),
            Object::Gateway(o) => o.value(),
            Object::Route(o) => o.value(),
            Object::ReferenceGrant(o) => o.value(),
            Object::Ingress(o) => o.value(),
            Object::Cluster(o) => o.value(),
        }
    }
}

/// How the objects are written out, so that every reader path is taken.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Layout {
    /// Multi-document YAML (field spans from YAML).
    Yaml,
    /// A stream of JSON objects.
    JsonStream,
    /// `kind: List`, as `kubectl get -o json` writes it.
    JsonList,
}

/// A cluster's worth of manifests.
#[derive(Arbitrary, Debug)]
pub struct Cluster {
    pub layout: Layout,
    pub objects: Vec<Object>,
}

impl Cluster {
    /// The objects as one manifest's text.
    pub fn text(&self) -> String {
        let values: Vec<Value> = self.objects.iter().map(Object::value).collect();
        match self.layout {
            Layout::Yaml => {
                let mut text = String::new();
                for v in &values {
                    text.push_str("---\n");
                    text.push_str(&svcx::yaml::to_string(v).expect("JSON values write as YAML"));
                }
                text
            }
            Layout::JsonStream => values
                .iter()
                .map(|v| v.to_string())
                .collect::<Vec<_>>()
                .join("\n"),
            Layout::JsonList => {
                json!({ "apiVersion": "v1", "kind": "List", "items": values }).to_string()
            }
        }
    }
}

// ---------------------------------------------------------------------------
// What the user asks for.

/// TRACE as users type it.
#[derive(Arbitrary, Debug)]
pub enum TraceTarget {
    Everything,
    Name(Name),
    Qualified(Ns, Name),
    Address(Ip, Option<Port>),
    HostPath(Host, PathText),
    Raw(String),
}

impl TraceTarget {
    fn text(&self) -> Option<String> {
        Some(match self {
            TraceTarget::Everything => return None,
            TraceTarget::Name(n) => n.text(),
            TraceTarget::Qualified(ns, n) => format!("{}/{}", ns.text(), n.text()),
            TraceTarget::Address(ip, None) => ip.text(),
            TraceTarget::Address(ip, Some(p)) => format!("{}:{}", ip.text(), p.value()),
            TraceTarget::HostPath(h, p) => format!("{}{}", h.text(), p.text()),
            TraceTarget::Raw(s) => s.clone(),
        })
    }
}

/// The input of the structured targets: a cluster and the flags. Its Debug
/// (what `cargo fuzz fmt` prints) is the manifest svcx reads, then the flags,
/// so a crash's input can be kept as a test fixture as it is.
#[derive(Arbitrary)]
pub struct Input {
    pub cluster: Cluster,
    pub choices: Choices,
}

impl std::fmt::Debug for Input {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "# the manifest ({:?})", self.cluster.layout)?;
        writeln!(f, "{}", self.cluster.text())?;
        write!(f, "# the flags\n{:#?}", self.choices)
    }
}

/// The flags of one run of each subcommand.
#[derive(Arbitrary, Debug)]
pub struct Choices {
    namespace: Option<Ns>,
    explain: Option<Few<Name>>,
    trace: TraceTarget,
    trace_port: Option<IntOrName>,
    lint_ignore: Option<Few<u16>>,
    migrate_services: Option<Few<Name>>,
    gateway_class: Option<Name>,
    gateway_name: Option<Name>,
    gateway_namespace: Option<Ns>,
    release: Option<(u8, bool)>,
    hostnames: Few<(Name, Host)>,
    domain: Option<Host>,
    tls_secrets: Few<(Name, Name)>,
    existing_gateway: Option<(Ns, Name)>,
}

impl Choices {
    /// `-n` or `-A`.
    pub fn scope(&self) -> Scope {
        match &self.namespace {
            Some(ns) => Scope::Namespace(ns.text()),
            None => Scope::AllNamespaces,
        }
    }
}

/// Every report one snapshot gives, as the commands would compute them.
pub struct Reports {
    pub explain: svcx::ExplainReport,
    pub trace: Option<svcx::TraceReport>,
    pub lint: svcx::LintReport,
    pub migration: Option<svcx::Migration>,
}

/// Runs explain, trace, lint and the migration planning over a snapshot.
pub fn analyse(snap: &Snapshot, choices: &Choices) -> Reports {
    let chosen: Vec<_> = choices
        .explain
        .iter()
        .flat_map(|names| &names.0)
        .filter_map(|n| snap.find_services(&n.text()).ok())
        .flatten()
        .collect();
    let explain = svcx::explain(snap, &chosen);
    let port = choices.trace_port.as_ref().map(|p| match p.value() {
        Value::String(s) => s,
        v => v.to_string(),
    });
    let trace = svcx::trace(snap, choices.trace.text().as_deref(), port.as_deref()).ok();
    let mut settings = svcx::LintSettings::default();
    for code in choices.lint_ignore.iter().flat_map(|c| &c.0) {
        if let Ok(s) = svcx::LintSelector::parse(&format!("SVC{:03}", code % 1000)) {
            settings.ignore.push(s);
        }
    }
    let lint = svcx::lint(snap, &settings);
    let services = choices
        .migrate_services
        .iter()
        .flat_map(|names| &names.0)
        .filter_map(|n| snap.find_services(&n.text()).ok())
        .flatten()
        .filter_map(|s| snap.services.iter().position(|x| std::ptr::eq(x, s)))
        .collect();
    let opts = svcx::MigrateOptions {
        services,
        gateway_class: choices.gateway_class.as_ref().map(Name::text),
        gateway_name: Some(
            choices
                .gateway_name
                .as_ref()
                .map_or("gateway".into(), Name::text),
        ),
        gateway_namespace: choices.gateway_namespace.as_ref().map(Ns::text),
        target: choices.release.map(|(minor, experimental)| svcx::Release {
            minor: minor % 8,
            channel: if experimental {
                svcx::Channel::Experimental
            } else {
                svcx::Channel::Standard
            },
        }),
        hostnames: choices
            .hostnames
            .0
            .iter()
            .map(|(s, h)| (s.text(), h.text()))
            .collect(),
        domain: choices.domain.as_ref().map(Host::text),
        tls_secrets: choices
            .tls_secrets
            .0
            .iter()
            .map(|(s, n)| (s.text(), n.text()))
            .collect(),
        existing_gateway: choices
            .existing_gateway
            .as_ref()
            .map(|(ns, n)| (ns.text(), n.text())),
        allow_gateway_proxies: true,
    };
    let migration = svcx::plan_migration(snap, &opts).ok();
    Reports {
        explain,
        trace,
        lint,
        migration,
    }
}

/// Writes every report in every format svcx has, in both styles. A renderer
/// may fail only on a failed write, never on what it is given.
/// Panics at a `port` (or non-zero `targetPort`) outside 1-65535 anywhere
/// under `value`.
fn ports_are_numbers(value: &serde_json::Value, key: &str) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                ports_are_numbers(v, k);
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| ports_are_numbers(v, key)),
        serde_json::Value::Number(n)
            if key == "port" || key == "targetPort" || key == "nodePort" =>
        {
            let n = n.as_i64().unwrap_or(-1);
            let allowed = (1..=65535).contains(&n) || (key == "targetPort" && n == 0);
            assert!(allowed, "migrate-to-gateway wrote {key}: {n}");
        }
        _ => {}
    }
}

pub fn render_all(reports: &Reports) {
    use svcx::render::{explain, lint, trace};
    for style in [Style::plain(), Style::new(true)] {
        for all_nodes in [false, true] {
            explain::human(&reports.explain, style, all_nodes, &mut sink())
                .expect("explain renders");
        }
        lint::human(&reports.lint, style, &mut sink()).expect("lint renders");
        if let Some(t) = &reports.trace {
            trace::human(t, style, &mut sink()).expect("trace renders");
        }
    }
    render::json(&reports.explain, &mut sink()).expect("explain renders as JSON");
    render::yaml(&reports.explain, &mut sink()).expect("explain renders as YAML");
    render::html::explain(&reports.explain, &mut sink()).expect("explain renders as HTML");
    explain::dot(&reports.explain, &mut sink()).expect("explain renders as DOT");
    if let Some(t) = &reports.trace {
        render::json(t, &mut sink()).expect("trace renders as JSON");
        render::yaml(t, &mut sink()).expect("trace renders as YAML");
        trace::mermaid(t, &mut sink()).expect("trace renders as Mermaid");
        render::html::trace(t, &mut sink()).expect("trace renders as HTML");
        trace::dot(t, &mut sink()).expect("trace renders as DOT");
    }
    render::json(&reports.lint, &mut sink()).expect("lint renders as JSON");
    render::sarif::write(&reports.lint, &mut sink()).expect("lint renders as SARIF");
    lint::github(&reports.lint, &mut sink()).expect("lint renders for GitHub");
    lint::junit(&reports.lint, &mut sink()).expect("lint renders as JUnit");
    if let Some(m) = &reports.migration {
        use svcx::render::migrate as out;
        let _ = out::report_text(m);
        let _ = out::markdown(m);
        let document = out::json_document(m);
        render::json(&document, &mut sink()).expect("migration renders as JSON");
        // What migrate writes, the API server takes: every port a number
        // from 1 to 65535 (a Service's targetPort may be 0, its default).
        ports_are_numbers(&document["objects"], "");
        let written = out::yaml(m).expect("migration renders as YAML");
        // What migrate writes, svcx reads back.
        if load(&written, Scope::AllNamespaces).is_none() {
            let mut snap = Snapshot::new(SourceInfo::Files { paths: vec![] }, Scope::AllNamespaces);
            let err = svcx::files::load_text(
                &mut snap,
                written.as_str(),
                LABEL,
                |line| Origin::File {
                    path: LABEL.into(),
                    line,
                },
                "default",
            )
            .unwrap_err();
            panic!("svcx cannot read what migrate-to-gateway wrote: {err:#}\n{written}");
        }
    }
}
