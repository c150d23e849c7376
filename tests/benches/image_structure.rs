//! What checking an image's structure costs ([`Image::is_well_formed`], run by validation for every
//! image): time and extra heap for a 5 MiB JPEG and a 5 MiB PNG, against reading the same bytes once
//! (a byte sum), so that a reader sees the check is a walk over the bytes and not a pixel decode.
//!
//! A counting global allocator measures the peak of live heap bytes during the check, above what was
//! live before it (the image itself is allocated beforehand).
//! Run: `cargo bench -p rampkit-tests --bench image_structure`. Numbers go in docs/benchmarks.md.

use std::time::Instant;

use rampkit::Image;
use rampkit_tests::bench::{self, Counting};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const RUNS: usize = 15;

/// Pseudo-random RGB pixels: incompressible, like a photo's noise, so the files are large.
fn noise(pixels: usize) -> Vec<u8> {
    let mut x = 0x2545_F491_u32;
    (0..pixels * 3)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 90)
        .encode(
            &noise(usize::from(width) * usize::from(height)),
            width,
            height,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&noise(width as usize * height as usize))
        .unwrap();
    writer.finish().unwrap();
    out
}

fn measure(label: &str, bytes: Vec<u8>) {
    let size = bytes.len();
    let image = Image::new(bytes);
    let before = bench::reset_peak();
    assert!(image.is_well_formed(), "{label}");
    let extra = bench::peak() - before;

    let (mut check, mut read) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let t = Instant::now();
        std::hint::black_box(image.is_well_formed());
        check.push(t.elapsed());
        let t = Instant::now();
        let sum = image
            .bytes()
            .iter()
            .fold(0u64, |s, &b| s.wrapping_add(u64::from(b)));
        std::hint::black_box(sum);
        read.push(t.elapsed());
    }
    println!(
        "| {label} | {:.1} MiB | {:.2} ms | {:.2} ms | {:.0} KiB |",
        size as f64 / 1048576.0,
        bench::median(check).as_secs_f64() * 1e3,
        bench::median(read).as_secs_f64() * 1e3,
        extra as f64 / 1024.0,
    );
}

fn main() {
    println!(
        "| image | size | `is_well_formed` (median of {RUNS}) | byte sum of the same bytes | extra peak heap |"
    );
    println!("|---|---|---|---|---|");
    // Sizes chosen so that each file is about 5 MiB.
    measure("JPEG 1900×1400 (baseline, quality 90)", jpeg(1900, 1400));
    measure("PNG 1280×1366 (RGB, 8-bit)", png(1280, 1366));
}
