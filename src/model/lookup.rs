//! Finding Services by the names users type: `NAME` (in the namespace in
//! scope, or in any namespace with -A / offline) and `NAMESPACE/NAME`.

use super::{Located, Scope, Snapshot};
use k8s_openapi::api::core::v1::Service;
use kube::ResourceExt;

/// The name cluster DNS gives a Service: `name.namespace.svc.cluster.local`
/// (`cluster.local` is the default cluster domain).
pub fn service_dns_name(namespace: &str, name: &str) -> String {
    format!("{name}.{namespace}.svc.cluster.local")
}

/// A name that matched no Service, with the names that come closest.
#[derive(Debug, thiserror::Error)]
#[error("no Service `{query}` in {where_}")]
pub struct NotFound {
    pub query: String,
    pub where_: String,
    pub candidates: Vec<String>,
}

impl Snapshot {
    /// Services matching `query` (`name` or `namespace/name`). A bare name may
    /// match in several namespaces when the scope is all namespaces.
    pub fn find_services(&self, query: &str) -> Result<Vec<&Located<Service>>, NotFound> {
        let (ns, name) = match query.split_once('/') {
            Some((ns, name)) => (Some(ns), name),
            None => (None, query),
        };
        let found: Vec<_> = self
            .services
            .iter()
            .filter(|s| s.object.name_any() == name)
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
        })
    }

    /// Up to five `namespace/name`s closest to `name` by edit distance.
    pub fn closest_services(&self, name: &str) -> Vec<String> {
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

/// Levenshtein distance, for "did you mean" suggestions.
pub fn edit_distance(a: &str, b: &str) -> usize {
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
    use super::edit_distance;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("payment", "payments"), 1);
        assert_eq!(edit_distance("cart", "cart"), 0);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
