//! Text shaping for cards: the headline is cut into runs by font (Noto Sans Devanagari for
//! Devanagari, a Latin subset of Noto Sans for the rest), each run shaped by rustybuzz
//! (conjuncts, reph, eyelash ra, pre-base i-sign), then wrapped at spaces to a width.

use rustybuzz::{Face, UnicodeBuffer};

/// Noto Sans Devanagari Bold (SIL OFL 1.1, `fonts/OFL.txt`).
pub const DEVANAGARI: &[u8] = include_bytes!("../../fonts/NotoSansDevanagari-Bold.ttf");
/// Noto Sans Bold, subset to Latin (SIL OFL 1.1, `fonts/OFL.txt`).
pub const LATIN: &[u8] = include_bytes!("../../fonts/NotoSans-Bold-Latin.ttf");

/// One shaped glyph, in font units of its font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    /// Index into [`Fonts::faces`].
    pub font: usize,
    pub id: u16,
    /// Byte offset in the shaped text of the character the glyph comes from.
    pub cluster: u32,
    pub x_advance: i32,
    pub x_offset: i32,
    pub y_offset: i32,
}

/// The card fonts, parsed once per build.
pub struct Fonts {
    pub faces: Vec<Face<'static>>,
}

impl Default for Fonts {
    fn default() -> Self {
        Fonts::new()
    }
}

impl Fonts {
    pub fn new() -> Fonts {
        let face =
            |data: &'static [u8]| Face::from_slice(data, 0).expect("the bundled fonts parse");
        Fonts {
            faces: vec![face(DEVANAGARI), face(LATIN)],
        }
    }

    /// Units per em of font `f`.
    pub fn upem(&self, f: usize) -> f32 {
        f32::from(self.faces[f].units_per_em() as u16)
    }

    /// Shapes `text`, each run in the font that has its letters.
    pub fn shape(&self, text: &str) -> Vec<Glyph> {
        let mut out = Vec::new();
        for (start, end, font) in self.runs(text) {
            let mut glyphs = shape_with(&self.faces[font], &text[start..end]);
            for g in &mut glyphs {
                g.font = font;
                g.cluster += start as u32;
            }
            out.extend(glyphs);
        }
        out
    }

    /// Width of `text` at `size` pixels.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.shape(text)
            .iter()
            .map(|g| g.x_advance as f32 * size / self.upem(g.font))
            .sum()
    }

    /// (start, end, font) runs of `text`: Devanagari letters in the Devanagari font, other
    /// letters in the Latin one; spaces, digits and punctuation stay with the run they are in.
    fn runs(&self, text: &str) -> Vec<(usize, usize, usize)> {
        let mut runs: Vec<(usize, usize, usize)> = Vec::new();
        for (i, c) in text.char_indices() {
            let has = |f: usize| self.faces[f].glyph_index(c).is_some();
            let font = if is_devanagari(c) {
                0
            } else if c.is_alphabetic() {
                if has(1) { 1 } else { 0 }
            } else {
                match runs.last() {
                    Some(&(_, _, f)) if has(f) => f,
                    _ if has(1) => 1,
                    _ => 0,
                }
            };
            match runs.last_mut() {
                Some(last) if last.2 == font => last.1 = i + c.len_utf8(),
                _ => runs.push((i, i + c.len_utf8(), font)),
            }
        }
        runs
    }
}

/// Devanagari and its extensions, and the joiners that shape conjuncts.
pub fn is_devanagari(c: char) -> bool {
    matches!(c, '\u{0900}'..='\u{097F}' | '\u{A8E0}'..='\u{A8FF}' | '\u{1CD0}'..='\u{1CFF}' | '\u{200C}' | '\u{200D}')
}

/// Shapes `text` with one font, as HarfBuzz would with default features.
pub fn shape_with(face: &Face, text: &str) -> Vec<Glyph> {
    let mut buf = UnicodeBuffer::new();
    buf.push_str(text);
    buf.guess_segment_properties();
    let shaped = rustybuzz::shape(face, &[], buf);
    shaped
        .glyph_infos()
        .iter()
        .zip(shaped.glyph_positions())
        .map(|(info, pos)| Glyph {
            font: 0,
            id: info.glyph_id as u16,
            cluster: info.cluster,
            x_advance: pos.x_advance,
            x_offset: pos.x_offset,
            y_offset: pos.y_offset,
        })
        .collect()
}

/// `text` broken into lines no wider than `max` pixels at `size`, at spaces. A word wider
/// than a line gets a line of its own.
pub fn wrap(fonts: &Fonts, text: &str, size: f32, max: f32) -> Vec<String> {
    let space = fonts.width(" ", size);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    for word in text.split_whitespace() {
        let w = fonts.width(word, size);
        if !line.is_empty() && width + space + w > max {
            lines.push(std::mem::take(&mut line));
            width = 0.0;
        }
        if !line.is_empty() {
            line.push(' ');
            width += space;
        }
        line.push_str(word);
        width += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devanagari_and_latin_get_their_own_fonts() {
        let f = Fonts::new();
        let g = f.shape("मेटाची Scale AI मध्ये 14.3 अब्ज");
        assert!(g.iter().all(|g| g.id != 0), "no .notdef: {g:?}");
        assert!(g.iter().any(|g| g.font == 0) && g.iter().any(|g| g.font == 1));
    }

    #[test]
    fn conjuncts_take_fewer_glyphs_than_characters() {
        let f = Fonts::new();
        // क्ष is three characters and one glyph; र्‍ (eyelash ra) and र्क (reph) join too.
        for word in ["क्ष", "कार्य", "र्‍य"] {
            let g = f.shape(word);
            assert!(g.len() < word.chars().count(), "{word}: {g:?}");
        }
    }

    #[test]
    fn wrapping_keeps_every_word_and_respects_the_width() {
        let f = Fonts::new();
        let text = "स्केल एआयमध्ये मेटाची १४.३ अब्ज डॉलरची गुंतवणूक आणि कर्मचारी कपात";
        let lines = wrap(&f, text, 60.0, 600.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.join(" "), text);
        for l in &lines {
            assert!(f.width(l, 60.0) <= 600.0 || !l.contains(' '), "{l}");
        }
    }
}
