//! The `svcx/ignore` annotation: an object that carries it silences the
//! codes it names for itself, as kube-score's `kube-score/ignore` and
//! hadolint's inline pragmas do. The value is a comma-separated list of
//! codes, names or families (`"SVC101,protocol-mismatch,SVC3"`). Words that
//! name no rule are reported by SVC401 (`unknown-ignore-code`), so a typo
//! does not silently silence nothing.

use super::settings::Selector;
use crate::model::finding::{Finding, ObjectRef};
use crate::model::{Located, Origin, Snapshot, Span};
use std::collections::HashMap;

pub(crate) use crate::model::finding::{IGNORE_ANNOTATION as ANNOTATION, IGNORE_FIELD as FIELD};

/// An object that carries the annotation.
pub(crate) struct Annotated {
    pub(crate) object: ObjectRef,
    pub(crate) origin: Origin,
    /// Where the annotation was written, when read from text.
    pub(crate) span: Option<Span>,
    pub(crate) value: String,
}

/// Every object in the snapshot that carries the annotation.
pub(crate) fn annotated(snap: &Snapshot) -> Vec<Annotated> {
    let mut out = Vec::new();
    collect(&snap.services, &mut out);
    collect(&snap.endpoint_slices, &mut out);
    collect(&snap.ingresses, &mut out);
    collect(&snap.ingress_classes, &mut out);
    collect(&snap.gateway_classes, &mut out);
    collect(&snap.gateways, &mut out);
    collect(&snap.http_routes, &mut out);
    collect(&snap.grpc_routes, &mut out);
    collect(&snap.tls_routes, &mut out);
    collect(&snap.tcp_routes, &mut out);
    collect(&snap.udp_routes, &mut out);
    collect(&snap.reference_grants, &mut out);
    collect(&snap.network_policies, &mut out);
    for c in &snap.cluster_policies {
        if let Some(value) = c
            .object
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get(ANNOTATION))
        {
            out.push(Annotated {
                object: ObjectRef::new(c.object.kind.name(), "", c.object.name()),
                origin: c.origin.clone(),
                span: c.span_of(FIELD),
                value: value.clone(),
            });
        }
    }
    out
}

fn collect<T>(list: &[Located<T>], out: &mut Vec<Annotated>)
where
    T: kube::Resource<DynamicType = ()>,
{
    for o in list {
        if let Some(value) = o
            .object
            .meta()
            .annotations
            .as_ref()
            .and_then(|a| a.get(ANNOTATION))
        {
            out.push(Annotated {
                object: ObjectRef::of(&o.object),
                origin: o.origin.clone(),
                span: o.span_of(FIELD),
                value: value.clone(),
            });
        }
    }
}

/// Splits the annotation's value into the rules it names and the words that
/// name none.
pub(crate) fn parse(value: &str) -> (Vec<Selector>, Vec<String>) {
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for word in value
        .split([',', ' '])
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        match Selector::parse(word) {
            Ok(s) => known.push(s),
            Err(_) => unknown.push(word.to_string()),
        }
    }
    (known, unknown)
}

/// Which codes each annotated object silences.
#[derive(Default)]
pub(crate) struct Suppressions {
    by_object: HashMap<ObjectRef, Vec<Selector>>,
}

impl Suppressions {
    /// Reads every annotation in the snapshot.
    pub(crate) fn read(snap: &Snapshot) -> Self {
        let by_object = annotated(snap)
            .into_iter()
            .map(|a| (a.object, parse(&a.value).0))
            .collect();
        Suppressions { by_object }
    }

    /// Whether the finding's object silences its code.
    pub(crate) fn silences(&self, f: &Finding) -> bool {
        self.by_object
            .get(&f.object)
            .is_some_and(|sel| sel.iter().any(|s| s.matches(f.code)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Code;

    #[test]
    fn parses_codes_names_and_families() {
        let (known, unknown) = parse("SVC101, protocol-mismatch,SVC3 SVC999 nonsense");
        assert_eq!(
            known,
            vec![
                Selector::Code(Code::SelectorMatchesNoPods),
                Selector::Code(Code::ProtocolMismatch),
                Selector::Prefix("SVC3".into())
            ]
        );
        assert_eq!(unknown, vec!["SVC999".to_string(), "nonsense".to_string()]);
    }
}
