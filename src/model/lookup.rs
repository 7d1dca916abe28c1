//! Finding Services by the names users type: `NAME` (in the namespace in
//! scope, or in any namespace with -A / offline) and `NAMESPACE/NAME`.

use super::{Located, Scope, Snapshot};
use gateway_api::apis::standard::{gatewayclasses::GatewayClass, gateways::Gateway};
use k8s_openapi::api::core::v1::Service;
use kube::ResourceExt;

/// The name cluster DNS gives a Service: `name.namespace.svc.cluster.local`
/// (`cluster.local` is the default cluster domain).
pub(crate) fn service_dns_name(namespace: &str, name: &str) -> String {
    format!("{name}.{namespace}.svc.cluster.local")
}

/// A name that matched no Service, with the names that come closest.
#[derive(Debug, thiserror::Error)]
#[error("no Service `{query}` in {where_}")]
pub struct NotFound {
    pub(crate) query: String,
    pub(crate) where_: String,
    pub(crate) candidates: Vec<String>,
    /// Services of that name outside the namespace in scope.
    pub(crate) out_of_scope: Option<OutOfScope>,
}

impl NotFound {
    /// The hint when the name exists, but in another namespace.
    pub(crate) fn elsewhere_hint(&self) -> Option<String> {
        self.out_of_scope.as_ref().map(OutOfScope::name_hint)
    }
}

/// What a query found only outside the namespace in scope. One answer for
/// explain and trace, by name and by address alike: "not here, but there".
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OutOfScope {
    /// The namespace in scope.
    pub(crate) scope: String,
    /// The Services found, as `namespace/name`, in snapshot order.
    pub(crate) services: Vec<String>,
}

impl OutOfScope {
    /// The namespaces the Services are in, each once.
    fn namespaces(&self) -> Vec<&str> {
        let mut ns: Vec<&str> = self
            .services
            .iter()
            .filter_map(|s| s.split_once('/').map(|(ns, _)| ns))
            .collect();
        ns.dedup();
        ns
    }

    /// What to do when a name was asked for: ask for it with its namespace,
    /// or widen the scope.
    pub(crate) fn name_hint(&self) -> String {
        match self.services.as_slice() {
            [one] => format!(
                "it is in namespace `{}`: ask for {one}, or add -A to look in every namespace",
                one.split_once('/').map_or("", |(ns, _)| ns)
            ),
            many => format!(
                "Services of that name are in other namespaces ({}): ask for one as NAMESPACE/NAME, \
                 or add -A to look in every namespace",
                many.join(", ")
            ),
        }
    }

    /// What to do when an address was asked for: look in the namespace of the
    /// Service that has it, or in every namespace.
    pub(crate) fn address_hint(&self) -> String {
        match self.namespaces().as_slice() {
            [ns] => format!(
                "it belongs to {}, in namespace `{ns}`: add `-n {ns}`, or -A to look in every namespace",
                self.services.join(", ")
            ),
            _ => format!(
                "it belongs to {}: add -n with one of their namespaces, or -A to look in every namespace",
                self.services.join(", ")
            ),
        }
    }
}

impl Snapshot {
    /// Services matching `query` (`name` or `namespace/name`). A bare name may
    /// match in several namespaces when the scope is all namespaces.
    pub fn find_services(&self, query: &str) -> Result<Vec<&Located<Service>>, NotFound> {
        let (ns, name) = match query.split_once('/') {
            Some((ns, name)) => (Some(ns), name),
            None => (None, query),
        };
        let named: Vec<_> = self
            .services
            .iter()
            .filter(|s| s.object.name_any() == name)
            .collect();
        let found: Vec<_> = named
            .iter()
            .copied()
            .filter(|s| {
                let sns = s.object.namespace().unwrap_or_default();
                ns.map_or_else(|| self.scope.includes(&sns), |n| n == sns)
            })
            .collect();
        if !found.is_empty() {
            return Ok(found);
        }
        let where_ = match (ns, &self.scope) {
            (Some(n), _) => format!("namespace `{n}`"),
            (None, Scope::Namespace(n)) => format!("namespace `{n}`"),
            (None, Scope::AllNamespaces) => "any namespace".to_string(),
        };
        Err(NotFound {
            query: query.to_string(),
            where_,
            candidates: self.closest_services(name),
            // NAMESPACE/NAME names its namespace: the scope hid nothing.
            out_of_scope: ns.is_none().then(|| self.out_of_scope(named)).flatten(),
        })
    }

    /// When `matches` is not empty and every one of them lies outside the
    /// namespace in scope, says where they are. `None` when any is in scope,
    /// or when the scope is every namespace.
    pub(crate) fn out_of_scope<'a>(
        &self,
        matches: impl IntoIterator<Item = &'a Located<Service>>,
    ) -> Option<OutOfScope> {
        let Scope::Namespace(scope) = &self.scope else {
            return None;
        };
        let mut services = Vec::new();
        for s in matches {
            let ns = s.object.namespace().unwrap_or_default();
            if self.scope.includes(&ns) {
                return None;
            }
            services.push(format!("{ns}/{}", s.object.name_any()));
        }
        (!services.is_empty()).then(|| OutOfScope {
            scope: scope.clone(),
            services,
        })
    }

    /// Up to five `namespace/name`s closest to `name` by edit distance.
    pub(crate) fn closest_services(&self, name: &str) -> Vec<String> {
        let mut scored: Vec<(usize, String)> = self
            .services
            .iter()
            .map(|s| {
                let full = format!(
                    "{}/{}",
                    s.object.namespace().unwrap_or_default(),
                    s.object.name_any()
                );
                (edit_distance(name, &s.object.name_any()), full)
            })
            .filter(|(d, _)| *d <= name.len().max(3) / 2 + 1)
            .collect();
        scored.sort();
        scored.into_iter().take(5).map(|(_, n)| n).collect()
    }
}

/// A Gateway name that matched no Gateway.
#[derive(Debug, thiserror::Error)]
#[error("no Gateway `{query}` in {where_}")]
pub(crate) struct GatewayNotFound {
    pub(crate) query: String,
    pub(crate) where_: String,
    /// `namespace/name` of the Gateways there are (closest first).
    pub(crate) candidates: Vec<String>,
}

/// The Gateway name in `gateway/NAME`, `gateways/NAME` or `gtw/NAME` (as
/// kubectl writes kind/name), with an optional namespace: `gateway/NS/NAME`.
pub(crate) fn gateway_query(query: &str) -> Option<&str> {
    let (kind, rest) = query.split_once('/')?;
    matches!(
        kind,
        "gateway" | "gateways" | "gtw" | "gateway.gateway.networking.k8s.io"
    )
    .then_some(rest)
    .filter(|r| !r.is_empty())
}

impl Snapshot {
    /// GatewayClass `class`, when it was read.
    pub(crate) fn gateway_class_object(&self, class: &str) -> Option<&GatewayClass> {
        self.gateway_classes
            .iter()
            .find(|c| c.object.metadata.name.as_deref() == Some(class))
            .map(|c| &c.object)
    }

    /// The controllerName of GatewayClass `class`, when it was read.
    pub(crate) fn class_controller(&self, class: &str) -> Option<&str> {
        self.gateway_class_object(class)
            .map(|c| c.spec.controller_name.as_str())
    }

    /// Gateway `namespace/name`, when it was read.
    pub(crate) fn gateway_object(&self, namespace: &str, name: &str) -> Option<&Gateway> {
        self.gateways
            .iter()
            .find(|g| {
                g.object.metadata.name.as_deref() == Some(name)
                    && g.object.metadata.namespace.as_deref().unwrap_or_default() == namespace
            })
            .map(|g| &g.object)
    }

    /// Positions in [`Snapshot::gateways`] of the Gateways matching `query`
    /// (`name` in the namespaces in scope, or `namespace/name`).
    pub(crate) fn find_gateways(&self, query: &str) -> Result<Vec<usize>, GatewayNotFound> {
        let (ns, name) = match query.split_once('/') {
            Some((ns, name)) => (Some(ns), name),
            None => (None, query),
        };
        let found: Vec<usize> = self
            .gateways
            .iter()
            .enumerate()
            .filter(|(_, g)| g.object.name_any() == name)
            .filter(|(_, g)| {
                let gns = g.object.namespace().unwrap_or_default();
                ns.map_or_else(|| self.scope.includes(&gns), |n| n == gns)
            })
            .map(|(i, _)| i)
            .collect();
        if !found.is_empty() {
            return Ok(found);
        }
        let mut candidates: Vec<(usize, String)> = self
            .gateways
            .iter()
            .map(|g| {
                (
                    edit_distance(name, &g.object.name_any()),
                    format!(
                        "{}/{}",
                        g.object.namespace().unwrap_or_default(),
                        g.object.name_any()
                    ),
                )
            })
            .collect();
        candidates.sort();
        Err(GatewayNotFound {
            query: query.to_string(),
            where_: match (ns, &self.scope) {
                (Some(n), _) => format!("namespace `{n}`"),
                (None, Scope::Namespace(n)) => format!("namespace `{n}`"),
                (None, Scope::AllNamespaces) => "any namespace".to_string(),
            },
            candidates: candidates.into_iter().take(5).map(|(_, n)| n).collect(),
        })
    }
}

/// Levenshtein distance, for "did you mean" suggestions.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Origin, SourceInfo};

    /// Services by `namespace/name`, looked at through `scope`.
    fn snapshot(services: &[&str], scope: Scope) -> Snapshot {
        let mut snap = Snapshot::new(SourceInfo::Demo, Scope::AllNamespaces);
        for (line, s) in services.iter().enumerate() {
            let (ns, name) = s.split_once('/').unwrap();
            let value = serde_json::json!({
                "apiVersion": "v1", "kind": "Service",
                "metadata": {"name": name, "namespace": ns},
                "spec": {"ports": [{"port": 80}]},
            });
            snap.ingest(value, Origin::Demo { line }, "default")
                .unwrap();
        }
        let mut snap = snap.finish();
        snap.scope = scope;
        snap
    }

    fn shop() -> Scope {
        Scope::Namespace("shop".into())
    }

    #[test]
    fn a_name_outside_the_namespace_is_pointed_at() {
        let snap = snapshot(&["shop/cart", "infra/metrics"], shop());
        let e = snap.find_services("metrics").unwrap_err();
        assert_eq!(
            e.out_of_scope,
            Some(OutOfScope {
                scope: "shop".into(),
                services: vec!["infra/metrics".into()],
            })
        );
        assert!(e.elsewhere_hint().unwrap().contains("infra/metrics"));
        // Every namespace that has the name is listed.
        let snap = snapshot(&["ops/metrics", "infra/metrics", "shop/cart"], shop());
        let e = snap.find_services("metrics").unwrap_err();
        assert_eq!(
            e.out_of_scope.map(|o| o.services),
            Some(vec!["infra/metrics".to_string(), "ops/metrics".to_string()])
        );
    }

    #[test]
    fn nothing_is_hidden_when_nothing_else_matches() {
        // In scope: found.
        let snap = snapshot(&["shop/metrics", "infra/metrics"], shop());
        assert_eq!(snap.find_services("metrics").unwrap().len(), 1);
        // NAMESPACE/NAME names its namespace: the scope hid nothing.
        let e = snap.find_services("data/metrics").unwrap_err();
        assert_eq!(e.out_of_scope, None);
        // No such name anywhere.
        assert_eq!(snap.find_services("nope").unwrap_err().out_of_scope, None);
        // Every namespace in scope: nothing can be outside it.
        let snap = snapshot(&["infra/metrics"], Scope::AllNamespaces);
        assert_eq!(snap.out_of_scope(&snap.services), None);
    }

    #[test]
    fn out_of_scope_needs_every_match_outside() {
        let snap = snapshot(&["infra/metrics", "shop/metrics"], shop());
        assert_eq!(snap.out_of_scope(&snap.services), None);
        assert_eq!(
            snap.out_of_scope(&snap.services[..1]).unwrap().services,
            ["infra/metrics"]
        );
        assert_eq!(snap.out_of_scope([]), None);
    }

    #[test]
    fn distances() {
        assert_eq!(edit_distance("payment", "payments"), 1);
        assert_eq!(edit_distance("cart", "cart"), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
