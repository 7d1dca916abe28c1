//! SVC517: a Gateway listener that the CRD's CEL rules reject (raised by
//! lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
use gateway_api::apis::standard::gateways::GatewayListenersTlsMode;

declare_rule! {
    /// ## What it does
    /// Flags a Gateway listener that breaks one of the Gateway CRD's
    /// validation rules about a single listener: `tls` on an HTTP, TCP or UDP
    /// listener; an HTTPS listener whose TLS mode is not `Terminate`; a TLS
    /// listener without `tls` (a `tls` block without `mode` is given the
    /// default `Terminate` before the rules run); a hostname on a TCP or UDP
    /// listener; a `Terminate` mode without `certificateRefs` or `options`.
    ///
    /// ## Why is this bad?
    /// These rules are CEL expressions that the API server runs, and schema
    /// validators (kubeconform, editors) do not: the manifest looks valid, but
    /// `kubectl apply` fails and the Gateway does not exist.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Gateway
    /// spec:
    ///   listeners:
    ///   - name: web
    ///     protocol: HTTP
    ///     port: 80
    ///     tls: {certificateRefs: [{name: web-cert}]}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: Gateway
    /// spec:
    ///   listeners:
    ///   - name: web
    ///     protocol: HTTPS
    ///     port: 443
    ///     tls: {mode: Terminate, certificateRefs: [{name: web-cert}]}
    /// ```
    ///
    /// ## How to fix
    /// Terminate TLS on HTTPS listeners (or pass it through on TLS ones), and
    /// leave `tls` and `hostname` off the protocols that do not take them.
    ///
    /// ## Known limitations
    /// The rules of the Gateway API release svcx knows (1.6); older releases
    /// have fewer.
    ///
    /// ## References
    /// - https://gateway-api.sigs.k8s.io/reference/spec/#listener
    /// - https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation-rules
    code: "SVC517",
    name: "invalid-listener",
    severity: Error,
    summary: "a Gateway listener that the Gateway CRD's validation rules reject",
    migrate: false,
    check: Check::Run(check),
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for gw in &cx.snap.gateways {
        for (j, l) in gw.object.spec.listeners.iter().enumerate() {
            let proto = l.protocol.as_str();
            let at = |f: &str| format!("spec.listeners[{j}]{f}");
            let mut problems: Vec<(String, String)> = Vec::new();
            match (&l.tls, proto) {
                (Some(_), "HTTP" | "TCP" | "UDP") => problems.push((
                    at(".tls"),
                    format!("tls must not be specified for protocol {proto}"),
                )),
                (Some(tls), "HTTPS") if tls.mode == Some(GatewayListenersTlsMode::Passthrough) => {
                    problems.push((at(".tls.mode"), "tls mode must be Terminate for protocol HTTPS".into()))
                }
                // A `tls` block without `mode` gets the CRD's default,
                // Terminate, before the rule runs: only a missing `tls`
                // leaves the mode unset.
                (None, "TLS") => problems.push((at(""), "tls mode must be set for protocol TLS".into())),
                _ => {}
            }
            if let Some(tls) = &l.tls
                && tls.mode.as_ref().is_none_or(|m| *m == GatewayListenersTlsMode::Terminate)
                && !matches!(proto, "HTTP" | "TCP" | "UDP")
                && tls.certificate_refs.as_ref().is_none_or(Vec::is_empty)
                && tls.options.as_ref().is_none_or(|o| o.is_empty())
            {
                problems.push((
                    at(".tls"),
                    "certificateRefs or options must be specified when mode is Terminate".into(),
                ));
            }
            if matches!(proto, "TCP" | "UDP") && l.hostname.as_deref().is_some_and(|h| !h.is_empty()) {
                problems.push((
                    at(".hostname"),
                    format!("hostname must not be specified for protocol {proto}"),
                ));
            }
            for (field, rule) in problems {
                out.push(
                    Finding::new(
                        Code::InvalidListener,
                        gw,
                        &field,
                        format!("listener `{}`: {rule}: the API server rejects the Gateway", l.name),
                    )
                    .hint("terminate TLS on HTTPS listeners, pass it through on TLS ones, and leave tls and hostname off the protocols that do not take them"),
                );
            }
        }
    }
}
