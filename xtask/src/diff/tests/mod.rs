//! The diff's tests: one table row per rule (a small spec edit → the rule id, level and both judgments
//! it must produce), the engine on combined and real-spec edits and formatting-only rewrites, and the
//! reports (new providers, facade mappings, versions, input errors, the JSON shape).

mod engine;
mod report;
mod rule_table;
mod vendor_rules;

use serde_json::{Map, Value};

use crate::diff::change::Change;
use crate::diff::engine::Options;
use crate::diff::rules::Level;

/// The engine with default options, as `cargo xtask diff` runs it between two revisions.
fn compare(old: &Value, new: &Value) -> Vec<Change> {
    crate::diff::engine::compare(old, new, &Options::default())
}

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

fn real(provider: &str) -> Value {
    let root = crate::workspace::workspace_root();
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
