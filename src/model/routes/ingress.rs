//! Ingresses as `networking.k8s.io/v1` defines them: the class that serves
//! one (`spec.ingressClassName`, else the deprecated
//! `kubernetes.io/ingress.class` annotation, else the IngressClass marked
//! `ingressclass.kubernetes.io/is-default-class`), its controller, its
//! address (`status.loadBalancer.ingress`), and each path (rules with host
//! and paths, `Exact`, `Prefix` or `ImplementationSpecific`, and
//! `defaultBackend`) to a Service port by number or name. TLS hosts say
//! which paths are also served on 443.
//!
//! The controller's own Service, when the input holds it, is the one whose
//! load balancer has the Ingress's address, else a LoadBalancer or NodePort
//! Service labelled like the IngressClass (`app.kubernetes.io/name` and
//! `instance`), as Helm charts such as ingress-nginx's label both.

use super::super::finding::{Code, Finding, Severity};
use super::super::ports::service_ports;
use super::super::{Located, Snapshot};
use super::resolve::Resolver;
use super::{IngressFacts, IngressPathFacts};
use k8s_openapi::api::networking::v1::{Ingress, IngressBackend};
use kube::ResourceExt;
use serde::Serialize;

/// The annotation older Ingresses name their class with.
pub(crate) const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
/// The annotation that makes an IngressClass the default.
pub(crate) const DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";

/// Where an Ingress's class comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClassSource {
    /// `spec.ingressClassName`.
    Field,
    /// The deprecated `kubernetes.io/ingress.class` annotation.
    Annotation,
    /// No class named: the IngressClass marked as the default.
    Default,
    /// No class named and no default IngressClass.
    None,
}

pub(crate) fn read(cx: &Resolver, i: usize, located: &Located<Ingress>) -> IngressFacts {
    let snap = cx.snap;
    let ing = &located.object;
    let namespace = ing.namespace().unwrap_or_default();
    let name = ing.name_any();
    let spec = ing.spec.clone().unwrap_or_default();
    let named = spec
        .ingress_class_name
        .clone()
        .map(|c| (c, ClassSource::Field))
        .or_else(|| {
            ing.annotations()
                .get(CLASS_ANNOTATION)
                .map(|c| (c.clone(), ClassSource::Annotation))
        });
    let default_class = snap.ingress_classes.iter().find(|c| {
        c.object
            .annotations()
            .get(DEFAULT_CLASS_ANNOTATION)
            .is_some_and(|v| v == "true")
    });
    let (class, class_source) = match named {
        Some((c, s)) => (Some(c), s),
        None => match default_class {
            Some(c) => (Some(c.object.name_any()), ClassSource::Default),
            None => (None, ClassSource::None),
        },
    };
    let class_object = class.as_ref().and_then(|c| {
        snap.ingress_classes
            .iter()
            .find(|o| o.object.name_any() == *c)
    });
    let controller = class_object.and_then(|c| c.object.spec.as_ref()?.controller.clone());
    let mut findings = Vec::new();
    if snap.ingress_classes_known {
        match (&class, class_source, class_object) {
            (Some(c), ClassSource::Field, None) => findings.push(
                Finding::new(
                    Code::IngressClassNotFound,
                    located,
                    "spec.ingressClassName",
                    format!("Ingress {namespace}/{name} names IngressClass `{c}`, and there is no such class: no controller serves it"),
                )
                .hint(class_hint(snap)),
            ),
            (None, _, _) => findings.push(
                Finding::new(
                    Code::IngressClassNotFound,
                    located,
                    "spec",
                    format!("Ingress {namespace}/{name} names no class and no IngressClass is the default: no controller may serve it"),
                )
                .hint(class_hint(snap)),
            ),
            _ => {}
        }
    }
    let addresses: Vec<String> = ing
        .status
        .as_ref()
        .and_then(|s| s.load_balancer.as_ref())
        .and_then(|lb| lb.ingress.as_ref())
        .into_iter()
        .flatten()
        .filter_map(|a| a.ip.clone().or_else(|| a.hostname.clone()))
        .filter(|a| !a.is_empty())
        .collect();
    let controller_service = controller_service(cx, &addresses, class_object);
    let tls_hosts: Vec<(bool, Vec<String>)> = spec
        .tls
        .iter()
        .flatten()
        .map(|t| {
            let hosts = t.hosts.clone().unwrap_or_default();
            (hosts.is_empty(), hosts)
        })
        .collect();
    let tls_for = |host: Option<&str>| {
        tls_hosts.iter().any(|(all, hosts)| {
            *all || host.is_some_and(|h| hosts.iter().any(|t| t.eq_ignore_ascii_case(h)))
        })
    };
    let alb = crate::model::ingress_lb::is_alb(controller.as_deref(), class.as_deref());
    let mut paths = Vec::new();
    for (r, rule) in spec.rules.iter().flatten().enumerate() {
        let host = rule.host.clone().filter(|h| !h.is_empty());
        for (p, path) in rule.http.iter().flat_map(|h| h.paths.iter()).enumerate() {
            let field = format!("spec.rules[{r}].http.paths[{p}]");
            let value = path
                .path
                .clone()
                .filter(|v| !v.is_empty())
                .unwrap_or("/".into());
            let matched = if path.path_type.is_empty() {
                // pathType is required in networking.k8s.io/v1.
                format!("(no pathType) {value}")
            } else {
                format!("{} {value}", path.path_type)
            };
            let refused = path_refused(path.path.as_deref().unwrap_or_default(), &path.path_type);
            paths.push(backend_path(
                cx,
                located,
                &namespace,
                field.clone(),
                Some(r),
                host.clone(),
                vec![matched],
                tls_for(host.as_deref()),
                &path.backend,
                (value, path.path_type.clone()),
                alb,
            ));
            if let (Some((child, why)), Some(facts)) = (refused, paths.last_mut()) {
                facts.findings.push(
                    Finding::new(
                        Code::InvalidIngressPath,
                        located,
                        &format!("{field}.{child}"),
                        format!("Ingress {namespace}/{name} {field}: {why}: the API server refuses the Ingress"),
                    )
                    .hint("give the path an absolute value (`/` for everything) and a pathType (Prefix, Exact or ImplementationSpecific)"),
                );
            }
        }
    }
    if let Some(b) = &spec.default_backend {
        paths.push(backend_path(
            cx,
            located,
            &namespace,
            "spec.defaultBackend".to_string(),
            None,
            None,
            vec!["anything no rule matches".to_string()],
            tls_for(None),
            b,
            ("/".to_string(), "Prefix".to_string()),
            alb,
        ));
    }
    IngressFacts {
        index: i,
        namespace,
        name,
        origin: located.origin.clone(),
        class,
        class_source,
        controller,
        addresses,
        controller_service: controller_service.map(|k| {
            let s = &snap.services[k].object;
            format!("{}/{}", s.namespace().unwrap_or_default(), s.name_any())
        }),
        controller_service_index: controller_service,
        paths,
        findings,
    }
}

fn class_hint(snap: &Snapshot) -> String {
    let classes: Vec<String> = snap
        .ingress_classes
        .iter()
        .map(|c| c.object.name_any())
        .collect();
    if classes.is_empty() {
        "no IngressClass exists: install an Ingress controller (or better, a Gateway API implementation and an \
         HTTPRoute)"
            .to_string()
    } else {
        format!(
            "set spec.ingressClassName to one of: {}",
            classes.join(", ")
        )
    }
}

/// The Service of the Ingress controller, when the input holds it: the one
/// whose load balancer has the Ingress's address, else one labelled like the
/// IngressClass.
fn controller_service(
    cx: &Resolver,
    addresses: &[String],
    class: Option<&Located<k8s_openapi::api::networking::v1::IngressClass>>,
) -> Option<usize> {
    use super::super::addresses::AddressRole;
    let by_address = addresses.iter().find_map(|a| {
        cx.addresses
            .owners(a)
            .iter()
            .find(|o| {
                matches!(
                    o.role,
                    AddressRole::LoadBalancerIp | AddressRole::LoadBalancerHostname
                )
            })
            .map(|o| o.service)
    });
    if by_address.is_some() {
        return by_address;
    }
    let class = class?;
    cx.class_services
        .borrow_mut()
        .entry(class.object.name_any())
        .or_insert_with(|| labelled_like(cx.snap, class))
        .to_owned()
}

/// A LoadBalancer or NodePort Service labelled like the IngressClass
/// (`app.kubernetes.io/name`, and `instance` and `component` where the class
/// has them). Looked for once per class.
fn labelled_like(
    snap: &Snapshot,
    class: &Located<k8s_openapi::api::networking::v1::IngressClass>,
) -> Option<usize> {
    let labels = class.object.labels();
    let name = labels.get("app.kubernetes.io/name")?;
    snap.services.iter().position(|s| {
        let l = s.object.labels();
        let exposed = matches!(
            s.object.spec.as_ref().and_then(|sp| sp.type_.as_deref()),
            Some("LoadBalancer" | "NodePort")
        );
        exposed
            && l.get("app.kubernetes.io/name") == Some(name)
            && ["app.kubernetes.io/instance", "app.kubernetes.io/component"]
                .iter()
                .all(|k| labels.get(*k).is_none_or(|v| l.get(*k) == Some(v)))
    })
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn backend_path(
    cx: &Resolver,
    located: &Located<Ingress>,
    namespace: &str,
    field: String,
    rule: Option<usize>,
    host: Option<String>,
    matches: Vec<String>,
    tls: bool,
    backend: &IngressBackend,
    path: (String, String),
    alb: bool,
) -> IngressPathFacts {
    let mut out = IngressPathFacts {
        field: field.clone(),
        rule,
        host,
        matches,
        path: path.0,
        path_type: path.1,
        tls,
        service: None,
        port: None,
        target: None,
        port_index: None,
        findings: Vec::new(),
    };
    let ing = format!("Ingress {namespace}/{}", located.object.name_any());
    let Some(svc_ref) = &backend.service else {
        match &backend.resource {
            Some(r) => out.findings.push(
                Finding::new(
                    Code::RefKindNotFollowed,
                    located,
                    &format!("{field}.backend.resource"),
                    format!(
                        "{ing} sends to {} {}: svcx follows Service backends only",
                        r.kind, r.name
                    ),
                )
                .hint("its controller must support this resource backend"),
            ),
            None => out.findings.push(
                Finding::new(
                    Code::IngressServiceNotFound,
                    located,
                    &format!("{field}.backend"),
                    format!("{ing} has a backend that names neither a Service nor a resource"),
                )
                .hint(
                    "networking.k8s.io/v1 writes backend.service.name and backend.service.port.number (or .name); \
                     serviceName and servicePort are the fields of the removed extensions/v1beta1 API",
                ),
            ),
        }
        return out;
    };
    out.service = Some(svc_ref.name.clone());
    out.port = svc_ref
        .port
        .as_ref()
        .and_then(|p| p.number.map(|n| n.to_string()).or_else(|| p.name.clone()));
    // The ALB's action is its annotation `actions.NAME`: no Service to find.
    if alb && out.port.as_deref() == Some(crate::model::ingress_lb::ALB_USE_ANNOTATION) {
        return out;
    }
    let Some(position) = cx.snap.service_position(namespace, &svc_ref.name) else {
        let sev = if cx.listed(namespace) {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.findings.push(
            Finding::new(
                Code::IngressServiceNotFound,
                located,
                &format!("{field}.backend.service.name"),
                if sev == Severity::Error {
                    format!("{ing} sends to Service {namespace}/{}, and there is no such Service", svc_ref.name)
                } else {
                    format!("{ing} sends to Service {namespace}/{}, {}", svc_ref.name, cx.unread(namespace))
                },
            )
            .severity(sev)
            .hint("an Ingress backend must be a Service in the Ingress's own namespace; create it or fix the name"),
        );
        return out;
    };
    let svc = &cx.snap.services[position];
    out.target = Some(position);
    let ports = service_ports(&svc.object);
    let wanted = svc_ref.port.as_ref();
    let found = wanted.and_then(|w| {
        ports.iter().position(|p| match (&w.number, &w.name) {
            (Some(n), _) => p.port == *n,
            (None, Some(name)) => p.name.as_deref() == Some(name.as_str()),
            (None, None) => false,
        })
    });
    match found {
        Some(k) => out.port_index = Some(k),
        None => {
            let have: Vec<String> = ports
                .iter()
                .map(|p| match &p.name {
                    Some(n) if !n.is_empty() => format!("{} ({n})", p.port),
                    _ => p.port.to_string(),
                })
                .collect();
            out.findings.push(
                Finding::new(
                    Code::IngressPortNotFound,
                    located,
                    &format!("{field}.backend.service.port"),
                    match &out.port {
                        Some(p) => format!(
                            "{ing} sends to port {p} of Service {namespace}/{}, and it has no such port",
                            svc_ref.name
                        ),
                        None => format!(
                            "{ing} sends to Service {namespace}/{} without a port",
                            svc_ref.name
                        ),
                    },
                )
                .hint(format!(
                    "name a Service port (not a targetPort) by number or name: {}",
                    if have.is_empty() {
                        "the Service declares none".to_string()
                    } else {
                        have.join(", ")
                    }
                )),
            );
        }
    }
    out
}

/// Sequences and endings an `Exact` or `Prefix` path must not have.
const INVALID_PATH_SEQUENCES: &[&str] = &["//", "/./", "/../", "%2f", "%2F"];
const INVALID_PATH_SUFFIXES: &[&str] = &["/..", "/."];

/// Why the API server refuses an Ingress path, and the field it names
/// (`validateHTTPIngressPath`, kubernetes/kubernetes
/// pkg/apis/networking/validation/validation.go): `None` when it accepts it.
fn path_refused(path: &str, path_type: &str) -> Option<(&'static str, String)> {
    match path_type {
        "" => Some(("pathType", "pathType must be specified".into())),
        "Exact" | "Prefix" => {
            if !path.starts_with('/') {
                return Some((
                    "path",
                    format!("path `{path}` with pathType {path_type} must be an absolute path"),
                ));
            }
            INVALID_PATH_SEQUENCES
                .iter()
                .find(|q| path.contains(*q))
                .map(|q| ("path", format!("path `{path}` must not contain `{q}`")))
                .or_else(|| {
                    INVALID_PATH_SUFFIXES
                        .iter()
                        .find(|q| path.ends_with(*q))
                        .map(|q| ("path", format!("path `{path}` cannot end with `{q}`")))
                })
        }
        "ImplementationSpecific" if !path.is_empty() && !path.starts_with('/') => {
            Some(("path", format!("path `{path}` must be an absolute path")))
        }
        "ImplementationSpecific" => None,
        other => Some((
            "pathType",
            format!("pathType `{other}` is not Exact, Prefix or ImplementationSpecific"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::path_refused;

    /// `validateHTTPIngressPath` (kubernetes/kubernetes
    /// pkg/apis/networking/validation/validation.go, release-1.27 and
    /// since): what each path type refuses.
    #[test]
    fn paths_are_refused_as_the_api_server_refuses_them() {
        let field = |p: &str, t: &str| path_refused(p, t).map(|(f, _)| f);
        assert_eq!(field("/", "Prefix"), None);
        assert_eq!(field("/a/b", "Exact"), None);
        assert_eq!(field("", "ImplementationSpecific"), None);
        assert_eq!(field("/*", "ImplementationSpecific"), None);
        // Contour's documented minimal Ingress: Prefix with no path.
        assert_eq!(field("", "Prefix"), Some("path"));
        assert_eq!(field("static", "Prefix"), Some("path"));
        assert_eq!(field("*", "ImplementationSpecific"), Some("path"));
        for bad in [
            "/a//b", "/a/./b", "/a/../b", "/a%2fb", "/a%2Fb", "/a/..", "/a/.",
        ] {
            assert_eq!(field(bad, "Exact"), Some("path"), "{bad}");
        }
        // Only Exact and Prefix paths are checked for sequences.
        assert_eq!(field("/a//b", "ImplementationSpecific"), None);
        assert_eq!(field("/", ""), Some("pathType"));
        assert_eq!(field("/", "Regex"), Some("pathType"));
    }
}
