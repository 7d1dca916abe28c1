//! What building a [`Front`](super::Front) reads of the Ingresses it
//! serves: their facts and objects, annotations, creation times and the
//! order controllers sort them in, TLS hosts, and each path's backend.

use super::ingress::{Location, PathKind, Target};
use crate::model::Snapshot;
use crate::model::ports::service_ports;
use crate::model::routes::{IngressFacts, IngressPathFacts, RouteIndex};
use crate::model::view::source_is_cluster;
use k8s_openapi::api::networking::v1::Ingress;
use std::cmp::Ordering;

/// What building a front reads.
pub(super) struct Build<'a> {
    pub(crate) snap: &'a Snapshot,
    pub(crate) ix: &'a RouteIndex,
}

impl Build<'_> {
    pub(super) fn facts(&self, i: usize) -> &IngressFacts {
        &self.ix.ingresses[i]
    }

    /// `namespace/name` of the Ingress at position `i`.
    pub(super) fn name(&self, i: usize) -> String {
        let f = self.facts(i);
        format!("{}/{}", f.namespace, f.name)
    }

    pub(super) fn object(&self, i: usize) -> &Ingress {
        &self.snap.ingresses[self.ix.ingresses[i].index].object
    }

    /// An annotation of the Ingress at position `i`.
    pub(super) fn annotation(&self, i: usize, key: &str) -> Option<&str> {
        self.object(i)
            .metadata
            .annotations
            .as_ref()?
            .get(key)
            .map(|v| v.trim())
    }

    /// `metadata.creationTimestamp` (RFC 3339).
    pub(super) fn created(&self, i: usize) -> Option<String> {
        self.object(i)
            .metadata
            .creation_timestamp
            .as_ref()
            .map(|t| t.0.to_string())
    }

    /// The order ingress-nginx sorts Ingresses in (`sortIngressSlice` in
    /// `store.go`: oldest first, and on equal timestamps `return in > jn`,
    /// so `namespace/name` descending): `None` when the input does not say.
    pub(super) fn order(&self, a: usize, b: usize) -> Option<Ordering> {
        let (fa, fb) = (self.facts(a), self.facts(b));
        let by_name = (&fb.namespace, &fb.name).cmp(&(&fa.namespace, &fa.name));
        match (self.created(a), self.created(b)) {
            (Some(x), Some(y)) => Some(x.cmp(&y).then(by_name)),
            _ if a == b => Some(Ordering::Equal),
            _ => None,
        }
    }

    /// Sorts Ingresses as the controller does, where the input says how
    /// (by name where it does not: callers check [`Build::order`] where the
    /// order decides).
    pub(super) fn sort(&self, members: &mut [usize]) {
        members.sort_by(|&a, &b| {
            self.order(a, b).unwrap_or_else(|| {
                let (fa, fb) = (self.facts(a), self.facts(b));
                (&fa.namespace, &fa.name).cmp(&(&fb.namespace, &fb.name))
            })
        });
    }

    /// Where the path at `path` of the Ingress at `i` sends requests.
    pub(super) fn target(&self, i: usize, path: usize) -> Target {
        let facts = self.facts(i);
        let p = &facts.paths[path];
        let resolved = p.target.zip(p.port_index);
        // A Service that is not in the input (files) may exist: a port
        // given by number still names the backend.
        let not_in_input = p.target.is_none() && !source_is_cluster(self.snap);
        let port = match resolved {
            Some((s, k)) => service_ports(&self.snap.services[s].object)
                .get(k)
                .map(|sp| sp.port),
            None if not_in_input => p
                .port
                .as_deref()
                .and_then(|n| n.parse::<i32>().ok())
                .filter(|&n| crate::model::ports::is_port_number(n)),
            None => None,
        };
        Target {
            backend: port.and_then(|port| {
                Some(format!(
                    "{}/{}:{port}",
                    facts.namespace,
                    p.service.as_ref()?
                ))
            }),
            service: resolved,
            not_in_input,
        }
    }

    /// The location of the path at `path` of the Ingress at `i`, as it is
    /// written: no canary, no contest, no regular expression, and whether
    /// http redirects left to the implementation.
    pub(super) fn location(&self, i: usize, path: usize) -> Location {
        let p = &self.facts(i).paths[path];
        Location {
            ingress: i,
            path_index: path,
            path: p.path.clone(),
            kind: Build::kind(p),
            target: self.target(i, path),
            redirect_http: None,
            canaries: Vec::new(),
            contested: Vec::new(),
            regex: None,
            returns: None,
        }
    }

    /// The kind of a path's `pathType`.
    pub(super) fn kind(p: &IngressPathFacts) -> PathKind {
        match p.path_type.as_str() {
            "Exact" => PathKind::Exact,
            "Prefix" => PathKind::Prefix,
            _ => PathKind::ImplementationSpecific,
        }
    }

    /// What an Ingress's `spec.tls` lists.
    pub(super) fn tls_hosts(&self, i: usize) -> TlsEntries {
        let mut out = TlsEntries::default();
        for t in self
            .object(i)
            .spec
            .iter()
            .flat_map(|s| s.tls.iter().flatten())
        {
            let secret = t.secret_name.clone().filter(|s| !s.is_empty());
            let listed = t.hosts.as_deref().unwrap_or_default();
            if listed.is_empty() && out.hostless.is_none() {
                out.hostless = Some(secret.clone());
            }
            for h in listed {
                out.listed.push((h.to_ascii_lowercase(), secret.clone()));
            }
        }
        out
    }
}

/// An Ingress's `spec.tls`.
#[derive(Default)]
pub(super) struct TlsEntries {
    /// Each host listed, lower case, with its entry's Secret (`None`: the
    /// entry names none).
    pub(super) listed: Vec<(String, Option<String>)>,
    /// The first entry that lists no hosts, with its Secret: the
    /// specification leaves its names to the controller ("the wildcard host
    /// setting for the loadbalancer controller fulfilling this Ingress").
    pub(super) hostless: Option<Option<String>>,
}

impl TlsEntries {
    pub(super) fn is_empty(&self) -> bool {
        self.listed.is_empty() && self.hostless.is_none()
    }

    /// The Secret of the entry that lists `host`: `Some(None)` when that
    /// entry names none, `None` when no entry lists it.
    pub(super) fn secret_of(&self, host: &str) -> Option<Option<String>> {
        self.listed
            .iter()
            .find(|(h, _)| h.eq_ignore_ascii_case(host))
            .map(|(_, s)| s.clone())
    }
}
