//! Port findings: numbers the API server refuses (SVC210), nodePorts outside
//! the default range (SVC206), how each targetPort resolves on the backends
//! (SVC201-SVC204), and a headless Service's ports that clients cannot see
//! (SVC208).

use crate::model::finding::{Code, Finding, Severity};
use crate::model::ports::{TargetStatus, is_port_number};
use crate::model::view::{
    NODE_PORT_RANGE, ServiceView, Shape, names_list, partial, unresolved_code,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// SVC210: port numbers the API server refuses: `port`, a numeric `targetPort` (0 is
/// defaulted to `port` before validation) and a set `nodePort`, each checked
/// by `IsValidPortNum` in `validateServicePort` and `ValidateService`
/// (pkg/apis/core/validation/validation.go).
pub(crate) fn invalid_numbers(v: &ServiceView, out: &mut Vec<Finding>) {
    for (i, p) in v.spec.ports.iter().flatten().enumerate() {
        let target = match p.target_port {
            Some(IntOrString::Int(n)) if n != 0 => Some(n),
            _ => None,
        };
        let fields = [
            ("port", Some(p.port)),
            ("targetPort", target),
            ("nodePort", p.node_port),
        ];
        for (field, n) in fields {
            if let Some(n) = n.filter(|&n| !is_port_number(n)) {
                out.push(
                    Finding::new(
                        Code::InvalidPortNumber,
                        v.located,
                        &format!("spec.ports[{i}].{field}"),
                        format!("{field} {n} is not a port number (1-65535): the API server rejects this Service"),
                    )
                    .hint("use a number from 1 to 65535")
                    .port(i),
                );
            }
        }
    }
}

/// SVC206: nodePorts outside the default range; one that is no port number at all
/// is [`invalid_numbers`]' finding.
pub(crate) fn outside_default_range(v: &ServiceView, out: &mut Vec<Finding>) {
    let Some(np) = &v.node_ports else { return };
    for &(i, port) in &np.ports {
        if let Some(p) = port
            .filter(|&p| is_port_number(p) && !(NODE_PORT_RANGE.0..=NODE_PORT_RANGE.1).contains(&p))
        {
            out.push(
                Finding::new(
                    Code::NodePortOutsideDefaultRange,
                    v.located,
                    &format!("spec.ports[{i}].nodePort"),
                    format!(
                        "nodePort {p} is outside the default range {}-{}: the API server must run with a --service-node-port-range that includes it",
                        NODE_PORT_RANGE.0, NODE_PORT_RANGE.1
                    ),
                )
                .port(i),
            );
        }
    }
}

/// How port `i`'s targetPort resolves on its backends: backends that get no
/// endpoint for it, by why (SVC201 unresolved name, SVC203 declared with
/// another protocol, SVC204 no such EndpointSlice port), and backends that
/// do but declare no such port (SVC202) or declare it with another protocol
/// (SVC203, a warning).
pub(crate) fn target_port(v: &ServiceView, i: usize, out: &mut Vec<Finding>) {
    let Some(pe) = v.port_endpoints(i) else {
        return;
    };
    let b = &v.backends;
    let label = crate::model::endpoints::service_port_label(&v.ports()[i]);
    let tp = v.target_label(i);
    let c = pe.counts;
    let field_tp = format!("spec.ports[{i}].targetPort");
    let add = |out: &mut Vec<Finding>, f: Finding| out.push(f.port(i));
    // Backends that get no endpoint for this port, grouped by why.
    let mut groups: BTreeMap<Code, Vec<String>> = BTreeMap::new();
    for &k in &pe.unresolved {
        let status = &b.items[k].ports[i].resolution.status;
        groups
            .entry(unresolved_code(status))
            .or_default()
            .push(b.items[k].label());
    }
    for (code, who) in groups {
        let (field, message, hint) = match code {
            Code::SlicePortMissing => (
                format!("spec.ports[{i}].name"),
                if pe.slice_port_missing {
                    format!("no EndpointSlice of this Service has a port named `{}`: port {label} has no endpoints", v.ports()[i].name.as_deref().unwrap_or(""))
                } else {
                    format!("the EndpointSlice of {} has no port `{label}`: {} no endpoint for it", names_list(&who), if who.len() == 1 { "it gets" } else { "they get" })
                },
                "EndpointSlice ports match Service ports by name; the slice's writer must use the Service port's name".to_string(),
            ),
            Code::ProtocolMismatch => (
                field_tp.clone(),
                format!("targetPort `{tp}` is declared with another protocol than {} on {}: no endpoint for port {label} there", v.protocol(i), names_list(&who)),
                format!("declare the container port with protocol {}, or change the Service port's protocol", v.protocol(i)),
            ),
            _ => (
                field_tp.clone(),
                if c.total == 0 {
                    if who.len() == 1 {
                        format!("targetPort `{tp}` does not resolve on its only backend, {}: port {label} has no endpoints", who[0])
                    } else {
                        format!("targetPort `{tp}` resolves on none of its {} backends: port {label} has no endpoints", who.len())
                    }
                } else {
                    format!("targetPort `{tp}` does not resolve on {}: {} no endpoint for port {label}", names_list(&who), if who.len() == 1 { "it gets" } else { "they get" })
                },
                format!("name a container port `{tp}` (with protocol {}) in every selected pod, or use a number", v.protocol(i)),
            ),
        };
        add(
            out,
            Finding::new(code, v.located, &field, message)
                .severity(partial(c.total))
                .hint(hint),
        );
    }
    // Resolved, but worth knowing: undeclared numbers and protocol mismatches.
    let mut undeclared = Vec::new();
    let mut mismatched = Vec::new();
    for &k in &pe.members {
        match &b.items[k].ports[i].resolution.status {
            TargetStatus::Undeclared => undeclared.push(b.items[k].label()),
            TargetStatus::ProtocolMismatch { declared } => {
                mismatched.push(format!("{} ({declared})", b.items[k].label()))
            }
            _ => {}
        }
    }
    if !undeclared.is_empty() {
        add(
            out,
            Finding::new(
                Code::TargetPortNotDeclared,
                v.located,
                &field_tp,
                format!("no container of {} declares port {tp}: traffic is still sent there", names_list(&undeclared)),
            )
            .hint("declaring containerPort is optional for numeric targetPorts; check that the app listens on it"),
        );
    }
    if !mismatched.is_empty() {
        add(
            out,
            Finding::new(
                Code::ProtocolMismatch,
                v.located,
                &field_tp,
                format!("port {tp} is declared with another protocol than {} on {}: {} packets are still sent there", v.protocol(i), names_list(&mismatched), v.protocol(i)),
            )
            .severity(Severity::Warning)
            .hint("check that the app listens on that protocol, and fix the declaration"),
        );
    }
}

/// SVC208: on a headless Service, backends whose targetPort differs from
/// the port clients read from DNS (which gives pod IPs, not ports).
pub(crate) fn headless_port(v: &ServiceView, i: usize, out: &mut Vec<Finding>) {
    let Some(pe) = v.port_endpoints(i) else {
        return;
    };
    let b = &v.backends;
    let field_tp = format!("spec.ports[{i}].targetPort");
    if v.shape == Shape::Headless {
        let differs: Vec<String> = pe
            .members
            .iter()
            .filter(|&&k| {
                b.items[k].ports[i]
                    .resolution
                    .port
                    .is_some_and(|p| p != v.ports()[i].port)
            })
            .map(|&k| b.items[k].label())
            .collect();
        if !differs.is_empty() {
            out.push(
                Finding::new(
                    Code::HeadlessPortDiffers,
                    v.located,
                    &field_tp,
                    format!("headless: DNS gives clients pod IPs, not ports; clients using port {} reach {} on a port they do not receive on", v.ports()[i].port, names_list(&differs)),
                )
                .hint("make port equal targetPort, or have clients read the port from the SRV record")
                .port(i),
            );
        }
    }
}
