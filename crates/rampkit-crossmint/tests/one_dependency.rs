//! What a service that adds `rampkit-crossmint` alone can do: build a client from the environment,
//! call it and match on the error kind — with nothing imported from another rampkit crate.

use rampkit_crossmint::{
    Client, Context, CrossmintAuth, Environment, ErrorKind, RetryPolicy, UserLocator,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback server answering every request with Crossmint's 404 body.
async fn not_found_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let body = r#"{"error":true,"message":"User not found"}"#;
            let answer = format!(
                "HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    url
}

#[tokio::test]
async fn one_dependency_builds_calls_and_matches_the_error_kind() {
    // The sandbox exists for this provider.
    assert!(Client::for_environment(
        Environment::Sandbox,
        CrossmintAuth::new("sk_staging_x".to_owned())
    )
    .is_ok());
    let url = not_found_server().await;
    let context =
        Context::new(CrossmintAuth::new("sk_staging_x".to_owned())).with_retry(RetryPolicy::none());
    let client = Client::for_environment(Environment::Custom(url), context).unwrap();
    let error = client
        .get_user(&UserLocator::user_id("nobody"))
        .await
        .unwrap_err();
    match error.kind() {
        ErrorKind::NotFound => {}
        other => panic!("expected NotFound, got {other:?}: {error}"),
    }
    assert_eq!(error.status(), Some(404));
}
