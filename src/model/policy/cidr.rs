//! Address ranges as network policies write them: a CIDR (`10.0.0.0/8`,
//! `2001:db8::/64`), an ipBlock (a CIDR minus its `except` CIDRs), and sets
//! of addresses as sorted, disjoint intervals, so that "does this ipBlock
//! cover every client range" and "does it meet any" are exact.
//!
//! IPv4 and IPv6 never meet: an IPv4 ipBlock matches no IPv6 address and
//! the other way round (the NetworkPolicy API reference: `cidr` is one
//! family's range).

// The IP family is the model's one (`nodes::Family`).
pub(super) use crate::model::nodes::Family;
use std::net::IpAddr;

/// One CIDR, parsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Cidr {
    pub(crate) family: Family,
    /// The first address of the range.
    pub(crate) start: u128,
    /// The last address of the range.
    pub(crate) end: u128,
}

impl Cidr {
    /// Reads `a.b.c.d/n` or `x::y/n`. A bare address is its own /32 or
    /// /128. The API server rejects host bits set below the prefix in new
    /// objects; older objects may hold them, so they are masked here as
    /// kube-proxy and the plugins mask them.
    pub(crate) fn parse(text: &str) -> Option<Cidr> {
        let (addr, prefix) = match text.trim().split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u32>().ok()?)),
            None => (text.trim(), None),
        };
        let ip: IpAddr = addr.parse().ok()?;
        let (family, value, bits) = match ip {
            IpAddr::V4(v4) => (Family::IPv4, u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (Family::IPv6, u128::from(v6), 128),
        };
        let prefix = prefix.unwrap_or(bits);
        if prefix > bits {
            return None;
        }
        let host_bits = bits - prefix;
        let span: u128 = if host_bits == 128 {
            u128::MAX
        } else {
            (1u128 << host_bits) - 1
        };
        let start = value & !span;
        Some(Cidr {
            family,
            start,
            end: start | span,
        })
    }

    /// The single address `ip`.
    pub(crate) fn address(ip: &str) -> Option<Cidr> {
        let ip: IpAddr = ip.trim().parse().ok()?;
        Cidr::parse(&ip.to_string())
    }

    /// Every address of a family (`0.0.0.0/0`, `::/0`).
    pub(crate) fn everything(family: Family) -> Cidr {
        Cidr {
            family,
            start: 0,
            end: match family {
                Family::IPv4 => u128::from(u32::MAX),
                Family::IPv6 => u128::MAX,
            },
        }
    }
}

/// A set of addresses: per family, sorted disjoint inclusive intervals.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AddressSet {
    intervals: Vec<(Family, u128, u128)>,
}

impl AddressSet {
    /// The addresses of one CIDR.
    pub(crate) fn of(c: Cidr) -> Self {
        AddressSet {
            intervals: vec![(c.family, c.start, c.end)],
        }
    }

    /// An ipBlock: `cidr` without the `except` ranges. `None` when a CIDR
    /// does not parse.
    pub(crate) fn block(cidr: &str, except: &[String]) -> Option<Self> {
        let mut set = AddressSet::of(Cidr::parse(cidr)?);
        for e in except {
            set = set.minus(&AddressSet::of(Cidr::parse(e)?));
        }
        Some(set)
    }

    /// Whether it holds no address.
    pub(crate) fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    /// The union of two sets.
    pub(crate) fn union(&self, other: &AddressSet) -> AddressSet {
        let mut all: Vec<(Family, u128, u128)> = self
            .intervals
            .iter()
            .chain(&other.intervals)
            .copied()
            .collect();
        all.sort();
        let mut out: Vec<(Family, u128, u128)> = Vec::with_capacity(all.len());
        for (f, s, e) in all {
            match out.last_mut() {
                Some((lf, _, le)) if *lf == f && s <= le.saturating_add(1) => *le = (*le).max(e),
                _ => out.push((f, s, e)),
            }
        }
        AddressSet { intervals: out }
    }

    /// The addresses of `self` that are not in `other`.
    pub(crate) fn minus(&self, other: &AddressSet) -> AddressSet {
        let mut out = Vec::new();
        for &(f, s, e) in &self.intervals {
            let mut pieces = vec![(s, e)];
            for &(of, os, oe) in &other.intervals {
                if of != f {
                    continue;
                }
                pieces = pieces
                    .into_iter()
                    .flat_map(|(ps, pe)| {
                        let mut keep = Vec::new();
                        if oe < ps || os > pe {
                            keep.push((ps, pe));
                        } else {
                            if os > ps {
                                keep.push((ps, os - 1));
                            }
                            if oe < pe {
                                keep.push((oe + 1, pe));
                            }
                        }
                        keep
                    })
                    .collect();
            }
            out.extend(pieces.into_iter().map(|(ps, pe)| (f, ps, pe)));
        }
        AddressSet { intervals: out }
    }

    /// The addresses in both sets.
    pub(crate) fn intersect(&self, other: &AddressSet) -> AddressSet {
        let mut out = Vec::new();
        for &(f, s, e) in &self.intervals {
            for &(of, os, oe) in &other.intervals {
                if of == f && os <= e && oe >= s {
                    out.push((f, s.max(os), e.min(oe)));
                }
            }
        }
        AddressSet::default().union(&AddressSet { intervals: out })
    }

    /// Whether every address of `other` is in `self`.
    pub(crate) fn covers(&self, other: &AddressSet) -> bool {
        other.minus(self).is_empty()
    }

    /// Whether `self` and `other` share an address.
    pub(crate) fn meets(&self, other: &AddressSet) -> bool {
        !self.intersect(other).is_empty()
    }

    /// Whether it holds the address `ip` (false when `ip` is no address).
    pub(crate) fn contains(&self, ip: &str) -> bool {
        Cidr::address(ip).is_some_and(|c| self.covers(&AddressSet::of(c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(cidr: &str, except: &[&str]) -> AddressSet {
        let except: Vec<String> = except.iter().map(|s| s.to_string()).collect();
        AddressSet::block(cidr, &except).expect("valid")
    }

    /// The NetworkPolicy concept page's example: 172.17.0.0/16 except
    /// 172.17.1.0/24 is 172.17.0.0–172.17.0.255 and 172.17.2.0–172.17.255.255.
    #[test]
    fn except_cuts_a_hole() {
        let b = set("172.17.0.0/16", &["172.17.1.0/24"]);
        assert!(b.contains("172.17.0.255"));
        assert!(!b.contains("172.17.1.0"));
        assert!(!b.contains("172.17.1.255"));
        assert!(b.contains("172.17.2.0"));
        assert!(b.contains("172.17.255.255"));
        assert!(!b.contains("172.18.0.0"));
        assert!(!b.contains("not an address"));
    }

    #[test]
    fn families_never_meet() {
        let v4 = set("0.0.0.0/0", &[]);
        assert!(!v4.contains("2001:db8::1"));
        assert!(set("::/0", &[]).contains("2001:db8::1"));
        assert!(!v4.meets(&set("::/0", &[])));
    }

    #[test]
    fn cover_and_meet_are_exact() {
        let clients = set("203.0.113.0/24", &[]);
        assert!(set("203.0.113.0/25", &[]).meets(&clients));
        assert!(!set("203.0.113.0/25", &[]).covers(&clients));
        let halves = set("203.0.113.0/25", &[]).union(&set("203.0.113.128/25", &[]));
        assert!(halves.covers(&clients));
        assert!(!set("198.51.100.0/24", &[]).meets(&clients));
        assert!(set("0.0.0.0/0", &["203.0.113.7/32"]).meets(&clients));
        assert!(!set("0.0.0.0/0", &["203.0.113.7/32"]).covers(&clients));
    }

    #[test]
    fn host_bits_and_bad_input() {
        assert_eq!(Cidr::parse("10.1.2.3/8"), Cidr::parse("10.0.0.0/8"));
        assert!(Cidr::parse("10.0.0.0/33").is_none());
        assert!(Cidr::parse("10.0.0/8").is_none());
        assert_eq!(
            Cidr::parse("::/0").map(|c| (c.start, c.end)),
            Some((0, u128::MAX))
        );
        assert!(AddressSet::block("10.0.0.0/8", &["nope".to_string()]).is_none());
    }
}
