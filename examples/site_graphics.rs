//! Draws the default site's graphics: charts and timelines of the stories' own figures,
//! labelled in Marathi and English with batmi's card shaper. Run from the repository root:
//! `cargo run --release --example site_graphics`; it writes the PNGs beside the stories.

use batmi::cards::{draw, shape::Fonts};
use image::RgbImage;
use tiny_skia::{Color, Pixmap};

const W: u32 = 1600;
const H: u32 = 900;

/// What a graphic shows.
enum Body {
    /// Horizontal bars: (Marathi label, English label, value, value as printed).
    Bars(Vec<(&'static str, &'static str, f32, &'static str)>),
    /// Steps down the page: (when, Marathi text, English text).
    Steps(Vec<(&'static str, &'static str, &'static str)>),
}

struct Graphic {
    file: &'static str,
    title_mr: &'static str,
    title_en: &'static str,
    body: Body,
    /// Where the figures come from, printed at the foot.
    note: &'static str,
}

fn rgb(r: u8, g: u8, b: u8) -> Color {
    Color::from_rgba8(r, g, b, 255)
}

fn graphics() -> Vec<Graphic> {
    use Body::*;
    vec![
        Graphic {
            file: "content/news/meta-invests-in-scale-ai.png",
            title_mr: "मेटाची स्केल एआयमधील गुंतवणूक",
            title_en: "Meta's stake in Scale AI, US$ billion",
            body: Bars(vec![
                (
                    "स्केल एआयमधील गुंतवणूक (जून २०२५)",
                    "Scale AI investment, June 2025",
                    14.3,
                    "14.3",
                ),
                (
                    "हायपेरियन डेटा सेंटर, लुईझियाना",
                    "Hyperion data center, Louisiana",
                    50.0,
                    "50",
                ),
                (
                    "स्केलचा अमेरिकन लष्कर करार",
                    "Scale's US Army contract",
                    0.099,
                    "0.099",
                ),
            ]),
            note: "Figures as reported; US$ billion",
        },
        Graphic {
            file: "content/news/ruben-mayer-leaves-meta.png",
            title_mr: "रुबेन मेयर: स्केलमध्ये सुमारे पाच वर्षे, मेटामध्ये दोन महिने",
            title_en: "Ruben Mayer: about five years at Scale, two months at Meta",
            body: Bars(vec![
                (
                    "स्केल एआय (दोन कार्यकाळ)",
                    "Scale AI, two stints",
                    60.0,
                    "~60 months",
                ),
                ("मेटा", "Meta", 2.0, "~2 months"),
            ]),
            note: "Approximate, in months",
        },
        Graphic {
            file: "content/news/tbd-lab-turns-to-mercor-and-surge.png",
            title_mr: "टीबीडी लॅबचे डेटा पुरवठादार",
            title_en: "TBD Lab's data vendors",
            body: Steps(vec![
                (
                    "Scale AI",
                    "स्केल एआय: मेटाची १४.३ अब्ज डॉलरची गुंतवणूक",
                    "Meta invested US$14.3 billion",
                ),
                (
                    "Mercor",
                    "मर्कोर: स्केलचा मोठा स्पर्धक",
                    "One of Scale's largest rivals",
                ),
                (
                    "Surge",
                    "सर्ज: स्केलचा मोठा स्पर्धक",
                    "One of Scale's largest rivals",
                ),
            ]),
            note: "Five people familiar with the matter",
        },
        Graphic {
            file: "content/news/why-expert-data-matters.png",
            title_mr: "गर्दीकडून तज्ज्ञांकडे",
            title_en: "From the crowd to the experts",
            body: Steps(vec![
                (
                    "Then",
                    "कमी खर्चातील मोठे मनुष्यबळ, सोपे लेबलिंग",
                    "A large low-cost workforce, simple labels",
                ),
                (
                    "Now",
                    "डॉक्टर, वकील, शास्त्रज्ञ यांसारखे तज्ज्ञ",
                    "Doctors, lawyers, scientists",
                ),
                (
                    "Scale",
                    "आउटलायर प्लॅटफॉर्मद्वारे तज्ज्ञांचा शोध",
                    "Recruits experts through Outlier",
                ),
            ]),
            note: "How data labeling changed",
        },
        Graphic {
            file: "content/news/why-expert-data-matters-vendors.png",
            title_mr: "तज्ज्ञांवर उभे राहिलेले पुरवठादार",
            title_en: "Vendors built on expert talent",
            body: Steps(vec![
                (
                    "Surge",
                    "सर्ज: सुरुवातीपासून चांगले मानधन मिळणारे तज्ज्ञ",
                    "Well-paid experts from the start",
                ),
                (
                    "Mercor",
                    "मर्कोर: सुरुवातीपासून चांगले मानधन मिळणारे तज्ज्ञ",
                    "Well-paid experts from the start",
                ),
                (
                    "Scale AI",
                    "स्केल एआय: आधी गर्दी, आता तज्ज्ञ",
                    "The crowd first, experts now",
                ),
            ]),
            note: "As described by people in the industry",
        },
        Graphic {
            file: "content/news/scale-ai-loses-clients-cuts-staff.png",
            title_mr: "स्केल एआय: २०० कर्मचाऱ्यांची कपात, ९.९ कोटी डॉलरचा करार",
            title_en: "Scale AI: 200 jobs cut, a US$99 million contract",
            body: Bars(vec![
                (
                    "कपात झालेले कर्मचारी (जुलै २०२५)",
                    "Employees laid off, July 2025",
                    200.0,
                    "200",
                ),
                (
                    "अमेरिकन लष्कर करार, दशलक्ष डॉलर",
                    "US Army contract, US$ million",
                    99.0,
                    "99",
                ),
            ]),
            note: "Figures as reported",
        },
        Graphic {
            file: "content/news/scale-ai-loses-clients-cuts-staff-clients.png",
            title_mr: "गुंतवणुकीनंतर काय बदलले",
            title_en: "What changed after the investment",
            body: Steps(vec![
                (
                    "June",
                    "मेटाची १४.३ अब्ज डॉलरची गुंतवणूक",
                    "Meta invests US$14.3 billion",
                ),
                (
                    "Soon after",
                    "ओपनएआय आणि गूगलने काम थांबवले",
                    "OpenAI and Google stop working with Scale",
                ),
                (
                    "July",
                    "डेटा-लेबलिंगमधील २०० कर्मचाऱ्यांची कपात",
                    "200 data-labeling jobs cut",
                ),
            ]),
            note: "2025",
        },
        Graphic {
            file: "content/news/turmoil-inside-msl.png",
            title_mr: "एमएसएलमधील घडामोडी, २०२५",
            title_en: "Events at MSL, 2025",
            body: Steps(vec![
                (
                    "April",
                    "लामा ४ लॉन्च; झुकरबर्ग नाराज",
                    "Llama 4 launches; Zuckerberg frustrated",
                ),
                (
                    "June",
                    "वांग आणि स्केलचे अधिकारी मेटामध्ये",
                    "Wang and Scale executives join Meta",
                ),
                (
                    "August",
                    "संशोधक आणि जुने जेनएआय सदस्य बाहेर",
                    "Researchers and GenAI veterans leave",
                ),
            ]),
            note: "Two former and one current MSL employee",
        },
        Graphic {
            file: "content/news/zuckerberg-ai-talent-push.png",
            title_mr: "झुकरबर्गचे करार",
            title_en: "Zuckerberg's deals",
            body: Steps(vec![
                ("PlayAI", "प्लेएआय: ताब्यात घेतले", "Acquired"),
                ("WaveForms", "वेव्हफॉर्म्स एआय: ताब्यात घेतले", "Acquired"),
                ("Midjourney", "मिडजर्नी: भागीदारी", "Partnership"),
            ]),
            note: "Deals announced in 2025",
        },
        Graphic {
            file: "content/news/meta-hyperion-data-center-next-model.png",
            title_mr: "हायपेरियन: ५० अब्ज डॉलरचे डेटा सेंटर",
            title_en: "Hyperion: a US$50 billion data center",
            body: Bars(vec![
                ("हायपेरियन डेटा सेंटर", "Hyperion data center", 50.0, "50"),
                ("स्केल एआयमधील गुंतवणूक", "Scale AI investment", 14.3, "14.3"),
            ]),
            note: "US$ billion, as reported",
        },
        Graphic {
            file: "content/news/msl-researchers-announce-exits.png",
            title_mr: "एमएसएलमधून बाहेर पडल्याच्या घोषणा",
            title_en: "Announced departures from MSL",
            body: Steps(vec![
                (
                    "Agarwal",
                    "ऋषभ अग्रवाल, एआय संशोधक",
                    "Rishabh Agarwal, AI researcher",
                ),
                (
                    "Nayak",
                    "छाया नायक, उत्पादन व्यवस्थापन संचालक",
                    "Chaya Nayak, director of product management",
                ),
                (
                    "Varma",
                    "रोहन वर्मा, संशोधन अभियंता",
                    "Rohan Varma, research engineer",
                ),
            ]),
            note: "Announced in recent weeks",
        },
    ]
}

fn main() {
    let fonts = Fonts::new();
    for g in graphics() {
        let img = render(&fonts, &g);
        let bytes = indexed_png(&img);
        std::fs::write(g.file, &bytes).expect("the file is written");
        println!("{} ({} KB)", g.file, bytes.len() / 1024);
    }
}

/// The graphic as a palette PNG: every pixel is the background blended with one of the
/// three inks in 16 steps, which keeps the edges smooth and the file a few tens of KB.
fn indexed_png(img: &RgbImage) -> Vec<u8> {
    let bg = [0xf7u8, 0xf4, 0xee];
    let inks = [[0x1bu8, 0x1f, 0x24], [0x5a, 0x61, 0x6b], [0xc0, 0x39, 0x2b]];
    let mut palette: Vec<[u8; 3]> = vec![bg];
    for ink in inks {
        for step in 1..=16u32 {
            palette.push(std::array::from_fn(|c| {
                ((u32::from(bg[c]) * (16 - step) + u32::from(ink[c]) * step) / 16) as u8
            }));
        }
    }
    let nearest = |p: &[u8; 3]| {
        let d = |q: &[u8; 3]| {
            (0..3)
                .map(|c| (i32::from(p[c]) - i32::from(q[c])).pow(2))
                .sum::<i32>()
        };
        (0..palette.len())
            .min_by_key(|&k| d(&palette[k]))
            .unwrap_or(0) as u8
    };
    let indexes: Vec<u8> = img.pixels().map(|p| nearest(&p.0)).collect();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, img.width(), img.height());
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_palette(palette.concat());
    enc.set_compression(png::Compression::High);
    let mut w = enc.write_header().expect("PNG header");
    w.write_image_data(&indexes).expect("PNG data");
    w.finish().expect("PNG end");
    out
}

fn render(fonts: &Fonts, g: &Graphic) -> RgbImage {
    let mut c = Pixmap::new(W, H).expect("a canvas");
    c.fill(rgb(0xf7, 0xf4, 0xee));
    let ink = rgb(0x1b, 0x1f, 0x24);
    let soft = rgb(0x5a, 0x61, 0x6b);
    let accent = rgb(0xc0, 0x39, 0x2b);
    draw::rect(&mut c, 80.0, 70.0, 120.0, 12.0, accent);
    draw::text(&mut c, fonts, g.title_mr, 80.0, 160.0, 56.0, ink);
    draw::text(&mut c, fonts, g.title_en, 80.0, 225.0, 36.0, soft);
    match &g.body {
        Body::Bars(bars) => {
            let max = bars.iter().map(|b| b.2).fold(0.0, f32::max);
            let step = 520.0 / bars.len() as f32;
            for (k, (mr, en, v, printed)) in bars.iter().enumerate() {
                let y = 300.0 + k as f32 * step;
                draw::text(&mut c, fonts, mr, 80.0, y + 40.0, 34.0, ink);
                draw::text(&mut c, fonts, en, 80.0, y + 80.0, 26.0, soft);
                let len = (1000.0 * v / max).max(6.0);
                draw::rect(&mut c, 80.0, y + 98.0, len, 44.0, accent);
                draw::text(&mut c, fonts, printed, 100.0 + len, y + 133.0, 34.0, ink);
            }
        }
        Body::Steps(steps) => {
            let step = 520.0 / steps.len() as f32;
            draw::rect(
                &mut c,
                106.0,
                320.0,
                6.0,
                step * (steps.len() as f32 - 1.0),
                soft,
            );
            for (k, (when, mr, en)) in steps.iter().enumerate() {
                let y = 320.0 + k as f32 * step;
                draw::rect(&mut c, 90.0, y - 18.0, 38.0, 38.0, accent);
                draw::text(&mut c, fonts, when, 160.0, y + 12.0, 30.0, accent);
                draw::text(&mut c, fonts, mr, 460.0, y + 12.0, 36.0, ink);
                draw::text(&mut c, fonts, en, 460.0, y + 58.0, 28.0, soft);
            }
        }
    }
    draw::text(
        &mut c,
        fonts,
        &format!("बातमी graphic · {}", g.note),
        80.0,
        H as f32 - 50.0,
        26.0,
        soft,
    );
    draw::to_rgb(&c)
}
