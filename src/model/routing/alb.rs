//! The AWS Load Balancer Controller's ALB (kubernetes-sigs/
//! aws-load-balancer-controller at 225f445, `pkg/ingress/`): one load
//! balancer per IngressGroup, which is the Ingresses sharing a
//! `group.name`, or, without one, the Ingress alone (`group_loader.go`,
//! `loadGroupID`). Its listeners are each Ingress's `listen-ports` (by
//! default HTTP:80, or HTTPS:443 when it names a `certificate-arn`:
//! `computeIngressListenPorts`), and a listener's rules are those of the
//! Ingresses listening on it, matched in priority order, first match wins
//! (`buildListenerRules`): the Ingresses by `group.order`, then
//! `namespace/name` (`sortGroupMembers`); within each Ingress rule, `Exact`
//! paths, then `Prefix` paths longest first, then the others in their order
//! (`sortIngressPaths`). `Prefix /foo` is the patterns `/foo` and `/foo/*`,
//! `Exact` the path itself, `ImplementationSpecific` an ALB pattern (`*`
//! and `?`), case-sensitive; a host is a host-header pattern
//! (`buildRuleConditions`, `buildPathPatterns`). What no rule matches gets
//! the listener's default action: the one `spec.defaultBackend` of the
//! Ingresses listening there, else a 404 (several are an error:
//! `buildListenerDefaultActions`). With `ssl-redirect` every HTTP listener
//! answers with a 301 to HTTPS on that port and has no rules
//! (`buildSSLRedirectConfig`, `model_build_listener_rules.go`).
//!
//! What the input does not say is "depends": a rule whose action or
//! conditions come from the `actions.NAME` and `conditions.NAME`
//! annotations (svcx does not read them), a regular-expression path
//! (`use-regex-path-match`), the certificates (ACM, which no Gateway
//! listener can name), and a group the controller refuses to build.

use super::build::Build;
use super::ingress::{
    Fallback, Front, Implementation, Location, OwnRules, PathKind, Server, Target, Tls, forward,
};
use super::regex::Regexes;
use super::{Answer, Outcome, Request, Scheme, ServedBy, prefix_matches};
use crate::model::ingress_lb::{ALB_PREFIX, ALB_USE_ANNOTATION};
use std::collections::HashMap;

/// What an ALB does that the shared [`Front`] does not say.
#[derive(Debug, Default)]
pub(crate) struct Alb {
    /// Its rules in priority order, as (server, location) positions.
    rules: Vec<(usize, usize)>,
    /// The listeners each Ingress (position) has its rules on.
    listens: HashMap<usize, Vec<(i32, Scheme)>>,
    /// The HTTPS port every HTTP listener redirects to (`ssl-redirect`).
    ssl_redirect: Option<i32>,
    /// Rules whose action or match svcx cannot know, and why.
    unknown: HashMap<(usize, usize), String>,
    /// Why the controller refuses to build this load balancer, if it does.
    refused: Option<String>,
    /// Each `spec.defaultBackend`: (Ingress, path position, target).
    defaults: Vec<(usize, usize, Target)>,
}

/// The annotation of the AWS Load Balancer Controller named `suffix`.
fn ann<'a>(cx: &'a Build, i: usize, suffix: &str) -> Option<&'a str> {
    cx.annotation(i, &format!("{ALB_PREFIX}{suffix}"))
}

/// The group an Ingress belongs to: `group.name`, or `None` for the
/// implicit group of the Ingress alone.
pub(super) fn group_of(cx: &Build, i: usize) -> Option<String> {
    ann(cx, i, "group.name")
        .filter(|g| !g.is_empty())
        .map(String::from)
}

/// An Ingress's listeners: `listen-ports` (`[{"HTTP": 80}, {"HTTPS":
/// 443}]`), else HTTPS:443 with a `certificate-arn` and HTTP:80 without.
fn listen_ports(cx: &Build, i: usize) -> Result<Vec<(i32, Scheme)>, String> {
    let Some(raw) = ann(cx, i, "listen-ports") else {
        return Ok(
            if ann(cx, i, "certificate-arn").is_some_and(|c| !c.is_empty()) {
                vec![(443, Scheme::Https)]
            } else {
                vec![(80, Scheme::Http)]
            },
        );
    };
    let bad = || {
        format!(
            "Ingress {} has listen-ports {raw}, which the controller refuses",
            cx.name(i)
        )
    };
    let entries: Vec<HashMap<String, i32>> = serde_json::from_str(raw).map_err(|_| bad())?;
    let mut out = Vec::new();
    for (protocol, port) in entries.iter().flatten() {
        let scheme = match protocol.as_str() {
            "HTTP" => Scheme::Http,
            "HTTPS" => Scheme::Https,
            _ => return Err(bad()),
        };
        if !(1..=65535).contains(port) {
            return Err(bad());
        }
        out.push((*port, scheme));
    }
    if out.is_empty() {
        return Err(bad());
    }
    Ok(out)
}

/// The Ingresses of a group in the controller's order: `group.order`
/// (default 0), then `namespace/name`.
fn sort_members(cx: &Build, members: &mut [usize]) {
    let order = |i: usize| {
        ann(cx, i, "group.order")
            .and_then(|o| o.parse::<i32>().ok())
            .unwrap_or(0)
    };
    members.sort_by(|&a, &b| {
        let (fa, fb) = (cx.facts(a), cx.facts(b));
        order(a)
            .cmp(&order(b))
            .then_with(|| (&fa.namespace, &fa.name).cmp(&(&fb.namespace, &fb.name)))
    });
}

pub(super) fn build(cx: &Build, mut members: Vec<usize>) -> Front {
    sort_members(cx, &mut members);
    let mut alb = Alb::default();
    let mut servers: Vec<Server> = vec![Server::new(None)];
    let mut redirect_ports: Vec<i32> = Vec::new();
    for &i in &members {
        match listen_ports(cx, i) {
            Ok(ports) => {
                alb.listens.insert(i, ports);
            }
            Err(why) => alb.refused = Some(why),
        }
        if let Some(raw) = ann(cx, i, "ssl-redirect") {
            match raw.parse::<i32>() {
                Ok(p) if !redirect_ports.contains(&p) => redirect_ports.push(p),
                Ok(_) => {}
                Err(_) => {
                    alb.refused = Some(format!(
                        "Ingress {} has ssl-redirect {raw}, which is not a port",
                        cx.name(i)
                    ))
                }
            }
        }
        let facts = cx.facts(i);
        // Each Ingress rule's paths in the controller's order.
        let mut rules: Vec<Vec<usize>> = Vec::new();
        for (pi, p) in facts.paths.iter().enumerate() {
            match p.rule {
                Some(r) => {
                    if rules.len() <= r {
                        rules.resize(r + 1, Vec::new());
                    }
                    rules[r].push(pi);
                }
                None => alb.defaults.push((i, pi, cx.target(i, pi))),
            }
        }
        for mut paths in rules {
            let kind = |pi: usize| Build::kind(&facts.paths[pi]);
            let rank = |pi: usize| match kind(pi) {
                PathKind::Exact => 0,
                PathKind::Prefix => 1,
                PathKind::ImplementationSpecific => 2,
            };
            paths.sort_by(|&a, &b| {
                rank(a).cmp(&rank(b)).then_with(|| match kind(a) {
                    PathKind::Prefix => facts.paths[b].path.len().cmp(&facts.paths[a].path.len()),
                    _ => std::cmp::Ordering::Equal,
                })
            });
            for pi in paths {
                let p = &facts.paths[pi];
                let s = Server::find_or_add(&mut servers, p.host.as_deref(), Server::new);
                servers[s].locations.push(cx.location(i, pi));
                let at = (s, servers[s].locations.len() - 1);
                alb.rules.push(at);
                if let Some(why) = unknown(cx, i, pi) {
                    alb.unknown.insert(at, why);
                }
            }
        }
    }
    match redirect_ports.as_slice() {
        [] => {}
        [p] if https_ports(&alb).contains(p) => alb.ssl_redirect = Some(*p),
        [p] => {
            alb.refused = Some(format!(
                "ssl-redirect names port {p}, where the group has no HTTPS listener"
            ))
        }
        _ => {
            alb.refused = Some(format!(
                "the group's Ingresses name different ssl-redirect ports ({redirect_ports:?})"
            ))
        }
    }
    let listens_on = |i: usize, scheme: Scheme| {
        alb.listens
            .get(&i)
            .is_some_and(|l| l.contains(&(scheme.default_port(), scheme)))
    };
    // Every host's unmatched paths get the default action (as the routes
    // are written; which listener has it is the answer's to say).
    let fallback = match alb.defaults.as_slice() {
        [] => Fallback::NotFound,
        [(ingress, path_index, target)] => Fallback::Backend {
            ingress: *ingress,
            path_index: *path_index,
            target: target.clone(),
        },
        _ => Fallback::Depends(SEVERAL_DEFAULTS.into()),
    };
    for s in &mut servers {
        s.fallback = fallback.clone();
        let redirect = Some(alb.ssl_redirect.is_some());
        for l in &mut s.locations {
            l.redirect_http = redirect;
        }
        s.fallback_redirect = redirect;
        if s.locations
            .iter()
            .any(|l| listens_on(l.ingress, Scheme::Https))
        {
            s.tls = Tls::Depends(
                "the ALB serves HTTPS with ACM certificates (certificate-arn, or found by the hosts), which a \
                 Gateway listener's certificateRefs cannot name"
                    .into(),
            );
        }
    }
    let any = |scheme| members.iter().any(|&i| listens_on(i, scheme));
    Front {
        http: any(Scheme::Http),
        https: any(Scheme::Https),
        own: Some(Box::new(OwnRules::Alb(alb))),
        ..Front::new(Implementation::Alb, members, servers)
    }
}

fn https_ports(alb: &Alb) -> Vec<i32> {
    alb.listens
        .values()
        .flatten()
        .filter(|(_, s)| *s == Scheme::Https)
        .map(|(p, _)| *p)
        .collect()
}

/// Why a path's rule cannot be known from the input, if it cannot.
fn unknown(cx: &Build, i: usize, pi: usize) -> Option<String> {
    let p = &cx.facts(i).paths[pi];
    let name = p.service.as_deref().unwrap_or_default();
    if p.port.as_deref() == Some(ALB_USE_ANNOTATION) {
        return Some(format!(
            "its action is the annotation {ALB_PREFIX}actions.{name}, which svcx does not read"
        ));
    }
    if ann(cx, i, &format!("conditions.{name}")).is_some() {
        return Some(format!(
            "the annotation {ALB_PREFIX}conditions.{name} adds conditions to its rule, which svcx does not read"
        ));
    }
    if Build::kind(p) == PathKind::ImplementationSpecific
        && ann(cx, i, "use-regex-path-match") == Some("true")
    {
        return Some(format!(
            "path {} is a regular expression to the ALB (use-regex-path-match)",
            p.path
        ));
    }
    None
}

/// An ALB pattern (`*` any characters, `?` one) as a regular expression.
fn pattern(glob: &str) -> String {
    glob.split('*')
        .map(|part| {
            part.split('?')
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect::<Vec<_>>()
        .join(".*")
}

/// Whether an ALB pattern matches, whole: host patterns ignore case, path
/// patterns do not.
pub(super) fn glob_matches(regexes: &Regexes, glob: &str, text: &str, ignore_case: bool) -> bool {
    regexes
        .matches(&pattern(glob), text, ignore_case, true)
        .unwrap_or(false)
}

/// Whether a location's path matches, as `buildPathPatterns` writes it.
fn path_matches(regexes: &Regexes, l: &Location, path: &str) -> bool {
    match l.kind {
        PathKind::Exact => l.path == path,
        PathKind::Prefix => prefix_matches(&l.path, path),
        PathKind::ImplementationSpecific => glob_matches(regexes, &l.path, path, false),
    }
}

/// What the ALB does with a request: the first rule of the listener it
/// reaches that matches, else the listener's default action.
pub(super) fn answer(front: &Front, alb: &Alb, req: &Request) -> Answer {
    if let Some(why) = &alb.refused {
        return Answer::depends(
            format!("the controller refuses to build the load balancer: {why}"),
            Vec::new(),
        );
    }
    let listener = (req.scheme.default_port(), req.scheme);
    let listening: Vec<usize> = front
        .ingresses
        .iter()
        .copied()
        .filter(|i| alb.listens.get(i).is_some_and(|l| l.contains(&listener)))
        .collect();
    if listening.is_empty() {
        return Answer::new(Outcome::Refused);
    }
    if req.scheme == Scheme::Http
        && let Some(port) = alb.ssl_redirect
    {
        let at = if port == 443 {
            String::new()
        } else {
            format!(":{port}")
        };
        return Answer::new(Outcome::Redirect {
            status: 301,
            scheme: Some(Scheme::Https),
            location: Some(format!("https://{}{at}{}", req.host, req.path)),
        });
    }
    let path = req.path_only();
    for &(s, l) in &alb.rules {
        let server = &front.servers[s];
        let loc = &server.locations[l];
        if !listening.contains(&loc.ingress)
            || !server
                .host
                .as_deref()
                .is_none_or(|h| glob_matches(&front.regexes, h, &req.host, true))
            || !path_matches(&front.regexes, loc, path)
        {
            continue;
        }
        let by = vec![loc.served_by()];
        if let Some(why) = alb.unknown.get(&(s, l)) {
            return Answer::depends(why.clone(), by);
        }
        return Answer::by(forward(front, &loc.target), by);
    }
    default_action(front, alb, &listening)
}

/// The listener's default action: the `spec.defaultBackend` of the one
/// Ingress listening there that has one, else 404.
fn default_action(front: &Front, alb: &Alb, listening: &[usize]) -> Answer {
    let defaults: Vec<&(usize, usize, Target)> = alb
        .defaults
        .iter()
        .filter(|(i, ..)| listening.contains(i))
        .collect();
    match defaults.as_slice() {
        [] => Answer::new(Outcome::NoRoute),
        [(ingress, path, target)] => Answer::by(
            forward(front, target),
            vec![ServedBy::Ingress {
                ingress: *ingress,
                path: *path,
            }],
        ),
        _ => Answer::depends(SEVERAL_DEFAULTS, Vec::new()),
    }
}

/// Why several default backends on one listener are "depends".
const SEVERAL_DEFAULTS: &str =
    "several Ingresses of the group name a defaultBackend, and the controller refuses the group";
