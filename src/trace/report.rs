//! The trace report: plain data, serialised as the `-o json` / `-o yaml`
//! schema (docs/json.md, `## trace`). Field names are part of that contract:
//! add fields, never rename or remove them without bumping [`SCHEMA`].

pub use super::hop_id::HopId;
pub(crate) use super::hop_name::HopName;
use super::verdict::Verdict;
use crate::model::addresses::AddressRole;
use crate::model::finding::Code;
use crate::model::policy::{Decision, SourceClass};
use crate::model::{ClusterInfo, Notice, Origin, SourceInfo};
use serde::Serialize;

pub(crate) use crate::model::endpoints::EndpointCounts;

/// Version of the trace JSON schema. 2: hops name the findings behind their
/// verdicts; endpoint counts by kube-proxy state. 3: Gateway and Ingress
/// hops (`gateway`, `listener`, `route`, `backend-ref`,
/// `ingress-controller`); targets by host and path or Gateway address
/// (`target.service` is absent when a target reaches several Services;
/// `target.gateway` and `target.routes`).
pub(crate) const SCHEMA: u32 = 3;

/// Everything `svcx trace` found.
#[derive(Clone, Debug, Serialize)]
pub struct TraceReport {
    pub(crate) schema: u32,
    pub(crate) source: SourceInfo,
    /// Over several clusters only: each cluster asked for, read or not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) clusters: Vec<ClusterInfo>,
    /// What the user asked to trace; absent when every Service was traced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<TargetInfo>,
    /// The source named with `--from`: every path starts at it, inside the
    /// cluster; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) from: Option<SourceClass>,
    /// The worst verdict of any hop on any traced path.
    pub(crate) verdict: Verdict,
    /// How many traced Services end at each verdict.
    pub(crate) counts: Counts,
    pub services: Vec<ServiceTrace>,
    /// What this source cannot tell (no Nodes, pod templates instead of pods).
    pub(crate) limits: Vec<String>,
    pub(crate) notices: Vec<Notice>,
    /// Whether `--probe` tried real connections.
    pub(crate) probed: bool,
}

/// Services per verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Counts {
    pub(crate) ok: usize,
    pub(crate) warn: usize,
    pub(crate) broken: usize,
}

/// The TARGET argument and what it turned out to be.
#[derive(Clone, Debug, Serialize)]
pub struct TargetInfo {
    /// As typed.
    pub(crate) input: String,
    /// What the input turned out to be.
    pub matched: Matched,
    /// `namespace/name` of the Service it reaches; absent when it reaches several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// The node, when the target was NODE:NODEPORT.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// The Gateway (`namespace/name`) whose address the target is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) gateway: Option<String>,
    /// For a host and path: the rules that serve it, one per way in
    /// (`HTTPRoute shop/web rule 1 via Gateway infra/public:443`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) routes: Vec<String>,
}

/// What a TARGET turned out to be: `target.matched` in docs/json.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Matched {
    /// A Service's name (`NAME`, `NAMESPACE/NAME`).
    Service,
    /// A Service's DNS name (`NAME.NAMESPACE.svc...`).
    ServiceDnsName,
    /// A load balancer ingress IP.
    LoadBalancerIp,
    /// A load balancer ingress hostname.
    LoadBalancerHostname,
    /// The IP asked for in `spec.loadBalancerIP`, not (yet) in the status.
    RequestedLoadBalancerIp,
    /// One of `spec.externalIPs`.
    ExternalIp,
    /// One of `spec.clusterIPs`.
    ClusterIp,
    /// A node's address with a nodePort.
    NodePort,
    /// A Gateway's address.
    GatewayAddress,
    /// A host and path that routes serve.
    HostPath,
}

impl Matched {
    /// Every value, in the order docs/json.md lists them.
    #[cfg(test)]
    pub(crate) const ALL: [Matched; 10] = [
        Matched::Service,
        Matched::ServiceDnsName,
        Matched::LoadBalancerIp,
        Matched::LoadBalancerHostname,
        Matched::RequestedLoadBalancerIp,
        Matched::ExternalIp,
        Matched::ClusterIp,
        Matched::NodePort,
        Matched::GatewayAddress,
        Matched::HostPath,
    ];
}

impl From<AddressRole> for Matched {
    fn from(role: AddressRole) -> Self {
        match role {
            AddressRole::LoadBalancerIp => Matched::LoadBalancerIp,
            AddressRole::LoadBalancerHostname => Matched::LoadBalancerHostname,
            AddressRole::RequestedLoadBalancerIp => Matched::RequestedLoadBalancerIp,
            AddressRole::ExternalIp => Matched::ExternalIp,
            AddressRole::ClusterIp => Matched::ClusterIp,
        }
    }
}

/// One Service's paths, one per Service port.
#[derive(Clone, Debug, Serialize)]
pub struct ServiceTrace {
    pub(crate) namespace: String,
    pub(crate) name: String,
    /// `spec.type` (ClusterIP when unset).
    #[serde(rename = "type")]
    pub(crate) service_type: String,
    pub(crate) origin: Origin,
    /// The worst verdict over all paths.
    pub verdict: Verdict,
    /// The reason of the first hop with that verdict: one line for tables.
    pub(crate) summary: String,
    pub paths: Vec<PortPath>,
}

/// The path of one Service port, from the outside in.
#[derive(Clone, Debug, Serialize)]
pub struct PortPath {
    /// The Service port; absent for a Service that declares none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortSpec>,
    /// The worst verdict of its hops.
    pub(crate) verdict: Verdict,
    /// Outside in: the ways in (gateway, listener, route, backend-ref;
    /// ingress-controller; load-balancer, external-ip, node), then
    /// cluster-ip | dns | external-name, endpoints, endpoint, container.
    /// `next` links them.
    pub hops: Vec<Hop>,
}

/// A Service port as declared.
#[derive(Clone, Debug, Serialize)]
pub struct PortSpec {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    pub port: i32,
    pub(crate) protocol: String,
    /// As written: a number, or a container port name resolved per pod.
    pub(crate) target_port: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) node_port: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) app_protocol: Option<String>,
}

/// What layer of the Service a hop is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HopKind {
    /// A Gateway's address (`status.addresses`), where its clients connect.
    Gateway,
    /// One listener of a Gateway: port, protocol, hostname, what it admits.
    Listener,
    /// An Ingress's controller, named by its IngressClass.
    IngressController,
    /// A route rule (or an Ingress rule): what it matches, its filters.
    Route,
    /// One backend of a rule: the Service port it sends to, its weight.
    BackendRef,
    /// An external load balancer's ingress IP or hostname.
    LoadBalancer,
    /// One of `spec.externalIPs`, caught by kube-proxy on whichever node it reaches.
    ExternalIp,
    /// A node's address with the Service's nodePort (or a group of nodes).
    Node,
    /// The virtual cluster IP and Service port.
    ClusterIp,
    /// A headless Service's DNS name, which answers with endpoint IPs.
    Dns,
    /// An ExternalName Service: a DNS CNAME, nothing proxied.
    ExternalName,
    /// The Service's endpoints as a whole (how many, how many ready).
    Endpoints,
    /// One endpoint: a pod IP and the port it receives on.
    Endpoint,
    /// The container port inside that pod.
    Container,
}

/// One step of the path, with a verdict on whether traffic gets through.
#[derive(Clone, Debug, Serialize)]
pub struct Hop {
    /// Unique within its path; `next` refers to it.
    pub id: HopId,
    pub kind: HopKind,
    /// Node, pod, workload or container name, where the hop has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<HopName>,
    /// The address traffic is sent to at this hop; `null` when unknown
    /// (always present, unlike other optional fields).
    pub address: Option<String>,
    /// The port traffic is sent to at this hop; `null` when unknown.
    pub port: Option<i32>,
    pub verdict: Verdict,
    /// Why, in plain words.
    pub reason: String,
    /// What to do about it, when something can be done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// Codes of the findings behind the verdict (`SVC104`...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Code>,
    /// Further facts about this hop (settings that change behaviour).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// For endpoint and container hops: the node the pod runs on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
    /// For a hop standing for many nodes: how many, and some of their names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) members: Option<Members>,
    /// For the endpoints hop: counts by condition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<EndpointCounts>,
    /// Ids of the hops traffic goes to next.
    pub next: Vec<HopId>,
    /// What `--probe` observed, beside the computed verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) probe: Option<ProbeObservation>,
    /// For endpoint hops: whether the network policies admit each source
    /// this path brings (absent when the input holds no policy).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) admissions: Vec<HopAdmission>,
}

/// Whether one source's traffic gets through the network policies at an
/// endpoint, and which policies decided.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct HopAdmission {
    pub(crate) source: SourceClass,
    #[serde(flatten)]
    pub(crate) decision: Decision,
}

impl Hop {
    /// A hop with the required fields; the rest empty.
    pub(crate) fn new(
        id: HopId,
        kind: HopKind,
        verdict: Verdict,
        reason: impl Into<String>,
    ) -> Self {
        Hop {
            id,
            kind,
            name: None,
            address: None,
            port: None,
            verdict,
            reason: reason.into(),
            hint: None,
            findings: Vec::new(),
            notes: Vec::new(),
            node: None,
            members: None,
            endpoints: None,
            next: Vec::new(),
            probe: None,
            admissions: Vec::new(),
        }
    }

    /// Whether the hop is on a way in that a route gives (a Gateway or
    /// Ingress chain, with the load balancer in front of an Ingress
    /// controller), before the Service's own layers.
    pub(crate) fn in_front(&self) -> bool {
        self.id.chain().is_some()
    }

    /// Sets the node, pod, workload or container name.
    pub(crate) fn name(mut self, name: impl Into<HopName>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The name as written, where the hop has one.
    pub fn name_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.name.as_ref().map(HopName::text)
    }

    /// Sets where traffic is sent at this hop.
    pub(crate) fn at(mut self, address: Option<String>, port: Option<i32>) -> Self {
        self.address = address;
        self.port = port;
        self
    }

    /// Attaches findings: the verdict becomes at least as bad as the worst of
    /// them, their codes are listed, and when the hop has no reason yet the
    /// first finding gives its reason and hint.
    pub(crate) fn with_findings<'f>(
        mut self,
        findings: impl IntoIterator<Item = &'f crate::model::finding::Finding>,
    ) -> Self {
        for f in findings {
            self.verdict = self.verdict.max(Verdict::from(f.severity));
            if !self.findings.contains(&f.code) {
                self.findings.push(f.code);
            }
            if self.reason.is_empty() {
                self.reason = f.message.clone();
                self.hint = f.hint.clone();
            } else if self.verdict == Verdict::from(f.severity)
                && f.severity > crate::model::finding::Severity::Info
                && !self.notes.contains(&f.message)
                && self.reason != f.message
            {
                self.notes.push(f.message.clone());
            }
        }
        self
    }

    /// Adds a further fact.
    pub(crate) fn note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// Many nodes behaving alike, shown as one hop.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Members {
    pub(crate) count: usize,
    /// Up to ten names, in name order.
    pub(crate) names: Vec<String>,
}

/// The outcome of one TCP connect attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum ProbeResult {
    /// The connection was accepted.
    Open,
    /// Something answered with a reset: nothing listens, or a firewall rejects.
    Refused,
    /// No answer within `--probe-timeout`: dropped by a firewall, or unroutable.
    Timeout,
    /// Another error (no route, name did not resolve).
    Error,
    /// Not tried: not TCP, no address, or over the probe limit.
    Skipped,
}

/// What a probe saw at one hop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct ProbeObservation {
    pub(crate) result: ProbeResult,
    pub(crate) detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The values docs/json.md lists for `target.matched` (the words
    /// quoted after "`matched` is", up to the `;`), in order.
    fn documented_matched() -> Vec<String> {
        let doc = include_str!("../../docs/json.md");
        let line = doc
            .lines()
            .find(|l| l.starts_with("| `target?` |"))
            .expect("docs/json.md describes trace's target");
        let from = line.find("`matched` is ").expect("it lists matched") + "`matched` is ".len();
        let list = &line[from..];
        let list = &list[..list.find(';').expect("the list ends at ;")];
        list.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn matched_is_written_as_docs_json_lists_it() {
        let written: Vec<String> = Matched::ALL
            .iter()
            .map(|m| match serde_json::to_value(m).unwrap() {
                serde_json::Value::String(s) => s,
                other => panic!("{other}"),
            })
            .collect();
        assert_eq!(written, documented_matched());
    }

    #[test]
    fn every_address_role_is_a_target_kind() {
        use crate::model::addresses::AddressRole::*;
        let roles = [
            LoadBalancerIp,
            LoadBalancerHostname,
            RequestedLoadBalancerIp,
            ExternalIp,
            ClusterIp,
        ];
        let words: Vec<String> = roles
            .into_iter()
            .map(|r| serde_json::to_value(Matched::from(r)).unwrap().to_string())
            .collect();
        assert_eq!(
            words,
            [
                "\"load-balancer-ip\"",
                "\"load-balancer-hostname\"",
                "\"requested-load-balancer-ip\"",
                "\"external-ip\"",
                "\"cluster-ip\""
            ]
        );
    }
}
