//! Routes and Gateways for people, in explain's human output: per Service
//! the routes and Ingresses that reach it or try to (where they come in,
//! what they match, what the cluster says, and the findings that say why
//! one does not get through); per Gateway its listeners and what each
//! admits.

use super::style::{Style, Tone};
use super::text::{bullet, finding, indent, table};
use crate::model::finding::Severity;
use crate::model::routes::{
    AddressState, ClassSource, GatewayFacts, ParentKind, ParentStatus, RouteFacts, ServiceRoute,
    listener_label,
};
use std::fmt::Write;

/// What a route does for a Service, in one or two words.
fn state(r: &ServiceRoute, style: Style) -> String {
    let worst = r.all_findings().map(|f| f.severity).max();
    if r.reaches {
        return match worst {
            Some(Severity::Error) => style.tone("reaches, partly", Tone::Warn),
            Some(Severity::Warning) => style.tone("reaches (see findings)", Tone::Warn),
            _ => style.tone("reaches", Tone::Good),
        };
    }
    let attached = r.ingress.is_some() || r.parents.iter().any(|p| p.attached());
    let word = if !attached && r.parents.iter().any(|p| p.kind == ParentKind::Gateway) {
        "not admitted"
    } else if !attached && r.ingress.is_none() {
        "attaches to no Gateway"
    } else {
        "does not resolve"
    };
    match worst {
        Some(Severity::Error) => style.tone(word, Tone::Bad),
        _ => style.tone(word, Tone::Warn),
    }
}

/// The Service's routes and Ingress paths, each with where it comes in,
/// what it matches, and its findings.
pub(super) fn service_routes(out: &mut String, routes: &[ServiceRoute], style: Style) {
    if routes.is_empty() {
        return;
    }
    out.push('\n');
    let _ = writeln!(out, "  {}", style.bold("Routes and Ingresses to it"));
    for r in routes {
        let rule = match (&r.rule, &r.rule_name) {
            (Some(i), Some(n)) => format!(" rule {i} ({n})"),
            (Some(i), None) => format!(" rule {i}"),
            (None, _) => " default backend".to_string(),
        };
        let port = r
            .service_port
            .as_deref()
            .map(|p| format!(" → port {p}"))
            .unwrap_or_else(|| " → (no port)".to_string());
        let _ = writeln!(
            out,
            "    {}{}  {}",
            super::terminal::one_line(&r.label()),
            super::terminal::one_line(&format!("{rule}{port}")),
            state(r, style)
        );
        let mut facts = Vec::new();
        for p in &r.parents {
            let at = if p.addresses.is_empty() {
                String::new()
            } else {
                format!(" at {}", p.addresses.join(", "))
            };
            if p.accepted_per_status {
                facts.push(format!(
                    "via Gateway {} (not read: attached per the route's status)",
                    p.gateway
                ));
            } else if p.attached() {
                for l in &p.listeners {
                    facts.push(format!(
                        "via Gateway {} listener {}{at}",
                        p.gateway,
                        listener_label(&l.name, &l.protocol, l.port, l.hostname.as_deref())
                    ));
                }
            } else if p.kind == ParentKind::Gateway {
                facts.push(format!("names Gateway {}: not attached", p.gateway));
            } else {
                facts.push(format!("names {} {}: not followed", p.kind, p.gateway));
            }
            if let Some(s) = &p.status {
                facts.push(format!("{} says: {}", s.controller, status_words(s)));
            }
        }
        if let Some(i) = &r.ingress {
            let mut about = Vec::new();
            match i.class_source {
                ClassSource::Annotation => {
                    about.push("kubernetes.io/ingress.class annotation".to_string())
                }
                ClassSource::Default => about.push("the default class".to_string()),
                _ => {}
            }
            if let Some(c) = &i.controller {
                about.push(format!("controller {c}"));
            }
            let about = if about.is_empty() {
                String::new()
            } else {
                format!(" ({})", about.join("; "))
            };
            let class = match &i.class {
                Some(c) => format!("IngressClass {c}{about}"),
                None => "no IngressClass".to_string(),
            };
            let at = if i.addresses.is_empty() {
                String::new()
            } else {
                format!(" at {}", i.addresses.join(", "))
            };
            let tls = if i.tls { ", TLS on 443" } else { "" };
            facts.push(format!("via {class}{at}{tls}"));
            if let Some(s) = &i.controller_service {
                facts.push(format!("the controller's own Service: {s}"));
            }
        }
        let mut line = Vec::new();
        if !r.hostnames.is_empty() {
            line.push(format!("hostnames {}", r.hostnames.join(", ")));
        }
        if !r.matches.is_empty() {
            line.push(format!("matches {}", r.matches.join(" | ")));
        }
        if !r.filters.is_empty() {
            line.push(format!("filters {}", r.filters.join(", ")));
        }
        if let Some(w) = r.weight
            && w.total != w.weight
        {
            line.push(format!("weight {} of {}", w.weight, w.total));
        }
        if !line.is_empty() {
            facts.push(line.join("; "));
        }
        for f in facts {
            out.push_str(&bullet("      ", &f, style.prose_width()));
        }
        for f in r.all_findings() {
            out.push_str(&finding(f, style, "      ", style.prose_width()));
        }
    }
}

/// `Accepted, ResolvedRefs` or `Accepted=False (NotAllowedByListeners)`.
fn status_words(s: &ParentStatus) -> String {
    let word = |name: &str, c: &Option<crate::model::routes::ConditionView>| {
        c.as_ref().map(|c| {
            if c.status == "True" {
                name.to_string()
            } else {
                format!("{name}={} ({})", c.status, c.reason)
            }
        })
    };
    let words: Vec<String> = [
        word("Accepted", &s.accepted),
        word("ResolvedRefs", &s.resolved_refs),
    ]
    .into_iter()
    .flatten()
    .collect();
    if words.is_empty() {
        "no conditions".to_string()
    } else {
        words.join(", ")
    }
}

/// One Gateway: addresses, listeners, attached and rejected routes, notes.
pub(super) fn gateway(
    out: &mut String,
    g: &GatewayFacts,
    routes: &[RouteFacts],
    notes: &[String],
    style: Style,
) {
    let _ = writeln!(
        out,
        "{}  Gateway  ({})",
        style.bold(&format!("{}/{}", g.namespace, g.name)),
        g.origin
    );
    let address = match g.addresses.state {
        AddressState::Assigned => g.addresses.assigned.join(", "),
        AddressState::Pending => style.tone("<pending>", Tone::Bad),
        AddressState::Unreported => style.tone("(none reported)", Tone::Warn),
        AddressState::NotCreated => "(assigned when created)".to_string(),
    };
    let controller = g
        .controller
        .as_ref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    out.push_str(&bullet(
        "  ",
        &format!("class {}{controller}; address {address}", g.class),
        style.prose_width(),
    ));
    out.push('\n');
    let mut t = table(
        [
            "LISTENER",
            "PROTOCOL",
            "PORT",
            "HOSTNAME",
            "ROUTES FROM",
            "KINDS",
            "ATTACHED",
        ],
        style,
        1,
    );
    for l in &g.listeners {
        let from = match l.allowed_routes.from {
            crate::model::routes::AllowedFrom::Same => "same namespace".to_string(),
            crate::model::routes::AllowedFrom::All => "all namespaces".to_string(),
            crate::model::routes::AllowedFrom::Selector => format!(
                "namespaces {}",
                l.allowed_routes.selector.as_deref().unwrap_or("(none)")
            ),
        };
        let attached = match l.status_attached_routes {
            Some(n) => format!("{} (cluster: {n})", l.attached.len()),
            None => l.attached.len().to_string(),
        };
        t.add_row(vec![
            l.name.clone(),
            l.protocol.clone(),
            l.port.to_string(),
            l.hostname.clone().unwrap_or_else(|| "*".into()),
            from,
            l.allowed_routes.kinds_text(", "),
            attached,
        ]);
    }
    out.push_str(&indent(&t.to_string(), 1));
    for f in &g.findings {
        out.push('\n');
        out.push_str(&finding(f, style, "  ", style.prose_width()));
    }
    if !routes.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "  {}", style.bold("Routes"));
    }
    for r in routes {
        let mine: Vec<_> = r
            .parents
            .iter()
            .filter(|p| p.gateway_index == Some(g.index))
            .collect();
        let on: Vec<String> = mine
            .iter()
            .flat_map(|p| p.listeners.iter())
            .map(|l| {
                if l.hostnames.is_empty() {
                    l.name.clone()
                } else {
                    format!("{} ({})", l.name, l.hostnames.join(", "))
                }
            })
            .collect();
        let head = if on.is_empty() {
            style.tone("not admitted", Tone::Bad)
        } else {
            format!("on {}", on.join(", "))
        };
        let _ = writeln!(
            out,
            "    {} {}/{}  {head}",
            r.kind.kind(),
            r.namespace,
            r.name
        );
        for (i, rule) in r.rules.iter().enumerate() {
            let to: Vec<String> = rule
                .backends
                .iter()
                .map(|b| {
                    let port = b.port.map(|p| format!(":{p}")).unwrap_or_default();
                    let kind = if b.kind == "Service" {
                        String::new()
                    } else {
                        format!("{} ", b.kind)
                    };
                    let weight = if rule.backends.len() > 1 {
                        format!(" (weight {})", b.weight)
                    } else {
                        String::new()
                    };
                    format!("{kind}{}/{}{port}{weight}", b.namespace, b.name)
                })
                .collect();
            let mut text = format!("rule {i}: {}", rule.matches.join(" | "));
            if !rule.filters.is_empty() {
                text.push_str(&format!(" [{}]", rule.filters.join(", ")));
            }
            if to.is_empty() {
                if rule.matches.is_empty() {
                    text = format!("rule {i}: no backend");
                } else {
                    text.push_str(" (no backend)");
                }
            } else {
                text.push_str(&format!(" → {}", to.join(", ")));
            }
            out.push_str(&bullet("      ", &text, style.prose_width()));
        }
        for p in &mine {
            if let Some(st) = &p.status {
                out.push_str(&bullet(
                    "      ",
                    &format!("{} says: {}", st.controller, status_words(st)),
                    style.prose_width(),
                ));
            }
        }
        let findings = r
            .findings
            .iter()
            .chain(mine.iter().flat_map(|p| p.findings.iter()))
            .chain(
                r.rules
                    .iter()
                    .flat_map(|x| x.backends.iter())
                    .flat_map(|b| b.findings.iter()),
            );
        for f in findings {
            out.push_str(&finding(f, style, "      ", style.prose_width()));
        }
    }
    if !notes.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "  {}", style.bold("Notes"));
        for n in notes {
            out.push_str(&bullet("    • ", n, style.prose_width()));
        }
    }
}
