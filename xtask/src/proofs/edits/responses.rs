//! The rows of responses, webhooks and the document (servers, info).

use serde_json::json;

use super::{CREATE, GET, REQ, RESP, Row, at, obj};
use crate::diff::rules::Level::{Additive as A, Breaking as B, Docs as D, None as N};

pub fn rows() -> Vec<Row> {
    vec![
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
            "optional response property becomes nullable",
            |v| {
                at(v, &format!("{RESP}/properties/nickname"))["nullable"] = json!(true);
            },
            "optional-property-nullable-changed",
            D,
            D,
            D,
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
