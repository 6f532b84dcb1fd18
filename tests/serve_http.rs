//! `batmi serve` over real HTTP: the real binary on a small fixture site, asked with raw
//! requests over a `TcpStream` so that no client tidies the paths first. Traversal attempts,
//! symlinks, content types, the 404 pages, directory redirects and the live-reload script.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{Fixture, story};

/// Generous: two cores may be busy compiling other crates while this runs.
const STARTUP: Duration = Duration::from_secs(60);
const IO_TIMEOUT: Duration = Duration::from_secs(30);
const SECRET: &str = "batmi-secret-5e1f0c";

/// A 1×1 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f,
    0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];
/// An icon directory header naming one 1×1 image (enough to be an `.ico` by its looks).
const ICO: &[u8] = &[
    0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 1, 0, 32, 0, 70, 0, 0, 0, 22, 0, 0, 0,
];
/// The WOFF2 signature and a zeroed header.
const WOFF2: &[u8] = b"wOF2\0\x01\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// A bilingual story pair plus one static file of every kind the server must label.
fn site() -> Fixture {
    let f = Fixture::empty();
    f.write("config.toml", common::CONFIG);
    f.write(
        "content/news/deal.mr.md",
        &story(
            "मेटाची गुंतवणूक",
            "2025-08-29T09:30:00+05:30",
            &["Meta"],
            "मेटाने स्केल एआयमध्ये गुंतवणूक केली.",
        ),
    );
    f.write(
        "content/news/deal.en.md",
        &story(
            "Meta invests",
            "2025-08-29T09:30:00+05:30",
            &["Meta"],
            "Meta invested in Scale AI.",
        ),
    );
    f.write("static/app.js", "console.log(\"batmi\");\n");
    f.write("static/extra.css", "body { margin: 0 }\n");
    f.write(
        "static/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\"/></svg>\n",
    );
    f.write_bytes("static/fonts/body.woff2", WOFF2);
    f.write_bytes("static/img/dot.png", PNG);
    f.write_bytes("static/favicon.ico", ICO);
    f
}

/// The running server; killed when dropped, also when a test panics.
struct Server {
    child: Child,
    port: u16,
    /// The server's `TMPDIR`: its private preview directory is made in here, and its output
    /// is logged here.
    tmp: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    l.local_addr().unwrap().port()
}

impl Server {
    /// Starts `batmi serve --root <root> --port <free port>` and waits until it listens.
    fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    /// Like `start`, with more arguments. With `--quiet` the server does not say when it
    /// listens: it is ready once it answers.
    fn start_with(root: &Path, extra: &[&str]) -> Server {
        let quiet = extra.iter().any(|a| *a == "--quiet" || *a == "-q");
        // The free port can be taken by another test between asking and binding: try again.
        for attempt in 0.. {
            let port = free_port();
            let tmp = tempfile::tempdir().expect("temp dir");
            let stdout = std::fs::File::create(tmp.path().join("stdout.log")).unwrap();
            let stderr = std::fs::File::create(tmp.path().join("stderr.log")).unwrap();
            let child = Command::new(env!("CARGO_BIN_EXE_batmi"))
                .arg("serve")
                .arg("--root")
                .arg(root)
                .args(["--port", &port.to_string()])
                .args(extra)
                .env("TMPDIR", tmp.path())
                .stdin(Stdio::null())
                .stdout(stdout)
                .stderr(stderr)
                .spawn()
                .expect("run batmi serve");
            let mut server = Server { child, port, tmp };
            let ready = format!("serving http://127.0.0.1:{port}/");
            let deadline = Instant::now() + STARTUP;
            loop {
                let answers = || quiet && TcpStream::connect(("127.0.0.1", port)).is_ok();
                if server.stdout().contains(&ready) || answers() {
                    return server;
                }
                if let Ok(Some(status)) = server.child.try_wait() {
                    if server.stderr().contains("cannot listen") && attempt < 5 {
                        break;
                    }
                    panic!(
                        "batmi serve exited with {status} before listening:\n{}\n{}",
                        server.stdout(),
                        server.stderr()
                    );
                }
                assert!(
                    Instant::now() < deadline,
                    "batmi serve did not listen within {STARTUP:?}:\n{}\n{}",
                    server.stdout(),
                    server.stderr()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        unreachable!()
    }

    fn stdout(&self) -> String {
        std::fs::read_to_string(self.tmp.path().join("stdout.log")).unwrap_or_default()
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.tmp.path().join("stderr.log")).unwrap_or_default()
    }

    /// The private directory the server made (`$TMPDIR/batmi-serve-*`).
    fn private_dir(&self) -> PathBuf {
        let dirs: Vec<PathBuf> = std::fs::read_dir(self.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("batmi-serve-"))
            })
            .collect();
        assert_eq!(dirs.len(), 1, "one private directory: {dirs:?}");
        dirs[0].clone()
    }

    /// Where the site is served from.
    fn out_dir(&self) -> PathBuf {
        let out = self.private_dir().join("site");
        assert!(out.join("index.html").is_file(), "{}", out.display());
        out
    }

    /// Waits until the terminal shows `needle` (a rebuild line, say).
    fn wait_for_stdout(&self, needle: &str) {
        let deadline = Instant::now() + STARTUP;
        while !self.stdout().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "the terminal never showed {needle:?}:\n{}\n{}",
                self.stdout(),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn get(&self, target: &str) -> Response {
        get(self.port, target)
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `GET <target>` exactly as written and reads the whole answer.
fn get(port: u16, target: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    s.set_write_timeout(Some(IO_TIMEOUT)).unwrap();
    write!(
        s,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)
        .unwrap_or_else(|e| panic!("GET {target}: {e}"));
    parse(&raw)
}

fn parse(raw: &[u8]) -> Response {
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        // The server hung up without an answer: certainly not a 200.
        return Response {
            status: 0,
            headers: Vec::new(),
            body: raw.to_vec(),
        };
    };
    let head = String::from_utf8_lossy(&raw[..split]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut res = Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    };
    if res
        .header("transfer-encoding")
        .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
    {
        res.body = dechunk(&res.body);
    }
    res
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = data.windows(2).position(|w| w == b"\r\n") {
        let size = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size.split(';').next().unwrap().trim(), 16).unwrap();
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
    out
}

/// Never a 200, never a byte of anything planted outside the served directory.
fn assert_refused(res: &Response, target: &str) {
    let text = res.text();
    assert!(
        (400..500).contains(&res.status) || res.status == 0,
        "GET {target}: status {} (want 4xx)\n{text}",
        res.status
    );
    for leak in [SECRET, "root:x:0:0", "[languages"] {
        assert!(
            !text.contains(leak),
            "GET {target} leaked {leak:?}:\n{text}"
        );
    }
}

#[test]
fn traversal_attempts_never_reach_files_outside_the_site() {
    let f = site();
    let server = Server::start(f.root());
    let out = server.out_dir();
    let private = server.private_dir();
    let tmp = server.tmp.path();
    // Plant secrets where a server that let `..` through would land: next to the served
    // folder, one and two levels up, and at etc/passwd relative to each.
    for dir in [&private, &tmp.to_path_buf()] {
        std::fs::write(dir.join("config.toml"), format!("{SECRET}\n[languages]\n")).unwrap();
        std::fs::create_dir_all(dir.join("etc")).unwrap();
        std::fs::write(dir.join("etc/passwd"), format!("root:x:0:0:{SECRET}\n")).unwrap();
    }
    // A plain request still works, so a refusal below means something.
    assert_eq!(server.get("/").status, 200);
    let abs = private.join("config.toml").display().to_string();
    let abs_form = format!("http://127.0.0.1:{}/../config.toml", server.port);
    let targets = [
        "/../config.toml",
        "/../../config.toml",
        "/news/../../config.toml",
        "/news/deal/../../../config.toml",
        "/%2e%2e/config.toml",
        "/%2E%2E/config.toml",
        "/%2e%2e/%2e%2e/config.toml",
        "/.%2e/config.toml",
        "/%2e./config.toml",
        "/news/..%2f..%2fconfig.toml",
        "/news/%2e%2e%2f%2e%2e%2fconfig.toml",
        "/%2fconfig.toml",
        "/..%5cconfig.toml",
        "/..%5c..%5cconfig.toml",
        "/%c0%ae%c0%ae/config.toml",
        "/%252e%252e/config.toml",
        "/..",
        "/../",
        "//etc/passwd",
        "/../../etc/passwd",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2fetc%2fpasswd",
        "/etc/passwd%00.html",
        "/C:/Windows/win.ini",
        "/C:%5CWindows%5Cwin.ini",
        "/c:\\windows\\win.ini",
        "/..\\config.toml",
        "/\\\\server\\share\\config.toml",
        "/%5c%5cserver%5cshare%5cconfig.toml",
        "/file:///etc/passwd",
        &abs,
        &format!("/{abs}"),
        &abs_form,
    ];
    for target in targets {
        assert_refused(&server.get(target), target);
    }
    // Still serving after all that.
    assert_eq!(server.get("/news/deal/").status, 200);
    assert!(out.join("news/deal/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn symlinks_never_lead_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), SECRET).unwrap();
    std::fs::create_dir_all(outside.path().join("dir")).unwrap();
    std::fs::write(outside.path().join("dir/secret.txt"), SECRET).unwrap();
    let f = site();
    let link = |to: &str, from: &Path| std::os::unix::fs::symlink(outside.path().join(to), from);
    link("secret.txt", &f.root().join("static/leak.txt")).unwrap();
    link("dir", &f.root().join("static/leak-dir")).unwrap();

    let server = Server::start(f.root());
    assert_refused(&server.get("/leak.txt"), "/leak.txt");
    assert_refused(&server.get("/leak-dir/secret.txt"), "/leak-dir/secret.txt");

    // Links inside the served folder itself: the resolved path must stay inside it.
    let out = server.out_dir();
    link("secret.txt", &out.join("planted.txt")).unwrap();
    link("dir", &out.join("planted-dir")).unwrap();
    assert_refused(&server.get("/planted.txt"), "/planted.txt");
    assert_refused(
        &server.get("/planted-dir/secret.txt"),
        "/planted-dir/secret.txt",
    );
    assert_refused(&server.get("/planted-dir/"), "/planted-dir/");
}

/// Known failure: `Incremental::rebuild` copies a changed static file with `from.is_file()`
/// and `fs::copy`, which follow links, so a link made while serving is served with its
/// target's bytes (the full build's `copy_static` skips links). Remove the `ignore` once
/// `src/incremental.rs` checks `symlink_metadata` there.
#[cfg(unix)]
#[test]
fn a_symlink_added_to_static_while_serving_is_not_served() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), SECRET).unwrap();
    let f = site();
    let server = Server::start(f.root());
    assert_eq!(server.get("/app.js").status, 200);
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        f.root().join("static/late.txt"),
    )
    .unwrap();
    server.wait_for_stdout("changed static/late.txt");
    assert_refused(&server.get("/late.txt"), "/late.txt");
}

#[test]
fn files_are_served_with_their_content_types() {
    let f = site();
    let server = Server::start(f.root());
    let out = server.out_dir();
    let html = ["text/html; charset=utf-8"];
    let css = ["text/css; charset=utf-8"];
    let js = [
        "text/javascript; charset=utf-8",
        "application/javascript; charset=utf-8",
    ];
    let xml = [
        "application/atom+xml; charset=utf-8",
        "application/xml; charset=utf-8",
        "text/xml; charset=utf-8",
    ];
    let gz = ["application/gzip", "application/x-gzip"];
    let svg = ["image/svg+xml; charset=utf-8", "image/svg+xml"];
    let cases: &[(&str, &[&str])] = &[
        ("/", &html),
        ("/news/deal/", &html),
        ("/en/news/deal/", &html),
        ("/style.css", &css),
        ("/extra.css", &css),
        ("/app.js", &js),
        ("/search.js", &js),
        ("/atom.xml", &xml),
        ("/en/atom.xml", &xml),
        ("/sitemap.xml", &xml),
        ("/search/manifest.gz", &gz),
        ("/en/search/manifest.gz", &gz),
        ("/logo.svg", &svg),
        ("/fonts/body.woff2", &["font/woff2"]),
        ("/img/dot.png", &["image/png"]),
        (
            "/favicon.ico",
            &["image/x-icon", "image/vnd.microsoft.icon"],
        ),
    ];
    for (path, want) in cases {
        let res = server.get(path);
        assert_eq!(res.status, 200, "GET {path}");
        let got = res.header("content-type").unwrap_or("(none)");
        assert!(
            want.contains(&got),
            "GET {path}: Content-Type {got}, want one of {want:?}"
        );
        assert_eq!(
            res.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        // Everything but HTML arrives byte for byte as built.
        if !got.starts_with("text/html") {
            let file = out.join(path.trim_start_matches('/'));
            assert_eq!(res.body, std::fs::read(&file).unwrap(), "GET {path}");
        }
    }
    // Binary files are not mangled on the way (no text decoding, no injected script).
    assert_eq!(server.get("/img/dot.png").body, PNG);
    assert_eq!(server.get("/fonts/body.woff2").body, WOFF2);
    assert_eq!(server.get("/favicon.ico").body, ICO);
    // Links point at the preview, not at the real site.
    let feed = server.get("/atom.xml").text();
    assert!(
        feed.contains(&format!("http://127.0.0.1:{}/", server.port)),
        "{feed}"
    );
    assert!(!feed.contains("news.test"), "{feed}");
    assert!(
        !server
            .get("/news/deal/")
            .text()
            .contains("https://news.test")
    );
    assert!(!f.public().exists(), "serve wrote into the site's public/");
}

#[test]
fn unknown_paths_get_the_sites_404_page_in_their_language() {
    let f = site();
    let server = Server::start(f.root());
    let out = server.out_dir();
    let page =
        |rel: &str| batmi::serve::files::inject(&std::fs::read_to_string(out.join(rel)).unwrap());
    let mr = page("404.html");
    let en = page("en/404.html");
    assert_ne!(mr, en);
    for (path, want) in [
        ("/no-such-story/", &mr),
        ("/news/no-such-story/", &mr),
        ("/missing.css", &mr),
        ("/english/x/", &mr),
        ("/en/no-such-story/", &en),
        ("/en/news/missing/", &en),
    ] {
        let res = server.get(path);
        assert_eq!(res.status, 404, "GET {path}");
        assert_eq!(
            res.header("content-type"),
            Some("text/html; charset=utf-8"),
            "GET {path}"
        );
        assert!(
            res.text() == **want,
            "GET {path}: not the expected 404 page:\n{}",
            res.text()
        );
    }
    assert!(en.contains("lang=\"en\""));
    assert!(mr.contains("lang=\"mr\""));
}

#[test]
fn directories_without_a_trailing_slash_redirect() {
    let f = site();
    let server = Server::start(f.root());
    for (path, to) in [
        ("/news", "/news/"),
        ("/en", "/en/"),
        ("/en/news/deal", "/en/news/deal/"),
        ("/search", "/search/"),
    ] {
        let res = server.get(path);
        assert!(
            matches!(res.status, 301 | 302 | 307 | 308),
            "GET {path}: {}",
            res.status
        );
        assert_eq!(res.header("location"), Some(to), "GET {path}");
        assert_eq!(server.get(to).status, 200, "GET {to}");
    }
}

#[test]
fn html_pages_carry_the_live_reload_script() {
    let f = site();
    let server = Server::start(f.root());
    let out = server.out_dir();
    for (path, file) in [
        ("/", "index.html"),
        ("/news/deal/", "news/deal/index.html"),
        ("/en/", "en/index.html"),
    ] {
        let body = server.get(path).text();
        let built = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(
            !built.contains("batmi-live"),
            "the script is in the built file"
        );
        assert_eq!(
            body.matches("<script id=\"batmi-live\">").count(),
            1,
            "GET {path}"
        );
        assert!(
            body.contains("new EventSource(\"/__batmi/events\")"),
            "GET {path}"
        );
        let script = body.find("batmi-live").unwrap();
        assert!(
            script < body.rfind("</body>").unwrap(),
            "GET {path}: script after </body>"
        );
        assert_eq!(body, batmi::serve::files::inject(&built), "GET {path}");
    }
    assert!(!server.get("/style.css").text().contains("batmi-live"));
    assert!(!server.get("/atom.xml").text().contains("batmi-live"));

    // The event stream answers at once with its first message.
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    s.set_read_timeout(Some(IO_TIMEOUT)).unwrap();
    write!(
        s,
        "GET /__batmi/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + IO_TIMEOUT;
    while !String::from_utf8_lossy(&got).contains("data: hello") {
        assert!(
            Instant::now() < deadline,
            "no first event: {}",
            String::from_utf8_lossy(&got)
        );
        let n = s.read(&mut buf).expect("read the event stream");
        assert!(n > 0, "stream closed: {}", String::from_utf8_lossy(&got));
        got.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&got).to_ascii_lowercase();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-type: text/event-stream"), "{head}");
}

#[test]
fn an_edit_reaches_the_search_index_and_sitemap_once_the_editor_pauses() {
    let f = site();
    let server = Server::start(f.root());
    // The search index's delta, where a new word of the story lands (gzip JSON, named by the
    // manifest); its terms are folded: झुळूक → झुळुक.
    let delta = || {
        let gunzip = |b: &[u8]| {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(b), &mut s).ok();
            s
        };
        let manifest: serde_json::Value =
            serde_json::from_str(&gunzip(&server.get("/search/manifest.gz").body))
                .unwrap_or_default();
        let name = manifest["delta"].as_str().unwrap_or_default().to_string();
        gunzip(&server.get(&format!("/search/{name}")).body)
    };
    assert!(!delta().contains("झुळुक"));
    f.write(
        "content/news/deal.mr.md",
        &story(
            "मेटाची गुंतवणूक",
            "2025-08-30T09:30:00+05:30",
            &["Meta"],
            "मेटाने स्केल एआयमध्ये गुंतवणूक केली. झुळूक.",
        ),
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let index = delta();
        let sitemap = server.get("/sitemap-stories-1.xml").text();
        if index.contains("झुळुक") && sitemap.contains("2025-08-30") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "search index or sitemap not updated within 10 s:\n{}\n{}",
            server.stdout(),
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn language_404_pages_are_served_after_a_first_build_that_failed_is_fixed() {
    let f = site();
    let good = std::fs::read_to_string(f.root().join("content/news/deal.en.md")).unwrap();
    f.write("content/news/deal.en.md", "+++\ntitle = \"broken\n+++\n");
    let server = Server::start(f.root());
    f.write("content/news/deal.en.md", &good);
    // Wait for the rebuild that succeeds, then for its files.
    let deadline = Instant::now() + STARTUP;
    let en404 = server.private_dir().join("site/en/404.html");
    while !en404.is_file() {
        assert!(
            Instant::now() < deadline,
            "no en/404.html after the fix:\n{}\n{}",
            server.stdout(),
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // The file can appear while the rebuild is still writing the site: compare again until
    // the served page is the file's, or the time is up.
    let res = loop {
        let want = batmi::serve::files::inject(&std::fs::read_to_string(&en404).unwrap());
        let res = server.get("/en/no-such-story/");
        assert_eq!(res.status, 404);
        if res.text() == want {
            break res;
        }
        assert!(
            Instant::now() < deadline,
            "not the English 404 page:\n{}",
            res.text()
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(res.text().contains("lang=\"en\""));
}

#[test]
fn serve_quiet_prints_nothing_on_success_and_still_prints_errors() {
    let f = site();
    let server = Server::start_with(f.root(), &["--quiet"]);
    assert!(server.get("/").text().contains("मेटाची गुंतवणूक"));
    // An edit is rebuilt (the page changes), then the deferred sitemap and search index.
    f.write(
        "content/news/deal.en.md",
        &story(
            "Meta invests again",
            "2025-08-30T09:30:00+05:30",
            &["Meta"],
            "Meta invested in Scale AI.",
        ),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while !server
        .get("/sitemap-stories-1.xml")
        .text()
        .contains("2025-08-30")
    {
        assert!(Instant::now() < deadline, "the edit was not rebuilt");
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        server
            .get("/en/news/deal/")
            .text()
            .contains("Meta invests again")
    );
    // Give a late line (the deferred rebuild's) the time to show.
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(server.stdout(), "", "stdout under --quiet");
    assert_eq!(server.stderr(), "", "stderr under --quiet");
    // A broken edit: the error still reaches the terminal, and nothing else does.
    f.write(
        "content/news/deal.en.md",
        "+++\ntitle = \"x\"\ndate = \"29/08/2025\"\n+++\n",
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while !server.stderr().contains("invalid date") {
        assert!(
            Instant::now() < deadline,
            "no error shown: {}",
            server.stderr()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        server.stderr().contains("deal.en.md:3"),
        "{}",
        server.stderr()
    );
    assert_eq!(server.stdout(), "", "stdout under --quiet");
}
