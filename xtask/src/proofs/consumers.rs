//! The consumers of the proofs: for each row of the rule table (and each rule with a base of its own),
//! code a user writes against the toy crate *before* the edit, using what the edit touches the way
//! callers do: calling the method, building the request, reading or matching the answer. Each is a
//! crate of its own (`lib.rs`), never run, only compiled.

/// Calls `get_user` as callers do and reads the answer.
const GET_USER: &str = r#"
pub async fn get(c: &toy::Client) -> Result<i64, toy::Error> {
    Ok(c.get_user(1).await?.into_inner().id)
}"#;

/// Calls `get_user` with its optional `expand` parameter.
const GET_USER_EXPANDED: &str = r#"
pub async fn get(c: &toy::Client) -> Result<i64, toy::Error> {
    let user = c.get_user(1).expand(toy::types::GetUserExpand::Profile).await?;
    Ok(user.into_inner().id)
}"#;

/// Builds a request as callers do and sends it.
const CREATE_USER: &str = r#"
pub async fn create(c: &toy::Client) -> Result<i64, toy::Error> {
    let request = toy::types::CreateUserRequest::new("Ana Ruiz").with_nickname("ana");
    Ok(c.create_user(&request).await?.into_inner().id)
}"#;

/// Reads an answer's fields as callers do.
const READ_USER: &str = r#"
pub fn read(u: &toy::types::UserResponse) -> (i64, Option<&String>, &Vec<String>) {
    (u.id, u.nickname.as_ref(), &u.tags)
}"#;

/// The consumer of the proof named `name`.
pub fn consumer(name: &str) -> Option<&'static str> {
    Some(match name {
        // Operations.
        "operation added"
        | "path changed"
        | "path removed"
        | "operation removed from a path that stays"
        | "method changed"
        | "operationId changed"
        | "summary changed"
        | "operation description added"
        | "deprecated path removed"
        | "deprecated operation removed from a path that stays" => GET_USER,
        "x-confidence changed" | "x-source changed" => {
            r#"
pub async fn get(c: &toy::Client) -> Result<i64, toy::Error> {
    let _ = (toy::operations::GET_USER.confidence, toy::operations::GET_USER.source);
    Ok(c.get_user(1).await?.into_inner().id)
}"#
        }
        "x-idempotent added" | "x-host added" => CREATE_USER,
        // Parameters.
        "parameter became optional" => {
            r#"
pub async fn get(c: &toy::Client) -> Result<i64, toy::Error> {
    let user = c.get_user(1, toy::types::GetUserExpand::Profile).await?;
    Ok(user.into_inner().id)
}"#
        }
        "required parameter added"
        | "optional parameter added"
        | "parameter removed"
        | "parameter became required"
        | "parameter enum value added"
        | "parameter type changed"
        | "parameter description" => GET_USER_EXPANDED,
        "parameter enum value removed" => {
            r#"
pub async fn get(c: &toy::Client) -> Result<i64, toy::Error> {
    let user = c.get_user(1).expand(toy::types::GetUserExpand::Documents).await?;
    Ok(user.into_inner().id)
}"#
        }
        "parameter typed as an identifier" => {
            r#"
pub async fn get(c: &toy::Client) -> Result<i64, toy::Error> {
    Ok(c.get_user("u-1").await?.into_inner().id)
}"#
        }
        // Request bodies.
        "request body added (required)" | "request body added (optional)" => GET_USER,
        "request body removed"
        | "request body became optional"
        | "request schema replaced"
        | "request property added (optional)"
        | "request property added (required)"
        | "request property removed"
        | "request property became required"
        | "request property became optional"
        | "request property type changed"
        | "request property description"
        | "request example added"
        | "optional request body became required" => CREATE_USER,
        "request enum value added" => {
            r#"
pub fn request(company: bool) -> toy::types::CreateUserRequest {
    let kind = if company { toy::types::UserKind::Company } else { toy::types::UserKind::Person };
    toy::types::CreateUserRequest::new("Ana Ruiz").with_kind(kind)
}
pub fn word(kind: &toy::types::UserKind) -> &'static str {
    match kind {
        toy::types::UserKind::Person => "person",
        _ => "other",
    }
}"#
        }
        "request enum value removed" => {
            r#"
pub fn request() -> toy::types::CreateUserRequest {
    toy::types::CreateUserRequest::new("Acme").with_kind(toy::types::UserKind::Company)
}"#
        }
        // A caller reads back what it built (to log a redacted copy, to compare).
        "request pii added" | "request base64-document added" => {
            r#"
pub fn nickname(r: &toy::types::CreateUserRequest) -> Option<&String> {
    r.nickname.as_ref()
}"#
        }
        "request pii removed" => {
            r#"
pub fn name(r: &toy::types::CreateUserRequest) -> &str {
    r.name.expose_str()
}"#
        }
        "request base64-document removed" => {
            r#"
pub fn request(scan: Vec<u8>) -> toy::types::CreateUserRequest {
    toy::types::CreateUserRequest::new("Ana Ruiz").with_photo(toy::Base64Document::plain(scan))
}"#
        }
        // Responses.
        "success status added"
        | "success status removed"
        | "error status added"
        | "error status removed"
        | "response example changed" => CREATE_USER,
        "success schema replaced" => GET_USER,
        "error schema replaced" => {
            r#"
pub async fn message(c: &toy::Client) -> Option<String> {
    let error = c.get_user(1).await.err()?;
    error.vendor_body::<toy::types::ErrorResponse>()?.message
}"#
        }
        "response property added (optional)"
        | "response property added (required)"
        | "response optional property removed"
        | "response required property removed"
        | "response array item type changed"
        | "schema description changed" => READ_USER,
        "response property became optional" | "response property type changed" => {
            r#"
pub fn id(u: &toy::types::UserResponse) -> i64 {
    u.id
}"#
        }
        "response property became required"
        | "optional response property becomes nullable"
        | "response pii added"
        | "response base64-document added" => {
            r#"
pub fn nickname(u: &toy::types::UserResponse) -> Option<String> {
    u.nickname.clone()
}"#
        }
        "response enum value added" => {
            r#"
pub fn word(u: &toy::types::UserResponse) -> &str {
    match &u.status {
        Some(toy::types::UserStatus::Active) => "active",
        Some(toy::types::UserStatus::Unknown(raw)) => raw,
        Some(_) => "other",
        None => "none",
    }
}"#
        }
        "response enum value removed" => {
            r#"
pub fn blocked(u: &toy::types::UserResponse) -> bool {
    matches!(u.status, Some(toy::types::UserStatus::Blocked))
}"#
        }
        "response pii removed" => {
            r#"
pub fn email(u: &toy::types::UserResponse) -> Option<&str> {
    u.email.as_ref().map(|e| e.expose_str())
}"#
        }
        "response base64-document removed" => {
            r#"
pub fn scan(u: &toy::types::UserResponse) -> Option<&toy::Base64Document> {
    u.scan.as_ref()
}"#
        }
        "webhook added" | "webhook removed" => {
            r#"
pub fn status(body: &[u8]) -> Option<toy::types::UserStatus> {
    serde_json::from_slice::<toy::types::UserEvent>(body).ok()?.status
}"#
        }
        // A schema no operation uses is still a public type a caller may build.
        "schema no operation uses changed" => {
            r#"
pub fn unused() -> toy::types::Unused {
    toy::types::Unused { code: Some("x".to_owned()) }
}"#
        }
        // The document.
        "server added" | "server removed" => {
            r#"
pub fn client() -> Result<toy::Client, toy::Error> {
    let _ = toy::SANDBOX_URL;
    toy::Client::for_environment(toy::Environment::Sandbox, toy::auth::ToyAuth)
}"#
        }
        "server url changed" => {
            r#"
pub fn client() -> Result<toy::Client, toy::Error> {
    toy::Client::for_environment(toy::Environment::Production, toy::auth::ToyAuth)
}"#
        }
        "info.version changed" | "info.description changed" => {
            r#"
pub fn version() -> &'static str {
    toy::API_VERSION
}"#
        }
        "an extension no rule knows" => CREATE_USER,
        _ => return None,
    })
}
