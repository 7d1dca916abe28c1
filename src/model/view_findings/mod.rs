//! The findings a Service's facts raise, computed with its [`ServiceView`],
//! one family per file: [`external_name`] (an ExternalName Service's target),
//! [`exposure`] (externalIPs, the deprecated loadBalancerIP),
//! [`load_balancer`] (its status), [`ports`] (numbers, node port range,
//! targetPort resolution, headless ports), [`backends`] (selector and
//! workloads: no backend at all), [`endpoints`] (readiness per port) and
//! [`locality`] (traffic policies that depend on where endpoints run).
//! Network policies' findings are [`crate::model::policy`]'s.
//!
//! Each finding names its field, so it points at the line that caused it.
//! Which finding fires, and how severe it is, is decided here only; explain,
//! trace and lint show them. Each rule these raise names its function
//! (`raised_in` in its file under `src/rules/`).

pub(crate) mod backends;
pub(crate) mod endpoints;
pub(crate) mod exposure;
pub(crate) mod external_name;
pub(crate) mod load_balancer;
pub(crate) mod locality;
pub(crate) mod ports;

use super::finding::Finding;
use super::view::{Semantics, ServiceView};

/// Every finding of one Service, in the order explain and trace list them.
pub(super) fn findings(sem: &Semantics, v: &ServiceView) -> Vec<Finding> {
    let mut out = Vec::new();
    ports::invalid_numbers(v, &mut out);
    if let Some((target, validity)) = &v.external_name {
        external_name::not_dns_name(v, target, *validity, &mut out);
        return out;
    }
    exposure::external_ips(v, &mut out);
    exposure::load_balancer_ip_deprecated(v, &mut out);
    ports::outside_default_range(v, &mut out);
    if let Some(lb) = &v.load_balancer {
        load_balancer::pending(v, lb, &mut out);
        load_balancer::requested_ip_not_honoured(v, lb, &mut out);
    }
    backend_findings(sem, v, &mut out);
    out.extend(super::policy::service_findings(v));
    out
}

/// Selector, endpoints and traffic-policy findings: why there is no backend
/// at all, or, per port, how its targetPort resolves and whether its
/// endpoints receive; then where they run.
fn backend_findings(sem: &Semantics, v: &ServiceView, out: &mut Vec<Finding>) {
    // Its endpoints are a placeholder nothing is sent to.
    if super::cilium::is_ingress_service(&v.located.object) {
        return;
    }
    backends::scaled_to_zero(v, out);
    if v.backends.items.is_empty() {
        if v.backends.scaled_to_zero.is_empty() {
            match v.selector {
                None => backends::selectorless(sem, v, out),
                Some(selector) => out.push(backends::empty_selector(sem, v, selector)),
            }
        }
        return;
    }
    for i in 0..v.ports().len() {
        let Some(pe) = v.port_endpoints(i) else {
            continue;
        };
        ports::target_port(v, i, out);
        if pe.counts.total > 0 {
            endpoints::readiness(v, i, out);
            ports::headless_port(v, i, out);
        }
    }
    locality::external_local(sem, v, out);
    locality::internal_local(sem, v, out);
    locality::on_not_ready_nodes(sem, v, out);
}
