//! TCPRoute and UDPRoute as Gateway API v1.6 serves them (`v1`, standard
//! channel). The gateway-api crate (0.22) tracks v1.5.1 and has only the
//! `v1alpha2` types of its experimental feature, so these small structs
//! hold the fields a migration writes; the same shape is valid for
//! `v1alpha2` (which allows more rules, where `v1` allows exactly one).
//! See docs/decisions.md.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

/// A TCPRoute or UDPRoute: `kind` says which.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct L4Route {
    pub(crate) api_version: String,
    pub(crate) kind: String,
    pub(crate) metadata: ObjectMeta,
    pub(crate) spec: L4RouteSpec,
}

/// `spec` of a TCPRoute or UDPRoute.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct L4RouteSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) parent_refs: Vec<ParentRef>,
    /// Exactly one in `v1` (CEL: `minItems: 1`, `maxItems: 1`).
    pub(crate) rules: Vec<L4Rule>,
}

/// `spec.parentRefs[]`: the Gateway listener the route attaches to.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct L4Rule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// 1 to 16 backends.
    pub(crate) backend_refs: Vec<BackendRef>,
}

/// `spec.rules[].backendRefs[]`. A Service reference must have a `port`
/// (CEL: "Must have port for Service reference").
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
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
