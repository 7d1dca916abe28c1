//! The explain report as JSON, its Services serialized on every core. The
//! bytes are those serde_json writes for the report itself
//! (`to_writer_pretty`, docs/json.md): each Service is serialized apart,
//! indented to its depth in the document, and placed there as it stands.
//! A cluster's Services are most of the document: serializing them one
//! after another took 65 ms of a 330 ms `svcx explain -A -o json` of 2,000
//! Services.

use crate::explain::report::{ExplainReport, GatewayExplanation, NodeInfo, ServiceExplanation};
use crate::model::policy::PolicyRules;
use crate::model::{ClusterInfo, Notice, Scope, SourceInfo};
use serde::ser::{Error as _, SerializeSeq};
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use std::io;

/// Services serialized at once (on every core) before they are written: the
/// memory held stays that of a batch, however large the cluster.
const SERIALIZED_AT_ONCE: usize = 256;

/// Writes `report` as JSON.
pub(crate) fn write(report: &ExplainReport, out: &mut dyn io::Write) -> io::Result<()> {
    // Taken apart without `..`: a field added to the report does not build
    // until it is written here too (and the test below checks the bytes).
    let ExplainReport {
        schema,
        source,
        scope,
        clusters,
        services,
        gateways,
        network_policies,
        nodes,
        notices,
    } = report;
    let document = Document {
        schema,
        source,
        scope,
        clusters,
        services: InBatches(services),
        gateways,
        network_policies,
        nodes,
        notices,
    };
    super::json(&document, out)
}

/// [`ExplainReport`] as it serializes: the same fields, in the same order,
/// with the same attributes; its Services [`InBatches`].
#[derive(Serialize)]
struct Document<'a> {
    schema: &'a u32,
    source: &'a SourceInfo,
    scope: &'a Scope,
    #[serde(skip_serializing_if = "empty")]
    clusters: &'a Vec<ClusterInfo>,
    services: InBatches<'a>,
    gateways: &'a Vec<GatewayExplanation>,
    #[serde(skip_serializing_if = "empty")]
    network_policies: &'a Vec<PolicyRules>,
    #[serde(skip_serializing_if = "empty")]
    nodes: &'a Vec<NodeInfo>,
    notices: &'a Vec<Notice>,
}

fn empty<T>(list: &&Vec<T>) -> bool {
    list.is_empty()
}

/// The Services, serialized a batch at a time on every core and written in
/// order. Only [`Document`] holds one, and only serde_json's pretty printer
/// writes a `Document`: what [`placed`] assumes of the depth holds.
struct InBatches<'a>(&'a [ServiceExplanation]);

impl Serialize for InBatches<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for batch in self.0.chunks(SERIALIZED_AT_ONCE) {
            for service in crate::cores::map_in_order(batch, placed) {
                seq.serialize_element(&service.map_err(S::Error::custom)?)?;
            }
        }
        seq.end()
    }
}

/// A Service as the pretty printer writes it in the top-level object's
/// `services` array: two levels deep, so every line after the first is
/// indented four more spaces.
fn placed(service: &ServiceExplanation) -> serde_json::Result<Box<RawValue>> {
    let mut text = Deeper(Vec::with_capacity(8 * 1024));
    serde_json::to_writer_pretty(&mut text, service)?;
    let text = String::from_utf8(text.0).map_err(serde_json::Error::custom)?;
    RawValue::from_string(text)
}

/// Writes what it is given two levels deeper. JSON strings hold no raw line
/// breaks (the printer escapes them), so each break is between tokens.
struct Deeper(Vec<u8>);

impl io::Write for Deeper {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut lines = bytes.split(|&b| b == b'\n');
        if let Some(first) = lines.next() {
            self.0.extend_from_slice(first);
        }
        for line in lines {
            self.0.extend_from_slice(b"\n    ");
            self.0.extend_from_slice(line);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ClusterError, Scope};

    /// The parallel writer's bytes are serde_json's for the report, with
    /// every field the document can hold present and more Services than
    /// one batch (so several threads and batches take part).
    #[test]
    fn the_json_is_serde_json_of_the_report() {
        let snap = crate::source::demo::load(Scope::AllNamespaces).unwrap();
        let mut report = crate::explain::explain(&snap, &[]);
        while report.services.len() <= 2 * SERIALIZED_AT_ONCE {
            report
                .services
                .extend(crate::explain::explain(&snap, &[]).services);
        }
        report.clusters.push(ClusterInfo {
            context: "east \"quoted\"\nline".into(),
            server: Some("https://127.0.0.1:6443".into()),
            scope: Some(Scope::AllNamespaces),
            error: Some(ClusterError {
                message: "unreachable".into(),
                hint: None,
            }),
        });
        report.notices.push(Notice {
            message: "pods in namespace `shop` could not be read".into(),
            hint: Some("ask for `list` on pods".into()),
            context: Some("east".into()),
        });
        for (name, list) in [
            ("nodes", report.nodes.is_empty()),
            ("network_policies", report.network_policies.is_empty()),
            ("gateways", report.gateways.is_empty()),
            ("notices", report.notices.is_empty()),
        ] {
            assert!(!list, "the demo's report has {name}");
        }
        let (mut ours, mut serdes) = (Vec::new(), Vec::new());
        write(&report, &mut ours).unwrap();
        super::super::json(&report, &mut serdes).unwrap();
        assert!(ours == serdes, "the bytes differ");
        // And with the optional lists empty.
        report.clusters.clear();
        report.nodes.clear();
        report.network_policies.clear();
        report.services.truncate(3);
        let (mut ours, mut serdes) = (Vec::new(), Vec::new());
        write(&report, &mut ours).unwrap();
        super::super::json(&report, &mut serdes).unwrap();
        assert_eq!(String::from_utf8(ours), String::from_utf8(serdes));
    }
}
