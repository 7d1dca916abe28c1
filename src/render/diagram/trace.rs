//! A traced path as a diagram: the client, then a box per hop shown, linked
//! as the hops' `next` say.

use super::{Diagram, Node, Tone, line, serde_plain, toned, worse};
use crate::render::trace::{addr, layer_short, mermaid_label, port_title, shown_hops};
use crate::trace::Verdict;
use crate::trace::report::{Hop, HopId, HopKind, PortPath, ServiceTrace};

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
pub(crate) fn trace_path(s: &ServiceTrace, path: &PortPath) -> Diagram {
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
                .and_then(|p| at.get(&p.id))
        {
            let n: &mut Node = &mut d.nodes[parent];
            let tone = hop_tone(h);
            n.lines.push(toned(
                format!("container {}", mermaid_label(h, protocol)),
                tone,
            ));
            n.tone = worse(n.tone, tone);
            n.tip.push_str(&format!("\ncontainer: {}", hop_tip(h)));
            at.insert(&h.id, parent);
            continue;
        }
        let mut lines = Vec::new();
        match (h.kind, h.name_text(), &h.address) {
            // A pod's name and its address each get a line: both are long.
            (HopKind::Endpoint, Some(name), Some(a)) if name != a.as_str() => {
                lines.push(line(name));
                lines.push(line(addr(h)));
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
        at.insert(&h.id, i);
    }
    let targets: std::collections::HashSet<&HopId> =
        path.hops.iter().flat_map(|h| h.next.iter()).collect();
    for h in &path.hops {
        let Some(&from) = at.get(&h.id) else {
            continue;
        };
        if !targets.contains(&h.id) {
            d.link(0, from);
        }
        for n in &h.next {
            if let Some(&to) = at.get(n)
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
            && let Some(&from) = at.get(&h.id)
        {
            d.link(from, more);
        }
    }
    d
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
}
