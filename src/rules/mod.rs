//! Every rule, one file each, and the one table that lists them. The table
//! generates [`Code`], the enum the whole crate uses to name a finding; each
//! code's number, name, severity, summary and doc come from its rule file
//! ([`registry::declare_rule!`]), so nothing can drift.
//!
//! A code is permanent: never renumber or reuse one. A removed rule keeps its
//! line here (and its file, saying it is removed).

pub(crate) mod registry;

use crate::model::finding::Severity;
use registry::Rule;
use serde::Serialize;
use std::fmt;

macro_rules! registry {
    ($( $variant:ident => $module:ident, )*) => {
        $( pub(crate) mod $module; )*

        /// Every finding svcx can raise, in code order. What each means is its
        /// rule's doc: `Code::rule()`, `svcx rule CODE`, docs/rules/.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $variant, )*
        }

        impl Code {
            /// Every code, in code order.
            pub const ALL: &'static [Code] = &[ $( Code::$variant, )* ];

            /// The rule that declares this code.
            pub fn rule(self) -> &'static Rule {
                match self { $( Code::$variant => &$module::RULE, )* }
            }
        }
    };
}

registry! {
    UnrenderedTemplate => unrendered_template,
    RemovedApiVersion => removed_api_version,
    SelectorMatchesNoPods => selector_matches_no_pods,
    BackendsNotInInput => backends_not_in_input,
    WorkloadScaledToZero => workload_scaled_to_zero,
    NoReadyEndpoints => no_ready_endpoints,
    EndpointsNotReady => endpoints_not_ready,
    OnlyTerminatingEndpoints => only_terminating_endpoints,
    SelectorlessWithoutEndpoints => selectorless_without_endpoints,
    NoNodeWithLocalEndpoint => no_node_with_local_endpoint,
    NodesWithoutLocalEndpoint => nodes_without_local_endpoint,
    InternalLocalNodesWithoutEndpoint => internal_local_nodes_without_endpoint,
    EndpointOnNotReadyNode => endpoint_on_not_ready_node,
    LoadBalancerPending => load_balancer_pending,
    LoadBalancerIpNotHonoured => load_balancer_ip_not_honoured,
    ExternalNameNotDnsName => external_name_not_dns_name,
    PoliciesAdmitNothing => policies_admit_nothing,
    IpBlockCannotMatch => ip_block_cannot_match,
    PolicySelectsNoPods => policy_selects_no_pods,
    TargetPortNameNotFound => target_port_name_not_found,
    TargetPortNotDeclared => target_port_not_declared,
    ProtocolMismatch => protocol_mismatch,
    SlicePortMissing => slice_port_missing,
    UnnamedPortInMultiPortService => unnamed_port_in_multi_port_service,
    NodePortOutsideDefaultRange => node_port_outside_default_range,
    DuplicateNodePort => duplicate_node_port,
    HeadlessPortDiffers => headless_port_differs,
    SlicePortNotInService => slice_port_not_in_service,
    InvalidPortNumber => invalid_port_number,
    PolicyPortIsServicePort => policy_port_is_service_port,
    NodePortService => node_port_service,
    LoadBalancerService => load_balancer_service,
    LoadBalancerOpenToWorld => load_balancer_open_to_world,
    ExternalIpsSet => external_ips_set,
    LoadBalancerWithoutSelector => load_balancer_without_selector,
    FixedNodePort => fixed_node_port,
    LoadBalancerIpDeprecated => load_balancer_ip_deprecated,
    IngressNginxRetired => ingress_nginx_retired,
    UnknownIgnoreCode => unknown_ignore_code,
    RouteParentNotFound => route_parent_not_found,
    RouteListenerNotFound => route_listener_not_found,
    RouteNamespaceNotAllowed => route_namespace_not_allowed,
    RouteKindNotAllowed => route_kind_not_allowed,
    RouteHostnameMismatch => route_hostname_mismatch,
    BackendServiceNotFound => backend_service_not_found,
    BackendPortNotFound => backend_port_not_found,
    BackendRefNotPermitted => backend_ref_not_permitted,
    IngressServiceNotFound => ingress_service_not_found,
    IngressPortNotFound => ingress_port_not_found,
    RouteStatusDisagrees => route_status_disagrees,
    RefKindNotFollowed => ref_kind_not_followed,
    IngressClassNotFound => ingress_class_not_found,
    GatewayAddressPending => gateway_address_pending,
    RouteWithoutParents => route_without_parents,
    ListenerConflict => listener_conflict,
    InvalidListener => invalid_listener,
    ListenerRouteKindsInvalid => listener_route_kinds_invalid,
    CertificateRefNotPermitted => certificate_ref_not_permitted,
    ListenerProtocolConflict => listener_protocol_conflict,
    ProxiesNotAdmitted => proxies_not_admitted,
    InvalidIngressPath => invalid_ingress_path,
}

impl Code {
    /// `SVC101`.
    pub fn code(self) -> &'static str {
        self.rule().code
    }

    /// `selector-matches-no-pods`: names the problem.
    pub(crate) fn name(self) -> &'static str {
        self.rule().name
    }

    /// The severity a finding of this code has unless the model knows better.
    pub(crate) fn default_severity(self) -> Severity {
        self.rule().severity
    }

    /// The code a user typed: `SVC101` (any case) or `selector-matches-no-pods`.
    pub(crate) fn parse(text: &str) -> Option<Code> {
        let t = text.trim();
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.code().eq_ignore_ascii_case(t) || c.name() == t)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::registry::{Check, DOC_SECTIONS};
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let codes: HashSet<_> = Code::ALL.iter().map(|c| c.code()).collect();
        let names: HashSet<_> = Code::ALL.iter().map(|c| c.name()).collect();
        assert_eq!(codes.len(), Code::ALL.len(), "codes are unique");
        assert_eq!(names.len(), Code::ALL.len(), "names are unique");
        for c in Code::ALL {
            let digits = c.code().strip_prefix("SVC").expect("SVC prefix");
            assert!(
                digits.len() == 3 && digits.chars().all(|d| d.is_ascii_digit()),
                "{c}"
            );
            let name = c.name();
            assert!(
                !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--")
                    && name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-'),
                "{name} is kebab-case"
            );
            assert_eq!(Code::parse(c.code()), Some(*c));
            assert_eq!(Code::parse(name), Some(*c));
        }
    }

    #[test]
    fn the_table_is_in_code_order() {
        let codes: Vec<&str> = Code::ALL.iter().map(|c| c.code()).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
    }

    /// Codes are permanent: the ones findings carried before the registry
    /// keep their numbers and names.
    #[test]
    fn codes_keep_their_numbers() {
        let kept = [
            ("SVC101", "selector-matches-no-pods"),
            ("SVC102", "backends-not-in-input"),
            ("SVC103", "workload-scaled-to-zero"),
            ("SVC104", "no-ready-endpoints"),
            ("SVC105", "endpoints-not-ready"),
            ("SVC106", "only-terminating-endpoints"),
            ("SVC107", "selectorless-without-endpoints"),
            ("SVC108", "no-node-with-local-endpoint"),
            ("SVC109", "nodes-without-local-endpoint"),
            ("SVC110", "internal-local-nodes-without-endpoint"),
            ("SVC111", "endpoint-on-not-ready-node"),
            ("SVC112", "load-balancer-pending"),
            ("SVC113", "load-balancer-ip-not-honoured"),
            ("SVC114", "external-name-not-dns-name"),
            ("SVC201", "target-port-name-not-found"),
            ("SVC202", "target-port-not-declared"),
            ("SVC203", "protocol-mismatch"),
            ("SVC204", "slice-port-missing"),
            ("SVC206", "node-port-outside-default-range"),
            ("SVC208", "headless-port-differs"),
            ("SVC304", "external-ips-set"),
            ("SVC307", "load-balancer-ip-deprecated"),
        ];
        for (code, name) in kept {
            assert_eq!(Code::parse(code).map(Code::name), Some(name), "{code}");
        }
    }

    #[test]
    fn every_doc_has_its_sections_in_order() {
        for c in Code::ALL {
            let rule = c.rule();
            let doc = rule.doc();
            let mut at = 0;
            for heading in DOC_SECTIONS {
                let found = doc[at..]
                    .find(&format!("{heading}\n"))
                    .unwrap_or_else(|| panic!("{c}: `{heading}` missing or out of order"));
                at += found + heading.len();
                let body = rule.section(heading).unwrap_or_default();
                assert!(!body.is_empty(), "{c}: `{heading}` is empty");
            }
            let example = rule.section("## Example").unwrap_or_default();
            assert!(
                example.contains("```yaml") && example.contains("\nUse instead:\n"),
                "{c}: the example has YAML and a \"Use instead:\""
            );
            let mut in_code = false;
            for line in doc.lines() {
                if line.starts_with("```") {
                    in_code = !in_code;
                } else if !in_code && line.starts_with('#') {
                    assert!(
                        DOC_SECTIONS.contains(&line),
                        "{c}: unexpected heading `{line}`"
                    );
                }
            }
            assert!(!in_code, "{c}: a code block is not closed");
        }
    }

    /// The source of the function a `raised_in` path names: the text from
    /// its `fn` line to the brace that closes it, found in the files of the
    /// module the path names (the compiler has checked that it exists; this
    /// reads what it does).
    fn function_source(path: &str) -> Option<String> {
        let segments: Vec<&str> = path.strip_prefix("crate::")?.split("::").collect();
        let (name, parents) = segments.split_last()?;
        // A method's path goes through its type, whose impl may sit in any
        // file of the module.
        let module: Vec<&str> = parents
            .iter()
            .copied()
            .take_while(|s| s.starts_with(|c: char| c.is_ascii_lowercase()))
            .collect();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let base = root.join(module.join("/"));
        let mut files = vec![base.with_extension("rs"), base.join("mod.rs")];
        // A method's type may be implemented in any file below its module.
        if module.len() < parents.len() {
            files.extend(
                walkdir::WalkDir::new(&base)
                    .into_iter()
                    .flatten()
                    .map(|e| e.into_path())
                    .filter(|p| p.extension().is_some_and(|x| x == "rs")),
            );
        }
        files.into_iter().find_map(|file| {
            let text = std::fs::read_to_string(file).ok()?;
            let at = text.find(&format!("fn {name}("))?;
            let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let indent = text[start..].len() - text[start..].trim_start().len();
            let close = format!("\n{}}}\n", " ".repeat(indent));
            let end = text[at..].find(&close)? + at + close.len();
            Some(text[start..end].to_string())
        })
    }

    /// Every rule the model or the manifest reader raises names where, and
    /// one of the functions it names builds a finding of its code (so a
    /// path to a wrong but existing function fails here).
    #[test]
    fn rules_name_the_functions_that_raise_them() {
        for c in Code::ALL {
            let rule = c.rule();
            if matches!(rule.check, Check::Model | Check::Input) {
                assert!(!rule.raised_in.is_empty(), "{c}: raised_in is empty");
            }
            let variant = format!("Code::{c:?}");
            let mut raises = false;
            for path in rule.raised_in {
                let source = function_source(path)
                    .unwrap_or_else(|| panic!("{c}: no source found for {path}"));
                raises |= source.contains(&variant);
            }
            assert!(
                rule.raised_in.is_empty() || raises,
                "{c}: none of {:?} mentions {variant}",
                rule.raised_in
            );
        }
        let readiness = Code::EndpointsNotReady.rule().raised_in();
        assert_eq!(readiness, ["model::view_findings::endpoints::readiness"]);
    }

    #[test]
    fn summaries_are_one_lowercase_line() {
        for c in Code::ALL {
            let s = c.rule().summary;
            assert!(!s.contains('\n') && s.len() <= 100, "{c}: {s}");
            assert!(!s.ends_with('.'), "{c}: no trailing period");
            assert!(
                s.starts_with(|ch: char| ch.is_ascii_lowercase()),
                "{c}: starts lowercase"
            );
        }
    }
}
