//! Decoding a source, cropping and resizing it, and encoding the result. Encoding starts
//! from pixels only, so nothing of the source's metadata (EXIF with its GPS position, XMP,
//! comments) reaches a published file; the EXIF orientation is applied first.

use std::io::Cursor;

use fast_image_resize::images::Image as FirImage;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

use super::{Format, Variant, crop_box};

/// Decodes a JPEG, PNG or WebP file to RGB pixels, turned as its EXIF orientation says and
/// flattened on white where it is transparent.
pub fn decode(bytes: &[u8]) -> Result<RgbImage, String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut decoder = reader.into_decoder().map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().ok();
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    Ok(if img.color().has_alpha() {
        let rgba = img.to_rgba8();
        let (w, h) = rgba.dimensions();
        let mut rgb = RgbImage::new(w, h);
        for (o, i) in rgb.pixels_mut().zip(rgba.pixels()) {
            let a = u32::from(i[3]);
            for c in 0..3 {
                o[c] = ((u32::from(i[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
            }
        }
        rgb
    } else {
        img.into_rgb8()
    })
}

/// Crops (for a variant with an aspect ratio) and resizes `img` to the variant's size.
pub fn resize(img: &RgbImage, v: &Variant) -> Result<RgbImage, String> {
    let (w, h) = img.dimensions();
    let (cw, ch) = v.crop.map_or((w, h), |a| crop_box(w, h, a));
    if (cw, ch) == (v.width, v.height) && (cw, ch) == (w, h) {
        return Ok(img.clone());
    }
    let src = FirImage::from_vec_u8(w, h, img.as_raw().clone(), PixelType::U8x3)
        .map_err(|e| e.to_string())?;
    let mut dst = FirImage::new(v.width, v.height, PixelType::U8x3);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .crop(
            f64::from((w - cw) / 2),
            f64::from((h - ch) / 2),
            f64::from(cw),
            f64::from(ch),
        );
    Resizer::new()
        .resize(&src, &mut dst, &options)
        .map_err(|e| e.to_string())?;
    RgbImage::from_raw(v.width, v.height, dst.into_vec()).ok_or_else(|| "bad buffer".into())
}

/// Encodes RGB pixels in `format`.
pub fn encode(img: &RgbImage, format: Format) -> Result<Vec<u8>, String> {
    let (w, h) = img.dimensions();
    match format {
        Format::Jpeg => {
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 82)
                .encode(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
                .map_err(|e| e.to_string())?;
            Ok(out)
        }
        Format::Webp => Ok(webp::Encoder::from_rgb(img.as_raw(), w, h)
            .encode(75.0)
            .to_vec()),
    }
}

/// One variant of a decoded source, encoded.
pub fn make(img: &RgbImage, v: &Variant) -> Result<Vec<u8>, String> {
    encode(&resize(img, v)?, v.format)
}
