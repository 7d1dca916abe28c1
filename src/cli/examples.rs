//! The Examples section that ends each `--help`, as kubectl's does: a comment
//! saying what the command is for, then the command. Every command line here
//! is parsed by a test (`every_example_parses`), so none can drift from the
//! flags. Lines are written for `svcx`; [`for_invocation`] rewrites them for
//! `kubectl svcx`.

use super::Invocation;

/// `svcx --help`.
pub(crate) const SVCX: &str = "\
Examples:
  # Every Service of the built-in demo cluster, layer by layer
  svcx explain --demo

  # Why a Service of the current context cannot be reached from outside
  svcx trace shop/storefront

  # Lint rendered manifests in CI (exit 1 on errors)
  helm template . | svcx lint -f -

  # Move NodePort and LoadBalancer Services behind a Gateway (writes YAML)
  svcx migrate-to-gateway -n shop --output-dir gateway/
";

/// `svcx explain --help`.
pub(crate) const EXPLAIN: &str = "\
Examples:
  # The guide to ClusterIP, NodePort and LoadBalancer, side by side
  svcx explain --concepts

  # One Service of the demo cluster, outside in
  svcx explain --demo shop/storefront

  # Every Service in a directory of manifests, read recursively
  svcx explain -f k8s/

  # A Gateway: its listeners and which routes each admits
  svcx explain --demo --gateway infra/public

  # Live, every namespace, as JSON for jq
  svcx explain -A -o json
";

/// `svcx trace --help`.
pub(crate) const TRACE: &str = "\
Examples:
  # Every Service of the demo cluster, worst verdict first
  svcx trace --demo

  # By the address a client uses
  svcx trace --demo 203.0.113.10:80

  # The route rule that serves a host and path
  svcx trace --demo shop.example.com/api/catalog

  # From a pod of namespace shop: its own egress policies, and the
  # destination's network policies
  svcx trace --demo orders/orders-api --from shop

  # Live, and also try TCP connects to the load balancer and node ports
  svcx trace shop/storefront --probe

  # A flowchart to paste into a pull request
  svcx trace --demo shop/storefront -o mermaid
";

/// `svcx lint --help`.
pub(crate) const LINT: &str = "\
Examples:
  # A chart, rendered first
  helm template . | svcx lint -f -

  # A kustomization, rendered first
  kubectl kustomize overlays/prod | svcx lint -f -

  # SARIF for GitHub code scanning
  svcx lint -f manifests/ -o sarif

  # A live cluster, failing on warnings too
  svcx lint -A --fail-on warning

  # Only the reachability rules, without one of them
  svcx lint -f k8s/ --select SVC1 --ignore SVC105
";

/// `svcx rule --help`.
pub(crate) const RULE: &str = "\
Examples:
  # What a rule checks, why, and how to fix it
  svcx rule SVC303

  # The same rule by name
  svcx rule selector-matches-no-pods

  # Every rule, as JSON
  svcx rule --all -o json
";

/// `svcx migrate-to-gateway --help`.
pub(crate) const MIGRATE: &str = "\
Examples:
  # Every NodePort and LoadBalancer Service of the demo cluster
  svcx migrate-to-gateway --demo

  # One Service, with hostnames under a domain
  svcx migrate-to-gateway --demo --domain example.com shop/checkout

  # Manifests, for a given GatewayClass and Gateway API release
  svcx migrate-to-gateway -f k8s/ --gateway-class envoy --gateway-api-version v1.4

  # Attach the routes to a Gateway that exists, one file per object
  svcx migrate-to-gateway --existing-gateway infra/public --output-dir migration/
";

/// `svcx completions --help`.
pub(crate) const COMPLETIONS: &str = "\
Examples:
  # Bash, for this shell
  source <(svcx completions bash)

  # Zsh, installed where compinit looks
  svcx completions zsh > ~/.zfunc/_svcx

  # Fish
  svcx completions fish > ~/.config/fish/completions/svcx.fish
";

/// `svcx man --help`.
pub(crate) const MAN: &str = "\
Examples:
  # The main page, read at once
  svcx man | man -l -

  # A page per subcommand, for packaging
  svcx man --dir /usr/local/share/man/man1
";

/// The examples as the user invoked svcx: `kubectl svcx ...` for the
/// kubectl plugin. Only command lines change; comments are left alone.
pub(crate) fn for_invocation(text: &str, invocation: Invocation) -> String {
    match invocation {
        Invocation::Svcx => text.to_string(),
        Invocation::KubectlPlugin => text
            .lines()
            .map(|line| {
                if line.trim_start().starts_with('#') {
                    line.to_string()
                } else {
                    line.replace("svcx ", "kubectl svcx ")
                }
            })
            .map(|line| line + "\n")
            .collect(),
    }
}

/// The svcx command lines of an Examples section, as argument lists
/// (`svcx` first): what follows `svcx` on each line, up to a pipe or
/// redirection. Words are split on whitespace; examples use no quotes.
#[cfg(test)]
pub(crate) fn command_lines(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let start = l
                .find("svcx ")
                .filter(|&i| i == 0 || !l[..i].ends_with('-'))?;
            let words = l[start..]
                .split_whitespace()
                .take_while(|w| !matches!(*w, "|" | ">" | ")"))
                .map(|w| w.trim_end_matches(')').to_string())
                .collect();
            Some(words)
        })
        .collect()
}

/// Every Examples section, with the subcommand it ends (`None`: the top level).
#[cfg(test)]
pub(crate) const ALL: &[(Option<&str>, &str)] = &[
    (None, SVCX),
    (Some("explain"), EXPLAIN),
    (Some("trace"), TRACE),
    (Some("lint"), LINT),
    (Some("rule"), RULE),
    (Some("migrate-to-gateway"), MIGRATE),
    (Some("completions"), COMPLETIONS),
    (Some("man"), MAN),
];
