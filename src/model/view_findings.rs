//! The findings a Service's facts raise, computed with its [`ServiceView`]:
//! reachability (selector, endpoints, traffic policies, load balancer), ports,
//! and exposure. Each finding names its field, so it points at the line that
//! caused it. Which finding fires, and how severe it is, is decided here
//! only; explain and trace show them.

use super::endpoints::{BackendSource, EndpointState, Receivers};
use super::finding::{Code, Finding, Severity};
use super::locality::LocalReceivers;
use super::ports::{TargetStatus, is_port_number};
use super::selector::format_selector;
use super::view::{
    ExternalNameValidity, LoadBalancerStatus, NODE_PORT_RANGE, Semantics, ServiceView, Shape,
    names_list, partial, source_is_cluster, unresolved_code,
};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use std::collections::BTreeMap;

/// Every finding of one Service.
pub(super) fn findings(sem: &Semantics, v: &ServiceView) -> Vec<Finding> {
    let mut out = Vec::new();
    let f =
        |code: Code, field: &str, message: String| Finding::new(code, v.located, field, message);
    port_numbers(v, &mut out);
    if let Some((target, validity)) = &v.external_name {
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
        return out;
    }
    exposure(v, &mut out);
    node_port_range(v, &mut out);
    if let Some(lb) = &v.load_balancer {
        if lb.status == LoadBalancerStatus::Pending {
            out.push(
                f(
                    Code::LoadBalancerPending,
                    "status.loadBalancer",
                    "no load balancer yet: status.loadBalancer.ingress is empty (kubectl shows <pending>)".into(),
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
        if let (Some(want), Some(false)) = (&lb.requested_ip, lb.requested_honoured) {
            let got: Vec<&str> = lb.ingress.iter().filter_map(|i| i.address()).collect();
            out.push(
                f(
                    Code::LoadBalancerIpNotHonoured,
                    "spec.loadBalancerIP",
                    format!("spec.loadBalancerIP asks for `{want}`, but the load balancer got {}", got.join(", ")),
                )
                .hint("clients must use the address in status; most providers now take the address from an annotation or Gateway spec.addresses"),
            );
        }
    }
    endpoints(sem, v, &mut out);
    out.extend(super::policy::service_findings(v));
    out
}

/// Exposure facts: externalIPs and the deprecated loadBalancerIP.
fn exposure(v: &ServiceView, out: &mut Vec<Finding>) {
    if !v.external_ips.is_empty() {
        out.push(
            Finding::new(
                Code::ExternalIpsSet,
                v.located,
                "spec.externalIPs",
                format!(
                    "externalIPs `{}` make this Service reachable from outside on those addresses",
                    v.external_ips.join(", ")
                ),
            )
            .hint("anyone who may create Services can capture any address this way (CVE-2020-8554); externalIPs are deprecated since Kubernetes 1.36: expose it through a Gateway instead"),
        );
    } else if let Some(written) = v.spec.external_ips.as_ref().filter(|ips| !ips.is_empty()) {
        // On a headless Service, which kube-proxy skips: they open nothing.
        let message = format!(
            "externalIPs `{}` open nothing: kube-proxy does not proxy a headless Service",
            written.join(", ")
        );
        out.push(Finding::new(Code::ExternalIpsSet, v.located, "spec.externalIPs", message).severity(Severity::Info)
            .hint("remove them: no node answers for these addresses (and externalIPs are deprecated since Kubernetes 1.36)"));
    }
    if let Some(ip) = v
        .load_balancer
        .as_ref()
        .and_then(|lb| lb.requested_ip.as_ref())
    {
        out.push(
            Finding::new(
                Code::LoadBalancerIpDeprecated,
                v.located,
                "spec.loadBalancerIP",
                format!("spec.loadBalancerIP `{ip}` is deprecated since Kubernetes 1.24 and its meaning is up to each provider"),
            )
            .hint("use the provider's annotation for a static address, or Gateway spec.addresses"),
        );
    }
}

/// Port numbers the API server refuses: `port`, a numeric `targetPort` (0 is
/// defaulted to `port` before validation) and a set `nodePort`, each checked
/// by `IsValidPortNum` in `validateServicePort` and `ValidateService`
/// (pkg/apis/core/validation/validation.go).
fn port_numbers(v: &ServiceView, out: &mut Vec<Finding>) {
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

/// nodePorts outside the default range; one that is no port number at all
/// is [`port_numbers`]' finding.
fn node_port_range(v: &ServiceView, out: &mut Vec<Finding>) {
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

/// Selector, endpoints and traffic-policy findings.
fn endpoints(sem: &Semantics, v: &ServiceView, out: &mut Vec<Finding>) {
    let snap = sem.snap;
    let b = &v.backends;
    let f =
        |code: Code, field: &str, message: String| Finding::new(code, v.located, field, message);
    if !b.scaled_to_zero.is_empty() {
        let sev = if b.items.is_empty() {
            Severity::Error
        } else {
            Severity::Info
        };
        out.push(
            f(
                Code::WorkloadScaledToZero,
                "spec.selector",
                format!(
                    "{} {} `replicas: 0`: no pods to send to",
                    names_list(&b.scaled_to_zero),
                    if b.scaled_to_zero.len() == 1 {
                        "asks for"
                    } else {
                        "ask for"
                    }
                ),
            )
            .severity(sev)
            .hint("scale it up, or point the selector at the workload that runs"),
        );
    }
    if b.items.is_empty() {
        if !b.scaled_to_zero.is_empty() {
            return;
        }
        match v.selector {
            None if matches!(
                b.source,
                BackendSource::None
                    | BackendSource::EndpointSlices
                    | BackendSource::MirroredEndpoints
            ) =>
            {
                let cluster = source_is_cluster(snap) || snap.endpoint_slices_known;
                // Slices that list no endpoint (written empty, to be filled
                // later by hand or by another controller) are not "no slice".
                let (message, hint) = if b.source == BackendSource::EndpointSlices {
                    (
                        "no selector, and its EndpointSlices list no endpoint: it has none",
                        "list the backends' addresses in its EndpointSlices, or give it a selector",
                    )
                } else if b.source == BackendSource::MirroredEndpoints {
                    (
                        "no selector, and its Endpoints list no IP address: it has none",
                        "list the backends' IP addresses in its Endpoints (or EndpointSlices), or give it a selector",
                    )
                } else {
                    (
                        "no selector and no EndpointSlice: Kubernetes writes no endpoints for it, so it has none",
                        "write EndpointSlices labelled kubernetes.io/service-name for it (or an Endpoints object of its name, which Kubernetes mirrors into one), or give it a selector",
                    )
                };
                // A slice labelled for a near name was probably meant for it.
                let near = (b.source == BackendSource::None)
                    .then(|| near_slice_label(snap, &v.namespace, &v.name))
                    .flatten();
                let hint = match &near {
                    Some(other) => format!(
                        "an EndpointSlice in `{}` is labelled {label}={other}: if it is meant for this Service, label it {label}={} (a slice belongs to the Service its label names)",
                        v.namespace,
                        v.name,
                        label = super::index::SERVICE_NAME_LABEL,
                    ),
                    None => hint.to_string(),
                };
                out.push(
                    f(Code::SelectorlessWithoutEndpoints, "spec", message.into())
                        .severity(if cluster {
                            Severity::Error
                        } else {
                            Severity::Warning
                        })
                        .hint(hint),
                );
            }
            None => {}
            Some(selector) => out.push(empty_selector(sem, v, selector)),
        }
        return;
    }
    for (i, _) in v.ports().iter().enumerate() {
        port_findings(v, i, out);
    }
    locality(sem, v, out);
}

/// Why a Service with a selector has no backend at all.
fn empty_selector(
    sem: &Semantics,
    v: &ServiceView,
    selector: &BTreeMap<String, String>,
) -> Finding {
    let snap = sem.snap;
    let sel = format_selector(selector);
    let ns = &v.namespace;
    let field = "spec.selector";
    let pods_read =
        v.backends.source != BackendSource::None || snap.pods_known || snap.has_pods_in(ns);
    if !v.backends.excluded.is_empty() {
        let names: Vec<String> = v
            .backends
            .excluded
            .iter()
            .map(|e| format!("{} ({})", e.pod, e.why))
            .collect();
        return Finding::new(
            Code::NoReadyEndpoints,
            v.located,
            field,
            format!("the pods `{sel}` matches are no endpoints: {}", names_list(&names)),
        )
        .hint("pods that finished or have no IP yet never receive traffic; see them with `kubectl get pods -l ...`");
    }
    if pods_read {
        let hint = snap.pod_selector_hint(ns, selector);
        return Finding::new(
            Code::SelectorMatchesNoPods,
            v.located,
            field,
            format!("selector `{sel}` matches no pods in namespace `{ns}`"),
        )
        .hint(match hint {
            Some(h) => format!(
                "{} {} `{}`; did you mean that? ({})",
                plural(h.matches, "pod", "pods"),
                if h.matches == 1 { "carries" } else { "carry" },
                format_selector(&h.selector),
                h.changes_text()
            ),
            None => {
                format!("compare with the pods' labels: `kubectl get pods -n {ns} --show-labels`")
            }
        });
    }
    // An operator creates pods from custom resources svcx does not read
    // (a Prometheus from `Prometheus` objects): with such objects in the
    // namespace, a near miss on the workloads read is no proof of a typo.
    let custom = snap.stats.custom.get(ns).filter(|c| !c.is_empty());
    match snap.workload_selector_hint(ns, selector) {
        Some(h) if custom.is_none() => Finding::new(
            Code::SelectorMatchesNoPods,
            v.located,
            field,
            format!("selector `{sel}` matches no pod template in namespace `{ns}`"),
        )
        .hint(format!(
            "{} {} `{}`; did you mean that? ({})",
            plural(h.matches, "workload", "workloads"),
            if h.matches == 1 { "carries" } else { "carry" },
            format_selector(&h.selector),
            h.changes_text()
        )),
        _ => match custom {
            Some(kinds) => Finding::new(
                Code::BackendsNotInInput,
                v.located,
                field,
                format!(
                    "no pod template in the input carries `{sel}`; its pods may be created from {} in namespace `{ns}`, which svcx does not read",
                    names_list(&kinds.iter().collect::<Vec<_>>())
                ),
            )
            .hint("an operator creates pods from these custom resources; check their pod labels, or run against a live cluster"),
            None => Finding::new(
                Code::BackendsNotInInput,
                v.located,
                field,
                format!(
                    "no pod or workload in the input carries `{sel}`; its pods may be created elsewhere"
                ),
            )
            .hint("include the workloads that create its pods, or run against a live cluster"),
        },
    }
}

/// The Service name an EndpointSlice of `namespace` is labelled with that is
/// nearest to `name` (a typo: `web-svc` for `web`), if one is near.
fn near_slice_label(snap: &super::Snapshot, namespace: &str, name: &str) -> Option<String> {
    snap.slice_service_names(namespace)
        .into_iter()
        .filter(|other| *other != name)
        .map(|other| (super::lookup::edit_distance(name, other), other))
        .filter(|(d, other)| {
            *d <= 2
                || other.starts_with(&format!("{name}-"))
                || name.starts_with(&format!("{other}-"))
        })
        .min()
        .map(|(_, other)| other.to_string())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Findings about the endpoint set of port `i`.
fn port_findings(v: &ServiceView, i: usize, out: &mut Vec<Finding>) {
    let Some(pe) = v.port_endpoints(i) else {
        return;
    };
    let b = &v.backends;
    let label = super::endpoints::service_port_label(&v.ports()[i]);
    let tp = v.target_label(i);
    let c = pe.counts;
    let field_tp = format!("spec.ports[{i}].targetPort");
    let add = |out: &mut Vec<Finding>, f: Finding| out.push(f.port(i));
    // Backends that get no endpoint for this port, grouped by why.
    let mut groups: BTreeMap<super::finding::Code, Vec<String>> = BTreeMap::new();
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
    if c.total == 0 {
        return;
    }
    readiness(v, i, &label, out);
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
            add(
                out,
                Finding::new(
                    Code::HeadlessPortDiffers,
                    v.located,
                    &field_tp,
                    format!("headless: DNS gives clients pod IPs, not ports; clients using port {} reach {} on a port they do not receive on", v.ports()[i].port, names_list(&differs)),
                )
                .hint("make port equal targetPort, or have clients read the port from the SRV record"),
            );
        }
    }
}

/// Readiness of the endpoints of port `i`.
fn readiness(v: &ServiceView, i: usize, label: &str, out: &mut Vec<Finding>) {
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

/// One locality problem per Service when every affected port has the same
/// nodes (the usual case: a pod serves all its ports), else one per port.
fn per_service_or_port<S: AsRef<str> + PartialEq>(
    v: &ServiceView,
    per_port: Vec<(usize, Vec<S>)>,
    make: impl Fn(&[S], &str) -> Finding,
    out: &mut Vec<Finding>,
) {
    let all_same = per_port.windows(2).all(|w| w[0].1 == w[1].1);
    if all_same && per_port.len() == v.ports().len() {
        if let Some((_, names)) = per_port.first() {
            out.push(make(names, ""));
        }
        return;
    }
    for (i, names) in per_port {
        let label = super::endpoints::service_port_label(&v.ports()[i]);
        out.push(make(&names, &format!(" for port {label}")).port(i));
    }
}

/// Traffic policies that depend on where endpoints run, and endpoints on
/// NotReady nodes.
fn locality(sem: &Semantics, v: &ServiceView, out: &mut Vec<Finding>) {
    let nodes = &sem.nodes;
    let serving: Vec<usize> = (0..v.ports().len())
        .filter(|&i| {
            let pe = &v.backends.ports[i];
            pe.local_known && pe.counts.ready + pe.counts.published > 0
        })
        .collect();
    let external = v.external_local && (v.node_ports.is_some() || v.load_balancer.is_some());
    if external {
        let mut none = Vec::new();
        let mut some = Vec::new();
        for &i in &serving {
            let healthy = v.healthy_nodes(nodes, i).unwrap_or_default();
            if healthy.is_empty() {
                let pe = &v.backends.ports[i];
                let why = if pe.unplaced_ready > 0 {
                    "its ready endpoints name no node (no nodeName), so they are local to none"
                } else {
                    "its ready endpoints run on nodes that are not among the Nodes read"
                };
                none.push((i, vec![why]));
            } else if nodes.known {
                // `healthy` is in name order (a map's keys): a search per
                // node, and names borrowed, keep this cheap at 1,000 nodes.
                let without: Vec<&str> = nodes
                    .nodes
                    .iter()
                    .map(|n| n.name.as_str())
                    .filter(|n| healthy.binary_search(n).is_err())
                    .collect();
                if !without.is_empty() {
                    some.push((i, without));
                }
            }
        }
        per_service_or_port(
            v,
            none,
            |why, on| {
                Finding::new(
                    Code::NoNodeWithLocalEndpoint,
                    v.located,
                    "spec.externalTrafficPolicy",
                    format!(
                        "externalTrafficPolicy Local: no node has a ready local endpoint{on} ({}): every node fails the health check and drops external traffic",
                        why.join("")
                    ),
                )
                .hint("run the pods on the nodes, or use externalTrafficPolicy Cluster")
            },
            out,
        );
        let hc = v
            .spec
            .health_check_node_port
            .filter(|_| v.load_balancer.is_some())
            .map(|p| format!(" on healthCheckNodePort {p}"))
            .unwrap_or_default();
        per_service_or_port(
            v,
            some,
            |without, on| {
                let one = without.len() == 1;
                let check = if v.load_balancer.is_some() {
                    format!(
                        "{} the load balancer's health check{hc} and ",
                        if one { "fails" } else { "fail" }
                    )
                } else {
                    String::new()
                };
                Finding::new(
                    Code::NodesWithoutLocalEndpoint,
                    v.located,
                    "spec.externalTrafficPolicy",
                    format!(
                        "externalTrafficPolicy Local: {} {} no ready endpoint{on}: {}{check}{} external traffic sent to {} directly",
                        names_list(without),
                        if one { "has" } else { "have" },
                        if one { "it " } else { "they " },
                        if one { "drops" } else { "drop" },
                        if one { "it" } else { "them" }
                    ),
                )
                .hint("this is how Local keeps client IPs; spread the pods (a DaemonSet, or topology spread) if every node should serve")
            },
            out,
        );
    }
    if v.internal_local && nodes.known && v.shape != Shape::Headless {
        let per_port: Vec<(usize, Vec<&str>)> = serving
            .iter()
            .map(|&i| {
                // Clients on a node reach its ready local endpoints, else its
                // serving-and-terminating ones (the model's one answer).
                let without: Vec<&str> = nodes
                    .nodes
                    .iter()
                    .filter(|n| v.local_receivers(i, &n.name) == LocalReceivers::Nobody)
                    .map(|n| n.name.as_str())
                    .collect();
                (i, without)
            })
            .filter(|(_, w)| !w.is_empty())
            .collect();
        per_service_or_port(
            v,
            per_port,
            |without, on| {
                Finding::new(
                    Code::InternalLocalNodesWithoutEndpoint,
                    v.located,
                    "spec.internalTrafficPolicy",
                    format!(
                        "internalTrafficPolicy Local: clients on {} reach no endpoint{on} (traffic is dropped, not sent to another node)",
                        names_list(without)
                    ),
                )
                .hint("run an endpoint on every node that has clients (a DaemonSet), or use internalTrafficPolicy Cluster")
            },
            out,
        );
    }
    let per_port: Vec<(usize, Vec<String>)> = serving
        .iter()
        .map(|&i| {
            let pe = &v.backends.ports[i];
            let on_bad: Vec<String> = pe
                .members
                .iter()
                .map(|&k| &v.backends.items[k])
                .filter(|b| {
                    b.is_ready() && b.node.as_deref().is_some_and(|n| nodes.is_not_ready(n))
                })
                .map(|b| format!("{} on {}", b.label(), b.node.as_deref().unwrap_or_default()))
                .collect();
            (i, on_bad)
        })
        .filter(|(_, w)| !w.is_empty())
        .collect();
    per_service_or_port(
        v,
        per_port,
        |on_bad, on| {
            let one = on_bad.len() == 1;
            Finding::new(
                Code::EndpointOnNotReadyNode,
                v.located,
                "spec.selector",
                format!(
                    "{} {} on a NotReady node{on}: still listed, but traffic to {} may fail",
                    names_list(on_bad),
                    if one { "runs" } else { "run" },
                    if one { "it" } else { "them" }
                ),
            )
            .hint("see the node with `kubectl describe node`")
        },
        out,
    );
}
