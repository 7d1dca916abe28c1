//! An ExternalName Service's one fact worth a finding: whether its
//! `externalName` is a DNS name cluster DNS can publish a CNAME to (SVC114).
//! Such a Service has no ports, endpoints or exposure to judge.

use crate::model::finding::{Code, Finding};
use crate::model::view::{ExternalNameValidity, ServiceView};

/// SVC114: an `externalName` that is empty, an IP address, or no DNS name.
pub(crate) fn not_dns_name(
    v: &ServiceView,
    target: &str,
    validity: ExternalNameValidity,
    out: &mut Vec<Finding>,
) {
    let f =
        |code: Code, field: &str, message: String| Finding::new(code, v.located, field, message);
    match validity {
        ExternalNameValidity::DnsName => {}
        ExternalNameValidity::Empty => out.push(
            f(Code::ExternalNameNotDnsName, "spec.externalName", "type ExternalName without an externalName: DNS has nothing to answer".into())
                .hint("set spec.externalName to the DNS name clients should reach"),
        ),
        ExternalNameValidity::IpAddress => out.push(
            f(
                Code::ExternalNameNotDnsName,
                "spec.externalName",
                format!("externalName `{target}` is an IP address: cluster DNS publishes a CNAME to a name that does not resolve"),
            )
            .hint("use a DNS name; for a fixed IP, use a Service without selector and an EndpointSlice that lists the IP"),
        ),
        ExternalNameValidity::Invalid => out.push(
            f(
                Code::ExternalNameNotDnsName,
                "spec.externalName",
                format!("externalName `{target}` is not a DNS name: the API server rejects it"),
            )
            .hint("set a lowercase DNS name such as api.example.com"),
        ),
    }
}
