//! Lead images for `--images`: a few PNGs (a diagonal gradient under a bar chart), wide
//! enough that an image pipeline has real resizing to do, shared by many stories so the
//! corpus stays small.

use std::io;
use std::path::Path;

use super::story::Rng;

/// Width and height of each image; story images pick one of these.
pub const SIZES: &[(u32, u32)] = &[
    (1600, 900),
    (1920, 1080),
    (2400, 1350),
    (1800, 1200),
    (2048, 1024),
    (1600, 1200),
];

/// Where image `k` is written, below the site root, and the path stories use for it
/// (batmi reads a front-matter `image` as a path from the site root; `static/` is copied
/// to the root as it is).
pub fn file_name(k: usize) -> String {
    format!("lead-{}.png", k + 1)
}

/// Image `k`'s RGB pixels.
pub fn pixels(seed: u64, k: usize) -> (u32, u32, Vec<u8>) {
    let (w, h) = SIZES[k];
    let mut r = Rng::new(seed, 1000 + k as u64, 0);
    let mut color = || {
        [
            r.below(256) as u32,
            r.below(256) as u32,
            r.below(256) as u32,
        ]
    };
    let (from, to, bar) = (color(), color(), color());
    let n_bars = 5 + k as u32;
    let tops: Vec<u32> = (0..n_bars)
        .map(|_| h / 3 + r.below((h / 2) as usize) as u32)
        .collect();
    let slot = w / (n_bars + 1);
    // The background depends on x + y only: one row of it, long enough for every row to be
    // a window into it (rows are copied, not computed pixel by pixel, so this stays quick
    // in the tests' unoptimised builds too).
    let span = w + h;
    let ramp: Vec<u8> = (0..span)
        .flat_map(|t| (0..3).map(move |c| ((from[c] * (span - t) + to[c] * t) / span) as u8))
        .collect();
    let bar = [bar[0] as u8, bar[1] as u8, bar[2] as u8];
    let bar_row: Vec<u8> = (0..slot / 2).flat_map(|_| bar).collect();
    let row_len = (w * 3) as usize;
    let mut data = Vec::with_capacity(row_len * h as usize);
    for y in 0..h {
        let start = data.len();
        data.extend_from_slice(&ramp[(y * 3) as usize..(y * 3) as usize + row_len]);
        let row = &mut data[start..];
        // Bars, each half a slot wide, stand from their top to the bottom.
        for (b, top) in tops.iter().enumerate() {
            if y > *top {
                let x = (slot / 2 + b as u32 * slot) as usize * 3;
                row[x..x + bar_row.len()].copy_from_slice(&bar_row);
            }
        }
    }
    (w, h, data)
}

/// Writes image `k` as `dir/<file_name(k)>`; returns its size in bytes.
pub fn write(dir: &Path, seed: u64, k: usize) -> io::Result<u64> {
    let (w, h, data) = pixels(seed, k);
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, w, h);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::Fastest);
    let mut writer = enc.write_header().map_err(io::Error::other)?;
    writer.write_image_data(&data).map_err(io::Error::other)?;
    writer.finish().map_err(io::Error::other)?;
    std::fs::write(dir.join(file_name(k)), &bytes)?;
    Ok(bytes.len() as u64)
}
