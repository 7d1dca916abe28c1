//! v1 Endpoints of the Services the EndpointSlice mirroring controller
//! mirrors (no selector) and for which the cluster listed no EndpointSlice.
//! The controller copies such Endpoints into slices, so normally the slices
//! answer; when none exists (the copy is not made yet, or was deleted), the
//! Endpoints object is read as the controller would copy it
//! ([`crate::model::mirror`]). Each is one GET by name, after the lists, and
//! only for those Services: listing every Endpoints object of a cluster would
//! read one per Service for nothing. A 404 means it has none; any other
//! failure leaves a notice and the answer without it.

use super::Listed;
use super::fetch::{Progress, Reader};
use crate::model::SERVICE_NAME_LABEL;
use crate::model::mirror::mirrors_for;
use k8s_openapi::api::core::v1::{Endpoints, Service};
use k8s_openapi::api::discovery::v1::EndpointSlice;
use kube::ResourceExt;
use kube::api::Api;
use std::collections::HashSet;

/// Endpoints read one by one at most: past this, the rest are named in a
/// notice (a cluster with that many selector-less Services without slices is
/// better read from its slices).
const MAX_GETS: usize = 64;

/// What was read: the Endpoints found, and notices for what could not be.
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub(crate) endpoints: Vec<Endpoints>,
    pub(crate) notices: Vec<String>,
}

/// The Endpoints of every Service that the mirroring controller mirrors and
/// that has no EndpointSlice among those listed.
pub(super) async fn read(
    reader: &Reader,
    services: &Listed<Service>,
    slices: &Listed<EndpointSlice>,
) -> Read {
    let (Listed::Items(services), Listed::Items(slices)) = (services, slices) else {
        return Read::default();
    };
    let sliced: HashSet<(String, String)> = slices
        .iter()
        .filter_map(|s| {
            let svc = s.labels().get(SERVICE_NAME_LABEL)?;
            Some((s.namespace().unwrap_or_default(), svc.clone()))
        })
        .collect();
    let wanted: Vec<(String, String)> = services
        .iter()
        .filter(|s| mirrors_for(s))
        .map(|s| (s.namespace().unwrap_or_default(), s.name_any()))
        .filter(|key| !sliced.contains(key))
        .collect();
    let mut out = Read::default();
    // A handful of small GETs, sent at once so that one slow answer does
    // not hold the others back; answers are kept in the Services' order.
    let mut asks = tokio::task::JoinSet::new();
    for (i, (ns, name)) in wanted.iter().take(MAX_GETS).enumerate() {
        let (reader, ns, name) = (reader.clone(), ns.clone(), name.clone());
        asks.spawn(async move {
            let api: Api<Endpoints> = Api::namespaced(reader.client.clone(), &ns);
            let request = kube::core::Request::new(api.resource_url());
            let progress = Progress::default();
            progress.set(format!("reading endpoints `{ns}/{name}`"));
            let got = reader
                .get::<Endpoints>(
                    || request.get(&name, &kube::api::GetParams::default()),
                    &progress,
                )
                .await;
            (i, ns, name, got)
        });
    }
    let mut answers = asks.join_all().await;
    answers.sort_by_key(|(i, ..)| *i);
    for (_, ns, name, got) in answers {
        match got {
            Ok(e) => out.endpoints.push(e),
            Err(f) if f.fault.code() == Some(404) => {}
            Err(f) => out.notices.push(format!(
                "endpoints `{ns}/{name}`: could not be read ({}) — its endpoints are unknown",
                super::failure::fault_summary(&f.fault)
            )),
        }
    }
    if wanted.len() > MAX_GETS {
        out.notices.push(format!(
            "{} Services without selector have no EndpointSlice: the Endpoints of {MAX_GETS} were read, not those of the others",
            wanted.len()
        ));
    }
    out
}
