//! Budget (issue 14): a delegated-KYC request with four 5 MiB images, sent to a local server that
//! reads and discards the body —
//! peak live heap at most 1.1× the image bytes (the images themselves included), and the time from
//! start to the last byte received at most 1.0× a plain base64 encode of the same bytes plus sending
//! them over loopback with a hand-written `reqwest` call.
//!
//! Three ways of sending the same registration, side by side in one run (alternating order):
//! - **streamed** — the facade converts the customer (`RegisterUserKycDelegatedRequest::try_from`: the
//!   images shared as `Bytes`, not copied) and the generated client sends it; `to_json_body` streams
//!   each image's base64 as the connection takes it, with an exact `Content-Length`;
//! - **buffered** — the same request written whole into one buffer of the exact size first
//!   (`JsonBody::to_vec`, what the client sent before issue 14) and sent by `reqwest`;
//! - **plain** — the floor of a buffered body: the four images base64-encoded straight into one buffer
//!   with the JSON punctuation around them, sent by a hand-written `reqwest` call.
//!
//! The server (`bench-server`, hyper) runs as a child process, so its memory and CPU are not counted.
//! Peak live heap is measured by a counting global allocator from just before the call (the images
//! already in memory) to its answer, plus the image bytes. Time: start → the server's answer (it
//! answers right after the last byte).
//! Run: `cargo bench -p rampkit-tests --bench delegated_kyc_body`. Numbers go in docs/benchmarks.md.

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use rampkit::{Customer, Image};
use rampkit_cryptopocket::types::RegisterUserKycDelegatedRequest;
use rampkit_tests::bench::{self, Counting, Server};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const IMAGE: usize = 5 * 1024 * 1024;
const RUNS: usize = 15;

/// A response of the vendor's shape (https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0).
const RESPONSE: &str = r#"{"status":"ok","data":{"id":100003754,"email":"juan.perez.kyc.test@example.com","name":"Juan","last_name":"Perez","kyc_valid":true}}"#;

fn image(seed: u8) -> Bytes {
    // JPEG start + pseudo-random payload (incompressible, like a photo).
    let mut v = vec![0xff, 0xd8, 0xff, 0xe0];
    let mut x = seed as u32 | 1;
    v.extend((4..IMAGE).map(|_| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x as u8
    }));
    Bytes::from(v)
}

/// The Spanish DNI fixture customer with its four images replaced by 5 MiB ones.
fn customer(images: &[Bytes; 4]) -> Customer {
    let path = rampkit_tests::workspace_root().join("tests/fixtures/customers/person_es_dni.json");
    let mut customer = Customer::from_json(std::fs::read_to_string(path).unwrap()).unwrap();
    let person = customer.as_person_mut().unwrap();
    let document = person.identity_document.as_mut().unwrap();
    document.front_image = Some(Image::new(images[0].clone()));
    document.back_image = Some(Image::new(images[1].clone()));
    let biometrics = person.biometrics.as_mut().unwrap();
    biometrics.face = Some(Image::new(images[2].clone()));
    biometrics.liveness = Some(Image::new(images[3].clone()));
    customer
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Way {
    Streamed,
    Buffered,
    Plain,
}

struct Bench {
    client: rampkit_cryptopocket::Client,
    http: reqwest::Client,
    url: String,
    customer: Customer,
    images: [Bytes; 4],
}

impl Bench {
    /// Sends the registration one way; returns the length of a buffered body (0 when streamed).
    async fn send(&self, way: Way) -> usize {
        match way {
            Way::Streamed => {
                let request = RegisterUserKycDelegatedRequest::try_from(&self.customer).unwrap();
                let answer = self
                    .client
                    .register_user_kyc_delegated(&request)
                    .await
                    .unwrap();
                assert!(answer.into_inner().data.is_some());
                0
            }
            Way::Buffered => {
                let request = RegisterUserKycDelegatedRequest::try_from(&self.customer).unwrap();
                let body = rampkit_runtime::to_json_body(&request).unwrap().to_vec();
                self.post(body).await
            }
            Way::Plain => {
                // The floor of a buffered body: encode each image straight into one buffer of the
                // final size, with the JSON punctuation around them.
                let encoded: usize = self.images.iter().map(|i| i.len().div_ceil(3) * 4).sum();
                let mut body = Vec::with_capacity(encoded + 200);
                body.extend_from_slice(br#"{"type":"PERSON""#);
                for (name, image) in ["front", "back", "face", "liveness"]
                    .iter()
                    .zip(&self.images)
                {
                    body.extend_from_slice(
                        format!(r#","{name}":"data:image/jpeg;base64,"#).as_bytes(),
                    );
                    let start = body.len();
                    body.resize(start + image.len().div_ceil(3) * 4, 0);
                    STANDARD.encode_slice(image, &mut body[start..]).unwrap();
                    body.push(b'"');
                }
                body.push(b'}');
                self.post(body).await
            }
        }
    }

    async fn post(&self, body: Vec<u8>) -> usize {
        let len = body.len();
        let response = self
            .http
            .post(format!("{}/customers/kyc", self.url))
            .header("authorization", "Bearer bench")
            .header("content-type", "application/json")
            .header("accept", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success());
        let _: serde_json::Value =
            serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        len
    }
}

fn main() {
    let server = Server::start(env!("CARGO_BIN_EXE_bench-server"), RESPONSE, Duration::ZERO);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let images = [image(1), image(2), image(3), image(4)];
    let image_bytes: usize = images.iter().map(Bytes::len).sum();
    let http = rampkit_runtime::transport::shared_client();
    let bench = Bench {
        client: rampkit_cryptopocket::Client::new_with_client(
            &server.url,
            rampkit_runtime::transport::HttpClient::shared(),
            rampkit_cryptopocket::CryptoPocketAuth::with_token("bench".to_owned()),
        ),
        http,
        url: server.url.clone(),
        customer: customer(&images),
        images: images.clone(),
    };
    let ways = [Way::Streamed, Way::Buffered, Way::Plain];
    runtime.block_on(async {
        // Warm up: connections, allocator.
        for way in ways {
            bench.send(way).await;
        }
        // Peak live heap of each way, images included.
        let mut peaks = Vec::new();
        for way in ways {
            let before = bench::reset_peak();
            bench.send(way).await;
            peaks.push(bench::peak() - before + image_bytes);
        }
        // Time, alternating the order.
        let mut times = [Vec::new(), Vec::new(), Vec::new()];
        for run in 0..RUNS {
            for k in 0..3 {
                let i = (run + k) % 3;
                let started = Instant::now();
                bench.send(ways[i]).await;
                times[i].push(started.elapsed());
            }
        }
        let [streamed, buffered, plain] = times.map(bench::median);
        let mib = |b: usize| b as f64 / 1048576.0;
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        println!("image bytes: 4 × 5 MiB = {:.1} MiB\n", mib(image_bytes));
        println!("| way | peak live heap, images included | time to the answer (median of {RUNS}) | time ÷ plain |");
        println!("|---|---|---|---|");
        for (name, peak, time) in [
            ("streamed (generated client)", peaks[0], streamed),
            ("buffered (`to_vec`, before issue 14)", peaks[1], buffered),
            ("plain encode + hand-written reqwest", peaks[2], plain),
        ] {
            println!(
                "| {name} | {:.1} MiB = {:.2}× | {:.1} ms | {:.2}× |",
                mib(peak),
                peak as f64 / image_bytes as f64,
                ms(time),
                time.as_secs_f64() / plain.as_secs_f64()
            );
        }
        println!("\nbudgets: streamed peak ≤ 1.10×, streamed time ≤ 1.00× plain");
    });
}
