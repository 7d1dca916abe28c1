//! Unit tests of what TARGET means.

use super::*;

#[test]
fn parses_every_target_form() {
    let name = |ns: Option<&str>, n: &str, p: Option<i32>| Parsed::Name {
        namespace: ns.map(str::to_string),
        name: n.to_string(),
        port: p,
    };
    let addr = |h: &str, p: Option<i32>| Parsed::Address {
        host: h.to_string(),
        port: p,
    };
    assert_eq!(parse("cart").ok(), Some(name(None, "cart", None)));
    assert_eq!(
        parse("shop/cart").ok(),
        Some(name(Some("shop"), "cart", None))
    );
    assert_eq!(
        parse("203.0.113.7:443").ok(),
        Some(addr("203.0.113.7", Some(443)))
    );
    assert_eq!(parse("203.0.113.7").ok(), Some(addr("203.0.113.7", None)));
    assert_eq!(
        parse("lb.example.com:80").ok(),
        Some(addr("lb.example.com", Some(80)))
    );
    assert_eq!(
        parse("[fd00::1]:443").ok(),
        Some(addr("fd00::1", Some(443)))
    );
    assert_eq!(parse("fd00::1").ok(), Some(addr("fd00::1", None)));
    assert!(parse("10.0.0.1:99999").is_err());
    assert!(parse("fd00::1:x").is_err());
    assert!(parse("").is_err());
    assert!(parse("a/b/c").is_err());
    assert!(parse("[fd00::1").is_err());
}

#[test]
fn only_a_bare_name_is_one() {
    assert_eq!(bare_name("metrics").as_deref(), Some("metrics"));
    assert_eq!(bare_name("metrics:9090").as_deref(), Some("metrics"));
    assert_eq!(bare_name("infra/metrics"), None);
    assert_eq!(bare_name("metrics.infra"), None);
    assert_eq!(bare_name("10.96.30.9"), None);
    assert_eq!(bare_name("metrics:x"), None);
}
