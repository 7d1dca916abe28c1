//! What a migration returns: the objects to write, typed, and the report of
//! what moved where, what clients reach before and after, and the routing
//! check.

use super::target::{ApiKind, Release};
use super::{Note, prove};
use crate::model::routes::l4;
use gateway_api::apis::standard::gateways::Gateway;
use gateway_api::apis::standard::grpcroutes::GrpcRoute;
use gateway_api::apis::standard::httproutes::HttpRoute;
use gateway_api::apis::standard::referencegrants::ReferenceGrant;
use gateway_api::apis::standard::tlsroutes::TlsRoute;
use k8s_openapi::api::core::v1::Service;
use serde::Serialize;
use serde_json::Value;

/// One object to write, with the `apiVersion` the target serves it at.
#[derive(Clone, Debug)]
pub(crate) struct Emitted {
    pub(crate) api_version: String,
    pub(crate) object: Manifest,
}

impl Emitted {
    /// The object as JSON, with its `apiVersion` set for the target.
    pub(crate) fn to_value(&self) -> Value {
        let mut v = match &self.object {
            Manifest::Gateway(o) => serde_json::to_value(o),
            Manifest::HttpRoute(o) => serde_json::to_value(o),
            Manifest::GrpcRoute(o) => serde_json::to_value(o),
            Manifest::TlsRoute(o) => serde_json::to_value(o),
            Manifest::L4(o) => serde_json::to_value(o),
            Manifest::Service(o) => serde_json::to_value(o),
            Manifest::ReferenceGrant(o) => serde_json::to_value(o),
            Manifest::NetworkPolicy(o) => serde_json::to_value(o),
        }
        .unwrap_or(Value::Null);
        if let Some(obj) = v.as_object_mut() {
            obj.insert("apiVersion".into(), Value::String(self.api_version.clone()));
            // TLSRoute v1alpha2 takes no hostnames where none are known; the
            // crate's v1 type always writes the list.
            if let Some(spec) = obj.get_mut("spec").and_then(Value::as_object_mut)
                && spec
                    .get("hostnames")
                    .and_then(Value::as_array)
                    .is_some_and(Vec::is_empty)
            {
                spec.remove("hostnames");
            }
        }
        v
    }
}

/// The objects a migration writes, typed.
#[derive(Clone, Debug)]
pub(crate) enum Manifest {
    Gateway(Box<Gateway>),
    HttpRoute(Box<HttpRoute>),
    GrpcRoute(Box<GrpcRoute>),
    TlsRoute(Box<TlsRoute>),
    /// A TCPRoute or UDPRoute.
    L4(Box<l4::L4Route>),
    Service(Box<Service>),
    ReferenceGrant(Box<ReferenceGrant>),
    /// One that admits the Gateway's proxies (`policies`).
    NetworkPolicy(Box<k8s_openapi::api::networking::v1::NetworkPolicy>),
}

/// One Service port and where it went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct RouteLine {
    pub(crate) service: String,
    pub(crate) port: i32,
    pub(crate) kind: ApiKind,
    pub(crate) route: String,
    pub(crate) listener: String,
    pub(crate) listener_port: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) hostname: Option<String>,
}

/// One way in from outside: where clients connect, and what they reach.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct WayIn {
    /// `203.0.113.10:80`, `NODE:30080`, `Gateway infra/public:443`...
    pub(crate) address: String,
    /// The host (and path, for Ingresses) it answers for; `None`: any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) host: Option<String>,
    /// `ns/service:port`.
    pub(crate) backend: String,
}

/// The ways in before and after, so that a reviewer sees exposure did not
/// widen (nor anything fall off).
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Exposure {
    pub(crate) before: Vec<WayIn>,
    pub(crate) after: Vec<WayIn>,
}

/// What the migration does, for people (stderr) and tools (JSON).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Report {
    /// The release and channel written for; `None` when the kinds and
    /// versions came from the live cluster's discovery ([`Report::served`]).
    pub(crate) target: Option<Release>,
    /// Live, with no `--gateway-api-version`: the `(kind, version)` pairs
    /// the cluster serves, which decided what was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) served: Option<Vec<(String, String)>>,
    /// `namespace/name` of the Gateway.
    pub(crate) gateway: String,
    pub(crate) gateway_class: String,
    /// `namespace/name` of every Service rewritten to ClusterIP.
    pub(crate) services: Vec<String>,
    /// `namespace/name` of every Ingress turned into HTTPRoutes.
    pub(crate) ingresses: Vec<String>,
    /// Load balancers the migrated Services pay for now (one per shared address).
    pub(crate) load_balancers_before: usize,
    /// The Gateway's, plus those of Services kept as they are.
    pub(crate) load_balancers_after: usize,
    pub(crate) routes: Vec<RouteLine>,
    /// What clients outside the cluster reach, before and after.
    pub(crate) exposure: Exposure,
    /// The routing check: every request sampled around the migrated
    /// Ingresses' hosts and paths, where it went before and goes after.
    pub(crate) requests: Vec<prove::RequestCheck>,
    pub(crate) notes: Vec<Note>,
}

impl Report {
    /// `(checked, same, different)` of the routing check.
    pub(crate) fn request_counts(&self) -> (usize, usize, usize) {
        let same = self.requests.iter().filter(|r| r.same).count();
        (self.requests.len(), same, self.requests.len() - same)
    }
}

/// The objects and the report.
#[derive(Clone, Debug)]
pub struct Migration {
    pub(crate) objects: Vec<Emitted>,
    pub(crate) report: Report,
}
