//! Photo-led stories: the `<picture>` of a lead image with its width ladder, body figures,
//! social cards and their meta tags, metadata stripped, the persistent cache, and `serve`
//! showing the same files as a full build.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use batmi::BuildOptions;
use common::{CONFIG, Fixture, files, same_files};

/// An RGB test picture: a gradient with a block, so that resizing has something to do.
fn picture(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        let block = (x / 97 + y / 89) % 2 == 0;
        image::Rgb([
            (x * 255 / w) as u8,
            (y * 255 / h) as u8,
            if block { 200 } else { 40 },
        ])
    })
}

const SECRET: &str = "GPS 18.5204 N 73.8567 E";

/// A JPEG of `w`×`h` pixels with an EXIF block: a GPS position, a description naming the
/// place, and `orientation`.
fn jpeg_with_exif(w: u32, h: u32, orientation: u16) -> Vec<u8> {
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .encode(picture(w, h).as_raw(), w, h, image::ExtendedColorType::Rgb8)
        .unwrap();
    let mut tiff: Vec<u8> = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value);
    };
    let desc = format!("{SECRET}\0");
    tiff.extend(3u16.to_le_bytes());
    entry(&mut tiff, 0x010E, 2, desc.len() as u32, 68u32.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut tiff, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut tiff, 0x8825, 4, 1, 50u32.to_le_bytes());
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    entry(&mut tiff, 0x0001, 2, 2, *b"N\0\0\0");
    tiff.extend(0u32.to_le_bytes());
    assert_eq!(tiff.len(), 68);
    tiff.extend(desc.as_bytes());
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(&tiff);
    let mut out = plain[..2].to_vec();
    out.extend([0xFF, 0xE1]);
    out.extend(((app1.len() + 2) as u16).to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    picture(w, h)
        .write_to(&mut out, image::ImageFormat::Png)
        .unwrap();
    out.into_inner()
}

/// A story pair with a lead image beside it (with EXIF) and a body figure from static/.
fn photo_site() -> Fixture {
    let f = Fixture::empty();
    f.write("config.toml", CONFIG);
    f.write_bytes("content/news/photo.jpg", &jpeg_with_exif(1700, 956, 1));
    f.write_bytes("static/images/chart.png", &png(1000, 600));
    f.write(
        "content/news/deal.mr.md",
        "+++\ntitle = \"मेटाची स्केल एआयमध्ये १४.३ अब्ज डॉलरची गुंतवणूक\"\ndate = 2025-08-29T09:30:00+05:30\ntags = [\"Meta\"]\nimage = \"photo.jpg\"\nimage_alt = \"मेटाच्या कार्यालयाचे छायाचित्र\"\nimage_caption = \"मेटाचे मुख्यालय\"\nimage_credit = \"बातमी graphic\"\n+++\n\nपहिला परिच्छेद.\n\n![गुंतवणुकीचा आलेख](/images/chart.png \"१४.३ अब्ज डॉलर\")\n\nशेवट.\n",
    );
    f.write(
        "content/news/deal.en.md",
        "+++\ntitle = \"Meta invests US$14.3 billion in Scale AI\"\ndate = 2025-08-29T09:30:00+05:30\ntags = [\"Meta\"]\nimage = \"photo.jpg\"\nimage_alt = \"Meta's office\"\n+++\n\nFirst paragraph.\n",
    );
    f
}

/// The value of attribute `name` in the first tag of `html` that contains `marker`.
fn attr(html: &str, marker: &str, name: &str) -> String {
    let at = html
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in page"));
    let start = html[..at].rfind('<').unwrap();
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    let key = format!(" {name}=\"");
    let v = tag
        .find(&key)
        .unwrap_or_else(|| panic!("no {name} in {tag}"));
    tag[v + key.len()..].split('"').next().unwrap().to_string()
}

fn dims(bytes: &[u8]) -> (u32, u32) {
    image::load_from_memory(bytes)
        .unwrap()
        .to_rgb8()
        .dimensions()
}

/// The file a site URL (`https://news.test/img/x.jpg` or `/img/x.jpg`) points to.
fn output<'a>(out: &'a BTreeMap<String, Vec<u8>>, url: &str) -> &'a [u8] {
    let path = &url[url.find("img/").expect("an image URL")..];
    out.get(path)
        .unwrap_or_else(|| panic!("{url} was not written"))
}

#[test]
fn a_lead_image_is_a_picture_with_a_width_ladder_and_a_card_of_1200_by_630() {
    let f = photo_site();
    f.build_ok();
    let out = files(&f.public());
    for page in ["news/deal/index.html", "en/news/deal/index.html"] {
        let html = f.read(page);
        let webp = attr(&html, "type=\"image/webp\"", "srcset");
        let widths: Vec<&str> = webp
            .split(", ")
            .map(|s| s.rsplit(' ').next().unwrap())
            .collect();
        assert_eq!(widths, ["480w", "800w", "1200w", "1600w"], "{page}");
        for src in webp.split(", ") {
            let url = src.split(' ').next().unwrap();
            assert!(url.ends_with(".webp"), "{url}");
            let w: u32 = src
                .rsplit(' ')
                .next()
                .unwrap()
                .trim_end_matches('w')
                .parse()
                .unwrap();
            assert_eq!(dims(output(&out, url)).0, w, "{url}");
        }
        let img = "fetchpriority=\"high\"";
        assert_eq!(attr(&html, img, "width"), "1600");
        assert_eq!(attr(&html, img, "height"), "900");
        assert!(!attr(&html, img, "alt").is_empty());
        assert!(attr(&html, img, "src").ends_with(".jpg"));
        assert_eq!(attr(&html, img, "srcset").matches(".jpg ").count(), 4);
        // Link previews: the card, its size and alt text, and a large summary card.
        let card = attr(&html, "property=\"og:image\"", "content");
        assert_eq!(dims(output(&out, &card)), (1200, 630), "{card}");
        assert_eq!(attr(&html, "og:image:width", "content"), "1200");
        assert_eq!(attr(&html, "og:image:height", "content"), "630");
        assert!(!attr(&html, "og:image:alt", "content").is_empty());
        assert_eq!(
            attr(&html, "name=\"twitter:card\"", "content"),
            "summary_large_image"
        );
        // JSON-LD: the 16:9, 4:3 and 1:1 crops Google asks for.
        let ld = html.split("application/ld+json\">").nth(1).unwrap();
        let ld: serde_json::Value =
            serde_json::from_str(ld.split("</script>").next().unwrap()).unwrap();
        let ratios: Vec<(u32, u32)> = ld["image"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| dims(output(&out, u.as_str().unwrap())))
            .collect();
        assert_eq!(ratios, [(1200, 675), (1200, 900), (956, 956)], "{page}");
    }
    let mr = f.read("news/deal/index.html");
    assert!(
        mr.contains(
            "<figcaption>मेटाचे मुख्यालय <span class=\"credit\">श्रेय: बातमी graphic</span></figcaption>"
        ),
        "{mr}"
    );
}

#[test]
fn a_body_image_alone_in_its_paragraph_is_a_lazy_figure_with_its_title_as_caption() {
    let f = photo_site();
    f.build_ok();
    let html = f.read("news/deal/index.html");
    let body = html.split("class=\"story-body\"").nth(1).unwrap();
    assert!(
        body.contains("<figure class=\"story-figure\"><picture>"),
        "{body}"
    );
    assert!(
        body.contains("<figcaption>१४.३ अब्ज डॉलर</figcaption></figure>"),
        "{body}"
    );
    assert!(!body.contains("<p><figure"), "{body}");
    let img = "loading=\"lazy\"";
    assert_eq!(attr(body, img, "decoding"), "async");
    assert_eq!(attr(body, img, "alt"), "गुंतवणुकीचा आलेख");
    // A 1000-pixel source: 480, 800 and its own width, never more.
    assert_eq!(
        (attr(body, img, "width"), attr(body, img, "height")),
        ("1000".into(), "600".into())
    );
    assert!(attr(body, img, "srcset").ends_with(" 1000w"));
}

#[test]
fn exif_location_and_other_metadata_never_reach_the_output() {
    let f = photo_site();
    let source = jpeg_with_exif(1700, 956, 1);
    assert!(source.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()));
    f.build_ok();
    let out = files(&f.public());
    let images: Vec<_> = out.iter().filter(|(p, _)| p.starts_with("img/")).collect();
    assert!(images.len() > 10, "{}", images.len());
    for (path, bytes) in images {
        for needle in [SECRET.as_bytes(), b"Exif\0\0", b"GPS"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{path} keeps metadata"
            );
        }
    }
}

#[test]
fn the_exif_orientation_is_applied_before_it_is_dropped() {
    let f = photo_site();
    // Orientation 6: the camera was turned; the picture is shown 956 wide and 1700 high.
    f.write_bytes("content/news/photo.jpg", &jpeg_with_exif(1700, 956, 6));
    f.build_ok();
    let html = f.read("en/news/deal/index.html");
    let img = "fetchpriority=\"high\"";
    assert_eq!(
        (attr(&html, img, "width"), attr(&html, img, "height")),
        ("956".into(), "1700".into())
    );
    let out = files(&f.public());
    assert_eq!(dims(output(&out, &attr(&html, img, "src"))), (956, 1700));
}

#[test]
fn a_small_image_is_never_upscaled() {
    let f = photo_site();
    f.write_bytes("content/news/photo.jpg", &jpeg_with_exif(400, 300, 1));
    f.build_ok();
    let html = f.read("en/news/deal/index.html");
    assert_eq!(
        attr(&html, "type=\"image/webp\"", "srcset")
            .split(", ")
            .count(),
        1
    );
    let out = files(&f.public());
    for (path, bytes) in out
        .iter()
        .filter(|(p, _)| p.starts_with("img/") && !p.contains("card-"))
    {
        let (w, _) = dims(bytes);
        assert!(w <= 1000, "{path} is {w} wide");
        if path.contains("photo-") {
            assert!(w <= 400, "{path} is {w} wide");
        }
    }
}

#[test]
fn a_rebuild_encodes_nothing_writes_the_same_bytes_and_prunes_unused_entries() {
    let f = photo_site();
    let opts = BuildOptions::new(f.root());
    let first = batmi::build(&opts).unwrap();
    // 4 WebP + 4 JPEG widths and 3 crops of the photo, 3 + 3 of the chart, 2 cards.
    assert_eq!(first.images_encoded, 19, "{first:?}");
    let before = files(&f.public());
    let cache = f.root().join(".batmi-cache/img");
    let entries = std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(entries, first.images_encoded);
    // A rebuild into the same output finds nothing changed (the build manifest); a clean one
    // takes every image from the cache.
    let second = batmi::build(&opts).unwrap();
    assert_eq!(second.images_encoded, 0, "{second:?}");
    assert_eq!((second.written, second.full.is_none()), (0, true));
    let mut clean = opts.clone();
    clean.clean = true;
    let second = batmi::build(&clean).unwrap();
    assert_eq!(second.images_encoded, 0, "{second:?}");
    assert_eq!(second.images_cached, first.images_encoded);
    assert!(before == files(&f.public()), "a rebuild changed bytes");
    // The body figure removed: its ten files leave the cache, nothing else is encoded.
    let text = std::fs::read_to_string(f.root().join("content/news/deal.mr.md")).unwrap();
    let text = text.replace("![गुंतवणुकीचा आलेख](/images/chart.png \"१४.३ अब्ज डॉलर\")", "");
    f.write("content/news/deal.mr.md", &text);
    let third = batmi::build(&opts).unwrap();
    assert_eq!(third.images_encoded, 0, "{third:?}");
    let left = std::fs::read_dir(&cache).unwrap().count();
    assert_eq!(left, entries - 6, "3 WebP and 3 JPEG widths of the chart");
}

/// The files of the image cache's entries, by name.
fn cache_files(f: &Fixture) -> BTreeMap<String, Vec<u8>> {
    files(&f.root().join(".batmi-cache/img"))
}

#[test]
fn a_warm_build_encodes_nothing_links_the_cache_and_equals_a_cold_build() {
    let f = photo_site();
    let opts = BuildOptions::new(f.root());
    let cold = batmi::build(&opts).unwrap();
    assert_eq!(cold.images_encoded, 19);
    let cold_files = files(&f.public());
    let cache = cache_files(&f);
    // The output removed, the cache kept: a full build again, taking every image from it.
    std::fs::remove_dir_all(f.public()).unwrap();
    let warm = batmi::build(&opts).unwrap();
    assert!(warm.full.is_some(), "{warm:?}");
    assert_eq!((warm.images_encoded, warm.images_cached), (0, 19));
    assert!(
        cold_files == files(&f.public()),
        "the warm build wrote other bytes"
    );
    assert!(cache == cache_files(&f), "the warm build changed the cache");
    // Each image in the output is its cache entry, linked rather than copied.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let inode = |p: &Path| std::fs::metadata(p).unwrap().ino();
        let entries: std::collections::HashSet<u64> = cache
            .keys()
            .map(|name| inode(&f.root().join(".batmi-cache/img").join(name)))
            .collect();
        let images: Vec<&String> = cold_files
            .keys()
            .filter(|p| p.starts_with("img/"))
            .collect();
        assert_eq!(images.len(), 19);
        for rel in images {
            assert!(
                entries.contains(&inode(&f.public().join(rel))),
                "{rel} is a copy"
            );
        }
    }
}

#[test]
fn batmi_replaces_output_files_so_the_cache_entries_they_link_never_change() {
    let f = photo_site();
    let opts = BuildOptions::new(f.root());
    batmi::build(&opts).unwrap();
    let cache = cache_files(&f);
    let images: Vec<String> = files(&f.public())
        .into_keys()
        .filter(|p| p.starts_with("img/"))
        .collect();
    // Every way batmi puts a file in an output that already holds one (serve rewrites its
    // output in place of the old files) replaces the file instead of writing into it.
    for rel in &images {
        batmi::output::write::write_file(&f.public(), rel, b"other bytes").unwrap();
    }
    assert!(
        cache == cache_files(&f),
        "a write reached the cache through a link"
    );
    let entry = f
        .root()
        .join(".batmi-cache/img")
        .join(cache.keys().next().unwrap());
    for rel in &images {
        batmi::output::write::link_file(&f.public(), rel, &entry, b"").unwrap();
        batmi::output::write::write_file(&f.public(), rel, b"more bytes").unwrap();
    }
    assert!(
        cache == cache_files(&f),
        "a write reached the cache through a link"
    );
}

#[test]
fn an_output_image_written_into_in_place_is_made_again_and_never_reused() {
    let f = photo_site();
    let opts = BuildOptions::new(f.root());
    batmi::build(&opts).unwrap();
    let cold = files(&f.public());
    let cache = cache_files(&f);
    // Someone overwrites a card in the output in place (`cp other.jpg public/img/card-...`),
    // and through the link the cache entry too.
    let card = cold.keys().find(|p| p.starts_with("img/card-")).unwrap();
    {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .truncate(true)
            .open(f.public().join(card))
            .unwrap();
        file.write_all(b"not a card").unwrap();
    }
    // The next full build finds the entry damaged, encodes that card alone again, and writes
    // what a clean build writes; the cache holds the right bytes again.
    let mut clean = opts.clone();
    clean.clean = true;
    let again = batmi::build(&clean).unwrap();
    assert_eq!((again.images_encoded, again.images_cached), (1, 18));
    assert!(
        cold == files(&f.public()),
        "a damaged entry reached the output"
    );
    assert!(
        cache == cache_files(&f),
        "the damaged entry was not made again"
    );
}

#[test]
fn serve_shows_the_same_images_and_cards_as_a_full_build() {
    let f = photo_site();
    let dir = tempfile::tempdir().unwrap();
    let mut opts = BuildOptions::new(f.root());
    opts.output = dir.path().join("serve");
    let (mut inc, _) = batmi::incremental::Incremental::start(opts).unwrap();
    let full = dir.path().join("full");
    let check = |inc: &mut batmi::incremental::Incremental, what: &str| {
        inc.finish_deferred().unwrap();
        let mut o = BuildOptions::new(f.root());
        o.output = full.clone();
        batmi::build(&o).unwrap();
        same_files(&full, &dir.path().join("serve")).unwrap_or_else(|e| panic!("{what}: {e}"));
    };
    check(&mut inc, "start");
    let story = "content/news/deal.en.md";
    let edit = |from: &str, to: &str| {
        let p = f.root().join(story);
        let t = std::fs::read_to_string(&p).unwrap();
        assert!(t.contains(from));
        std::fs::write(&p, t.replace(from, to)).unwrap();
    };
    edit("Meta invests", "Meta puts");
    inc.rebuild(&[story.into()]).unwrap();
    check(&mut inc, "a new headline: a new card");
    edit(
        "image_alt = \"Meta's office\"",
        "image_alt = \"The office of Meta\"",
    );
    inc.rebuild(&[story.into()]).unwrap();
    check(&mut inc, "new alt text");
    f.write_bytes("content/news/photo.jpg", &jpeg_with_exif(1200, 800, 1));
    inc.rebuild(&[f.root().join("content/news/photo.jpg")])
        .unwrap();
    check(&mut inc, "the photo replaced");
    edit("image = \"photo.jpg\"\n", "");
    edit("image_alt = \"The office of Meta\"\n", "");
    inc.rebuild(&[story.into()]).unwrap();
    check(&mut inc, "the lead image removed");
}

#[test]
fn image_names_carry_a_hash_and_publish_caches_them_for_a_year() {
    let f = photo_site();
    f.build_ok();
    let out = files(&f.public());
    let names: Vec<&String> = out.keys().filter(|p| p.starts_with("img/")).collect();
    assert!(!names.is_empty());
    for n in names {
        assert_eq!(
            batmi::publish::plan::cache_control(n),
            "public, max-age=31536000, immutable",
            "{n}"
        );
    }
}

#[test]
fn every_story_of_the_default_site_has_a_lead_picture_and_a_card() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    // A copy, so that the test's cache and output stay out of the checkout.
    for top in ["content", "templates", "static"] {
        for e in walkdir::WalkDir::new(repo.join(top)) {
            let e = e.unwrap();
            let dest = dir.path().join(e.path().strip_prefix(repo).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&dest).unwrap();
            } else {
                std::fs::copy(e.path(), &dest).unwrap();
            }
        }
    }
    std::fs::copy(repo.join("config.toml"), dir.path().join("config.toml")).unwrap();
    batmi::build(&BuildOptions::new(dir.path())).unwrap();
    let out = files(&dir.path().join("public"));
    let stories: Vec<&String> = out
        .keys()
        .filter(|p| p.contains("news/") && p.ends_with("/index.html") && !p.contains("/page/"))
        .filter(|p| *p != "news/index.html" && *p != "en/news/index.html")
        // An alias's page only sends the reader on.
        .filter(|p| !String::from_utf8_lossy(&out[*p]).contains("http-equiv=\"refresh\""))
        .collect();
    assert_eq!(stories.len(), 18, "{stories:?}");
    let mut figures = 0;
    for page in stories {
        let html = String::from_utf8_lossy(&out[page]).into_owned();
        let img = "fetchpriority=\"high\"";
        let srcset = attr(&html, "type=\"image/webp\"", "srcset");
        assert!(srcset.split(", ").count() >= 3, "{page}: {srcset}");
        assert!(
            attr(&html, img, "width").parse::<u32>().unwrap() >= 1200,
            "{page}"
        );
        assert!(
            attr(&html, img, "height").parse::<u32>().unwrap() > 0,
            "{page}"
        );
        assert!(attr(&html, img, "alt").chars().count() > 10, "{page}");
        assert!(
            html.contains("<figcaption>"),
            "{page}: a caption and credit"
        );
        let card = attr(&html, "property=\"og:image\"", "content");
        assert_eq!(dims(output(&out, &card)), (1200, 630), "{page}");
        figures += html.matches("class=\"story-figure\"").count();
    }
    assert!(
        figures >= 4,
        "two stories, in both languages, have an inline figure: {figures}"
    );
}
