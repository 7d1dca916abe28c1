//! One Service's network policy facts, computed once with its view: the
//! policies that select its endpoints (in tier order, with what they
//! admit), and for each source its paths bring, per Service port and per
//! endpoint, the answer of [`Policies::admits`]. explain shows them, trace
//! puts them on its endpoint hops, lint and the model's findings read them.
//!
//! The sources of a Service's paths: a pod inside the cluster (through the
//! cluster IP or DNS name; which one svcx is not told); clients outside,
//! when the Service is reachable from outside (under externalTrafficPolicy
//! Cluster the node may replace their address; under Local it is kept); and
//! the proxies of each Gateway and Ingress controller that routes to it.

use super::decision::{Admission, Decision};
use super::describe;
use super::evaluate::{Destination, Likeness, Source, Traffic};
use super::index::Policies;
use super::objects::{Direction, Tier};
use super::proxies::service_pods;
use super::subject::Member;
use crate::model::endpoints::service_port_label;
use crate::model::view::{ServiceView, Shape};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Where a path's traffic comes from, as network policies see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub(crate) enum SourceClass {
    /// Some pod inside the cluster, through the cluster IP or DNS name.
    InCluster,
    /// One pod (or any pod of a namespace, or a pod with these labels),
    /// named with `svcx trace --from`.
    Pod {
        namespace: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pod: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        labels: Option<String>,
    },
    /// Clients outside the cluster (load balancer, node ports, externalIPs).
    Outside {
        /// externalTrafficPolicy Cluster: the node may replace the client's
        /// address with its own (source NAT).
        source_nat: bool,
        /// The client ranges (`loadBalancerSourceRanges`); empty: any.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        clients: Vec<String>,
    },
    /// The proxy pods of a Gateway.
    Gateway {
        namespace: String,
        name: String,
        /// The proxy pods (or templates) found; empty: not in the input.
        proxies: Vec<String>,
    },
    /// The pods of an Ingress controller.
    IngressController {
        #[serde(skip_serializing_if = "Option::is_none")]
        class: Option<String>,
        /// The controller's own Service, when in the input.
        #[serde(skip_serializing_if = "Option::is_none")]
        service: Option<String>,
        proxies: Vec<String>,
    },
}

impl SourceClass {
    /// How the source is named in messages.
    pub(crate) fn label(&self) -> String {
        match self {
            SourceClass::InCluster => "pods in the cluster".to_string(),
            SourceClass::Pod {
                namespace,
                pod,
                labels,
            } => match (pod, labels) {
                (Some(p), _) => format!("pod {namespace}/{p}"),
                (None, Some(l)) => format!("a pod labelled {l} in {namespace}"),
                (None, None) => format!("a pod in namespace {namespace}"),
            },
            SourceClass::Outside { source_nat, .. } => if *source_nat {
                "clients outside the cluster (source NAT: externalTrafficPolicy Cluster)"
            } else {
                "clients outside the cluster (their own address: externalTrafficPolicy Local)"
            }
            .to_string(),
            SourceClass::Gateway {
                namespace, name, ..
            } => format!("the proxies of Gateway {namespace}/{name}"),
            SourceClass::IngressController { class, .. } => match class {
                Some(c) => format!("the Ingress controller of class {c}"),
                None => "the Ingress controller".to_string(),
            },
        }
    }

    /// Whether it is a Gateway's or an Ingress controller's proxies.
    pub(crate) fn is_proxy(&self) -> bool {
        matches!(
            self,
            SourceClass::Gateway { .. } | SourceClass::IngressController { .. }
        )
    }
}

/// Which policy: a NetworkPolicy or a cluster-wide one, by position in
/// the snapshot's list of its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum PolicyId {
    Network(usize),
    Cluster(usize),
}

/// A policy that selects some of a Service's endpoints.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SelectingPolicy {
    #[serde(skip)]
    pub(crate) id: PolicyId,
    pub(crate) kind: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) tier: Tier,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) priority: Option<i32>,
    /// How many of the Service's endpoints it selects.
    pub(crate) selects: usize,
}

/// A policy and what its rules do, in words: said once per policy, however
/// many Services it selects.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PolicyRules {
    pub(crate) kind: &'static str,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub(crate) namespace: String,
    pub(crate) name: String,
    pub(crate) tier: Tier,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) priority: Option<i32>,
    /// What it does to ingress traffic, a line per rule (or its default
    /// deny); empty when it does not apply to ingress.
    pub(crate) ingress: Vec<String>,
    /// The same for egress.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) egress: Vec<String>,
}

/// One answer, and the endpoints that get it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Answer {
    /// The pods, workloads or addresses, as in the Service's backends.
    pub(crate) endpoints: Vec<String>,
    /// Their positions in the Service's backends.
    #[serde(skip)]
    pub(crate) backends: Vec<usize>,
    #[serde(flatten)]
    pub(crate) decision: Decision,
}

/// One source's answers on one Service port.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct PortAdmissions {
    /// The Service port's name, or its number.
    pub(crate) port: String,
    pub(crate) admitted: usize,
    pub(crate) dropped: usize,
    pub(crate) depends: usize,
    /// Each distinct answer, with the endpoints that get it.
    pub(crate) answers: Vec<Answer>,
}

impl PortAdmissions {
    /// The answer for one backend, when it is an endpoint of this port.
    pub(crate) fn of(&self, backend: usize) -> Option<&Decision> {
        self.answers
            .iter()
            .find(|a| a.backends.contains(&backend))
            .map(|a| &a.decision)
    }

    /// How many endpoints were answered for.
    pub(crate) fn total(&self) -> usize {
        self.admitted + self.dropped + self.depends
    }

    /// Whether every endpoint drops this source (and there is one).
    pub(crate) fn all_dropped(&self) -> bool {
        self.dropped > 0 && self.admitted == 0 && self.depends == 0
    }

    /// The first answer that is not a plain admission, with one of its
    /// endpoints.
    pub(crate) fn first_not(&self, admission: Admission) -> Option<(&str, &Decision)> {
        self.answers
            .iter()
            .find(|a| a.decision.admission != admission)
            .map(|a| (a.endpoints[0].as_str(), &a.decision))
    }

    /// Adds one endpoint's answer, with the endpoints that got the same.
    fn add(&mut self, backend: usize, endpoint: String, decision: Decision) {
        match self.answers.iter_mut().find(|a| a.decision == decision) {
            Some(a) => {
                a.backends.push(backend);
                a.endpoints.push(endpoint);
            }
            None => self.answers.push(Answer {
                endpoints: vec![endpoint],
                backends: vec![backend],
                decision,
            }),
        }
    }
}

/// One source's answers on every Service port.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct SourceAdmissions {
    pub(crate) source: SourceClass,
    pub(crate) ports: Vec<PortAdmissions>,
    /// Whether the source is a network plugin's identity, which no peer
    /// names ([`Way::identity`]): the remedy is that plugin's own policy.
    #[serde(skip)]
    pub(crate) identity: bool,
}

/// A Service's network policy facts.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ServicePolicies {
    /// Every policy that selects one of its endpoints, in evaluation order:
    /// the Admin tier by priority, NetworkPolicies, the Baseline tier.
    pub(crate) selecting: Vec<SelectingPolicy>,
    /// Per source its paths bring.
    pub(crate) sources: Vec<SourceAdmissions>,
}

impl<'s> Policies<'s> {
    /// The network policy facts of a Service; `None` for an ExternalName
    /// Service, which proxies nothing.
    pub(crate) fn for_service(&self, v: &ServiceView<'s>) -> Option<ServicePolicies> {
        if v.shape == Shape::ExternalName || self.quiet_service(v) {
            return None;
        }
        let members = self.members(v);
        let mut sources = vec![self.source_admissions(
            v,
            &members,
            SourceClass::InCluster,
            &Source::Pod {
                namespace: None,
                member: None,
            },
        )];
        if v.reachable_from_outside() {
            let clients = v
                .load_balancer
                .as_ref()
                .map(|lb| lb.source_ranges.clone())
                .unwrap_or_default();
            let class = SourceClass::Outside {
                source_nat: !v.external_local,
                clients: clients.clone(),
            };
            let source = Source::Outside {
                snat: !v.external_local,
                clients: &clients,
            };
            sources.push(self.source_admissions(v, &members, class, &source));
        }
        for way in self.ways_in(v) {
            let s = self.way_admissions(v, &members, &way);
            sources.push(s);
        }
        Some(ServicePolicies {
            selecting: self.selecting_policies(&members),
            sources,
        })
    }

    /// Whether no policy can apply to `v`'s traffic: no cluster-wide
    /// policy, and no NetworkPolicy in its namespace nor in those of the
    /// Gateways and Ingress controllers that route to it.
    fn quiet_service(&self, v: &ServiceView<'s>) -> bool {
        if !self.snap.cluster_policies.is_empty() || !self.quiet(&v.namespace) {
            return false;
        }
        v.routes.iter().filter(|r| r.reaches).all(|r| {
            let gateways = r
                .parents
                .iter()
                .filter(|p| p.attached())
                .filter_map(|p| p.gateway.split_once('/'))
                .all(|(ns, _)| self.quiet(ns));
            let controller = r
                .ingress
                .as_ref()
                .and_then(|i| i.controller_service_index)
                .is_none_or(|s| {
                    let ns = self.snap.services[s].object.metadata.namespace.as_deref();
                    self.quiet(ns.unwrap_or_default())
                });
            gateways && controller
        })
    }

    /// The pods (offline: templates) behind `v`'s backends, where known.
    pub(super) fn members(&self, v: &ServiceView<'s>) -> Vec<Option<Member<'s>>> {
        v.backends
            .items
            .iter()
            .map(|b| self.snap.member_of(&v.namespace, b))
            .collect()
    }

    /// The answers for the proxies of a Gateway or Ingress controller on
    /// every Service port of `v`.
    pub(super) fn way_admissions(
        &self,
        v: &ServiceView<'s>,
        members: &[Option<Member>],
        way: &Way<'s>,
    ) -> SourceAdmissions {
        let class = way.class.clone();
        if way.identity {
            return self.source_admissions(v, members, class, &Source::Identity);
        }
        if let Some(clients) = &way.clients {
            let source = Source::Outside {
                snat: false,
                clients,
            };
            return self.source_admissions(v, members, class, &source);
        }
        let source = match &way.namespace {
            Some(ns) => Source::Proxies {
                namespace: ns,
                members: &way.proxies,
                labels: way.labels.as_ref(),
                elsewhere: way.elsewhere.as_ref(),
            },
            None => Source::Pod {
                namespace: None,
                member: None,
            },
        };
        let mut s = self.source_admissions(v, members, class, &source);
        if way.namespace.is_some() {
            return s;
        }
        // The proxies are unknown: only an answer that holds for every pod
        // stands; and where they are not pods at all, only one that no
        // policy decided.
        for p in &mut s.ports {
            for a in &mut p.answers {
                let d = &mut a.decision;
                let why = match way.not_pods {
                    Some(why) if d.admission == Admission::Admitted && d.involves_policies() => why,
                    None if d.admission == Admission::Admitted && !d.only.is_empty() => {
                        "the controller's pods are not in the input"
                    }
                    _ => continue,
                };
                *d = Decision::depends(format!("{why} ({})", d.reason), std::mem::take(&mut d.by));
            }
            recount(p);
        }
        s
    }

    /// The answers for one source on every Service port of `v` (`svcx
    /// trace --from`).
    pub(crate) fn answer_for(
        &self,
        v: &ServiceView<'s>,
        class: SourceClass,
        source: &Source,
    ) -> SourceAdmissions {
        let members = self.members(v);
        self.source_admissions(v, &members, class, source)
    }

    /// The answers for one source on every Service port of `v`.
    fn source_admissions(
        &self,
        v: &ServiceView<'s>,
        members: &[Option<Member>],
        class: SourceClass,
        source: &Source,
    ) -> SourceAdmissions {
        let mut known: HashMap<Likeness, Decision> = HashMap::new();
        let ports = (0..v.ports().len())
            .map(|i| {
                let sp = &v.ports()[i];
                let name = match &sp.target_port {
                    Some(IntOrString::String(s)) if s.parse::<i32>().is_err() => Some(s.as_str()),
                    _ => None,
                };
                let mut p = PortAdmissions {
                    port: service_port_label(sp),
                    admitted: 0,
                    dropped: 0,
                    depends: 0,
                    answers: Vec::new(),
                };
                for &k in v
                    .port_endpoints(i)
                    .map(|pe| pe.members.as_slice())
                    .unwrap_or_default()
                {
                    let b = &v.backends.items[k];
                    let Some(port) = b.ports.get(i).and_then(|bp| bp.resolution.port) else {
                        continue;
                    };
                    let dst = Destination {
                        namespace: &v.namespace,
                        member: members[k],
                        addresses: &b.addresses,
                        node: b.node.as_deref(),
                        host_network: b.host_network,
                        is_pod: b.pod.is_some() || b.workload.is_some(),
                    };
                    let traffic = Traffic {
                        port,
                        protocol: v.protocol(i),
                        name,
                    };
                    // Endpoints alike in what the answer depends on share
                    // one evaluation.
                    let decision = match self.likeness(source, &dst, &traffic) {
                        Some(key) => match known.get(&key) {
                            Some(d) => d.clone(),
                            None => {
                                let d = self.admits(source, &dst, &traffic);
                                known.insert(key, d.clone());
                                d
                            }
                        },
                        None => self.admits(source, &dst, &traffic),
                    };
                    p.add(k, b.label(), decision);
                }
                recount(&mut p);
                p
            })
            .collect();
        SourceAdmissions {
            source: class,
            ports,
            identity: matches!(source, Source::Identity),
        }
    }

    /// The Gateways and Ingress controllers that route to `v`, with their
    /// pods.
    fn ways_in(&self, v: &ServiceView<'s>) -> Vec<Way<'s>> {
        let mut out: Vec<Way<'s>> = Vec::new();
        for r in v.routes.iter().filter(|r| r.reaches) {
            for p in r.parents.iter().filter(|p| p.attached()) {
                let Some((ns, name)) = p.gateway.split_once('/') else {
                    continue;
                };
                let placement = super::proxies::Placement::of_gateway(self.snap, ns, name);
                let way = self.gateway_way(ns, name, placement);
                if !out.iter().any(|w| w.class == way.class) {
                    out.push(way);
                }
            }
            if let Some(i) = &r.ingress {
                let (ns, proxies) = match i.controller_service_index {
                    Some(s) => {
                        let (ns, pods) = service_pods(self.snap, s);
                        (Some(ns), pods)
                    }
                    None => (None, Vec::new()),
                };
                let class = SourceClass::IngressController {
                    class: i.class.clone(),
                    service: i.controller_service.clone(),
                    proxies: proxies.iter().map(Member::label).collect(),
                };
                // Cilium's Ingress is its Envoy, whatever Service fronts it.
                let identity = crate::model::cilium::serves_ingress(
                    i.controller.as_deref(),
                    i.class.as_deref(),
                );
                if !out.iter().any(|w| w.class == class) {
                    out.push(Way {
                        class,
                        proxies: if identity { Vec::new() } else { proxies },
                        labels: None,
                        elsewhere: None,
                        namespace: ns.filter(|_| !identity),
                        not_pods: None,
                        identity,
                        clients: None,
                    });
                }
            }
        }
        out
    }

    /// The policies that select any of `members`, in evaluation order.
    fn selecting_policies(&self, members: &[Option<Member>]) -> Vec<SelectingPolicy> {
        let mut admin: BTreeMap<usize, usize> = BTreeMap::new();
        let mut baseline: BTreeMap<usize, usize> = BTreeMap::new();
        let mut nps: BTreeMap<usize, usize> = BTreeMap::new();
        for m in members.iter().flatten() {
            let mut mine = self
                .selecting(m.namespace(), Some(m), Direction::Ingress)
                .sure;
            mine.extend(
                self.selecting(m.namespace(), Some(m), Direction::Egress)
                    .sure,
            );
            mine.sort_unstable();
            mine.dedup();
            for i in mine {
                *nps.entry(i).or_default() += 1;
            }
            for (pos, &ci) in self.admin.iter().chain(&self.baseline).enumerate() {
                let cp = &self.snap.cluster_policies[ci].object;
                if self.cluster_selects(&cp.subject, m.namespace(), Some(m)) == Some(true) {
                    let list = if pos < self.admin.len() {
                        &mut admin
                    } else {
                        &mut baseline
                    };
                    *list.entry(pos).or_default() += 1;
                }
            }
        }
        let mut out = Vec::new();
        let all: Vec<usize> = self.admin.iter().chain(&self.baseline).copied().collect();
        let cluster = |(pos, n): (usize, usize)| {
            let cp = &self.snap.cluster_policies[all[pos]].object;
            SelectingPolicy {
                id: PolicyId::Cluster(all[pos]),
                kind: cp.kind.name(),
                namespace: String::new(),
                name: cp.name().to_string(),
                tier: cp.tier,
                priority: cp.priority,
                selects: n,
            }
        };
        out.extend(admin.into_iter().map(cluster));
        for (i, n) in nps {
            let np = &self.snap.network_policies[i].object;
            let ns = np.metadata.namespace.clone().unwrap_or_default();
            out.push(SelectingPolicy {
                id: PolicyId::Network(i),
                kind: "NetworkPolicy",
                name: np.metadata.name.clone().unwrap_or_default(),
                tier: Tier::NetworkPolicy,
                priority: None,
                selects: n,
                namespace: ns,
            });
        }
        out.extend(baseline.into_iter().map(cluster));
        out
    }
}

impl Policies<'_> {
    /// A policy's rules in words.
    pub(crate) fn rules(&self, id: PolicyId) -> PolicyRules {
        match id {
            PolicyId::Network(i) => {
                let np = &self.snap.network_policies[i].object;
                let ns = np.metadata.namespace.clone().unwrap_or_default();
                let words = |d: Direction| {
                    if np.isolates(d) {
                        describe::network_policy(np, d, &ns)
                    } else {
                        Vec::new()
                    }
                };
                PolicyRules {
                    kind: "NetworkPolicy",
                    name: np.metadata.name.clone().unwrap_or_default(),
                    tier: Tier::NetworkPolicy,
                    priority: None,
                    ingress: words(Direction::Ingress),
                    egress: words(Direction::Egress),
                    namespace: ns,
                }
            }
            PolicyId::Cluster(i) => {
                let cp = &self.snap.cluster_policies[i].object;
                PolicyRules {
                    kind: cp.kind.name(),
                    namespace: String::new(),
                    name: cp.name().to_string(),
                    tier: cp.tier,
                    priority: cp.priority,
                    ingress: describe::cluster_policy(cp, Direction::Ingress),
                    egress: describe::cluster_policy(cp, Direction::Egress),
                }
            }
        }
    }
}

/// A Gateway or Ingress controller that routes to a Service: its proxies
/// as a source of traffic.
pub(crate) struct Way<'s> {
    pub(super) class: SourceClass,
    /// Its pods, as read.
    pub(super) proxies: Vec<Member<'s>>,
    /// The labels its pods are known to carry.
    pub(super) labels: Option<BTreeMap<String, String>>,
    /// The labels they carry if they run in another namespace, not in the
    /// input (Envoy Gateway's default).
    pub(super) elsewhere: Option<BTreeMap<String, String>>,
    /// Their namespace, when known.
    pub(super) namespace: Option<String>,
    /// Why they are not pods a policy can name, when they are not.
    pub(super) not_pods: Option<&'static str>,
    /// Whether their requests carry a network plugin's identity instead
    /// ([`super::evaluate::Source::Identity`]).
    pub(super) identity: bool,
    /// Where their requests come from when they are a load balancer
    /// outside the cluster with known ranges (GKE's front ends).
    pub(super) clients: Option<Vec<String>>,
}

/// Counts a port's answers.
fn recount(p: &mut PortAdmissions) {
    p.admitted = 0;
    p.dropped = 0;
    p.depends = 0;
    for a in &p.answers {
        let n = a.backends.len();
        match a.decision.admission {
            Admission::Admitted => p.admitted += n,
            Admission::Dropped => p.dropped += n,
            Admission::Depends => p.depends += n,
        }
    }
}
