//! SVC209: an EndpointSlice port that matches no Service port (raised by
//! lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
use crate::model::SERVICE_NAME_LABEL;
use kube::ResourceExt;

declare_rule! {
    /// ## What it does
    /// Flags a port of an EndpointSlice whose name matches no port of the
    /// Service the slice belongs to (`kubernetes.io/service-name`).
    ///
    /// ## Why is this bad?
    /// kube-proxy matches slice ports to Service ports by name, so a slice
    /// port no Service port names carries no traffic. It is usually a typo in
    /// a hand-written slice, and then the Service port it was meant for has no
    /// endpoints (SVC204).
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// metadata: {name: db}
    /// spec:
    ///   ports:
    ///   - name: postgres
    ///     port: 5432
    /// ---
    /// kind: EndpointSlice
    /// metadata:
    ///   labels: {kubernetes.io/service-name: db}
    /// ports:
    /// - name: postgresql
    ///   port: 5432
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: EndpointSlice
    /// metadata:
    ///   labels: {kubernetes.io/service-name: db}
    /// ports:
    /// - name: postgres
    ///   port: 5432
    /// ```
    ///
    /// ## How to fix
    /// Name the slice port as the Service port it serves (an unnamed Service
    /// port takes an unnamed slice port).
    ///
    /// ## Known limitations
    /// Slices whose Service is not in the input are not judged.
    ///
    /// ## References
    /// - https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/
    code: "SVC209",
    name: "slice-port-not-in-service",
    severity: Warning,
    summary: "an EndpointSlice port whose name matches no port of its Service",
    migrate: false,
    check: Check::Run(check),
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for slice in &cx.snap.endpoint_slices {
        let Some(svc_name) = slice.object.labels().get(SERVICE_NAME_LABEL) else {
            continue;
        };
        let ns = slice.object.namespace().unwrap_or_default();
        let Some(svc) = cx.snap.service(&ns, svc_name) else {
            continue;
        };
        let names: Vec<&str> = svc
            .object
            .spec
            .iter()
            .flat_map(|s| s.ports.iter().flatten())
            .map(|p| p.name.as_deref().unwrap_or(""))
            .collect();
        for (i, p) in slice.object.ports.iter().flatten().enumerate() {
            let name = p.name.as_deref().unwrap_or("");
            if names.contains(&name) {
                continue;
            }
            let shown = if name.is_empty() { "(unnamed)".to_string() } else { format!("`{name}`") };
            let theirs: Vec<String> = names
                .iter()
                .map(|n| if n.is_empty() { "(unnamed)".to_string() } else { format!("`{n}`") })
                .collect();
            out.push(
                Finding::new(
                    Code::SlicePortNotInService,
                    slice,
                    &format!("ports[{i}].name"),
                    format!(
                        "port {shown} matches no port of Service `{ns}/{svc_name}` ({}): kube-proxy ignores it",
                        theirs.join(", ")
                    ),
                )
                .hint("name the slice port as the Service port it serves"),
            );
        }
    }
}
