//! Budget (issue 4): a delegated-KYC request with four 5 MB images —
//! peak memory at most 2.5× the image bytes, and conversion + serialisation time at most 1.5× a plain
//! base64 encode of the same bytes.
//!
//! The customer (the Spanish DNI fixture with four 5 MiB images) is converted by the facade
//! (`RegisterUserKycDelegatedRequest::try_from(&Customer)`): the images are held once (as `Bytes`) and
//! the request's `Base64Document`s share them without copying; `to_json_body` then writes the base64
//! straight into a buffer of the exact final size.
//! A counting global allocator measures the peak of live heap bytes.
//! Run: `cargo bench -p rampkit-tests --bench delegated_kyc_body`. Numbers go in docs/benchmarks.md.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine as _;
use bytes::Bytes;
use rampkit::{Customer, Image};
use rampkit_cryptopocket::types::RegisterUserKycDelegatedRequest;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // Count the transient old + new buffers of a moving realloc.
        let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
        PEAK.fetch_max(live, Ordering::Relaxed);
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const IMAGE: usize = 5 * 1024 * 1024;
const RUNS: usize = 15;

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

/// Conversion (facade) + serialisation (runtime), as the client sends it.
fn serialise(customer: &Customer) -> Vec<u8> {
    let request =
        RegisterUserKycDelegatedRequest::try_from(customer).expect("the fixture converts");
    rampkit_runtime::to_json_body(&request).unwrap()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let images = [image(1), image(2), image(3), image(4)];
    let image_bytes: usize = images.iter().map(Bytes::len).sum();

    // Peak memory of one conversion + serialisation, images included.
    let customer = customer(&images);
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let body = serialise(&customer);
    let peak = PEAK.load(Ordering::Relaxed);
    assert!(body.len() > image_bytes * 4 / 3);
    drop(body);

    let (mut ours, mut plain) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let t = Instant::now();
        let body = serialise(&customer);
        ours.push(t.elapsed());
        std::hint::black_box(body);

        let t = Instant::now();
        let encoded: Vec<String> = images
            .iter()
            .map(|b| base64::engine::general_purpose::STANDARD.encode(b))
            .collect();
        plain.push(t.elapsed());
        std::hint::black_box(encoded);
    }
    let (ours, plain) = (median(ours), median(plain));
    println!("| measurement | value | budget |\n|---|---|---|");
    println!(
        "| image bytes (4 × 5 MiB) | {:.1} MiB | |",
        image_bytes as f64 / 1048576.0
    );
    println!(
        "| peak live heap during conversion + serialisation, images included | {:.1} MiB = {:.2}× the image bytes | ≤ 2.5× |",
        peak as f64 / 1048576.0,
        peak as f64 / image_bytes as f64
    );
    println!(
        "| conversion + serialisation (median of {RUNS}) | {:.1} ms | |",
        ours.as_secs_f64() * 1e3
    );
    println!(
        "| plain base64 encode of the same bytes (median of {RUNS}) | {:.1} ms | |",
        plain.as_secs_f64() * 1e3
    );
    println!(
        "| time ratio | {:.2}× | ≤ 1.5× |",
        ours.as_secs_f64() / plain.as_secs_f64()
    );
}
