//! The one function every analysis asks ([`Policies::admits`]): does
//! traffic from a source reach an endpoint on a pod port, and which
//! policies (tier, rule) decided. explain, trace, lint and migrate ask it;
//! none evaluates a policy itself.
//!
//! Per direction (the destination's ingress; the source pod's egress when
//! the source is a known pod), in the order the network-policy-api defines:
//!
//! 1. the Admin tier (ClusterNetworkPolicy `tier: Admin`, AdminNetworkPolicy),
//!    policies by priority (lower first), rules in order: the first rule that
//!    matches accepts, denies, or passes to the next tier;
//! 2. NetworkPolicies: a pod is isolated in a direction when a policy with
//!    that policyType selects it, and then only what the union of their
//!    rules allows gets through; they always decide for the pods they
//!    select;
//! 3. the Baseline tier (ClusterNetworkPolicy `tier: Baseline`,
//!    BaselineAdminNetworkPolicy), only for pods no NetworkPolicy isolates;
//! 4. otherwise the traffic is allowed.
//!
//! Exceptions from the NetworkPolicy concept page: a pod cannot block
//! access to itself (through a Service IP the cluster-wide tiers still
//! apply, network-policy-api's api-overview "hairpin" note); traffic from
//! the pod's own node is always allowed; for hostNetwork pods the behaviour
//! is undefined, so the answer depends on the plugin.
//!
//! A source may be a class rather than one pod (some pod of the cluster,
//! clients of a load balancer): rules then match all of it, part of it, or
//! none, and the answer says which part gets through (`only`).

use super::cidr::{AddressSet, Cidr, Family};
use super::decision::{Admission, Decider, Decision, Effect};
use super::describe;
use super::index::Policies;
use super::matching::{Other, Selected, ip_match, name_of, port_match};
use super::objects::{Action, Direction, Peer, Tier};
use super::subject::Member;
use super::walk::{Match, Walk, dedup};
use crate::model::slim::SlimContainer;
use std::collections::BTreeMap;

/// The pod port traffic arrives on, after the Service rewrote its port to
/// the targetPort: policies see pod ports, never Service ports.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Traffic<'a> {
    pub(crate) port: i32,
    pub(crate) protocol: &'a str,
    /// The targetPort's name, when the Service names it.
    pub(crate) name: Option<&'a str>,
}

/// Where the traffic goes: one endpoint of a Service.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Destination<'a> {
    pub(crate) namespace: &'a str,
    /// The pod or template, when the source holds it.
    pub(crate) member: Option<Member<'a>>,
    /// Its addresses (the EndpointSlice's, or the pod's).
    pub(crate) addresses: &'a [String],
    pub(crate) node: Option<&'a str>,
    pub(crate) host_network: bool,
    /// Whether it is a pod at all (an address written into an
    /// EndpointSlice by hand is not, and no policy selects it).
    pub(crate) is_pod: bool,
}

/// Who sends the traffic.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Source<'a> {
    /// A pod inside the cluster: in `namespace`, and this pod, when told.
    Pod {
        namespace: Option<&'a str>,
        member: Option<Member<'a>>,
    },
    /// A Gateway's or an Ingress controller's proxy pods in `namespace`:
    /// `members` as read; when none was read, a pod carrying at least
    /// `labels` (the label GEP-1762 gives a Gateway's pods), or, where
    /// the implementation may run them in another namespace not in the
    /// input, one carrying at least `elsewhere` there (Envoy Gateway's
    /// default, [`super::proxies::Placement::EnvoyGateway`]).
    Proxies {
        namespace: &'a str,
        members: &'a [Member<'a>],
        labels: Option<&'a BTreeMap<String, String>>,
        elsewhere: Option<&'a BTreeMap<String, String>>,
    },
    /// A client outside the cluster, through node ports, a load balancer or
    /// externalIPs, from `clients` (CIDRs; empty: any address).
    /// `snat`: externalTrafficPolicy Cluster, where the node may replace the
    /// client's address with its own.
    Outside { snat: bool, clients: &'a [String] },
    /// Requests that carry a network plugin's identity rather than a pod's
    /// or an address ([`crate::model::cilium`]): no peer names them.
    Identity,
}

/// What an answer for a source class (some pod of the cluster, clients
/// outside) depends on in its destination: destinations alike in all of it
/// get the same answer, so one evaluation serves them all.
#[derive(Debug, PartialEq, Eq, Hash)]
pub(crate) struct Likeness {
    is_pod: bool,
    host_network: bool,
    read: bool,
    ingress: (Vec<usize>, Vec<usize>),
    cluster: Vec<Option<bool>>,
    /// Under source NAT, the node (traffic from the pod's own node is
    /// always allowed).
    node: Option<String>,
    port: i32,
    protocol: String,
    name: Option<String>,
    /// The pod itself, when some rule names a port (names resolve per pod).
    member: Option<(bool, usize)>,
}

impl<'s> Policies<'s> {
    /// What the answer for `source` depends on in `dst`; `None` when the
    /// source brings egress policies of its own (a known pod, proxies),
    /// whose answer depends on more of the destination.
    pub(crate) fn likeness(
        &self,
        source: &Source,
        dst: &Destination,
        t: &Traffic,
    ) -> Option<Likeness> {
        let node = match source {
            // Some pod of a namespace with policies: its egress depends on
            // the destination's labels too.
            Source::Pod {
                member: None,
                namespace: Some(ns),
            } if !self.quiet(ns) => return None,
            Source::Pod { member: None, .. } => None,
            Source::Outside { snat: true, .. } => dst.node.map(str::to_string),
            Source::Outside { snat: false, .. } | Source::Identity => None,
            Source::Pod {
                member: Some(_), ..
            }
            | Source::Proxies { .. } => return None,
        };
        let selected = self.selecting(dst.namespace, dst.member.as_ref(), Direction::Ingress);
        let cluster = self
            .admin
            .iter()
            .chain(&self.baseline)
            .map(|&i| {
                let cp = &self.snap.cluster_policies[i].object;
                self.cluster_selects(&cp.subject, dst.namespace, dst.member.as_ref())
            })
            .collect();
        let member = match (&dst.member, self.named_ports) {
            (Some(Member::Pod(i, _)), true) => Some((true, *i)),
            (Some(Member::Template(i, _)), true) => Some((false, *i)),
            (Some(Member::Labelled { .. }), true) => return None,
            _ => None,
        };
        Some(Likeness {
            is_pod: dst.is_pod,
            host_network: dst.host_network,
            read: dst.member.is_some(),
            ingress: (selected.sure, selected.maybe),
            cluster,
            node,
            port: t.port,
            protocol: t.protocol.to_string(),
            name: t.name.map(str::to_string),
            member,
        })
    }

    /// Whether traffic from `source` reaches `dst` on `traffic`, and which
    /// policies decided: what the NetworkPolicies and cluster-wide
    /// policies say, unless a network plugin's own policy may select the
    /// pod, which can say otherwise either way ([`super::foreign`]).
    pub(crate) fn admits(&self, source: &Source, dst: &Destination, traffic: &Traffic) -> Decision {
        let d = self.admits_by_kubernetes(source, dst, traffic);
        let foreign: Vec<&super::foreign::ForeignPolicy> =
            self.foreign_over(dst.namespace).collect();
        match foreign.first() {
            Some(p) if dst.is_pod => {
                let labels: Vec<String> = foreign.iter().map(|p| p.label()).collect();
                Decision::depends(
                    format!(
                        "{} may select it, and svcx does not evaluate {}'s own policies, which can admit what \
                         NetworkPolicies drop and drop what they admit (by NetworkPolicies alone: {}, {})",
                        crate::model::view::names_list(&labels),
                        p.plugin,
                        d.admission.word(),
                        d.reason
                    ),
                    d.by,
                )
            }
            _ => d,
        }
    }

    fn admits_by_kubernetes(
        &self,
        source: &Source,
        dst: &Destination,
        traffic: &Traffic,
    ) -> Decision {
        if !dst.is_pod {
            return Decision::open(
                "not a pod: network policies select pods, not addresses written into an EndpointSlice",
            );
        }
        let source_quiet = match source {
            Source::Pod {
                member: Some(m), ..
            } => self.quiet(m.namespace()),
            Source::Pod {
                namespace: Some(ns),
                ..
            } => self.quiet(ns),
            Source::Pod { .. } | Source::Outside { .. } | Source::Identity => true,
            Source::Proxies { namespace, .. } => self.quiet(namespace),
        };
        if source_quiet && self.quiet(dst.namespace) {
            return Decision::open("no policy applies to it");
        }
        match *source {
            Source::Pod { namespace, member } => self.pod_source(namespace, member, dst, traffic),
            Source::Proxies {
                namespace,
                members,
                labels,
                elsewhere,
            } => {
                let here = self.proxies_source(namespace, members, labels, dst, traffic);
                match elsewhere {
                    Some(theirs) if members.is_empty() => {
                        self.or_elsewhere(here, theirs, dst, traffic)
                    }
                    _ => here,
                }
            }
            Source::Outside { snat, clients } => self.outside_source(snat, clients, dst, traffic),
            Source::Identity => self.ingress(&Other::Identity, dst, traffic, false),
        }
    }

    fn pod_source(
        &self,
        namespace: Option<&str>,
        member: Option<Member>,
        dst: &Destination,
        t: &Traffic,
    ) -> Decision {
        let other = Other::Pod {
            namespace: namespace.or(member.as_ref().map(|m| m.namespace())),
            member,
            addresses: member.as_ref().and_then(Member::ips),
        };
        let self_traffic = match (&member, &dst.member) {
            (Some(a), Some(b)) => a.same(b),
            _ => false,
        };
        if member.is_some_and(|m| m.host_network()) {
            // The plugin may see it as any pod, or as its node.
            let ingress = self.ingress(&other, dst, t, self_traffic);
            if ingress.admission == Admission::Admitted && !ingress.involves_policies() {
                return ingress;
            }
            return Decision::depends(
                "the source uses the host network: whether policies see it as a pod or as its node is up to the network plugin",
                ingress.by,
            );
        }
        let ingress = self.ingress(&other, dst, t, self_traffic);
        match (member, namespace) {
            (Some(m), _) => Decision::both(self.egress(&m, dst, t, self_traffic), ingress),
            // Some pod of the namespace, labels untold: its namespace's
            // egress policies apply to it as to any pod there (one that
            // selects every pod decides; one that selects by label may or
            // may not, and the answer says so).
            (None, Some(ns)) => {
                static NO_LABELS: BTreeMap<String, String> = BTreeMap::new();
                let some_pod = Member::Labelled {
                    namespace: ns,
                    labels: &NO_LABELS,
                    exact: false,
                };
                Decision::both(self.egress(&some_pod, dst, t, false), ingress)
            }
            (None, None) => ingress,
        }
    }

    fn proxies_source(
        &self,
        namespace: &str,
        members: &[Member],
        labels: Option<&BTreeMap<String, String>>,
        dst: &Destination,
        t: &Traffic,
    ) -> Decision {
        if members.is_empty() {
            let member = labels.map(|labels| Member::Labelled {
                namespace,
                labels,
                exact: false,
            });
            let d = self.pod_source(Some(namespace), member, dst, t);
            return match d.admission {
                Admission::Admitted if d.only.is_empty() => d,
                Admission::Dropped => d,
                _ => Decision::depends(
                    format!(
                        "its proxy pods are not in the input, so whether they are among the sources admitted cannot be told ({})",
                        d.reason
                    ),
                    d.by,
                ),
            };
        }
        let each: Vec<(String, Decision)> = members
            .iter()
            .map(|m| {
                (
                    m.label(),
                    self.pod_source(Some(namespace), Some(*m), dst, t),
                )
            })
            .collect();
        let worst = each
            .iter()
            .map(|(_, d)| d.admission)
            .max()
            .unwrap_or(Admission::Admitted);
        let best = each
            .iter()
            .map(|(_, d)| d.admission)
            .min()
            .unwrap_or(Admission::Admitted);
        if worst == best {
            return each.into_iter().next().map(|(_, d)| d).expect("not empty");
        }
        let mut by: Vec<Decider> = each.iter().flat_map(|(_, d)| d.by.clone()).collect();
        dedup(&mut by);
        let dropped: Vec<String> = each
            .iter()
            .filter(|(_, d)| d.admission != Admission::Admitted)
            .map(|(n, _)| n.clone())
            .collect();
        Decision::depends(
            format!(
                "its proxy pods are not all admitted alike: {} not",
                crate::model::view::names_list(&dropped)
            ),
            by,
        )
    }

    /// The answer for proxies that run in the namespace `here` was asked
    /// for, or in another namespace the input does not hold, carrying at
    /// least `labels` there: the same answer when both agree, else depends.
    fn or_elsewhere(
        &self,
        here: Decision,
        labels: &BTreeMap<String, String>,
        dst: &Destination,
        t: &Traffic,
    ) -> Decision {
        let member = Member::Labelled {
            namespace: "",
            labels,
            exact: false,
        };
        let other = Other::Pod {
            namespace: None,
            member: Some(member),
            addresses: None,
        };
        let there = self.ingress(&other, dst, t, false);
        let plain = |d: &Decision| (d.admission, d.only.is_empty());
        if plain(&here) == plain(&there) {
            return here;
        }
        let mut by = here.by.clone();
        by.extend(there.by.iter().cloned());
        dedup(&mut by);
        Decision::depends(
            format!(
                "where the proxies run is the implementation's configuration: in the Gateway's namespace, {} ({}); \
                 in another namespace, {} ({})",
                here.admission.word(),
                here.reason,
                there.admission.word(),
                there.reason
            ),
            by,
        )
    }

    fn outside_source(
        &self,
        snat: bool,
        clients: &[String],
        dst: &Destination,
        t: &Traffic,
    ) -> Decision {
        let set = if clients.is_empty() {
            AddressSet::of(Cidr::everything(Family::IPv4))
                .union(&AddressSet::of(Cidr::everything(Family::IPv6)))
        } else {
            clients
                .iter()
                .filter_map(|c| AddressSet::block(c, &[]))
                .fold(AddressSet::default(), |a, b| a.union(&b))
        };
        let client = self.ingress(&Other::Client { set }, dst, t, false);
        if !snat {
            return client;
        }
        // externalTrafficPolicy Cluster: whether the policy sees the client
        // or the node after source NAT is up to the network plugin.
        let mut nodes: Vec<(String, Decision)> = Vec::new();
        for n in &self.snap.nodes {
            let name = n.object.metadata.name.as_deref();
            let addresses: Vec<&str> = n
                .object
                .addresses()
                .filter(|(k, _)| *k != "Hostname")
                .map(|(_, a)| a)
                .collect();
            let d = self.ingress(&Other::Node { name, addresses }, dst, t, false);
            nodes.push((name.unwrap_or("a node").to_string(), d));
        }
        if nodes.is_empty() {
            let d = self.ingress(
                &Other::Node {
                    name: None,
                    addresses: Vec::new(),
                },
                dst,
                t,
                false,
            );
            nodes.push(("a node".to_string(), d));
        }
        let all_open = client.admission == Admission::Admitted
            && client.only.is_empty()
            && nodes
                .iter()
                .all(|(_, d)| d.admission == Admission::Admitted && d.only.is_empty());
        if all_open {
            return client;
        }
        let mut by = client.by.clone();
        // Dropped whichever address the policies see: no doubt.
        if client.admission == Admission::Dropped
            && nodes.iter().all(|(_, d)| d.admission == Admission::Dropped)
        {
            for (_, d) in &nodes {
                by.extend(d.by.iter().cloned());
            }
            dedup(&mut by);
            return Decision { by, ..client };
        }
        let closed: Vec<String> = nodes
            .iter()
            .filter(|(_, d)| d.admission != Admission::Admitted)
            .map(|(n, _)| n.clone())
            .collect();
        for (_, d) in &nodes {
            by.extend(d.by.iter().cloned());
        }
        dedup(&mut by);
        let as_node = if closed.is_empty() {
            "as a node's address, admitted".to_string()
        } else {
            format!(
                "as the address of {}, {}",
                crate::model::view::names_list(&closed),
                nodes
                    .iter()
                    .find(|(_, d)| d.admission != Admission::Admitted)
                    .map(|(_, d)| d.admission.word())
                    .unwrap_or("admitted")
            )
        };
        Decision::depends(
            format!(
                "externalTrafficPolicy Cluster: the network plugin decides whether policies see the client's address or the node's after source NAT; as the client's, {} ({}); {as_node}",
                client.admission.word(),
                client.reason
            ),
            by,
        )
    }

    /// The destination's ingress, from `other`.
    fn ingress(
        &self,
        other: &Other,
        dst: &Destination,
        t: &Traffic,
        self_traffic: bool,
    ) -> Decision {
        let selected = Selected {
            namespace: dst.namespace,
            member: dst.member,
            host_network: dst.host_network,
        };
        let own_node = matches!(other, Other::Node { name: Some(n), .. } if Some(*n) == dst.node);
        let containers = dst.member.as_ref().and_then(Member::containers);
        self.direction(
            Direction::Ingress,
            selected,
            other,
            containers,
            t,
            self_traffic,
            own_node,
        )
    }

    /// The source pod's egress, to `dst`.
    fn egress(&self, src: &Member, dst: &Destination, t: &Traffic, self_traffic: bool) -> Decision {
        let selected = Selected {
            namespace: src.namespace(),
            member: Some(*src),
            host_network: src.host_network(),
        };
        let other = Other::Pod {
            namespace: Some(dst.namespace),
            member: dst.member,
            addresses: Some(dst.addresses.iter().map(String::as_str).collect()),
        };
        let containers = dst.member.as_ref().and_then(Member::containers);
        self.direction(
            Direction::Egress,
            selected,
            &other,
            containers,
            t,
            self_traffic,
            false,
        )
    }

    /// One direction through the three tiers.
    #[allow(clippy::too_many_arguments)]
    fn direction(
        &self,
        dir: Direction,
        selected: Selected,
        other: &Other,
        containers: Option<&[SlimContainer]>,
        t: &Traffic,
        self_traffic: bool,
        own_node: bool,
    ) -> Decision {
        let traffic = format!("{} {}", t.protocol, t.port);
        let mut walk = Walk::default();
        self.cluster_tier(&self.admin, dir, selected, other, containers, t, &mut walk);
        if walk.rest.is_some() && !walk.passed.is_empty() {
            // Part of the class left the Admin tier: the next tiers decide it.
            let passed = std::mem::take(&mut walk.passed);
            let mut next = Walk::default();
            self.after_admin(
                dir,
                selected,
                other,
                containers,
                t,
                self_traffic,
                own_node,
                &mut next,
            );
            let d = next.decision(&traffic);
            let who = vec![format!(
                "{} (passed on by the Admin tier)",
                crate::model::view::names_list(&passed)
            )];
            let by = d.by.first().cloned();
            if let Some(by) = by {
                walk.parts
                    .push((d.admission == Admission::Admitted, who, by));
            }
        } else if walk.rest.is_none() {
            self.after_admin(
                dir,
                selected,
                other,
                containers,
                t,
                self_traffic,
                own_node,
                &mut walk,
            );
        }
        walk.decision(&traffic)
    }

    /// The NetworkPolicy tier, then (for pods it does not isolate) the
    /// Baseline tier, then the default.
    #[allow(clippy::too_many_arguments)]
    fn after_admin(
        &self,
        dir: Direction,
        selected: Selected,
        other: &Other,
        containers: Option<&[SlimContainer]>,
        t: &Traffic,
        self_traffic: bool,
        own_node: bool,
        walk: &mut Walk,
    ) {
        let word = describe::direction_word(dir);
        let chosen = self.selecting(selected.namespace, selected.member.as_ref(), dir);
        let isolating: Vec<usize> = chosen.sure.iter().chain(&chosen.maybe).copied().collect();
        if !isolating.is_empty() {
            let deciders = |effect: Effect, ids: &[usize]| -> Vec<Decider> {
                ids.iter()
                    .map(|&i| self.np_decider(i, dir, None, effect))
                    .collect()
            };
            if selected.host_network {
                // The plugin either applies them as to any pod, or sees the
                // pod as its node, whose traffic no pod policy filters.
                walk.unsure.push((
                    true,
                    "the pod uses the host network: whether its NetworkPolicies apply is up to the network plugin"
                        .to_string(),
                    self.np_decider(isolating[0], dir, None, Effect::Isolates),
                ));
            }
            if self_traffic {
                walk.otherwise(
                    true,
                    Vec::new(),
                    "a pod is never blocked from itself".to_string(),
                );
                return;
            }
            if own_node {
                walk.otherwise(
                    true,
                    Vec::new(),
                    "traffic from the pod's own node is always allowed".to_string(),
                );
                return;
            }
            if let Other::Client { .. } = other {
                // Clients are a range of addresses: the rules' ipBlocks are
                // one union (the policies "are additive"), matched at once.
                self.client_union(&isolating, dir, other, containers, t, walk);
            }
            for &i in &isolating {
                let np = &self.snap.network_policies[i].object;
                let ns = np.metadata.namespace.as_deref().unwrap_or_default();
                for (ri, rule) in np.rules(dir).iter().enumerate() {
                    let peers = if rule.peers.is_empty() {
                        Match::Yes
                    } else {
                        rule.peers
                            .iter()
                            .map(|p| self.np_peer(p, ns, other))
                            .fold(Match::No, Match::or)
                    };
                    let ports = if rule.ports.is_empty() {
                        Match::Yes
                    } else {
                        rule.ports
                            .iter()
                            .map(|p| port_match(p, t, containers))
                            .fold(Match::No, Match::or)
                    };
                    let m = ports.and(peers);
                    let m = if chosen.maybe.contains(&i) && m != Match::No {
                        Match::Unknown(format!(
                            "whether NetworkPolicy {ns}/{} selects the pod cannot be told: its labels were not read",
                            name_of(np)
                        ))
                    } else {
                        m
                    };
                    walk.apply(
                        m,
                        Some(true),
                        self.np_decider(i, dir, Some(ri), Effect::Admits),
                    );
                }
            }
            if chosen.sure.is_empty() {
                walk.unsure.push((
                    false,
                    format!(
                        "whether a NetworkPolicy of namespace {} isolates the pod cannot be told: its labels were not read",
                        selected.namespace
                    ),
                    self.np_decider(isolating[0], dir, None, Effect::Isolates),
                ));
                walk.otherwise(true, Vec::new(), "no policy isolates it".to_string());
                return;
            }
            let names: Vec<String> = chosen
                .sure
                .iter()
                .map(|&i| {
                    let np = &self.snap.network_policies[i].object;
                    format!("{}/{}", selected.namespace, name_of(np))
                })
                .collect();
            walk.otherwise(
                false,
                deciders(Effect::Isolates, &chosen.sure),
                format!(
                    "NetworkPolicy {} {} it for {word}, and no rule of {} admits {} {} from this source",
                    crate::model::view::names_list(&names),
                    if names.len() == 1 { "isolates" } else { "isolate" },
                    if names.len() == 1 { "it" } else { "theirs" },
                    t.protocol,
                    t.port
                ),
            );
            return;
        }
        self.cluster_tier(&self.baseline, dir, selected, other, containers, t, walk);
        walk.otherwise(
            true,
            Vec::new(),
            format!("no policy isolates it for {word}"),
        );
    }

    /// The union of the ipBlocks of every rule that matches the traffic's
    /// port, applied to a class of clients at once.
    fn client_union(
        &self,
        isolating: &[usize],
        dir: Direction,
        other: &Other,
        containers: Option<&[SlimContainer]>,
        t: &Traffic,
        walk: &mut Walk,
    ) {
        let mut union = AddressSet::default();
        let mut texts: Vec<String> = Vec::new();
        let mut by: Option<Decider> = None;
        for &i in isolating {
            let np = &self.snap.network_policies[i].object;
            for (ri, rule) in np.rules(dir).iter().enumerate() {
                let ports = rule
                    .ports
                    .iter()
                    .map(|p| port_match(p, t, containers))
                    .fold(Match::from(rule.ports.is_empty()), Match::or);
                if ports != Match::Yes {
                    continue;
                }
                let mut any = false;
                for p in &rule.peers {
                    if let Peer::IpBlock { set, cidr, except } = p {
                        union = union.union(set);
                        texts.push(describe::ip_block(cidr, except));
                        any = true;
                    }
                }
                if any && by.is_none() {
                    by = Some(self.np_decider(i, dir, Some(ri), Effect::Admits));
                }
            }
        }
        if let Some(by) = by
            && matches!(ip_match(&union, &texts.join(", "), other), Match::Yes)
        {
            walk.apply(Match::Yes, Some(true), by);
        }
    }

    /// The rules of one cluster-wide tier, in order, until one decides.
    #[allow(clippy::too_many_arguments)]
    fn cluster_tier(
        &self,
        tier: &[usize],
        dir: Direction,
        selected: Selected,
        other: &Other,
        containers: Option<&[SlimContainer]>,
        t: &Traffic,
        walk: &mut Walk,
    ) {
        if selected.host_network {
            // Host-network pods are never in a subject.
            return;
        }
        for &ci in tier {
            let cp = &self.snap.cluster_policies[ci].object;
            let selects =
                self.cluster_selects(&cp.subject, selected.namespace, selected.member.as_ref());
            if selects == Some(false) {
                continue;
            }
            for (ri, rule) in cp.rules(dir).iter().enumerate() {
                let ports = match &rule.ports {
                    None => Match::Yes,
                    Some(list) => list
                        .iter()
                        .map(|p| port_match(p, t, containers))
                        .fold(Match::No, Match::or),
                };
                let peers = rule
                    .peers
                    .iter()
                    .map(|p| self.cluster_peer(p, rule.action, other))
                    .fold(Match::No, Match::or);
                let m = ports.and(peers);
                let m = if selects.is_none() && m != Match::No {
                    Match::Unknown(format!(
                        "whether {} {} selects the pod cannot be told: labels it selects on were not read",
                        cp.kind.name(),
                        cp.name()
                    ))
                } else {
                    m
                };
                let (admits, effect) = match rule.action {
                    Action::Accept => (Some(true), Effect::Admits),
                    Action::Deny => (Some(false), Effect::Drops),
                    Action::Pass => (None, Effect::Passes),
                };
                let by = Decider {
                    kind: cp.kind.name(),
                    namespace: String::new(),
                    name: cp.name().to_string(),
                    tier: cp.tier,
                    priority: cp.priority,
                    direction: dir,
                    rule: Some(ri),
                    rule_name: rule.name.clone(),
                    effect,
                };
                if walk.apply(m, admits, by) {
                    return;
                }
            }
        }
    }

    fn np_decider(&self, i: usize, dir: Direction, rule: Option<usize>, effect: Effect) -> Decider {
        let np = &self.snap.network_policies[i].object;
        Decider {
            kind: "NetworkPolicy",
            namespace: np.metadata.namespace.clone().unwrap_or_default(),
            name: name_of(np).to_string(),
            tier: Tier::NetworkPolicy,
            priority: None,
            direction: dir,
            rule,
            rule_name: None,
            effect,
        }
    }
}

#[cfg(test)]
mod tests;
