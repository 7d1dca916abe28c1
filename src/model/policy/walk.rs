//! Applying rules in precedence order to a source that may be a class (some
//! pod of the cluster, clients of a load balancer): a rule matches all of
//! what is left of it, part, none, or svcx cannot tell; the walk keeps the
//! parts decided and what is left, and ends in a [`Decision`].

use super::decision::{Admission, Decider, Decision};

/// Whether a rule matches: all of the source class, part of it, none, or
/// svcx cannot tell.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Match {
    Yes,
    No,
    Part(Vec<String>),
    Unknown(String),
}

impl Match {
    pub(super) fn or(self, other: Match) -> Match {
        match (self, other) {
            (Match::Yes, _) | (_, Match::Yes) => Match::Yes,
            (Match::Unknown(a), _) | (_, Match::Unknown(a)) => Match::Unknown(a),
            (Match::Part(mut a), Match::Part(b)) => {
                a.extend(b);
                Match::Part(a)
            }
            (Match::Part(a), Match::No) | (Match::No, Match::Part(a)) => Match::Part(a),
            (Match::No, Match::No) => Match::No,
        }
    }

    pub(super) fn and(self, other: Match) -> Match {
        match (self, other) {
            (Match::No, _) | (_, Match::No) => Match::No,
            (Match::Unknown(a), _) | (_, Match::Unknown(a)) => Match::Unknown(a),
            (Match::Part(a), _) | (_, Match::Part(a)) => Match::Part(a),
            (Match::Yes, Match::Yes) => Match::Yes,
        }
    }

    pub(super) fn from(b: bool) -> Match {
        if b { Match::Yes } else { Match::No }
    }
}

/// Rules applied to a source class, in precedence order.
#[derive(Default)]
pub(super) struct Walk {
    /// Parts of the class decided: admitted?, which part, by what.
    pub(super) parts: Vec<(bool, Vec<String>, Decider)>,
    /// Rules that may match, svcx cannot tell: admits?, why, by what.
    pub(super) unsure: Vec<(bool, String, Decider)>,
    /// Parts a rule passed on to the next tier.
    pub(super) passed: Vec<String>,
    /// The rest of the class: admitted?, by what, why (when no rule decided).
    pub(super) rest: Option<(bool, Vec<Decider>, Option<String>)>,
}

impl Walk {
    /// Applies one rule's match. `admits`: `None` for Pass. Returns whether
    /// the rest of the tier is skipped (every remaining source decided or
    /// passed).
    pub(super) fn apply(&mut self, m: Match, admits: Option<bool>, by: Decider) -> bool {
        if self.rest.is_some() {
            return true;
        }
        match (m, admits) {
            (Match::No, _) => false,
            (Match::Yes, Some(a)) => {
                self.rest = Some((a, vec![by], None));
                true
            }
            (Match::Yes, None) => true,
            (Match::Part(who), Some(a)) => {
                self.parts.push((a, who, by));
                false
            }
            (Match::Part(who), None) => {
                self.passed.extend(who);
                false
            }
            (Match::Unknown(why), Some(a)) => {
                self.unsure.push((a, why, by));
                false
            }
            (Match::Unknown(why), None) => {
                self.unsure.push((true, why.clone(), by.clone()));
                self.unsure.push((false, why, by));
                false
            }
        }
    }

    /// Sets what happens to the rest when no rule decided it.
    pub(super) fn otherwise(&mut self, admits: bool, by: Vec<Decider>, why: String) {
        if self.rest.is_none() {
            self.rest = Some((admits, by, Some(why)));
        }
    }

    /// The walk as a decision.
    pub(super) fn decision(self, traffic: &str) -> Decision {
        let (rest_admits, rest_by, rest_why) =
            self.rest
                .unwrap_or((true, Vec::new(), Some("no policy decides".to_string())));
        let mut by: Vec<Decider> = self.parts.iter().map(|(_, _, d)| d.clone()).collect();
        by.extend(rest_by.iter().cloned());
        let outcomes: Vec<bool> = self
            .parts
            .iter()
            .map(|(a, _, _)| *a)
            .chain([rest_admits])
            .collect();
        let all_same = |v: bool| outcomes.iter().all(|&o| o == v);
        let unsure_differs = self.unsure.iter().any(|(a, _, _)| !all_same(*a));
        if unsure_differs {
            let (_, why, _) = &self.unsure[0];
            by.extend(self.unsure.iter().map(|(_, _, d)| d.clone()));
            dedup(&mut by);
            return Decision::depends(why.clone(), by);
        }
        dedup(&mut by);
        let labels = |ds: &[Decider]| {
            let mut names: Vec<String> = Vec::new();
            for d in ds {
                let l = d.label();
                // The rule that admits names its policy already.
                if !names
                    .iter()
                    .any(|n| *n == l || n.starts_with(&format!("{l} ")))
                {
                    names.push(l);
                }
            }
            crate::model::view::names_list(&names)
        };
        if all_same(true) {
            let reason = match (&rest_why, self.parts.is_empty()) {
                (Some(why), true) => why.clone(),
                _ => format!("admitted by {}", labels(&by)),
            };
            return Decision {
                admission: Admission::Admitted,
                only: Vec::new(),
                by,
                reason,
            };
        }
        if all_same(false) {
            let reason = match (&rest_why, self.parts.is_empty()) {
                (Some(why), true) => why.clone(),
                _ => format!("dropped by {}", labels(&by)),
            };
            return Decision {
                admission: Admission::Dropped,
                only: Vec::new(),
                by,
                reason,
            };
        }
        let mut only: Vec<String> = self
            .parts
            .iter()
            .filter(|(a, _, _)| *a)
            .flat_map(|(_, w, _)| w.iter().cloned())
            .collect();
        if rest_admits {
            let dropped: Vec<String> = self
                .parts
                .iter()
                .filter(|(a, _, _)| !*a)
                .flat_map(|(_, w, _)| w.iter().cloned())
                .collect();
            only.push(format!(
                "every other source than {}",
                crate::model::view::names_list(&dropped)
            ));
        }
        only.dedup();
        let reason = format!(
            "admitted on {traffic} only from {}: {}",
            crate::model::view::names_list(&only),
            labels(&by)
        );
        Decision {
            admission: Admission::Admitted,
            only,
            by,
            reason,
        }
    }
}

/// Each decider once; a policy that decided by one of its rules is not
/// listed again for isolating (its rule says more).
pub(super) fn dedup(by: &mut Vec<Decider>) {
    let mut seen: Vec<Decider> = Vec::with_capacity(by.len());
    for d in by.drain(..) {
        if !seen.contains(&d) {
            seen.push(d);
        }
    }
    let by_rule: Vec<(&'static str, String, String, super::objects::Direction)> = seen
        .iter()
        .filter(|d| d.rule.is_some())
        .map(|d| (d.kind, d.namespace.clone(), d.name.clone(), d.direction))
        .collect();
    seen.retain(|d| {
        d.effect != super::decision::Effect::Isolates
            || !by_rule.contains(&(d.kind, d.namespace.clone(), d.name.clone(), d.direction))
    });
    *by = seen;
}
