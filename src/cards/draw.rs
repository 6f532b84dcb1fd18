//! Rasterizing for cards: glyph outlines filled with tiny-skia, and images placed on the
//! canvas.

use image::RgbImage;
use rustybuzz::ttf_parser::{GlyphId, OutlineBuilder};
use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, PixmapPaint, Transform};

use super::shape::Fonts;

/// Turns glyph outlines (font units, y up) into a path in pixels (y down).
struct Outline {
    path: PathBuilder,
    x: f32,
    y: f32,
    scale: f32,
}

impl Outline {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (self.x + x * self.scale, self.y - y * self.scale)
    }
}

impl OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x1, y1) = self.at(x1, y1);
        let (x, y) = self.at(x, y);
        self.path.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (x1, y1) = self.at(x1, y1);
        let (x2, y2) = self.at(x2, y2);
        let (x, y) = self.at(x, y);
        self.path.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.path.close();
    }
}

/// Draws `text` shaped, its baseline starting at (`x`, `y`), `size` pixels high.
pub fn text(
    canvas: &mut Pixmap,
    fonts: &Fonts,
    text: &str,
    x: f32,
    y: f32,
    size: f32,
    color: Color,
) {
    let mut paint = Paint::default();
    paint.set_color(color);
    paint.anti_alias = true;
    let mut pen = x;
    for g in fonts.shape(text) {
        let scale = size / fonts.upem(g.font);
        let mut outline = Outline {
            path: PathBuilder::new(),
            x: pen + g.x_offset as f32 * scale,
            y: y - g.y_offset as f32 * scale,
            scale,
        };
        let drawn = fonts.faces[g.font].outline_glyph(GlyphId(g.id), &mut outline);
        if let (Some(_), Some(path)) = (drawn, outline.path.finish()) {
            canvas.fill_path(
                &path,
                &paint,
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
        pen += g.x_advance as f32 * scale;
    }
}

/// Fills a rectangle.
pub fn rect(canvas: &mut Pixmap, x: f32, y: f32, w: f32, h: f32, color: Color) {
    if let Some(r) = tiny_skia::Rect::from_xywh(x, y, w, h) {
        let mut paint = Paint::default();
        paint.set_color(color);
        canvas.fill_rect(r, &paint, Transform::identity(), None);
    }
}

/// Draws an opaque RGB image with its top left corner at (`x`, `y`).
pub fn image(canvas: &mut Pixmap, img: &RgbImage, x: i32, y: i32) {
    let (w, h) = img.dimensions();
    let Some(mut layer) = Pixmap::new(w, h) else {
        return;
    };
    let data = layer.data_mut();
    let raw = img.as_raw();
    // Index loops: this runs for every card, in unoptimised test builds too.
    for k in 0..raw.len() / 3 {
        data[4 * k..4 * k + 3].copy_from_slice(&raw[3 * k..3 * k + 3]);
        data[4 * k + 3] = 255;
    }
    canvas.draw_pixmap(
        x,
        y,
        layer.as_ref(),
        &PixmapPaint::default(),
        Transform::identity(),
        None,
    );
}

/// The canvas as RGB pixels (it is opaque: the background is painted first).
pub fn to_rgb(canvas: &Pixmap) -> RgbImage {
    let rgba = canvas.data();
    let mut data = vec![0u8; rgba.len() / 4 * 3];
    for k in 0..rgba.len() / 4 {
        data[3 * k..3 * k + 3].copy_from_slice(&rgba[4 * k..4 * k + 3]);
    }
    RgbImage::from_raw(canvas.width(), canvas.height(), data).expect("sizes match")
}
