//! Explaining a Gateway: its addresses, its listeners and what each admits,
//! from the facts the model resolved ([`crate::model::routes`]), with notes
//! that teach what those settings do.

use super::report::GatewayExplanation;
use crate::model::routes::{AddressState, AllowedFrom, GatewayFacts, RouteIndex, listener_label};

/// One Gateway, the routes that name it, and teaching notes.
pub(super) fn explain_gateway(index: &RouteIndex, g: &GatewayFacts) -> GatewayExplanation {
    let mut notes = vec![
        "A Gateway is one way in, usually one load balancer, for any number of Services: its listeners say which \
         ports, protocols and hostnames it accepts and which routes may attach; the routes say which requests go \
         to which Service."
            .to_string(),
    ];
    match g.addresses.state {
        AddressState::Assigned => notes.push(format!(
            "Clients connect to {}; the implementation{} programs the listeners there.",
            g.addresses.assigned.join(", "),
            g.controller
                .as_ref()
                .map(|c| format!(" ({c})"))
                .unwrap_or_default()
        )),
        AddressState::Pending => notes.push(
            "No address yet: until its controller assigns one (status.addresses), no client can reach it."
                .to_string(),
        ),
        AddressState::Unreported => notes.push(
            "Its controller says it is Programmed but reports no address: how clients reach it is up to the \
             implementation."
                .to_string(),
        ),
        AddressState::NotCreated => notes.push(
            "Read from a manifest: the address is assigned once the Gateway exists and its controller programs it."
                .to_string(),
        ),
    }
    for l in &g.listeners {
        let from = match l.allowed_routes.from {
            AllowedFrom::Same => format!(
                "from its own namespace `{}` only (from: Same, the default)",
                g.namespace
            ),
            AllowedFrom::All => "from every namespace (from: All)".to_string(),
            AllowedFrom::Selector => format!(
                "from namespaces labelled {} (from: Selector)",
                l.allowed_routes
                    .selector
                    .as_deref()
                    .unwrap_or("(no selector: none)")
            ),
        };
        let kinds = if l.allowed_routes.kinds.is_empty() {
            "routes its implementation supports".to_string()
        } else {
            l.allowed_routes.kinds_text(" and ")
        };
        let why_kinds = if l.allowed_routes.kinds_set {
            "as allowedRoutes.kinds lists"
        } else {
            "as its protocol implies"
        };
        notes.push(format!(
            "Listener {} admits {kinds}, {why_kinds}, {from}.",
            listener_label(&l.name, &l.protocol, l.port, l.hostname.as_deref())
        ));
        if let Some(counted) = l.status_attached_routes
            && usize::try_from(counted).ok() != Some(l.attached.len())
        {
            notes.push(format!(
                "Listener {}: its controller counts {counted} attached route{}, svcx finds {}: routes svcx was not \
                 given, or that the controller has not caught up with.",
                l.name,
                if counted == 1 { "" } else { "s" },
                l.attached.len()
            ));
        }
    }
    GatewayExplanation {
        gateway: g.clone(),
        routes: index
            .routes
            .iter()
            .filter(|r| r.parents.iter().any(|p| p.gateway_index == Some(g.index)))
            .cloned()
            .collect(),
        notes,
    }
}
