//! One table row per rule: a small spec edit → the rule id, level and both judgments it must produce.
//! Then edits of the real specs, formatting-only rewrites, and the version arithmetic.

use super::*;
use serde_json::json;

/// A small spec with every construct the rules look at.
const TOY: &str = r##"
openapi: 3.0.3
info:
  title: Toy API
  version: v1
  description: A toy.
  x-provider: toy
servers:
  - url: https://sandbox.toy.example
    x-environment: sandbox
  - url: https://api.toy.example
    x-environment: production
paths:
  /users:
    post:
      operationId: create_user
      summary: Create a user.
      x-source: https://docs.toy.example/create-user
      x-confidence: confirmed
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/CreateUserRequest'
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/UserResponse'
              example: {"id": 1, "status": "active"}
        4XX:
          description: Error.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
  /users/{id}:
    get:
      operationId: get_user
      summary: Get a user.
      x-source: https://docs.toy.example/get-user
      x-confidence: inferred
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: integer
            format: int64
        - name: expand
          in: query
          required: false
          schema:
            type: string
            enum: [profile, documents]
      responses:
        '200':
          description: The user.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/UserResponse'
        4XX:
          description: Error.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ErrorResponse'
components:
  schemas:
    CreateUserRequest:
      type: object
      description: A new user.
      required: [name]
      properties:
        name:
          type: string
          format: pii
          description: Full name.
        nickname:
          type: string
          description: Nickname.
        kind:
          $ref: '#/components/schemas/UserKind'
        photo:
          type: string
          format: base64-document
          description: A photo.
    UserKind:
      type: string
      description: Kind of user.
      enum: [person, company]
    UserResponse:
      type: object
      description: A user.
      required: [id]
      properties:
        id:
          type: integer
          format: int64
          description: Id.
        nickname:
          type: string
          description: Nickname.
        email:
          type: string
          format: pii
          description: E-mail.
        status:
          $ref: '#/components/schemas/UserStatus'
        tags:
          type: array
          description: Tags.
          items:
            type: string
    UserStatus:
      type: string
      description: Status.
      enum: [active, blocked]
    ErrorResponse:
      type: object
      description: An error.
      properties:
        message:
          type: string
          description: Message.
    UserEvent:
      type: object
      description: A webhook.
      x-webhook-event: user.updated
      properties:
        status:
          $ref: '#/components/schemas/UserStatus'
"##;

fn toy() -> Value {
    serde_yaml_ng::from_str(TOY).unwrap()
}

fn at<'v>(v: &'v mut Value, pointer: &str) -> &'v mut Value {
    v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"))
}

fn obj(v: &mut Value) -> &mut Map<String, Value> {
    v.as_object_mut().unwrap()
}

const CREATE: &str = "/paths/~1users/post";
const GET: &str = "/paths/~1users~1{id}/get";
const REQ: &str = "/components/schemas/CreateUserRequest";
const RESP: &str = "/components/schemas/UserResponse";

type Edit = fn(&mut Value);

/// (name, edit, expected rule, level, wire, Rust API). The edit must produce exactly that one change.
#[allow(clippy::type_complexity)]
fn cases() -> Vec<(&'static str, Edit, &'static str, Level, Level, Level)> {
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
            B,
            A,
            B,
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
            B,
            A,
            B,
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
            "response-body-type-changed",
            B,
            B,
            B,
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
                obj(at(v, "/components/schemas/UserEvent")).remove("x-webhook-event");
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

#[test]
fn each_rule_on_a_small_spec_edit() {
    let base = toy();
    let mut failures = Vec::new();
    for (name, edit, rule, level, wire, rust_api) in cases() {
        let mut new = base.clone();
        edit(&mut new);
        let changes = compare(&base, &new);
        let got: Vec<_> = changes
            .iter()
            .map(|c| (c.rule, c.level(), c.wire, c.rust_api))
            .collect();
        if got != [(rule, level, wire, rust_api)] {
            failures.push(format!(
                "{name}: expected [{rule} {level:?} wire {wire:?} rust {rust_api:?}], got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_test_row() {
    let mut rows: BTreeSet<&str> = cases().iter().map(|c| c.2).collect();
    // Rows tested below, with their own bases.
    rows.extend([
        "api-removed-with-deprecation",
        "api-path-removed-with-deprecation",
        "request-body-became-required",
        "response-property-base64-document-removed",
    ]);
    let missing: Vec<_> = RULES
        .iter()
        .map(|r| r.0)
        .filter(|r| !rows.contains(r))
        .collect();
    assert!(missing.is_empty(), "rules without a test: {missing:?}");
}

#[test]
fn rules_with_their_own_base() {
    // Deprecated, then removed.
    let mut old = toy();
    at(&mut old, GET)["deprecated"] = json!(true);
    let mut new = old.clone();
    obj(at(&mut new, "/paths")).remove("/users/{id}");
    let rules: Vec<_> = compare(&old, &new).iter().map(|c| c.rule).collect();
    assert_eq!(rules, ["api-path-removed-with-deprecation"]);

    let mut new = old.clone();
    obj(at(&mut new, "/paths/~1users~1{id}")).insert(
        "delete".into(),
        json!({"operationId": "delete_user", "responses": {"204": {"description": "gone"}}}),
    );
    obj(at(&mut new, "/paths/~1users~1{id}")).remove("get");
    let got: Vec<_> = compare(&old, &new).iter().map(|c| c.rule).collect();
    assert_eq!(got, ["api-removed-with-deprecation", "endpoint-added"]);

    // An optional body becomes required.
    let mut old = toy();
    at(&mut old, &format!("{CREATE}/requestBody"))["required"] = json!(false);
    let new = toy();
    let c = compare(&old, &new);
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].rule, c[0].wire, c[0].rust_api),
        ("request-body-became-required", B, N)
    );

    // A base64 document in a response is no longer one.
    let mut old = toy();
    obj(at(&mut old, &format!("{RESP}/properties"))).insert(
        "scan".into(),
        json!({"type": "string", "format": "base64-document", "description": "x"}),
    );
    let mut new = old.clone();
    obj(at(&mut new, &format!("{RESP}/properties/scan"))).remove("format");
    let c = compare(&old, &new);
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].rule, c[0].level(), c[0].location.as_str()),
        (
            "response-property-base64-document-removed",
            B,
            "#/components/schemas/UserResponse/properties/scan/format"
        )
    );
}

#[test]
fn an_unknown_change_beside_a_known_one_is_still_reported() {
    let base = toy();
    let mut new = base.clone();
    at(&mut new, "/info")["version"] = json!("v2");
    at(&mut new, &format!("{RESP}/properties/tags"))["x-not-pii"] = json!(true);
    at(&mut new, GET)["x-rate-limit"] = json!(10);
    let got: Vec<_> = compare(&base, &new)
        .iter()
        .map(|c| (c.rule, c.location.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("api-info-version-changed", "#/info/version".to_owned()),
            (
                "unclassified-change",
                "#/paths/~1users~1{id}/get/x-rate-limit".to_owned()
            ),
            (
                "unclassified-change",
                "#/components/schemas/UserResponse/properties/tags/x-not-pii".to_owned()
            ),
        ]
    );
}

#[test]
fn a_change_names_its_operation_and_location() {
    let base = toy();
    let mut new = base.clone();
    obj(at(&mut new, &format!("{RESP}/properties"))).insert(
        "nickname2".into(),
        json!({"type": "string", "description": "x"}),
    );
    let c = compare(&base, &new);
    assert_eq!(c.len(), 1, "{c:?}");
    // Reported once, under the first operation (in spec order) that reaches the component.
    assert_eq!(c[0].operation.as_deref(), Some("create_user"));
    assert_eq!(c[0].method.as_deref(), Some("POST"));
    assert_eq!(c[0].path.as_deref(), Some("/users"));
    assert_eq!(
        c[0].location,
        "#/components/schemas/UserResponse/properties/nickname2"
    );
    assert_eq!(
        c[0].source.as_deref(),
        Some("https://docs.toy.example/create-user")
    );
    assert_eq!(
        c[0].message,
        "An optional response property `nickname2` of `UserResponse` was added."
    );
}

#[test]
fn several_changes_at_once_are_all_reported() {
    let base = toy();
    let mut new = base.clone();
    at(&mut new, "/components/schemas/UserStatus/enum")
        .as_array_mut()
        .unwrap()
        .push(json!("closed"));
    obj(at(&mut new, &format!("{REQ}/properties"))).remove("nickname");
    at(&mut new, "/info")["version"] = json!("v2");
    let mut rules: Vec<_> = compare(&base, &new).iter().map(|c| c.rule).collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            "api-info-version-changed",
            "request-property-removed",
            "response-property-enum-value-added"
        ]
    );
}

#[test]
fn formatting_key_order_and_quoting_are_not_changes() {
    let root = crate::workspace_root();
    for p in crate::PROVIDERS {
        let raw = std::fs::read_to_string(root.join(format!("specs/{}.yaml", p.name))).unwrap();
        let value: Value = serde_yaml_ng::from_str(&raw).unwrap();
        // Rewritten: different indentation, quoting, key order (serde_json's map sorts keys).
        let rewritten = serde_yaml_ng::to_string(&value).unwrap();
        assert_ne!(rewritten, raw);
        let again =
            parse_spec(rewritten.as_bytes(), "rewritten").unwrap_or_else(|e| panic!("{}", e.0));
        assert!(compare(&value, &again).is_empty(), "{}", p.name);
        // JSON is YAML too.
        let json = serde_json::to_string(&value).unwrap();
        let again = parse_spec(json.as_bytes(), "as JSON").unwrap_or_else(|e| panic!("{}", e.0));
        assert!(compare(&value, &again).is_empty(), "{}", p.name);
    }
}

fn real(provider: &str) -> Value {
    let root = crate::workspace_root();
    serde_yaml_ng::from_str(
        &std::fs::read_to_string(root.join(format!("specs/{provider}.yaml"))).unwrap(),
    )
    .unwrap()
}

fn only(changes: &[Change]) -> (&'static str, Level, Level, Level, &str) {
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    (c.rule, c.level(), c.wire, c.rust_api, c.location.as_str())
}

#[test]
fn edits_of_the_real_specs() {
    // Kriptomat adds a KYC status.
    let old = real("kriptomat");
    let mut new = old.clone();
    at(&mut new, "/components/schemas/KycStatus/enum")
        .as_array_mut()
        .unwrap()
        .push(json!("expired"));
    let changes = compare(&old, &new);
    assert_eq!(
        only(&changes),
        (
            "response-property-enum-value-added",
            A,
            A,
            A,
            "#/components/schemas/KycStatus/enum/6"
        )
    );
    assert_eq!(changes[0].enum_name.as_deref(), Some("KycStatus"));

    // Kriptomat's show-user answer gains an optional field.
    let mut new = old.clone();
    obj(at(&mut new, "/components/schemas/ShowUserData/properties")).insert(
        "risk_score".into(),
        json!({"type": "number", "description": "Inferred: risk score."}),
    );
    assert_eq!(
        only(&compare(&old, &new)),
        (
            "response-optional-property-added",
            A,
            A,
            A,
            "#/components/schemas/ShowUserData/properties/risk_score"
        )
    );

    // Crossmint: a description-only change is reported as docs.
    let old = real("crossmint");
    let mut new = old.clone();
    let first_schema = new["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    new["components"]["schemas"][&first_schema]["description"] = json!("Reworded.");
    let changes = compare(&old, &new);
    assert_eq!(only(&changes).0, "description-changed");
    assert_eq!(only(&changes).1, D);

    // Crossmint moves its production host.
    let mut new = old.clone();
    at(&mut new, "/servers/1")["url"] = json!("https://www.crossmint.io/api");
    assert_eq!(
        only(&compare(&old, &new)),
        ("api-server-url-changed", B, B, N, "#/servers/1/url")
    );

    // Leap: a personal field loses `format: pii` — never silent.
    let old = real("leap");
    let (schema, prop) = old["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .find_map(|(name, s)| {
            s.get("properties")?
                .as_object()?
                .iter()
                .find(|(_, p)| p.get("format").and_then(Value::as_str) == Some(PII))
                .map(|(p, _)| (name.clone(), p.clone()))
        })
        .unwrap();
    let mut new = old.clone();
    new["components"]["schemas"][&schema]["properties"][&prop]
        .as_object_mut()
        .unwrap()
        .remove("format");
    let changes = compare(&old, &new);
    let (rule, level, _, rust_api, _) = only(&changes);
    assert!(rule.ends_with("-property-pii-removed"), "{rule}");
    assert_eq!((level, rust_api), (B, B));
    assert!(
        changes[0].message.contains("no longer redacted"),
        "{}",
        changes[0].message
    );

    // CryptoPocket: a request gains a required field.
    let old = real("cryptopocket");
    let mut new = old.clone();
    let req = "/components/schemas/RegisterUserKycDelegatedRequest";
    obj(at(&mut new, &format!("{req}/properties"))).insert(
        "tax_id".into(),
        json!({"type": "string", "format": "pii", "description": "x"}),
    );
    let required = obj(at(&mut new, req))
        .entry("required")
        .or_insert(json!([]));
    required.as_array_mut().unwrap().push(json!("tax_id"));
    assert_eq!(
        only(&compare(&old, &new)).0,
        "new-required-request-property"
    );
}

#[test]
fn a_new_provider_is_all_additive() {
    let root = crate::workspace_root();
    let report = report(&root, "sumsub", None, &real("sumsub")).unwrap();
    assert!(report.new_provider);
    assert_eq!(report.level, A);
    assert!(report.changes.iter().any(|c| c.rule == "endpoint-added"));
    assert!(report.changes.iter().all(|c| c.level() <= A));
    assert_eq!(bump(&report.current, A).unwrap(), report.proposed);
}

#[test]
fn the_facade_mapping_to_review_is_named() {
    let root = crate::workspace_root();
    let found = facade_mappings(&root, "kriptomat", "KycStatus");
    assert!(
        found
            .iter()
            .any(|f| f.ends_with("providers/kriptomat/mod.rs: status()")
                && f.starts_with("crates/rampkit/src/")),
        "{found:?}"
    );
    // A type no facade code names.
    assert!(facade_mappings(&root, "kriptomat", "NoSuchType").is_empty());
    // `types::KycStatus` must not match `types::KycStatusWebhook`.
    assert!(!contains_type(
        "types::KycStatusWebhook",
        "types::KycStatus"
    ));
    assert!(contains_type(
        "use types::KycStatus as K;",
        "types::KycStatus"
    ));
}

#[test]
fn versions_follow_cargo_semver() {
    assert_eq!(bump("0.1.0", B).unwrap(), "0.2.0");
    assert_eq!(bump("0.1.3", A).unwrap(), "0.1.4");
    assert_eq!(bump("0.1.3", D).unwrap(), "0.1.4");
    assert_eq!(bump("0.1.3", N).unwrap(), "0.1.3");
    assert_eq!(bump("1.2.3", B).unwrap(), "2.0.0");
    assert_eq!(bump("1.2.3", A).unwrap(), "1.3.0");
    assert_eq!(bump("1.2.3", D).unwrap(), "1.2.4");
    assert!(bump("one", A).is_err());
}

#[test]
fn bad_specs_are_one_line_errors_naming_the_file() {
    let e = parse_spec(b"openapi: [unclosed", "specs/leap.yaml at HEAD")
        .unwrap_err()
        .0;
    assert!(
        e.starts_with("specs/leap.yaml at HEAD: invalid YAML"),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");
    let e = parse_spec(b"openapi: 3.0.3\ninfo: 7\n", "specs/leap.yaml")
        .unwrap_err()
        .0;
    assert!(
        e.starts_with("specs/leap.yaml: not an OpenAPI 3.0 document"),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");
}

#[test]
fn json_has_the_documented_shape() {
    let root = crate::workspace_root();
    let base = real("kriptomat");
    let mut new = base.clone();
    at(&mut new, "/components/schemas/KycStatus/enum")
        .as_array_mut()
        .unwrap()
        .push(json!("expired"));
    let reports = vec![
        report(&root, "kriptomat", Some(&base), &new).unwrap(),
        report(&root, "sumsub", Some(&real("sumsub")), &real("sumsub")).unwrap(),
    ];
    let text = render_json(&reports);
    // Field order as documented.
    let first = text.find("\"provider\"").unwrap();
    for key in [
        "\"crate\"",
        "\"current\"",
        "\"proposed\"",
        "\"level\"",
        "\"changes\"",
    ] {
        assert!(text[first..].find(key).is_some(), "{key}");
    }
    assert!(text.find("\"provider\"") < text.find("\"crate\""));
    let v: Value = serde_json::from_str(&text).unwrap();
    let k = &v["providers"][0];
    assert_eq!(k["provider"], "kriptomat");
    assert_eq!(k["crate"], "rampkit-kriptomat");
    assert_eq!(
        k["proposed"],
        bump(k["current"].as_str().unwrap(), A).unwrap()
    );
    assert_eq!(k["level"], "additive");
    let c = &k["changes"][0];
    assert_eq!(c["rule"], "response-property-enum-value-added");
    assert_eq!(c["wire"], "additive");
    assert_eq!(c["rust_api"], "additive");
    assert_eq!(c["operation"], "show_user");
    assert_eq!(c["method"], "GET");
    assert!(
        c["review"][0]
            .as_str()
            .unwrap()
            .ends_with("providers/kriptomat/mod.rs: status()"),
        "{c}"
    );
    assert!(
        k["facade"]["review"][0]
            .as_str()
            .unwrap()
            .contains("status()")
    );
    let s = &v["providers"][1];
    assert_eq!(s["level"], "none");
    assert_eq!(s["proposed"], s["current"]);
    assert_eq!(s["changes"], json!([]));
}
