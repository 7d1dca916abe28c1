//! Field positions of objects read from text: every object read from a file,
//! a JSON stream, a `List` or the demo knows where each of its fields was
//! written, as 1-based line and column in the whole file.

use std::path::PathBuf;
use svcx::{Located, Scope, Snapshot, Span};

fn load(path: &str) -> Snapshot {
    svcx::files::load(&[PathBuf::from(path)], Scope::AllNamespaces, None)
        .unwrap_or_else(|e| panic!("{path}: {}", svcx::render_error(&e)))
}

fn at(line: usize, column: usize) -> Option<Span> {
    Some(Span { line, column })
}

fn named<'a, T: kube::ResourceExt>(list: &'a [Located<T>], name: &str) -> &'a Located<T> {
    list.iter()
        .find(|o| o.object.name_any() == name)
        .unwrap_or_else(|| panic!("`{name}` was read"))
}

/// The value's position, as input errors use it.
fn value_at<T>(o: &Located<T>, path: &str) -> Option<Span> {
    o.spans.as_ref()?.fields().value(path)
}

#[test]
fn yaml_fields_are_placed_in_file_coordinates_across_documents() {
    let snap = load("tests/fixtures/spans/multi.yaml");
    let web = named(&snap.services, "web");
    assert_eq!(web.span_of(""), at(14, 1));
    assert_eq!(web.span_of("metadata.name"), at(17, 3));
    assert_eq!(value_at(web, "metadata.name"), at(17, 9));
    // A label key that holds dots is plain concatenation.
    assert_eq!(
        web.span_of("metadata.labels.app.kubernetes.io/name"),
        at(20, 5)
    );
    // A sequence element points at its first character, an entry at its key.
    assert_eq!(web.span_of("spec.ports[0]"), at(24, 5));
    assert_eq!(web.span_of("spec.ports[0].targetPort"), at(26, 5));
    assert_eq!(value_at(web, "spec.ports[0].targetPort"), at(26, 17));
    assert_eq!(web.span_of("spec.ports[1]"), at(27, 7));
    assert_eq!(web.span_of("spec.ports[1].port"), at(28, 7));
    // A field that was not written points at its nearest written ancestor.
    assert_eq!(web.span_of("spec.ports[1].targetPort"), at(27, 7));
    assert_eq!(web.span_of("spec.sessionAffinity"), at(21, 1));
    // Workloads too.
    let deploy = &snap.workloads[0];
    assert_eq!(
        deploy.span_of("spec.template.spec.containers[0].ports[0].containerPort"),
        at(12, 30)
    );
}

#[test]
fn json_stream_values_are_placed_where_they_start() {
    let snap = load("tests/fixtures/spans/stream.json");
    assert_eq!(named(&snap.services, "a").span_of(""), at(1, 1));
    let b = named(&snap.services, "b");
    assert_eq!(b.span_of(""), at(3, 3));
    assert_eq!(b.span_of("metadata.name"), at(4, 17));
    assert_eq!(b.span_of("spec.ports[1]"), at(5, 37));
    assert_eq!(b.span_of("spec.ports[1].targetPort"), at(5, 51));
    assert_eq!(value_at(b, "spec.ports[1].targetPort"), at(5, 65));
    // A value that starts in the middle of a line, after another.
    let c = named(&snap.services, "c");
    assert_eq!(c.span_of(""), at(5, 74));
    assert_eq!(c.span_of("metadata.name"), at(5, 127));
    assert_eq!(value_at(c, "metadata.name"), at(5, 135));
}

#[test]
fn list_items_have_paths_of_their_own_and_places_in_the_file() {
    let snap = load("tests/fixtures/spans/list.yaml");
    let first = named(&snap.services, "first");
    assert_eq!(first.origin.to_string(), "tests/fixtures/spans/list.yaml:6");
    assert_eq!(first.span_of(""), at(6, 3));
    assert_eq!(first.span_of("metadata.name"), at(9, 5));
    assert_eq!(first.span_of("spec.ports[0]"), at(13, 7));
    let second = named(&snap.services, "second");
    assert_eq!(second.span_of(""), at(14, 3));
    assert_eq!(second.span_of("spec.ports[0]"), at(19, 7));
    assert_eq!(second.span_of("spec.ports[1].targetPort"), at(21, 7));
    assert_eq!(value_at(second, "spec.ports[1].targetPort"), at(21, 19));
}

#[test]
fn typed_json_list_items_are_placed_too() {
    // `kubectl get svc -o json`: a ServiceList whose items carry no kind.
    let snap = load("tests/fixtures/spans/list.json");
    let first = named(&snap.services, "first");
    assert_eq!(first.span_of(""), at(5, 9));
    assert_eq!(first.span_of("metadata.name"), at(7, 17));
    assert_eq!(first.span_of("spec.ports[0].port"), at(13, 25));
    // `kind` was filled in from the list: it points at the item.
    assert_eq!(first.span_of("kind"), at(5, 9));
    let second = named(&snap.services, "second");
    assert_eq!(second.span_of(""), at(18, 9));
    assert_eq!(second.span_of("metadata.name"), at(19, 26));
    assert_eq!(second.span_of("spec.ports[1].targetPort"), at(20, 60));
    assert_eq!(value_at(second, "spec.ports[1].targetPort"), at(20, 74));
}

/// 1-based line and column of byte `i` of `text`.
fn position(text: &str, i: usize) -> Option<Span> {
    let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
    Some(Span {
        line: text[..i].matches('\n').count() + 1,
        column: text[line_start..i].chars().count() + 1,
    })
}

#[test]
fn demo_objects_are_placed_in_the_demo_manifest() {
    // Expected places are looked up in the manifest itself, so that the
    // demo can change without this test pinning its line numbers.
    let text = svcx::demo::MANIFEST;
    let start = text
        .find("apiVersion: v1\nkind: Service\nmetadata: {name: storefront, namespace: shop}")
        .expect("the demo has shop/storefront");
    let after = |needle: &str| start + text[start..].find(needle).unwrap();
    let snap = svcx::demo::load(Scope::AllNamespaces).unwrap();
    let svc = named(&snap.services, "storefront");
    assert_eq!(svc.span_of(""), position(text, start));
    assert_eq!(
        svc.span_of("metadata.name"),
        position(text, after("name: storefront"))
    );
    assert_eq!(
        value_at(svc, "metadata.name"),
        position(text, after("storefront,"))
    );
    // A flow mapping in a block sequence: the element starts at its brace.
    assert_eq!(
        svc.span_of("spec.ports[0]"),
        position(text, after("{name: http,"))
    );
    assert_eq!(
        svc.span_of("spec.ports[0].targetPort"),
        position(text, after("targetPort: http"))
    );
    assert_eq!(
        svc.origin.to_string(),
        format!("demo:{}", position(text, start).unwrap().line)
    );
}

#[test]
fn live_objects_have_no_positions() {
    let located = Located::new(
        (),
        svcx::Origin::Live {
            context: "prod".into(),
        },
    );
    assert_eq!(located.span_of("spec"), None);
}
