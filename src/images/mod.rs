//! Images of stories: the files a page names ([`resolve`]), what is made of them (a width
//! ladder in WebP and JPEG and crops for search engines, [`encode`]), the markup that shows
//! them ([`html`]) and the persistent cache that keeps a rebuild from encoding anything it
//! encoded before ([`cache`]).

pub mod cache;
pub mod encode;
pub mod html;
pub mod resolve;

use std::path::PathBuf;

use sha2::{Digest, Sha256};

/// Widths made of every image, never wider than the source.
pub const LADDER: &[u32] = &[480, 800, 1200, 1600];

/// Bumped whenever the encoders' settings change, so cached files made with the old
/// settings are not taken for new ones.
const ENCODING: &str = "batmi-images-1 webp75 jpeg82 lanczos3";

/// A source image a page names, found and measured when the site is loaded.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Source {
    /// Relative to the site root: `content/news/chart.png`, `static/images/x.jpg`.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, in hex.
    pub hash: String,
    /// Size as displayed (after the EXIF orientation is applied).
    pub width: u32,
    pub height: u32,
}

/// A file format made for the web.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Format {
    Webp,
    Jpeg,
}

impl Format {
    pub fn ext(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Webp => "image/webp",
            Format::Jpeg => "image/jpeg",
        }
    }
}

/// One file made of a source: its size, an optional centre crop to an aspect ratio, its format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    /// Cropped to this aspect ratio (w, h) around the centre before resizing.
    pub crop: Option<(u32, u32)>,
    pub format: Format,
}

/// The widths of `LADDER` a source of `width` can give, and its own width as the top step
/// when it is narrower than the widest step.
pub fn widths(width: u32) -> Vec<u32> {
    let top = width.min(*LADDER.last().expect("the ladder has steps"));
    let mut out: Vec<u32> = LADDER.iter().copied().filter(|&w| w < top).collect();
    out.push(top);
    out
}

/// The ladder of a source in one format.
pub fn ladder(src: &Source, format: Format) -> Vec<Variant> {
    widths(src.width)
        .into_iter()
        .map(|w| Variant {
            width: w,
            height: scaled(src.height, w, src.width),
            crop: None,
            format,
        })
        .collect()
}

/// The 16:9, 4:3 and 1:1 crops search engines ask for, at most 1200 pixels wide.
pub fn crops(src: &Source) -> Vec<Variant> {
    [(16, 9), (4, 3), (1, 1)]
        .into_iter()
        .map(|(aw, ah)| {
            let (cw, _) = crop_box(src.width, src.height, (aw, ah));
            let width = cw.min(1200);
            Variant {
                width,
                height: scaled(width, ah, aw),
                crop: Some((aw, ah)),
                format: Format::Jpeg,
            }
        })
        .collect()
}

/// The largest box of aspect `aspect` that fits in `w`×`h`: (width, height).
pub fn crop_box(w: u32, h: u32, (aw, ah): (u32, u32)) -> (u32, u32) {
    if u64::from(w) * u64::from(ah) > u64::from(h) * u64::from(aw) {
        (scaled(h, aw, ah).max(1), h)
    } else {
        (w, scaled(w, ah, aw).max(1))
    }
}

/// `v * num / den`, rounded.
fn scaled(v: u32, num: u32, den: u32) -> u32 {
    ((u64::from(v) * u64::from(num) + u64::from(den) / 2) / u64::from(den).max(1)) as u32
}

/// The cache key of a variant of a source: it changes with the source's bytes, the
/// variant and the encoders' settings, and with nothing else.
pub fn key(src: &Source, v: &Variant) -> String {
    let mut h = Sha256::new();
    h.update(ENCODING.as_bytes());
    h.update(src.hash.as_bytes());
    h.update(format!("{v:?}").as_bytes());
    hex(&h.finalize()[..12])
}

/// The site path of a variant: the source's name, its width and a content hash
/// (`img/chart-800w-3fa9c2e1b0d4a1f2c3b4d5e6.webp`), so that a file never changes its bytes
/// under one name and can be cached for a year.
pub fn site_path(src: &Source, v: &Variant) -> String {
    let crop = v.crop.map(|(w, h)| format!("-{w}x{h}")).unwrap_or_default();
    format!(
        "img/{}-{}w{crop}-{}.{}",
        stem(src),
        v.width,
        key(src, v),
        v.format.ext()
    )
}

/// The source's file name as ASCII letters, digits and hyphens (`image` when none are left).
fn stem(src: &Source) -> String {
    let name = src
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "image".into() } else { out }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(w: u32, h: u32) -> Source {
        Source {
            path: "content/news/चित्र chart.png".into(),
            hash: "ab".into(),
            width: w,
            height: h,
        }
    }

    #[test]
    fn the_ladder_never_upscales() {
        assert_eq!(widths(2400), vec![480, 800, 1200, 1600]);
        assert_eq!(widths(1600), vec![480, 800, 1200, 1600]);
        assert_eq!(widths(1000), vec![480, 800, 1000]);
        assert_eq!(widths(300), vec![300]);
        let l = ladder(&src(1000, 500), Format::Webp);
        assert_eq!(l.last().map(|v| (v.width, v.height)), Some((1000, 500)));
        assert_eq!(l[0].height, 240);
    }

    #[test]
    fn crops_have_their_aspect_ratio() {
        let c = crops(&src(1600, 900));
        let sizes: Vec<_> = c.iter().map(|v| (v.width, v.height)).collect();
        assert_eq!(sizes, vec![(1200, 675), (1200, 900), (900, 900)]);
        assert_eq!(crop_box(1000, 1000, (16, 9)), (1000, 563));
    }

    #[test]
    fn names_carry_the_width_and_a_hash_of_source_and_variant() {
        let s = src(1600, 900);
        let v = ladder(&s, Format::Jpeg)[1];
        let p = site_path(&s, &v);
        assert!(
            p.starts_with("img/chart-800w-") && p.ends_with(".jpg"),
            "{p}"
        );
        let other = Source {
            hash: "cd".into(),
            ..s.clone()
        };
        assert_ne!(site_path(&other, &v), p);
        assert!(crate::paths::stays_inside(&p));
    }
}
