//! What the Gateway API says of a Gateway's listeners beside what each one
//! admits ([`super::gateway`]), as findings about the Gateway:
//!
//! - `allowedRoutes.kinds` that name no kind the listener can carry: "If an
//!   implementation does not support or recognize this resource type, it
//!   MUST set the "ResolvedRefs" condition to False for this Listener with
//!   the "InvalidRouteKinds" reason"; with no valid kind left the listener
//!   admits nothing (kubernetes-sigs/gateway-api 4564255
//!   `apis/v1/gateway_types.go`, `RouteGroupKind` and `supportedKinds`;
//!   conformance test `gateway-invalid-route-kind`). A kind of another group
//!   than the Gateway API's is the implementation's to recognise.
//! - `tls.certificateRefs` in another namespace: "a ReferenceGrant object is
//!   required in the referent namespace to allow that namespace's owner to
//!   accept the reference", else the listener's ResolvedRefs is False with
//!   reason RefNotPermitted (same file, `GatewayTLSConfig.CertificateRefs`,
//!   `ListenerReasonRefNotPermitted`). svcx reads the ReferenceGrants, never
//!   the Secrets.
//! - listeners that share a port: "HTTP, HTTPS, or TLS protocols with the
//!   same port as one with TCP Protocol ... are not distinct and so MUST NOT
//!   be accepted" (Conflicted, reason ProtocolConflict); any other mix of
//!   protocols on one port is compatible or not as the implementation can
//!   serve it ("Compatible combinations in Extended support are expected to
//!   vary across implementations"), which svcx says without guessing.

use super::super::finding::{Code, Finding, Severity};
use super::super::view::{names_list, source_is_cluster};
use super::super::{Located, Snapshot};
use super::gateway::{ListenerFacts, protocol_kinds};
use super::shape::{GATEWAY_GROUP, RouteKind};
use gateway_api::apis::standard::gateways::Gateway;
use kube::ResourceExt;
use std::collections::BTreeMap;

/// The Gateway's findings about its listeners; marks the listeners that a
/// protocol conflict keeps from being accepted.
pub(super) fn check(
    snap: &Snapshot,
    g: &Located<Gateway>,
    namespace: &str,
    listeners: &mut [ListenerFacts],
) -> Vec<Finding> {
    let mut out = Vec::new();
    route_kinds(g, listeners, &mut out);
    certificates(snap, g, namespace, &mut out);
    ports(g, listeners, &mut out);
    out
}

/// `allowedRoutes.kinds` naming kinds the listener cannot carry.
pub(crate) fn route_kinds(
    g: &Located<Gateway>,
    listeners: &[ListenerFacts],
    out: &mut Vec<Finding>,
) {
    for (j, l) in listeners.iter().enumerate() {
        let written = &l.allowed_routes.written_kinds;
        let Some(can) = protocol_kinds(&l.protocol, l.tls_mode.as_deref()) else {
            continue;
        };
        if written.is_empty() {
            continue;
        }
        // Kinds are case-sensitive: `httproute` is no kind.
        let carries = |(group, kind): &(String, String)| {
            group == GATEWAY_GROUP
                && RouteKind::parse(kind)
                    .filter(|k| k.kind() == kind)
                    .is_some_and(|k| can.contains(&k))
        };
        let invalid: Vec<String> = written
            .iter()
            .filter(|gk| gk.0 == GATEWAY_GROUP && !carries(gk))
            .map(|(_, k)| format!("`{k}`"))
            .collect();
        let foreign: Vec<String> = written
            .iter()
            .filter(|(g, _)| g != GATEWAY_GROUP)
            .map(|(g, k)| format!("`{k}` ({g})"))
            .collect();
        let valid = written.iter().filter(|gk| carries(gk)).count();
        let field = format!("spec.listeners[{j}].allowedRoutes.kinds");
        let hint = format!(
            "{} listeners{} carry {}",
            l.protocol,
            l.tls_mode
                .as_deref()
                .map(|m| format!(" in {m} mode"))
                .unwrap_or_default(),
            can.iter()
                .map(|k| k.kind())
                .collect::<Vec<_>>()
                .join(" and ")
        );
        if !invalid.is_empty() {
            let (severity, what) = if valid == 0 && foreign.is_empty() {
                (Severity::Error, "so it admits no route")
            } else {
                (Severity::Warning, "routes of those kinds are not admitted")
            };
            out.push(
                Finding::new(
                    Code::ListenerRouteKindsInvalid,
                    g,
                    &field,
                    format!(
                        "listener `{}` lists {} in allowedRoutes.kinds, which it cannot carry: its controller sets \
                         ResolvedRefs=False (InvalidRouteKinds), {what}",
                        l.name,
                        names_list(&invalid)
                    ),
                )
                .severity(severity)
                .hint(hint.clone()),
            );
        }
        if !foreign.is_empty() {
            out.push(
                Finding::new(
                    Code::ListenerRouteKindsInvalid,
                    g,
                    &field,
                    format!(
                        "listener `{}` lists {} in allowedRoutes.kinds: whether its controller knows that kind is \
                         up to the implementation (if not, ResolvedRefs=False, InvalidRouteKinds)",
                        l.name,
                        names_list(&foreign)
                    ),
                )
                .severity(Severity::Info)
                .hint(hint),
            );
        }
    }
}

/// Cross-namespace `certificateRefs` without a ReferenceGrant there.
pub(crate) fn certificates(
    snap: &Snapshot,
    g: &Located<Gateway>,
    namespace: &str,
    out: &mut Vec<Finding>,
) {
    let gw = &g.object;
    for (j, l) in gw.spec.listeners.iter().enumerate() {
        let refs = l
            .tls
            .as_ref()
            .and_then(|t| t.certificate_refs.as_ref())
            .into_iter()
            .flatten();
        for (k, r) in refs.enumerate() {
            let Some(ns) = r.namespace.as_deref().filter(|ns| *ns != namespace) else {
                continue;
            };
            let group = r.group.as_deref().unwrap_or("");
            let kind = r.kind.as_deref().unwrap_or("Secret");
            let granted = snap
                .reference_grants
                .iter()
                .map(|rg| &rg.object)
                .filter(|rg| rg.namespace().as_deref() == Some(ns))
                .any(|rg| {
                    rg.spec.from.iter().any(|f| {
                        f.group == GATEWAY_GROUP && f.kind == "Gateway" && f.namespace == namespace
                    }) && rg.spec.to.iter().any(|t| {
                        t.group == group
                            && t.kind == kind
                            && t.name.as_deref().is_none_or(|n| n == r.name)
                    })
                });
            if granted {
                continue;
            }
            let listed = source_is_cluster(snap) && snap.scope.includes(ns);
            let mut message = format!(
                "listener `{}` uses {kind} {ns}/{} as its certificate, across namespaces, and no ReferenceGrant in \
                 `{ns}`{} allows Gateways from `{namespace}` to refer to it",
                l.name,
                r.name,
                if listed || source_is_cluster(snap) {
                    ""
                } else {
                    " in the input"
                }
            );
            if !listed && source_is_cluster(snap) {
                message.push_str(
                    " (its ReferenceGrants were not read: add -A to read every namespace)",
                );
            }
            out.push(
                Finding::new(
                    Code::CertificateRefNotPermitted,
                    g,
                    &format!("spec.listeners[{j}].tls.certificateRefs[{k}].namespace"),
                    message,
                )
                .severity(if listed {
                    Severity::Error
                } else {
                    Severity::Warning
                })
                .hint(format!(
                    "the owner of `{ns}` must create a ReferenceGrant there: from {{group: {GATEWAY_GROUP}, kind: \
                     Gateway, namespace: {namespace}}} to {{group: \"{group}\", kind: {kind}}}; without it the \
                     listener's ResolvedRefs is False (RefNotPermitted) and it serves no TLS"
                )),
            );
        }
    }
}

/// Listeners of different protocols on one port.
pub(crate) fn ports(g: &Located<Gateway>, listeners: &mut [ListenerFacts], out: &mut Vec<Finding>) {
    let mut by_port: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (j, l) in listeners.iter().enumerate() {
        by_port.entry(l.port).or_default().push(j);
    }
    for (port, at) in by_port {
        let mut protocols: Vec<&str> = at.iter().map(|&j| listeners[j].protocol.as_str()).collect();
        protocols.sort();
        protocols.dedup();
        if protocols.len() < 2 {
            continue;
        }
        let layered = |p: &str| matches!(p, "HTTP" | "HTTPS" | "TLS");
        let tcp = at.iter().copied().find(|&j| listeners[j].protocol == "TCP");
        let names = |keep: &dyn Fn(&ListenerFacts) -> bool| -> Vec<String> {
            at.iter()
                .filter(|&&j| keep(&listeners[j]))
                .map(|&j| format!("`{}` ({})", listeners[j].name, listeners[j].protocol))
                .collect()
        };
        match tcp {
            Some(t) if protocols.iter().any(|p| layered(p)) => {
                let conflicted = names(&|l| l.protocol == "TCP" || layered(&l.protocol));
                let why = format!(
                    "it shares port {port} with a TCP listener, so none of {} is accepted (Conflicted: \
                     ProtocolConflict)",
                    names_list(&conflicted)
                );
                for &j in &at {
                    if listeners[j].protocol == "TCP" || layered(&listeners[j].protocol) {
                        listeners[j].conflicted = Some(format!("listener {} is not accepted: {why}", listeners[j].name));
                    }
                }
                out.push(
                    Finding::new(
                        Code::ListenerProtocolConflict,
                        g,
                        &format!("spec.listeners[{t}].port"),
                        format!(
                            "listeners {} share port {port}: HTTP, HTTPS and TLS listeners on the port of a TCP \
                             listener are not distinct, so none of them is accepted and their routes are not served",
                            names_list(&conflicted)
                        ),
                    )
                    .hint("give the TCP listener a port of its own"),
                );
            }
            _ => out.push(
                Finding::new(
                    Code::ListenerProtocolConflict,
                    g,
                    &format!("spec.listeners[{}].port", at[1]),
                    format!(
                        "listeners {} share port {port} with different protocols ({}): whether one address serves \
                         them together is up to the implementation",
                        names_list(&names(&|_| true)),
                        protocols.join(", ")
                    ),
                )
                .severity(Severity::Info)
                .hint("check the listeners' Conflicted condition in the Gateway's status, or give each protocol its own port"),
            ),
        }
    }
}
