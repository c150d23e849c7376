//! A minimal local HTTP/1.1 server for the benchmarks (issue 14): hyper on one thread, answering every
//! request with one fixed JSON body after reading (and discarding) the request body.
//!
//! It runs as its own process so that its CPU time and memory are not counted in the bench's: the bench
//! starts it, reads the base URL from its first line of output, and stops it by closing its stdin.
//!
//! Usage: `bench-server <response-json> [--delay-ms N]` — `--delay-ms` holds every answer for N
//! milliseconds (for measuring the memory of calls in flight).

use std::convert::Infallible;
use std::io::{BufRead, Write};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;

fn main() {
    let mut args = std::env::args().skip(1);
    let body = Bytes::from(
        args.next()
            .expect("usage: bench-server <response-json> [--delay-ms N]"),
    );
    let mut delay = Duration::ZERO;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--delay-ms" => {
                delay = Duration::from_millis(
                    args.next()
                        .and_then(|v| v.parse().ok())
                        .expect("--delay-ms N"),
                )
            }
            other => panic!("unknown argument {other}"),
        }
    }
    // Exit when the bench closes our stdin (or dies).
    std::thread::spawn(|| {
        for _ in std::io::stdin().lock().lines() {}
        std::process::exit(0);
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        println!("http://{}", listener.local_addr().unwrap());
        std::io::stdout().flush().unwrap();
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let body = body.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request: Request<Incoming>| {
                    let body = body.clone();
                    async move {
                        let mut incoming = request.into_body();
                        while let Some(frame) = incoming.frame().await {
                            if frame.is_err() {
                                break;
                            }
                        }
                        if !delay.is_zero() {
                            tokio::time::sleep(delay).await;
                        }
                        let mut response = Response::new(Full::new(body));
                        response.headers_mut().insert(
                            hyper::header::CONTENT_TYPE,
                            hyper::header::HeaderValue::from_static("application/json"),
                        );
                        Ok::<_, Infallible>(response)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
}
