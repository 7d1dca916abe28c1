//! The concept guide (`svcx explain --concepts`): the three Service types side
//! by side, plus headless and ExternalName, and the Gateway API advice. Static
//! teaching content, kept as data so it renders as text or JSON.

use serde::Serialize;

/// The whole guide.
#[derive(Debug, Serialize)]
pub(crate) struct ConceptGuide {
    pub(crate) schema: u32,
    pub(crate) types: Vec<TypeConcept>,
    /// Rows of the side-by-side comparison: an aspect, then one cell per type
    /// (ClusterIP, NodePort, LoadBalancer).
    pub(crate) comparison: Vec<ComparisonRow>,
    pub(crate) also: Vec<TypeConcept>,
    pub(crate) advice: Vec<&'static str>,
}

/// One kind of Service, explained.
#[derive(Debug, Serialize)]
pub(crate) struct TypeConcept {
    pub(crate) name: &'static str,
    pub(crate) one_line: &'static str,
    pub(crate) details: Vec<&'static str>,
}

/// One aspect compared across ClusterIP, NodePort and LoadBalancer.
#[derive(Debug, Serialize)]
pub(crate) struct ComparisonRow {
    pub(crate) aspect: &'static str,
    pub(crate) cluster_ip: &'static str,
    pub(crate) node_port: &'static str,
    pub(crate) load_balancer: &'static str,
}

fn row(
    aspect: &'static str,
    cluster_ip: &'static str,
    node_port: &'static str,
    load_balancer: &'static str,
) -> ComparisonRow {
    ComparisonRow {
        aspect,
        cluster_ip,
        node_port,
        load_balancer,
    }
}

/// The guide.
pub(crate) fn guide() -> ConceptGuide {
    ConceptGuide {
        schema: super::report::SCHEMA,
        types: vec![
            TypeConcept {
                name: "ClusterIP",
                one_line: "A virtual IP (and DNS name) reachable only inside the cluster.",
                details: vec![
                    "The API server allocates the IP; no process listens on it.",
                    "kube-proxy on every node rewrites connections to ClusterIP:port into connections to one ready pod at its targetPort.",
                    "The default type, and the right one for almost every Service.",
                ],
            },
            TypeConcept {
                name: "NodePort",
                one_line: "A ClusterIP Service plus one port (30000-32767 by default) opened on every node.",
                details: vec![
                    "Traffic to any node's address on the nodePort is forwarded to the ClusterIP layer.",
                    "externalTrafficPolicy Cluster: any node forwards, possibly to another node, and the client IP is lost (SNAT).",
                    "externalTrafficPolicy Local: only nodes running a ready endpoint accept; the client IP is kept.",
                ],
            },
            TypeConcept {
                name: "LoadBalancer",
                one_line: "A NodePort Service plus an external load balancer pointed at those node ports.",
                details: vec![
                    "A cloud controller (or MetalLB on bare metal) provisions it and writes its address to status.loadBalancer.ingress.",
                    "Until a controller does, the Service is pending: node ports and the cluster IP still work.",
                    "One load balancer per Service, usually billed per Service.",
                ],
            },
        ],
        comparison: vec![
            row(
                "reachable from",
                "inside the cluster",
                "anything that reaches a node",
                "anything that reaches the load balancer",
            ),
            row(
                "address",
                "cluster IP (virtual)",
                "every node's IP",
                "load balancer IP or hostname",
            ),
            row("port", "port", "nodePort (30000-32767)", "port"),
            row(
                "implemented by",
                "kube-proxy",
                "kube-proxy on every node",
                "cloud controller or MetalLB, then kube-proxy",
            ),
            row("includes", "-", "ClusterIP", "NodePort and ClusterIP"),
            row(
                "client source IP",
                "kept",
                "lost unless externalTrafficPolicy Local",
                "lost unless externalTrafficPolicy Local",
            ),
            row(
                "costs",
                "nothing extra",
                "firewall openings on every node",
                "a load balancer per Service",
            ),
        ],
        also: vec![
            TypeConcept {
                name: "Headless (clusterIP: None)",
                one_line: "No virtual IP: DNS answers with the pod IPs themselves.",
                details: vec![
                    "Used by StatefulSets so each pod has a stable name (pod.service.namespace.svc).",
                    "kube-proxy is not involved; clients pick a pod and connect to it directly.",
                ],
            },
            TypeConcept {
                name: "ExternalName",
                one_line: "A DNS CNAME to a name outside the cluster; nothing is proxied.",
                details: vec![
                    "No cluster IP, no ports, no endpoints.",
                    "Clients still send the Service's own name as HTTP Host and TLS SNI.",
                ],
            },
        ],
        advice: vec![
            "Keep every Service ClusterIP.",
            "Expose traffic through one Gateway API Gateway: HTTPRoute for HTTP, GRPCRoute for gRPC, TLSRoute for TLS passthrough, TCPRoute and UDPRoute for the rest.",
            "One Gateway (one load balancer) serves many Services, instead of one paid load balancer per Service.",
        ],
    }
}
