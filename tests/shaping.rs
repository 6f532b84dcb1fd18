//! The card shaper against HarfBuzz itself: for hard Marathi headlines (conjuncts, reph,
//! eyelash ra, pre-base i-sign) batmi's glyphs, clusters and positions must be exactly what
//! `hb-shape` (Debian's libharfbuzz-bin) gives with the same font.

use std::path::Path;
use std::process::Command;

use batmi::cards::shape::{Fonts, Glyph};

const FONT: &str = "fonts/NotoSansDevanagari-Bold.ttf";

/// Hard cases first, each named for what it tests; then headlines of the default site.
const CASES: &[&str] = &[
    // Reph: र् before a consonant becomes a mark above the end of the syllable.
    "कार्यक्षेत्र",
    "धर्माधिकारी आणि पूर्णवेळ",
    // Eyelash ra: र् + ZWJ keeps the half form instead of a reph.
    "र्‍या आणि दर्‍या",
    // Pre-base i-sign: ि is drawn before the consonant cluster it follows in the text.
    "क्षत्रिय स्थिती कि त्रिकोण",
    "स्त्रियांच्या प्रतिक्रिया",
    // Conjuncts and half forms.
    "ज्ञानेश्वरी द्ध ह्म श्र क्ष त्र",
    "अलेक्झांडर वांग यांच्याकडे एमएसएलची सूत्रे",
    // Below-base ra, nukta and candra.
    "क्र प्र ग्र ड़ फ़ ज़ ऑक्टोबर डॉलर",
    // Headlines with Devanagari digits.
    "स्केल एआयमधील १४.३ अब्ज डॉलरची गुंतवणूक: मेटाचा व्यवहार वेगळा का?",
    "स्केल एआयचे मोठे ग्राहक दूर, २०० कर्मचाऱ्यांची कपात",
    "लुईझियानामध्ये ५० अब्ज डॉलरचे हायपेरियन डेटा सेंटर",
];

/// `hb-shape`'s glyphs for `text`, clusters as UTF-8 byte offsets (as rustybuzz gives them).
fn hb_shape(text: &str) -> Vec<Glyph> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("hb-shape")
        .args([
            "--no-glyph-names",
            "--utf8-clusters",
            "--output-format=json",
        ])
        .arg(root.join(FONT))
        .arg(text)
        .output()
        .expect("hb-shape runs: install Debian's libharfbuzz-bin (.ci/run does)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON from hb-shape");
    v.as_array()
        .unwrap()
        .iter()
        .map(|g| Glyph {
            font: 0,
            id: g["g"].as_u64().unwrap() as u16,
            cluster: g["cl"].as_u64().unwrap() as u32,
            x_advance: g["ax"].as_i64().unwrap() as i32,
            x_offset: g["dx"].as_i64().unwrap() as i32,
            y_offset: g["dy"].as_i64().unwrap() as i32,
        })
        .collect()
}

#[test]
fn the_bundled_font_is_the_one_compared() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = std::fs::read(root.join(FONT)).unwrap();
    assert_eq!(file, batmi::cards::shape::DEVANAGARI);
}

#[test]
fn card_shaping_matches_harfbuzz_on_hard_marathi_headlines() {
    let fonts = Fonts::new();
    for text in CASES {
        let ours = fonts.shape(text);
        assert!(
            ours.iter().all(|g| g.font == 0),
            "{text}: all Devanagari font"
        );
        let theirs = hb_shape(text);
        assert_eq!(ours, theirs, "{text}");
        assert!(ours.iter().all(|g| g.id != 0), "{text}: no missing glyphs");
    }
}

#[test]
fn the_hard_cases_really_need_shaping() {
    // Glyph by glyph from the character map, these would come out wrong: reordered,
    // joined or replaced glyphs are what the comparison above checks.
    let fonts = Fonts::new();
    let face = &fonts.faces[0];
    for text in &CASES[..8] {
        let naive: Vec<u16> = text
            .chars()
            .map(|c| face.glyph_index(c).map_or(0, |g| g.0))
            .collect();
        let shaped: Vec<u16> = hb_shape(text).iter().map(|g| g.id).collect();
        assert_ne!(naive, shaped, "{text}");
    }
}
