//! Policies in plain words: their peers, ports and rules, for the reasons
//! of decisions and for explain's "Network policies" section. Nothing here
//! decides anything.

use super::objects::{
    Action, ClusterPeer, ClusterPolicy, ClusterRule, Direction, NetworkPolicy, NetworkPolicyRule,
    Peer, PortMatch, PortSpec,
};
use crate::model::namespaces::NAMESPACE_NAME_LABEL;
use crate::model::selector::label_selector_text;
use crate::model::view::names_list;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// `namespace shop`, `every namespace`, `namespaces labelled team=a`.
pub(crate) fn namespaces(sel: &LabelSelector) -> String {
    let labels = sel.match_labels.as_ref();
    let exprs = sel
        .match_expressions
        .as_ref()
        .is_some_and(|e| !e.is_empty());
    match labels {
        _ if super::index::is_empty(sel) => "every namespace".to_string(),
        Some(l) if !exprs && l.len() == 1 && l.contains_key(NAMESPACE_NAME_LABEL) => {
            format!("namespace {}", l[NAMESPACE_NAME_LABEL])
        }
        _ => format!("namespaces labelled {}", label_selector_text(sel)),
    }
}

/// `every pod`, `pods labelled app=web`.
pub(crate) fn pods(sel: Option<&LabelSelector>) -> String {
    match sel {
        Some(s) if !super::index::is_empty(s) => {
            format!("pods labelled {}", label_selector_text(s))
        }
        _ => "every pod".to_string(),
    }
}

/// One NetworkPolicy peer, for a policy in `namespace`.
pub(crate) fn peer(p: &Peer, namespace: &str) -> String {
    match p {
        Peer::Pods {
            namespaces: None,
            pods: sel,
        } => format!("{} in namespace {namespace}", pods(sel.as_ref())),
        Peer::Pods {
            namespaces: Some(ns),
            pods: sel,
        } => format!("{} in {}", pods(sel.as_ref()), self::namespaces(ns)),
        Peer::IpBlock { cidr, except, .. } => format!("addresses in {}", ip_block(cidr, except)),
    }
}

/// An ipBlock's range: `172.17.0.0/16`, `172.17.0.0/16 except
/// 172.17.1.0/24`; the except is part of what it admits, so every answer
/// that names the block names it too.
pub(crate) fn ip_block(cidr: &str, except: &[String]) -> String {
    if except.is_empty() {
        cidr.to_string()
    } else {
        format!("{cidr} except {}", except.join(", "))
    }
}

/// One port match: `TCP 8080`, `TCP 32000-32768`, `UDP (any port)`,
/// `port named http`.
pub(crate) fn port(p: &PortMatch) -> String {
    let proto = p.protocol.as_deref();
    match (&p.port, proto) {
        (PortSpec::Any, Some(pr)) => format!("{pr} (any port)"),
        (PortSpec::Any, None) => "any port".to_string(),
        (PortSpec::Number(n), Some(pr)) => format!("{pr} {n}"),
        (PortSpec::Number(n), None) => format!("port {n}"),
        (PortSpec::Range(a, b), Some(pr)) => format!("{pr} {a}-{b}"),
        (PortSpec::Range(a, b), None) => format!("ports {a}-{b}"),
        (PortSpec::Named(n), Some(pr)) => format!("{pr} port named `{n}`"),
        (PortSpec::Named(n), None) => format!("the port named `{n}`"),
    }
}

/// A rule's ports: `any port` when it lists none.
pub(crate) fn ports(list: &[PortMatch]) -> String {
    if list.is_empty() {
        "any port".to_string()
    } else {
        names_list(&list.iter().map(port).collect::<Vec<_>>())
    }
}

/// What one NetworkPolicy rule allows: `from pods labelled app=web in
/// namespace shop on TCP 8080`.
pub(crate) fn rule(r: &NetworkPolicyRule, direction: Direction, namespace: &str) -> String {
    let (word, all) = match direction {
        Direction::Ingress => ("from", "any source"),
        Direction::Egress => ("to", "any destination"),
    };
    let peers = if r.peers.is_empty() {
        all.to_string()
    } else {
        names_list(
            &r.peers
                .iter()
                .map(|p| peer(p, namespace))
                .collect::<Vec<_>>(),
        )
    };
    format!("allows {word} {peers} on {}", ports(&r.ports))
}

/// What a NetworkPolicy does in one direction, in a line.
pub(crate) fn network_policy(
    np: &NetworkPolicy,
    direction: Direction,
    namespace: &str,
) -> Vec<String> {
    let rules = np.rules(direction);
    if rules.is_empty() {
        return vec![format!(
            "isolates its pods for {} and allows nothing (default deny)",
            direction_word(direction)
        )];
    }
    rules
        .iter()
        .map(|r| rule(r, direction, namespace))
        .collect()
}

/// `ingress`, `egress`.
pub(crate) fn direction_word(d: Direction) -> &'static str {
    match d {
        Direction::Ingress => "ingress",
        Direction::Egress => "egress",
    }
}

/// One peer of a cluster-wide rule.
pub(crate) fn cluster_peer(p: &ClusterPeer) -> String {
    match p {
        ClusterPeer::Select(super::objects::ClusterSelector::Namespaces(ns)) => {
            format!("every pod in {}", namespaces(ns))
        }
        ClusterPeer::Select(super::objects::ClusterSelector::Pods {
            namespaces: ns,
            pods: sel,
        }) => {
            format!("{} in {}", pods(Some(sel)), namespaces(ns))
        }
        ClusterPeer::Nodes(sel) if super::index::is_empty(sel) => "every node".to_string(),
        ClusterPeer::Nodes(sel) => format!("nodes labelled {}", label_selector_text(sel)),
        ClusterPeer::Networks(cidrs, _) => format!("addresses in {}", cidrs.join(", ")),
        ClusterPeer::DomainNames(names) => format!("the domains {}", names.join(", ")),
        ClusterPeer::Unrecognized => "a peer svcx does not know (read as fail-closed)".to_string(),
    }
}

/// `Accept`, `Deny`, `Pass` as verbs.
pub(crate) fn action(a: Action) -> &'static str {
    match a {
        Action::Accept => "accepts",
        Action::Deny => "denies",
        Action::Pass => "passes to the next tier",
    }
}

/// What one cluster-wide rule does.
pub(crate) fn cluster_rule(r: &ClusterRule, direction: Direction) -> String {
    let word = match direction {
        Direction::Ingress => "from",
        Direction::Egress => "to",
    };
    let peers = names_list(&r.peers.iter().map(cluster_peer).collect::<Vec<_>>());
    let ports = r.ports.as_deref().map_or("any port".to_string(), ports);
    let name = r
        .name
        .as_deref()
        .map(|n| format!("`{n}`: "))
        .unwrap_or_default();
    format!("{name}{} {word} {peers} on {ports}", action(r.action))
}

/// What a cluster-wide policy does in one direction.
pub(crate) fn cluster_policy(c: &ClusterPolicy, direction: Direction) -> Vec<String> {
    c.rules(direction)
        .iter()
        .map(|r| cluster_rule(r, direction))
        .collect()
}
