//! What the rules of a Gateway serve: every rule of every route attached
//! at a listener port (for a trace target that is a Gateway's address),
//! and the Service ports a rule or Ingress path sends to. Which rule serves
//! one request is the routing model's answer ([`crate::model::routing`]).

use super::RouteIndex;
use crate::model::routing::ServedBy;

/// Who serves a request, and the Services it goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Served {
    /// The rules and paths that serve it (several where they share it, as
    /// a canary does, or tie).
    pub(crate) by: Vec<ServedBy>,
    /// `(Service position, port position)` of each backend that resolves.
    pub(crate) backends: Vec<(usize, usize)>,
    /// What the entry point answers, where its routing model was asked
    /// (by host and path; `None` for every rule at a Gateway address): a
    /// redirect or a response of the proxy's own, or why the
    /// implementation's choice is not known.
    pub(crate) answer: Option<crate::model::routing::Outcome>,
}

impl RouteIndex {
    /// Every rule of every route attached to Gateway `gateway` on `port`
    /// (every listener when `None`).
    pub(crate) fn served_at(&self, gateway: usize, port: Option<i32>) -> Vec<Served> {
        let mut out = Vec::new();
        for (ri, route) in self.routes.iter().enumerate() {
            for p in route
                .parents
                .iter()
                .filter(|p| p.gateway_index == Some(gateway))
            {
                for l in p
                    .listeners
                    .iter()
                    .filter(|l| port.is_none_or(|want| want == l.port))
                {
                    for r in 0..route.rules.len() {
                        let by = ServedBy::Route {
                            route: ri,
                            rule: r,
                            gateway,
                            listener: l.index,
                        };
                        if !out.iter().any(|s: &Served| s.by == [by]) {
                            out.push(Served {
                                backends: self.backends_of(by),
                                by: vec![by],
                                answer: None,
                            });
                        }
                    }
                }
            }
        }
        out
    }

    /// The Service ports a rule or Ingress path sends to, where they resolve.
    pub(crate) fn backends_of(&self, by: ServedBy) -> Vec<(usize, usize)> {
        match by {
            ServedBy::Route { route, rule, .. } => self.routes[route].rules[rule]
                .backends
                .iter()
                .filter(|b| b.resolved() && b.weight > 0)
                .filter_map(|b| Some((b.service?, b.port_index?)))
                .collect(),
            ServedBy::Ingress { ingress, path } => {
                let p = &self.ingresses[ingress].paths[path];
                p.target.zip(p.port_index).into_iter().collect()
            }
        }
    }
}
