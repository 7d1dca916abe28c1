//! SVC401: `svcx/ignore` names something that is no rule (raised by lint).

use crate::lint::Context;
use crate::rules::registry::{Check, declare_rule};
use crate::lint::suppress;
use crate::model::finding::{Code, Finding};

declare_rule! {
    /// ## What it does
    /// Flags words in an object's `svcx/ignore` annotation that name no rule:
    /// neither a code (`SVC101`), a name (`selector-matches-no-pods`) nor a
    /// family (`SVC3`).
    ///
    /// ## Why is this bad?
    /// A misspelt code silences nothing, so the finding the author meant to
    /// silence still shows, or worse, the author believes a rule is silenced
    /// while another one is.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     svcx/ignore: "SVC3O1"     # a letter O
    /// ```
    ///
    /// Use instead:
    /// ```yaml
    /// metadata:
    ///   annotations:
    ///     svcx/ignore: "SVC301,load-balancer-open-to-world"
    /// ```
    ///
    /// ## How to fix
    /// Use codes, names or families that `svcx rule --all` lists, separated
    /// by commas.
    ///
    /// ## Known limitations
    /// None known.
    ///
    /// ## References
    /// - https://github.com/zegl/kube-score/blob/master/README_CHECKS.md
    code: "SVC401",
    name: "unknown-ignore-code",
    severity: Warning,
    summary: "the svcx/ignore annotation names a code that is no rule",
    migrate: false,
    check: Check::Run(check),
}

fn check(cx: &Context<'_, '_>, out: &mut Vec<Finding>) {
    for a in suppress::annotated(cx.snap) {
        let (_, unknown) = suppress::parse(&a.value);
        if unknown.is_empty() {
            continue;
        }
        let words: Vec<String> = unknown.iter().map(|w| format!("`{w}`")).collect();
        out.push(
            Finding::about(
                Code::UnknownIgnoreCode,
                a.object,
                a.origin,
                suppress::FIELD,
                a.span,
                format!(
                    "{} {} no rule: nothing is silenced by {}",
                    words.join(", "),
                    if words.len() == 1 { "names" } else { "name" },
                    if words.len() == 1 { "it" } else { "them" }
                ),
            )
            .hint("use codes, names or families listed by `svcx rule --all`, separated by commas"),
        );
    }
}
