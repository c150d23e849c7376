//! Heap peak of one call whose answer is far larger than any vendor sends (issue 24, point 4): a
//! 256 MiB success answer (a JSON object with one long string, which decodes if read whole) and a
//! 256 MiB error answer (HTML), with a `Content-Length` and without one (read until the connection
//! closes), from a loopback server thread writing from one 64 KiB buffer.
//!
//! Run: `cargo bench -p rampkit-tests --bench answer_size` (the heap is counted, so `--profile dev` gives
//! the same figures faster). Numbers go in docs/benchmarks.md.

use std::io::{Read, Write};
use std::time::Duration;

use rampkit_crossmint::UserLocator;
use rampkit_runtime::{Context, RateLimits, RetryPolicy};
use rampkit_tests::bench::{self, Counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MIB: usize = 1 << 20;
const SIZE: usize = 256 * MIB;

/// Answers every connection with `status` and a body of `SIZE` bytes: a Crossmint user whose `userId`
/// is `aaa…` for a success, `<<<…` for an error.
fn server(status: u16, declared: bool) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream, status, declared));
        }
    });
    url
}

fn answer(mut stream: std::net::TcpStream, status: u16, declared: bool) {
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => seen.extend_from_slice(&buf[..n]),
        }
    }
    let (open, fill, close): (&[u8], u8, &[u8]) = if status < 300 {
        (
            br#"{"userDetails":true,"kycData":true,"dueDiligence":false,"verificationHistory":true,"userId":""#,
            b'a',
            b"\"}",
        )
    } else {
        (b"<html>", b'<', b"</html>")
    };
    let length = if declared {
        format!("content-length: {SIZE}\r\n")
    } else {
        String::new()
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{length}connection: close\r\n\r\n"
    );
    let chunk = vec![fill; 64 * 1024];
    let mut left = SIZE - open.len() - close.len();
    if stream.write_all(head.as_bytes()).is_err() || stream.write_all(open).is_err() {
        return;
    }
    while left > 0 {
        let n = left.min(chunk.len());
        if stream.write_all(&chunk[..n]).is_err() {
            return; // the client stopped reading
        }
        left -= n;
    }
    let _ = stream.write_all(close);
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("| answer | Content-Length | outcome | heap peak of the call |");
    println!("|---|---|---|---|");
    for (status, declared) in [(200, true), (200, false), (500, true), (500, false)] {
        let url = server(status, declared);
        let client = rampkit_crossmint::Client::new(
            &url,
            Context::new(rampkit_crossmint::CrossmintAuth::new("k".to_owned()))
                .with_retry(RetryPolicy::none())
                .with_rate_limits(RateLimits::none()),
        );
        let before = bench::reset_peak();
        let outcome = runtime.block_on(async {
            match client.get_user(&UserLocator::user_id("johnd-123")).await {
                Ok(_) => "decoded".to_owned(),
                Err(e) => format!(
                    "{} ({} bytes kept)",
                    e.kind().as_str(),
                    e.raw_body().map_or(0, |b| b.len())
                ),
            }
        });
        let peak = bench::peak() - before;
        println!(
            "| {status}, {} MiB | {} | {outcome} | {:.1} MiB |",
            SIZE / MIB,
            if declared { "yes" } else { "no" },
            peak as f64 / MIB as f64
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
