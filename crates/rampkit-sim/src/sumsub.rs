//! SumSub (`/sumsub`): share tokens (JSON body and query forms) for Kriptomat's KYC import.
//!
//! - Auth: `X-App-Token` must be the configured app token, `X-App-Access-Ts` within one minute of now,
//!   and `X-App-Access-Sig` the hex HMAC-SHA256 (keyed with the secret key) of timestamp + method +
//!   path with query (as the client sent it, `/sumsub` prefix included) + body; else HTTP 401
//!   `{"code": 401, "correlationId", "description"}`.
//! - A share token is single-use and expires after `ttlInSecs` (1200 by default); Kriptomat's import
//!   accepts it only when addressed to the configured Kriptomat SumSub client id.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Query, State as AxumState};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::Response;
use hmac::{Hmac, Mac};
use rampkit_runtime::Pii;
use rampkit_sumsub::operations as ops;
use rampkit_sumsub::types;
use sha2::Sha256;

use crate::config::Vendor;
use crate::route;
use crate::state::{Shared, lock, random_id};
use crate::wire::{decode, json, ok};

const VENDOR: Vendor = Vendor::Sumsub;

struct ShareToken {
    applicant_id: String,
    for_client_id: String,
    expires: Instant,
}

/// SumSub's live share tokens.
#[derive(Default)]
pub struct State {
    tokens: HashMap<String, ShareToken>,
}

/// A SumSub error body.
pub fn error(status: StatusCode, description: &str) -> Response {
    json(
        status,
        &types::ErrorResponse {
            code: Some(i32::from(status.as_u16())),
            correlation_id: Some(random_id(24)),
            description: Some(description.to_owned()),
            ..Default::default()
        },
    )
}

fn verify(
    shared: &Shared,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Option<Response> {
    let unauthorized = |why: &str| error(StatusCode::UNAUTHORIZED, why);
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let credentials = &shared.config.credentials;
    if header("x-app-token") != Some(credentials.sumsub_app_token.as_str()) {
        return Some(unauthorized("App token is missing or invalid"));
    }
    let Some(ts) = header("x-app-access-ts").and_then(|t| t.parse::<u64>().ok()) else {
        return Some(unauthorized("X-App-Access-Ts is missing or invalid"));
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    if now.abs_diff(ts) > 60 {
        return Some(unauthorized(
            "Request timestamp is too far from the server time",
        ));
    }
    let Some(sent) = header("x-app-access-sig").and_then(|s| hex::decode(s).ok()) else {
        return Some(unauthorized("X-App-Access-Sig is missing or invalid"));
    };
    let path_with_query = uri
        .path_and_query()
        .map_or_else(|| uri.path().to_owned(), |p| p.as_str().to_owned());
    let mut mac = Hmac::<Sha256>::new_from_slice(credentials.sumsub_secret_key.as_bytes())
        .expect("HMAC takes keys of any length");
    mac.update(ts.to_string().as_bytes());
    mac.update(method.as_str().as_bytes());
    mac.update(path_with_query.as_bytes());
    mac.update(body);
    mac.verify_slice(&sent)
        .err()
        .map(|_| unauthorized("Request signature mismatch"))
}

pub fn router(shared: Arc<Shared>) -> Router {
    let r = Router::new();
    let r = route(r, &ops::GENERATE_SHARE_TOKEN, generate_share_token);
    let r = route(r, &ops::GENERATE_SHARE_TOKEN_BY_QUERY, generate_by_query);
    r.with_state(shared)
}

fn issue(
    shared: &Shared,
    applicant_id: String,
    for_client_id: String,
    ttl: Option<i32>,
) -> Response {
    if applicant_id.is_empty() || for_client_id.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "applicantId and forClientId are required",
        );
    }
    let ttl = u64::try_from(ttl.unwrap_or(1200)).unwrap_or(0);
    let token = format!(
        "_act-{}-{}-{}-{}-{}",
        random_id(8),
        random_id(4),
        random_id(4),
        random_id(4),
        random_id(12)
    );
    let mut state = lock(&shared.sumsub);
    let now = Instant::now();
    state.tokens.retain(|_, t| t.expires > now);
    state.tokens.insert(
        token.clone(),
        ShareToken {
            applicant_id,
            for_client_id: for_client_id.clone(),
            expires: now + Duration::from_secs(ttl),
        },
    );
    ok(&types::ShareTokenResponse {
        for_client_id,
        token: Pii::new(token),
    })
}

async fn generate_share_token(
    AxumState(shared): AxumState<Arc<Shared>>,
    OriginalUri(uri): OriginalUri,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared
        .counters
        .operation(VENDOR, ops::GENERATE_SHARE_TOKEN.id);
    if let Some(r) = verify(&shared, &method, &uri, &headers, &body) {
        return r;
    }
    let request: types::GenerateShareTokenRequest = match decode(&body) {
        Ok(r) => r,
        Err(problem) => return error(StatusCode::BAD_REQUEST, &problem),
    };
    issue(
        &shared,
        request.applicant_id,
        request.for_client_id,
        request.ttl_in_secs,
    )
}

async fn generate_by_query(
    AxumState(shared): AxumState<Arc<Shared>>,
    OriginalUri(uri): OriginalUri,
    method: Method,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    shared
        .counters
        .operation(VENDOR, ops::GENERATE_SHARE_TOKEN_BY_QUERY.id);
    if let Some(r) = verify(&shared, &method, &uri, &headers, &body) {
        return r;
    }
    let ttl = match query.get("ttlInSecs").map(|t| t.parse::<i32>()) {
        Some(Ok(ttl)) => Some(ttl),
        Some(Err(_)) => return error(StatusCode::BAD_REQUEST, "ttlInSecs: not an integer"),
        None => None,
    };
    issue(
        &shared,
        query.get("applicantId").cloned().unwrap_or_default(),
        query.get("forClientId").cloned().unwrap_or_default(),
        ttl,
    )
}

/// Why a share token cannot be imported.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenProblem {
    /// Unknown, already used or expired.
    Invalid,
    /// Addressed to another SumSub client.
    OtherClient,
}

/// Consumes `token` for an import by `client_id`: the applicant it shares.
pub fn redeem(shared: &Shared, token: &str, client_id: &str) -> Result<String, TokenProblem> {
    let mut state = lock(&shared.sumsub);
    let Some(share) = state.tokens.remove(token) else {
        return Err(TokenProblem::Invalid);
    };
    if share.expires <= Instant::now() {
        return Err(TokenProblem::Invalid);
    }
    if share.for_client_id != client_id {
        return Err(TokenProblem::OtherClient);
    }
    Ok(share.applicant_id)
}
