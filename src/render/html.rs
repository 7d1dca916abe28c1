//! `-o html`: one self-contained page (inline CSS and SVG, no script, no
//! external resource) per report. A trace page has, per Service and port,
//! the path as a diagram (verdict colours, addresses, ports, the ways in
//! through Gateways and Ingresses) and a table of every hop with its reason;
//! an explain page has, per Service, its layers as a diagram, its findings
//! and what each layer does, then per Gateway its listeners, routes and the
//! Services they send to. Diagrams come from `diagram/` and are drawn by `svg.rs`;
//! every piece of text goes through [`escape`].

use super::diagram::{self, Diagram, Tone};
use super::svg::{self, escape};
use super::trace::shorten;
use crate::explain::report::{ExplainReport, GatewayExplanation, NodeInfo, ServiceExplanation};
use crate::model::finding::Finding;
use crate::model::{Notice, SourceInfo};
use crate::trace::report::{ServiceTrace, TraceReport};
use std::fmt::Write;
use std::io;

/// The page's style sheet. The palette is shared with the DOT output and
/// readable in greyscale: the verdict word is on every box.
const CSS: &str = r#"
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #202124; background: #fff; margin: 24px; }
h1 { font-size: 20px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 4px; border-top: 1px solid #dadce0; padding-top: 16px; }
h3 { font-size: 14px; margin: 16px 0 6px; font-weight: 600; }
code, .mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12.5px; }
.meta { color: #5f6368; margin: 0 0 8px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px; font-weight: 600; border: 1px solid; }
.badge.ok { background: #e6f4ea; border-color: #1e8e3e; color: #137333; }
.badge.warn { background: #fef7e0; border-color: #e37400; color: #b06000; }
.badge.broken { background: #fce8e6; border-color: #d93025; color: #a50e0e; }
.badge.unknown { background: #f1f3f4; border-color: #80868b; color: #3c4043; }
.badge.plain { background: #e8f0fe; border-color: #1a73e8; color: #174ea6; }
figure { margin: 8px 0; overflow-x: auto; }
svg.diagram { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 11px; }
svg.diagram .node rect { stroke-width: 1.5; }
svg.diagram .node.ok rect { fill: #e6f4ea; stroke: #1e8e3e; }
svg.diagram .node.warn rect { fill: #fef7e0; stroke: #e37400; }
svg.diagram .node.broken rect { fill: #fce8e6; stroke: #d93025; stroke-width: 3; }
svg.diagram .node.unknown rect { fill: #f1f3f4; stroke: #80868b; stroke-dasharray: 4 3; }
svg.diagram .node.plain rect { fill: #e8f0fe; stroke: #1a73e8; }
svg.diagram .title { font-weight: 700; fill: #202124; }
svg.diagram .verdict { font-weight: 700; }
svg.diagram .ok .verdict, svg.diagram .line.ok { fill: #137333; }
svg.diagram .warn .verdict, svg.diagram .line.warn { fill: #b06000; }
svg.diagram .broken .verdict, svg.diagram .line.broken { fill: #a50e0e; }
svg.diagram .unknown .verdict, svg.diagram .line.unknown { fill: #5f6368; }
svg.diagram .line { fill: #202124; }
svg.diagram .edge { fill: none; stroke: #5f6368; stroke-width: 1.5; }
svg.diagram .edge.broken { stroke: #d93025; stroke-dasharray: 6 4; }
svg.diagram .arrowhead { fill: #5f6368; }
svg.diagram .arrowhead.broken { fill: #d93025; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 3px 10px 3px 0; border-bottom: 1px solid #f1f3f4; }
th { font-weight: 600; color: #5f6368; }
td.why { max-width: 720px; }
.hint, .note { color: #5f6368; }
ul.findings { padding-left: 18px; }
.legend span { margin-right: 10px; }
footer { margin-top: 28px; color: #5f6368; }
"#;

/// `1 Service`, `2 Services`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn badge(tone: Tone) -> String {
    badge_word(tone, tone.class())
}

/// A coloured word; the word says it all without the colour.
fn badge_word(tone: Tone, word: &str) -> String {
    format!(
        r#"<span class="badge {}">{}</span>"#,
        tone.class(),
        escape(word)
    )
}

fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        escape(title)
    );
}

fn source_words(s: &SourceInfo) -> String {
    match s {
        SourceInfo::Live { context, .. } => format!("context {context}"),
        SourceInfo::Files { paths } => format!("files {}", paths.join(", ")),
        SourceInfo::Demo => "the demo cluster".to_string(),
        // Each Service's heading names its context (`origin`).
        SourceInfo::Clusters => "several clusters".to_string(),
    }
}

fn legend(out: &mut String) {
    out.push_str("<p class=\"legend\">");
    for t in [Tone::Ok, Tone::Warn, Tone::Broken, Tone::Unknown] {
        let what = match t {
            Tone::Ok => "traffic gets through",
            Tone::Warn => "partly, or with a caveat",
            Tone::Broken => "does not get through",
            _ => "cannot be known from this source",
        };
        let _ = write!(out, "<span>{} {what}</span>", badge(t));
    }
    out.push_str("</p>\n");
}

fn notices(out: &mut String, limits: &[String], notices: &[Notice]) {
    if limits.is_empty() && notices.is_empty() {
        return;
    }
    out.push_str("<h2>Notes</h2>\n<ul>\n");
    for l in limits {
        let _ = writeln!(out, "<li>{}</li>", escape(l));
    }
    for n in notices {
        let _ = write!(out, "<li>{}", escape(&n.message));
        if let Some(h) = &n.hint {
            let _ = write!(out, " <span class=\"hint\">hint: {}</span>", escape(h));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

fn foot(out: &mut String) {
    out.push_str("<footer>Made by svcx, which reads Services and never changes a cluster.</footer>\n</body>\n</html>\n");
}

fn figure(out: &mut String, d: &Diagram, id: &str) {
    out.push_str("<figure>\n");
    out.push_str(&svg::draw(d, id));
    out.push_str("</figure>\n");
}

/// The trace report as a page, written a Service at a time.
pub fn trace(report: &TraceReport, out: &mut dyn io::Write) -> io::Result<()> {
    let mut text = String::new();
    let what = match &report.target {
        Some(t) => t.input.clone(),
        None => "every Service".to_string(),
    };
    head(&mut text, &format!("svcx trace {what}"));
    let _ = writeln!(
        text,
        "<header>\n<h1>svcx trace <code>{}</code> {}</h1>",
        escape(&what),
        badge(report.verdict.into())
    );
    let c = report.counts;
    let _ = writeln!(
        text,
        "<p class=\"meta\">from {}; {} traced: {} ok, {} warn, {} broken</p>",
        escape(&source_words(&report.source)),
        count(c.ok + c.warn + c.broken, "Service"),
        c.ok,
        c.warn,
        c.broken
    );
    if let Some(t) = &report.target {
        for r in &t.routes {
            let _ = writeln!(text, "<p class=\"meta\">served by {}</p>", escape(r));
        }
    }
    legend(&mut text);
    text.push_str("</header>\n");
    if report.services.is_empty() {
        text.push_str("<p>No Services in scope.</p>\n");
    }
    if report.target.is_none() && !report.services.is_empty() {
        overview(&mut text, &report.services);
    }
    out.write_all(text.as_bytes())?;
    for (i, s) in report.services.iter().enumerate() {
        text.clear();
        trace_service(&mut text, i, s);
        out.write_all(text.as_bytes())?;
    }
    text.clear();
    notices(&mut text, &report.limits, &report.notices);
    foot(&mut text);
    out.write_all(text.as_bytes())
}

/// Every traced Service, worst verdict first (as the text output's table),
/// each linked to its section below.
fn overview(out: &mut String, services: &[ServiceTrace]) {
    let mut order: Vec<usize> = (0..services.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(services[i].verdict));
    out.push_str("<table class=\"overview\">\n<tr><th>Service</th><th>type</th><th>verdict</th><th>why</th></tr>\n");
    for i in order {
        let s = &services[i];
        let _ = writeln!(
            out,
            "<tr><td><a href=\"#svc{i}\">{}/{}</a></td><td>{}</td><td>{}</td><td class=\"why\">{}</td></tr>",
            escape(&s.namespace),
            escape(&s.name),
            escape(&s.service_type),
            badge(s.verdict.into()),
            escape(&s.summary)
        );
    }
    out.push_str("</table>\n");
}

fn trace_service(out: &mut String, i: usize, s: &ServiceTrace) {
    let _ = writeln!(
        out,
        "<section class=\"service\" id=\"svc{i}\">\n<h2>{}/{} <span class=\"meta\">{} ({})</span> {}</h2>",
        escape(&s.namespace),
        escape(&s.name),
        escape(&s.service_type),
        escape(&s.origin.to_string()),
        badge(s.verdict.into())
    );
    for (j, path) in s.paths.iter().enumerate() {
        let d = diagram::trace_path(s, path);
        let _ = writeln!(
            out,
            "<h3>{} {}</h3>",
            escape(&super::trace::port_title(path.port.as_ref())),
            badge(path.verdict.into())
        );
        figure(out, &d, &format!("s{i}p{j}"));
        let protocol = path.port.as_ref().map_or("TCP", |p| p.protocol.as_str());
        let (shown, hidden) = super::trace::shown_hops(path);
        out.push_str("<table class=\"hops\">\n<tr><th>verdict</th><th>hop</th><th>at</th><th>why</th></tr>\n");
        for (h, _) in path.hops.iter().zip(&shown).filter(|(_, s)| **s) {
            let _ = write!(
                out,
                "<tr class=\"{}\"><td>{}</td><td>{}</td><td class=\"mono\">{}</td><td class=\"why\">{}",
                h.verdict.word(),
                badge(h.verdict.into()),
                escape(super::trace::layer_short(h)),
                escape(&super::trace::mermaid_label(h, protocol)),
                escape(&h.reason)
            );
            if let Some(hint) = &h.hint {
                let _ = write!(
                    out,
                    "<br><span class=\"hint\">hint: {}</span>",
                    escape(hint)
                );
            }
            for n in &h.notes {
                let _ = write!(out, "<br><span class=\"note\">note: {}</span>", escape(n));
            }
            out.push_str("</td></tr>\n");
        }
        out.push_str("</table>\n");
        if hidden > 0 {
            let _ = writeln!(
                out,
                "<p class=\"meta\">… and {hidden} more ok endpoints (all are in -o json)</p>"
            );
        }
    }
    out.push_str("</section>\n");
}

/// The explain report as a page, written a Service at a time.
pub fn explain(report: &ExplainReport, out: &mut dyn io::Write) -> io::Result<()> {
    let mut text = String::new();
    head(&mut text, "svcx explain");
    let _ = writeln!(
        text,
        "<header>\n<h1>svcx explain</h1>\n<p class=\"meta\">from {}; {}, {}</p>",
        escape(&source_words(&report.source)),
        count(report.services.len(), "Service"),
        count(report.gateways.len(), "Gateway")
    );
    legend(&mut text);
    text.push_str("</header>\n");
    if report.services.is_empty() && report.gateways.is_empty() {
        text.push_str("<p>No Services in scope.</p>\n");
    }
    out.write_all(text.as_bytes())?;
    for (i, s) in report.services.iter().enumerate() {
        text.clear();
        explain_service(&mut text, i, s, &report.nodes);
        out.write_all(text.as_bytes())?;
    }
    for (i, g) in report.gateways.iter().enumerate() {
        text.clear();
        explain_gateway(&mut text, i, g);
        out.write_all(text.as_bytes())?;
    }
    text.clear();
    notices(&mut text, &[], &report.notices);
    foot(&mut text);
    out.write_all(text.as_bytes())
}

fn explain_service(out: &mut String, i: usize, s: &ServiceExplanation, nodes: &[NodeInfo]) {
    let worst = s.findings.iter().map(|f| f.severity).max();
    let _ = writeln!(
        out,
        "<section class=\"service\">\n<h2>{}/{} <span class=\"meta\">{} ({})</span>{}</h2>",
        escape(&s.namespace),
        escape(&s.name),
        escape(&s.service_type),
        escape(&s.origin.to_string()),
        worst.map_or(String::new(), |w| format!(" {}", badge(w.into())))
    );
    let _ = writeln!(out, "<p>{}</p>", escape(&s.summary));
    figure(out, &diagram::explain_service(s, nodes), &format!("s{i}"));
    if !s.findings.is_empty() {
        out.push_str("<ul class=\"findings\">\n");
        for f in &s.findings {
            finding(out, f);
        }
        out.push_str("</ul>\n");
    }
    out.push_str("<table class=\"layers\">\n<tr><th>layer</th><th>what it does</th></tr>\n");
    for l in &s.layers {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"why\">{}</td></tr>",
            escape(diagram::layer_name(l).1),
            l.explanation()
                .iter()
                .map(|e| escape(e))
                .collect::<Vec<_>>()
                .join("<br>")
        );
    }
    out.push_str("</table>\n");
    for n in &s.notes {
        let _ = writeln!(out, "<p class=\"note\">note: {}</p>", escape(n));
    }
    out.push_str("</section>\n");
}

fn explain_gateway(out: &mut String, i: usize, g: &GatewayExplanation) {
    let gw = &g.gateway;
    let worst = gw
        .findings
        .iter()
        .chain(g.routes.iter().flat_map(|r| r.all_findings()))
        .map(|f| f.severity)
        .max();
    let _ = writeln!(
        out,
        "<section class=\"gateway\">\n<h2>{} <span class=\"meta\">Gateway ({})</span>{}</h2>",
        escape(&gw.full_name()),
        escape(&gw.origin.to_string()),
        worst.map_or(String::new(), |w| format!(" {}", badge(w.into())))
    );
    figure(out, &diagram::explain_gateway(g), &format!("g{i}"));
    // A refused route is listed both as rejected and among the routes that
    // name the Gateway: its findings are shown once.
    let mut findings: Vec<&Finding> = Vec::new();
    for f in gw
        .findings
        .iter()
        .chain(gw.rejected.iter().flat_map(|r| r.findings.iter()))
        .chain(g.routes.iter().flat_map(|r| r.all_findings()))
    {
        if !findings
            .iter()
            .any(|seen| seen.code == f.code && seen.message == f.message && seen.object == f.object)
        {
            findings.push(f);
        }
    }
    if !findings.is_empty() {
        out.push_str("<ul class=\"findings\">\n");
        for f in findings {
            finding(out, f);
        }
        out.push_str("</ul>\n");
    }
    for n in &g.notes {
        let _ = writeln!(out, "<p class=\"note\">note: {}</p>", escape(n));
    }
    out.push_str("</section>\n");
}

fn finding(out: &mut String, f: &Finding) {
    let _ = write!(
        out,
        "<li class=\"{}\">{} <code>{}</code> {} <span class=\"meta\">({})</span>",
        f.severity.word(),
        badge_word(f.severity.into(), f.severity.word()),
        escape(&f.code.to_string()),
        escape(&shorten(&f.message, 400)),
        escape(&f.location())
    );
    if let Some(h) = &f.hint {
        let _ = write!(out, "<br><span class=\"hint\">hint: {}</span>", escape(h));
    }
    out.push_str("</li>\n");
}
