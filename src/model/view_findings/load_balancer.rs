//! What a LoadBalancer Service's status says about its load balancer: not
//! provisioned yet (SVC112), or provisioned on another address than the one
//! `spec.loadBalancerIP` asked for (SVC113). Whether it is pending, and whether
//! the request was honoured, are the view's facts ([`LoadBalancerFacts`]).

use crate::model::finding::{Code, Finding};
use crate::model::view::{LoadBalancerFacts, LoadBalancerStatus, ServiceView};

/// SVC112: no load balancer yet, with a hint for whoever should provision it.
pub(crate) fn pending(v: &ServiceView, lb: &LoadBalancerFacts, out: &mut Vec<Finding>) {
    if lb.status != LoadBalancerStatus::Pending {
        return;
    }
    out.push(
        Finding::new(
            Code::LoadBalancerPending,
            v.located,
            "status.loadBalancer",
            "no load balancer yet: status.loadBalancer.ingress is empty (kubectl shows <pending>)",
        )
        .hint(match (&lb.implementation.provider, &lb.class) {
            (Some(p), _) => format!(
                "check that {} runs and has addresses to give (the Service is written for it: {})",
                p.value.name(),
                p.by.as_deref().unwrap_or_default()
            ),
            (None, Some(c)) => format!("check that the controller for loadBalancerClass `{c}` runs and has addresses to give"),
            (None, None) => "on bare metal or kind no cloud controller provisions it: install MetalLB (or kube-vip, cloud-provider-kind), or use the node ports".into(),
        }),
    );
}

/// SVC113: the load balancer got another address than the one requested.
pub(crate) fn requested_ip_not_honoured(
    v: &ServiceView,
    lb: &LoadBalancerFacts,
    out: &mut Vec<Finding>,
) {
    let (Some(want), Some(false)) = (&lb.requested_ip, lb.requested_honoured) else {
        return;
    };
    let got: Vec<&str> = lb.ingress.iter().filter_map(|i| i.address()).collect();
    out.push(
        Finding::new(
            Code::LoadBalancerIpNotHonoured,
            v.located,
            "spec.loadBalancerIP",
            format!("spec.loadBalancerIP asks for `{want}`, but the load balancer got {}", got.join(", ")),
        )
        .hint("clients must use the address in status; most providers now take the address from an annotation or Gateway spec.addresses"),
    );
}
