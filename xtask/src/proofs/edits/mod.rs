//! The rule table's edits: one row per rule, a small edit of the toy spec that must produce exactly that
//! rule, with its level and both judgments. The diff's tests check the classification
//! (`diff/tests/rule_table.rs`); the proofs compile a consumer against the crate generated before and
//! after each edit (`proofs/mod.rs`).

use serde_json::{Map, Value, json};

use crate::diff::rules::Level;

mod requests;
mod responses;

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
    let mut rows = requests::rows();
    rows.extend(responses::rows());
    rows
}

/// The rules whose edit needs a base of its own (the toy with a first edit), as `(name, base, edit)`: for
/// the proofs, as
/// `rules_with_their_own_base` and `vendor_rules` test them in the diff's tests.
pub fn own_base() -> Vec<(&'static str, Edit, Edit)> {
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
        ("deprecated path removed", deprecated, |v| {
            obj(at(v, "/paths")).remove("/users/{id}");
        }),
        (
            "deprecated operation removed from a path that stays",
            deprecated,
            |v| {
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
        ),
        (
            "optional request body became required",
            |v| at(v, &format!("{CREATE}/requestBody"))["required"] = json!(false),
            |v| at(v, &format!("{CREATE}/requestBody"))["required"] = json!(true),
        ),
        ("response base64-document removed", scan, |v| {
            obj(at(v, &format!("{RESP}/properties/scan"))).remove("format");
        }),
        ("schema no operation uses changed", unused, |v| {
            at(v, "/components/schemas/Unused/properties/code")["type"] = json!("integer");
        }),
    ]
}
