//! Every operation of every spec is routed and answered: its path finds it (and no other operation),
//! a request built from its schema passes validation, and its answer — stateful or from the spec —
//! is a success whose body validates against the spec's response schema, or (for a stateful
//! operation asked about someone it does not hold) the vendor's refusal.

use axum::http::{HeaderMap, StatusCode};

use crate::config::SimConfig;
use crate::hub::Hub;
use crate::room::Call;
use crate::spec::find_operation;
use crate::vendors::Vendor;

fn filled(path: &str) -> String {
    path.split('/')
        .map(|s| if s.starts_with('{') { "p1" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn every_operation_is_routed_to_itself_and_every_schema_compiles() {
    let hub = Hub::new(SimConfig::default()).unwrap();
    let mut total = 0;
    for vendor in Vendor::ALL {
        let room = hub.room(vendor);
        let spec = room.spec().unwrap();
        spec.compile_all().unwrap();
        for op in room.operations() {
            total += 1;
            assert!(spec.has(op.id), "{vendor} {}: not in the spec", op.id);
            let (found, _) = find_operation(room.operations(), op.method, &filled(op.path))
                .unwrap_or_else(|| panic!("{vendor} {}: not routed", op.id));
            assert_eq!(found.id, op.id, "{vendor}: {} routed elsewhere", op.path);
        }
    }
    assert!(total >= 126, "{total} operations");
}

#[tokio::test]
async fn every_operation_answers_as_its_spec_says() {
    let hub = Hub::new(SimConfig::default()).unwrap();
    let mut from_spec = 0;
    for vendor in Vendor::ALL {
        let room = hub.room(vendor);
        let spec = room.spec().unwrap();
        for op in room.operations() {
            let body = spec
                .example_request(op.id)
                .map(|b| serde_json::to_vec(&b).unwrap())
                .unwrap_or_default();
            let query = spec.example_query(op.id);
            if let Err(problem) = spec.check_request(op.id, &query, &body) {
                panic!(
                    "{vendor} {}: a request from its own schema is refused: {problem}",
                    op.id
                );
            }
            let params: Vec<(String, String)> = op
                .path
                .split('/')
                .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                .map(|n| (n.to_owned(), "1".to_owned()))
                .collect();
            let headers = HeaderMap::new();
            let call = Call {
                op,
                method: op.method,
                path_and_query: op.path,
                headers: &headers,
                params: &params,
                query: &query,
                body: &body,
            };
            let stateful = room.handle(&call);
            let is_stateful = stateful.is_some();
            let response = stateful.unwrap_or_else(|| {
                from_spec += 1;
                let (status, body) = spec.example_answer(op.id);
                let status = StatusCode::from_u16(status).unwrap();
                match body {
                    Some(body) => crate::wire::json(status, &body),
                    None => axum::response::IntoResponse::into_response(status),
                }
            });
            let status = response.status();
            let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
                .await
                .unwrap();
            assert_ne!(
                status,
                StatusCode::INTERNAL_SERVER_ERROR,
                "{vendor} {}: {}",
                op.id,
                String::from_utf8_lossy(&bytes)
            );
            if status.is_success() {
                if !bytes.is_empty() {
                    let mut answer: serde_json::Value = serde_json::from_slice(&bytes)
                        .unwrap_or_else(|_| panic!("{vendor} {}: not JSON", op.id));
                    // Examples are sent verbatim, and some vendor examples hold `null` for a
                    // field the spec types as a plain optional string (the generated types read it
                    // as absent): JSON Schema would call that a type error, OpenAPI 3.0 an omission.
                    crate::wire::strip_nulls(&mut answer);
                    if let Err(problem) = spec.check_answer(op.id, &answer) {
                        panic!(
                            "{vendor} {}: the answer breaks its schema: {problem}",
                            op.id
                        );
                    }
                }
            } else {
                assert!(
                    is_stateful && status.is_client_error() || status == StatusCode::OK,
                    "{vendor} {}: {status} from the spec",
                    op.id
                );
            }
        }
    }
    assert!(
        from_spec > 80,
        "{from_spec} operations answered from the spec"
    );
}
