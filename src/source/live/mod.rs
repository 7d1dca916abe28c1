//! Live clusters: read-only lists through kube-rs.
//!
//! The kubeconfig is resolved the way kubectl resolves it (`--kubeconfig`,
//! then `KUBECONFIG`, then `~/.kube/config`, then the in-cluster service
//! account). Every kind svcx reads is listed at once, page by page, with GET
//! requests only; Secrets are never asked for. A kind that RBAC forbids or that
//! the cluster does not serve becomes a [`Notice`](crate::model::Notice), not a
//! failure. What stops the run (exit 2) is a cluster that cannot be reached,
//! whose certificate does not verify, or that refuses the credentials. Over
//! one namespace, what its Gateway API objects name in other namespaces is
//! then read by name (`references`). Only when a Service name matches
//! nothing in the namespace in scope is the cluster asked once more, where
//! else that name is ([`services_named`]).
//!
//! The async part only lists and classifies errors; [`fill`] turns the
//! lists into a [`Snapshot`] and is a pure function, tested without a cluster.

mod elsewhere;
mod endpoints;
mod failure;
mod fetch;
mod gateway;
mod kubeconfig;
mod pages;
mod policies;
mod references;
mod sources;

pub(crate) use elsewhere::services_named;

use super::{LiveOptions, Namespaces};
use crate::error::Failure;
use crate::model::policy::NetworkPolicy;
use crate::model::slim::{SharedLabels, SlimNode, SlimPod, trim_endpoint_slice, trim_service};
use crate::model::{Located, Origin, Scope, Snapshot, SourceInfo};
use failure::{causes, describe, fatal, is_fatal_anywhere, most_telling, seconds};
use fetch::{Failed, Fault, Progress, Reader};
use gateway::{add_listed_object, gateway_api};
use k8s_openapi::api::core::v1::{Namespace, Node, Pod, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use k8s_openapi::api::networking::v1::{Ingress, IngressClass};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ListMeta;
use kube::api::{Api, ApiResource, DynamicObject, ListParams};
use kube::config::KubeConfigOptions;
use kube::{Client, Config};
use kubeconfig::{all_contexts, choose_context, kubeconfig};
use pages::Next;
use serde::de::DeserializeOwned;
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Objects per list request, as kubectl asks for them.
const PAGE_SIZE: u32 = 500;

/// What to do about a kind that could not be read while the rest was.
const UNREADABLE_HINT: &str =
    "the answer above is what svcx could read without it; run svcx again to read it all";

/// The Gateway API's group.
pub(crate) const GATEWAY_GROUP: &str = "gateway.networking.k8s.io";

/// Reads a snapshot from the cluster the kubeconfig points at.
/// `--request-timeout` bounds the whole read, every list and retry included;
/// resolving the kubeconfig before it reads local files only.
pub(crate) async fn load(opts: &LiveOptions, namespaces: &Namespaces) -> anyhow::Result<Snapshot> {
    let target = resolve(opts, namespaces).await?;
    let deadline = Instant::now() + opts.request_timeout;
    // Each list stops at the deadline by itself and says what it was doing
    // (see `list_trimmed`); this only backs that up, for anything else that
    // could wait (a credential plugin, setting up the client).
    let backstop = deadline + Duration::from_secs(1);
    match tokio::time::timeout_at(backstop, read(&target, deadline, &opts.also)).await {
        Ok(result) => result,
        Err(_) => Err(Failure::new(format!(
            "the cluster at {} did not answer within {} (context `{}`)",
            target.server,
            seconds(opts.request_timeout),
            target.context
        ))
        .hint("check that the cluster is reachable from here; raise --request-timeout for a slow cluster")
        .into()),
    }
}

/// The names of every context in the kubeconfig the options point at, for
/// `--all-contexts`. Reads local files only.
pub(crate) fn context_names(opts: &LiveOptions) -> anyhow::Result<Vec<String>> {
    all_contexts(opts.kubeconfig.as_deref())
}

/// The cluster to read, resolved from the kubeconfig and flags.
struct Cluster {
    config: Config,
    context: String,
    server: String,
    scope: Scope,
    /// `--request-timeout`, for messages.
    timeout: Duration,
}

/// Resolves the kubeconfig, context and namespace as kubectl does.
async fn resolve(opts: &LiveOptions, namespaces: &Namespaces) -> anyhow::Result<Cluster> {
    let (mut config, context) = match kubeconfig(opts.kubeconfig.as_deref())? {
        Some((kubeconfig, label)) => {
            let context = choose_context(&kubeconfig, opts.context.as_deref(), &label)?;
            let options = KubeConfigOptions {
                context: Some(context.clone()),
                ..Default::default()
            };
            let config = Config::from_custom_kubeconfig(kubeconfig, &options)
                .await
                .map_err(|e| {
                    anyhow::Error::new(Failure::new(causes(&e)).hint(format!(
                        "check the cluster and user entries of context `{context}` in {label}"
                    )))
                    .context(format!("could not use context `{context}`"))
                })?;
            (config, context)
        }
        None => {
            if let Some(name) = &opts.context {
                return Err(
                    Failure::new(format!("no context `{name}`: no kubeconfig was found"))
                        .hint("pass --kubeconfig PATH, set KUBECONFIG, or create ~/.kube/config")
                        .into(),
                );
            }
            let hint = "pass --kubeconfig PATH, set KUBECONFIG, or create ~/.kube/config; \
                        `svcx explain --demo` shows svcx without a cluster";
            // Inside a pod, Kubernetes sets KUBERNETES_SERVICE_HOST.
            if std::env::var_os("KUBERNETES_SERVICE_HOST").is_none() {
                return Err(Failure::new(
                    "no kubeconfig found (no --kubeconfig, KUBECONFIG or ~/.kube/config) \
                     and not running inside a cluster",
                )
                .hint(hint)
                .into());
            }
            let config = Config::incluster().map_err(|e| {
                anyhow::Error::new(Failure::new(causes(&e)).hint(hint))
                    .context("no kubeconfig found, and the in-cluster service account is unusable")
            })?;
            (config, "in-cluster".to_string())
        }
    };
    // The whole read is bounded by --request-timeout in `load`; the client's
    // own timeouts only back that up. Were they equal, the two timers would
    // race and the same stall would be reported in two different ways.
    let backstop = opts.request_timeout + Duration::from_secs(1);
    config.connect_timeout = Some(backstop);
    config.read_timeout = Some(backstop);
    // svcx retries what is safe to retry itself, within the deadline and
    // naming what it got (see `fetch`); kube's layer would wait far longer.
    config.default_retry = false;
    let scope = match namespaces {
        Namespaces::All => Scope::AllNamespaces,
        Namespaces::Only(ns) => Scope::Namespace(ns.clone()),
        Namespaces::Default => Scope::Namespace(config.default_namespace.clone()),
    };
    let server = config
        .cluster_url
        .to_string()
        .trim_end_matches('/')
        .to_string();
    Ok(Cluster {
        config,
        context,
        server,
        scope,
        timeout: opts.request_timeout,
    })
}

/// What listing one resource gave.
#[derive(Debug)]
pub(crate) enum Listed<T> {
    /// Every object, all pages.
    Items(Vec<T>),
    /// RBAC refused the `list` (403).
    Forbidden,
    /// The cluster does not serve this resource (404).
    NotServed,
    /// The list failed in a way that leaves the rest of the answer good: a
    /// server error, an answer cut short or not JSON, no answer in time.
    /// Why, in a few words (`503 Service Unavailable after 4 attempts`).
    Unreadable(String),
}

/// Whether and how the cluster serves the Gateway API.
#[derive(Debug)]
pub(crate) enum GatewayApi {
    /// The group is not served: the CRDs are not installed.
    NotInstalled,
    /// Discovery of the group was refused (403).
    Forbidden,
    /// Discovery of the group failed; why, in a few words.
    Unreadable(String),
    /// Each served kind svcx reads, with the version it was listed at; then
    /// every `(kind, version)` the group serves, from discovery.
    Installed(
        Vec<(ApiResource, Listed<DynamicObject>)>,
        Vec<(String, String)>,
    ),
}

/// Everything one live read returned, before it becomes a [`Snapshot`].
#[derive(Debug)]
pub(crate) struct Lists {
    pub(crate) services: Listed<Service>,
    pub(crate) endpoint_slices: Listed<EndpointSlice>,
    pub(crate) pods: Listed<SlimPod>,
    pub(crate) nodes: Listed<SlimNode>,
    pub(crate) ingresses: Listed<Ingress>,
    pub(crate) ingress_classes: Listed<IngressClass>,
    pub(crate) gateway: GatewayApi,
    pub(crate) network_policies: Listed<NetworkPolicy>,
    /// What could not be read of the namespaces of traced sources outside
    /// the scope (see `sources`).
    pub(crate) also_notices: Vec<String>,
    /// The network-policy-api's cluster-wide kinds, each as listed.
    pub(crate) cluster_policies: Vec<(ApiResource, Listed<DynamicObject>)>,
    /// Listed only when a Gateway listener admits routes by namespace label
    /// (`allowedRoutes.namespaces.from: Selector`) in a run over every
    /// namespace, or a policy selects namespaces by label; `None` when not
    /// needed. Over one namespace a listener needs the labels of the routes'
    /// namespaces only, which are read by name (`references`).
    pub(crate) namespaces: Option<Listed<Namespace>>,
    /// Endpoints of Services without selector and without EndpointSlice.
    pub(crate) endpoints: endpoints::Read,
}

/// Lists every kind at once and turns the answers into a snapshot.
///
/// Services are the answer: when they cannot be read, the run fails. Every
/// other kind adds to it, so a failure on one of them (a server error, an
/// answer cut short, no answer in time) leaves a notice and the rest of the
/// answer. A failure that says the cluster cannot be read at all (refused
/// credentials, a certificate, no connection) fails the run whichever list
/// met it ([`degrade`]).
async fn read(target: &Cluster, deadline: Instant, also: &[String]) -> anyhow::Result<Snapshot> {
    let client = Client::try_from(target.config.clone()).map_err(|e| {
        anyhow::Error::new(Failure::new(causes(&e)).hint(format!(
            "check the certificate and credential entries for context `{}`",
            target.context
        )))
        .context(format!(
            "could not set up a client for context `{}`",
            target.context
        ))
    })?;
    let reader = Reader { client, deadline };
    let (client, scope) = (&reader.client, &target.scope);
    let what = |resource: &str| in_scope(resource, scope);
    let (
        services,
        endpoint_slices,
        pods,
        nodes,
        ingresses,
        ingress_classes,
        gateway,
        network_policies,
        cluster_policies,
    ) = tokio::join!(
        list_apart(
            &reader,
            scoped::<Service>(client, scope),
            what("services"),
            trim_service
        ),
        list_apart(
            &reader,
            scoped::<EndpointSlice>(client, scope),
            what("endpointslices"),
            trim_endpoint_slice
        ),
        // Listed at the API's own types' paths, decoded into svcx's slim ones.
        list_apart(&reader, scoped::<Pod>(client, scope), what("pods"), {
            let mut labels = SharedLabels::default();
            move |pod: &mut SlimPod| labels.share(&mut pod.metadata)
        }),
        list_apart(
            &reader,
            Api::<Node>::all(client.clone()),
            "nodes".to_string(),
            |_: &mut SlimNode| {}
        ),
        list(&reader, scoped::<Ingress>(client, scope), what("ingresses")),
        list(
            &reader,
            Api::<IngressClass>::all(client.clone()),
            "ingressclasses".to_string()
        ),
        gateway_api(&reader, scope),
        list(
            &reader,
            scoped::<NetworkPolicy>(client, scope),
            what("networkpolicies")
        ),
        policies::cluster_policies(&reader),
    );
    let failed = [
        services.as_ref().err(),
        endpoint_slices.as_ref().err(),
        pods.as_ref().err(),
        nodes.as_ref().err(),
        ingresses.as_ref().err(),
        ingress_classes.as_ref().err(),
        gateway.as_ref().err(),
        network_policies.as_ref().err(),
        cluster_policies.as_ref().err(),
    ];
    // Without Services there is no answer: report the failure that best
    // explains it, which may be another list's (a 401 says more than a timeout).
    let stopping = failed
        .into_iter()
        .flatten()
        .filter(|f| services.is_err() || is_fatal_anywhere(&f.failed));
    if let Some(err) = most_telling(stopping) {
        return Err(fatal(err, target));
    }
    let gateway = match gateway {
        Ok(gateway) => gateway,
        Err(f) => GatewayApi::Unreadable(describe(&f.failed)),
    };
    // Namespaces are cluster-scoped and many users may not list them: ask
    // only when a listener's allowedRoutes or a policy needs their labels.
    // Over one namespace, a listener needs those of the routes' namespaces
    // only, which are read by name with what else the routes name
    // (`references`).
    let listeners_select = selects_namespaces(&gateway) && target.scope == Scope::AllNamespaces;
    let namespaces =
        if listeners_select || policies::select_namespaces(&network_policies, &cluster_policies) {
            let listed = list(
                &reader,
                Api::<Namespace>::all(client.clone()),
                "namespaces".to_string(),
            )
            .await;
            Some(degrade(listed).map_err(|f| fatal(&f, target))?)
        } else {
            None
        };
    fn optional<K>(r: Result<Listed<K>, ListFailure>, t: &Cluster) -> anyhow::Result<Listed<K>> {
        degrade(r).map_err(|f| fatal(&f, t))
    }
    // The namespaces of traced sources that the scope leaves out.
    let also: Vec<String> = match scope {
        Scope::Namespace(ns) => also.iter().filter(|a| *a != ns).cloned().collect(),
        Scope::AllNamespaces => Vec::new(),
    };
    let (also_pods, also_policies, also_notices) = sources::read(&reader, &also)
        .await
        .map_err(|f| fatal(&f, target))?;
    let mut pods = optional(pods, target)?;
    if let Listed::Items(items) = &mut pods {
        items.extend(also_pods);
    }
    let mut network_policies = optional(network_policies, target)?;
    if let Listed::Items(items) = &mut network_policies {
        items.extend(also_policies);
    }
    let services = services.map_err(|f| fatal(&f, target))?;
    let endpoint_slices = optional(endpoint_slices, target)?;
    let endpoints = endpoints::read(&reader, &services, &endpoint_slices).await;
    let lists = Lists {
        services,
        endpoint_slices,
        endpoints,
        pods,
        nodes: optional(nodes, target)?,
        ingresses: optional(ingresses, target)?,
        ingress_classes: optional(ingress_classes, target)?,
        gateway,
        network_policies,
        also_notices,
        cluster_policies: cluster_policies
            .or_else(|f| match is_fatal_anywhere(&f.failed) {
                true => Err(f),
                false => Ok(Vec::new()),
            })
            .map_err(|f| fatal(&f, target))?,
        namespaces,
    };
    let gateway_kinds: Vec<ApiResource> = match &lists.gateway {
        GatewayApi::Installed(kinds, _) => kinds.iter().map(|(r, _)| r.clone()).collect(),
        _ => Vec::new(),
    };
    let mut snap = fill(lists, &target.context, &target.server, target.scope.clone());
    if !gateway_kinds.is_empty() {
        references::follow(&reader, &gateway_kinds, &mut snap, &target.context).await;
        sources::gateway_namespaces(&reader, &mut snap, &also, &target.context).await;
    }
    Ok(snap.finish())
}

/// A failed list of a kind the answer can do without becomes
/// [`Listed::Unreadable`]; one that says the cluster cannot be read at all
/// stays an error.
fn degrade<K>(listed: Result<Listed<K>, ListFailure>) -> Result<Listed<K>, ListFailure> {
    match listed {
        Err(f) if !is_fatal_anywhere(&f.failed) => Ok(Listed::Unreadable(describe(&f.failed))),
        other => other,
    }
}

/// `services in all namespaces`, `pods in namespace `shop``.
fn in_scope(resource: &str, scope: &Scope) -> String {
    match scope {
        Scope::AllNamespaces => format!("{resource} in all namespaces"),
        Scope::Namespace(ns) => format!("{resource} in namespace `{ns}`"),
    }
}

/// Whether a listed Gateway has a listener that admits routes from
/// namespaces chosen by label.
fn selects_namespaces(gateway: &GatewayApi) -> bool {
    let GatewayApi::Installed(kinds, _) = gateway else {
        return false;
    };
    kinds
        .iter()
        .filter(|(r, _)| r.kind == "Gateway")
        .filter_map(|(_, listed)| match listed {
            Listed::Items(items) => Some(items),
            _ => None,
        })
        .flatten()
        .any(|g| {
            g.data
                .pointer("/spec/listeners")
                .and_then(serde_json::Value::as_array)
                .into_iter()
                .flatten()
                .any(|l| {
                    l.pointer("/allowedRoutes/namespaces/from")
                        .and_then(serde_json::Value::as_str)
                        == Some("Selector")
                })
        })
}

fn scoped<K>(client: &Client, scope: &Scope) -> Api<K>
where
    K: kube::Resource<Scope = k8s_openapi::NamespaceResourceScope>,
    K::DynamicType: Default,
{
    match scope {
        Scope::AllNamespaces => Api::all(client.clone()),
        Scope::Namespace(ns) => Api::namespaced(client.clone(), ns),
    }
}

/// A request that stopped the run, and what it was for
/// (`services in all namespaces`, `nodes`, `API groups (/apis)`).
#[derive(Debug)]
struct ListFailure {
    resource: String,
    failed: Box<Failed>,
}

/// Runs `work` until the read's deadline; past it, a [`Fault::TimedOut`]
/// saying what `progress` last recorded.
async fn until_deadline<T>(
    reader: &Reader,
    resource: &str,
    progress: &Progress,
    work: impl Future<Output = Result<T, ListFailure>>,
) -> Result<T, ListFailure> {
    match tokio::time::timeout_at(reader.deadline, work).await {
        Ok(result) => result,
        Err(_) => Err(ListFailure {
            resource: resource.to_string(),
            failed: Box::new(Failed::new(Fault::TimedOut(progress.get()))),
        }),
    }
}

/// Lists every page of one resource, at the path of `api`'s type, decoding
/// each object as `K`. A 403 or 404 is an answer, not an error. Pods and
/// Nodes are decoded as [`SlimPod`] and [`SlimNode`], which keep only what
/// svcx reads of each object.
async fn list<T, K>(
    reader: &Reader,
    api: Api<T>,
    resource: String,
) -> Result<Listed<K>, ListFailure>
where
    T: kube::Resource,
    K: DeserializeOwned,
{
    list_trimmed(reader, api, resource, ListParams::default(), |_| {}).await
}

/// [`list_trimmed`] of a whole kind, as a task of its own. The large lists
/// (Services, EndpointSlices, Pods, Nodes) then decode their pages on every
/// core at once, where awaiting them together in one task would decode one
/// page at a time on the thread that awaits.
async fn list_apart<T, K>(
    reader: &Reader,
    api: Api<T>,
    resource: String,
    trim: impl FnMut(&mut K) + Send + 'static,
) -> Result<Listed<K>, ListFailure>
where
    T: kube::Resource + Send + 'static,
    K: DeserializeOwned + Send + 'static,
{
    let reader = reader.clone();
    let list =
        async move { list_trimmed(&reader, api, resource, ListParams::default(), trim).await };
    tokio::spawn(list)
        .await
        .expect("a list task does not panic")
}

/// [`list_trimmed`], passing each object through `trim` as its page arrives,
/// so only what svcx keeps accumulates (see [`crate::model::slim`]), and
/// narrowed by the API server to the objects the field or label selector of
/// `narrow` (`metadata.name=web`) matches, when it has one.
///
/// Page by page, within the read's deadline; each page is one
/// [`Reader::get_body`], retried where that is safe, and the next page is
/// asked for while this one is decoded ([`pages`]). When the server says the
/// `continue` token expired (410 Gone: the list changed faster than it was
/// paged through), the list starts over from the first page, once.
async fn list_trimmed<T, K>(
    reader: &Reader,
    api: Api<T>,
    resource: String,
    narrow: ListParams,
    mut trim: impl FnMut(&mut K),
) -> Result<Listed<K>, ListFailure>
where
    T: kube::Resource,
    K: DeserializeOwned,
{
    let url = api.resource_url().to_string();
    let progress = Arc::new(Progress::default());
    let chain = |params: &ListParams| {
        pages::chain(
            reader.clone(),
            url.clone(),
            params.clone(),
            progress.clone(),
        )
    };
    let pages = async {
        let mut items = Vec::new();
        let first = narrow.clone().limit(PAGE_SIZE);
        let (mut page, mut restarted) = (1, false);
        // The pages are asked for by a chain of their own, each as soon as
        // the one before it names it ([`pages::chain`]), while this loop
        // decodes them in order.
        let mut pages = chain(&first);
        loop {
            progress.set(if page == 1 {
                "waiting for the first page".to_string()
            } else {
                format!("waiting for page {page}")
            });
            let (asked, next) = pages
                .next()
                .await
                .expect("the chain sends every page it asks for, up to the last");
            let listed = match asked.answer().await {
                Ok((body, attempts)) => serde_json::from_slice::<Page<K>>(&body)
                    .map(|list| (list, next))
                    .map_err(|e| Failed::undecodable(e, attempts)),
                Err(f) => Err(f),
            };
            match listed {
                Ok((list, next)) => {
                    items.extend(list.items.into_iter().flatten().map(|mut o| {
                        trim(&mut o);
                        o
                    }));
                    match next {
                        Next::Page(_) => {}
                        Next::Last => return Ok(Listed::Items(items)),
                        // The token is in this page's metadata: a new chain
                        // goes on from it.
                        Next::Unknown => match list.metadata.continue_.filter(|t| !t.is_empty()) {
                            Some(token) => pages = chain(&first.clone().continue_token(&token)),
                            None => return Ok(Listed::Items(items)),
                        },
                    }
                    page += 1;
                }
                Err(f) => match f.fault.code() {
                    Some(403) => return Ok(Listed::Forbidden),
                    Some(404) => return Ok(Listed::NotServed),
                    // Page 1 has no token to expire; a later one's has.
                    Some(410) if page > 1 && !restarted => {
                        restarted = true;
                        items.clear();
                        page = 1;
                        pages = chain(&first);
                    }
                    code => {
                        let mut failed = f;
                        if code == Some(410) && restarted {
                            failed.gave_up = Some(
                                "the list had already been started over once after its continue token expired"
                                    .to_string(),
                            );
                        }
                        return Err(ListFailure {
                            resource: resource.clone(),
                            failed: Box::new(failed),
                        });
                    }
                },
            }
        }
    };
    until_deadline(reader, &resource, &progress, pages).await
}

/// One page of a list: its items (`null` when there are none) and the
/// `continue` token of the next page.
#[derive(serde::Deserialize)]
#[serde(bound(deserialize = "K: DeserializeOwned"))]
struct Page<K> {
    #[serde(default)]
    metadata: ListMeta,
    items: Option<Vec<K>>,
}

/// [`fill`] and [`Snapshot::finish`] at once, as the tests call them.
#[cfg(test)]
pub(crate) fn snapshot(lists: Lists, context: &str, server: &str, scope: Scope) -> Snapshot {
    fill(lists, context, server, scope).finish()
}

/// Turns what the cluster answered into a snapshot: objects with live origins,
/// `*_known` flags for the lists that were read, and a notice for each list
/// that was refused or not served. Pure, so it is tested without a cluster.
/// Not finished yet ([`Snapshot::finish`]), so that what its objects name in
/// other namespaces can be added.
fn fill(lists: Lists, context: &str, server: &str, scope: Scope) -> Snapshot {
    let source = SourceInfo::Live {
        context: context.to_string(),
        server: server.to_string(),
    };
    let mut snap = Snapshot::new(source, scope.clone());
    let origin = || Origin::Live {
        context: context.to_string(),
    };
    let where_ = |namespaced: bool| match (&scope, namespaced) {
        (_, false) => "(cluster-scoped)".to_string(),
        (Scope::AllNamespaces, true) => "in all namespaces".to_string(),
        (Scope::Namespace(ns), true) => format!("in namespace `{ns}`"),
    };
    let can_i = |resource: &str, namespaced: bool| match (&scope, namespaced) {
        (_, false) => format!("check with `kubectl auth can-i list {resource}`"),
        (Scope::AllNamespaces, true) => {
            format!("check with `kubectl auth can-i list {resource} --all-namespaces`")
        }
        (Scope::Namespace(ns), true) => {
            format!("check with `kubectl auth can-i list {resource} -n {ns}`")
        }
    };

    macro_rules! take {
        ($listed:expr, $field:ident, $resource:expr, $namespaced:expr, $lost:expr) => {
            match $listed {
                Listed::Items(items) => {
                    snap.$field
                        .extend(items.into_iter().map(|o| Located::new(o, origin())));
                    true
                }
                Listed::Forbidden => {
                    snap.notice(
                        format!(
                            "{}: forbidden; svcx needs `list` on {} {} — {}",
                            $resource,
                            $resource,
                            where_($namespaced),
                            $lost
                        ),
                        Some(can_i($resource, $namespaced)),
                    );
                    false
                }
                Listed::NotServed => {
                    snap.notice(
                        format!(
                            "{}: not served by this cluster (404) — {}",
                            $resource, $lost
                        ),
                        None,
                    );
                    false
                }
                Listed::Unreadable(why) => {
                    snap.notice(
                        format!("{}: could not be read ({why}) — {}", $resource, $lost),
                        Some(UNREADABLE_HINT.to_string()),
                    );
                    false
                }
            }
        };
    }

    take!(
        lists.services,
        services,
        "services",
        true,
        "no Services were read"
    );
    snap.endpoint_slices_known = take!(
        lists.endpoint_slices,
        endpoint_slices,
        "endpointslices",
        true,
        "endpoints come from Pods instead, where those can be read"
    );
    snap.pods_known = take!(
        lists.pods,
        pods,
        "pods",
        true,
        "named target ports cannot be resolved and pod readiness is unknown"
    );
    snap.nodes_known = take!(
        lists.nodes,
        nodes,
        "nodes",
        false,
        "node addresses and readiness are unknown"
    );
    take!(
        lists.ingresses,
        ingresses,
        "ingresses",
        true,
        "Ingresses that route to Services were not read"
    );
    snap.ingress_classes_known = take!(
        lists.ingress_classes,
        ingress_classes,
        "ingressclasses",
        false,
        "Ingress controllers are unknown"
    );
    snap.mirrored_slices.extend(
        lists
            .endpoints
            .endpoints
            .iter()
            .flat_map(crate::model::mirror::mirror)
            .map(|s| Located::new(s, origin())),
    );
    for n in lists.endpoints.notices {
        snap.notice(n, Some(UNREADABLE_HINT.to_string()));
    }
    if let Some(namespaces) = lists.namespaces {
        snap.namespaces_known = take!(
            namespaces,
            namespaces,
            "namespaces",
            false,
            "listeners and network policies that select namespaces by label cannot be judged"
        );
    }

    snap.network_policies_known = take!(
        lists.network_policies,
        network_policies,
        "networkpolicies",
        true,
        "whether network policies admit traffic is not judged"
    );
    policies::add_cluster_policies(&mut snap, lists.cluster_policies, context);
    for n in lists.also_notices {
        snap.notice(n, None);
    }

    match lists.gateway {
        GatewayApi::NotInstalled => {
            snap.gateway_api_served = Some(Vec::new());
            snap.notice(
                "Gateway API is not installed; gateways and routes were not read",
                None,
            );
        }
        GatewayApi::Unreadable(why) => snap.notice(
            format!("{GATEWAY_GROUP}: discovery failed ({why}); gateways and routes were not read"),
            Some(UNREADABLE_HINT.to_string()),
        ),
        GatewayApi::Forbidden => snap.notice(
            format!("{GATEWAY_GROUP}: discovery forbidden; gateways and routes were not read"),
            Some("svcx needs `get` on the API discovery endpoints (/apis)".to_string()),
        ),
        GatewayApi::Installed(kinds, served) => {
            snap.gateway_api_served = Some(served);
            for (resource, listed) in kinds {
                let plural = format!("{}.{GATEWAY_GROUP}", resource.plural);
                let namespaced = resource.kind != "GatewayClass";
                let items = match listed {
                    Listed::Items(items) => items,
                    Listed::Forbidden => {
                        snap.notice(
                            format!(
                                "{plural}: forbidden; svcx needs `list` on {plural} {} — {} objects were not read",
                                where_(namespaced),
                                resource.kind
                            ),
                            Some(can_i(&plural, namespaced)),
                        );
                        continue;
                    }
                    Listed::NotServed => {
                        snap.notice(
                            format!("{plural}: not served by this cluster (404) — {} objects were not read", resource.kind),
                            None,
                        );
                        continue;
                    }
                    Listed::Unreadable(why) => {
                        snap.notice(
                            format!(
                                "{plural}: could not be read ({why}) — {} objects were not read",
                                resource.kind
                            ),
                            Some(UNREADABLE_HINT.to_string()),
                        );
                        continue;
                    }
                };
                for object in items {
                    add_listed_object(&mut snap, object, &resource, context);
                }
            }
        }
    }
    snap
}

#[cfg(test)]
mod tests;
