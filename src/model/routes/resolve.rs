//! One Gateway API route resolved as the spec says: each parentRef to a
//! Gateway and the listeners that admit the route (by `sectionName` and
//! `port`, then kind, namespace and hostname), each backendRef to a Service
//! port (kind Service by default; a port is required; another namespace
//! needs a ReferenceGrant there), and the route's status beside svcx's
//! reading. Which finding fires, and how severe it is, is decided here.
//!
//! Sources: `gateway-api` 0.22 `httproutes.rs` (ParentReference: "When both
//! Port and SectionName are specified, the name and port of the selected
//! listener must match both"; "If 1 of 2 Gateway listeners accept
//! attachment from the referencing Route, the Route MUST be considered
//! successfully attached"), `referencegrants.rs` (From/To entries are ORed;
//! `to.name` unset means every object of that kind), `apis/v1/shared_types.go`
//! in kubernetes-sigs/gateway-api (route condition reasons Accepted,
//! NotAllowedByListeners, NoMatchingListenerHostname, NoMatchingParent;
//! ResolvedRefs, RefNotPermitted, InvalidKind, BackendNotFound), and the CRD
//! CEL rule that a backendRef to a Service must have a port.

use super::super::Snapshot;
use super::super::addresses::AddressIndex;
use super::super::finding::{Code, Finding, Severity};
use super::super::ports::service_ports;
use super::super::view::{names_list, source_is_cluster};
use super::gateway::{Admission, Doubt, GatewayFacts, NamespaceLabels};
use super::references::Reference;
use super::shape::{
    BackendRefShape, GATEWAY_GROUP, ParentKind, ParentRefShape, RouteKind, RouteObject, RouteShape,
    filter_names, match_texts,
};
use super::{
    AdmittingListener, BackendFacts, ConditionView, ParentStatus, RouteFacts, RouteParent,
    RuleFacts,
};
use kube::ResourceExt;
use std::cell::RefCell;
use std::collections::HashMap;

/// What resolving routes needs from the snapshot, read once.
pub(crate) struct Resolver<'s> {
    pub(crate) snap: &'s Snapshot,
    pub(crate) gateways: &'s [GatewayFacts],
    pub(crate) gateway_at: HashMap<(String, String), usize>,
    pub(crate) namespaces: NamespaceLabels,
    /// Services by address, for an Ingress controller's own Service.
    pub(crate) addresses: AddressIndex,
    /// IngressClass name → its controller's Service, looked for once.
    pub(crate) class_services: RefCell<HashMap<String, Option<usize>>>,
}

impl Resolver<'_> {
    /// Whether the source lists every object of `namespace`, so that a
    /// missing one does not exist (live in scope, the demo). From files,
    /// what is not given may exist elsewhere.
    pub(crate) fn listed(&self, namespace: &str) -> bool {
        source_is_cluster(self.snap) && self.snap.scope.includes(namespace)
    }

    /// Why an object of `namespace` may be missing without being absent:
    /// `which is not in the input`, or, live, that its namespace was not read.
    pub(crate) fn unread(&self, namespace: &str) -> String {
        if source_is_cluster(self.snap) {
            format!(
                "in namespace `{namespace}`, which this run did not read (add -A to read every namespace)"
            )
        } else {
            "which is not in the input".to_string()
        }
    }

    /// Error when absence is known (its namespace was listed, or the
    /// cluster answered for it by name), warning when it may be a gap in
    /// the input.
    fn absence(&self, namespace: &str, reference: &Reference) -> Severity {
        if self.listed(namespace) || self.snap.fetched.answered(reference) {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    /// Why `reference` may be missing without being absent: svcx asked for
    /// it and was refused, or its namespace was not read.
    fn unread_ref(&self, namespace: &str, reference: &Reference) -> String {
        self.snap
            .fetched
            .unanswered(reference)
            .unwrap_or_else(|| self.unread(namespace))
    }
}

/// How the finding about a parent that may not exist ends; replaced when
/// the route's status stands in for the parent.
const ATTACHES_NOWHERE: &str = ": if it does not exist, the route attaches nowhere";

/// Resolves one route.
pub(crate) fn route(cx: &Resolver, object: RouteObject) -> RouteFacts {
    let shape = object.shape();
    let kind = object.kind();
    let namespace = shape.metadata.namespace.clone().unwrap_or_default();
    let name = shape.metadata.name.clone();
    let mut findings = Vec::new();
    if shape.spec.parent_refs.is_empty() {
        findings.push(
            object
                .finding(
                    Code::RouteWithoutParents,
                    "spec.parentRefs",
                    format!("{} {namespace}/{name} has no parentRefs: it attaches to no Gateway", kind.kind()),
                )
                .hint("add a parentRef naming the Gateway (and listener, with sectionName) that should serve it"),
        );
    }
    let parents: Vec<RouteParent> = shape
        .spec
        .parent_refs
        .iter()
        .enumerate()
        .map(|(i, p)| parent(cx, object, &shape, i, p))
        .collect();
    let rules: Vec<RuleFacts> = shape
        .spec
        .rules
        .iter()
        .enumerate()
        .map(|(r, rule)| RuleFacts {
            name: rule.name.clone(),
            matches: match_texts(kind, &rule.matches),
            filters: filter_names(&rule.filters),
            backends: rule
                .backend_refs
                .iter()
                .enumerate()
                .map(|(b, br)| backend(cx, object, &namespace, r, b, br))
                .collect(),
            raw_matches: rule.matches.clone(),
            raw_filters: rule.filters.clone(),
        })
        .collect();
    let mut facts = RouteFacts {
        kind,
        namespace,
        name,
        origin: object.origin().clone(),
        hostnames: shape.spec.hostnames.clone(),
        parents,
        rules,
        findings,
        created: shape.metadata.creation_timestamp.clone(),
    };
    status(object, &shape, &mut facts);
    facts
}

/// One parentRef: the Gateway it names and the listeners that admit the route.
pub(crate) fn parent(
    cx: &Resolver,
    object: RouteObject,
    shape: &RouteShape,
    i: usize,
    p: &ParentRefShape,
) -> RouteParent {
    let kind = object.kind();
    let route_ns = shape.metadata.namespace.as_deref().unwrap_or_default();
    let route = format!("{} {route_ns}/{}", kind.kind(), shape.metadata.name);
    let ns = p.namespace.clone().unwrap_or(route_ns.to_string());
    let field = format!("spec.parentRefs[{i}]");
    let mut out = RouteParent {
        kind: ParentKind::of(p.group_kind().0, p.group_kind().1),
        gateway: format!("{ns}/{}", p.name),
        section_name: p.section_name.clone(),
        port: p.port,
        gateway_index: None,
        addresses: Vec::new(),
        listeners: Vec::new(),
        findings: Vec::new(),
        status: None,
        accepted_per_status: false,
    };
    // A ListenerSet: its listeners on the Gateway it was merged into.
    let set =
        (p.group_kind() == (GATEWAY_GROUP, "ListenerSet")).then(|| format!("{ns}/{}", p.name));
    if p.group_kind() != (GATEWAY_GROUP, "Gateway") && set.is_none() {
        let (group, k) = p.group_kind();
        out.findings.push(
            object
                .finding(
                    Code::RefKindNotFollowed,
                    &format!("{field}.kind"),
                    format!(
                        "parentRef {} {ns}/{}{}: svcx follows Gateway parents only, so this attachment is not traced",
                        k,
                        p.name,
                        if group.is_empty() { String::new() } else { format!(" ({group})") }
                    ),
                )
                .hint(if k == "Service" {
                    "a Service parent is a mesh (GAMMA) route: the mesh applies it to traffic sent to that Service"
                } else {
                    "check its status for whether its controller accepts it"
                }),
        );
        return out;
    }
    let found = match &set {
        Some(set) => cx.gateways.iter().position(|g| {
            g.listeners
                .iter()
                .any(|l| l.listener_set.as_ref() == Some(set))
        }),
        None => cx.gateway_at.get(&(ns.clone(), p.name.clone())).copied(),
    };
    if let (Some(set), None) = (&set, found) {
        out.findings.push(
            object
                .finding(
                    Code::RouteParentNotFound,
                    &format!("{field}.name"),
                    format!(
                        "{route} names ListenerSet {set} as its parent, and no Gateway has its listeners: it does not \
                         exist, or its Gateway does not allow it (allowedListeners)"
                    ),
                )
                .severity(cx.absence(
                    &ns,
                    &Reference::ListenerSet {
                        namespace: ns.clone(),
                        name: p.name.clone(),
                    },
                ))
                .hint("check the ListenerSet's parentRef, and the Gateway's spec.allowedListeners"),
        );
        return out;
    }
    let Some(g) = found else {
        let wanted = Reference::Gateway {
            namespace: ns.clone(),
            name: p.name.clone(),
        };
        let sev = cx.absence(&ns, &wanted);
        let message = if sev == Severity::Error {
            format!(
                "{route} names Gateway {ns}/{} as its parent, and there is no such Gateway",
                p.name
            )
        } else {
            format!(
                "{route} names Gateway {ns}/{} as its parent, {}{ATTACHES_NOWHERE}",
                p.name,
                cx.unread_ref(&ns, &wanted)
            )
        };
        let hint = if cx.snap.fetched.unanswered(&wanted).is_some() {
            // It may well exist: what to do is read it, not create it.
            "svcx asked for it and could not read it (a notice names the permission); the route's status \
             says whether its controller accepted it"
                .to_string()
        } else {
            match cx
                .gateways
                .iter()
                .map(GatewayFacts::full_name)
                .collect::<Vec<_>>()
            {
                names if names.is_empty() => {
                    "create the Gateway, or name an existing one".to_string()
                }
                names => format!("Gateways there are: {}", names_list(&names)),
            }
        };
        out.findings.push(
            object
                .finding(Code::RouteParentNotFound, &format!("{field}.name"), message)
                .severity(sev)
                .hint(hint),
        );
        return out;
    };
    out.gateway_index = Some(g);
    let gw = &cx.gateways[g];
    out.addresses = gw.addresses.assigned.clone();
    let candidates: Vec<usize> = gw
        .listeners
        .iter()
        .enumerate()
        // A Gateway parent reaches the Gateway's own listeners, a
        // ListenerSet parent that set's.
        .filter(|(_, l)| l.listener_set == set)
        .filter(|(_, l)| p.section_name.as_ref().is_none_or(|s| *s == l.name))
        .filter(|(_, l)| p.port.is_none_or(|port| port == l.port))
        .map(|(j, _)| j)
        .collect();
    if candidates.is_empty() {
        let (what, at) = match (&p.section_name, p.port) {
            (Some(s), Some(port)) => (format!("a listener `{s}` on port {port}"), "sectionName"),
            (Some(s), None) => (format!("a listener `{s}`"), "sectionName"),
            (None, Some(port)) => (format!("a listener on port {port}"), "port"),
            (None, None) => ("a listener".to_string(), ""),
        };
        let listeners: Vec<String> = gw
            .listeners
            .iter()
            .map(|l| format!("{} ({} {})", l.name, l.protocol, l.port))
            .collect();
        let f = if at.is_empty() {
            field.clone()
        } else {
            format!("{field}.{at}")
        };
        out.findings.push(
            object
                .finding(
                    Code::RouteListenerNotFound,
                    &f,
                    format!(
                        "{route} asks Gateway {} for {what}, and it has none",
                        gw.full_name()
                    ),
                )
                .hint(if listeners.is_empty() {
                    "the Gateway has no listeners".to_string()
                } else {
                    format!("its listeners: {}", listeners.join(", "))
                }),
        );
        return out;
    }
    let mut refusals: Vec<(Code, String)> = Vec::new();
    let mut unsure = Vec::new();
    for j in candidates {
        let l = &gw.listeners[j];
        let (hostnames, why) = match l.admits(
            kind,
            route_ns,
            &shape.spec.hostnames,
            l.home(&gw.namespace),
            &cx.namespaces,
        ) {
            Admission::Admitted(h) => (h, None),
            Admission::Unsure(h, doubt) => (h, Some(doubt)),
            Admission::Refused(code, why) => {
                refusals.push((code, why));
                continue;
            }
        };
        unsure.extend(why);
        out.listeners.push(AdmittingListener {
            index: j,
            name: l.name.clone(),
            protocol: l.protocol.clone(),
            port: l.port,
            hostname: l.hostname.clone(),
            hostnames,
        });
    }
    if out.listeners.is_empty() {
        // The refusal closest to attaching names the finding: a hostname
        // mismatch means kind and namespace passed somewhere.
        let code = [
            Code::RouteHostnameMismatch,
            Code::RouteNamespaceNotAllowed,
            Code::RouteKindNotAllowed,
            Code::ListenerProtocolConflict,
        ]
        .into_iter()
        .find(|c| refusals.iter().any(|(r, _)| r == c))
        .unwrap_or(Code::RouteKindNotAllowed);
        let f = if code == Code::RouteHostnameMismatch {
            "spec.hostnames".to_string()
        } else {
            field.clone()
        };
        let reasons: Vec<&str> = refusals.iter().map(|(_, w)| w.as_str()).collect();
        out.findings.push(
            object
                .finding(
                    code,
                    &f,
                    format!("{route} is not admitted by Gateway {}: {}", gw.full_name(), reasons.join("; ")),
                )
                .hint(match code {
                    Code::RouteNamespaceNotAllowed => {
                        "the Gateway's owner decides who may attach: widen the listener's allowedRoutes.namespaces \
                         (from: All, or a Selector that matches this namespace), or move the route"
                    }
                    Code::RouteHostnameMismatch => {
                        "use a hostname within the listener's, or attach to a listener that serves it"
                    }
                    Code::ListenerProtocolConflict => {
                        "the Gateway's owner must give its TCP listener a port of its own (see the Gateway's findings)"
                    }
                    _ => "attach it to a listener whose protocol carries this kind of route, or use the route kind \
                          the listener admits",
                }),
        );
    } else {
        // One finding per kind of doubt: a Namespace not read, or an
        // implementation's choice.
        let mut codes: Vec<Code> = unsure.iter().map(|d: &Doubt| d.code).collect();
        codes.dedup();
        for code in codes {
            let doubts: Vec<&Doubt> = unsure.iter().filter(|d| d.code == code).collect();
            let whys: Vec<&str> = doubts.iter().map(|d| d.why.as_str()).collect();
            let severity = doubts
                .iter()
                .map(|d| d.severity)
                .max()
                .unwrap_or(Severity::Info);
            out.findings.push(
                object
                    .finding(
                        code,
                        &field,
                        format!("{route} may not be admitted by Gateway {}: {}", gw.full_name(), whys.join("; ")),
                    )
                    .severity(severity)
                    .hint(if code == Code::RouteNamespaceNotAllowed {
                        "give svcx the Namespace too (-f), or check the route's status for whether it was accepted"
                    } else {
                        "list the route kind in the listener's allowedRoutes.kinds to be sure, or check the route's \
                         status for whether it was accepted"
                    }),
            );
        }
    }
    out
}

/// One backendRef: the Service port it names, or why it names none.
pub(crate) fn backend(
    cx: &Resolver,
    object: RouteObject,
    route_ns: &str,
    r: usize,
    b: usize,
    br: &BackendRefShape,
) -> BackendFacts {
    let field = format!("spec.rules[{r}].backendRefs[{b}]");
    let group = br.group.as_deref().unwrap_or("");
    let kind = br.kind.as_deref().unwrap_or("Service");
    let ns = br.namespace.clone().unwrap_or(route_ns.to_string());
    let mut out = BackendFacts {
        kind: kind.to_string(),
        namespace: ns.clone(),
        name: br.name.clone(),
        port: br.port,
        weight: br.weight.unwrap_or(1),
        filters: filter_names(&br.filters),
        service: None,
        port_index: None,
        findings: Vec::new(),
    };
    let target = format!("{ns}/{}", br.name);
    if !group.is_empty() || kind != "Service" {
        out.findings.push(
            object
                .finding(
                    Code::RefKindNotFollowed,
                    &format!("{field}.kind"),
                    format!(
                        "backendRef {kind}{} {target}: svcx follows Service backends only, so traffic sent there is \
                         not traced",
                        if group.is_empty() { String::new() } else { format!(".{group}") }
                    ),
                )
                .hint("its controller must support this kind; the route's ResolvedRefs condition says whether it does"),
        );
        return out;
    }
    if ns != route_ns && !granted(cx, object.kind(), route_ns, &ns, &br.name) {
        let grants = Reference::ReferenceGrants {
            namespace: ns.clone(),
        };
        let sev = cx.absence(&ns, &grants);
        let other_kinds = grants_for_other_kinds(cx, object.kind(), route_ns, &ns, &br.name);
        let mut message = format!(
            "backendRef to Service {target} crosses from namespace `{route_ns}` to `{ns}`, and no ReferenceGrant in \
             `{ns}` allows {}s from `{route_ns}` to refer to it",
            object.kind().kind()
        );
        if !other_kinds.is_empty() {
            message.push_str(&format!(
                " (a ReferenceGrant there allows {} from `{route_ns}`, not {})",
                other_kinds.join(", "),
                object.kind().kind()
            ));
        } else if sev == Severity::Warning {
            match cx.snap.fetched.unanswered(&grants) {
                Some(why) => message.push_str(&format!(" (its ReferenceGrants, {why})")),
                None if source_is_cluster(cx.snap) => message.push_str(
                    " (its ReferenceGrants were not read: add -A to read every namespace)",
                ),
                None => message.push_str(" in the input"),
            }
        }
        out.findings.push(
            object
                .finding(Code::BackendRefNotPermitted, &format!("{field}.namespace"), message)
                .severity(sev)
                .hint(format!(
                    "the owner of `{ns}` must create a ReferenceGrant there: from {{group: {GATEWAY_GROUP}, kind: {}, \
                     namespace: {route_ns}}} to {{group: \"\", kind: Service}}; without it the controller {}",
                    object.kind().kind(),
                    object.kind().invalid_backend_answer()
                )),
        );
    }
    let Some(position) = cx.snap.service_position(&ns, &br.name) else {
        let wanted = Reference::Service {
            namespace: ns.clone(),
            name: br.name.clone(),
        };
        let sev = cx.absence(&ns, &wanted);
        let message = if sev == Severity::Error {
            format!("backendRef names Service {target}, and there is no such Service")
        } else {
            format!(
                "backendRef names Service {target}, {}",
                cx.unread_ref(&ns, &wanted)
            )
        };
        out.findings.push(
            object
                .finding(
                    Code::BackendServiceNotFound,
                    &format!("{field}.name"),
                    message,
                )
                .severity(sev)
                .hint(format!(
                    "the controller {}; create the Service or fix the name",
                    object.kind().invalid_backend_answer()
                )),
        );
        return out;
    };
    let svc = &cx.snap.services[position];
    out.service = Some(position);
    let ports = service_ports(&svc.object);
    let listing = || {
        ports
            .iter()
            .map(|p| p.port.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match br.port {
        None => out.findings.push(
            object
                .finding(
                    Code::BackendPortNotFound,
                    &format!("{field}.port"),
                    format!("backendRef to Service {target} has no port; a Service backend needs one"),
                )
                .hint(format!(
                    "add port: one of the Service's ports ({}); the API server rejects a Service backendRef without it",
                    listing()
                )),
        ),
        Some(want) => match ports.iter().position(|p| p.port == want) {
            Some(k) => out.port_index = Some(k),
            None => out.findings.push(
                object
                    .finding(
                        Code::BackendPortNotFound,
                        &format!("{field}.port"),
                        format!("backendRef asks Service {target} for port {want}, and it has no such port"),
                    )
                    .hint(if ports.is_empty() {
                        "the Service declares no ports".to_string()
                    } else {
                        format!(
                            "a backendRef names the Service port, not the targetPort: use one of {}",
                            listing()
                        )
                    }),
            ),
        },
    }
    out
}

/// Whether a ReferenceGrant in `to_ns` lets routes of `kind` in `from_ns`
/// refer to Service `name`.
fn granted(cx: &Resolver, kind: RouteKind, from_ns: &str, to_ns: &str, name: &str) -> bool {
    grants_in(cx, to_ns).any(|g| {
        g.spec
            .from
            .iter()
            .any(|f| f.group == GATEWAY_GROUP && f.kind == kind.kind() && f.namespace == from_ns)
            && service_target(g, name)
    })
}

/// Route kinds from `from_ns` that grants in `to_ns` allow to refer to the
/// Service, when the route's own kind is not among them.
fn grants_for_other_kinds(
    cx: &Resolver,
    kind: RouteKind,
    from_ns: &str,
    to_ns: &str,
    name: &str,
) -> Vec<String> {
    let mut kinds: Vec<String> = grants_in(cx, to_ns)
        .filter(|g| service_target(g, name))
        .flat_map(|g| g.spec.from.iter())
        .filter(|f| f.namespace == from_ns && f.kind != kind.kind())
        .map(|f| f.kind.clone())
        .collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

fn grants_in<'a>(
    cx: &'a Resolver,
    ns: &'a str,
) -> impl Iterator<Item = &'a gateway_api::apis::standard::referencegrants::ReferenceGrant> {
    cx.snap
        .reference_grants
        .iter()
        .map(|g| &g.object)
        .filter(move |g| g.namespace().as_deref() == Some(ns))
}

fn service_target(
    g: &gateway_api::apis::standard::referencegrants::ReferenceGrant,
    name: &str,
) -> bool {
    g.spec.to.iter().any(|t| {
        t.group.is_empty() && t.kind == "Service" && t.name.as_deref().is_none_or(|n| n == name)
    })
}

/// The route's status beside svcx's reading, per parentRef: a finding when
/// they disagree on whether the route is accepted or its references resolve.
pub(crate) fn status(object: RouteObject, shape: &RouteShape, facts: &mut RouteFacts) {
    let Some(st) = &shape.status else { return };
    let route_ns = facts.namespace.clone();
    let generation = shape.metadata.generation;
    // What svcx says about the references, for the whole route.
    let backend_findings: Vec<&Finding> = facts
        .rules
        .iter()
        .flat_map(|r| r.backends.iter())
        .flat_map(|b| b.findings.iter())
        .collect();
    let svcx_resolved = if backend_findings
        .iter()
        .any(|f| f.severity == Severity::Error)
    {
        Some(false)
    } else if backend_findings.is_empty() {
        Some(true)
    } else {
        None
    };
    for (i, p) in shape.spec.parent_refs.iter().enumerate() {
        let Some((k, sp)) = st
            .parents
            .iter()
            .enumerate()
            .find(|(_, sp)| sp.parent_ref.same_as(p, &route_ns))
        else {
            continue;
        };
        let cond = |t: &str| {
            sp.conditions.iter().find(|c| c.type_ == t).map(|c| ConditionView {
                status: c.status.clone(),
                reason: c.reason.clone(),
                message: Some(c.message.clone()).filter(|m| !m.is_empty()),
                stale: matches!((c.observed_generation, generation), (Some(o), Some(g)) if o < g),
            })
        };
        let parent = &mut facts.parents[i];
        let svcx_accepted = if !parent.listeners.is_empty() {
            Some(true)
        } else if parent
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error)
        {
            Some(false)
        } else {
            None
        };
        let accepted = cond("Accepted");
        let resolved = cond("ResolvedRefs");
        let mut disagreements = Vec::new();
        for (word, said, svcx, yes, no) in [
            (
                "Accepted",
                &accepted,
                svcx_accepted,
                "admitted by a listener",
                "not admitted",
            ),
            (
                "ResolvedRefs",
                &resolved,
                svcx_resolved,
                "every backendRef resolves",
                "a backendRef does not resolve",
            ),
        ] {
            let (Some(c), Some(s)) = (said, svcx) else {
                continue;
            };
            let cluster = match c.status.as_str() {
                "True" => true,
                "False" => false,
                _ => continue,
            };
            if cluster != s {
                disagreements.push(format!(
                    "{word}={} ({}){} where svcx finds it {}",
                    c.status,
                    c.reason,
                    if c.stale {
                        " for an older generation of the route,"
                    } else {
                        ""
                    },
                    if s { yes } else { no }
                ));
            }
        }
        take_status_as_evidence(parent, &accepted, &sp.controller_name);
        if !disagreements.is_empty() {
            parent.findings.push(
                object
                    .finding(
                        Code::RouteStatusDisagrees,
                        &format!("status.parents[{k}].conditions"),
                        format!(
                            "for parent {}, {} reports {}",
                            parent.gateway,
                            sp.controller_name,
                            disagreements.join(", and ")
                        ),
                    )
                    .hint(
                        "svcx reads only the objects it was given (Namespaces, ReferenceGrants, Services), and a \
                         controller may lag behind: compare observedGeneration with the route's generation",
                    ),
            );
        }
        parent.status = Some(ParentStatus {
            controller: sp.controller_name.clone(),
            accepted,
            resolved_refs: resolved,
            agrees: disagreements.is_empty(),
        });
    }
}

/// A parent svcx could not read (its namespace not listed, or the cluster
/// refused it by name) leaves a warning that the route may attach nowhere.
/// When the route's own status says its controller accepted it there
/// (Accepted=True, for the generation read), that is the best evidence
/// left: the route counts as attached, and the finding says on whose word.
/// A parent known to be absent, or a status written for an older
/// generation, proves nothing. (`Accepted` per parentRef:
/// `RouteConditionAccepted` in `apis/v1/shared_types.go`.)
fn take_status_as_evidence(
    parent: &mut RouteParent,
    accepted: &Option<ConditionView>,
    controller: &str,
) {
    let unread = parent.gateway_index.is_none()
        && !parent.findings.is_empty()
        && parent
            .findings
            .iter()
            .all(|f| f.code == Code::RouteParentNotFound && f.severity == Severity::Warning);
    let Some(c) = accepted.as_ref().filter(|c| c.status == "True" && !c.stale) else {
        return;
    };
    if !unread {
        return;
    }
    parent.accepted_per_status = true;
    for f in &mut parent.findings {
        f.severity = Severity::Info;
        let said = format!(
            "; the route's status says {controller} accepted it there (Accepted=True, reason {}), which svcx \
             takes as evidence that it is attached, through listeners and at an address it cannot see",
            c.reason
        );
        f.message = match f.message.strip_suffix(ATTACHES_NOWHERE) {
            Some(head) => format!("{head}{said}"),
            None => format!("{}{said}", f.message),
        };
    }
}
