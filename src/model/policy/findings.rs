//! The findings network policies raise, each decided here only: on a
//! Service, a source its paths bring that every endpoint drops (SVC115) and
//! proxies the backends do not admit (SVC521), shown by explain, trace and
//! lint; on a policy, what lint reports (SVC116 an ipBlock that cannot
//! match under the Service's externalTrafficPolicy, SVC117 a policy that
//! selects no pod, SVC211 a rule port that names a Service port).

use super::decision::Admission;
use super::index::Policies;
use super::objects::{ClusterSelector, Direction, Peer, PortSpec};
use super::service::{PortAdmissions, SourceClass};
use super::subject::Member;
use crate::model::finding::{Code, Finding, ObjectRef, Severity};
use crate::model::ports::{format_int_or_string, target_port};
use crate::model::view::{ServiceView, names_list};
use std::collections::{BTreeSet, HashSet};

/// The code a source's answers on a port raise, if any: SVC521 when the
/// backends drop a Gateway's or Ingress controller's proxies (an error when
/// all do), SVC115 when every endpoint drops any other source.
pub(crate) fn code_for(source: &SourceClass, port: &PortAdmissions) -> Option<(Code, Severity)> {
    if source.is_proxy() {
        (port.dropped > 0).then(|| {
            let sev = if port.all_dropped() {
                Severity::Error
            } else {
                Severity::Warning
            };
            (Code::ProxiesNotAdmitted, sev)
        })
    } else {
        port.all_dropped()
            .then_some((Code::PoliciesAdmitNothing, Severity::Error))
    }
}

/// SVC115 and SVC521 for one Service.
pub(crate) fn service_findings(v: &ServiceView) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(sp) = &v.policies else {
        return out;
    };
    for s in &sp.sources {
        for (i, p) in s.ports.iter().enumerate() {
            let Some((code, severity)) = code_for(&s.source, p) else {
                continue;
            };
            let Some(first) = p
                .answers
                .iter()
                .find(|a| a.decision.admission == Admission::Dropped)
            else {
                continue;
            };
            let label = s.source.label();
            let target = v.target_label(i);
            let (message, hint) = if code == Code::ProxiesNotAdmitted {
                let hint = if s.identity {
                    format!(
                        "{}, on the pods' port ({target})",
                        crate::model::cilium::ADMIT
                    )
                } else {
                    format!(
                        "admit the proxies on the pods' port ({target}) with a rule that names their namespace and \
                         labels; `svcx migrate-to-gateway --allow-gateway-proxies` writes one for the Services it moves"
                    )
                };
                let share = if p.all_dropped() {
                    "no endpoint".to_string()
                } else {
                    format!("{} of {} endpoints", p.dropped, p.total())
                };
                (
                    format!(
                        "{share} of port {} {} {label}: {}",
                        p.port,
                        if p.all_dropped() { "admits" } else { "drop" },
                        first.decision.reason
                    ),
                    hint,
                )
            } else {
                (
                    format!(
                        "no endpoint of port {} admits {label}: {}",
                        p.port, first.decision.reason
                    ),
                    admit_hint(v, i),
                )
            };
            out.push(
                Finding::new(code, v.located, &format!("spec.ports[{i}]"), message)
                    .severity(severity)
                    .hint(hint)
                    .port(i),
            );
        }
    }
    out
}

/// SVC115's hint: the protocol and pod port a rule must admit; and, where
/// the Service port differs from it, that policies never see the Service
/// port (the commonest mistake, SVC211).
fn admit_hint(v: &ServiceView, i: usize) -> String {
    let target = v.target_label(i);
    let proto = v.protocol(i);
    let port = v.ports().get(i).map(|sp| sp.port);
    let same = port.is_some() && port == v.numeric_target(i);
    if same {
        format!("add a rule that admits them on {proto} {target}, the port the pods receive")
    } else {
        format!(
            "add a rule that admits them on the pods' port ({target}): policies see the targetPort, \
             never the Service port"
        )
    }
}

impl Policies<'_> {
    /// The members behind a Service's backends.
    fn members_of<'v>(&'v self, v: &ServiceView) -> Vec<Member<'v>> {
        v.backends
            .items
            .iter()
            .filter_map(|b| self.snap.member_of(&v.namespace, b))
            .collect()
    }

    /// The NetworkPolicies that isolate any of `members` for ingress.
    fn isolating_any(&self, members: &[Member]) -> BTreeSet<usize> {
        members
            .iter()
            .flat_map(|m| {
                self.selecting(m.namespace(), Some(m), Direction::Ingress)
                    .sure
            })
            .collect()
    }

    /// SVC211: ingress rule ports that name a Service port its endpoints
    /// receive on another port, while no endpoint receives on that number.
    pub(crate) fn service_ports_in_policies(&self, views: &[ServiceView]) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut seen: HashSet<(usize, usize, usize)> = HashSet::new();
        for v in views.iter().filter(|v| v.policies.is_some()) {
            let members = self.members_of(v);
            let received: HashSet<(i32, &str)> = v
                .backends
                .items
                .iter()
                .flat_map(|b| b.ports.iter().enumerate())
                .filter_map(|(i, p)| Some((p.resolution.port?, v.protocol(i))))
                .collect();
            for np in self.isolating_any(&members) {
                let policy = &self.snap.network_policies[np];
                for (i, sp) in v.ports().iter().enumerate() {
                    let targets: BTreeSet<i32> = v
                        .port_endpoints(i)
                        .into_iter()
                        .flat_map(|pe| pe.members.iter())
                        .filter_map(|&k| v.backends.items[k].ports[i].resolution.port)
                        .collect();
                    if targets.is_empty() || targets.iter().all(|&t| t == sp.port) {
                        continue;
                    }
                    let proto = v.protocol(i);
                    for (ri, rule) in policy.object.ingress.iter().enumerate() {
                        for (pk, pm) in rule.ports.iter().enumerate() {
                            let hit = pm.port == PortSpec::Number(sp.port)
                                && pm.protocol.as_deref().is_none_or(|p| p == proto)
                                && !received.contains(&(sp.port, proto));
                            if !hit || !seen.insert((np, ri, pk)) {
                                continue;
                            }
                            let pods: Vec<String> = targets.iter().map(i32::to_string).collect();
                            out.push(
                                Finding::new(
                                    Code::PolicyPortIsServicePort,
                                    policy,
                                    &format!("spec.ingress[{ri}].ports[{pk}].port"),
                                    format!(
                                        "port {} is the Service port of `{}`, whose pods receive it on {}: \
                                         policies see pod ports, so this rule admits nothing there",
                                        sp.port,
                                        v.full_name(),
                                        names_list(&pods)
                                    ),
                                )
                                .hint({
                                    let target = format_int_or_string(&target_port(sp));
                                    let shown = names_list(&pods);
                                    if shown == target {
                                        format!("name the pods' port, {shown}, or the container port's name")
                                    } else {
                                        format!(
                                            "name the pods' port: {shown} (targetPort `{target}`), or the container port's name"
                                        )
                                    }
                                }),
                            );
                        }
                    }
                }
            }
        }
        out
    }

    /// SVC117: NetworkPolicies whose podSelector, and cluster-wide policies
    /// whose subject, select no pod or template, where the input holds the
    /// pods that could be selected.
    pub(crate) fn policies_selecting_nothing(&self) -> Vec<Finding> {
        let snap = self.snap;
        let mut out = Vec::new();
        for (i, np) in snap.network_policies.iter().enumerate() {
            let ns = np.object.metadata.namespace.as_deref().unwrap_or_default();
            let Some(sel) = np
                .object
                .pod_selector
                .as_ref()
                .filter(|s| !super::index::is_empty(s))
            else {
                continue;
            };
            // From manifests, an operator's custom resources in the
            // namespace (a Prometheus) create pods svcx does not see.
            let operators = snap.stats.operators_in(ns).is_some();
            let judged = snap.pods_known
                || !operators
                    && (snap.pod_positions_in(ns).next().is_some()
                        || snap.workload_positions_in(ns).next().is_some());
            if judged && self.np_selects[i] == 0 {
                out.push(
                    Finding::new(
                        Code::PolicySelectsNoPods,
                        np,
                        "spec.podSelector",
                        format!(
                            "podSelector `{}` selects no pod in namespace `{ns}`: the policy applies to nothing",
                            crate::model::selector::label_selector_text(sel)
                        ),
                    )
                    .hint("match the pods' labels (`kubectl get pods --show-labels`), or delete the policy"),
                );
            }
        }
        let judged = snap.pods_known || !snap.pods.is_empty() || !snap.workloads.is_empty();
        if !judged {
            return out;
        }
        for c in &snap.cluster_policies {
            let subject = &c.object.subject;
            let everything = match subject {
                ClusterSelector::Namespaces(n) => super::index::is_empty(n),
                ClusterSelector::Pods { namespaces, pods } => {
                    super::index::is_empty(namespaces) && super::index::is_empty(pods)
                }
            };
            if everything {
                continue;
            }
            let mut any = false;
            let mut unsure = false;
            let pods = snap
                .pods
                .iter()
                .enumerate()
                .map(|(i, p)| Member::Pod(i, &p.object));
            let templates = snap
                .workloads
                .iter()
                .enumerate()
                .map(|(i, w)| Member::Template(i, &w.object));
            for m in pods.chain(templates) {
                match self.cluster_selects(subject, m.namespace(), Some(&m)) {
                    Some(true) => {
                        any = true;
                        break;
                    }
                    None => unsure = true,
                    Some(false) => {}
                }
            }
            if !any && !unsure {
                out.push(
                    Finding::about(
                        Code::PolicySelectsNoPods,
                        ObjectRef::new(c.object.kind.name(), "", c.object.name()),
                        c.origin.clone(),
                        "spec.subject",
                        c.span_of("spec.subject"),
                        format!(
                            "the subject of {} `{}` selects no pod: the policy applies to nothing",
                            c.object.kind.name(),
                            c.object.name()
                        ),
                    )
                    .hint("match the labels of the namespaces and pods it is meant for, or delete the policy"),
                );
            }
        }
        out
    }

    /// SVC116: ipBlocks of policies isolating the endpoints of a Service
    /// reachable from outside that hold no address the policy would see:
    /// under Cluster no node's, under Local none of the load balancer's
    /// client ranges.
    pub(crate) fn ip_blocks_that_cannot_match(&self, views: &[ServiceView]) -> Vec<Finding> {
        let mut out = Vec::new();
        let mut seen: HashSet<(usize, usize, usize)> = HashSet::new();
        let nodes: Vec<&str> = self
            .snap
            .nodes
            .iter()
            .flat_map(|n| n.object.addresses())
            .filter(|(k, _)| *k != "Hostname")
            .map(|(_, a)| a)
            .collect();
        for v in views
            .iter()
            .filter(|v| v.policies.is_some() && v.reachable_from_outside())
        {
            let ranges = v
                .load_balancer
                .as_ref()
                .map(|lb| lb.source_ranges.clone())
                .unwrap_or_default();
            let clients = ranges
                .iter()
                .filter_map(|r| super::cidr::AddressSet::block(r, &[]))
                .fold(super::cidr::AddressSet::default(), |a, b| a.union(&b));
            let members = self.members_of(v);
            let isolating = self.isolating_any(&members);
            // After source NAT the node's address is judged by the union of
            // the policies' blocks: when another block admits a node, the
            // clients' block takes nothing away from what gets through.
            let nodes_admitted = isolating
                .iter()
                .flat_map(|&np| &self.snap.network_policies[np].object.ingress)
                .flat_map(|rule| &rule.peers)
                .any(|peer| {
                    matches!(peer, Peer::IpBlock { set, .. } if nodes.iter().any(|a| set.contains(a)))
                });
            for np in isolating {
                let policy = &self.snap.network_policies[np];
                for (ri, rule) in policy.object.ingress.iter().enumerate() {
                    for (pj, peer) in rule.peers.iter().enumerate() {
                        let Peer::IpBlock { cidr, except, set } = peer else {
                            continue;
                        };
                        let cidr = super::describe::ip_block(cidr, except);
                        let message = if !v.external_local {
                            if nodes.is_empty() || nodes_admitted {
                                continue;
                            }
                            format!(
                                "`{}` has externalTrafficPolicy Cluster: on plugins that apply policies after source NAT its \
                                 pods see a node's address, and ipBlock {cidr} holds none of the nodes' addresses",
                                v.full_name()
                            )
                        } else {
                            if clients.is_empty() || set.meets(&clients) {
                                continue;
                            }
                            format!(
                                "`{}` keeps client addresses (externalTrafficPolicy Local) and its load balancer admits only \
                                 {}; ipBlock {cidr} holds none of them",
                                v.full_name(),
                                ranges.join(", ")
                            )
                        };
                        if !seen.insert((np, ri, pj)) {
                            continue;
                        }
                        out.push(
                            Finding::new(
                                Code::IpBlockCannotMatch,
                                policy,
                                &format!("spec.ingress[{ri}].from[{pj}].ipBlock.cidr"),
                                message,
                            )
                            .hint(if v.external_local {
                                "make the ipBlock cover the client ranges the load balancer admits".to_string()
                            } else {
                                "to filter by client address, set externalTrafficPolicy: Local (the pods then see it), \
                                 or filter at the load balancer with loadBalancerSourceRanges"
                                    .to_string()
                            }),
                        );
                    }
                }
            }
        }
        out
    }
}
