//! Fixture objects, grouped by resource and sorted by namespace and name, each
//! kept pre-serialized so that serving a page costs only copying its bytes.
//! Pages start where the previous page stopped (the continue token is an
//! index), so listing 100,000 objects in pages of 500 is linear.

use super::resources::{self, ResourceType};
use base64::Engine;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One stored object.
#[derive(Debug)]
pub struct Entry {
    pub namespace: String,
    pub name: String,
    pub labels: BTreeMap<String, String>,
    /// The object as JSON. Built-in kinds omit `kind` and `apiVersion`, as
    /// list items from a real API server do.
    pub json: String,
}

/// The objects of one resource.
#[derive(Debug, Default)]
pub struct Collection {
    pub entries: Vec<Entry>,
    by_key: HashMap<(String, String), usize>,
}

impl Collection {
    /// Index range of the objects in `namespace` (all when None).
    fn range(&self, namespace: Option<&str>) -> std::ops::Range<usize> {
        match namespace {
            None => 0..self.entries.len(),
            Some(ns) => {
                let start = self.entries.partition_point(|e| e.namespace.as_str() < ns);
                let end = self.entries.partition_point(|e| e.namespace.as_str() <= ns);
                start..end
            }
        }
    }

    /// The object `name` in `namespace` ("" for cluster-scoped).
    pub fn get(&self, namespace: &str, name: &str) -> Option<&Entry> {
        self.by_key
            .get(&(namespace.to_string(), name.to_string()))
            .map(|&i| &self.entries[i])
    }
}

/// Every fixture object, by resource (`group/plural`).
#[derive(Debug, Default)]
pub struct Store {
    collections: HashMap<String, Collection>,
}

fn key(r: &ResourceType) -> String {
    format!("{}/{}", r.group, r.plural)
}

impl Store {
    /// Adds one object. Its `apiVersion` and `kind` pick the resource; a
    /// namespaced object without a namespace lands in `default`.
    pub fn add(&mut self, mut object: Value) -> Result<(), String> {
        let api_version = object
            .get("apiVersion")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let kind = object
            .get("kind")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
        let resource = resources::for_kind(group, &kind).ok_or_else(|| {
            format!("the test API server has no resource for {api_version} {kind}")
        })?;
        let meta = object
            .get_mut("metadata")
            .and_then(Value::as_object_mut)
            .ok_or_else(|| format!("{kind} has no metadata"))?;
        let name = meta
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{kind} has no name"))?
            .to_string();
        let namespace = if resource.namespaced {
            let ns = meta
                .get("namespace")
                .and_then(Value::as_str)
                .unwrap_or("default")
                .to_string();
            meta.insert("namespace".into(), Value::String(ns.clone()));
            ns
        } else {
            meta.remove("namespace");
            String::new()
        };
        let labels = meta
            .get("labels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                    .collect()
            })
            .unwrap_or_default();
        if !resource.custom
            && let Some(map) = object.as_object_mut()
        {
            map.remove("apiVersion");
            map.remove("kind");
        }
        let json = serde_json::to_string(&object).map_err(|e| e.to_string())?;
        self.collections
            .entry(key(resource))
            .or_default()
            .entries
            .push(Entry {
                namespace,
                name,
                labels,
                json,
            });
        Ok(())
    }

    /// Sorts every collection and builds the name lookups; adds a Namespace for
    /// every namespace that objects use (plus `default`) unless one exists.
    pub fn finish(&mut self) {
        let mut used: BTreeSet<String> = BTreeSet::from(["default".to_string()]);
        for c in self.collections.values() {
            used.extend(
                c.entries
                    .iter()
                    .filter(|e| !e.namespace.is_empty())
                    .map(|e| e.namespace.clone()),
            );
        }
        let ns_type =
            resources::for_kind("", "Namespace").expect("namespaces are a known resource");
        let existing: BTreeSet<String> = self
            .collections
            .get(&key(ns_type))
            .map(|c| c.entries.iter().map(|e| e.name.clone()).collect())
            .unwrap_or_default();
        for ns in used.difference(&existing) {
            let object = serde_json::json!({
                "apiVersion": "v1", "kind": "Namespace",
                "metadata": {"name": ns}, "status": {"phase": "Active"},
            });
            self.add(object).expect("a namespace is storable");
        }
        for c in self.collections.values_mut() {
            c.entries
                .sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
            c.by_key = c
                .entries
                .iter()
                .enumerate()
                .map(|(i, e)| ((e.namespace.clone(), e.name.clone()), i))
                .collect();
        }
    }

    /// The objects of a resource (empty when there are none).
    pub fn collection(&self, resource: &ResourceType) -> Option<&Collection> {
        self.collections.get(&key(resource))
    }

    /// How many objects of `resource` are stored.
    pub fn count(&self, resource: &ResourceType) -> usize {
        self.collection(resource).map_or(0, |c| c.entries.len())
    }

    /// Whether any network-policy-api object is stored.
    pub fn has_policy_objects(&self) -> bool {
        resources::RESOURCES
            .iter()
            .filter(|r| r.is_policy_api())
            .any(|r| self.count(r) > 0)
    }

    /// Whether any Gateway API object is stored.
    pub fn has_gateway_objects(&self) -> bool {
        resources::RESOURCES
            .iter()
            .filter(|r| r.is_gateway_api())
            .any(|r| self.count(r) > 0)
    }
}

/// What a list request asks for.
#[derive(Debug, Default)]
pub struct ListQuery {
    pub namespace: Option<String>,
    pub labels: Selector,
    pub fields: Vec<(String, bool, String)>,
    pub limit: Option<usize>,
    pub continue_from: Option<usize>,
}

/// One page of a list.
pub struct Page<'a> {
    pub items: Vec<&'a Entry>,
    /// Where the next page starts, when there is one.
    pub next: Option<usize>,
    /// Matching objects after this page (only known exactly without selectors).
    pub remaining: Option<usize>,
}

/// Lists one page. Continue tokens are indexes into the sorted collection, so
/// each page resumes exactly where the last one stopped.
pub fn page<'a>(collection: Option<&'a Collection>, q: &ListQuery) -> Page<'a> {
    let Some(c) = collection else {
        return Page {
            items: Vec::new(),
            next: None,
            remaining: None,
        };
    };
    let range = c.range(q.namespace.as_deref());
    let start = q.continue_from.map_or(range.start, |i| i.max(range.start));
    let limit = q.limit.filter(|&l| l > 0).unwrap_or(usize::MAX);
    let filtered = !q.labels.is_empty() || !q.fields.is_empty();
    let matches = |e: &Entry| q.labels.matches(&e.labels) && fields_match(&q.fields, e);
    let mut items = Vec::new();
    let mut i = start;
    while i < range.end && items.len() < limit {
        let e = &c.entries[i];
        if matches(e) {
            items.push(e);
        }
        i += 1;
    }
    // Report a next page only if another match exists.
    while filtered && i < range.end && !matches(&c.entries[i]) {
        i += 1;
    }
    let next = (i < range.end).then_some(i);
    let remaining = match (next, filtered) {
        (Some(n), false) => Some(range.end - n),
        _ => None,
    };
    Page {
        items,
        next,
        remaining,
    }
}

fn fields_match(fields: &[(String, bool, String)], e: &Entry) -> bool {
    if fields.is_empty() {
        return true;
    }
    let object: Value = serde_json::from_str(&e.json).unwrap_or(Value::Null);
    fields.iter().all(|(path, equal, want)| {
        let pointer = format!("/{}", path.replace('.', "/"));
        let have = match object.pointer(&pointer) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        };
        (have == *want) == *equal
    })
}

/// Encodes a continue token: opaque to clients, an index to the server.
pub fn encode_continue(index: usize) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(format!("{{\"v\":\"svcx-test/1\",\"start\":{index}}}"))
}

/// Decodes a continue token made by [`encode_continue`].
pub fn decode_continue(token: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(token)
        .ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    if value.get("v")?.as_str()? != "svcx-test/1" {
        return None;
    }
    usize::try_from(value.get("start")?.as_u64()?).ok()
}

/// A label selector: `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`,
/// `k notin (a,b)`, joined by commas.
#[derive(Debug, Default)]
pub struct Selector(Vec<Requirement>);

#[derive(Debug)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    Exists(String),
    NotExists(String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
}

impl Selector {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Parses a selector; an empty string selects everything.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut terms = Vec::new();
        let (mut depth, mut start) = (0, 0);
        for (i, c) in text.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    terms.push(&text[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        terms.push(&text[start..]);
        let mut out = Vec::new();
        for term in terms.into_iter().map(str::trim).filter(|t| !t.is_empty()) {
            out.push(
                Requirement::parse(term)
                    .ok_or_else(|| format!("unable to parse requirement: `{term}`"))?,
            );
        }
        Ok(Selector(out))
    }

    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::NotExists(k) => !labels.contains_key(k),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
        })
    }
}

impl Requirement {
    fn parse(term: &str) -> Option<Requirement> {
        let set = |rest: &str| -> Option<Vec<String>> {
            let inner = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
            Some(inner.split(',').map(|s| s.trim().to_string()).collect())
        };
        if let Some(key) = term.strip_prefix('!') {
            return Some(Requirement::NotExists(key.trim().to_string()));
        }
        if let Some((k, v)) = term.split_once("!=") {
            return Some(Requirement::NotEquals(k.trim().into(), v.trim().into()));
        }
        if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            return Some(Requirement::Equals(k.trim().into(), v.trim().into()));
        }
        if let Some((k, rest)) = term.split_once(" notin ") {
            return Some(Requirement::NotIn(k.trim().into(), set(rest)?));
        }
        if let Some((k, rest)) = term.split_once(" in ") {
            return Some(Requirement::In(k.trim().into(), set(rest)?));
        }
        (!term.contains(' ')).then(|| Requirement::Exists(term.to_string()))
    }
}

/// Parses a field selector (`metadata.name=x,spec.nodeName!=y`).
pub fn parse_fields(text: &str) -> Vec<(String, bool, String)> {
    text.split(',')
        .filter(|t| !t.trim().is_empty())
        .filter_map(|t| {
            if let Some((k, v)) = t.split_once("!=") {
                Some((k.trim().to_string(), false, v.trim().to_string()))
            } else {
                let (k, v) = t.split_once("==").or_else(|| t.split_once('='))?;
                Some((k.trim().to_string(), true, v.trim().to_string()))
            }
        })
        .collect()
}
