//! What clients outside the cluster reach, before the migration and after:
//! the ways in each Service opens by itself (load balancer, node ports,
//! externalIPs), those its pods open (hostPorts), those the migrated
//! Ingresses open, and the load balancers paid for.

use super::choose::Chosen;
use super::place::Placed;
use super::{Exposure, RouteLine, WayIn};
use crate::model::Snapshot;
use crate::model::routes::RouteIndex;
use crate::model::routing::IngressRouting;
use crate::model::routing::ingress::Fallback;
use crate::model::view::{Semantics, ServiceView};

/// The ways in before and after: the chosen Services' own and their pods'
/// before; after, the pods' still, those of the Services kept as they are
/// and of the Ingress controllers, and the Gateway's listener per route.
pub(super) fn exposure(
    snap: &Snapshot,
    sem: &Semantics,
    chosen: &Chosen,
    placed: &Placed,
    lines: &[RouteLine],
    gateway: &str,
) -> Exposure {
    let mut exposure = Exposure::default();
    for v in chosen.views.iter().chain(&chosen.controllers) {
        exposure.before.extend(service_entries(v));
        // Ports its pods publish on their nodes stay open after it.
        let hosts = host_port_entries(snap, v);
        exposure.before.extend(hosts.iter().cloned());
        exposure.after.extend(hosts);
    }
    for v in placed.kept.iter().copied().chain(&chosen.controllers) {
        exposure.after.extend(service_entries(v));
    }
    exposure.before.extend(ingress_entries(
        sem.ingress_routing(),
        &sem.routes,
        &chosen.ingress_indices(),
    ));
    for l in lines {
        exposure.after.push(WayIn {
            address: format!("{gateway}:{}", l.listener_port),
            host: l.hostname.clone(),
            backend: format!("{}:{}", l.service, l.port),
        });
    }
    exposure.before.sort();
    exposure.before.dedup();
    exposure.after.sort();
    exposure.after.dedup();
    exposure
}

/// The ways in a Service opens by itself, per port.
pub(super) fn service_entries(view: &ServiceView) -> Vec<WayIn> {
    let mut out = Vec::new();
    for (i, sp) in view.ports().iter().enumerate() {
        let backend = format!("{}:{}", view.full_name(), sp.port);
        if let Some(lb) = &view.load_balancer {
            let addresses: Vec<String> = lb
                .ingress
                .iter()
                .filter_map(|a| a.address().map(String::from))
                .collect();
            if addresses.is_empty() {
                out.push(WayIn {
                    address: format!("(load balancer, no address yet):{}", sp.port),
                    host: None,
                    backend: backend.clone(),
                });
            }
            for a in addresses {
                out.push(WayIn {
                    address: format!("{a}:{}", sp.port),
                    host: None,
                    backend: backend.clone(),
                });
            }
        }
        if let Some(np) = view.node_ports.as_ref().and_then(|n| n.of_port(i)) {
            out.push(WayIn {
                address: format!(
                    "NODE:{}",
                    np.map_or("(node port assigned at creation)".to_string(), |n| n
                        .to_string())
                ),
                host: None,
                backend: backend.clone(),
            });
        }
        for ip in &view.external_ips {
            out.push(WayIn {
                address: format!("{ip}:{}", sp.port),
                host: None,
                backend: backend.clone(),
            });
        }
    }
    out
}

/// The ways in a Service's pods open by themselves: `hostPort`s on the
/// ports it sends to, reached at their node's address (`model::host_ports`).
fn host_port_entries(snap: &Snapshot, view: &ServiceView) -> Vec<WayIn> {
    view.host_ports(snap)
        .into_iter()
        .map(|h| WayIn {
            address: format!(
                "{}:{} (hostPort)",
                h.node.unwrap_or_else(|| "NODE".into()),
                h.host_port
            ),
            host: None,
            backend: format!("{}/{}:{}", view.namespace, h.backend, h.container_port),
        })
        .collect()
}

/// The ways in the migrated Ingresses open, as their controllers serve
/// them: each location and canary of a chosen Ingress on its host, and each
/// default backend on the hosts it answers (`*`: the catch-all), on port 80
/// (unless the controller answers it there with a redirect to https, which
/// reaches no backend) and, where the host has a certificate, 443.
fn ingress_entries(routing: &IngressRouting, ix: &RouteIndex, chosen: &[usize]) -> Vec<WayIn> {
    use crate::model::routing::ingress::Tls;
    let mut out = Vec::new();
    for front in &routing.fronts {
        for server in &front.servers {
            let host = server.host.as_deref().unwrap_or("*");
            let mut ports = Vec::new();
            if front.http {
                ports.push(80);
            }
            if front.https && !matches!(server.tls, Tls::None) {
                ports.push(443);
            }
            // (Ingress, host and path, backend, http redirected to https).
            let mut reach: Vec<(usize, String, Option<&String>, bool)> = Vec::new();
            for l in &server.locations {
                let redirected = l.redirect_http == Some(true);
                reach.push((
                    l.ingress,
                    format!("{host}{}", l.path),
                    l.target.backend.as_ref(),
                    redirected,
                ));
                for c in &l.canaries {
                    reach.push((
                        c.ingress,
                        format!("{host}{}", l.path),
                        c.target.backend.as_ref(),
                        redirected,
                    ));
                }
            }
            if let Fallback::Backend {
                ingress, target, ..
            } = &server.fallback
            {
                reach.push((
                    *ingress,
                    host.to_string(),
                    target.backend.as_ref(),
                    server.fallback_redirect == Some(true),
                ));
            }
            for (i, at_host, backend, redirected) in reach {
                let (true, Some(backend)) = (chosen.contains(&i), backend) else {
                    continue;
                };
                let facts = &ix.ingresses[i];
                let at = if facts.addresses.is_empty() {
                    format!("Ingress {}/{} (no address)", facts.namespace, facts.name)
                } else {
                    facts.addresses.join(", ")
                };
                for port in ports.iter().filter(|&&p| !(redirected && p == 80)) {
                    out.push(WayIn {
                        address: format!("{at}:{port}"),
                        host: Some(at_host.clone()),
                        backend: backend.clone(),
                    });
                }
            }
        }
    }
    out
}

/// Distinct load balancers among the migrated Services: the model's groups
/// of Services that share one ([`crate::model::load_balancer::shared_groups`]).
pub(super) fn load_balancers(views: &[ServiceView]) -> usize {
    crate::model::load_balancer::shared_groups(views).len()
}

/// The cloud load balancers of the migrated Ingresses (GKE: one per
/// Ingress; ALB: one per IngressGroup), before and after: one whose
/// Ingresses are not all migrated stays.
pub(super) fn ingress_load_balancers(routing: &IngressRouting, chosen: &[usize]) -> (usize, usize) {
    let mut before = 0;
    let mut after = 0;
    for front in &routing.fronts {
        if !front.own_load_balancer() || !front.ingresses.iter().any(|i| chosen.contains(i)) {
            continue;
        }
        before += 1;
        if !front.ingresses.iter().all(|i| chosen.contains(i)) {
            after += 1;
        }
    }
    (before, after)
}
