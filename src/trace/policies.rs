//! The network policy part of a path: which of the sources a path brings
//! (the entry it starts at decides them; `--from` names one) each endpoint
//! admits, as the model answered ([`crate::model::policy`]). Each endpoint
//! hop lists its answers and takes the worst: dropped is broken when every
//! endpoint of the port drops that source, a warning while others admit
//! it; depends is a warning. The endpoints hop carries the findings
//! (SVC115, SVC521) that say a source reaches no endpoint.

use super::report::{Hop, HopAdmission};
use super::target::Entry;
use super::verdict::Verdict;
use crate::model::policy::{Admission, SourceAdmissions, SourceClass, code_for};
use crate::model::routing::ServedBy;
use crate::model::view::{Semantics, ServiceView};

/// The sources of the Service's policy facts that a path from `entry`
/// brings; with `--from`, that source only.
pub(super) fn sources<'a>(
    sem: &Semantics,
    v: &'a ServiceView,
    entry: &Entry,
    from: Option<&'a SourceAdmissions>,
) -> Vec<&'a SourceAdmissions> {
    if let Some(f) = from {
        return vec![f];
    }
    let Some(sp) = &v.policies else {
        return Vec::new();
    };
    sp.sources
        .iter()
        .filter(|s| match (entry, &s.source) {
            (Entry::Service, _) => true,
            (Entry::ClusterIp(_), SourceClass::InCluster) => true,
            (
                Entry::LoadBalancer(_) | Entry::ExternalIp(_) | Entry::Node { .. },
                SourceClass::Outside { .. },
            ) => true,
            (Entry::Routes(picked), class) => picked.iter().any(|p| through(sem, p, class)),
            _ => false,
        })
        .collect()
}

/// Whether a picked rule comes through the Gateway or Ingress controller a
/// source class stands for.
fn through(sem: &Semantics, picked: &ServedBy, class: &SourceClass) -> bool {
    match (picked, class) {
        (
            ServedBy::Route { gateway, .. },
            SourceClass::Gateway {
                namespace, name, ..
            },
        ) => sem
            .routes
            .gateways
            .get(*gateway)
            .is_some_and(|g| g.namespace == *namespace && g.name == *name),
        (ServedBy::Ingress { ingress, .. }, SourceClass::IngressController { class, .. }) => sem
            .routes
            .ingresses
            .get(*ingress)
            .is_some_and(|i| i.class == *class),
        _ => false,
    }
}

/// Puts the answers for backend `k` on port `port` on its endpoint hop.
pub(super) fn endpoint(hop: &mut Hop, k: usize, port: usize, sources: &[&SourceAdmissions]) {
    for s in sources {
        let Some(p) = s.ports.get(port) else { continue };
        let Some(d) = p.of(k) else { continue };
        hop.admissions.push(HopAdmission {
            source: s.source.clone(),
            decision: d.clone(),
        });
        let verdict = match d.admission {
            Admission::Admitted => Verdict::Ok,
            Admission::Depends => Verdict::Warn,
            Admission::Dropped if p.all_dropped() => Verdict::Broken,
            Admission::Dropped => Verdict::Warn,
        };
        if d.admission == Admission::Dropped
            && let Some((code, _)) = code_for(&s.source, p)
            && !hop.findings.contains(&code)
        {
            hop.findings.push(code);
        }
        if verdict == Verdict::Ok {
            if d.involves_policies() {
                hop.notes.push(format!(
                    "network policies: {} admitted: {}",
                    s.source.label(),
                    d.reason
                ));
            }
            continue;
        }
        let line = format!(
            "network policies: {} {}: {}",
            s.source.label(),
            d.admission.word(),
            d.reason
        );
        raise(hop, verdict, line);
    }
}

/// Puts a policy answer on `hop`: its reason when it is worse than the
/// hop's verdict so far (the reason before becomes the first note), else a
/// note.
pub(super) fn raise(hop: &mut Hop, verdict: Verdict, line: String) {
    if verdict > hop.verdict {
        let before = std::mem::replace(&mut hop.reason, line);
        if !before.is_empty() {
            hop.notes.insert(0, before);
        }
        hop.verdict = verdict;
    } else {
        hop.notes.push(line);
    }
}

/// Sets the endpoints hop of port `port` from the sources' answers: the
/// findings of a source no endpoint admits (from the view, when it has
/// them), and a note per source some endpoints drop or cannot judge.
/// `each_shown`: the endpoints have hops of their own with their answers
/// (the Service's endpoints hop); else (a proxy's own Service, judged on
/// the proxy's hop) the first endpoint's answer is said here.
pub(super) fn summary(
    hop: &mut Hop,
    v: &ServiceView,
    port: usize,
    sources: &[&SourceAdmissions],
    each_shown: bool,
) {
    for s in sources {
        let Some(p) = s.ports.get(port) else { continue };
        let label = s.source.label();
        let see = if each_shown {
            " (see each endpoint)".to_string()
        } else {
            p.first_not(crate::model::policy::Admission::Admitted)
                .map(|(who, d)| format!(": {who}: {}", d.reason))
                .unwrap_or_default()
        };
        let (verdict, line, hint, code) = match code_for(&s.source, p) {
            Some((code, severity)) => {
                let finding = v
                    .findings_for_port(Some(port))
                    .find(|f| f.code == code && f.message.contains(&label));
                let line = finding.map_or_else(
                    || {
                        format!(
                            "{} of {} endpoints drop {label} (network policies)",
                            p.dropped,
                            p.total()
                        )
                    },
                    |f| f.message.clone(),
                );
                (
                    Verdict::from(severity),
                    line,
                    finding.and_then(|f| f.hint.clone()),
                    Some(code),
                )
            }
            None if p.dropped > 0 => (
                Verdict::Warn,
                format!(
                    "network policies: {} of {} endpoints drop {label}{see}",
                    p.dropped,
                    p.total()
                ),
                None,
                None,
            ),
            None if p.depends > 0 => (
                Verdict::Warn,
                format!(
                    "network policies: for {} of {} endpoints, whether {label} get through depends{see}",
                    p.depends,
                    p.total()
                ),
                None,
                None,
            ),
            None => continue,
        };
        if let Some(code) = code
            && !hop.findings.contains(&code)
        {
            hop.findings.push(code);
        }
        if verdict > hop.verdict {
            let before = std::mem::replace(&mut hop.reason, line);
            if !before.is_empty() {
                hop.notes.insert(0, before);
            }
            hop.hint = hint;
            hop.verdict = verdict;
        } else if !hop.notes.contains(&line) && hop.reason != line {
            hop.notes.push(line);
        }
    }
}
