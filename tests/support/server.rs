//! The test API server: HTTPS on 127.0.0.1 (an ephemeral port), bearer-token
//! authentication, legacy discovery, paginated LIST (narrowed by label and
//! field selectors, `fieldSelector=metadata.name=web`, as the API server does)
//! and GET of fixture objects, chosen 403s and 404s, faults injected per
//! resource (see `faults.rs`), and a log of every request.
//!
//! It answers read requests only, and only for the resources in
//! [`super::resources::RESOURCES`]; it never serves Secrets. Discovery is
//! answered as plain JSON (`application/json`): kubectl first asks for the
//! aggregated format and falls back to the legacy lists when it gets them.

use super::faults::{self, Fault, Rule};
use super::resources::{self, ResourceType};
use super::store::{self, ListQuery, Selector, Store};
use super::tls;
use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::convert::Infallible;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The token the server accepts unless told otherwise.
pub const DEFAULT_TOKEN: &str = "svcx-test-token";

/// One request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// The raw query string (percent-encoded), empty when there is none.
    pub query: String,
    pub accept: String,
}

impl LoggedRequest {
    /// A query parameter, percent-decoded.
    pub fn param(&self, name: &str) -> Option<String> {
        query_pairs(&self.query)
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

/// Builds a test API server: objects first, then behaviour.
pub struct ApiServerBuilder {
    store: Store,
    forbidden: HashSet<String>,
    forbidden_cluster_wide: HashSet<String>,
    forbidden_in: HashSet<(String, String)>,
    not_served: HashSet<String>,
    gateway_api: Option<bool>,
    token: String,
    max_page: Option<usize>,
    faults: Vec<Rule>,
    delay: Duration,
    versions: HashMap<String, Vec<&'static str>>,
}

impl Default for ApiServerBuilder {
    fn default() -> Self {
        ApiServerBuilder {
            store: Store::default(),
            forbidden: HashSet::new(),
            forbidden_cluster_wide: HashSet::new(),
            forbidden_in: HashSet::new(),
            not_served: HashSet::new(),
            gateway_api: None,
            token: DEFAULT_TOKEN.to_string(),
            max_page: None,
            faults: Vec::new(),
            delay: Duration::ZERO,
            versions: HashMap::new(),
        }
    }
}

impl ApiServerBuilder {
    /// Adds every object of a YAML or JSON stream (multi-document; `kind:
    /// List` and typed lists are expanded).
    pub fn yaml(mut self, text: &str) -> Self {
        for doc in svcx::yaml::split_documents(text) {
            if doc.is_empty() {
                continue;
            }
            let value =
                svcx::yaml::parse_document(&doc).unwrap_or_else(|e| panic!("fixture YAML: {e}"));
            self = self.value(value);
        }
        self
    }

    fn value(mut self, value: Value) -> Self {
        match value {
            Value::Null => {}
            Value::Object(mut map) if map.get("items").is_some_and(Value::is_array) => {
                let kind = map
                    .get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or("List")
                    .to_string();
                let api_version = map
                    .get("apiVersion")
                    .and_then(Value::as_str)
                    .unwrap_or("v1")
                    .to_string();
                let Some(Value::Array(items)) = map.remove("items") else {
                    unreachable!()
                };
                for mut item in items {
                    if let (Some(obj), Some(k)) = (
                        item.as_object_mut(),
                        kind.strip_suffix("List").filter(|k| !k.is_empty()),
                    ) {
                        obj.entry("kind")
                            .or_insert_with(|| Value::String(k.to_string()));
                        obj.entry("apiVersion")
                            .or_insert_with(|| Value::String(api_version.clone()));
                    }
                    self = self.object(item);
                }
            }
            other => self = self.object(other),
        }
        self
    }

    /// Adds one object (with `apiVersion` and `kind`).
    pub fn object(mut self, object: Value) -> Self {
        self.store
            .add(object)
            .unwrap_or_else(|e| panic!("fixture object: {e}"));
        self
    }

    /// Adds objects built in code (the benchmark generates thousands).
    pub fn objects(mut self, objects: impl IntoIterator<Item = Value>) -> Self {
        for o in objects {
            self.store
                .add(o)
                .unwrap_or_else(|e| panic!("fixture object: {e}"));
        }
        self
    }

    /// Answers 403 Forbidden for every request on a resource (`nodes`).
    pub fn forbid(mut self, plural: &str) -> Self {
        self.forbidden.insert(plural.to_string());
        self
    }

    /// Answers 403 Forbidden to requests on a namespaced resource across all
    /// namespaces (`/api/v1/services`), and serves it namespace by namespace:
    /// RBAC for a user whose Roles are bound in namespaces, not cluster-wide.
    pub fn forbid_cluster_wide(mut self, plural: &str) -> Self {
        self.forbidden_cluster_wide.insert(plural.to_string());
        self
    }

    /// Answers 403 Forbidden to every request on a namespaced resource in
    /// one namespace, and serves it elsewhere: RBAC for a user whose Roles
    /// are bound in some namespaces and not in that one.
    pub fn forbid_in(mut self, plural: &str, namespace: &str) -> Self {
        self.forbidden_in
            .insert((plural.to_string(), namespace.to_string()));
        self
    }

    /// Does not serve a resource at all: absent from discovery, 404 on its paths.
    pub fn not_served(mut self, plural: &str) -> Self {
        self.not_served.insert(plural.to_string());
        self
    }

    /// Serves a resource at these versions instead of its table's (e.g.
    /// `tcproutes` at `["v1"]`, as Gateway API v1.6 does).
    pub fn served_at(mut self, plural: &str, versions: &[&'static str]) -> Self {
        self.versions.insert(plural.to_string(), versions.to_vec());
        self
    }

    /// Whether the Gateway API CRDs are installed (default: when the fixture
    /// holds Gateway API objects).
    pub fn gateway_api(mut self, installed: bool) -> Self {
        self.gateway_api = Some(installed);
        self
    }

    /// The bearer token the server accepts.
    pub fn token(mut self, token: &str) -> Self {
        self.token = token.to_string();
        self
    }

    /// Caps every page at `n` objects, whatever `limit` the client asks for.
    pub fn max_page(mut self, n: usize) -> Self {
        self.max_page = Some(n);
        self
    }

    /// Injects `fault` into every answer about `target`: a resource's plural
    /// (`services`, on every path of it) or an exact path (`/apis`). The
    /// first rule that matches a request applies.
    pub fn fault(mut self, target: &str, fault: Fault) -> Self {
        self.faults.push(Rule::new(target, fault, None));
        self
    }

    /// [`Self::fault`], for the first `n` matching requests only.
    pub fn fault_times(mut self, target: &str, fault: Fault, n: usize) -> Self {
        self.faults.push(Rule::new(target, fault, Some(n)));
        self
    }

    /// Waits this long before each answer: a slow cluster.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }

    /// Starts serving on 127.0.0.1 on a port the OS picks.
    pub fn start(mut self) -> ApiServer {
        self.store.finish();
        let gateway_installed = self
            .gateway_api
            .unwrap_or_else(|| self.store.has_gateway_objects());
        // The network-policy-api's CRDs: installed where the fixture holds
        // their objects, as most clusters have none.
        let policy_installed = self.store.has_policy_objects();
        let pki = tls::generate("svcx-test-ca");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("test-apiserver")
            .enable_all()
            .build()
            .expect("a runtime for the test API server");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("the listener's address");
        let log = Arc::new(Mutex::new(Vec::new()));
        let state = Arc::new(State {
            store: self.store,
            forbidden: self.forbidden,
            forbidden_cluster_wide: self.forbidden_cluster_wide,
            forbidden_in: self.forbidden_in,
            not_served: self.not_served,
            gateway_installed,
            policy_installed,
            token: self.token.clone(),
            max_page: self.max_page,
            faults: self.faults,
            resources: resources::served_at(&self.versions),
            log: log.clone(),
            addr,
        });
        let acceptor = tokio_rustls::TlsAcceptor::from(pki.server_config.clone());
        let delay = self.delay;
        runtime.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let _ = tcp.set_nodelay(true);
                let (acceptor, state) = (acceptor.clone(), state.clone());
                tokio::spawn(async move {
                    // A client that rejects the certificate ends the handshake: not an error here.
                    let Ok(tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    let service = service_fn(move |req: Request<Incoming>| {
                        let state = state.clone();
                        async move {
                            tokio::time::sleep(delay).await;
                            let uri = req.uri().clone();
                            let fault = faults::choose(
                                &state.faults,
                                uri.path(),
                                uri.query().unwrap_or(""),
                            );
                            let answer = state.handle(req);
                            Ok::<_, Infallible>(faults::apply(fault, answer).await)
                        }
                    });
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(tls), service)
                        .await;
                });
            }
        });
        ApiServer {
            url: format!("https://{addr}"),
            addr,
            ca_pem: pki.ca_pem,
            token: self.token,
            log,
            runtime: Some(runtime),
        }
    }
}

/// A running test API server; stops when dropped.
pub struct ApiServer {
    /// `https://127.0.0.1:PORT`
    pub url: String,
    pub addr: SocketAddr,
    /// The CA that signed the server's certificate, PEM.
    pub ca_pem: String,
    /// The bearer token the server accepts.
    pub token: String,
    log: Arc<Mutex<Vec<LoggedRequest>>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl ApiServer {
    pub fn builder() -> ApiServerBuilder {
        ApiServerBuilder::default()
    }

    /// Every request so far, in arrival order.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.log.lock().expect("the request log").clone()
    }

    /// Forgets the requests so far.
    pub fn clear_requests(&self) {
        self.log.lock().expect("the request log").clear();
    }

    /// A kubeconfig for this server, with one context `test` (namespace
    /// `default`); see [`super::Kubeconfig`] to change it.
    pub fn kubeconfig(&self) -> super::Kubeconfig {
        super::Kubeconfig::new(&self.url, &self.ca_pem, &self.token)
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

/// A TCP listener on 127.0.0.1 that accepts connections and never answers:
/// a cluster that hangs. Stops when dropped.
pub struct SilentServer {
    pub url: String,
    runtime: Option<tokio::runtime::Runtime>,
}

impl SilentServer {
    pub fn start() -> SilentServer {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("the listener's address");
        std::thread::spawn({
            let handle = runtime.handle().clone();
            move || {
                handle.block_on(async move {
                    let listener =
                        tokio::net::TcpListener::from_std(listener).expect("a tokio listener");
                    let mut held = Vec::new();
                    while let Ok((tcp, _)) = listener.accept().await {
                        held.push(tcp);
                    }
                })
            }
        });
        SilentServer {
            url: format!("https://{addr}"),
            runtime: Some(runtime),
        }
    }
}

impl Drop for SilentServer {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

struct State {
    store: Store,
    forbidden: HashSet<String>,
    forbidden_cluster_wide: HashSet<String>,
    forbidden_in: HashSet<(String, String)>,
    not_served: HashSet<String>,
    gateway_installed: bool,
    policy_installed: bool,
    token: String,
    max_page: Option<usize>,
    faults: Vec<Rule>,
    /// The resource table, at the versions served.
    resources: Vec<ResourceType>,
    log: Arc<Mutex<Vec<LoggedRequest>>>,
    addr: SocketAddr,
}

type Reply = Response<Full<Bytes>>;

impl State {
    fn handle(&self, req: Request<Incoming>) -> Reply {
        let path = req.uri().path().to_string();
        let query = req.uri().query().unwrap_or("").to_string();
        let header = |name| {
            req.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string()
        };
        self.log
            .lock()
            .expect("the request log")
            .push(LoggedRequest {
                method: req.method().to_string(),
                path: path.clone(),
                query: query.clone(),
                accept: header(hyper::header::ACCEPT),
            });
        if header(hyper::header::AUTHORIZATION) != format!("Bearer {}", self.token) {
            return status(
                StatusCode::UNAUTHORIZED,
                "Unauthorized",
                "Unauthorized",
                None,
            );
        }
        if req.method() != hyper::Method::GET {
            return status(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "the test API server is read-only: only GET is allowed",
                None,
            );
        }
        self.route(&path, &query)
    }

    fn served(&self, r: &ResourceType) -> bool {
        !self.not_served.contains(r.plural)
            && (!r.is_gateway_api() || self.gateway_installed)
            && (!r.is_policy_api() || self.policy_installed)
    }

    /// Served group versions, in table order: (group, version).
    fn group_versions(&self) -> Vec<(&'static str, &'static str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for r in self.resources.iter().filter(|r| self.served(r)) {
            if !out.contains(&(r.group, r.version)) {
                out.push((r.group, r.version));
            }
        }
        out
    }

    fn route(&self, path: &str, query: &str) -> Reply {
        let path = path.trim_end_matches('/');
        let segments: Vec<&str> = path.split('/').skip(1).collect();
        match segments.as_slice() {
            ["version"] => ok(json!({
                "major": "1", "minor": "32", "gitVersion": "v1.32.0",
                "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
                "buildDate": "2024-12-11T00:00:00Z", "goVersion": "go1.23.3", "compiler": "gc",
                "platform": "linux/amd64",
            })),
            ["api"] => ok(json!({
                "kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": self.addr.to_string()}],
            })),
            ["apis"] => {
                let mut groups: Vec<&str> = Vec::new();
                for (g, _) in self
                    .group_versions()
                    .into_iter()
                    .filter(|(g, _)| !g.is_empty())
                {
                    if !groups.contains(&g) {
                        groups.push(g);
                    }
                }
                let groups: Vec<Value> = groups.into_iter().map(|g| self.api_group(g)).collect();
                ok(json!({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}))
            }
            ["api", "v1"] => self.resource_list("", "v1"),
            ["apis", group] if self.group_versions().iter().any(|(g, _)| g == group) => {
                let mut body = self.api_group(group);
                body["kind"] = json!("APIGroup");
                body["apiVersion"] = json!("v1");
                ok(body)
            }
            ["apis", group, version] => self.resource_list(group, version),
            ["api", "v1", rest @ ..] => self.resource_request("", "v1", rest, query),
            ["apis", group, version, rest @ ..] => {
                self.resource_request(group, version, rest, query)
            }
            _ => not_found(),
        }
    }

    fn api_group(&self, group: &str) -> Value {
        let versions: Vec<Value> = self
            .group_versions()
            .into_iter()
            .filter(|(g, _)| *g == group)
            .map(|(g, v)| json!({"groupVersion": format!("{g}/{v}"), "version": v}))
            .collect();
        json!({"name": group, "versions": versions, "preferredVersion": versions[0]})
    }

    fn resource_list(&self, group: &str, version: &str) -> Reply {
        let list: Vec<Value> = self
            .resources
            .iter()
            .filter(|r| r.group == group && r.version == version && self.served(r))
            .map(|r| {
                let mut v = json!({
                    "name": r.plural, "singularName": r.singular, "namespaced": r.namespaced,
                    "kind": r.kind, "verbs": ["get", "list", "watch"],
                });
                if !r.short_names.is_empty() {
                    v["shortNames"] = json!(r.short_names);
                }
                if r.is_gateway_api() {
                    v["categories"] = json!(["gateway-api"]);
                }
                v
            })
            .collect();
        if list.is_empty() {
            return not_found();
        }
        let group_version = if group.is_empty() {
            version.to_string()
        } else {
            format!("{group}/{version}")
        };
        ok(
            json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": list}),
        )
    }

    fn resource_request(&self, group: &str, version: &str, rest: &[&str], query: &str) -> Reply {
        let (namespace, plural, name) = match rest {
            ["namespaces", ns, plural] => (Some(*ns), *plural, None),
            ["namespaces", ns, plural, name] => (Some(*ns), *plural, Some(*name)),
            [plural] => (None, *plural, None),
            [plural, name] => (None, *plural, Some(*name)),
            _ => return not_found(),
        };
        let Some(resource) = self
            .resources
            .iter()
            .find(|r| r.group == group && r.version == version && r.plural == plural)
            .filter(|r| self.served(r))
        else {
            return not_found();
        };
        if namespace.is_some() && !resource.namespaced
            || namespace.is_none() && resource.namespaced && name.is_some()
        {
            return not_found();
        }
        let verb = if name.is_some() { "get" } else { "list" };
        let cluster_wide = resource.namespaced && namespace.is_none();
        let forbidden_here = namespace.is_some_and(|ns| {
            self.forbidden_in
                .contains(&(resource.plural.to_string(), ns.to_string()))
        });
        if self.forbidden.contains(resource.plural)
            || cluster_wide && self.forbidden_cluster_wide.contains(resource.plural)
            || forbidden_here
        {
            return forbidden(resource, verb, namespace);
        }
        let params = query_pairs(query);
        let param = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
        if param("watch").is_some_and(|w| w == "true" || w == "1") {
            return status(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "the test API server does not watch",
                None,
            );
        }
        let collection = self.store.collection(resource);
        if let Some(name) = name {
            return match collection.and_then(|c| c.get(namespace.unwrap_or(""), name)) {
                Some(entry) => {
                    let body = if resource.custom {
                        entry.json.clone()
                    } else {
                        format!(
                            "{{\"kind\":\"{}\",\"apiVersion\":\"{}\",{}",
                            resource.kind,
                            resource.group_version(),
                            &entry.json[1..]
                        )
                    };
                    json_reply(StatusCode::OK, body)
                }
                None => status(
                    StatusCode::NOT_FOUND,
                    "NotFound",
                    &format!(
                        "{}{} \"{name}\" not found",
                        resource.plural,
                        group_suffix(resource)
                    ),
                    Some(json!({"name": name, "group": resource.group, "kind": resource.plural})),
                ),
            };
        }
        let labels = match Selector::parse(param("labelSelector").unwrap_or("")) {
            Ok(s) => s,
            Err(e) => return status(StatusCode::BAD_REQUEST, "BadRequest", &e, None),
        };
        let continue_from = match param("continue").filter(|c| !c.is_empty()) {
            None => None,
            Some(token) => match store::decode_continue(token) {
                Some(i) => Some(i),
                None => {
                    return status(
                        StatusCode::BAD_REQUEST,
                        "BadRequest",
                        "continue key is not valid",
                        None,
                    );
                }
            },
        };
        let mut limit = param("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .filter(|&l| l > 0);
        if let Some(max) = self.max_page {
            limit = Some(limit.map_or(max, |l| l.min(max)));
        }
        let q = ListQuery {
            namespace: namespace.map(str::to_string),
            labels,
            fields: store::parse_fields(param("fieldSelector").unwrap_or("")),
            limit,
            continue_from,
        };
        let page = store::page(collection, &q);
        let mut body =
            String::with_capacity(128 + page.items.iter().map(|e| e.json.len() + 1).sum::<usize>());
        let _ = write!(
            body,
            "{{\"kind\":\"{}List\",\"apiVersion\":\"{}\",\"metadata\":{{\"resourceVersion\":\"1\"",
            resource.kind,
            resource.group_version()
        );
        if let Some(next) = page.next {
            let _ = write!(body, ",\"continue\":\"{}\"", store::encode_continue(next));
        }
        if let Some(n) = page.remaining {
            let _ = write!(body, ",\"remainingItemCount\":{n}");
        }
        body.push_str("},\"items\":[");
        for (i, e) in page.items.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&e.json);
        }
        body.push_str("]}");
        json_reply(StatusCode::OK, body)
    }
}

fn group_suffix(r: &ResourceType) -> String {
    if r.group.is_empty() {
        String::new()
    } else {
        format!(".{}", r.group)
    }
}

fn forbidden(r: &ResourceType, verb: &str, namespace: Option<&str>) -> Reply {
    let scope = match namespace {
        Some(ns) => format!("in the namespace \"{ns}\""),
        None => "at the cluster scope".to_string(),
    };
    let message = format!(
        "{}{} is forbidden: User \"system:serviceaccount:svcx-test:reader\" cannot {verb} resource \"{}\" in API group \"{}\" {scope}",
        r.plural,
        group_suffix(r),
        r.plural,
        r.group
    );
    status(
        StatusCode::FORBIDDEN,
        "Forbidden",
        &message,
        Some(json!({"group": r.group, "kind": r.plural})),
    )
}

fn not_found() -> Reply {
    status(
        StatusCode::NOT_FOUND,
        "NotFound",
        "the server could not find the requested resource",
        Some(json!({})),
    )
}

/// A Kubernetes `Status` answer.
pub(super) fn status(
    code: StatusCode,
    reason: &str,
    message: &str,
    details: Option<Value>,
) -> Reply {
    let mut body = json!({
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": message, "reason": reason, "code": code.as_u16(),
    });
    if let Some(d) = details {
        body["details"] = d;
    }
    json_reply(code, body.to_string())
}

fn ok(body: Value) -> Reply {
    json_reply(StatusCode::OK, body.to_string())
}

fn json_reply(code: StatusCode, body: String) -> Reply {
    Response::builder()
        .status(code)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header("Audit-Id", "00000000-0000-0000-0000-000000000000")
        .body(Full::new(Bytes::from(body)))
        .expect("a response")
}

/// Splits and percent-decodes a query string.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
