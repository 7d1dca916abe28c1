//! Whether a port's endpoints receive traffic: the readiness of the
//! endpoints kube-proxy (or DNS, for a headless Service) hands out, per
//! Service port. Who receives is the model's fact ([`Receivers`]); these are
//! the findings it raises.

use crate::model::endpoints::{EndpointState, Receivers, service_port_label};
use crate::model::finding::{Code, Finding};
use crate::model::view::{ServiceView, Shape, names_list};

/// Readiness of the endpoints of port `i`: none ready (SVC104), only
/// serving-and-terminating ones, which kube-proxy falls back to (SVC106),
/// or some not ready, or published before they are (SVC105).
pub(crate) fn readiness(v: &ServiceView, i: usize, out: &mut Vec<Finding>) {
    let label = service_port_label(&v.ports()[i]);
    let pe = &v.backends.ports[i];
    let b = &v.backends;
    let c = pe.counts;
    let names = |want: &[EndpointState]| -> Vec<String> {
        pe.members
            .iter()
            .filter(|&&k| want.contains(&b.items[k].state))
            .map(|&k| b.items[k].label())
            .collect()
    };
    let field = format!("spec.ports[{i}]");
    let on = if v.ports().len() > 1 {
        format!(" of port {label}")
    } else {
        String::new()
    };
    match pe.receivers {
        Receivers::Nobody => out.push(
            Finding::new(
                Code::NoReadyEndpoints,
                v.located,
                &field,
                format!("no endpoint{on} is ready ({}): connections fail", states_text(&names(&[EndpointState::NotReady]), &names(&[EndpointState::Terminating]))),
            )
            .port(i)
            .hint(if c.not_ready > 0 {
                "see why with `kubectl describe pod` on them; traffic resumes when a readiness probe passes".to_string()
            } else {
                "its endpoints are shutting down; a rollout or scale-up brings new ones".to_string()
            }),
        ),
        Receivers::TerminatingFallback => out.push(
            Finding::new(
                Code::OnlyTerminatingEndpoints,
                v.located,
                &field,
                format!("no endpoint{on} is ready; {} terminating but still serving, so kube-proxy sends traffic there until they exit", names_list(&names(&[EndpointState::ServingTerminating]))),
            )
            .port(i)
            .hint("new pods must become ready before these finish terminating"),
        ),
        Receivers::Ready => {
            let idle = names(&[EndpointState::NotReady, EndpointState::Terminating, EndpointState::ServingTerminating]);
            if !idle.is_empty() {
                out.push(
                    Finding::new(
                        Code::EndpointsNotReady,
                        v.located,
                        &field,
                        format!("{} of {} endpoints{on} ready; no traffic to {}", c.ready + c.published, c.total, names_list(&idle)),
                    )
                    .port(i),
                );
            }
            let published = names(&[EndpointState::Published]);
            if !published.is_empty() && v.shape == Shape::Headless {
                out.push(
                    Finding::new(
                        Code::EndpointsNotReady,
                        v.located,
                        "spec.publishNotReadyAddresses",
                        format!("publishNotReadyAddresses: DNS lists {}{on}, which {} not ready, so clients may connect before it serves", names_list(&published), if published.len() == 1 { "is" } else { "are" }),
                    )
                    .port(i)
                    .hint("intended for StatefulSet peers that must find each other while starting; clients should retry"),
                );
            } else if !published.is_empty() {
                out.push(
                    Finding::new(
                        Code::EndpointsNotReady,
                        v.located,
                        "spec.publishNotReadyAddresses",
                        format!("publishNotReadyAddresses: kube-proxy sends traffic{on} to {}, which {} not ready", names_list(&published), if published.len() == 1 { "is" } else { "are" }),
                    )
                    .port(i)
                    .hint("publishNotReadyAddresses is meant for headless Services whose peers must find each other; remove it here"),
                );
            }
        }
        Receivers::Unknown => {}
    }
}

fn states_text(not_ready: &[String], terminating: &[String]) -> String {
    let mut parts = Vec::new();
    if !not_ready.is_empty() {
        parts.push(format!("not ready: {}", names_list(not_ready)));
    }
    if !terminating.is_empty() {
        parts.push(format!("terminating: {}", names_list(terminating)));
    }
    parts.join("; ")
}
