//! Network policies and the move: behind the Gateway, a backend's traffic
//! comes from the Gateway's proxy pods, not from its old clients, so a
//! backend whose policies admit only its own namespace (or the old Ingress
//! controller's) stops answering once its routes are accepted. For each
//! Service the written routes send to, the model says whether its policies
//! admit the proxies ([`Policies::gateway_admits`](crate::model::policy::Policies::gateway_admits)); where they do not, a
//! note says so, and with `--allow-gateway-proxies` the NetworkPolicy that
//! admits exactly the proxies on its pod ports is written
//! ([`admitting_policy`]).

use super::{Emitted, Manifest, Note, NoteCode};
use crate::model::policy::{Admission, Placement, admitting_policy};
use crate::model::view::{Semantics, names_list};
use std::collections::BTreeSet;

/// The notes, and (with `write`) the NetworkPolicies, for the backends of
/// the routes in `objects`, behind the Gateway `namespace/name`.
pub(super) fn proxies(
    sem: &Semantics,
    objects: &[Emitted],
    gateway: (&str, &str, &str),
    write: bool,
    notes: &mut Vec<Note>,
) -> Vec<Emitted> {
    let Some(policies) = &sem.policies else {
        return Vec::new();
    };
    let (namespace, name, class) = gateway;
    // Where the class's implementation runs the proxies: the written
    // policy and the answers follow it.
    let placement = Placement::of_class(sem.snap, class);
    // The proxies as a source, once for every backend.
    let way = policies.gateway_way(namespace, name, placement);
    let mut out = Vec::new();
    for i in backends(sem, objects) {
        let v = sem.view(i);
        let answers = policies.gateway_admits(&v, &way);
        let closed: Vec<(usize, &crate::model::policy::PortAdmissions)> = answers
            .ports
            .iter()
            .enumerate()
            .filter(|(_, p)| p.dropped + p.depends > 0)
            .collect();
        let Some((_, first)) = closed.first() else {
            continue;
        };
        let why = first
            .first_not(Admission::Admitted)
            .map(|(_, d)| d.reason.clone())
            .unwrap_or_default();
        let ports: Vec<String> = closed.iter().map(|(_, p)| p.port.clone()).collect();
        let written = if write {
            admitting_policy(&v, namespace, name, placement)
        } else {
            None
        };
        let instead = match (&written, v.selector, placement) {
            (_, _, Placement::NotPods(why) | Placement::Identity(why)) => format!(
                "{why}: admit them as their implementation documents, in the policies of {}",
                v.full_name()
            ),
            // The class was not read: the policy names the proxies by the
            // GEP-1762 label in the Gateway's namespace, which not every
            // implementation gives them there.
            (Some(np), _, Placement::Unknown) => format!(
                "apply the NetworkPolicy {}/{} written with the routes: it admits pods labelled \
                 gateway.networking.k8s.io/gateway-name={name} in namespace {namespace}, which are the proxies only \
                 where the class's implementation runs them there with that label (Envoy Gateway, by default, \
                 does not); {}",
                v.namespace,
                np.metadata.name.as_deref().unwrap_or_default(),
                match sem.snap.class_controller(class) {
                    None => format!(
                        "the GatewayClass {class} was not read, so check, or give it in the input"
                    ),
                    Some(_) => format!(
                        "GatewayClass {class} names an EnvoyProxy that is not in the input, or that merges its \
                         Gateways or patches their proxies' Deployment, so check where they run and how they are \
                         labelled"
                    ),
                }
            ),
            (Some(np), _, _) => format!(
                "apply the NetworkPolicy {}/{} written with the routes: it admits the proxies on the pods' ports",
                v.namespace,
                np.metadata.name.as_deref().unwrap_or_default()
            ),
            (None, Some(_), Placement::Addresses(ranges)) => format!(
                "admit the load balancer's source ranges {} by ipBlock on the pods' ports \
                 (--allow-gateway-proxies writes that NetworkPolicy)",
                ranges.join(", ")
            ),
            (None, Some(_), Placement::EnvoyGateway) => format!(
                "admit pods labelled gateway.networking.k8s.io/gateway-name={name} in namespace {namespace}, and pods \
                 labelled gateway.envoyproxy.io/owning-gateway-name={name} and \
                 gateway.envoyproxy.io/owning-gateway-namespace={namespace} in Envoy Gateway's own namespace (where \
                 it runs them by default), on the pods' ports (--allow-gateway-proxies writes that NetworkPolicy)"
            ),
            (None, Some(_), _) => format!(
                "admit pods labelled gateway.networking.k8s.io/gateway-name={name} in namespace {namespace} on \
                 the pods' ports (--allow-gateway-proxies writes that NetworkPolicy)"
            ),
            (None, None, _) => {
                "it has no selector, so no policy can name its pods: admit the proxies in the \
                             policies of the addresses it sends to"
                    .to_string()
            }
        };
        notes.push(Note {
            code: NoteCode::ProxiesNotAdmitted,
            object: format!("Service {}", v.full_name()),
            port: (ports.len() == 1).then(|| ports[0].clone()),
            message: format!(
                "its network policies do not admit the proxies of Gateway {namespace}/{name} on port(s) {} (SVC521): \
                 behind the Gateway they are the source of its traffic; {why}",
                names_list(&ports)
            ),
            instead,
        });
        if let Some(np) = written {
            out.push(Emitted {
                api_version: "networking.k8s.io/v1".to_string(),
                object: Manifest::NetworkPolicy(Box::new(np)),
            });
        }
    }
    out
}

/// The Services the written routes send to, by position.
fn backends(sem: &Semantics, objects: &[Emitted]) -> BTreeSet<usize> {
    let mut out = BTreeSet::new();
    for o in objects {
        let v = o.to_value();
        if !v["kind"].as_str().is_some_and(|k| k.ends_with("Route")) {
            continue;
        }
        let route_ns = v["metadata"]["namespace"].as_str().unwrap_or_default();
        let refs = v["spec"]["rules"]
            .as_array()
            .into_iter()
            .flatten()
            .flat_map(|r| r["backendRefs"].as_array().cloned().unwrap_or_default());
        for b in refs {
            if b["kind"].as_str().is_some_and(|k| k != "Service") {
                continue;
            }
            let ns = b["namespace"].as_str().unwrap_or(route_ns);
            if let Some(name) = b["name"].as_str()
                && let Some(i) = sem.snap.service_position(ns, name)
            {
                out.insert(i);
            }
        }
    }
    out
}
