//! Social cards: for every story a 1200×630 image with its headline (shaped by
//! [`shape`], so Devanagari conjuncts and matras come out right) and the site's name, beside
//! or over its lead image. The layout is the template `social-card.toml`, which a site
//! overrides by putting its own in `templates/`.

pub mod draw;
pub mod shape;

use image::RgbImage;
use serde::Deserialize;
use tiny_skia::{Color, Pixmap};

use crate::images::{Format, Variant};

/// Part of every card's cache key: bumped when drawing changes.
pub const VERSION: &str = "batmi-card-1";

/// Where the lead image goes.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Place {
    /// Beside the text, on the right, `image_width` pixels wide.
    Right,
    /// Under the whole card, behind a veil.
    Full,
    /// Not shown.
    None,
}

/// A text's style.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TextStyle {
    pub color: String,
    /// Pixels; the headline tries smaller sizes down to `min_size` until it fits.
    pub size: f32,
    #[serde(default)]
    pub min_size: Option<f32>,
    #[serde(default = "one")]
    pub max_lines: usize,
    #[serde(default = "line_height")]
    pub line_height: f32,
}

fn one() -> usize {
    1
}

fn line_height() -> f32 {
    1.35
}

/// The card layout, as `social-card.toml` gives it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layout {
    pub width: u32,
    pub height: u32,
    pub background: String,
    pub padding: f32,
    pub image: Place,
    pub image_width: u32,
    /// Opacity of the dark veil over a full-card image, 0 to 1.
    pub veil: f32,
    pub accent: String,
    pub accent_height: f32,
    pub headline: TextStyle,
    pub site: TextStyle,
}

impl Layout {
    pub fn parse(text: &str) -> Result<Layout, String> {
        let l: Layout = toml::from_str(text).map_err(|e| e.message().trim().to_string())?;
        for c in [&l.background, &l.accent, &l.headline.color, &l.site.color] {
            color(c)?;
        }
        if !(200..=4000).contains(&l.width) || !(100..=4000).contains(&l.height) {
            return Err("width and height must be between 200 and 4000 pixels".into());
        }
        if l.image_width >= l.width {
            return Err("image_width must be less than width".into());
        }
        Ok(l)
    }
}

/// `#rrggbb` or `#rrggbbaa`.
fn color(s: &str) -> Result<Color, String> {
    let hex = s.strip_prefix('#').unwrap_or("");
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("x"), 16);
    let bad = || format!("\"{s}\" is not a colour: write it as #rrggbb");
    match hex.len() {
        6 | 8 => {
            let a = if hex.len() == 8 {
                byte(6).map_err(|_| bad())?
            } else {
                255
            };
            Ok(Color::from_rgba8(
                byte(0).map_err(|_| bad())?,
                byte(2).map_err(|_| bad())?,
                byte(4).map_err(|_| bad())?,
                a,
            ))
        }
        _ => Err(bad()),
    }
}

/// Draws the card of a story with headline `title` on a site called `site`.
pub fn render(
    layout: &Layout,
    title: &str,
    site: &str,
    lead: Option<&RgbImage>,
) -> Result<RgbImage, String> {
    let fonts = shape::Fonts::new();
    let (w, h) = (layout.width, layout.height);
    let mut canvas = Pixmap::new(w, h).ok_or("the card has no pixels")?;
    canvas.fill(color(&layout.background)?);
    let mut text_w = w as f32 - 2.0 * layout.padding;
    if let Some(img) = lead {
        match layout.image {
            Place::Right => {
                let iw = layout.image_width;
                let fitted = cover(img, iw, h)?;
                draw::image(&mut canvas, &fitted, (w - iw) as i32, 0);
                text_w -= iw as f32;
            }
            Place::Full => {
                let fitted = cover(img, w, h)?;
                draw::image(&mut canvas, &fitted, 0, 0);
                let veil = Color::from_rgba(0.0, 0.0, 0.0, layout.veil.clamp(0.0, 1.0))
                    .ok_or("bad veil")?;
                draw::rect(&mut canvas, 0.0, 0.0, w as f32, h as f32, veil);
            }
            Place::None => {}
        }
    }
    let pad = layout.padding;
    draw::rect(
        &mut canvas,
        pad,
        pad,
        96.0,
        layout.accent_height,
        color(&layout.accent)?,
    );
    // The site's name at the bottom, the headline in the space between.
    let s = &layout.site;
    draw::text(
        &mut canvas,
        &fonts,
        site,
        pad,
        h as f32 - pad,
        s.size,
        color(&s.color)?,
    );
    let hl = &layout.headline;
    let top = pad + layout.accent_height;
    let bottom = h as f32 - pad - s.size * s.line_height;
    let (size, lines) = fit(&fonts, title, hl, text_w, bottom - top);
    let step = size * hl.line_height;
    let block = step * lines.len() as f32;
    let mut y = top + ((bottom - top - block) / 2.0).max(0.0) + size;
    for line in &lines {
        draw::text(&mut canvas, &fonts, line, pad, y, size, color(&hl.color)?);
        y += step;
    }
    Ok(draw::to_rgb(&canvas))
}

/// The largest headline size whose lines fit `width` and `height`, and the lines; at the
/// smallest size the last line ends in an ellipsis when the headline is longer still.
fn fit(
    fonts: &shape::Fonts,
    title: &str,
    style: &TextStyle,
    width: f32,
    height: f32,
) -> (f32, Vec<String>) {
    let min = style.min_size.unwrap_or(style.size).min(style.size);
    let mut size = style.size;
    loop {
        let lines = shape::wrap(fonts, title, size, width);
        let room = ((height / (size * style.line_height)) as usize).max(1);
        let most = style.max_lines.min(room);
        if lines.len() <= most {
            return (size, lines);
        }
        if size - 2.0 < min {
            let mut lines = lines;
            lines.truncate(most.max(1));
            if let Some(last) = lines.last_mut() {
                last.push('…');
            }
            return (size, lines);
        }
        size -= 2.0;
    }
}

/// `img` cropped around its centre and resized to cover `w`×`h`.
fn cover(img: &RgbImage, w: u32, h: u32) -> Result<RgbImage, String> {
    let v = Variant {
        width: w,
        height: h,
        crop: Some((w, h)),
        format: Format::Jpeg,
    };
    crate::images::encode::resize(img, &v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUILTIN: &str = include_str!("../../templates/social-card.toml");

    #[test]
    fn the_built_in_layout_parses_and_draws_a_card() {
        let l = Layout::parse(BUILTIN).unwrap();
        let card = render(&l, "स्केल एआयमध्ये मेटाची गुंतवणूक", "बातमी", None).unwrap();
        assert_eq!(card.dimensions(), (1200, 630));
        let bg = card.get_pixel(600, 5).0;
        let inked = card.pixels().filter(|p| p.0 != bg).count();
        assert!(inked > 10_000, "the headline was drawn: {inked} pixels");
    }

    #[test]
    fn bad_colours_and_keys_are_reported() {
        let bad = BUILTIN.replacen("background = \"#", "background = \"#zz", 1);
        assert!(Layout::parse(&bad).unwrap_err().contains("not a colour"));
        let unknown = format!("{BUILTIN}\nshadow = 3\n");
        assert!(Layout::parse(&unknown).unwrap_err().contains("shadow"));
    }
}
