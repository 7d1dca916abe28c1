//! The pictures' common ground: a diagram is boxes and arrows, built from a
//! report (a trace path, an explained Service or Gateway) and then drawn as SVG
//! (`svg.rs`, inside the HTML page) or written as Graphviz DOT (`dot.rs`).
//! This module only arranges what a report says into boxes: the verdicts,
//! addresses, ports and states all come from the report, and how boxes are
//! placed is the drawer's business.

use super::explain::{backend_name, state_word};
use super::style::Tone as TextTone;
use super::trace::{layer_short, mermaid_label, port_title, shorten, shown_hops};
use crate::explain::report::{GatewayExplanation, Layer, ServiceExplanation};
use crate::model::endpoints::Backend;
use crate::model::finding::{Finding, Severity};
use crate::model::routes::{RouteFacts, ServiceRoute};
use crate::trace::Verdict;
use crate::trace::report::{Hop, HopKind, PortPath, ServiceTrace};

/// Characters of one line of a box; longer text is cut with `…` (the full
/// text is in the box's tooltip and in the page's tables).
pub const LINE: usize = 32;
/// Backends drawn per Service in an explain picture before the rest are counted.
const BACKENDS_SHOWN: usize = 12;
/// Nodes listed in a NodePort box before the rest are counted.
const NODES_SHOWN: usize = 6;

/// How a box or line is coloured. The word is always written too: colour
/// only adds to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Traffic gets through (a trace verdict, a ready endpoint).
    Ok,
    /// Gets through partly or with a caveat.
    Warn,
    /// Does not get through.
    Broken,
    /// Cannot be known from this source (pod templates: readiness exists only
    /// at run time).
    Unknown,
    /// No judgement: a layer, the client.
    Plain,
}

impl Tone {
    /// The CSS class and the word for it.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Warn => "warn",
            Tone::Broken => "broken",
            Tone::Unknown => "unknown",
            Tone::Plain => "plain",
        }
    }
}

impl From<Verdict> for Tone {
    fn from(v: Verdict) -> Tone {
        match v {
            Verdict::Ok => Tone::Ok,
            Verdict::Warn => Tone::Warn,
            Verdict::Broken => Tone::Broken,
        }
    }
}

impl From<Severity> for Tone {
    fn from(s: Severity) -> Tone {
        Verdict::from(s).into()
    }
}

impl From<TextTone> for Tone {
    fn from(t: TextTone) -> Tone {
        match t {
            TextTone::Good => Tone::Ok,
            TextTone::Warn => Tone::Warn,
            TextTone::Bad => Tone::Broken,
            TextTone::Muted => Tone::Unknown,
        }
    }
}

/// One line of text in a box, with its own tone when it differs from the box's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    pub tone: Option<Tone>,
}

/// One box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    /// What the box stands for (`load-balancer`, `endpoint`, `client`...):
    /// a CSS class and the DOT node's shape.
    pub kind: String,
    /// The heading: the layer's name.
    pub title: String,
    pub tone: Tone,
    /// Addresses, ports, names: each cut to [`LINE`] characters.
    pub lines: Vec<Line>,
    /// The full story (reason, hint), shown as a tooltip.
    pub tip: String,
}

/// Boxes and the arrows between them (indices into `nodes`); node 0 is the client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagram {
    /// What it shows: `shop/storefront port http 80/TCP → …`.
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<(usize, usize)>,
}

impl Diagram {
    fn with_client(title: String) -> Diagram {
        let mut d = Diagram {
            title,
            ..Diagram::default()
        };
        d.add("client", "client", Tone::Plain, Vec::new(), String::new());
        d
    }

    fn add(
        &mut self,
        kind: impl Into<String>,
        title: impl Into<String>,
        tone: Tone,
        lines: Vec<Line>,
        tip: String,
    ) -> usize {
        self.nodes.push(Node {
            kind: kind.into(),
            title: title.into(),
            tone,
            lines,
            tip,
        });
        self.nodes.len() - 1
    }

    fn link(&mut self, from: usize, to: usize) {
        if !self.edges.contains(&(from, to)) {
            self.edges.push((from, to));
        }
    }
}

fn line(text: impl AsRef<str>) -> Line {
    Line {
        text: shorten(text.as_ref(), LINE),
        tone: None,
    }
}

fn toned(text: impl AsRef<str>, tone: Tone) -> Line {
    Line {
        tone: Some(tone),
        ..line(text)
    }
}

/// A hop's colour: its verdict, except that an ok hop whose readiness cannot
/// be known (pod templates stand in for pods, which have no address yet) is
/// `unknown`.
fn hop_tone(h: &Hop) -> Tone {
    let unknown = h.verdict == Verdict::Ok
        && match h.kind {
            HopKind::Endpoints => h
                .endpoints
                .is_some_and(|c| c.unknown > 0 && c.ready + c.published == 0),
            HopKind::Endpoint | HopKind::Container => h.address.is_none(),
            _ => false,
        };
    if unknown {
        Tone::Unknown
    } else {
        h.verdict.into()
    }
}

/// The worse of two tones (`unknown` ranks between ok and warn).
fn worse(a: Tone, b: Tone) -> Tone {
    let rank = |t: Tone| match t {
        Tone::Plain => 0,
        Tone::Ok => 1,
        Tone::Unknown => 2,
        Tone::Warn => 3,
        Tone::Broken => 4,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// The tooltip of a hop: its reason, hint and notes.
fn hop_tip(h: &Hop) -> String {
    let mut tip = h.reason.clone();
    if let Some(hint) = &h.hint {
        tip.push_str("\nhint: ");
        tip.push_str(hint);
    }
    for n in &h.notes {
        tip.push_str("\nnote: ");
        tip.push_str(n);
    }
    tip
}

/// One port's path of a traced Service: the client, then every shown hop
/// linked as `next` says (the ways in through Gateways and Ingresses, and the
/// Service's own layers), long endpoint lists cut as in the text output.
pub fn trace_path(s: &ServiceTrace, path: &PortPath) -> Diagram {
    let mut d = Diagram::with_client(format!(
        "{}/{} {}",
        s.namespace,
        s.name,
        port_title(path.port.as_ref())
    ));
    let protocol = path.port.as_ref().map_or("TCP", |p| p.protocol.as_str());
    let (shown, hidden) = shown_hops(path);
    let mut at = std::collections::HashMap::new();
    for (h, _) in path.hops.iter().zip(&shown).filter(|(_, s)| **s) {
        // A container is a line of its endpoint's box (it is inside that
        // pod), which then shows the worse of the two.
        if h.kind == HopKind::Container
            && let Some(&parent) = path
                .hops
                .iter()
                .find(|p| p.next.contains(&h.id))
                .and_then(|p| at.get(p.id.as_str()))
        {
            let n: &mut Node = &mut d.nodes[parent];
            let tone = hop_tone(h);
            n.lines.push(toned(
                format!("container {}", mermaid_label(h, protocol)),
                tone,
            ));
            n.tone = worse(n.tone, tone);
            n.tip.push_str(&format!("\ncontainer: {}", hop_tip(h)));
            at.insert(h.id.as_str(), parent);
            continue;
        }
        let mut lines = Vec::new();
        match (h.kind, &h.name, &h.address) {
            // A pod's name and its address each get a line: both are long.
            (HopKind::Endpoint, Some(name), Some(a)) if name != a => {
                lines.push(line(name));
                lines.push(line(super::trace::addr(h)));
            }
            _ => {
                let label = mermaid_label(h, protocol);
                if !label.is_empty() {
                    lines.push(line(label));
                }
            }
        }
        if let Some(m) = &h.members {
            let more = if m.count > m.names.len() { ", …" } else { "" };
            lines.push(line(format!("{}{more}", m.names.join(", "))));
        }
        if h.kind == HopKind::Endpoint
            && let Some(n) = &h.node
        {
            lines.push(line(format!("on {n}")));
        }
        if !h.findings.is_empty() {
            let codes: Vec<String> = h.findings.iter().map(|c| c.to_string()).collect();
            lines.push(line(codes.join(" ")));
        }
        let i = d.add(
            // The hop kind as the JSON schema names it.
            serde_plain(&h.kind),
            layer_short(h),
            hop_tone(h),
            lines,
            hop_tip(h),
        );
        at.insert(h.id.as_str(), i);
    }
    let targets: std::collections::HashSet<&str> = path
        .hops
        .iter()
        .flat_map(|h| h.next.iter().map(String::as_str))
        .collect();
    for h in &path.hops {
        let Some(&from) = at.get(h.id.as_str()) else {
            continue;
        };
        if !targets.contains(h.id.as_str()) {
            d.link(0, from);
        }
        for n in &h.next {
            if let Some(&to) = at.get(n.as_str())
                && to != from
            {
                d.link(from, to);
            }
        }
    }
    if hidden > 0 {
        let more = d.add(
            "endpoint",
            "endpoints",
            Tone::Ok,
            vec![line(format!("… and {hidden} more ok"))],
            "every endpoint is in -o json".into(),
        );
        if let Some(h) = path.hops.iter().find(|h| h.kind == HopKind::Endpoints)
            && let Some(&from) = at.get(h.id.as_str())
        {
            d.link(from, more);
        }
    }
    d
}

/// One explained Service: the client, the ways in through Gateways and
/// Ingresses, the Service's layers from the outside in (addresses and
/// ports), its backends with their states, and a box of its findings.
pub fn explain_service(svc: &ServiceExplanation) -> Diagram {
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
        let lines = layer_lines(layer, svc);
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
pub fn explain_gateway(g: &GatewayExplanation) -> Diagram {
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

/// Findings as a tooltip: `warning[SVC109] message`, one a line.
fn findings_tip<'f>(findings: impl Iterator<Item = &'f Finding>) -> String {
    findings
        .map(|f| format!("{}[{}] {}", f.severity.word(), f.code, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

fn finding_line(f: &Finding) -> Line {
    toned(format!("{} {}", f.code, f.name), f.severity.into())
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
        if p.addresses.is_empty() {
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
pub fn layer_name(layer: &Layer) -> (&'static str, &'static str) {
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
fn layer_lines(layer: &Layer, svc: &ServiceExplanation) -> Vec<Line> {
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
            for n in l.nodes.iter().take(NODES_SHOWN) {
                let addr = n.addresses.first().map(String::as_str).unwrap_or("");
                let (word, tone) = if n.accepts_external {
                    ("in", Tone::Ok)
                } else {
                    ("out", Tone::Warn)
                };
                lines.push(toned(format!("{} {addr} {word}", n.name), tone));
            }
            if l.nodes.len() > NODES_SHOWN {
                lines.push(line(format!("… and {} more", l.nodes.len() - NODES_SHOWN)));
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

/// A unit enum's serde name (`provisioned`, `pending`), as the JSON has it.
fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;

    fn demo_trace(target: &str) -> crate::trace::report::TraceReport {
        let snap = crate::source::demo::load(Scope::AllNamespaces).unwrap();
        crate::trace::trace(&snap, Some(target), None).unwrap()
    }

    /// Every hop the text output shows is a box, every `next` between shown
    /// hops an arrow, and hops nothing leads to start at the client.
    #[test]
    fn a_trace_path_keeps_every_shown_hop_and_link() {
        let report = demo_trace("shop/storefront");
        let s = &report.services[0];
        let path = &s.paths[0];
        let d = trace_path(s, path);
        let containers = path
            .hops
            .iter()
            .filter(|h| h.kind == HopKind::Container)
            .count();
        assert_eq!(d.nodes.len(), path.hops.len() - containers + 1);
        let links: usize = path.hops.iter().map(|h| h.next.len()).sum::<usize>() - containers;
        let roots = d.edges.iter().filter(|(from, _)| *from == 0).count();
        assert_eq!(d.edges.len(), links + roots);
        // The Gateway, the load balancer and the cluster IP are ways in.
        let kinds: Vec<&str> = d
            .edges
            .iter()
            .filter(|e| e.0 == 0)
            .map(|e| d.nodes[e.1].kind.as_str())
            .collect();
        assert_eq!(kinds, ["gateway", "load-balancer", "node", "cluster-ip"]);
        let warn: Vec<&Node> = d.nodes.iter().filter(|n| n.tone == Tone::Warn).collect();
        assert_eq!(warn.len(), 1);
        assert_eq!(warn[0].kind, "node");
        assert!(warn[0].lines[0].text.contains("10.0.0.13:30080"));
        // Each endpoint box holds its container.
        let ep = d.nodes.iter().find(|n| n.kind == "endpoint").unwrap();
        assert!(ep.lines.iter().any(|l| l.text == "container web 8080/TCP"));
    }

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
        let d = explain_service(svc);
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
