//! Hostnames as the Gateway API and Ingress define them.
//!
//! Gateway API (HTTPRoute `spec.hostnames`, Listener `hostname`; the
//! crate's copy of the spec in `gateway-api` 0.22 `httproutes.rs` and
//! `gateways.rs`, and the project's "Hostnames in Gateway API" guide): a
//! hostname prefixed with the wildcard label `*.` is a suffix match over one
//! *or more* labels (`*.example.com` matches `test.example.com` and
//! `foo.test.example.com`, not `example.com`). A route attaches to a listener
//! only when their hostnames intersect; an unset hostname on either side
//! matches all. The intersection keeps, of two matching names, the more
//! specific one.
//!
//! Ingress (`IngressRule.host`): a wildcard covers exactly one label
//! (`*.foo.com` matches `bar.foo.com`, not `baz.bar.foo.com`).

/// The hostnames a route serves on a listener: `None` when they do not
/// intersect (the route does not attach there), `Some(empty)` for any host.
pub(crate) fn intersect(listener: Option<&str>, route: &[String]) -> Option<Vec<String>> {
    let listener = listener.filter(|l| !l.is_empty());
    let Some(l) = listener else {
        return Some(route.to_vec());
    };
    if route.is_empty() {
        return Some(vec![l.to_string()]);
    }
    let mut out: Vec<String> = Vec::new();
    for r in route {
        if let Some(h) = pair(l, r)
            && !out.contains(&h)
        {
            out.push(h);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The intersection of two hostnames, each exact or a `*.` wildcard: the
/// more specific of the two when one matches the other.
fn pair(a: &str, b: &str) -> Option<String> {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    if a == b {
        return Some(a);
    }
    match (a.strip_prefix("*."), b.strip_prefix("*.")) {
        (Some(sa), None) => suffix_of(&b, sa).then_some(b),
        (None, Some(sb)) => suffix_of(&a, sb).then_some(a),
        (Some(sa), Some(sb)) => {
            if suffix_of(sa, sb) {
                Some(a)
            } else if suffix_of(sb, sa) {
                Some(b)
            } else {
                None
            }
        }
        (None, None) => None,
    }
}

/// Whether `name` ends in `.suffix` with at least one label before it.
fn suffix_of(name: &str, suffix: &str) -> bool {
    name.len() > suffix.len() + 1
        && name.ends_with(suffix)
        && name.as_bytes()[name.len() - suffix.len() - 1] == b'.'
}

/// Whether a request for `host` matches a Gateway API hostname (exact, or a
/// `*.` wildcard over one or more labels).
pub(crate) fn gateway_host_matches(pattern: &str, host: &str) -> bool {
    let (p, h) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match p.strip_prefix("*.") {
        Some(suffix) => suffix_of(&h, suffix),
        None => p == h,
    }
}

/// Whether a host is one the Ingress API accepts (kubernetes/kubernetes
/// pkg/apis/networking/validation/validation.go, `validateIngressRules`: not
/// an IP address, and a DNS-1123 subdomain, or `*.` and one); the API
/// server refuses an Ingress with any other.
pub(crate) fn ingress_host_valid(host: &str) -> bool {
    let bare = host.strip_prefix("*.").unwrap_or(host);
    host.parse::<std::net::IpAddr>().is_err()
        && !bare.is_empty()
        && bare.len() <= 253
        && bare.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

/// Whether a request for `host` matches an Ingress rule's host (exact, or
/// a `*.` wildcard over exactly one label).
pub(crate) fn ingress_host_matches(pattern: &str, host: &str) -> bool {
    let (p, h) = (pattern.to_ascii_lowercase(), host.to_ascii_lowercase());
    match p.strip_prefix("*.") {
        Some(suffix) => h
            .split_once('.')
            .is_some_and(|(first, rest)| !first.is_empty() && rest == suffix),
        None => p == h,
    }
}

/// How specific a matching hostname is, for precedence: exact names beat
/// wildcards, then longer names beat shorter ones (HTTPRoute `hostnames`:
/// "precedence must be given to ... the largest number of characters in a
/// matching non-wildcard hostname", then "in a matching hostname").
pub(crate) fn specificity(pattern: Option<&str>) -> (bool, usize) {
    match pattern {
        None => (false, 0),
        Some(p) => (!p.starts_with("*."), p.len()),
    }
}

#[cfg(test)]
mod tests {
    /// Ingress `spec.rules[].host` (`validateIngressRules`): a DNS-1123
    /// subdomain, or a wildcard of one ("*.foo.com"), and not an IP
    /// address; `registry.<your domain>` from an unrendered template is
    /// neither.
    #[test]
    fn ingress_hosts_are_dns_names() {
        assert!(ingress_host_valid("foo.bar.com"));
        assert!(ingress_host_valid("*.foo.com"));
        assert!(!ingress_host_valid("registry.<your domain>"));
        assert!(!ingress_host_valid("Foo.com"));
        assert!(!ingress_host_valid("*"));
        assert!(!ingress_host_valid("a..b"));
        // "must be a DNS name, not an IP address".
        assert!(!ingress_host_valid("10.0.0.1"));
    }

    use super::*;

    fn v(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    /// The examples of the HTTPRoute `hostnames` documentation.
    #[test]
    fn intersection_as_the_spec_describes_it() {
        // A listener with test.example.com matches routes with no hostnames,
        // test.example.com or *.example.com.
        assert_eq!(
            intersect(Some("test.example.com"), &[]),
            Some(v(&["test.example.com"]))
        );
        assert_eq!(
            intersect(Some("test.example.com"), &v(&["*.example.com"])),
            Some(v(&["test.example.com"]))
        );
        assert_eq!(
            intersect(Some("test.example.com"), &v(&["other.example.com"])),
            None
        );
        // *.example.com matches *.example.com, test.example.com and
        // foo.test.example.com, but not example.com or test.example.net.
        assert_eq!(
            intersect(
                Some("*.example.com"),
                &v(&[
                    "test.example.com",
                    "test.example.net",
                    "example.com",
                    "foo.test.example.com"
                ])
            ),
            Some(v(&["test.example.com", "foo.test.example.com"]))
        );
        assert_eq!(intersect(Some("*.example.com"), &v(&["example.com"])), None);
        // Both wildcards: the more specific one.
        assert_eq!(
            intersect(Some("*.example.com"), &v(&["*.foo.example.com", "bar.com"])),
            Some(v(&["*.foo.example.com"]))
        );
        assert_eq!(
            intersect(Some("*.foo.example.com"), &v(&["*.example.com"])),
            Some(v(&["*.foo.example.com"]))
        );
        // No listener hostname: the route's own, or any.
        assert_eq!(
            intersect(None, &v(&["a.example.com"])),
            Some(v(&["a.example.com"]))
        );
        assert_eq!(intersect(None, &[]), Some(Vec::new()));
    }

    #[test]
    fn wildcards_differ_between_gateway_api_and_ingress() {
        assert!(gateway_host_matches("*.example.com", "a.b.example.com"));
        assert!(!gateway_host_matches("*.example.com", "example.com"));
        assert!(ingress_host_matches("*.foo.com", "bar.foo.com"));
        assert!(!ingress_host_matches("*.foo.com", "baz.bar.foo.com"));
        assert!(!ingress_host_matches("*.foo.com", "foo.com"));
    }
}
