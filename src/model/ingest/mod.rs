//! Turning one decoded Kubernetes object (JSON value) into a typed snapshot
//! entry. What svcx reads is one table, [`KINDS`]: (group, kind) → the API
//! versions it accepts → the list the object goes to. Everything else is
//! decided from that table and from [`OLD_VERSIONS`], the API versions
//! Kubernetes (or the Gateway API) no longer serves:
//!
//! - a kind at an accepted version is read (once: the same object read twice
//!   is kept at its first place and reported);
//! - a kind svcx reads, at a version that is no longer served, is skipped and
//!   counted, and [`Snapshot::finish`] says so once per apiVersion and kind;
//! - a kind svcx reads, at a version or group that never served it
//!   (`apiVersion: apps/v1` with `kind: Service`), is an error;
//! - any other kind (ConfigMap, CRDs, a third party's `Gateway`) is skipped
//!   and counted, and summarised in one notice.
//!
//! Files and the demo come through here; live lists arrive typed and use the
//! same lists, except Gateway API objects, which come through here too.

use super::origin::ObjectSpans;
use super::policy::{
    AdminNetworkPolicyObject, BaselineAdminNetworkPolicyObject, ClusterNetworkPolicyObject,
    ClusterPolicy, NetworkPolicy,
};
use super::slim::{RawTemplate, SlimNode, SlimPod, trim_endpoint_slice, trim_service};
use super::{Located, Origin, Snapshot, Workload};
use crate::model::routes::l4::{TcpRoute, UdpRoute};
use gateway_api::apis::standard::{
    gatewayclasses::GatewayClass, gateways::Gateway, grpcroutes::GrpcRoute, httproutes::HttpRoute,
    listenersets::ListenerSet, referencegrants::ReferenceGrant, tlsroutes::TlsRoute,
};
use k8s_openapi::api::core::v1::{Namespace, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

mod kinds;

use kinds::*;
pub(crate) use kinds::{KINDS, KnownKind, POLICY_API, unused_kind};
pub(super) use kinds::{known_kind, old_version};

/// What happened to one object.
#[derive(Debug, PartialEq, Eq)]
pub enum Ingested {
    /// Added to the snapshot.
    Added,
    /// A kind svcx does not read (ConfigMap, CRDs, ...): counted, skipped.
    Unused,
    /// A kind svcx reads, at an API version no longer served: counted, skipped.
    OldVersion,
    /// In a namespace outside the run's scope: counted, skipped.
    OutOfScope,
    /// Read before (same kind, namespace and name): the first is kept.
    Duplicate,
}

/// A value that does not fit a type, with the path of the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// `spec.ports[0].port`; empty for the object itself.
    pub(crate) path: String,
    pub(crate) message: String,
}

impl SchemaError {
    /// The same error, for a value found at `prefix` in its object.
    fn under(mut self, prefix: &str) -> Self {
        self.path = match (self.path.is_empty(), self.path.starts_with('[')) {
            (true, _) => prefix.to_string(),
            (false, true) => format!("{prefix}{}", self.path),
            (false, false) => format!("{prefix}.{}", self.path),
        };
        self
    }
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// An object of a kind svcx reads that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// Its content does not fit the kind's schema.
    #[error("invalid {kind} `{name}`: {problem}")]
    Schema {
        kind: String,
        name: String,
        problem: SchemaError,
    },
    /// The API server refuses it (a workload without a pod template): svcx
    /// leaves it out, with a notice that names it.
    #[error("invalid {kind} `{name}`: {problem}")]
    Rejected {
        kind: String,
        name: String,
        problem: SchemaError,
    },
    /// Its apiVersion never served its kind (`apps/v1` with `kind: Service`).
    #[error("{kind} `{name}` {}", describe_api_version(.found))]
    ApiVersion {
        kind: String,
        name: String,
        found: String,
        known: &'static KnownKind,
    },
}

fn describe_api_version(found: &str) -> String {
    if found.is_empty() {
        "has no apiVersion".to_string()
    } else {
        format!("has apiVersion `{found}`, which does not serve that kind")
    }
}

impl IngestError {
    /// Gateway API objects come in many CRD versions and partial forms (status
    /// dumps without spec); one that does not fit is skipped with a notice
    /// instead of failing the run. Core kinds must fit their schema.
    pub(crate) fn is_skippable(&self) -> bool {
        match self {
            IngestError::Schema { kind, .. } => KINDS
                .iter()
                .any(|k| k.group == GATEWAY && k.kind == kind.as_str()),
            IngestError::Rejected { .. } => true,
            IngestError::ApiVersion { .. } => false,
        }
    }

    /// The field at fault: `spec.ports[0].port`, `apiVersion`; empty for
    /// the object as a whole.
    pub(crate) fn field(&self) -> &str {
        match self {
            IngestError::Schema { problem, .. } | IngestError::Rejected { problem, .. } => {
                &problem.path
            }
            IngestError::ApiVersion { .. } => "apiVersion",
        }
    }

    /// What to do about it.
    pub(crate) fn hint(&self) -> String {
        match self {
            IngestError::Schema { .. } => {
                "fix the field named above; the object does not match its Kubernetes schema"
                    .to_string()
            }
            IngestError::Rejected { .. } => {
                "the API server refuses it as it is; fix the field named above".to_string()
            }
            IngestError::ApiVersion { known, .. } => {
                let others = &known.versions[1..];
                let also = if others.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (svcx also reads {})",
                        others
                            .iter()
                            .map(|v| format!("`{}`", api_version(known.group, v)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                format!(
                    "{} is served at `apiVersion: {}`{also}",
                    known.kind,
                    known.api_version()
                )
            }
        }
    }
}

/// How svcx classifies an object before reading it.
enum Class {
    Read(&'static KnownKind),
    Old,
    Unused,
}

/// What identifies an object for duplicate detection: group, kind,
/// namespace, name.
pub(super) type ObjectKey = (String, String, String, String);

/// A label for a kind in counts and notices: the kind, with its group when
/// that is not Kubernetes' own (`Gateway.networking.istio.io`).
fn kind_label(group: &str, kind: &str) -> String {
    if kubernetes_group(group) {
        kind.to_string()
    } else {
        format!("{kind}.{group}")
    }
}

impl Snapshot {
    /// Adds one object. `default_namespace` fills a missing
    /// `metadata.namespace`, as `kubectl apply` would.
    pub fn ingest(
        &mut self,
        value: Value,
        origin: Origin,
        default_namespace: &str,
    ) -> Result<Ingested, IngestError> {
        self.ingest_with_spans(value, origin, None, default_namespace)
    }

    /// Adds one object read from text, with the positions of its fields.
    pub(crate) fn ingest_with_spans(
        &mut self,
        value: Value,
        origin: Origin,
        spans: Option<Arc<ObjectSpans>>,
        default_namespace: &str,
    ) -> Result<Ingested, IngestError> {
        self.ingest_prepared(Prepared::new(value, default_namespace), origin, spans)
    }

    /// Adds an object read by [`Prepared::new`] (possibly on another
    /// thread): duplicates, counts and scope are decided here, in input
    /// order, exactly as [`Snapshot::ingest_with_spans`] decides them.
    pub(crate) fn ingest_prepared(
        &mut self,
        prepared: Prepared,
        origin: Origin,
        spans: Option<Arc<ObjectSpans>>,
    ) -> Result<Ingested, IngestError> {
        let Ready {
            group,
            version,
            found_api_version,
            kind,
            name,
            namespace,
            cluster_scoped,
            label,
            fate,
        } = prepared.0?;
        if let Some(name) = &name {
            let key = (group.clone(), kind.clone(), namespace.clone(), name.clone());
            // Counted once either way; only a kind svcx reads is worth a
            // notice (which copy is kept changes nothing for the others).
            let reported = !matches!(fate, Fate::Unused(_));
            if self.stats.seen_before(key, &label, &origin, reported) {
                return Ok(Ingested::Duplicate);
            }
        }
        *self.stats.objects.entry(label.clone()).or_default() += 1;
        if !cluster_scoped {
            if !self.scope.includes(&namespace) {
                *self
                    .stats
                    .out_of_scope
                    .entry(namespace)
                    .or_default()
                    .entry(label)
                    .or_default() += 1;
                return Ok(Ingested::OutOfScope);
            }
            self.stats.in_scope += 1;
        }
        let typed = match fate {
            Fate::Typed(typed) => (*typed)?,
            Fate::Old => {
                // lint reports each such object at its apiVersion (SVC002);
                // the other commands say it once per version and kind.
                let gone =
                    old_version(&group, &version, &kind).map_or("is no longer served", |o| o.gone);
                let current = KINDS
                    .iter()
                    .find(|k| k.kind == kind)
                    .map(|k| k.api_version())
                    .unwrap_or_default();
                let span = spans
                    .as_ref()
                    .and_then(|s| s.fields().nearest_value("apiVersion"));
                self.input_findings.push(
                    super::finding::Finding::about(
                        super::finding::Code::RemovedApiVersion,
                        super::finding::ObjectRef::new(&kind, &namespace, name.as_deref().unwrap_or("<unnamed>")),
                        origin,
                        "apiVersion",
                        span,
                        format!("`apiVersion: {found_api_version}` {gone}: the API server rejects this {kind}"),
                    )
                    .hint(format!("use `apiVersion: {current}` (check the fields that changed with it); svcx skipped this object")),
                );
                *self
                    .stats
                    .old_versions
                    .entry((found_api_version, kind))
                    .or_default() += 1;
                return Ok(Ingested::OldVersion);
            }
            Fate::Unused(Some(parameters)) => {
                // The proxies' parameters: the few facts read.
                self.proxy_parameters.push(*parameters);
                return Ok(Ingested::Added);
            }
            Fate::Unused(None) => {
                // A network plugin's policy is not read, but where it may
                // select pods, the policy answers say "depends".
                let foreign = crate::model::policy::foreign::ForeignPolicy::of(
                    &group,
                    &kind,
                    &namespace,
                    name.as_deref().unwrap_or("<unnamed>"),
                );
                // Nor is it an operator's kind that creates pods.
                let creates_pods = foreign.is_none() && !creates_no_pods(&group, &kind);
                self.foreign_policies.extend(foreign);
                if !cluster_scoped && !kubernetes_group(&group) && creates_pods {
                    self.stats
                        .custom
                        .entry(namespace)
                        .or_default()
                        .insert(label.clone());
                }
                *self.stats.unused.entry(label).or_default() += 1;
                return Ok(Ingested::Unused);
            }
            Fate::HelmHook => {
                *self.stats.helm_hooks.entry(label).or_default() += 1;
                return Ok(Ingested::Unused);
            }
        };
        macro_rules! push {
            ($($target:ident => $list:ident),* $(,)?) => {
                match typed {
                    $(Typed::$target(object) => self.$list.push(Located {
                        origin,
                        object,
                        spans,
                    }),)*
                    Typed::Workload(workload) => self
                        .workloads
                        .push(Located::new(workload, origin).with_object_spans(spans)),
                    Typed::Endpoints(slices) => {
                        self.mirrored_slices.extend(slices.into_iter().map(|object| Located {
                            origin: origin.clone(),
                            object,
                            spans: spans.clone(),
                        }))
                    }
                }
            };
        }
        push!(
            Service => services,
            EndpointSlice => endpoint_slices,
            Pod => pods,
            Node => nodes,
            Namespace => namespaces,
            Ingress => ingresses,
            IngressClass => ingress_classes,
            GatewayClass => gateway_classes,
            Gateway => gateways,
            ListenerSet => listener_sets,
            HttpRoute => http_routes,
            GrpcRoute => grpc_routes,
            TlsRoute => tls_routes,
            TcpRoute => tcp_routes,
            UdpRoute => udp_routes,
            ReferenceGrant => reference_grants,
            NetworkPolicy => network_policies,
            ClusterPolicy => cluster_policies,
        );
        Ok(Ingested::Added)
    }
}

/// An object read from its decoded value without the snapshot: classified,
/// checked and typed. Everything that needs no other object is done here, so
/// that it can be done on the thread that decoded the value; what depends on
/// the objects before (duplicates, counts, scope) is left to
/// [`Snapshot::ingest_prepared`]. An object that turns out a duplicate or out
/// of scope is typed for nothing, and its typing error is never reported, as
/// when it is typed on demand.
pub(crate) struct Prepared(Result<Ready, IngestError>);

struct Ready {
    group: String,
    version: String,
    found_api_version: String,
    kind: String,
    name: Option<String>,
    namespace: String,
    cluster_scoped: bool,
    label: String,
    fate: Fate,
}

/// What becomes of an object once it is counted and in scope.
enum Fate {
    /// Boxed: a typed object is hundreds of bytes, the other fates none.
    Typed(Box<Result<Typed, IngestError>>),
    Old,
    /// A kind svcx does not read as a whole: the proxies' parameters' few
    /// facts.
    Unused(Option<Box<crate::model::proxy_params::ProxyParameters>>),
    HelmHook,
}

/// A typed object, for the snapshot's list of its kind.
enum Typed {
    Service(Service),
    EndpointSlice(EndpointSlice),
    Endpoints(Vec<EndpointSlice>),
    Pod(SlimPod),
    Node(SlimNode),
    Namespace(Namespace),
    Ingress(Ingress),
    IngressClass(IngressClass),
    GatewayClass(GatewayClass),
    Gateway(Gateway),
    ListenerSet(ListenerSet),
    HttpRoute(HttpRoute),
    GrpcRoute(GrpcRoute),
    TlsRoute(TlsRoute),
    TcpRoute(TcpRoute),
    UdpRoute(UdpRoute),
    ReferenceGrant(ReferenceGrant),
    NetworkPolicy(NetworkPolicy),
    ClusterPolicy(ClusterPolicy),
    Workload(Workload),
}

impl Prepared {
    /// Reads one object. `default_namespace` fills a missing
    /// `metadata.namespace`, as `kubectl apply` would.
    pub(crate) fn new(value: Value, default_namespace: &str) -> Self {
        Prepared(ready(value, default_namespace))
    }
}

fn ready(mut value: Value, default_namespace: &str) -> Result<Ready, IngestError> {
    let text = |field: &str| value.get(field).and_then(Value::as_str).unwrap_or("");
    let found_api_version = text("apiVersion").to_string();
    let kind = text("kind").to_string();
    let (group, version) = found_api_version
        .rsplit_once('/')
        .unwrap_or(("", found_api_version.as_str()));
    let (group, version) = (group.to_string(), version.to_string());
    let name = value
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .map(str::to_string);
    let class = match known_kind(&group, &kind) {
        Some(k) if k.versions.contains(&version.as_str()) => Class::Read(k),
        _ if old_version(&group, &version, &kind).is_some() => Class::Old,
        Some(k) => {
            return Err(api_version_error(
                &kind,
                name.as_deref(),
                &found_api_version,
                k,
            ));
        }
        None if kubernetes_group(&group) => match KINDS.iter().find(|k| k.kind == kind) {
            Some(k) => {
                return Err(api_version_error(
                    &kind,
                    name.as_deref(),
                    &found_api_version,
                    k,
                ));
            }
            None => Class::Unused,
        },
        None => Class::Unused,
    };
    // A name or namespace that is not a string (`namespace: off` reads
    // as a boolean in YAML 1.1, as kubectl reads it) is an error at the
    // field, as the API server's would be, never a silent default.
    if let Class::Read(_) = class {
        for field in ["name", "namespace"] {
            if let Some(v) = value.get("metadata").and_then(|m| m.get(field))
                && !(v.is_string() || v.is_null())
            {
                return Err(IngestError::Schema {
                    kind: kind.clone(),
                    name: name.as_deref().unwrap_or("<unnamed>").to_string(),
                    problem: SchemaError {
                        path: format!("metadata.{field}"),
                        message: format!(
                            "expected a string, found `{v}`; quote the value (`{field}: \"...\"`): YAML reads some bare words (off, no, yes, on) and numbers as other types"
                        ),
                    },
                });
            }
        }
        // Every object svcx reads has a name (the API server requires
        // one); without it, reports would show an object called "".
        let generated = value
            .pointer("/metadata/generateName")
            .is_some_and(Value::is_string);
        if name.is_none() && !generated {
            return Err(IngestError::Schema {
                kind: kind.clone(),
                name: "<unnamed>".to_string(),
                problem: SchemaError {
                    path: "metadata.name".to_string(),
                    message: "missing: every object needs a name".to_string(),
                },
            });
        }
    }
    let written_ns = value
        .pointer("/metadata/namespace")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let cluster_scoped = match class {
        Class::Read(k) => k.cluster_scoped,
        Class::Old => KINDS.iter().any(|k| k.kind == kind && k.cluster_scoped),
        Class::Unused => {
            written_ns.is_none()
                && (OTHER_CLUSTER_SCOPED.contains(&kind.as_str())
                    || crate::model::policy::foreign::is_cluster_wide(&group, &kind))
        }
    };
    let namespace = match (cluster_scoped, written_ns) {
        (true, _) => String::new(),
        (false, Some(ns)) => ns,
        (false, None) => default_namespace.to_string(),
    };
    let label = kind_label(&group, &kind);
    let fate = match class {
        Class::Old => Fate::Old,
        Class::Unused => Fate::Unused(
            crate::model::proxy_params::ProxyParameters::of(
                &group,
                &kind,
                &namespace,
                name.as_deref().unwrap_or_default(),
                &value,
            )
            .map(Box::new),
        ),
        // `helm template` prints hooks with the chart; a test Pod carries the
        // chart's selector labels but is no backend of the Service.
        Class::Read(known)
            if matches!(known.target, Destination::Pod | Destination::Workload(_))
                && value
                    .pointer("/metadata/annotations/helm.sh~1hook")
                    .is_some() =>
        {
            Fate::HelmHook
        }
        Class::Read(known) => {
            if !cluster_scoped
                && let Some(meta) = value.get_mut("metadata").and_then(Value::as_object_mut)
            {
                meta.insert("namespace".into(), Value::String(namespace.clone()));
            }
            // TLSRoute `hostnames` is optional in v1alpha2 (`+optional` in
            // kubernetes-sigs/gateway-api apis/v1alpha2/tlsroute_types.go)
            // and required from v1alpha3; svcx types every version as v1, so
            // an omitted list is read as the empty one (any hostname).
            if known.target == Destination::TlsRoute
                && version == "v1alpha2"
                && let Some(spec) = value.get_mut("spec").and_then(Value::as_object_mut)
            {
                spec.entry("hostnames")
                    .or_insert_with(|| Value::Array(Vec::new()));
            }
            let name = name.as_deref().unwrap_or("<unnamed>");
            Fate::Typed(Box::new(
                typed_object(known.target, &kind, &namespace, name, value).map_err(|problem| {
                    if problem.message == NO_TEMPLATE {
                        IngestError::Rejected {
                            kind: kind.clone(),
                            name: name.to_string(),
                            problem,
                        }
                    } else {
                        IngestError::Schema {
                            kind: kind.clone(),
                            name: name.to_string(),
                            problem,
                        }
                    }
                }),
            ))
        }
    };
    Ok(Ready {
        group,
        version,
        found_api_version,
        kind,
        name,
        namespace,
        cluster_scoped,
        label,
        fate,
    })
}

/// Types an object for the snapshot's list of its kind.
fn typed_object(
    target: Destination,
    kind: &str,
    namespace: &str,
    name: &str,
    value: Value,
) -> Result<Typed, SchemaError> {
    macro_rules! typed {
        ($variant:ident) => {
            typed!($variant, |_| {})
        };
        ($variant:ident, $trim:expr) => {{
            let mut object = typed(value)?;
            $trim(&mut object);
            Typed::$variant(object)
        }};
    }
    Ok(match target {
        Destination::Service => typed!(Service, trim_service),
        Destination::EndpointSlice => typed!(EndpointSlice, trim_endpoint_slice),
        Destination::Endpoints => {
            let endpoints: k8s_openapi::api::core::v1::Endpoints = typed(value)?;
            Typed::Endpoints(super::mirror::mirror(&endpoints))
        }
        Destination::Pod => typed!(Pod),
        Destination::Node => typed!(Node),
        Destination::Namespace => typed!(Namespace),
        Destination::Ingress => typed!(Ingress),
        Destination::IngressClass => typed!(IngressClass),
        Destination::GatewayClass => typed!(GatewayClass),
        Destination::Gateway => typed!(Gateway),
        Destination::ListenerSet => typed!(ListenerSet),
        Destination::HttpRoute => {
            Typed::HttpRoute(typed(crate::model::routes::fold_external_auth(value))?)
        }
        Destination::GrpcRoute => typed!(GrpcRoute),
        Destination::TlsRoute => typed!(TlsRoute),
        Destination::TcpRoute => typed!(TcpRoute),
        Destination::UdpRoute => typed!(UdpRoute),
        Destination::ReferenceGrant => typed!(ReferenceGrant),
        Destination::NetworkPolicy => typed!(NetworkPolicy),
        Destination::ClusterPolicy(k) => Typed::ClusterPolicy(match k {
            ClusterKindTarget::Cnp => typed::<ClusterNetworkPolicyObject>(value)?.0,
            ClusterKindTarget::Anp => typed::<AdminNetworkPolicyObject>(value)?.0,
            ClusterKindTarget::Banp => typed::<BaselineAdminNetworkPolicyObject>(value)?.0,
        }),
        Destination::Workload(shape) => {
            let (at, spec) = workload_spec(shape, value)?;
            Typed::Workload(workload(kind, namespace, name, spec).map_err(|e| e.under(at))?)
        }
    })
}

fn api_version_error(
    kind: &str,
    name: Option<&str>,
    found: &str,
    known: &'static KnownKind,
) -> IngestError {
    IngestError::ApiVersion {
        kind: kind.to_string(),
        name: name.unwrap_or("<unnamed>").to_string(),
        found: found.to_string(),
        known,
    }
}

/// Where a workload's spec is, and that spec in the shape [`workload`] reads
/// (`template`, and `selector` as a LabelSelector). The spec is moved out of
/// the object, not copied: the rest of the object is not read again.
fn workload_spec(
    shape: TemplateAt,
    mut value: Value,
) -> Result<(&'static str, Value), SchemaError> {
    let mut spec = |pointer: &str| value.pointer_mut(pointer).map_or(Value::Null, Value::take);
    match shape {
        TemplateAt::Template => Ok(("spec", spec("/spec"))),
        TemplateAt::JobTemplate => Ok(("spec.jobTemplate.spec", spec("/spec/jobTemplate/spec"))),
        TemplateAt::LabelMap => {
            let mut spec = spec("/spec");
            // The selector is a plain label map.
            let labels: Option<BTreeMap<String, String>> = match spec.get("selector") {
                Some(s) if !s.is_null() => {
                    Some(typed(s.clone()).map_err(|e| e.under("spec.selector"))?)
                }
                _ => None,
            };
            if let (Some(map), Some(labels)) = (spec.as_object_mut(), labels) {
                map.insert(
                    "selector".into(),
                    serde_json::json!({ "matchLabels": labels }),
                );
            }
            Ok(("spec", spec))
        }
    }
}

/// Deserializes with the failing field's path
/// (`spec.ports[0].port: invalid type: string "x", expected i32`).
fn typed<T: DeserializeOwned>(value: Value) -> Result<T, SchemaError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        SchemaError {
            path: if path == "." { String::new() } else { path },
            message: e.inner().to_string(),
        }
    })
}

/// Why a workload without a pod template is left out: `template` is
/// required for every kind svcx reads as a workload (the API server's
/// validation of Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs).
const NO_TEMPLATE: &str = "missing: the API server refuses a workload without a pod template";

fn workload(
    kind: &str,
    namespace: &str,
    name: &str,
    mut spec: Value,
) -> Result<Workload, SchemaError> {
    // Moved out of the spec, not copied: each is read once.
    let template: Option<RawTemplate> = match spec.get_mut("template").map(Value::take) {
        Some(t) => typed(t).map_err(|e| e.under("template"))?,
        None => None,
    };
    // A ReplicationController may leave its template out (it then makes no
    // pods); every other kind needs one.
    if template.is_none() && kind != "ReplicationController" {
        return Err(SchemaError {
            path: "template".into(),
            message: NO_TEMPLATE.into(),
        });
    }
    let (labels, containers, host_network) = match template {
        Some(t) => {
            let host_network = t.spec.as_ref().is_some_and(|s| s.host_network());
            (
                t.metadata.and_then(|m| m.labels).unwrap_or_default(),
                t.spec.map(|s| s.into_containers()).unwrap_or_default(),
                host_network,
            )
        }
        None => Default::default(),
    };
    // The selector is not kept (Services select pods by the template's
    // labels), but one that is not a LabelSelector is an error in the input.
    if let Some(s) = spec
        .get_mut("selector")
        .map(Value::take)
        .filter(|s| !s.is_null())
    {
        typed::<LabelSelector>(s).map_err(|e| e.under("selector"))?;
    }
    // A count beyond i32 is not a real workload; keep it in range rather than wrap.
    let count = |field: &str| {
        spec.get(field)
            .and_then(Value::as_i64)
            .map(|n| i32::try_from(n).unwrap_or(if n < 0 { 0 } else { i32::MAX }))
    };
    // DaemonSets run one pod per node and have no replica count.
    let replicas = match kind {
        "DaemonSet" => None,
        "Job" | "CronJob" => count("parallelism"),
        _ => Some(count("replicas").unwrap_or(1)),
    };
    let controller_labels =
        super::controller_labels::ControllerLabels::of(kind, name, &spec, replicas);
    Ok(Workload {
        kind: kind.to_string(),
        namespace: namespace.to_string(),
        name: name.to_string(),
        replicas,
        labels,
        containers,
        host_network,
        controller_labels,
    })
}

#[cfg(test)]
mod tests;
