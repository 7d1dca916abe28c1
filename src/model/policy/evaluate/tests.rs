//! Unit tests of the evaluation: source NAT and the pod's own node.

use super::*;
use crate::model::{Origin, Scope, Snapshot, SourceInfo};

fn snapshot(policy: &str) -> Snapshot {
    let yaml = format!(
        "apiVersion: v1\nkind: Node\nmetadata: {{name: node-a}}\n\
         status: {{addresses: [{{type: InternalIP, address: 10.0.0.1}}]}}\n---\n\
         apiVersion: v1\nkind: Node\nmetadata: {{name: node-b}}\n\
         status: {{addresses: [{{type: InternalIP, address: 10.0.0.2}}]}}\n---\n\
         apiVersion: v1\nkind: Pod\nmetadata: {{name: web-0, namespace: shop, labels: {{app: web}}}}\n\
         spec: {{nodeName: node-a, containers: [{{name: c, ports: [{{containerPort: 8080}}]}}]}}\n\
         status: {{phase: Running, podIP: 10.244.1.5}}\n---\n{policy}"
    );
    let mut s = Snapshot::new(SourceInfo::Demo, Scope::AllNamespaces);
    crate::source::files::load_text(&mut s, yaml, "t", |line| Origin::Demo { line }, "default")
        .expect("fixture parses");
    s.finish()
}

fn outside(snap: &Snapshot) -> Decision {
    let policies = Policies::build(snap);
    let pod = &snap.pods[0].object;
    let addresses = vec!["10.244.1.5".to_string()];
    let dst = Destination {
        namespace: "shop",
        member: Some(Member::Pod(0, pod)),
        addresses: &addresses,
        node: Some("node-a"),
        host_network: false,
        is_pod: true,
    };
    let t = Traffic {
        port: 8080,
        protocol: "TCP",
        name: None,
    };
    policies.admits(
        &Source::Outside {
            snat: true,
            clients: &[],
        },
        &dst,
        &t,
    )
}

/// "traffic to and from the node where a Pod is running is always
/// allowed" (concept page): after source NAT, node-a (the pod's own
/// node) gets through a policy that admits only clients; node-b does
/// not; the answer depends on the plugin.
#[test]
fn the_pods_own_node_is_always_allowed() {
    let snap = snapshot(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: clients, namespace: shop}\n\
         spec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 203.0.113.0/24}\n",
    );
    let d = outside(&snap);
    assert_eq!(d.admission, Admission::Depends);
    assert!(
        d.reason.contains("as the address of node-b, dropped"),
        "{}",
        d.reason
    );
    assert!(!d.reason.contains("node-a"), "{}", d.reason);
}

/// When every reading admits (the client's address and every node's),
/// source NAT changes nothing: admitted.
#[test]
fn source_nat_changes_nothing_when_every_address_is_admitted() {
    let snap = snapshot(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: all, namespace: shop}\n\
         spec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 0.0.0.0/0}\n    - ipBlock: {cidr: '::/0'}\n",
    );
    assert_eq!(outside(&snap).admission, Admission::Admitted);
}
