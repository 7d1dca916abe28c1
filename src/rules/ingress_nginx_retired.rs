//! SVC308: an Ingress served by ingress-nginx, which was retired (raised by
//! lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
use crate::model::routes::ClassSource;
use crate::model::routing::Implementation;
use kube::ResourceExt;

declare_rule! {
    /// ## What it does
    /// Notes an Ingress served by the ingress-nginx controller: its class is
    /// `nginx` (`spec.ingressClassName` or the `kubernetes.io/ingress.class`
    /// annotation), it names an IngressClass whose controller is
    /// `k8s.io/ingress-nginx`, or it has no class and carries the controller's
    /// `nginx.ingress.kubernetes.io/` annotations.
    ///
    /// ## Why is this bad?
    /// ingress-nginx was retired: best-effort maintenance ended in March 2026,
    /// its final releases came out on 2026-03-19, and it gets no fixes of any
    /// kind since, security fixes included. About half of cloud-native
    /// environments used it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Ingress
    /// spec:
    ///   ingressClassName: nginx
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// kind: HTTPRoute
    /// spec:
    ///   parentRefs:
    ///   - name: shared-gateway
    ///   hostnames: ["shop.example.com"]
    /// ```
    ///
    /// ## How to fix
    /// Move the Ingresses to Gateway API: `svcx migrate-to-gateway` writes the
    /// Gateway and the HTTPRoutes, and says which ingress-nginx annotations it
    /// could not carry over.
    ///
    /// ## Known limitations
    /// The F5 NGINX Ingress Controller also uses the class name `nginx` by
    /// default. When the IngressClass is in the input its controller decides;
    /// otherwise an Ingress with F5's own annotations (`nginx.org/`,
    /// `nginx.com/`, `appprotect.f5.com/`, `appprotectdos.f5.com/`) is taken
    /// to be F5's and not flagged.
    ///
    /// ## References
    /// - https://kubernetes.io/blog/2025/11/11/ingress-nginx-retirement/
    /// - https://gateway-api.sigs.k8s.io/guides/migrating-from-ingress/
    code: "SVC308",
    name: "ingress-nginx-retired",
    severity: Info,
    summary: "an Ingress served by ingress-nginx, retired in March 2026 with no more security fixes",
    migrate: true,
    check: Check::Run(check),
}

/// The annotation that predates `spec.ingressClassName`.
const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

/// Which Ingresses ingress-nginx serves, as the routing model reads each
/// (its IngressClass's controller, else its class or annotations).
fn check(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for (i, facts) in cx.sem.routes.ingresses.iter().enumerate() {
        let Some(ing) = cx.snap.ingresses.get(facts.index) else {
            continue;
        };
        // Who serves it is the routing model's to say, once.
        let served = cx.sem.ingress_routing().implementation_of(i) == Some(Implementation::IngressNginx);
        if !served {
            continue;
        }
        let nginx_annotation = ing
            .object
            .annotations()
            .keys()
            .find(|k| k.starts_with(crate::model::routing::NGINX_PREFIX));
        let field = match facts.class_source {
            ClassSource::Field => "spec.ingressClassName".to_string(),
            ClassSource::Annotation => format!("metadata.annotations.{CLASS_ANNOTATION}"),
            ClassSource::Default | ClassSource::None => match nginx_annotation {
                Some(k) => format!("metadata.annotations.{k}"),
                None => "spec".to_string(),
            },
        };
        let by = match (&facts.class, facts.class_source) {
            (Some(c), ClassSource::Default) => format!("the default IngressClass `{c}`"),
            (Some(c), _) => format!("class `{c}`"),
            (None, _) => "its nginx.ingress.kubernetes.io annotations".to_string(),
        };
        out.push(
            Finding::new(
                Code::IngressNginxRetired,
                ing,
                &field,
                format!("served by ingress-nginx ({by}), which was retired in March 2026 and gets no security fixes"),
            )
            .hint("move it to Gateway API: `svcx migrate-to-gateway` writes the Gateway and HTTPRoutes"),
        );
    }
}
