//! Finding the files a page's images name and measuring them, once per file, when the site
//! is loaded: a missing, unreadable or unsupported image, a path that would leave the site
//! or an image without alt text is an error at its front-matter or Markdown line.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::{ImageDecoder, ImageFormat, ImageReader, metadata::Orientation};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::Source;
use crate::content::{Figure, Page};
use crate::diag::Diagnostic;

/// Whether `written` names an image elsewhere on the web, which batmi leaves as it is.
pub fn is_remote(written: &str) -> bool {
    let w = written.to_ascii_lowercase();
    w.starts_with("http://") || w.starts_with("https://") || w.starts_with("//")
}

/// Whether a file extension is that of an image a page may name.
pub fn is_image_name(ext: &str) -> bool {
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "jpg" | "jpeg" | "png" | "webp"
    )
}

/// The file `written` names, relative to the site root, from the page at `page` (also
/// relative to the root). A path starting with `/` is looked up in `static/`, then in
/// `content/`; any other path beside the page first. `..` is never followed.
pub fn locate(root: &Path, page: &Path, written: &str) -> Result<PathBuf, Diagnostic> {
    let decoded = percent_encoding::percent_decode_str(written).decode_utf8_lossy();
    let parts: Vec<&str> = decoded.split('/').filter(|s| !s.is_empty()).collect();
    let unsafe_part = parts
        .iter()
        .any(|p| *p == ".." || *p == "." || p.contains('\\') || p.contains(':'));
    if parts.is_empty() || unsafe_part {
        return Err(Diagnostic::error(
            page,
            format!("the image path {written} leaves the site's folders"),
        )
        .help("name a file beside the story, or give a path from static/ such as /images/photo.jpg (no .. and no drive letters)"));
    }
    let rel: PathBuf = parts.iter().collect();
    let beside = page.parent().map(|d| d.join(&rel));
    let candidates: Vec<PathBuf> = if decoded.starts_with('/') {
        vec![
            Path::new("static").join(&rel),
            Path::new("content").join(&rel),
        ]
    } else {
        beside
            .into_iter()
            .chain([
                Path::new("static").join(&rel),
                Path::new("content").join(&rel),
            ])
            .collect()
    };
    // Only plain files: a link could point anywhere on the machine.
    candidates
        .into_iter()
        .find(|c| {
            root.join(c)
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_file())
        })
        .ok_or_else(|| {
            Diagnostic::error(page, format!("the image {written} does not exist"))
                .help(format!(
                    "put the file beside the story or at static/{}, or correct the path (paths starting with / are taken from static/)",
                    rel.display()
                ))
        })
}

/// Reads `rel` (relative to `root`), hashes it and reads its size from its header.
pub fn probe(root: &Path, rel: &Path) -> Result<Source, String> {
    let bytes = std::fs::read(root.join(rel)).map_err(|e| format!("cannot read it: {e}"))?;
    let (width, height) = measure(&bytes)?;
    Ok(Source {
        path: rel.to_path_buf(),
        hash: super::hex(&Sha256::digest(&bytes)),
        width,
        height,
    })
}

/// The displayed size of an encoded image, or why it cannot be used.
pub fn measure(bytes: &[u8]) -> Result<(u32, u32), String> {
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| format!("cannot read it: {e}"))?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) => {}
        Some(f) => {
            return Err(format!(
                "{f:?} images are not supported (use JPEG, PNG or WebP)"
            ));
        }
        None => return Err("it is not a JPEG, PNG or WebP image".into()),
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| format!("it is not a readable image: {e}"))?;
    let (w, h) = decoder.dimensions();
    if w == 0 || h == 0 {
        return Err("it has no pixels".into());
    }
    let turned = matches!(
        decoder.orientation().unwrap_or(Orientation::NoTransforms),
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    );
    Ok(if turned { (h, w) } else { (w, h) })
}

/// Finds and measures the lead image and the body images of every page, each file once.
/// Remote images are left as they are. Returns an error for each image that cannot be used.
pub fn resolve_pages(root: &Path, pages: &mut [Page]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    // (page, body image index or None for the lead) → the file it names.
    let mut wanted: Vec<(usize, Option<usize>, PathBuf)> = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        if let Some(image) = p.image.as_deref().filter(|w| !is_remote(w)) {
            let at = |d: Diagnostic| d.at(p.image_line, 1);
            match locate(root, &p.path, image) {
                Ok(file) => wanted.push((i, None, file)),
                Err(d) => errors.push(at(d)),
            }
            if p.image_alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
                errors.push(at(Diagnostic::error(&p.path, "the story's image has no alt text")
                    .help("add image_alt = \"what the image shows\" to the front matter, for readers who cannot see it")));
            }
        }
        for (k, img) in p.images.iter().enumerate() {
            if is_remote(&img.target) || img.target.starts_with("data:") {
                continue;
            }
            let at = |d: Diagnostic| d.at(img.line, img.column);
            match locate(root, &p.path, &img.target) {
                Ok(file) => wanted.push((i, Some(k), file)),
                Err(d) => errors.push(at(d)),
            }
            if img.alt.trim().is_empty() {
                errors.push(at(Diagnostic::error(&p.path, format!("the image {} has no alt text", img.target))
                    .help(format!("describe what it shows for readers who cannot see it: ![a short description]({})", img.target))));
            }
        }
    }
    let mut files: Vec<&PathBuf> = wanted.iter().map(|(_, _, f)| f).collect();
    files.sort();
    files.dedup();
    let probed: BTreeMap<&PathBuf, Result<Source, String>> =
        files.par_iter().map(|f| (*f, probe(root, f))).collect();
    for (i, k, file) in &wanted {
        let p = &mut pages[*i];
        match &probed[file] {
            Ok(src) => match k {
                None => p.lead = Some(src.clone()),
                Some(k) => p.figures.push(Figure {
                    written: p.images[*k].target.clone(),
                    source: src.clone(),
                }),
            },
            Err(why) => {
                let (line, col, written) = match k {
                    None => (p.image_line, 1, p.image.clone().unwrap_or_default()),
                    Some(k) => (
                        p.images[*k].line,
                        p.images[*k].column,
                        p.images[*k].target.clone(),
                    ),
                };
                errors.push(
                    Diagnostic::error(&p.path, format!("the image {written} cannot be used: {why}"))
                        .at(line, col)
                        .help("save it as a JPEG, PNG or WebP file (File → Export in most editors) and build again"),
                );
            }
        }
    }
    errors
}
