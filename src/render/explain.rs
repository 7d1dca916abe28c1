//! Rendering an explain report: for people, per Service a layer table
//! (outside in), the ports, the endpoints with per-pod target ports, then what
//! each layer does and notes; for machines, JSON or YAML. Also the concept
//! guide.

use super::Options;
use super::style::{Style, Tone};
use super::text::{bullet, indent, service_heading, table};
use crate::explain::concepts::{ConceptGuide, TypeConcept};
use crate::explain::report::*;
use crate::model::endpoints::{Backend, BackendSource, EndpointState};
use crate::model::policy::{Admission, PolicyRules, ServicePolicies, Tier, tier_word};
use crate::model::ports::TargetStatus;
use std::fmt::Write;
use std::io;

/// The formats an explain report can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// Tables and text for people.
    Human,
    /// The same, listing every node of each node port, however many.
    Wide,
    /// JSON with a versioned schema (docs/json.md).
    Json,
    /// The same document as YAML.
    Yaml,
    /// A self-contained HTML page with an SVG diagram per Service.
    Html,
    /// A Graphviz DOT graph, a cluster per Service.
    Dot,
}

/// Writes the report in the chosen format.
pub(crate) fn render(
    report: &ExplainReport,
    opts: &Options<Format>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match opts.format {
        Format::Human => human(report, opts.style, false, out),
        Format::Wide => human(report, opts.style, true, out),
        Format::Json => super::explain_json::write(report, out),
        Format::Yaml => super::yaml(report, out),
        Format::Html => super::html::explain(report, out),
        Format::Dot => dot(report, out),
    }
}

/// The report as a Graphviz graph: a cluster per Service.
pub fn dot(report: &ExplainReport, out: &mut dyn io::Write) -> io::Result<()> {
    let diagrams: Vec<_> = report
        .services
        .iter()
        .map(|s| super::diagram::explain_service(s, &report.nodes))
        .chain(report.gateways.iter().map(super::diagram::explain_gateway))
        .collect();
    super::dot::write("svcx explain", &diagrams, out)
}

/// Writes the concept guide in the chosen format.
pub(crate) fn concepts(
    guide: &ConceptGuide,
    opts: &Options<Format>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match opts.format {
        Format::Human | Format::Wide => {
            out.write_all(render_concepts(guide, opts.style).as_bytes())
        }
        Format::Json => super::json(guide, out),
        Format::Yaml => super::yaml(guide, out),
        // The command line refuses pictures of the guide (`Cli::refusal`).
        Format::Html | Format::Dot => Err(io::Error::other(
            "the concept guide is text: pictures are drawn of Services",
        )),
    }
}

/// Up to this many nodes, a node port's row lists each node's address;
/// past it, the row counts them and names the few that differ (`-o wide`
/// lists them all).
pub(crate) const NODES_LISTED: usize = 5;

/// Ready endpoints listed per Service without `-o wide`: past it, the table
/// keeps these and every endpoint that is not ready, and counts the rest
/// (kubectl's `describe` likewise shows a Service's first endpoints and
/// counts the others).
pub(crate) const READY_ENDPOINTS_LISTED: usize = 5;

/// The report for a terminal or a pipe, written a batch of Services at a
/// time so that a closed pipe stops the work. `all_nodes`: list every node
/// of each node port, however many (`-o wide`).
pub fn human(
    report: &ExplainReport,
    style: Style,
    all_nodes: bool,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    if report.services.is_empty() && report.gateways.is_empty() {
        out.write_all(b"No Services in scope.\n")?;
    }
    let nodes = Nodes {
        all: &report.nodes,
        listed: all_nodes,
    };
    let shared = Shared {
        rules: &report.network_policies,
        nodes: &nodes,
        style,
    };
    let taught = Taught::plan(report.services.iter().map(taught_texts));
    // Services are rendered on every core, a batch at a time, and written in
    // order: the same bytes as one thread's, with no more than a batch held.
    let positions: Vec<usize> = (0..report.services.len()).collect();
    for batch in positions.chunks(RENDERED_AT_ONCE) {
        let texts = crate::cores::map_in_order(batch, |&i| {
            let mut text = String::new();
            if i > 0 {
                text.push('\n');
            }
            render_service(&mut text, &report.services[i], &shared, taught.of(i));
            text
        });
        for text in texts {
            out.write_all(text.as_bytes())?;
        }
    }
    let mut text = String::new();
    for (i, g) in report.gateways.iter().enumerate() {
        text.clear();
        if i > 0 || !report.services.is_empty() {
            text.push('\n');
        }
        super::routes::gateway(&mut text, &g.gateway, &g.routes, &g.notes, style);
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}

/// The report's nodes, and whether each node port lists them all.
struct Nodes<'a> {
    all: &'a [NodeInfo],
    listed: bool,
}

impl Nodes<'_> {
    /// Whether a node port's row lists its nodes one by one.
    fn lists(&self, l: &NodePortLayer) -> bool {
        self.listed || l.node_count <= NODES_LISTED
    }

    /// A node by name (the report's nodes are in name order).
    fn get(&self, name: &str) -> Option<&NodeInfo> {
        match self.all.binary_search_by(|n| n.name.as_str().cmp(name)) {
            Ok(i) => Some(&self.all[i]),
            Err(_) => self.all.iter().find(|n| n.name == name),
        }
    }
}

/// What every Service of one report is rendered with.
struct Shared<'a> {
    rules: &'a [PolicyRules],
    nodes: &'a Nodes<'a>,
    style: Style,
}

/// Services rendered at once (on every core) before they are written.
const RENDERED_AT_ONCE: usize = 512;

/// The texts of a Service that teach (what each layer does, then the
/// notes), in the order its rendering prints them.
fn taught_texts(svc: &ServiceExplanation) -> impl Iterator<Item = &str> {
    svc.layers
        .iter()
        .flat_map(|l| l.explanation())
        .chain(&svc.notes)
        .map(String::as_str)
}

/// Which explanations are printed in full in this output. Many Services
/// share a setting, and the paragraph that teaches it is the same for each:
/// after the first, it is named in a line rather than repeated (a cluster's
/// 2,000 Services would otherwise repeat each one hundreds of times).
/// Decided for the whole output before any Service is rendered, so that
/// Services can be rendered apart.
struct Taught {
    /// For every taught text of every Service, in output order: whether it
    /// is printed whole.
    whole: Vec<bool>,
    /// Where each Service's texts start in `whole`, and where the last ends.
    start: Vec<usize>,
}

impl Taught {
    /// The plan for Services whose taught texts are `each`, in output order.
    fn plan<'a, T: Iterator<Item = &'a str>>(each: impl Iterator<Item = T>) -> Self {
        let mut seen = std::collections::HashSet::new();
        let (mut whole, mut start) = (Vec::new(), Vec::new());
        for texts in each {
            start.push(whole.len());
            whole.extend(texts.map(|t| opening(t).is_none() || seen.insert(t)));
        }
        start.push(whole.len());
        Taught { whole, start }
    }

    /// What the Service at `i` prints whole.
    fn of(&self, i: usize) -> Said<'_> {
        Said(self.whole[self.start[i]..self.start[i + 1]].iter())
    }
}

/// The opening clause of a taught text (up to its first `: ` or `. `), by
/// which it is named once it has been printed; `None` if it has none and so
/// is always printed whole.
fn opening(text: &str) -> Option<&str> {
    [": ", ". "]
        .iter()
        .filter_map(|stop| text.find(stop))
        .min()
        .map(|end| &text[..end])
}

/// One Service's share of a [`Taught`] plan, taken a text at a time.
struct Said<'a>(std::slice::Iter<'a, bool>);

impl Said<'_> {
    /// `text` as a bullet: whole, or its opening clause and a pointer to
    /// where it stands.
    fn bullet(&mut self, out: &mut String, text: &str, width: usize) {
        let whole = self.0.next().copied().unwrap_or(true);
        match if whole { None } else { opening(text) } {
            Some(head) => out.push_str(&bullet(
                "    • ",
                &format!("{head} (explained above)"),
                width,
            )),
            _ => out.push_str(&bullet("    • ", text, width)),
        }
    }
}

fn render_service(out: &mut String, svc: &ServiceExplanation, shared: &Shared, mut said: Said) {
    let Shared {
        rules,
        nodes,
        style,
    } = *shared;
    out.push_str(&service_heading(
        style,
        &svc.namespace,
        &svc.name,
        &svc.service_type,
        &svc.origin,
    ));
    out.push_str(&bullet("  ", &svc.summary, style.prose_width()));
    if let Some(sel) = &svc.selector {
        let _ = writeln!(
            out,
            "  selects pods labelled {}",
            super::terminal::one_line(sel)
        );
    }
    out.push('\n');

    let mut layers = table(["LAYER", "ADDRESS", "PORTS", "IMPLEMENTED BY"], style, 1);
    for layer in &svc.layers {
        layers.add_row(layer_row(layer, svc, nodes, style));
    }
    if svc.shape != Shape::ExternalName {
        layers.add_row(vec![
            "Endpoints".to_string(),
            endpoint_count(svc, style),
            backend_ports(svc),
            match svc.backends.source {
                BackendSource::EndpointSlices => "EndpointSlices",
                BackendSource::MirroredEndpoints => "Endpoints, mirrored to EndpointSlices",
                BackendSource::Pods => "pods (no EndpointSlices read)",
                BackendSource::PodTemplates => "pod templates (manifests)",
                BackendSource::None => "-",
            }
            .to_string(),
        ]);
    }
    out.push_str(&indent(&layers.to_string(), 1));

    if !svc.ports.is_empty() {
        out.push('\n');
        let mut ports = table(
            [
                "PORT NAME",
                "PROTOCOL",
                "PORT",
                "TARGET PORT",
                "NODE PORT",
                "APP PROTOCOL",
            ],
            style,
            1,
        );
        for p in &svc.ports {
            ports.add_row(vec![
                p.name.clone().unwrap_or_else(|| "-".into()),
                p.protocol.clone(),
                p.port.to_string(),
                p.target_port.clone(),
                p.node_port.map_or("-".into(), |n| n.to_string()),
                p.app_protocol.clone().unwrap_or_else(|| "-".into()),
            ]);
        }
        out.push_str(&indent(&ports.to_string(), 1));
    }

    if !svc.backends.items.is_empty() {
        out.push('\n');
        let mut header = vec![
            "ENDPOINT".to_string(),
            "NODE".into(),
            "ADDRESS".into(),
            "STATE".into(),
        ];
        header.extend(
            svc.ports
                .iter()
                .map(|p| format!("→ {}", p.name.clone().unwrap_or_else(|| p.port.to_string()))),
        );
        let mut eps = table(header, style, 1);
        let (shown, unlisted) = listed_endpoints(&svc.backends.items, nodes.listed);
        for b in shown {
            let mut row = vec![
                backend_name(b),
                b.node.clone().unwrap_or_else(|| "-".into()),
                if b.addresses.is_empty() {
                    "-".into()
                } else {
                    b.addresses.join(", ")
                },
                state(b, style),
            ];
            let manual = b.pod.is_none() && b.workload.is_none();
            row.extend(b.ports.iter().map(|p| port_cell(p, manual, style)));
            eps.add_row(row);
        }
        out.push_str(&indent(&eps.to_string(), 1));
        if unlisted > 0 {
            let _ = writeln!(
                out,
                "  and {unlisted} more ready; -o wide lists all {} endpoints",
                svc.backends.items.len()
            );
        }
    }

    super::routes::service_routes(out, &svc.routes, style);
    if let Some(np) = &svc.network_policies {
        network_policies(out, np, rules, svc.backends.items.len(), style);
    }

    if !svc.findings.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "  {}", style.bold("Findings"));
        for f in &svc.findings {
            out.push_str(&super::text::finding(f, style, "    ", style.prose_width()));
        }
    }

    for layer in &svc.layers {
        out.push('\n');
        let _ = writeln!(out, "  {}", style.bold(layer_name(layer)));
        for line in layer.explanation() {
            said.bullet(out, line, style.prose_width());
        }
        if let Layer::NodePort(l) = layer
            && l.nodes_known
            && !nodes.lists(l)
        {
            out.push_str(&bullet(
                "    • ",
                &nodes_summary(l, nodes),
                style.prose_width(),
            ));
        }
    }
    if !svc.notes.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "  {}", style.bold("Notes"));
        for note in &svc.notes {
            said.bullet(out, note, style.prose_width());
        }
    }
    // The plan was made from `taught_texts`: each text it holds is printed.
    debug_assert_eq!(said.0.len(), 0, "{}/{}", svc.namespace, svc.name);
}

/// The "Network policies" section: the policies that select the endpoints,
/// in tier order, with what each does; then who gets through, per source
/// and port.
fn network_policies(
    out: &mut String,
    np: &ServicePolicies,
    rules: &[PolicyRules],
    endpoints: usize,
    style: Style,
) {
    out.push('\n');
    let _ = writeln!(out, "  {}", style.bold("Network policies"));
    let width = style.prose_width();
    if np.selecting.is_empty() {
        out.push_str(&bullet(
            "    ",
            if endpoints == 0 {
                "Its endpoints are not in the input, so which network policies select them is not known."
            } else {
                "No network policy selects its endpoints: every source is admitted."
            },
            width,
        ));
    }
    for p in &np.selecting {
        let name = if p.namespace.is_empty() {
            p.name.clone()
        } else {
            format!("{}/{}", p.namespace, p.name)
        };
        let tier = match (p.tier, p.priority) {
            (Tier::NetworkPolicy, _) => String::new(),
            (t, Some(n)) => format!(" ({} tier, priority {n})", tier_word(t)),
            (t, None) => format!(" ({} tier)", tier_word(t)),
        };
        let line = format!(
            "{} {name}{tier}: selects {} of {endpoints} endpoints",
            p.kind, p.selects
        );
        out.push_str(&bullet("    ", &super::terminal::one_line(&line), width));
        let said = rules
            .iter()
            .find(|r| r.kind == p.kind && r.namespace == p.namespace && r.name == p.name);
        for r in said.iter().flat_map(|r| &r.ingress) {
            out.push_str(&bullet("      • ingress: ", r, width));
        }
        for r in said.iter().flat_map(|r| &r.egress) {
            out.push_str(&bullet("      • egress: ", r, width));
        }
    }
    if endpoints > 0 {
        let _ = writeln!(out, "    who gets through:");
    }
    for s in &np.sources {
        for port in &s.ports {
            let total = port.total();
            if total == 0 {
                continue;
            }
            let first_not_open = port
                .answers
                .iter()
                .find(|a| {
                    a.decision.admission != Admission::Admitted || a.decision.involves_policies()
                })
                .map(|a| (a.endpoints[0].as_str(), &a.decision));
            let counts = [
                (port.admitted, "admitted"),
                (port.dropped, "dropped"),
                (port.depends, "depends"),
            ]
            .iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, w)| format!("{w} at {n} of {total}"))
            .collect::<Vec<_>>()
            .join(", ");
            let line = match first_not_open {
                Some((endpoint, d)) => format!(
                    "{}, port {}: {counts} ({endpoint}: {})",
                    s.source.label(),
                    port.port,
                    d.reason
                ),
                None => format!("{}, port {}: {counts}", s.source.label(), port.port),
            };
            let tone = if port.dropped > 0 {
                Tone::Bad
            } else if port.depends > 0 {
                Tone::Warn
            } else {
                Tone::Good
            };
            out.push_str(&style.tone(&bullet("      • ", &line, width), tone));
        }
    }
}

fn layer_name(layer: &Layer) -> &'static str {
    match layer {
        Layer::LoadBalancer(_) => "LoadBalancer",
        Layer::NodePort(_) => "NodePort",
        Layer::ExternalIps(_) => "externalIPs",
        Layer::ClusterIp(_) => "ClusterIP",
        Layer::Headless(_) => "Headless",
        Layer::ExternalName(_) => "ExternalName",
    }
}

fn layer_row(layer: &Layer, svc: &ServiceExplanation, nodes: &Nodes, style: Style) -> Vec<String> {
    let service_ports = || {
        svc.ports
            .iter()
            .map(|p| format!("{}/{}", p.port, p.protocol))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (address, ports, by) = match layer {
        Layer::LoadBalancer(l) => {
            let addr = match l.status {
                LoadBalancerStatus::Pending => style.tone("<pending>", Tone::Bad),
                LoadBalancerStatus::NotCreated => "(assigned when provisioned)".to_string(),
                LoadBalancerStatus::Provisioned => l
                    .ingress
                    .iter()
                    .filter_map(|i| i.ip.clone().or_else(|| i.hostname.clone()))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            (addr, service_ports(), l.implemented_by.clone())
        }
        Layer::NodePort(l) => {
            let addr = if !l.nodes_known {
                "every node (addresses unknown)".to_string()
            } else if nodes.lists(l) {
                nodes
                    .all
                    .iter()
                    .filter(|n| n.serves(svc))
                    .map(|n| {
                        let a = n.address_in(&l.families).unwrap_or(&n.name);
                        if l.accepts(&n.name) {
                            a.to_string()
                        } else {
                            style.tone(&format!("{a} (no traffic)"), Tone::Warn)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            } else if l.nodes_accepting == l.node_count {
                format!("{} nodes, all take external traffic", l.node_count)
            } else {
                let text = format!(
                    "{} nodes, {} take external traffic",
                    l.node_count, l.nodes_accepting
                );
                style.tone(
                    &text,
                    if l.nodes_accepting == 0 {
                        Tone::Bad
                    } else {
                        Tone::Warn
                    },
                )
            };
            let ports = svc
                .ports
                .iter()
                .map(|p| match p.node_port {
                    Some(n) => format!("{n}→{}", p.port),
                    None => format!("(on creation)→{}", p.port),
                })
                .collect::<Vec<_>>()
                .join(", ");
            (
                addr,
                ports,
                format!(
                    "kube-proxy on every node (externalTrafficPolicy {})",
                    l.external_traffic_policy
                ),
            )
        }
        Layer::ExternalIps(l) => (
            l.external_ips.join(", "),
            service_ports(),
            l.implemented_by.clone(),
        ),
        Layer::ClusterIp(l) => {
            let ports = svc
                .ports
                .iter()
                .map(|p| format!("{}→{}", p.port, p.target_port))
                .collect::<Vec<_>>()
                .join(", ");
            let addr = if l.cluster_ips.is_empty() {
                "<unassigned>".into()
            } else {
                l.cluster_ips.join(", ")
            };
            (addr, ports, "kube-proxy".to_string())
        }
        Layer::Headless(l) => (
            format!("{} (pod IPs)", l.dns_name),
            "-".into(),
            l.implemented_by.clone(),
        ),
        Layer::ExternalName(l) => (
            format!("{} → {}", l.dns_name, l.external_name),
            "-".into(),
            l.implemented_by.clone(),
        ),
    };
    vec![layer_name(layer).to_string(), address, ports, by]
}

/// The endpoints a Service's table lists, and how many ready ones it leaves
/// out: all of them with `all` (`-o wide`) or when few; else the first
/// [`READY_ENDPOINTS_LISTED`] ready ones and every one that is not ready,
/// which is where a problem shows.
fn listed_endpoints(items: &[Backend], all: bool) -> (Vec<&Backend>, usize) {
    if all || items.len() <= READY_ENDPOINTS_LISTED {
        return (items.iter().collect(), 0);
    }
    let mut ready = 0;
    let shown: Vec<&Backend> = items
        .iter()
        .filter(|b| {
            b.state != EndpointState::Ready || {
                ready += 1;
                ready <= READY_ENDPOINTS_LISTED
            }
        })
        .collect();
    let unlisted = items.len() - shown.len();
    (shown, unlisted)
}

/// Names shown in a node port's summary.
const NODES_NAMED: usize = 5;

/// What a node port's row leaves out when it counts its nodes: under Local,
/// the nodes that hold an endpoint (a few of them, with their addresses),
/// what the others do, and how to list every node.
fn nodes_summary(l: &NodePortLayer, nodes: &Nodes) -> String {
    let mut text = String::new();
    if !l.local_nodes.is_empty() {
        let named: Vec<String> = l
            .local_nodes
            .iter()
            .take(NODES_NAMED)
            .map(|n| {
                let addr = nodes
                    .get(&n.name)
                    .and_then(|i| i.address_in(&l.families))
                    .map(|a| format!("{a}, "))
                    .unwrap_or_default();
                let traffic = if n.accepts_external {
                    ""
                } else {
                    ", no traffic"
                };
                format!(
                    "{} ({addr}{} ready{traffic})",
                    n.name, n.local_ready_endpoints
                )
            })
            .collect();
        let more = l.local_nodes.len().saturating_sub(NODES_NAMED);
        let _ = write!(
            text,
            "Nodes with an endpoint of this Service: {}{}",
            named.join(", "),
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        );
        let others = l.node_count.saturating_sub(l.local_nodes.len());
        if others > 0 {
            let _ = write!(
                text,
                "; the other {others} {}",
                if l.other_nodes_accept {
                    "take external traffic"
                } else {
                    "drop external traffic"
                }
            );
        }
        text.push_str(". ");
    }
    let _ = write!(
        text,
        "-o wide lists all {} nodes with their addresses.",
        l.node_count
    );
    text
}

fn endpoint_count(svc: &ServiceExplanation, style: Style) -> String {
    let s = &svc.endpoint_summary;
    if s.total == 0 {
        return style.tone("none", Tone::Bad);
    }
    if s.unknown == s.total {
        let noun = if s.total == 1 {
            "template"
        } else {
            "templates"
        };
        return format!("{} {noun}, readiness unknown", s.total);
    }
    let mut text = format!("{} ready of {}", s.ready, s.total);
    if s.published > 0 {
        text.push_str(&format!(", {} not ready but published", s.published));
    }
    let tone = if s.ready == 0 {
        Tone::Bad
    } else if s.ready < s.total {
        Tone::Warn
    } else {
        Tone::Good
    };
    style.tone(&text, tone)
}

/// `http→8080/8081, https→8443`: each Service port and the numbers it resolves to.
fn backend_ports(svc: &ServiceExplanation) -> String {
    svc.ports
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut nums: Vec<String> = svc
                .backends
                .items
                .iter()
                .filter_map(|b| b.ports.get(i).and_then(|bp| bp.resolution.port))
                .map(|n| n.to_string())
                .collect();
            nums.sort();
            nums.dedup();
            let label = p.name.clone().unwrap_or_else(|| p.port.to_string());
            if nums.is_empty() {
                format!("{label}→?")
            } else {
                format!("{label}→{}", nums.join("/"))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// How a backend is named: its pod, or its workload's template.
pub(super) fn backend_name(b: &Backend) -> String {
    match (&b.pod, &b.workload) {
        (Some(p), _) => p.clone(),
        (None, Some(w)) => match b.replicas {
            Some(1) => format!("{w} (template, 1 replica)"),
            Some(r) => format!("{w} (template, {r} replicas)"),
            None => format!("{w} (template)"),
        },
        (None, None) => "(no pod)".into(),
    }
}

/// A backend's state in words, and its tone (`Muted` when unknown).
pub(super) fn state_word(b: &Backend) -> (&'static str, Tone) {
    match b.state {
        EndpointState::Unknown => ("unknown", Tone::Muted),
        EndpointState::Ready => ("ready", Tone::Good),
        EndpointState::Published if b.conditions.is_some_and(|c| c.terminating) => {
            ("terminating (published)", Tone::Warn)
        }
        EndpointState::Published => ("not ready (published)", Tone::Warn),
        EndpointState::ServingTerminating => ("terminating, serving", Tone::Warn),
        EndpointState::Terminating => ("terminating", Tone::Warn),
        EndpointState::NotReady => ("not ready", Tone::Bad),
    }
}

fn state(b: &Backend, style: Style) -> String {
    match state_word(b) {
        (word, Tone::Muted) => word.to_string(),
        (word, tone) => style.tone(word, tone),
    }
}

/// One backend's port. `manual`: an endpoint with no pod behind it, so there
/// is no container spec to say whether the port is declared.
fn port_cell(p: &crate::model::endpoints::BackendPort, manual: bool, style: Style) -> String {
    let r = &p.resolution;
    match &r.status {
        TargetStatus::Undeclared if manual => r.port.map_or("?".into(), |n| n.to_string()),
        TargetStatus::Declared | TargetStatus::Unchecked => {
            r.port.map_or("?".into(), |n| n.to_string())
        }
        TargetStatus::SlicePortMissing => style.tone("not in its slice", Tone::Bad),
        TargetStatus::Undeclared => r.port.map_or("?".into(), |n| format!("{n} (undeclared)")),
        TargetStatus::NameNotFound { name } => style.tone(&format!("no port `{name}`"), Tone::Bad),
        TargetStatus::ProtocolMismatch { declared } => style.tone(
            &format!(
                "{} (container: {declared})",
                r.port.map_or("?".into(), |n| n.to_string())
            ),
            Tone::Warn,
        ),
    }
}

/// The concept guide for people.
fn render_concepts(guide: &ConceptGuide, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        style.bold("Kubernetes Services: three types, each wrapping the one before")
    );
    out.push('\n');
    out.push_str("  LoadBalancer ⊃ NodePort ⊃ ClusterIP ⊃ pods\n\n");
    concept_blocks(&mut out, &guide.types, style);
    let mut cmp = table(["", "ClusterIP", "NodePort", "LoadBalancer"], style, 0);
    for r in &guide.comparison {
        cmp.add_row(vec![r.aspect, r.cluster_ip, r.node_port, r.load_balancer]);
    }
    out.push_str(&indent(&cmp.to_string(), 0));
    out.push('\n');
    concept_blocks(&mut out, &guide.also, style);
    let _ = writeln!(out, "{}", style.bold("The modern route"));
    for a in &guide.advice {
        out.push_str(&bullet("  • ", a, style.prose_width()));
    }
    out
}

/// Each concept: its name and one line, then its details as bullets.
fn concept_blocks(out: &mut String, concepts: &[TypeConcept], style: Style) {
    for t in concepts {
        // Wrap the plain text, then embolden the name: escape codes must not
        // count towards the width.
        let text = bullet(&format!("{}  ", t.name), t.one_line, style.prose_width());
        out.push_str(&text.replacen(t.name, &style.bold(t.name), 1));
        for d in &t.details {
            out.push_str(&bullet("  • ", d, style.prose_width()));
        }
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::{READY_ENDPOINTS_LISTED, Taught, listed_endpoints};
    use crate::model::endpoints::{Backend, EndpointState};

    fn endpoint(n: usize, state: EndpointState) -> Backend {
        Backend {
            pod: Some(format!("web-{n}")),
            workload: None,
            replicas: None,
            node: None,
            addresses: vec![format!("10.0.0.{n}")],
            host_network: false,
            conditions: None,
            state,
            ports: Vec::new(),
        }
    }

    #[test]
    fn many_endpoints_are_counted_and_the_ones_not_ready_all_listed() {
        // Eight ready, one not ready and one terminating among them.
        let mut items: Vec<Backend> = (0..8).map(|n| endpoint(n, EndpointState::Ready)).collect();
        items.insert(6, endpoint(90, EndpointState::NotReady));
        items.push(endpoint(91, EndpointState::Terminating));
        let (shown, unlisted) = listed_endpoints(&items, false);
        let names: Vec<&str> = shown.iter().filter_map(|b| b.pod.as_deref()).collect();
        assert_eq!(
            names,
            [
                "web-0", "web-1", "web-2", "web-3", "web-4", "web-90", "web-91"
            ]
        );
        assert_eq!(unlisted, 8 - READY_ENDPOINTS_LISTED);
        // -o wide, or few enough: every one.
        let (all, unlisted) = listed_endpoints(&items, true);
        assert_eq!((all.len(), unlisted), (items.len(), 0));
        let few = &items[..READY_ENDPOINTS_LISTED];
        assert_eq!(listed_endpoints(few, false).1, 0);
    }

    #[test]
    fn an_explanation_is_printed_whole_once_then_named() {
        let shared = "externalTrafficPolicy Cluster: any node accepts the traffic.";
        let own = "10.96.0.10 is a virtual IP: no process listens on it.";
        let plain = "kube-proxy opens port 30006 on every node";
        // Two Services, the first teaching `shared` twice.
        let services = [vec![shared, own, shared, plain], vec![shared, plain, own]];
        let taught = Taught::plan(services.iter().map(|s| s.iter().copied()));
        let mut out = String::new();
        for (i, texts) in services.iter().enumerate() {
            let mut said = taught.of(i);
            for text in texts {
                said.bullet(&mut out, text, 100);
            }
        }
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines,
            [
                "    • externalTrafficPolicy Cluster: any node accepts the traffic.",
                "    • 10.96.0.10 is a virtual IP: no process listens on it.",
                "    • externalTrafficPolicy Cluster (explained above)",
                "    • kube-proxy opens port 30006 on every node",
                "    • externalTrafficPolicy Cluster (explained above)",
                "    • kube-proxy opens port 30006 on every node",
                "    • 10.96.0.10 is a virtual IP (explained above)",
            ]
        );
    }
}
