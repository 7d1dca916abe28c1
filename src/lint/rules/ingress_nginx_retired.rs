//! SVC308: an Ingress served by ingress-nginx, which was retired (raised by
//! lint).

use crate::lint::Context;
use crate::lint::registry::{Check, declare_rule};
use crate::model::finding::{Code, Finding};
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
    /// otherwise an Ingress with `nginx.org/` annotations is taken to be F5's
    /// and not flagged.
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

/// The ingress-nginx controller's name in IngressClass `spec.controller`.
const CONTROLLER: &str = "k8s.io/ingress-nginx";
/// The annotation that predates `spec.ingressClassName`.
const CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
/// The default IngressClass marker.
const DEFAULT_CLASS: &str = "ingressclass.kubernetes.io/is-default-class";

fn check(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    let classes = &cx.snap.ingress_classes;
    let controller_of = |name: &str| {
        classes
            .iter()
            .find(|c| c.object.name_any() == name)
            .map(|c| c.object.spec.as_ref().and_then(|s| s.controller.clone()).unwrap_or_default())
    };
    let default_is_nginx = classes.iter().any(|c| {
        c.object.annotations().get(DEFAULT_CLASS).is_some_and(|v| v == "true")
            && c.object.spec.as_ref().and_then(|s| s.controller.as_deref()) == Some(CONTROLLER)
    });
    for ing in &cx.snap.ingresses {
        let annotations = ing.object.annotations();
        let f5 = annotations.keys().any(|k| k.starts_with("nginx.org/"));
        let nginx_annotation = annotations
            .keys()
            .find(|k| k.starts_with("nginx.ingress.kubernetes.io/"));
        let (field, class) = match (
            ing.object.spec.as_ref().and_then(|s| s.ingress_class_name.as_deref()),
            annotations.get(CLASS_ANNOTATION),
        ) {
            (Some(c), _) => ("spec.ingressClassName".to_string(), Some(c.to_string())),
            (None, Some(c)) => (format!("metadata.annotations.{CLASS_ANNOTATION}"), Some(c.clone())),
            (None, None) => match nginx_annotation {
                Some(k) => (format!("metadata.annotations.{k}"), None),
                None => ("spec".to_string(), None),
            },
        };
        let served = match &class {
            Some(c) => match controller_of(c) {
                Some(controller) => controller == CONTROLLER,
                None => c == "nginx" && !f5,
            },
            None => (nginx_annotation.is_some() && !f5) || default_is_nginx,
        };
        if !served {
            continue;
        }
        let by = match &class {
            Some(c) => format!("class `{c}`"),
            None if nginx_annotation.is_some() => "its nginx.ingress.kubernetes.io annotations".to_string(),
            None => "the default IngressClass".to_string(),
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
