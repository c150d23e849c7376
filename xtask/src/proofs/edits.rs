//! The rule table's edits: one row per rule, a small edit of the toy spec that must produce exactly that
//! rule, with its level and both judgments. The diff's tests check the classification
//! (`diff/tests/rule_table.rs`); the proofs compile a consumer against the crate generated before and
//! after each edit (`proofs/mod.rs`).

use serde_json::{Map, Value, json};

use crate::diff::rules::Level;
use crate::diff::rules::Level::{Additive as A, Breaking as B, Docs as D, None as N};

/// An edit of the toy spec.
pub type Edit = fn(&mut Value);

/// (name, edit, expected rule, level, wire, Rust API).
pub type Row = (&'static str, Edit, &'static str, Level, Level, Level);

pub const CREATE: &str = "/paths/~1users/post";
pub const GET: &str = "/paths/~1users~1{id}/get";
pub const REQ: &str = "/components/schemas/CreateUserRequest";
pub const RESP: &str = "/components/schemas/UserResponse";

/// The value at a JSON pointer of the spec (the edits' pointers exist in the toy).
pub fn at<'v>(v: &'v mut Value, pointer: &str) -> &'v mut Value {
    v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"))
}

/// The object `v` is.
pub fn obj(v: &mut Value) -> &mut Map<String, Value> {
    v.as_object_mut().expect("an object")
}

/// The rows. The edit must produce exactly that one change.
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
        // Responses.
        (
            "success status added",
            |v| {
                let ok = v
                    .pointer(&format!("{CREATE}/responses/201"))
                    .unwrap()
                    .clone();
                obj(at(v, &format!("{CREATE}/responses"))).insert("200".into(), ok);
            },
            "response-success-status-added",
            A,
            A,
            N,
        ),
        (
            "success status removed",
            |v| {
                obj(at(v, &format!("{CREATE}/responses"))).remove("201");
            },
            "response-success-status-removed",
            B,
            B,
            B,
        ),
        (
            "error status added",
            |v| {
                let e = v
                    .pointer(&format!("{CREATE}/responses/4XX"))
                    .unwrap()
                    .clone();
                obj(at(v, &format!("{CREATE}/responses"))).insert("5XX".into(), e);
            },
            "response-non-success-status-added",
            A,
            A,
            N,
        ),
        (
            "error status removed",
            |v| {
                obj(at(v, &format!("{CREATE}/responses"))).remove("4XX");
            },
            "response-non-success-status-removed",
            A,
            A,
            N,
        ),
        (
            "success schema replaced",
            |v| {
                at(
                    v,
                    &format!("{GET}/responses/200/content/application~1json/schema"),
                )["$ref"] = json!("#/components/schemas/ErrorResponse");
            },
            "response-body-type-changed",
            B,
            B,
            B,
        ),
        (
            "error schema replaced",
            |v| {
                at(
                    v,
                    &format!("{GET}/responses/4XX/content/application~1json/schema"),
                )["$ref"] = json!("#/components/schemas/UserResponse");
            },
            "response-error-body-type-changed",
            B,
            B,
            N,
        ),
        (
            "response property added (optional)",
            |v| {
                obj(at(v, &format!("{RESP}/properties"))).insert(
                    "locale".into(),
                    json!({"type": "string", "description": "x"}),
                );
            },
            "response-optional-property-added",
            A,
            A,
            A,
        ),
        (
            "response property added (required)",
            |v| {
                obj(at(v, &format!("{RESP}/properties"))).insert(
                    "locale".into(),
                    json!({"type": "string", "description": "x"}),
                );
                at(v, &format!("{RESP}/required"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("locale"));
            },
            "response-required-property-added",
            A,
            A,
            A,
        ),
        (
            "response optional property removed",
            |v| {
                obj(at(v, &format!("{RESP}/properties"))).remove("nickname");
            },
            "response-optional-property-removed",
            B,
            A,
            B,
        ),
        (
            "response required property removed",
            |v| {
                obj(at(v, &format!("{RESP}/properties"))).remove("id");
                at(v, RESP)["required"] = json!([]);
            },
            "response-required-property-removed",
            B,
            B,
            B,
        ),
        (
            "response property became optional",
            |v| {
                at(v, RESP)["required"] = json!([]);
            },
            "response-property-became-optional",
            B,
            B,
            B,
        ),
        (
            "response property became required",
            |v| {
                at(v, &format!("{RESP}/required"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("nickname"));
            },
            "response-property-became-required",
            B,
            A,
            B,
        ),
        (
            "response property type changed",
            |v| {
                at(v, &format!("{RESP}/properties/id"))["type"] = json!("string");
            },
            "response-property-type-changed",
            B,
            B,
            B,
        ),
        (
            "response array item type changed",
            |v| {
                at(v, &format!("{RESP}/properties/tags/items"))["type"] = json!("integer");
            },
            "response-property-type-changed",
            B,
            B,
            B,
        ),
        (
            "response enum value added",
            |v| {
                at(v, "/components/schemas/UserStatus/enum")
                    .as_array_mut()
                    .unwrap()
                    .push(json!("closed"));
            },
            "response-property-enum-value-added",
            A,
            A,
            A,
        ),
        (
            "response enum value removed",
            |v| {
                at(v, "/components/schemas/UserStatus/enum")
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            "response-property-enum-value-removed",
            B,
            A,
            B,
        ),
        (
            "response pii added",
            |v| {
                at(v, &format!("{RESP}/properties/nickname"))["format"] = json!("pii");
            },
            "response-property-pii-added",
            B,
            N,
            B,
        ),
        (
            "response pii removed",
            |v| {
                obj(at(v, &format!("{RESP}/properties/email"))).remove("format");
            },
            "response-property-pii-removed",
            B,
            N,
            B,
        ),
        (
            "response base64-document added",
            |v| {
                at(v, &format!("{RESP}/properties/nickname"))["format"] = json!("base64-document");
            },
            "response-property-base64-document-added",
            B,
            N,
            B,
        ),
        (
            "response example changed",
            |v| {
                at(
                    v,
                    &format!("{CREATE}/responses/201/content/application~1json"),
                )["example"] = json!({"id": 2});
            },
            "example-changed",
            D,
            D,
            D,
        ),
        (
            "schema description changed",
            |v| {
                at(v, RESP)["description"] = json!("The user.");
            },
            "description-changed",
            D,
            D,
            D,
        ),
        (
            "webhook added",
            |v| {
                obj(at(v, "/components/schemas")).insert(
                    "UserDeleted".into(),
                    json!({"type": "object", "x-webhook-event": "user.deleted", "properties": {}}),
                );
            },
            "webhook-event-added",
            A,
            A,
            A,
        ),
        (
            "webhook removed",
            |v| {
                obj(at(v, "/components/schemas")).remove("UserEvent");
            },
            "webhook-event-removed",
            B,
            B,
            B,
        ),
        // The document.
        (
            "server added",
            |v| {
                at(v, "/servers").as_array_mut().unwrap().push(json!({"url": "https://vault.toy.example", "x-environment": "production", "x-host": "vault"}));
            },
            "api-server-added",
            A,
            A,
            A,
        ),
        (
            "server removed",
            |v| {
                at(v, "/servers").as_array_mut().unwrap().remove(0);
            },
            "api-server-removed",
            B,
            B,
            B,
        ),
        (
            "server url changed",
            |v| {
                at(v, "/servers/1")["url"] = json!("https://api2.toy.example");
            },
            "api-server-url-changed",
            B,
            B,
            N,
        ),
        (
            "info.version changed",
            |v| {
                at(v, "/info")["version"] = json!("v2");
            },
            "api-info-version-changed",
            D,
            D,
            D,
        ),
        (
            "info.description changed",
            |v| {
                at(v, "/info")["description"] = json!("A bigger toy.");
            },
            "description-changed",
            D,
            D,
            D,
        ),
        (
            "an extension no rule knows",
            |v| {
                at(v, &format!("{REQ}/properties/photo"))["x-data-uri"] = json!(true);
            },
            "unclassified-change",
            B,
            B,
            B,
        ),
    ]
}

/// The rules whose edit needs a base of its own (the toy with a first edit): for the proofs, as
/// `rules_with_their_own_base` and `vendor_rules` test them in the diff's tests.
pub fn own_base() -> Vec<super::Proof> {
    fn deprecated(v: &mut Value) {
        at(v, GET)["deprecated"] = json!(true);
    }
    fn unused(v: &mut Value) {
        obj(at(v, "/components/schemas")).insert(
            "Unused".into(),
            json!({"type": "object", "description": "Nothing uses it.",
                   "properties": {"code": {"type": "string", "description": "A code."}}}),
        );
    }
    fn scan(v: &mut Value) {
        obj(at(v, &format!("{RESP}/properties"))).insert(
            "scan".into(),
            json!({"type": "string", "format": "base64-document", "description": "x"}),
        );
    }
    vec![
        super::Proof {
            name: "deprecated path removed",
            base: Some(deprecated),
            edit: |v| {
                obj(at(v, "/paths")).remove("/users/{id}");
            },
        },
        super::Proof {
            name: "deprecated operation removed from a path that stays",
            base: Some(deprecated),
            edit: |v| {
                obj(at(v, "/paths/~1users~1{id}")).insert(
                    "delete".into(),
                    json!({"operationId": "delete_user", "summary": "Delete a user.",
                           "x-source": "https://docs.toy.example/delete-user",
                           "x-confidence": "inferred",
                           "parameters": [{"name": "id", "in": "path", "required": true,
                                           "schema": {"type": "integer", "format": "int64"}}],
                           "responses": {"204": {"description": "Gone."},
                                         "4XX": {"description": "Error.", "content": {"application/json":
                                             {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}}}}),
                );
                obj(at(v, "/paths/~1users~1{id}")).remove("get");
            },
        },
        super::Proof {
            name: "optional request body became required",
            base: Some(|v| at(v, &format!("{CREATE}/requestBody"))["required"] = json!(false)),
            edit: |v| at(v, &format!("{CREATE}/requestBody"))["required"] = json!(true),
        },
        super::Proof {
            name: "response base64-document removed",
            base: Some(scan),
            edit: |v| {
                obj(at(v, &format!("{RESP}/properties/scan"))).remove("format");
            },
        },
        super::Proof {
            name: "schema no operation uses changed",
            base: Some(unused),
            edit: |v| {
                at(v, "/components/schemas/Unused/properties/code")["type"] = json!("integer");
            },
        },
    ]
}
