//! TCPRoute and UDPRoute: svcx's own types, read from manifests and clusters
//! and written by `svcx migrate-to-gateway`.
//!
//! The gateway-api crate (0.22) tracks Gateway API v1.5.1 and has these two
//! kinds only as its experimental feature's `v1alpha2` types, a second copy
//! of every Gateway API type that more than doubled the crate's build. v1.6
//! serves both as `v1` in the standard channel, with the same fields. So
//! svcx holds their one shape here, with the field names and types of the
//! CRD schemas (`../shared/gateway-api-crds/v1.6.1/standard` for `v1`,
//! v1.5.1's experimental channel for `v1alpha2`), and reads either version
//! into it; see docs/decisions.md. Unknown fields are skipped on reading, as
//! the generated types skip them.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, ObjectMeta};
use serde::{Deserialize, Serialize};

/// `spec` of a TCPRoute or UDPRoute.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct L4RouteSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) parent_refs: Vec<ParentRef>,
    /// Exactly one in `v1` (CEL: `minItems: 1`, `maxItems: 1`); up to 16 in
    /// `v1alpha2`.
    pub(crate) rules: Vec<L4Rule>,
    /// `useDefaultGateways` (experimental channel, v1.5): whether the route
    /// also attaches to the Gateways its implementation marks as default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) use_default_gateways: Option<UseDefaultGateways>,
}

/// `spec.useDefaultGateways`: `All` or `None`, the schema's enum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) enum UseDefaultGateways {
    All,
    None,
}

/// `spec.parentRefs[]`, and a parent's `status.parents[].parentRef`: the
/// Gateway (or listener) the route attaches to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct ParentRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<String>,
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) section_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) port: Option<i32>,
}

/// `spec.rules[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct L4Rule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// 1 to 16 backends.
    pub(crate) backend_refs: Vec<BackendRef>,
}

/// `spec.rules[].backendRefs[]`. A Service reference must have a `port`
/// (CEL: "Must have port for Service reference").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BackendRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) group: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) kind: Option<String>,
    pub(crate) name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) namespace: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) port: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) weight: Option<i32>,
}

/// `status` of a route: what each parent's controller said of it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RouteStatus {
    pub(crate) parents: Vec<RouteParentStatus>,
}

/// `status.parents[]`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RouteParentStatus {
    #[serde(default)]
    pub(crate) conditions: Vec<Condition>,
    pub(crate) controller_name: String,
    pub(crate) parent_ref: ParentRef,
}

/// A TCPRoute or UDPRoute, as read and as written: `kind` says which, and
/// `apiVersion` (`v1alpha2` or `v1`) is kept as written.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct L4Route {
    #[serde(default)]
    pub(crate) api_version: String,
    #[serde(default)]
    pub(crate) kind: String,
    pub(crate) metadata: ObjectMeta,
    pub(crate) spec: L4RouteSpec,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) status: Option<RouteStatus>,
}

/// The two kinds, as types of their own for the model's lists and findings.
macro_rules! l4_kind {
    ($(#[$doc:meta])* $name:ident, $kind:literal, $plural:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
        #[serde(transparent)]
        pub(crate) struct $name(pub(crate) L4Route);

        impl k8s_openapi::Resource for $name {
            const API_VERSION: &'static str = "gateway.networking.k8s.io/v1alpha2";
            const GROUP: &'static str = "gateway.networking.k8s.io";
            const KIND: &'static str = $kind;
            const VERSION: &'static str = "v1alpha2";
            const URL_PATH_SEGMENT: &'static str = $plural;
            type Scope = k8s_openapi::NamespaceResourceScope;
        }

        impl k8s_openapi::Metadata for $name {
            type Ty = ObjectMeta;

            fn metadata(&self) -> &ObjectMeta {
                &self.0.metadata
            }

            fn metadata_mut(&mut self) -> &mut ObjectMeta {
                &mut self.0.metadata
            }
        }
    };
}

l4_kind!(
    /// A TCPRoute: TCP connections from a listener to backends.
    TcpRoute,
    "TCPRoute",
    "tcproutes"
);
l4_kind!(
    /// A UDPRoute: UDP datagrams from a listener to backends.
    UdpRoute,
    "UDPRoute",
    "udproutes"
);

#[cfg(test)]
mod tests {
    use super::*;
    use kube::Resource;

    /// Both versions read into the one shape, and status, unknown fields
    /// and the experimental `useDefaultGateways` do not stop the reading.
    #[test]
    fn both_versions_read_and_write_back_as_written() {
        for version in ["v1alpha2", "v1"] {
            let written = serde_json::json!({
                "apiVersion": format!("gateway.networking.k8s.io/{version}"),
                "kind": "TCPRoute",
                "metadata": {"name": "db", "namespace": "data"},
                "spec": {
                    "parentRefs": [{"name": "edge", "sectionName": "pg", "port": 5432}],
                    "rules": [{"name": "all", "backendRefs": [{"name": "pg", "port": 5432, "weight": 1}]}],
                    "useDefaultGateways": "None",
                    "somethingNewer": true
                },
                "status": {"parents": [{
                    "controllerName": "example.com/gateway",
                    "parentRef": {"name": "edge"},
                    "conditions": [{"type": "Accepted", "status": "True", "reason": "Accepted",
                                    "message": "", "lastTransitionTime": "2026-01-01T00:00:00Z"}]
                }]}
            });
            let route: TcpRoute = serde_json::from_value(written.clone()).unwrap();
            assert_eq!(route.0.spec.rules[0].backend_refs[0].port, Some(5432));
            assert_eq!(
                route.0.spec.parent_refs[0].section_name.as_deref(),
                Some("pg")
            );
            assert_eq!(
                route.0.status.as_ref().unwrap().parents[0].conditions[0].type_,
                "Accepted"
            );
            let back = serde_json::to_value(&route).unwrap();
            assert_eq!(back["apiVersion"], written["apiVersion"]);
            assert_eq!(back["status"], written["status"]);
            assert_eq!(back["spec"]["rules"], written["spec"]["rules"]);
            assert!(back["spec"].get("somethingNewer").is_none());
        }
        assert_eq!(TcpRoute::kind(&()), "TCPRoute");
        assert_eq!(UdpRoute::kind(&()), "UDPRoute");
    }

    /// A field of the wrong type is an error at its path, as with the
    /// generated types.
    #[test]
    fn wrong_types_are_errors_at_their_field() {
        let value = serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1",
            "kind": "UDPRoute",
            "metadata": {"name": "dns"},
            "spec": {"rules": [{"backendRefs": [{"name": "dns", "port": "fifty-three"}]}]}
        });
        let err = serde_path_to_error::deserialize::<_, UdpRoute>(value).unwrap_err();
        assert_eq!(err.path().to_string(), "spec.rules[0].backendRefs[0].port");
        let bad_enum = serde_json::json!({
            "apiVersion": "gateway.networking.k8s.io/v1alpha2",
            "kind": "UDPRoute",
            "metadata": {"name": "dns"},
            "spec": {"rules": [], "useDefaultGateways": "Some"}
        });
        let err = serde_path_to_error::deserialize::<_, UdpRoute>(bad_enum).unwrap_err();
        assert_eq!(err.path().to_string(), "spec.useDefaultGateways");
    }
}
