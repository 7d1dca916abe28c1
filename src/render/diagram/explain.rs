//! An explained Service or Gateway as a diagram: the ways in, the layers
//! from the outside in with their addresses and ports, the backends with
//! their states, the findings; a Gateway's listeners, routes and Services.

use super::{Diagram, Line, Tone, finding_line, findings_tip, line, serde_plain, toned};
use crate::explain::report::{GatewayExplanation, Layer, NodeInfo, ServiceExplanation};
use crate::model::endpoints::Backend;
use crate::model::finding::Finding;
use crate::model::routes::{RouteFacts, ServiceRoute};
use crate::render::explain::{backend_name, state_word};

/// Backends drawn per Service before the rest are counted.
const BACKENDS_SHOWN: usize = 12;
/// Nodes listed in a NodePort box before the rest are counted.
const NODES_SHOWN: usize = 6;

/// One explained Service: the client, the ways in through Gateways and
/// Ingresses, the Service's layers from the outside in (addresses and
/// ports), its backends with their states, and a box of its findings.
pub(crate) fn explain_service(svc: &ServiceExplanation, nodes: &[NodeInfo]) -> Diagram {
    let mut d = Diagram::with_client(format!(
        "{}/{} {}",
        svc.namespace, svc.name, svc.service_type
    ));
    let backends: Vec<usize> = backend_boxes(&mut d, svc);
    for r in &svc.routes {
        let route = route_box(&mut d, r);
        for &b in &backends {
            d.link(route, b);
        }
    }
    let mut prev = 0;
    for layer in &svc.layers {
        let (kind, title) = layer_name(layer);
        let lines = layer_lines(layer, svc, nodes);
        let i = d.add(
            kind,
            title,
            Tone::Plain,
            lines,
            layer.explanation().join("\n"),
        );
        d.link(prev, i);
        prev = i;
    }
    if prev != 0 {
        for &b in &backends {
            d.link(prev, b);
        }
    }
    if !svc.findings.is_empty() {
        let worst = svc.findings.iter().map(|f| f.severity).max();
        let lines = svc.findings.iter().map(finding_line).collect();
        let tip = findings_tip(svc.findings.iter());
        d.add(
            "findings",
            "findings",
            worst.map_or(Tone::Plain, Tone::from),
            lines,
            tip,
        );
    }
    d
}

/// One explained Gateway: the client, the Gateway and its addresses, each
/// listener, the routes each admits (and the routes no listener admits,
/// from the Gateway itself), and the Services their rules send to.
pub(crate) fn explain_gateway(g: &GatewayExplanation) -> Diagram {
    let gw = &g.gateway;
    let mut d = Diagram::with_client(format!("Gateway {}", gw.full_name()));
    let worst = |fs: &mut dyn Iterator<Item = &Finding>| fs.map(|f| f.severity).max();
    let mut lines: Vec<Line> = gw.addresses.assigned.iter().map(line).collect();
    if gw.addresses.assigned.is_empty() {
        lines.push(toned(
            format!("(no address: {})", serde_plain(&gw.addresses.state)),
            Tone::Unknown,
        ));
    }
    lines.push(line(format!("class {}", gw.class)));
    let tone = worst(&mut gw.findings.iter()).map_or(Tone::Ok, Tone::from);
    let tip = gw.controller.clone().unwrap_or_default();
    let gateway = d.add(
        "gateway",
        format!("Gateway {}", gw.full_name()),
        tone,
        lines,
        tip,
    );
    d.link(0, gateway);
    let mut routes = std::collections::HashMap::new();
    let mut backends = std::collections::HashMap::new();
    for l in &gw.listeners {
        let mut lines = vec![line(format!("{} {}", l.protocol, l.port))];
        if let Some(h) = &l.hostname {
            lines.push(line(h));
        }
        lines.push(line(format!("{} attached", l.attached.len())));
        let listener = d.add(
            "listener",
            format!("listener {}", l.name),
            Tone::Ok,
            lines,
            String::new(),
        );
        d.link(gateway, listener);
        for a in &l.attached {
            let Some(r) = g
                .routes
                .iter()
                .find(|r| r.kind == a.kind && r.namespace == a.namespace && r.name == a.name)
            else {
                continue;
            };
            let key = (r.kind.kind(), r.namespace.as_str(), r.name.as_str());
            let route = match routes.get(&key) {
                Some(&i) => i,
                None => {
                    let i = gateway_route(&mut d, r, true, &mut backends);
                    routes.insert(key, i);
                    i
                }
            };
            d.link(listener, route);
        }
    }
    for r in &gw.rejected {
        let tone = worst(&mut r.findings.iter()).map_or(Tone::Broken, Tone::from);
        let tip = findings_tip(r.findings.iter());
        let mut lines = vec![toned("not admitted", tone)];
        lines.extend(r.findings.iter().map(finding_line));
        let i = d.add(
            "route",
            format!("{} {}/{}", r.kind.kind(), r.namespace, r.name),
            tone,
            lines,
            tip,
        );
        d.link(gateway, i);
    }
    d
}

/// An attached route's box, linked to a box per Service its rules send to
/// (shared between routes).
fn gateway_route<'a>(
    d: &mut Diagram,
    r: &'a RouteFacts,
    attached: bool,
    backends: &mut std::collections::HashMap<(&'a str, &'a str, Option<i32>), usize>,
) -> usize {
    let worst = r.all_findings().map(|f| f.severity).max();
    let tone = match worst {
        _ if !attached => Tone::Broken,
        Some(s) => s.into(),
        None => Tone::Ok,
    };
    let mut lines = Vec::new();
    if !r.hostnames.is_empty() {
        lines.push(line(r.hostnames.join(", ")));
    }
    for (i, rule) in r.rules.iter().enumerate() {
        let what = rule.matches.first().map_or("any request", String::as_str);
        lines.push(line(format!("rule {i}: {what}")));
    }
    let tip = findings_tip(r.all_findings());
    let route = d.add(
        "route",
        format!("{} {}/{}", r.kind.kind(), r.namespace, r.name),
        tone,
        lines,
        tip,
    );
    for b in r.rules.iter().flat_map(|rule| &rule.backends) {
        let key = (b.namespace.as_str(), b.name.as_str(), b.port);
        let backend = match backends.get(&key) {
            Some(&i) => i,
            None => {
                let tone = b
                    .findings
                    .iter()
                    .map(|f| f.severity)
                    .max()
                    .map_or(Tone::Ok, Tone::from);
                let at = match b.port {
                    Some(p) => format!("{}/{}:{p}", b.namespace, b.name),
                    None => format!("{}/{}", b.namespace, b.name),
                };
                let mut lines = vec![line(at)];
                lines.extend(b.findings.iter().map(finding_line));
                let tip = b
                    .findings
                    .iter()
                    .map(|f| f.message.clone())
                    .collect::<Vec<_>>()
                    .join("\n");
                let i = d.add("backend-ref", b.kind.clone(), tone, lines, tip);
                backends.insert(key, i);
                i
            }
        };
        d.link(route, backend);
    }
    route
}
/// A box per backend (the first few, then one counting the rest), or one
/// saying there is none.
fn backend_boxes(d: &mut Diagram, svc: &ServiceExplanation) -> Vec<usize> {
    let items = &svc.backends.items;
    if items.is_empty() {
        if matches!(svc.layers.last(), Some(Layer::ExternalName(_))) {
            return Vec::new();
        }
        let i = d.add(
            "endpoint",
            "endpoints",
            Tone::Broken,
            vec![line("none")],
            "no endpoint: nothing receives this Service's traffic".into(),
        );
        return vec![i];
    }
    let mut out: Vec<usize> = items
        .iter()
        .take(BACKENDS_SHOWN)
        .map(|b| backend_box(d, b))
        .collect();
    if items.len() > BACKENDS_SHOWN {
        let rest = items.len() - BACKENDS_SHOWN;
        out.push(d.add(
            "endpoint",
            "endpoints",
            Tone::Plain,
            vec![line(format!("… and {rest} more"))],
            "every backend is in -o json".into(),
        ));
    }
    out
}

fn backend_box(d: &mut Diagram, b: &Backend) -> usize {
    let (state, tone) = state_word(b);
    let mut lines = vec![line(backend_name(b))];
    if !b.addresses.is_empty() {
        lines.push(line(b.addresses.join(", ")));
    }
    let ports: Vec<String> = b
        .ports
        .iter()
        .map(|p| match p.resolution.port {
            Some(n) => format!("{}→{n}", p.service_port),
            None => format!("{}→?", p.service_port),
        })
        .collect();
    if !ports.is_empty() {
        lines.push(line(ports.join(", ")));
    }
    if let Some(n) = &b.node {
        lines.push(line(format!("on {n}")));
    }
    lines.push(toned(state, tone.into()));
    d.add("endpoint", "endpoint", tone.into(), lines, String::new())
}

/// A way in through a Gateway (a box per parent Gateway, then the route) or
/// an Ingress (its controller, then the rule); returns the route's box.
fn route_box(d: &mut Diagram, r: &ServiceRoute) -> usize {
    let worst = r.all_findings().map(|f| f.severity).max();
    let tone = match worst {
        _ if !r.reaches => Tone::Broken,
        Some(s) => s.into(),
        None => Tone::Ok,
    };
    let mut lines = Vec::new();
    if let Some(n) = r.rule {
        lines.push(line(match &r.rule_name {
            Some(name) => format!("rule {n} ({name})"),
            None => format!("rule {n}"),
        }));
    }
    if !r.hostnames.is_empty() {
        lines.push(line(r.hostnames.join(", ")));
    }
    for m in r.matches.iter().take(2) {
        lines.push(line(m));
    }
    if let Some(p) = &r.service_port {
        lines.push(line(format!("→ port {p}")));
    }
    lines.push(toned(
        if r.reaches {
            "reaches it"
        } else {
            "does not reach it"
        },
        tone,
    ));
    let tip = findings_tip(r.all_findings());
    let route = d.add("route", r.label(), tone, lines, tip);
    for p in &r.parents {
        let tone = match p.findings.iter().map(|f| f.severity).max() {
            _ if !p.attached() => Tone::Broken,
            Some(s) => s.into(),
            None => Tone::Ok,
        };
        let mut lines: Vec<Line> = p.addresses.iter().map(line).collect();
        if p.accepted_per_status {
            lines.push(line("(not read: attached per the route's status)"));
        } else if p.addresses.is_empty() {
            lines.push(line("(no address yet)"));
        }
        for l in &p.listeners {
            lines.push(line(format!("{} :{} {}", l.name, l.port, l.protocol)));
        }
        if !p.attached() {
            lines.push(toned("no listener admits it", Tone::Broken));
        }
        let tip = p
            .findings
            .iter()
            .map(|f| f.message.clone())
            .collect::<Vec<_>>()
            .join("\n");
        let g = d.add(
            "gateway",
            format!("{} {}", p.kind, p.gateway),
            tone,
            lines,
            tip,
        );
        d.link(0, g);
        d.link(g, route);
    }
    if let Some(i) = &r.ingress {
        let mut lines: Vec<Line> = i.addresses.iter().map(line).collect();
        if let Some(c) = &i.controller {
            lines.push(line(c));
        }
        let title = match &i.class {
            Some(c) => format!("Ingress controller ({c})"),
            None => "Ingress controller".to_string(),
        };
        let c = d.add("ingress-controller", title, tone, lines, String::new());
        d.link(0, c);
        d.link(c, route);
    }
    if r.parents.is_empty() && r.ingress.is_none() {
        d.link(0, route);
    }
    route
}

/// `80, 443` from the Service's ports, for boxes that show addresses.
fn with_ports(address: &str, svc: &ServiceExplanation, node_ports: bool) -> String {
    let ports: Vec<String> = svc
        .ports
        .iter()
        .filter_map(|p| {
            if node_ports {
                p.node_port.map(|n| n.to_string())
            } else {
                Some(p.port.to_string())
            }
        })
        .collect();
    let host = if address.contains(':') {
        format!("[{address}]")
    } else {
        address.to_string()
    };
    match ports.as_slice() {
        [] => host,
        [one] => format!("{host}:{one}"),
        many => format!("{host}:{{{}}}", many.join(",")),
    }
}

/// A layer's kind (as the JSON's `layer` names it) and its heading.
pub(crate) fn layer_name(layer: &Layer) -> (&'static str, &'static str) {
    match layer {
        Layer::LoadBalancer(_) => ("load-balancer", "load balancer"),
        Layer::NodePort(_) => ("node-port", "node ports"),
        Layer::ExternalIps(_) => ("external-ips", "externalIPs"),
        Layer::ClusterIp(_) => ("cluster-ip", "cluster IP"),
        Layer::Headless(_) => ("headless", "DNS (headless)"),
        Layer::ExternalName(_) => ("external-name", "ExternalName"),
    }
}

/// A layer's lines: its addresses with the Service's ports, and what
/// changes how it forwards.
fn layer_lines(layer: &Layer, svc: &ServiceExplanation, nodes: &[NodeInfo]) -> Vec<Line> {
    match layer {
        Layer::LoadBalancer(l) => {
            let mut lines: Vec<Line> = l
                .ingress
                .iter()
                .filter_map(|i| i.address())
                .map(|a| line(with_ports(a, svc, false)))
                .collect();
            lines.push(line(format!("status {}", serde_plain(&l.status))));
            if let Some(c) = &l.load_balancer_class {
                lines.push(line(format!("class {c}")));
            }
            if !l.source_ranges.is_empty() {
                lines.push(line(format!("from {}", l.source_ranges.join(", "))));
            }
            lines
        }
        Layer::NodePort(l) => {
            let ports: Vec<String> = l.node_ports.iter().map(i32::to_string).collect();
            let mut lines = vec![
                line(format!("nodePort {}", ports.join(", "))),
                line(format!(
                    "externalTrafficPolicy {}",
                    l.external_traffic_policy
                )),
            ];
            // Past a few nodes, the ones that hold an endpoint under Local
            // are the ones worth drawing.
            let local: Vec<&str> = l.local_nodes.iter().map(|n| n.name.as_str()).collect();
            let shown: Vec<&NodeInfo> = nodes
                .iter()
                .filter(|n| n.serves(svc))
                .filter(|n| {
                    l.node_count <= NODES_SHOWN
                        || local.is_empty()
                        || local.contains(&n.name.as_str())
                })
                .take(NODES_SHOWN)
                .collect();
            for n in &shown {
                let addr = n.address_in(&l.families).unwrap_or("");
                let (word, tone) = if l.accepts(&n.name) {
                    ("in", Tone::Ok)
                } else {
                    ("out", Tone::Warn)
                };
                lines.push(toned(format!("{} {addr} {word}", n.name), tone));
            }
            if l.node_count > shown.len() {
                lines.push(line(format!("… and {} more", l.node_count - shown.len())));
            }
            if !l.nodes_known {
                lines.push(toned("every node (nodes unknown)", Tone::Unknown));
            }
            lines
        }
        Layer::ExternalIps(l) => l
            .external_ips
            .iter()
            .map(|a| line(with_ports(a, svc, false)))
            .collect(),
        Layer::ClusterIp(l) => {
            let mut lines: Vec<Line> = l
                .cluster_ips
                .iter()
                .map(|a| line(with_ports(a, svc, false)))
                .collect();
            if l.cluster_ips.is_empty() {
                lines.push(toned("(not yet assigned)", Tone::Unknown));
            }
            for p in &svc.ports {
                lines.push(line(format!(
                    "{}/{} → {}",
                    p.port, p.protocol, p.target_port
                )));
            }
            lines.push(line(&l.dns_name));
            lines
        }
        Layer::Headless(l) => vec![line(&l.dns_name)],
        Layer::ExternalName(l) => {
            vec![line(&l.dns_name), line(format!("→ {}", l.external_name))]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;

    /// An explained LoadBalancer is drawn outside in: load balancer, node
    /// ports, cluster IP, then one box per backend.
    #[test]
    fn an_explained_service_is_drawn_outside_in() {
        let snap = crate::source::demo::load(Scope::AllNamespaces).unwrap();
        let report = crate::explain::explain(&snap, &[]);
        let svc = report
            .services
            .iter()
            .find(|s| s.namespace == "shop" && s.name == "storefront")
            .unwrap();
        let d = explain_service(svc, &report.nodes);
        let chain: Vec<&str> = {
            let mut at = 0;
            let mut kinds = Vec::new();
            while let Some(&(_, to)) = d
                .edges
                .iter()
                .find(|(from, to)| *from == at && d.nodes[*to].kind != "gateway")
            {
                kinds.push(d.nodes[to].kind.as_str());
                at = to;
            }
            kinds
        };
        assert_eq!(
            chain,
            ["load-balancer", "node-port", "cluster-ip", "endpoint"]
        );
        let endpoints = d.nodes.iter().filter(|n| n.kind == "endpoint").count();
        assert_eq!(endpoints, svc.backends.items.len());
        assert!(d.nodes.iter().any(|n| n.kind == "route"));
    }
}
