//! NGINX Inc's NGINX Ingress Controller (nginx/kubernetes-ingress,
//! controller `nginx.org/ingress-controller`), as it turns Ingresses into
//! nginx servers and locations (cited at commit 0eb3072:
//! internal/k8s/configuration.go, internal/configs/ingress.go,
//! internal/configs/annotations.go, internal/configs/version1/
//! nginx.ingress.tmpl):
//!
//! - **One Ingress per host.** The oldest Ingress that names a host owns
//!   it, whole; another Ingress's rules for that host are not served ("host
//!   is taken by another resource", `buildHostsAndResources`). Where the
//!   creation times are not in the input, which one owns it depends.
//! - **Mergeable Ingresses.** A `master` (`nginx.org/mergeable-ingress-type`)
//!   owns its host and gives its server the TLS and redirect; the `minion`s
//!   of the host give the locations (the oldest minion keeps a path). A
//!   minion without a master is not served.
//! - **Refused.** An Ingress without rules, or with a rule without a host
//!   (unless the controller runs with `-allow-empty-ingress-host`, off by
//!   default), fails its validation and is not served at all.
//! - **Locations.** `Exact` is `location = PATH`; `Prefix` and
//!   `ImplementationSpecific` are `location PATH`, an nginx prefix of
//!   characters (`/tea` serves `/teapot`); `nginx.org/path-regex` makes
//!   the paths of its Ingress regular expressions (`~`, `~*`, `=`). nginx
//!   takes an exact location, then answers a request for `/p` with a 301
//!   to `/p/` where a prefix location `/p/` proxies, then the first
//!   regular expression that matches, then the longest prefix.
//! - **spec.defaultBackend** is a `location /` on its own Ingress's hosts.
//! - **HTTPS.** A host listed in the owner's `spec.tls` is served over
//!   TLS, and `http` to it is redirected with the owner's
//!   `nginx.org/http-redirect-code` (301 by default) unless
//!   `nginx.org/ssl-redirect` (else `ingress.kubernetes.io/ssl-redirect`)
//!   is false, for the whole server.
//! - **Wildcard hosts** are nginx wildcard server names: `*.example.com`
//!   also covers `a.b.example.com`.

use super::build::Build;
use super::ingress::{
    Fallback, Found, Front, Implementation, Location, NGINX_ORG_PATH_REGEX, PathKind, PathRegex,
    Server, Tls,
};
use super::{Request, ServedBy};
use std::cmp::Ordering;

/// The annotation that makes an Ingress a master or a minion.
pub(crate) const MERGEABLE_TYPE: &str = "nginx.org/mergeable-ingress-type";
/// The status of the redirect to https.
pub(crate) const HTTP_REDIRECT_CODE: &str = "nginx.org/http-redirect-code";
/// Whether `http` is redirected to https, and the older key it reads when
/// that one is not set.
pub(crate) const SSL_REDIRECT: [&str; 2] = [
    "nginx.org/ssl-redirect",
    "ingress.kubernetes.io/ssl-redirect",
];

/// What an Ingress is to the merging of hosts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Plain,
    Master,
    Minion,
}

fn role(cx: &Build, i: usize) -> Role {
    match cx.annotation(i, MERGEABLE_TYPE) {
        Some("master") => Role::Master,
        Some("minion") => Role::Minion,
        _ => Role::Plain,
    }
}

/// Go's `strconv.ParseBool`, which reads the controller's boolean
/// annotations: `None` for any other text (the annotation is then
/// ignored).
fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// Builds the servers of NGINX Inc's controller.
pub(super) fn build(cx: &Build, mut members: Vec<usize>) -> Front {
    cx.sort(&mut members);
    let mut front = Front::new(Implementation::NginxInc, members.clone(), Vec::new());
    // The owner of each server (a plain Ingress or a master).
    let mut owners: Vec<usize> = Vec::new();
    let refuse = |front: &mut Front, i: usize, field: &str, why: String| {
        front.decisions.push(super::ingress::Decision {
            ingress: i,
            field: field.to_string(),
            message: why,
        });
    };
    let mut minions: Vec<usize> = Vec::new();
    for &i in &members {
        let facts = cx.facts(i);
        let rules = cx
            .object(i)
            .spec
            .as_ref()
            .and_then(|s| s.rules.as_deref())
            .unwrap_or_default();
        if rules.is_empty() {
            refuse(
                &mut front,
                i,
                "spec.rules",
                "NGINX Inc's controller refuses an Ingress without rules (spec.rules: Required value): it \
                 serves nothing of it"
                    .into(),
            );
            continue;
        }
        if rules
            .iter()
            .any(|r| r.host.as_deref().unwrap_or_default().is_empty())
        {
            refuse(
                &mut front,
                i,
                "spec.rules",
                "NGINX Inc's controller refuses an Ingress with a rule without a host unless it runs with \
                 -allow-empty-ingress-host (off by default): it serves nothing of it"
                    .into(),
            );
            continue;
        }
        // Annotations it validates: a value it does not allow refuses the
        // whole Ingress (internal/k8s/validation.go, `validatePathRegex`,
        // `validateHTTPRedirectCodeAnnotation`).
        let invalid = [
            (
                NGINX_ORG_PATH_REGEX,
                &["case_sensitive", "case_insensitive", "exact"][..],
            ),
            (HTTP_REDIRECT_CODE, &["301", "302", "307", "308"][..]),
        ]
        .into_iter()
        .find_map(|(key, allowed)| {
            cx.annotation(i, key)
                .filter(|v| !allowed.contains(v))
                .map(|v| format!("{key}: \"{v}\" (allowed: {})", allowed.join(", ")))
        });
        if let Some(bad) = invalid {
            refuse(
                &mut front,
                i,
                "metadata.annotations",
                format!(
                    "NGINX Inc's controller refuses an Ingress whose annotation {bad}: it serves nothing of it"
                ),
            );
            continue;
        }
        match role(cx, i) {
            Role::Minion => {
                minions.push(i);
                continue;
            }
            Role::Plain | Role::Master => {}
        }
        let tls = cx.tls_hosts(i);
        // A master has one rule and no paths: its host is its rule's.
        let master_host = rules.first().and_then(|r| r.host.clone());
        let hosts: Vec<(Option<usize>, String, String)> = if role(cx, i) == Role::Master {
            master_host
                .map(|h| (None, h, "spec.rules[0]".to_string()))
                .into_iter()
                .collect()
        } else {
            facts
                .paths
                .iter()
                .enumerate()
                .filter(|(_, p)| p.rule.is_some())
                .filter_map(|(pi, p)| Some((Some(pi), p.host.clone()?, p.field.clone())))
                .collect()
        };
        for (pi, host, field) in hosts {
            let host = host.as_str();
            let k = match front.servers.iter().position(|s| {
                s.host
                    .as_deref()
                    .is_some_and(|h| h.eq_ignore_ascii_case(host))
            }) {
                Some(k) => k,
                None => {
                    let mut s = Server::new(Some(host.to_ascii_lowercase()));
                    s.tls = match tls.secret_of(host) {
                        Some(Some(name)) => Tls::Secret {
                            namespace: facts.namespace.clone(),
                            name,
                            ingress: i,
                        },
                        Some(None) => Tls::Depends(format!(
                            "Ingress {} lists {host} in spec.tls without a Secret: NGINX Inc's controller serves \
                             it with its -wildcard-tls-secret, or refuses the handshake without one",
                            cx.name(i)
                        )),
                        None => Tls::None,
                    };
                    front.servers.push(s);
                    owners.push(i);
                    front.servers.len() - 1
                }
            };
            let owner = owners[k];
            if owner != i {
                match cx.order(owner, i) {
                    Some(_) => {
                        refuse(
                            &mut front,
                            i,
                            &field,
                            format!(
                                "host {host} is taken by Ingress {} (older): NGINX Inc's controller serves one \
                                 Ingress per host, and none of this one's paths for it",
                                cx.name(owner)
                            ),
                        );
                        continue;
                    }
                    // Which one is older decides, and the input does not
                    // say: each of their paths is contested by the other.
                    None => {
                        if let Some(pi) = pi {
                            let first = (owner, first_path(cx, owner, host));
                            let mut loc = location(cx, i, pi);
                            loc.contested.push(first);
                            front.servers[k].locations.push(loc);
                            for l in &mut front.servers[k].locations {
                                if l.ingress == owner && !l.contested.contains(&(i, pi)) {
                                    l.contested.push((i, pi));
                                }
                            }
                        }
                        continue;
                    }
                }
            }
            if let Some(pi) = pi {
                front.servers[k].locations.push(location(cx, i, pi));
            }
        }
    }
    // Minions, in `namespace/name` order, under their host's master.
    minions.sort_by(|&a, &b| {
        let (fa, fb) = (cx.facts(a), cx.facts(b));
        (&fa.namespace, &fa.name).cmp(&(&fb.namespace, &fb.name))
    });
    for &i in &minions {
        let facts = cx.facts(i);
        if !cx.tls_hosts(i).is_empty() {
            refuse(
                &mut front,
                i,
                "spec.tls",
                "NGINX Inc's controller refuses a minion with TLS (the master gives its host's TLS): it serves \
                 nothing of it"
                    .into(),
            );
            continue;
        }
        for (pi, p) in facts.paths.iter().enumerate() {
            let (Some(_), Some(host)) = (p.rule, p.host.as_deref()) else {
                continue;
            };
            let master = front.servers.iter().position(|s| {
                s.host
                    .as_deref()
                    .is_some_and(|h| h.eq_ignore_ascii_case(host))
            });
            let Some(k) = master.filter(|&k| role(cx, owners[k]) == Role::Master) else {
                refuse(
                    &mut front,
                    i,
                    &p.field,
                    format!(
                        "a minion is served only under the master Ingress of its host, and {host} has none: NGINX \
                         Inc's controller serves none of its paths"
                    ),
                );
                break;
            };
            let mut loc = location(cx, i, pi);
            // A path another minion defines: the oldest keeps it.
            let same = |l: &Location| l.path == loc.path && l.kind == loc.kind;
            if let Some(other) = front.servers[k].locations.iter_mut().find(|l| same(l)) {
                match cx.order(other.ingress, i) {
                    Some(Ordering::Less | Ordering::Equal) => continue,
                    Some(Ordering::Greater) => *other = loc,
                    None => {
                        other.contested.push((i, pi));
                        loc.contested.push((other.ingress, other.path_index));
                        front.servers[k].locations.push(loc);
                    }
                }
                continue;
            }
            front.servers[k].locations.push(loc);
        }
    }
    // The owner's redirect and default backend, server-wide.
    for (k, s) in front.servers.iter_mut().enumerate() {
        let owner = owners[k];
        let redirects = match s.tls {
            Tls::None => Some(false),
            _ => Some(
                SSL_REDIRECT
                    .iter()
                    .find_map(|key| cx.annotation(owner, key).and_then(parse_bool))
                    .unwrap_or(true),
            ),
        };
        s.redirect_status = cx
            .annotation(owner, HTTP_REDIRECT_CODE)
            .and_then(|c| c.parse::<u16>().ok());
        for l in &mut s.locations {
            l.redirect_http = redirects;
        }
        s.fallback_redirect = redirects;
        let facts = cx.facts(owner);
        if let Some(pi) = facts.paths.iter().position(|p| p.rule.is_none()) {
            s.fallback = Fallback::Backend {
                ingress: owner,
                path_index: pi,
                target: cx.target(owner, pi),
            };
        }
    }
    front
}

/// The location of a path, with its Ingress's `nginx.org/path-regex`.
fn location(cx: &Build, i: usize, pi: usize) -> Location {
    let regex = cx.annotation(i, NGINX_ORG_PATH_REGEX).map(|v| match v {
        "case_insensitive" => PathRegex::CaseInsensitive,
        "exact" => PathRegex::Exact,
        _ => PathRegex::CaseSensitive,
    });
    Location {
        regex,
        ..cx.location(i, pi)
    }
}

/// The first path of Ingress `i` for `host`.
fn first_path(cx: &Build, i: usize, host: &str) -> usize {
    cx.facts(i)
        .paths
        .iter()
        .position(|p| {
            p.host
                .as_deref()
                .is_some_and(|h| h.eq_ignore_ascii_case(host))
        })
        .unwrap_or_default()
}

/// The location nginx picks for a request, as NGINX Inc writes them: an
/// exact location (`=`), else the 301 to `/p/` for a request for `/p`
/// where a prefix location `/p/` proxies (nginx's `location`
/// documentation), else the first regular expression that matches (which
/// of several comes first in its configuration svcx does not know), else
/// the longest prefix of characters (an empty `ImplementationSpecific`
/// path is `/`).
pub(super) fn location_of(front: &Front, server: &Server, req: &Request) -> Found {
    let path = req.path_only();
    let plain = |l: &Location| l.regex.is_none();
    if let Some(k) = server.locations.iter().position(|l| {
        l.path == path
            && (l.regex == Some(PathRegex::Exact) || (plain(l) && l.kind == PathKind::Exact))
    }) {
        return Found::Location(k);
    }
    if let Some(k) = super::nginx::slash_redirect(server, path) {
        return Found::SlashRedirect(k);
    }
    let mut matching = Vec::new();
    for (k, l) in server.locations.iter().enumerate() {
        let ci = match l.regex {
            Some(PathRegex::CaseInsensitive) => true,
            Some(PathRegex::CaseSensitive) => false,
            _ => continue,
        };
        match super::nginx::regex_location_matches(front, l, path, ci) {
            Ok(true) => matching.push(k),
            Ok(false) => {}
            Err(depends) => return depends,
        }
    }
    match matching.as_slice() {
        [] => {}
        [k] => return Found::Location(*k),
        _ => {
            return Found::Depends(
                "several regular-expression paths match it, and nginx takes the first in its configuration, \
                 whose order svcx does not know"
                    .into(),
                matching
                    .iter()
                    .map(|&k| server.locations[k].served_by())
                    .collect::<Vec<ServedBy>>(),
            );
        }
    }
    server
        .locations
        .iter()
        .enumerate()
        .filter(|(_, l)| plain(l) && l.kind != PathKind::Exact)
        .filter(|(_, l)| {
            path.starts_with(if l.path.is_empty() {
                "/"
            } else {
                l.path.as_str()
            })
        })
        .max_by_key(|(_, l)| l.path.len())
        .map_or(Found::Fallback, |(k, _)| Found::Location(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Go's `strconv.ParseBool`: what the controller takes for true and
    /// false, and nothing else.
    #[test]
    fn booleans_are_read_as_go_reads_them() {
        assert_eq!(parse_bool("False"), Some(false));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("t"), Some(true));
        assert_eq!(parse_bool("no"), None);
    }
}
