//! The rows of operations, parameters and request bodies.

use serde_json::json;

use super::{CREATE, GET, REQ, Row, at, obj};
use crate::diff::rules::Level::{Additive as A, Breaking as B, Docs as D, None as N};

pub fn rows() -> Vec<Row> {
    vec![
        // Operations.
        (
            "operation added",
            |v| {
                let op = v.pointer(GET).unwrap().clone();
                let mut op = op;
                op["operationId"] = json!("get_user_v2");
                obj(at(v, "/paths")).insert("/v2/users/{id}".into(), json!({ "get": op }));
            },
            "endpoint-added",
            A,
            A,
            A,
        ),
        (
            "path changed",
            |v| {
                let item = obj(at(v, "/paths")).remove("/users/{id}").unwrap();
                obj(at(v, "/paths")).insert("/people/{id}".into(), item);
            },
            "api-operation-path-changed",
            B,
            B,
            N,
        ),
        (
            "path removed",
            |v| {
                obj(at(v, "/paths")).remove("/users/{id}");
            },
            "api-path-removed-without-deprecation",
            B,
            B,
            B,
        ),
        (
            "operation removed from a path that stays",
            |v| {
                obj(at(v, "/paths/~1users~1{id}")).remove("get");
                at(v, "/paths/~1users~1{id}")["summary"] = json!("Kept for other operations.");
            },
            "api-removed-without-deprecation",
            B,
            B,
            B,
        ),
        (
            "method changed",
            |v| {
                let op = obj(at(v, "/paths/~1users~1{id}")).remove("get").unwrap();
                obj(at(v, "/paths/~1users~1{id}")).insert("post".into(), op);
            },
            "api-operation-method-changed",
            B,
            B,
            N,
        ),
        (
            "operationId changed",
            |v| {
                at(v, GET)["operationId"] = json!("fetch_user");
            },
            "api-operation-id-changed",
            B,
            N,
            B,
        ),
        (
            "x-confidence changed",
            |v| {
                at(v, GET)["x-confidence"] = json!("confirmed");
            },
            "api-confidence-changed",
            D,
            D,
            D,
        ),
        (
            "x-source changed",
            |v| {
                at(v, GET)["x-source"] = json!("https://docs.toy.example/v2");
            },
            "api-source-changed",
            D,
            D,
            D,
        ),
        (
            "x-idempotent added",
            |v| {
                at(v, CREATE)["x-idempotent"] = json!(true);
            },
            "api-idempotency-changed",
            A,
            A,
            D,
        ),
        (
            "x-host added",
            |v| {
                at(v, CREATE)["x-host"] = json!("vault");
            },
            "api-host-changed",
            B,
            B,
            N,
        ),
        (
            "summary changed",
            |v| {
                at(v, GET)["summary"] = json!("Fetch a user.");
            },
            "api-summary-changed",
            D,
            D,
            D,
        ),
        (
            "operation description added",
            |v| {
                at(v, GET)["description"] = json!("More.");
            },
            "api-description-changed",
            D,
            D,
            D,
        ),
        // Parameters.
        (
            "required parameter added",
            |v| {
                at(v, &format!("{GET}/parameters"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!(
                {"name": "tenant", "in": "query", "required": true, "schema": {"type": "string"}}));
            },
            "new-required-request-parameter",
            B,
            B,
            B,
        ),
        (
            "optional parameter added",
            |v| {
                at(v, &format!("{GET}/parameters"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!(
                {"name": "locale", "in": "query", "schema": {"type": "string"}}));
            },
            "new-optional-request-parameter",
            A,
            A,
            A,
        ),
        (
            "parameter removed",
            |v| {
                at(v, &format!("{GET}/parameters"))
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            "request-parameter-removed",
            B,
            A,
            B,
        ),
        (
            "parameter became required",
            |v| {
                at(v, &format!("{GET}/parameters/1"))["required"] = json!(true);
            },
            "request-parameter-became-required",
            B,
            B,
            B,
        ),
        (
            "parameter became optional",
            |v| {
                at(v, &format!("{GET}/parameters/0"))["required"] = json!(false);
            },
            "request-parameter-became-optional",
            B,
            A,
            B,
        ),
        (
            "parameter type changed",
            |v| {
                at(v, &format!("{GET}/parameters/0/schema"))["type"] = json!("string");
            },
            "request-parameter-type-changed",
            B,
            B,
            B,
        ),
        (
            "parameter enum value added",
            |v| {
                at(v, &format!("{GET}/parameters/1/schema/enum"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("wallets"));
            },
            "request-parameter-enum-value-added",
            A,
            A,
            A,
        ),
        (
            "parameter enum value removed",
            |v| {
                at(v, &format!("{GET}/parameters/1/schema/enum"))
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            "request-parameter-enum-value-removed",
            B,
            B,
            B,
        ),
        (
            "parameter typed as an identifier",
            |v| {
                at(v, &format!("{GET}/parameters/0"))["x-identifier-type"] = json!("UserId");
            },
            "request-parameter-identifier-changed",
            B,
            N,
            B,
        ),
        (
            "parameter description",
            |v| {
                at(v, &format!("{GET}/parameters/0"))["description"] = json!("The id.");
            },
            "description-changed",
            D,
            D,
            D,
        ),
        // Request bodies.
        (
            "request body added (required)",
            |v| {
                at(v, GET)["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}});
            },
            "request-body-added-required",
            B,
            B,
            B,
        ),
        (
            "request body added (optional)",
            |v| {
                at(v, GET)["requestBody"] = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}});
            },
            "request-body-added-optional",
            B,
            A,
            B,
        ),
        (
            "request body removed",
            |v| {
                obj(at(v, CREATE)).remove("requestBody");
            },
            "request-body-removed",
            B,
            B,
            B,
        ),
        (
            "request body became optional",
            |v| {
                at(v, &format!("{CREATE}/requestBody"))["required"] = json!(false);
            },
            "request-body-became-optional",
            A,
            A,
            N,
        ),
        (
            "request schema replaced",
            |v| {
                at(
                    v,
                    &format!("{CREATE}/requestBody/content/application~1json/schema"),
                )["$ref"] = json!("#/components/schemas/ErrorResponse");
            },
            "request-body-type-changed",
            B,
            B,
            B,
        ),
        (
            "request property added (optional)",
            |v| {
                obj(at(v, &format!("{REQ}/properties"))).insert(
                    "locale".into(),
                    json!({"type": "string", "description": "x"}),
                );
            },
            "new-optional-request-property",
            A,
            A,
            A,
        ),
        (
            "request property added (required)",
            |v| {
                obj(at(v, &format!("{REQ}/properties"))).insert(
                    "locale".into(),
                    json!({"type": "string", "description": "x"}),
                );
                at(v, &format!("{REQ}/required"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("locale"));
            },
            "new-required-request-property",
            B,
            B,
            B,
        ),
        (
            "request property removed",
            |v| {
                obj(at(v, &format!("{REQ}/properties"))).remove("nickname");
            },
            "request-property-removed",
            B,
            B,
            B,
        ),
        (
            "request property became required",
            |v| {
                at(v, &format!("{REQ}/required"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("nickname"));
            },
            "request-property-became-required",
            B,
            B,
            B,
        ),
        (
            "request property became optional",
            |v| {
                at(v, REQ)["required"] = json!([]);
            },
            "request-property-became-optional",
            B,
            A,
            B,
        ),
        (
            "request property type changed",
            |v| {
                at(v, &format!("{REQ}/properties/nickname"))["type"] = json!("integer");
            },
            "request-property-type-changed",
            B,
            B,
            B,
        ),
        (
            "request enum value added",
            |v| {
                at(v, "/components/schemas/UserKind/enum")
                    .as_array_mut()
                    .unwrap()
                    .push(json!("trust"));
            },
            "request-property-enum-value-added",
            A,
            A,
            A,
        ),
        (
            "request enum value removed",
            |v| {
                at(v, "/components/schemas/UserKind/enum")
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            "request-property-enum-value-removed",
            B,
            B,
            B,
        ),
        (
            "request pii added",
            |v| {
                at(v, &format!("{REQ}/properties/nickname"))["format"] = json!("pii");
            },
            "request-property-pii-added",
            B,
            N,
            B,
        ),
        (
            "request pii removed",
            |v| {
                obj(at(v, &format!("{REQ}/properties/name"))).remove("format");
            },
            "request-property-pii-removed",
            B,
            N,
            B,
        ),
        (
            "request base64-document added",
            |v| {
                at(v, &format!("{REQ}/properties/nickname"))["format"] = json!("base64-document");
            },
            "request-property-base64-document-added",
            B,
            N,
            B,
        ),
        (
            "request base64-document removed",
            |v| {
                obj(at(v, &format!("{REQ}/properties/photo"))).remove("format");
            },
            "request-property-base64-document-removed",
            B,
            N,
            B,
        ),
        (
            "request property description",
            |v| {
                at(v, &format!("{REQ}/properties/name"))["description"] = json!("Legal name.");
            },
            "description-changed",
            D,
            D,
            D,
        ),
        (
            "request example added",
            |v| {
                at(
                    v,
                    &format!("{CREATE}/requestBody/content/application~1json"),
                )["example"] = json!({"name": "x"});
            },
            "example-changed",
            D,
            D,
            D,
        ),
    ]
}
