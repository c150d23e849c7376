//! The rules a real vendor change needed (Leap's partner_full file between two published commits): prose
//! anywhere is documentation, the order of a `required` list is no change, a schema nothing uses
//! changes nothing on the wire, type changes between enums name the values, and a chain of `$ref`s is
//! reported where the schema is. Each on a small hand-written spec pair shaped like that file
//! (tsoa-style aliases, `allOf` branches, schemas no operation uses).

use serde_json::{Value, json};

use super::{at, compare, obj};
use crate::diff::rules::Level::{Breaking as B, Docs as D, None as N};

const VENDOR: &str = r##"
openapi: 3.0.0
info:
  title: Vendor
  version: v1
paths:
  /cip/{id}:
    get:
      operationId: getCip
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: string
        - name: flow
          in: query
          required: true
          schema:
            $ref: '#/components/schemas/Flow'
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/CipInfo'
  /operations/{id}:
    get:
      operationId: getOperation
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/OperationEvent'
components:
  schemas:
    Flow:
      type: string
      enum: [ssn]
    CipInfo:
      $ref: '#/components/schemas/OmitCip'
      description: The CIP of a user.
    OmitCip:
      $ref: '#/components/schemas/PickCip'
    PickCip:
      type: object
      required: [level, status]
      properties:
        level:
          type: number
        status:
          type: string
    OperationEvent:
      type: object
      properties:
        operation:
          allOf:
            - $ref: '#/components/schemas/PickCip'
            - type: object
              properties:
                amount:
                  type: number
                  description: The amount.
    ReferenceCode:
      type: object
      description: A voucher no operation returns.
      required: [id]
      properties:
        id:
          type: string
          description: Its id.
"##;

fn vendor() -> Value {
    serde_yaml_ng::from_str(VENDOR).unwrap()
}

const SCHEMAS: &str = "/components/schemas";

/// `(rule, location)` of every change.
fn rules(old: &Value, new: &Value) -> Vec<(&'static str, String)> {
    compare(old, new)
        .into_iter()
        .map(|c| (c.rule, c.location))
        .collect()
}

#[test]
fn descriptions_anywhere_are_docs() {
    let old = vendor();
    let mut new = old.clone();
    // Inside an `allOf` branch, on an alias schema's own description, and in a schema nothing uses.
    at(
        &mut new,
        &format!("{SCHEMAS}/OperationEvent/properties/operation/allOf/1/properties/amount"),
    )["description"] = json!("The amount, in cents.");
    at(&mut new, &format!("{SCHEMAS}/CipInfo"))["description"] = json!("Reworded.");
    at(&mut new, &format!("{SCHEMAS}/ReferenceCode/properties/id"))["description"] = json!("Id.");
    let changes = compare(&old, &new);
    let got: Vec<_> = changes
        .iter()
        .map(|c| (c.rule, c.level(), c.location.as_str(), c.message.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "description-changed",
                D,
                "#/components/schemas/CipInfo/description",
                "The description of `CipInfo` changed."
            ),
            (
                "description-changed",
                D,
                "#/components/schemas/OperationEvent/properties/operation/allOf/1/properties/amount/description",
                "The description of property `amount` of `allOf` branch 1 of property `operation` of `OperationEvent` changed."
            ),
            (
                "description-changed",
                D,
                "#/components/schemas/ReferenceCode/properties/id/description",
                "The description of property `id` of `ReferenceCode` changed."
            ),
        ]
    );
}

#[test]
fn a_reordered_required_list_is_no_change() {
    let old = vendor();
    let mut new = old.clone();
    at(&mut new, &format!("{SCHEMAS}/PickCip"))["required"] = json!(["status", "level"]);
    assert_eq!(rules(&old, &new), []);
    // A property called `required` or `description` is a name, not a keyword: its change still counts.
    let mut old = vendor();
    obj(at(&mut old, &format!("{SCHEMAS}/ReferenceCode/properties")))
        .insert("description".into(), json!({"type": "string"}));
    let mut new = old.clone();
    at(
        &mut new,
        &format!("{SCHEMAS}/ReferenceCode/properties/description"),
    )["type"] = json!("number");
    assert_eq!(
        rules(&old, &new),
        [(
            "unused-schema-changed",
            "#/components/schemas/ReferenceCode".to_owned()
        )]
    );
}

#[test]
fn a_schema_nothing_uses_changes_nothing_on_the_wire() {
    let old = vendor();
    let mut new = old.clone();
    obj(at(&mut new, &format!("{SCHEMAS}/ReferenceCode/properties")))
        .insert("countryCode".into(), json!({"type": "string"}));
    at(&mut new, &format!("{SCHEMAS}/ReferenceCode"))["required"] = json!(["countryCode", "id"]);
    let changes = compare(&old, &new);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    assert_eq!(
        (c.rule, c.wire, c.rust_api, c.location.as_str()),
        (
            "unused-schema-changed",
            N,
            B,
            "#/components/schemas/ReferenceCode"
        )
    );
    assert_eq!(
        c.message,
        "`ReferenceCode` is used by no operation or webhook payload, so the wire is unaffected: property `countryCode` added; now required: `countryCode`. Its generated type changes."
    );

    // The same edit in a schema an operation reaches (through an `allOf` branch) is not "unused".
    let mut new = old.clone();
    obj(at(&mut new, &format!("{SCHEMAS}/PickCip/properties")))
        .insert("tier".into(), json!({"type": "string"}));
    let rules: Vec<_> = compare(&old, &new).iter().map(|c| c.rule).collect();
    assert_eq!(rules, ["response-optional-property-added"]);
}

#[test]
fn a_ref_chain_is_reported_where_the_schema_is() {
    let old = vendor();
    let mut new = old.clone();
    obj(at(&mut new, &format!("{SCHEMAS}/PickCip/properties"))).insert(
        "createdAt".into(),
        json!({"type": "string", "format": "date-time"}),
    );
    let changes = compare(&old, &new);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(
        changes[0].location,
        "#/components/schemas/PickCip/properties/createdAt"
    );
    assert_eq!(
        changes[0].message,
        "An optional response property `createdAt` of `PickCip` (through `CipInfo`) was added."
    );
}

#[test]
fn an_unchanged_named_parameter_type_is_no_change_and_enum_changes_name_the_values() {
    // The same `$ref` on both sides: nothing (this was reported as "`enum string` to `enum string`").
    let old = vendor();
    assert_eq!(rules(&old, &old.clone()), []);

    // The parameter moves to another enum: both names and the values that differ.
    let mut new = old.clone();
    obj(at(&mut new, SCHEMAS)).insert(
        "FlowV2".into(),
        json!({"type": "string", "enum": ["ssn", "passport"]}),
    );
    at(&mut new, "/paths/~1cip~1{id}/get/parameters/1/schema")["$ref"] =
        json!("#/components/schemas/FlowV2");
    let changes = compare(&old, &new);
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(changes[0].rule, "request-parameter-type-changed");
    assert_eq!(
        changes[0].message,
        "The type of the query parameter `flow` of GET /cip/{id} (getCip) changed from `Flow` to `FlowV2` (values added: `passport`)."
    );

    // Several values added and removed at once: one change per value, each naming it.
    let mut new = old.clone();
    at(&mut new, &format!("{SCHEMAS}/Flow"))["enum"] = json!(["passport", "dni"]);
    let mut got: Vec<_> = compare(&old, &new)
        .into_iter()
        .map(|c| (c.rule, c.message))
        .collect();
    got.sort();
    assert_eq!(
        got,
        [
            (
                "request-parameter-enum-value-added",
                "The query parameter `flow` of GET /cip/{id} (getCip) accepts a new value `dni`."
                    .to_owned()
            ),
            (
                "request-parameter-enum-value-added",
                "The query parameter `flow` of GET /cip/{id} (getCip) accepts a new value `passport`."
                    .to_owned()
            ),
            (
                "request-parameter-enum-value-removed",
                "The query parameter `flow` of GET /cip/{id} (getCip) no longer accepts `ssn`."
                    .to_owned()
            ),
        ]
    );
}
