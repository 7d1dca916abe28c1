//! Traefik's Kubernetes Ingress provider (traefik/traefik at fd5a576,
//! `pkg/provider/kubernetes/ingress/kubernetes.go`): every Ingress path is
//! a router whose rule is `Host("h") && PathPrefix("/p")` (`Path` for
//! `Exact`; `ImplementationSpecific` takes the `router.pathmatcher`
//! annotation, `PathPrefix` by default), and a request goes to the
//! matching router with the highest priority, which is the length of its
//! rule unless `router.priority` sets it (`GetRulePriority`,
//! pkg/muxer/http/mux.go). `PathPrefix` matches characters (`/api` serves
//! `/apis`) unless the provider's static option `strictPrefixMatching`
//! makes it match path elements, as the Ingress specification does
//! (`buildStrictPrefixMatchingRule`): where the two disagree, the answer
//! is "depends". Only an Ingress without rules has its `defaultBackend`
//! served, by a router for every host at the lowest priority; a
//! `defaultBackend` beside rules is ignored.
//!
//! Entry points and their TLS are Traefik's static configuration, not in
//! the input: a router annotated `router.tls: "true"` serves HTTPS only
//! (no plain HTTP: `runtime_http.go`); one that names
//! `router.entrypoints` serves where those are; and whether any other
//! router answers HTTPS is the entry point's TLS setting. `spec.tls` only
//! loads certificates (`getCertificates`).

use super::build::Build;
use super::ingress::{Fallback, Front, Implementation, Location, OwnRules, PathKind, Tls, forward};
use super::spec::build_spec;
use super::{Answer, Outcome, Request, Scheme, ServedBy, prefix_matches};

/// The prefix of Traefik's Ingress annotations.
pub(super) const PREFIX: &str = "traefik.ingress.kubernetes.io/";

/// What Traefik's annotations say of each router (per Ingress position).
#[derive(Debug, Default)]
pub(crate) struct Routers {
    /// `router.tls: "true"`.
    tls: bool,
    /// `router.entrypoints`, as written.
    entry_points: Option<String>,
    /// `router.priority`, when set to a number other than 0.
    priority: Option<i64>,
    /// `router.pathmatcher` (for `ImplementationSpecific` paths).
    path_matcher: Option<String>,
}

/// A router without annotations.
static NO_ANNOTATIONS: Routers = Routers {
    tls: false,
    entry_points: None,
    priority: None,
    path_matcher: None,
};

/// What a Traefik front knows besides the shared [`Front`].
#[derive(Debug, Default)]
pub(crate) struct Traefik {
    routers: std::collections::HashMap<usize, Routers>,
}

pub(super) fn build(cx: &Build, members: Vec<usize>) -> Front {
    let mut front = build_spec(cx, members, Implementation::Traefik);
    let mut traefik = Traefik::default();
    for &i in &front.ingresses {
        let ann = |k: &str| cx.annotation(i, &format!("{PREFIX}{k}"));
        traefik.routers.insert(
            i,
            Routers {
                tls: ann("router.tls") == Some("true"),
                entry_points: ann("router.entrypoints").map(String::from),
                priority: ann("router.priority")
                    .and_then(|p| p.parse::<i64>().ok())
                    .filter(|&p| p != 0),
                path_matcher: ann("router.pathmatcher").map(String::from),
            },
        );
    }
    // Only an Ingress without rules has its defaultBackend served, on
    // every host (`default-router`); a second one is skipped ("The
    // default backend already exists"), in an order svcx does not know.
    let catch_all: Vec<(usize, usize)> = front
        .ingresses
        .iter()
        .flat_map(|&i| {
            let paths = &cx.facts(i).paths;
            let rules = paths.iter().any(|p| p.rule.is_some());
            paths
                .iter()
                .enumerate()
                .filter(move |(_, p)| p.rule.is_none() && !rules)
                .map(move |(pi, _)| (i, pi))
        })
        .collect();
    let fallback = match catch_all.as_slice() {
        [] => Fallback::NotFound,
        [(i, pi)] => Fallback::Backend {
            ingress: *i,
            path_index: *pi,
            target: cx.target(*i, *pi),
        },
        _ => Fallback::Depends(
            "several Ingresses without rules name a defaultBackend, and Traefik serves the first it reads".into(),
        ),
    };
    for s in &mut front.servers {
        s.fallback = fallback.clone();
        s.fallback_redirect = Some(false);
        let tls_router = s
            .locations
            .iter()
            .find(|l| traefik.routers.get(&l.ingress).is_some_and(|r| r.tls))
            .map(|l| l.ingress);
        if let Some(ingress) = tls_router {
            // Without a certificate of its own, Traefik's default one.
            if !s.tls.present() {
                s.tls = Tls::DefaultCertificate { ingress };
            }
        } else {
            s.tls = Tls::Depends(
                "Traefik serves HTTPS for a router without router.tls only where its entry point has TLS, which \
                 is its static configuration"
                    .into(),
            );
        }
        for l in &mut s.locations {
            l.redirect_http = Some(false);
        }
    }
    front.own = Some(Box::new(OwnRules::Traefik(traefik)));
    front
}

/// A router's rule as the provider writes it, for its length.
fn rule(host: Option<&str>, loc: &Location, matcher: &str, strict: bool) -> String {
    let path = match (matcher, loc.path.as_str()) {
        ("PathPrefix", "/") => r#"PathPrefix("/")"#.to_string(),
        ("PathPrefix", p) if strict => {
            let p = p.trim_end_matches('/');
            format!(r#"(Path("{p}") || PathPrefix("{p}/"))"#)
        }
        (m, p) => format!(r#"{m}("{p}")"#),
    };
    match host {
        Some(h) => format!(r#"Host("{h}") && {path}"#),
        None => path,
    }
}

/// One router that may answer: its location, priority, and whether it
/// matches under each reading of `PathPrefix` (characters, elements).
struct Candidate<'a> {
    loc: &'a Location,
    priority: [i64; 2],
    matches: [bool; 2],
    unknown: Option<String>,
}

/// What Traefik does with a request: the matching router with the highest
/// priority, else the catch-all default backend, else 404.
pub(super) fn answer(front: &Front, traefik: &Traefik, req: &Request) -> Answer {
    let path = req.path_only();
    let host = req.host.as_str();
    let mut candidates: Vec<Candidate> = Vec::new();
    let by_host = front.by_host.get(host).map(|&k| &front.servers[k]);
    let hostless = front.servers.iter().find(|s| s.host.is_none());
    if by_host.is_none()
        && let Some(w) = front.servers.iter().find(|s| {
            s.host
                .as_deref()
                .is_some_and(|h| h.starts_with("*.") && front.wildcard_covers(h, host))
        })
    {
        return Answer::depends(
            format!(
                "host {} is a wildcard, which Traefik's Host matcher reads as it is configured to",
                w.host.as_deref().unwrap_or_default()
            ),
            w.locations.iter().map(Location::served_by).collect(),
        );
    }
    for s in by_host.into_iter().chain(hostless) {
        for loc in &s.locations {
            let r = traefik.routers.get(&loc.ingress).unwrap_or(&NO_ANNOTATIONS);
            if req.scheme == Scheme::Http && r.tls {
                continue;
            }
            let matcher = match loc.kind {
                PathKind::Exact => "Path",
                PathKind::Prefix => "PathPrefix",
                PathKind::ImplementationSpecific => {
                    r.path_matcher.as_deref().unwrap_or("PathPrefix")
                }
            };
            let mut unknown = r.entry_points.as_ref().map(|e| {
                format!(
                    "its router names entry points {e}, which are Traefik's static configuration"
                )
            });
            let matches = match matcher {
                "Path" => [loc.path == path; 2],
                "PathPrefix" => [path.starts_with(&loc.path), prefix_matches(&loc.path, path)],
                other => {
                    unknown = Some(format!(
                        "its router.pathmatcher {other} is not read by svcx"
                    ));
                    [true; 2]
                }
            };
            if req.scheme == Scheme::Https && !r.tls && unknown.is_none() {
                unknown = Some(
                    "whether Traefik answers HTTPS for a router without router.tls is its entry point's TLS, \
                     static configuration"
                        .into(),
                );
            }
            let length = |strict| rule(s.host.as_deref(), loc, matcher, strict).len() as i64;
            let priority = r.priority.map_or([length(false), length(true)], |p| [p, p]);
            candidates.push(Candidate {
                loc,
                priority,
                matches,
                unknown,
            });
        }
    }
    // The winner under each reading of PathPrefix, and the routers that
    // tie with it (Traefik's sort leaves their order open).
    let winner = |mode: usize| -> Vec<&Candidate> {
        let best = candidates
            .iter()
            .filter(|c| c.matches[mode])
            .map(|c| c.priority[mode])
            .max();
        candidates
            .iter()
            .filter(|c| c.matches[mode] && Some(c.priority[mode]) == best)
            .collect()
    };
    let (characters, elements) = (winner(0), winner(1));
    let by = |cs: &[&Candidate]| {
        cs.iter()
            .map(|c| c.loc.served_by())
            .collect::<Vec<ServedBy>>()
    };
    let same = characters.len() == elements.len()
        && characters
            .iter()
            .zip(&elements)
            .all(|(a, b)| std::ptr::eq(a.loc, b.loc));
    if !same {
        let mut all = by(&characters);
        all.extend(by(&elements));
        return Answer::depends(
            "Traefik matches Prefix paths character by character (`/api` serves `/apis`) unless its provider \
             option strictPrefixMatching is on, and the two readings choose different rules here",
            all,
        );
    }
    match characters.as_slice() {
        [] => default_router(front, req),
        [c] => match &c.unknown {
            Some(why) => Answer::depends(why.clone(), by(&characters)),
            None => Answer::by(forward(front, &c.loc.target), by(&characters)),
        },
        _ => Answer::depends(
            "several routers match with the same priority, and Traefik's order among them is not fixed",
            by(&characters),
        ),
    }
}

/// The `default-router` of an Ingress without rules, at the lowest
/// priority, else Traefik's 404.
fn default_router(front: &Front, req: &Request) -> Answer {
    let fallback = front.servers.first().map(|s| &s.fallback);
    match fallback {
        Some(Fallback::Backend {
            ingress,
            path_index,
            target,
        }) => {
            let by = vec![ServedBy::Ingress {
                ingress: *ingress,
                path: *path_index,
            }];
            if req.scheme == Scheme::Https {
                return Answer::depends(
                    "whether Traefik answers HTTPS for the default backend is its entry point's TLS, static \
                     configuration",
                    by,
                );
            }
            Answer::by(forward(front, target), by)
        }
        Some(Fallback::Depends(why)) => Answer::depends(why.clone(), Vec::new()),
        _ => Answer::new(Outcome::NoRoute),
    }
}
