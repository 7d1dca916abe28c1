//! The Ingress specification's reading, for controllers svcx has no model
//! of (`networking.k8s.io/v1` `HTTPIngressPath`: "precedence will be given
//! first to the longest matching path. If two paths are still equally
//! matched, precedence will be given to paths with an exact path type over
//! prefix path type"; `ImplementationSpecific` "is up to the IngressClass").

use super::build::Build;
use super::ingress::{Fallback, Found, Front, Implementation, PathKind, Server, Target, Tls};
use super::{Request, ServedBy, prefix_matches};

/// The Ingress specification's precedence: the longest matching path, an
/// `Exact` path before a `Prefix` of the same length; an
/// `ImplementationSpecific` path that might match is the controller's to
/// read.
pub(super) fn spec_location(server: &Server, req: &Request) -> Found {
    let path = req.path_only();
    let mut best: Option<(usize, u8, usize)> = None;
    let mut unsure: Vec<ServedBy> = Vec::new();
    for (i, loc) in server.locations.iter().enumerate() {
        if loc.regex.is_some() {
            continue;
        }
        let rank = match loc.kind {
            PathKind::Exact => (loc.path == path).then_some(1),
            PathKind::Prefix => prefix_matches(&loc.path, path).then_some(0),
            PathKind::ImplementationSpecific => {
                if path.starts_with(loc.path.trim_end_matches('*')) {
                    unsure.push(loc.served_by());
                }
                None
            }
        };
        if let Some(r) = rank {
            let key = (loc.path.trim_end_matches('/').len(), r);
            if best.is_none_or(|(_, br, bl)| key > (bl, br)) {
                best = Some((i, r, key.0));
            }
        }
    }
    if !unsure.is_empty() {
        if let Some((i, ..)) = best {
            unsure.push(server.locations[i].served_by());
        }
        return Found::Depends(
            "an ImplementationSpecific path may match it, and how is the controller's choice"
                .into(),
            unsure,
        );
    }
    match best {
        Some((i, ..)) => Found::Location(i),
        None => Found::Fallback,
    }
}

/// Servers as the Ingress specification leaves them: the paths of every
/// Ingress of the class, by host; two Ingresses defining one host and path
/// contest it; a default backend serves its own Ingress's hosts, and the
/// catch-all when the Ingress has no rules.
pub(super) fn build_spec(
    cx: &Build,
    mut members: Vec<usize>,
    implementation: Implementation,
) -> Front {
    cx.sort(&mut members);
    let mut servers: Vec<Server> = Vec::new();
    let mut defaults: Vec<(usize, usize, Target, bool)> = Vec::new();
    for &i in &members {
        let facts = cx.facts(i);
        let tls = cx.tls_hosts(i);
        for (pi, p) in facts.paths.iter().enumerate() {
            if p.rule.is_none() {
                let has_rules = facts.paths.iter().any(|q| q.rule.is_some());
                defaults.push((i, pi, cx.target(i, pi), has_rules));
                continue;
            }
            let k = Server::find_or_add(&mut servers, p.host.as_deref(), Server::new);
            let s = &mut servers[k];
            // The entry that lists the host, else (for rules without a
            // host) one that lists none.
            let given = match &p.host {
                Some(h) => tls.secret_of(h),
                None => tls.hostless.clone(),
            };
            let hostless_may_cover = p.host.is_some() && tls.hostless.is_some();
            match given {
                _ if s.tls.present() => {}
                Some(Some(name)) => {
                    s.tls = Tls::Secret {
                        namespace: cx
                            .annotation(i, CONTOUR_CERT_NAMESPACE)
                            .filter(|n| !n.is_empty())
                            .unwrap_or(&facts.namespace)
                            .to_string(),
                        name,
                        ingress: i,
                    }
                }
                Some(None) => s.tls = Tls::DefaultCertificate { ingress: i },
                None if hostless_may_cover => {
                    s.tls = Tls::Depends(format!(
                        "Ingress {} has a TLS entry that lists no hosts, which the specification leaves to the \
                         controller's wildcard host: whether its certificate serves {} is the controller's choice",
                        cx.name(i),
                        p.host.as_deref().unwrap_or_default()
                    ))
                }
                None => {}
            }
            s.locations.push(cx.location(i, pi));
        }
    }
    // Two Ingresses with one path: the controller keeps one of them, and
    // the specification does not say which.
    for s in &mut servers {
        let snapshot: Vec<(usize, usize, String, PathKind)> = s
            .locations
            .iter()
            .map(|l| (l.ingress, l.path_index, l.path.clone(), l.kind))
            .collect();
        for l in &mut s.locations {
            for (ing, pi, path, kind) in &snapshot {
                if *ing != l.ingress
                    && *path == l.path
                    && *kind == l.kind
                    && !l.contested.contains(&(*ing, *pi))
                {
                    l.contested.push((*ing, *pi));
                }
            }
        }
        // Without TLS, http is served as is; with it, the controller
        // decides whether it redirects.
        let redirect = match s.tls {
            Tls::None => Some(false),
            _ => None,
        };
        for l in &mut s.locations {
            l.redirect_http = redirect;
        }
        s.fallback_redirect = if s.locations.is_empty() {
            Some(false)
        } else {
            redirect
        };
    }
    // What answers a path no rule matches. The specification sends it to
    // the Ingress's defaultBackend, but controllers read a defaultBackend
    // beside rules three ways: ingress-nginx sends it its hosts' unmatched
    // paths; Contour makes it a rule of the `*` virtual host
    // (`rulesFromSpec`, internal/dag/ingress_processor.go), which answers
    // the hosts no rule names; Traefik ignores it (only an Ingress without
    // rules gets its `default-router`, pkg/provider/kubernetes/ingress/
    // kubernetes.go). The defaultBackend of an Ingress without rules is the
    // catch-all in all three; whether it also answers a named host's
    // unmatched paths differs again (Traefik's `default-router` matches any
    // host at the lowest priority; Contour and ingress-nginx answer 404).
    let beside_rules: Vec<usize> = defaults
        .iter()
        .filter(|(.., has_rules)| *has_rules)
        .map(|(i, ..)| *i)
        .collect();
    let catch_all: Vec<&(usize, usize, Target, bool)> = defaults
        .iter()
        .filter(|(.., has_rules)| !has_rules)
        .collect();
    for s in &mut servers {
        let own = beside_rules
            .iter()
            .find(|i| s.locations.iter().any(|l| l.ingress == **i));
        s.fallback = match (own, catch_all.as_slice()) {
            (Some(&i), _) => Fallback::Depends(beside_rules_why(cx, i)),
            // Hostless rules share the catch-all with it, in every one.
            (None, [(i, pi, t, _)]) if s.host.is_none() => Fallback::Backend {
                ingress: *i,
                path_index: *pi,
                target: t.clone(),
            },
            (None, [_, _, ..]) if s.host.is_none() => Fallback::Depends(SEVERAL_CATCH_ALLS.into()),
            (None, [_, ..]) => Fallback::Depends(
                "an Ingress without rules names a defaultBackend, and whether it also answers a named host's \
                 unmatched paths is the controller's choice (Traefik: yes; Contour, ingress-nginx: 404)"
                    .into(),
            ),
            (None, []) => Fallback::NotFound,
        };
    }
    if !catch_all.is_empty() || !beside_rules.is_empty() {
        let k = Server::find_or_add(&mut servers, None, Server::new);
        let s = &mut servers[k];
        // Hostless rules are the catch-all's own, and were judged above.
        if s.locations.is_empty() {
            s.fallback = match (catch_all.as_slice(), beside_rules.first()) {
                ([(i, pi, t, _)], None) => Fallback::Backend {
                    ingress: *i,
                    path_index: *pi,
                    target: t.clone(),
                },
                ([], Some(&i)) => Fallback::Depends(beside_rules_why(cx, i)),
                _ => Fallback::Depends(SEVERAL_CATCH_ALLS.into()),
            };
        }
    }
    Front::new(implementation, members, servers)
}

/// Contour's annotation that takes an Ingress's TLS Secrets from another
/// namespace (`computeSecureVirtualhosts`, internal/dag/
/// ingress_processor.go, with `k8s.TLSCertAnnotationNamespace`); that
/// namespace must delegate them (a TLSCertificateDelegation).
pub(crate) const CONTOUR_CERT_NAMESPACE: &str = "projectcontour.io/tls-cert-namespace";

/// Why the catch-all is "depends" when several Ingresses could give it.
const SEVERAL_CATCH_ALLS: &str = "several Ingresses name a default backend, and which one answers hosts no rule \
                                  names is the controller's choice";

/// Why a defaultBackend beside rules makes a fallback "depends".
fn beside_rules_why(cx: &Build, i: usize) -> String {
    format!(
        "Ingress {} names a defaultBackend beside its rules, and controllers differ on what it answers \
         (ingress-nginx: its hosts' unmatched paths; Contour: the hosts no rule names; Traefik: nothing)",
        cx.name(i)
    )
}
