//! SVC001: an unrendered Helm template in the input (raised by the manifest
//! reader).

use crate::rules::registry::{Check, declare_rule};

declare_rule! {
    /// ## What it does
    /// Flags a manifest that is a Helm (or other Go) template rather than a
    /// Kubernetes object: it has `{{ ... }}` actions where YAML or the object's
    /// schema expects values, so it cannot be read. svcx points at the first
    /// action and reads the other documents.
    ///
    /// ## Why is this bad?
    /// A template says nothing definite until it is rendered: the values,
    /// the conditionals and the names are decided by `helm template`. Linting
    /// the template itself would judge text that is never applied.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Service
    /// spec:
    ///   type: {{ .Values.service.type }}
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// # helm template my-release ./chart | svcx lint -f -
    /// kind: Service
    /// spec:
    ///   type: ClusterIP
    /// ```
    ///
    /// ## How to fix
    /// Render the chart first and lint the result:
    /// `helm template RELEASE CHART | svcx lint -f -` (with the values files
    /// you deploy with), or `kustomize build DIR | svcx lint -f -`. In CI,
    /// exclude the templates directory from a lint of the repository with
    /// `exclude: ["charts/*/templates/**"]` in `.svcx.yaml`.
    ///
    /// ## Known limitations
    /// Only templates that fail to read are flagged: a template whose actions
    /// all sit inside quoted strings reads as an object with odd values.
    /// Objects that carry `{{ }}` on purpose (alerting rules, dashboards) are
    /// left alone when they read.
    ///
    /// ## References
    /// - https://helm.sh/docs/helm/helm_template/
    code: "SVC001",
    name: "unrendered-template",
    severity: Error,
    summary: "a Helm template that was not rendered: run `helm template` first",
    migrate: false,
    check: Check::Input,
    raised_in: crate::source::files::unrendered_template,
}
