//! Rendering a trace report: a path diagram for people (layer by layer from
//! the client inwards, the verdict word on every hop, colour only as an
//! addition), and a Mermaid flowchart to paste into a PR or a README.
//! JSON and YAML are serde's (see [`super::json`]). Nothing here judges a hop:
//! verdicts, reasons and links all come from the report.

use super::Options;
use super::style::{Style, Tone};
use super::text::{bullet, indent, service_heading, table};
use crate::model::{Origin, SourceInfo};
use crate::trace::Verdict;
use crate::trace::report::*;
use std::collections::HashMap;
use std::fmt::Write;
use std::io;

/// Endpoints shown per path before the rest are counted; non-ok ones always show.
const ENDPOINTS_SHOWN: usize = 12;
/// Characters of a reason shown in the overview table and in Mermaid labels.
const SHORT: usize = 90;

fn tone(v: Verdict) -> Tone {
    match v {
        Verdict::Ok => Tone::Good,
        Verdict::Warn => Tone::Warn,
        Verdict::Broken => Tone::Bad,
    }
}

fn word(v: Verdict, style: Style) -> String {
    // Pad before colouring so that columns line up with or without colour.
    style.tone(&format!("{:<6}", v.word()), tone(v))
}

pub(super) fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// The formats a trace report can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    /// A path diagram for people.
    Human,
    /// JSON with a versioned schema (docs/json.md).
    Json,
    /// The same document as YAML.
    Yaml,
    /// A Mermaid flowchart.
    Mermaid,
    /// A self-contained HTML page with an SVG diagram per path.
    Html,
    /// A Graphviz DOT graph, a cluster per path.
    Dot,
}

/// Writes the report in the chosen format.
pub(crate) fn render(
    report: &TraceReport,
    opts: &Options<Format>,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    match opts.format {
        Format::Human => human(report, opts.style, out),
        Format::Json => super::json(report, out),
        Format::Yaml => super::yaml(report, out),
        Format::Mermaid => mermaid(report, out),
        Format::Html => super::html::trace(report, out),
        Format::Dot => dot(report, out),
    }
}

/// Text built a part at a time and written out after each part, so that a
/// closed pipe stops the work; remembers the last two bytes written.
struct Parts<'a> {
    out: &'a mut dyn io::Write,
    text: String,
    tail: [u8; 2],
}

impl Parts<'_> {
    /// Writes what was built since the last flush.
    fn flush(&mut self) -> io::Result<()> {
        self.tail = match self.text.as_bytes() {
            [.., a, b] => [*a, *b],
            [b] => [self.tail[1], *b],
            [] => return Ok(()),
        };
        self.out.write_all(self.text.as_bytes())?;
        self.text.clear();
        Ok(())
    }

    /// Whether what was written so far ends with an empty line.
    fn ends_with_blank_line(&self) -> bool {
        self.tail == *b"\n\n"
    }
}

/// The human rendering: one Service in full, or (no TARGET) an overview table
/// of every Service, worst first, and the full paths of those that are not ok.
pub fn human(report: &TraceReport, style: Style, out: &mut dyn io::Write) -> io::Result<()> {
    let mut parts = Parts {
        out,
        text: String::new(),
        tail: [0; 2],
    };
    if report.services.is_empty() {
        parts.text.push_str("No Services in scope.\n");
        return footer(&mut parts, report, style);
    }
    let out = &mut parts.text;
    let detailed: Vec<&ServiceTrace> = if report.target.is_some() {
        report.services.iter().collect()
    } else {
        // Worst first; the report keeps namespace/name order.
        let mut by_verdict: Vec<&ServiceTrace> = report.services.iter().collect();
        by_verdict.sort_by_key(|s| std::cmp::Reverse(s.verdict));
        overview(out, &by_verdict, style);
        by_verdict
            .into_iter()
            .filter(|s| s.verdict != Verdict::Ok)
            .collect()
    };
    if let Some(t) = report
        .target
        .as_ref()
        .filter(|t| t.matched != Matched::Service)
    {
        target_line(out, t, style);
    }
    if let Some(from) = &report.from {
        let _ = writeln!(
            out,
            "traced from {}, with its own egress policies\n",
            super::terminal::one_line(&from.label())
        );
    }
    for (i, svc) in detailed.iter().enumerate() {
        if i == 0 && report.target.is_none() {
            parts.text.push('\n');
        }
        service(&mut parts.text, svc, style);
        parts.flush()?;
    }
    footer(&mut parts, report, style)
}

/// What the target turned out to be, before the paths.
fn target_line(out: &mut String, t: &TargetInfo, style: Style) {
    match (t.matched, &t.gateway, &t.service) {
        (Matched::GatewayAddress, Some(g), _) => {
            let _ = writeln!(out, "{} is the address of Gateway {g}\n", t.input);
        }
        (Matched::HostPath, _, _) => {
            let _ = writeln!(out, "{} is served by:", t.input);
            for r in &t.routes {
                out.push_str(&bullet("  • ", r, style.prose_width()));
            }
            out.push('\n');
        }
        (m, _, Some(service)) => {
            let node = t
                .node
                .as_deref()
                .map(|n| format!(" on node {n}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{} is the {} of {service}{node}\n",
                t.input,
                matched_words(m)
            );
        }
        _ => {}
    }
}

/// What the target is of its Service, in the words of the line above the paths.
fn matched_words(m: Matched) -> &'static str {
    match m {
        Matched::Service => "name",
        Matched::LoadBalancerIp => "load balancer IP",
        Matched::LoadBalancerHostname => "load balancer hostname",
        Matched::RequestedLoadBalancerIp => "requested load balancer IP",
        Matched::ExternalIp => "externalIP",
        Matched::ClusterIp => "cluster IP",
        Matched::NodePort => "nodePort",
        Matched::ServiceDnsName => "DNS name",
        // Each has a line of its own in target_line: not said this way.
        Matched::GatewayAddress => "Gateway address",
        Matched::HostPath => "host and path",
    }
}

fn overview(out: &mut String, services: &[&ServiceTrace], style: Style) {
    let mut t = table(["NAMESPACE", "SERVICE", "TYPE", "VERDICT", "WHY"], style, 0);
    for s in services {
        t.add_row(vec![
            s.namespace.clone(),
            s.name.clone(),
            s.service_type.clone(),
            style.tone(s.verdict.word(), tone(s.verdict)),
            s.summary.clone(),
        ]);
    }
    out.push_str(&indent(&t.to_string(), 0));
}

fn footer(parts: &mut Parts<'_>, report: &TraceReport, style: Style) -> io::Result<()> {
    parts.flush()?;
    let blank = parts.ends_with_blank_line();
    let out = &mut parts.text;
    if !blank {
        out.push('\n');
    }
    for l in &report.limits {
        out.push_str(&style.tone(&bullet("note: ", l, style.prose_width()), Tone::Muted));
    }
    let c = report.counts;
    let total = c.ok + c.warn + c.broken;
    let _ = writeln!(
        out,
        "{}: {} ({} traced: {} ok, {} warn, {} broken)",
        style.bold("verdict"),
        style.tone(report.verdict.word(), tone(report.verdict)),
        if total == 1 {
            "1 Service".to_string()
        } else {
            format!("{total} Services")
        },
        c.ok,
        c.warn,
        c.broken
    );
    parts.flush()
}

fn service(out: &mut String, s: &ServiceTrace, style: Style) {
    out.push_str(&service_heading(
        style,
        &s.namespace,
        &s.name,
        &s.service_type,
        &s.origin,
    ));
    for path in &s.paths {
        port_path(out, path, style);
    }
}

pub(super) fn port_title(p: Option<&PortSpec>) -> String {
    let Some(p) = p else {
        return "no ports".to_string();
    };
    let name = p
        .name
        .as_deref()
        .map(|n| format!("{n} "))
        .unwrap_or_default();
    let node = p
        .node_port
        .map(|n| format!(" → nodePort {n}"))
        .unwrap_or_default();
    format!(
        "port {name}{}/{} → targetPort {}{node}",
        p.port, p.protocol, p.target_port
    )
}

fn layer_title(kind: HopKind) -> &'static str {
    match kind {
        HopKind::Gateway => "Gateway",
        HopKind::Listener => "listener",
        HopKind::IngressController => "Ingress controller",
        HopKind::Route => "route",
        HopKind::BackendRef => "backendRef",
        HopKind::LoadBalancer => "load balancer",
        HopKind::ExternalIp => "externalIP",
        HopKind::Node => "node:nodePort",
        HopKind::ClusterIp => "cluster IP",
        HopKind::Dns => "DNS (headless)",
        HopKind::ExternalName => "ExternalName (DNS CNAME)",
        HopKind::Endpoints | HopKind::Endpoint | HopKind::Container => "endpoints",
    }
}

pub(super) fn addr(h: &Hop) -> String {
    match (&h.address, h.port) {
        (Some(a), Some(p)) if a.contains(':') => format!("[{a}]:{p}"),
        (Some(a), Some(p)) => format!("{a}:{p}"),
        (Some(a), None) => a.clone(),
        (None, Some(p)) => format!("(no address):{p}"),
        (None, None) => "(no address)".to_string(),
    }
}

/// The one-line label of a hop after its verdict word.
pub(super) fn label(h: &Hop, protocol: &str) -> String {
    match h.kind {
        HopKind::Gateway | HopKind::IngressController => {
            let name = h.name_text();
            let name = name.as_deref().unwrap_or("?");
            match (&h.address, h.port) {
                (Some(_), _) => format!("{name} {}", addr(h)),
                (None, Some(p)) => format!("{name} (no address yet):{p}"),
                (None, None) => name.to_string(),
            }
        }
        HopKind::Listener => match h.port {
            Some(p) => format!("{} :{p}", h.name_text().as_deref().unwrap_or("?")),
            None => h.name_text().unwrap_or_default().into_owned(),
        },
        HopKind::Route | HopKind::BackendRef => h.name_text().unwrap_or_default().into_owned(),
        HopKind::LoadBalancer if h.address.is_none() => {
            format!(
                "({}):{}",
                h.name_text().as_deref().unwrap_or("no address"),
                port_or_q(h.port)
            )
        }
        HopKind::ClusterIp if h.address.is_none() => {
            format!("(not yet assigned):{}", port_or_q(h.port))
        }
        HopKind::LoadBalancer | HopKind::ExternalIp | HopKind::ClusterIp | HopKind::Dns => addr(h),
        HopKind::Node => match (&h.members, &h.address) {
            (Some(m), _) => {
                let more = if m.count > m.names.len() { ", …" } else { "" };
                format!(
                    "{} :{} ({}{more})",
                    h.name_text().as_deref().unwrap_or("nodes"),
                    port_or_q(h.port),
                    m.names.join(", ")
                )
            }
            (None, Some(_)) => {
                format!("{} {}", h.name_text().as_deref().unwrap_or("node"), addr(h))
            }
            (None, None) if h.id == HopId::AllNodes => match h.port {
                Some(p) => format!("every node :{p}"),
                None => "every node (nodePort not yet assigned)".to_string(),
            },
            (None, None) => format!("{} {}", h.name_text().as_deref().unwrap_or("node"), addr(h)),
        },
        HopKind::ExternalName => {
            format!(
                "{} → {}",
                h.name_text().as_deref().unwrap_or("?"),
                h.address.as_deref().unwrap_or("(nothing)")
            )
        }
        HopKind::Endpoints => String::new(),
        HopKind::Endpoint => {
            let name = h.name_text();
            let name = name.as_deref().unwrap_or("endpoint");
            match &h.address {
                Some(_) if h.address.as_deref() != Some(name) => format!("{name} {}", addr(h)),
                Some(_) => addr(h),
                None => name.to_string(),
            }
        }
        HopKind::Container => {
            let name = h
                .name
                .as_ref()
                .map(|n| format!("container {n}"))
                .unwrap_or_else(|| "container".into());
            match h.port {
                Some(p) => format!("└ {name} {p}/{protocol}"),
                None => format!("└ {name} (no port)"),
            }
        }
    }
}

fn port_or_q(p: Option<i32>) -> String {
    p.map(|p| p.to_string()).unwrap_or_else(|| "?".into())
}

fn port_path(out: &mut String, path: &PortPath, style: Style) {
    let _ = writeln!(
        out,
        "  {}  {}",
        port_title(path.port.as_ref()),
        style.tone(path.verdict.word(), tone(path.verdict))
    );
    out.push('\n');
    let protocol = path
        .port
        .as_ref()
        .map(|p| p.protocol.as_str())
        .unwrap_or("TCP");
    let _ = writeln!(out, "    client");
    let mut current: Option<&str> = None;
    let (shown, hidden_total) = shown_hops(path);
    let mut prev: Option<&Hop> = None;
    for h in path
        .hops
        .iter()
        .zip(&shown)
        .filter(|(_, s)| **s)
        .map(|(h, _)| h)
    {
        // Each way in through a Gateway or an Ingress is its own chain,
        // from the client to the endpoints: start a new one after the last.
        if prev.is_some_and(|p| new_chain(p, h)) {
            let _ = writeln!(out, "\n    client");
            current = None;
        }
        prev = Some(h);
        let title = layer_title(h.kind);
        if current != Some(title) {
            let _ = writeln!(out, "    ▼ {}", style.bold(title));
            current = Some(title);
        }
        hop(out, h, protocol, style);
    }
    if hidden_total > 0 {
        let _ = writeln!(
            out,
            "        … and {hidden_total} more ok endpoints (all are in -o json)"
        );
    }
    out.push('\n');
}

/// Which hops of a path are shown, and how many ok endpoints are not: every
/// non-ok endpoint and the first few ok ones (long endpoint lists are in
/// `-o json`); a hidden endpoint's container shows only when it is not ok.
pub(super) fn shown_hops(path: &PortPath) -> (Vec<bool>, usize) {
    let mut shown_ok = 0;
    let mut hidden = 0;
    let mut skip_container = false;
    let shown = path
        .hops
        .iter()
        .map(|h| match h.kind {
            HopKind::Endpoint => {
                let shown = h.verdict != Verdict::Ok || shown_ok < ENDPOINTS_SHOWN;
                skip_container = !shown;
                if !shown {
                    hidden += 1;
                } else if h.verdict == Verdict::Ok {
                    shown_ok += 1;
                }
                shown
            }
            HopKind::Container => !(skip_container && h.verdict == Verdict::Ok),
            _ => true,
        })
        .collect();
    (shown, hidden)
}

/// Whether `h` begins another way in after `prev`: each route's chain, and
/// the Service's own layers after them, start with the client again
/// ([`HopId::chain`]: which chain a hop is on, if any).
fn new_chain(prev: &Hop, h: &Hop) -> bool {
    if h.kind == HopKind::Endpoints {
        return false;
    }
    match (prev.id.chain(), h.id.chain()) {
        (Some(_), None) | (None, Some(_)) => true,
        // A shared Gateway hop starts the chains through it.
        (Some(_), Some(None)) => true,
        (Some(None), Some(Some(_))) => false,
        (Some(Some(a)), Some(Some(b))) => a != b,
        (None, None) => false,
    }
}

fn hop(out: &mut String, h: &Hop, protocol: &str, style: Style) {
    let nested = h.kind == HopKind::Container;
    let lead = if nested { "        " } else { "      " };
    let text_pad = format!("{lead}{}", " ".repeat(7 + if nested { 2 } else { 0 }));
    // The label quotes names and addresses: it keeps to its line.
    let label = super::terminal::one_line(&label(h, protocol)).into_owned();
    if h.kind == HopKind::Endpoints {
        let first = format!("{lead}{} ", word(h.verdict, style));
        // Wrap with the visible width of the prefix, then put colour back.
        let plain = bullet(
            &format!("{lead}{:<6} ", h.verdict.word()),
            &h.reason,
            style.prose_width(),
        );
        out.push_str(&plain.replacen(&format!("{lead}{:<6} ", h.verdict.word()), &first, 1));
    } else {
        let _ = writeln!(out, "{lead}{} {label}", word(h.verdict, style));
        out.push_str(&bullet(&text_pad, &h.reason, style.prose_width()));
    }
    if let Some(hint) = &h.hint {
        out.push_str(&bullet(
            &format!("{text_pad}hint: "),
            hint,
            style.prose_width(),
        ));
    }
    for n in &h.notes {
        out.push_str(&style.tone(
            &bullet(&format!("{text_pad}note: "), n, style.prose_width()),
            Tone::Muted,
        ));
    }
    if let Some(p) = &h.probe {
        let observed = format!("{}: {}", probe_word(p.result), p.detail);
        let differs = match p.result {
            ProbeResult::Open => h.verdict == Verdict::Broken,
            ProbeResult::Refused | ProbeResult::Timeout | ProbeResult::Error => {
                h.verdict == Verdict::Ok
            }
            ProbeResult::Skipped => false,
        };
        let line = if differs {
            format!("{observed} (differs from the computed verdict)")
        } else {
            observed
        };
        let t = match p.result {
            ProbeResult::Open => Tone::Good,
            ProbeResult::Skipped => Tone::Muted,
            _ => Tone::Warn,
        };
        out.push_str(&style.tone(
            &bullet(&format!("{text_pad}probe: "), &line, style.prose_width()),
            t,
        ));
    }
}

fn probe_word(r: ProbeResult) -> &'static str {
    match r {
        ProbeResult::Open => "open",
        ProbeResult::Refused => "refused",
        ProbeResult::Timeout => "timeout",
        ProbeResult::Error => "error",
        ProbeResult::Skipped => "skipped",
    }
}

/// The report as a Graphviz graph: a cluster per Service port's path.
pub fn dot(report: &TraceReport, out: &mut dyn io::Write) -> io::Result<()> {
    let diagrams: Vec<_> = report
        .services
        .iter()
        .flat_map(|s| {
            s.paths
                .iter()
                .map(move |p| super::diagram::trace_path(s, p))
        })
        .collect();
    super::dot::write("svcx trace", &diagrams, out)
}

/// The report as a Mermaid flowchart (see [`flowchart`]).
pub fn mermaid(report: &TraceReport, out: &mut dyn io::Write) -> io::Result<()> {
    out.write_all(flowchart(report).as_bytes())
}

/// A Mermaid `flowchart`: one subgraph per traced path, the client on the
/// left, hops styled by verdict, links into broken hops dashed. Built whole:
/// the links follow every subgraph.
fn flowchart(report: &TraceReport) -> String {
    let mut out = String::from("flowchart LR\n");
    out.push_str("  client([\"client\"])\n");
    let mut classes: [Vec<String>; 3] = Default::default();
    let mut edges = Vec::new();
    let mut p = 0;
    for s in &report.services {
        for path in &s.paths {
            let ids: HashMap<&HopId, String> = path
                .hops
                .iter()
                .enumerate()
                .map(|(i, h)| (&h.id, format!("p{p}h{i}")))
                .collect();
            let mut title = match &path.port {
                Some(port) => format!("{}/{} {}", s.namespace, s.name, port_title(Some(port))),
                None => format!("{}/{}", s.namespace, s.name),
            };
            // Over several clusters, the same name may be in each.
            if let (SourceInfo::Clusters, Origin::Live { context }) = (&report.source, &s.origin) {
                title = format!("{context}: {title}");
            }
            let _ = writeln!(out, "  subgraph p{p}[\"{}\"]", escape(&title));
            let protocol = path
                .port
                .as_ref()
                .map(|p| p.protocol.as_str())
                .unwrap_or("TCP");
            let mut has_incoming: std::collections::HashSet<&HopId> =
                std::collections::HashSet::new();
            for h in &path.hops {
                has_incoming.extend(h.next.iter());
            }
            for h in &path.hops {
                let id = &ids[&h.id];
                let mut text = format!(
                    "{}<br/>{}<br/><b>{}</b>",
                    escape(layer_short(h)),
                    escape(&mermaid_label(h, protocol)),
                    h.verdict.word()
                );
                if h.verdict != Verdict::Ok {
                    text.push_str(&format!("<br/>{}", escape(&shorten(&h.reason, SHORT))));
                }
                let shape = match h.kind {
                    HopKind::ClusterIp | HopKind::Dns | HopKind::ExternalName => ("{{", "}}"),
                    HopKind::Endpoints => ("[(", ")]"),
                    HopKind::Gateway | HopKind::IngressController => ("[/", "\\]"),
                    HopKind::Route => ("([", "])"),
                    _ => ("[", "]"),
                };
                let _ = writeln!(out, "    {id}{}\"{text}\"{}", shape.0, shape.1);
                classes[h.verdict as usize].push(id.clone());
                if !has_incoming.contains(&h.id) {
                    edges.push(link("client", id, h.verdict));
                }
                for n in &h.next {
                    if let Some(to) = ids.get(n) {
                        let v = path
                            .hops
                            .iter()
                            .find(|x| &x.id == n)
                            .map_or(Verdict::Ok, |x| x.verdict);
                        edges.push(link(id, to, v));
                    }
                }
            }
            out.push_str("  end\n");
            p += 1;
        }
    }
    for e in edges {
        let _ = writeln!(out, "  {e}");
    }
    out.push_str("  classDef ok fill:#e6f4ea,stroke:#1e8e3e,color:#111\n");
    out.push_str("  classDef warn fill:#fef7e0,stroke:#f29900,color:#111\n");
    out.push_str("  classDef broken fill:#fce8e6,stroke:#d93025,stroke-width:3px,color:#111\n");
    for (v, list) in [Verdict::Ok, Verdict::Warn, Verdict::Broken]
        .iter()
        .zip(&classes)
    {
        if !list.is_empty() {
            let _ = writeln!(out, "  class {} {}", list.join(","), v.word());
        }
    }
    out
}

fn link(from: &str, to: &str, v: Verdict) -> String {
    if v == Verdict::Broken {
        format!("{from} -.-> {to}")
    } else {
        format!("{from} --> {to}")
    }
}

pub(super) fn layer_short(h: &Hop) -> &'static str {
    match h.kind {
        HopKind::Gateway => "Gateway",
        HopKind::Listener => "listener",
        HopKind::IngressController => "Ingress controller",
        HopKind::Route => "route",
        HopKind::BackendRef => "backendRef",
        HopKind::LoadBalancer => "load balancer",
        HopKind::ExternalIp => "externalIP",
        HopKind::Node => "node",
        HopKind::ClusterIp => "cluster IP",
        HopKind::Dns => "DNS (headless)",
        HopKind::ExternalName => "ExternalName",
        HopKind::Endpoints => "endpoints",
        HopKind::Endpoint => "endpoint",
        HopKind::Container => "container",
    }
}

pub(super) fn mermaid_label(h: &Hop, protocol: &str) -> String {
    match h.kind {
        HopKind::Endpoints => match h.endpoints {
            Some(c) if c.total == 0 => "none".to_string(),
            Some(c) if c.unknown > 0 => format!("{} (readiness unknown)", c.unknown),
            // Counted as the text counts them: an endpoint made ready only by
            // publishNotReadyAddresses is not ready.
            Some(c) if c.published > 0 => {
                format!(
                    "{} ready + {} published of {}",
                    c.ready, c.published, c.total
                )
            }
            Some(c) => format!("{} of {} ready", c.ready, c.total),
            None => String::new(),
        },
        HopKind::Container => label(h, protocol)
            .trim_start_matches("└ container ")
            .trim_start_matches("└ ")
            .to_string(),
        HopKind::Node if h.members.is_some() => format!(
            "{} :{}",
            h.name_text().as_deref().unwrap_or("nodes"),
            port_or_q(h.port)
        ),
        _ => label(h, protocol),
    }
}

/// Mermaid label text: quotes and angle brackets as entities, on one line
/// (a line break would end the label).
fn escape(s: &str) -> String {
    super::terminal::one_line(s)
        .replace('&', "#amp;")
        .replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}
