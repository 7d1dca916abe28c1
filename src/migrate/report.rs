//! What a migration returns: the objects to write, typed, and the report of
//! what moved where, what clients reach before and after, and the routing
//! check.

use super::target::{ApiKind, Release};
use super::{Note, l4, prove};
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
pub struct Emitted {
    pub api_version: String,
    pub object: Manifest,
}

impl Emitted {
    /// The object as JSON, with its `apiVersion` set for the target.
    pub fn to_value(&self) -> Value {
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

    /// `Kind namespace/name`.
    pub fn label(&self) -> String {
        let v = self.to_value();
        let s = |p: &str| {
            v.pointer(p)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        };
        format!(
            "{} {}/{}",
            s("/kind"),
            s("/metadata/namespace"),
            s("/metadata/name")
        )
    }
}

/// The objects a migration writes, typed.
#[derive(Clone, Debug)]
pub enum Manifest {
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
pub struct RouteLine {
    pub service: String,
    pub port: i32,
    pub kind: ApiKind,
    pub route: String,
    pub listener: String,
    pub listener_port: i32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hostname: Option<String>,
}

/// One way in from outside: where clients connect, and what they reach.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct WayIn {
    /// `203.0.113.10:80`, `NODE:30080`, `Gateway infra/public:443`...
    pub address: String,
    /// The host (and path, for Ingresses) it answers for; `None`: any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    /// `ns/service:port`.
    pub backend: String,
}

/// The ways in before and after, so that a reviewer sees exposure did not
/// widen (nor anything fall off).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Exposure {
    pub before: Vec<WayIn>,
    pub after: Vec<WayIn>,
}

/// What the migration does, for people (stderr) and tools (JSON).
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// The release and channel written for; `None` when the kinds and
    /// versions came from the live cluster's discovery ([`Report::served`]).
    pub target: Option<Release>,
    /// Live, with no `--gateway-api-version`: the `(kind, version)` pairs
    /// the cluster serves, which decided what was written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub served: Option<Vec<(String, String)>>,
    /// `namespace/name` of the Gateway.
    pub gateway: String,
    pub gateway_class: String,
    /// `namespace/name` of every Service rewritten to ClusterIP.
    pub services: Vec<String>,
    /// `namespace/name` of every Ingress turned into HTTPRoutes.
    pub ingresses: Vec<String>,
    /// Load balancers the migrated Services pay for now (one per shared address).
    pub load_balancers_before: usize,
    /// The Gateway's, plus those of Services kept as they are.
    pub load_balancers_after: usize,
    pub routes: Vec<RouteLine>,
    /// What clients outside the cluster reach, before and after.
    pub exposure: Exposure,
    /// The routing check: every request sampled around the migrated
    /// Ingresses' hosts and paths, where it went before and goes after.
    pub requests: Vec<prove::RequestCheck>,
    pub notes: Vec<Note>,
}

impl Report {
    /// `(checked, same, different)` of the routing check.
    pub fn request_counts(&self) -> (usize, usize, usize) {
        let same = self.requests.iter().filter(|r| r.same).count();
        (self.requests.len(), same, self.requests.len() - same)
    }
}

/// The objects and the report.
#[derive(Clone, Debug)]
pub struct Migration {
    pub objects: Vec<Emitted>,
    pub report: Report,
}
