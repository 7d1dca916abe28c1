//! `svcx migrate-to-gateway`'s report and manifests as people and tools
//! read them: the objects as YAML (one stream, or one file each in
//! `--output-dir`), the report on stderr, as MIGRATION.md and as JSON.

use crate::migrate::{Migration, Note, NoteCode, Report, Section};
use serde_json::{Value, json};
use std::io;

/// The version of the `-o json` document.
pub(crate) const SCHEMA: u32 = 1;

/// The objects as multi-document YAML, each document opened by `---`.
pub fn yaml(migration: &Migration) -> io::Result<String> {
    let mut text = String::new();
    for o in &migration.objects {
        text.push_str("---\n");
        text.push_str(&crate::yaml::to_string(&o.to_value()).map_err(io::Error::other)?);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    Ok(text)
}

/// File name of an object in `--output-dir`: `NN-kind-namespace-name.yaml`,
/// numbered so that `kubectl apply -f DIR` applies them in the order written
/// (the Gateway first).
pub(crate) fn file_name(position: usize, object: &Value) -> String {
    // Names from input become part of a path: anything but what a
    // Kubernetes name may hold (a `/`, `..` with it, a control character)
    // is replaced, so that every file stays inside the output directory.
    let s = |p: &str| -> String {
        object
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    format!(
        "{:02}-{}-{}-{}.yaml",
        position + 1,
        s("/kind").to_lowercase(),
        s("/metadata/namespace"),
        s("/metadata/name")
    )
}

/// The report as MIGRATION.md: what to review before applying the files.
pub fn markdown(migration: &Migration) -> String {
    let r = &migration.report;
    let mut out = String::from("# Migration to Gateway API\n\n");
    out.push_str(&format!(
        "Gateway `{}` (GatewayClass `{}`). Load balancers: {} before, {} after.\n\n",
        r.gateway, r.gateway_class, r.load_balancers_before, r.load_balancers_after
    ));
    out.push_str("Apply with `kubectl apply -f .` once every note below is handled.\n\n");
    if let Some(line) = routing_summary(r) {
        out.push_str(&format!(
            "{}.\n\n",
            line.replacen("routing: ", "Routing check: ", 1)
        ));
    }
    if !r.routes.is_empty() {
        out.push_str("## Routes\n\n| Service port | Route | Listener | Gateway port | Hostname |\n|---|---|---|---|---|\n");
        for l in &r.routes {
            out.push_str(&format!(
                "| {}:{} | {} {} | {} | {} | {} |\n",
                l.service,
                l.port,
                l.kind,
                l.route,
                l.listener,
                l.listener_port,
                l.hostname.as_deref().unwrap_or("(any)")
            ));
        }
        out.push('\n');
    }
    for (heading, entries) in [
        ("Reachable from outside before", &r.exposure.before),
        ("Reachable from outside after", &r.exposure.after),
    ] {
        if entries.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "## {heading}\n\n| Address | Host | Backend |\n|---|---|---|\n"
        ));
        for e in entries {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                e.address,
                e.host.as_deref().unwrap_or("(any)"),
                e.backend
            ));
        }
        out.push('\n');
    }
    for (section, notes) in note_sections(r) {
        if notes.is_empty() {
            continue;
        }
        out.push_str(&format!("## {}\n\n", section.title()));
        for n in notes {
            let port = n
                .port
                .as_deref()
                .map(|p| format!(" port {p}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "- **{}{port}** (`{}`): {}\n  Instead: {}\n",
                n.object,
                n.code.name(),
                n.message,
                n.instead
            ));
        }
        out.push('\n');
    }
    out
}

/// The `-o json` document: the objects and the report.
pub fn json_document(migration: &Migration) -> Value {
    json!({
        "schema": SCHEMA,
        "objects": migration.objects.iter().map(|o| o.to_value()).collect::<Vec<_>>(),
        "report": migration.report,
    })
}

/// The notes of each section of the report, in listing order.
fn note_sections(r: &Report) -> impl Iterator<Item = (Section, Vec<&Note>)> {
    Section::ALL.into_iter().map(|section| {
        let notes = r
            .notes
            .iter()
            .filter(|n| n.code.section() == section)
            .collect();
        (section, notes)
    })
}

/// `routing: 120 requests checked, 118 route the same, 2 differ (listed above)`.
fn routing_summary(r: &Report) -> Option<String> {
    let (checked, same, differ) = r.request_counts();
    (checked > 0).then(|| {
        format!(
            "routing: {checked} requests checked, {same} route the same, {differ} differ{}",
            if differ > 0 { " (listed above)" } else { "" }
        )
    })
}

/// The report as people read it on stderr.
pub fn report_text(migration: &Migration) -> String {
    let r = &migration.report;
    let mut out = String::new();
    if r.services.is_empty() && r.ingresses.is_empty() {
        // The ways in (a proxy's own Service) are left as they are: say so
        // rather than that there is none.
        let kept = r.notes.iter().any(|n| n.code == NoteCode::EntryPoint);
        out.push_str(if kept {
            "svcx: nothing to migrate: the NodePort and LoadBalancer Services in scope are ways in of proxies, left as they are (see the notes), and there is no Ingress\n"
        } else {
            "svcx: nothing to migrate: no NodePort or LoadBalancer Service (or externalIPs), and no Ingress, in scope\n"
        });
    } else {
        let target = match (&r.target, &r.served) {
            (Some(t), _) => t.to_string(),
            (None, Some(served)) => format!(
                "the Gateway API the cluster serves ({})",
                served
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            (None, None) => "Gateway API".to_string(),
        };
        out.push_str(&format!(
            "svcx: migrating {} Service(s) and {} Ingress(es) behind Gateway {} (GatewayClass {}), for {target}\n",
            r.services.len(),
            r.ingresses.len(),
            r.gateway,
            r.gateway_class,
        ));
        out.push_str(&format!(
            "load balancers: {} before, {} after\n",
            r.load_balancers_before, r.load_balancers_after
        ));
    }
    if !r.routes.is_empty() {
        out.push_str("routes:\n");
        for l in &r.routes {
            out.push_str(&format!(
                "  {}:{} → {} {} on listener {} (port {}{})\n",
                l.service,
                l.port,
                l.kind,
                l.route,
                l.listener,
                l.listener_port,
                l.hostname
                    .as_deref()
                    .map(|h| format!(", {h}"))
                    .unwrap_or_default()
            ));
        }
    }
    for (heading, entries) in [
        ("reachable from outside before:", &r.exposure.before),
        ("reachable from outside after:", &r.exposure.after),
    ] {
        if entries.is_empty() {
            continue;
        }
        out.push_str(heading);
        out.push('\n');
        for e in entries {
            let host = e
                .host
                .as_deref()
                .map(|h| format!(" ({h})"))
                .unwrap_or_default();
            out.push_str(&format!("  {}{host} → {}\n", e.address, e.backend));
        }
    }
    for (section, notes) in note_sections(r) {
        if notes.is_empty() {
            continue;
        }
        out.push_str(section.name());
        out.push(':');
        out.push('\n');
        for n in notes {
            let port = n
                .port
                .as_deref()
                .map(|p| format!(" port {p}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {}{port}: {}\n    instead: {}\n",
                n.object, n.message, n.instead
            ));
        }
    }
    if let Some(line) = routing_summary(r) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}
