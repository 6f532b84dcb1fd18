//! Shortcodes: Tera templates called from a story's Markdown, one per line.
//!
//! `{{ name(key="value", n=3) }}` on a line of its own calls `templates/shortcodes/name.html`
//! with the arguments as variables; `{% name(...) %}` … `{% end %}`, each on its own line,
//! also passes the Markdown between them, rendered, as `body`. Calls start at the first
//! column and are never looked for inside fenced code. This module only finds calls and
//! masks them out of the text; `markdown` renders around them.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::Value;

/// One shortcode call in a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: BTreeMap<String, Value>,
    /// The call's lines, from the start of its first line to the end of its last (without
    /// the last line's newline).
    pub span: Range<usize>,
    /// The Markdown between `{% name(...) %}` and `{% end %}`, for block calls.
    pub inner: Option<Range<usize>>,
}

impl Call {
    /// A string argument.
    pub fn str(&self, key: &str) -> Option<&str> {
        self.args.get(key).and_then(Value::as_str)
    }
}

/// A call that cannot be read: where, what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
    pub help: String,
}

/// The placeholder a call's lines become before Markdown parses the body: an HTML comment
/// on one line, which Markdown passes through as a block of its own wherever it stands.
pub fn placeholder(n: usize) -> String {
    format!("<!--batmi-shortcode-{n}-->")
}

/// The top-level calls of `body` (block calls hold theirs in `inner`), in order.
pub fn find(body: &str) -> Result<Vec<Call>, Vec<SyntaxError>> {
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    // Open block calls: the call so far and where its body starts.
    let mut open: Vec<(Call, usize)> = Vec::new();
    let mut fence: Option<(u8, usize)> = None;
    for (start, line) in lines(body) {
        let text = line.trim_end();
        if let Some(f) = fence_of(text) {
            match fence {
                None => fence = Some(f),
                Some((c, n))
                    if f.0 == c && f.1 >= n && text.trim_start()[f.1..].trim().is_empty() =>
                {
                    fence = None
                }
                Some(_) => {}
            }
            continue;
        }
        if fence.is_some() {
            continue;
        }
        let end = start + text.len();
        if let Some(rest) = text.strip_prefix("{%") {
            let Some(inside) = rest.strip_suffix("%}") else {
                errors.push(error(
                    start,
                    "this shortcode line does not end with %}",
                    "write the whole {% name(...) %} on one line",
                ));
                continue;
            };
            let inside = inside.trim();
            if inside == "end" {
                match open.pop() {
                    Some((mut call, body_start)) => {
                        call.inner = Some(body_start..start.max(body_start));
                        call.span.end = end;
                        if open.is_empty() {
                            calls.push(call);
                        }
                    }
                    None => errors.push(error(
                        start,
                        "{% end %} closes no shortcode",
                        "remove it, or open the block above with {% name(...) %}",
                    )),
                }
                continue;
            }
            match parse_call(inside) {
                Ok((name, args)) => {
                    let next = (end + 1).min(body.len());
                    open.push((
                        Call {
                            name,
                            args,
                            span: start..end,
                            inner: None,
                        },
                        next,
                    ));
                }
                Err((message, help)) => errors.push(error(start, &message, &help)),
            }
        } else if let Some(rest) = text.strip_prefix("{{") {
            let Some(inside) = rest.strip_suffix("}}") else {
                errors.push(error(
                    start,
                    "this shortcode line does not end with }}",
                    "write the whole {{ name(...) }} on one line",
                ));
                continue;
            };
            match parse_call(inside.trim()) {
                Ok((name, args)) if open.is_empty() => calls.push(Call {
                    name,
                    args,
                    span: start..end,
                    inner: None,
                }),
                Ok(_) => {}
                Err((message, help)) => errors.push(error(start, &message, &help)),
            }
        }
    }
    for (call, _) in open {
        errors.push(error(
            call.span.start,
            &format!("the shortcode {} is never closed", call.name),
            "add a line {% end %} where its text ends",
        ));
    }
    if errors.is_empty() {
        Ok(calls)
    } else {
        Err(errors)
    }
}

/// `body` with each call's lines replaced by [`placeholder`], and a map from offsets in the
/// masked text back to offsets in `body`.
pub fn mask(body: &str, calls: &[Call]) -> (String, OffsetMap) {
    let mut out = String::with_capacity(body.len());
    let mut map = OffsetMap::default();
    let mut at = 0;
    for (n, call) in calls.iter().enumerate() {
        out.push_str(&body[at..call.span.start]);
        let p = placeholder(n);
        map.shifts.push((out.len() + p.len(), call.span.end));
        map.starts.push(out.len());
        out.push_str(&p);
        at = call.span.end;
    }
    out.push_str(&body[at..]);
    (out, map)
}

/// Offsets in a masked body back to offsets in the text as written.
#[derive(Debug, Default)]
pub struct OffsetMap {
    /// Where each placeholder ends in the masked text, and where its call ended in the body.
    shifts: Vec<(usize, usize)>,
    /// Where each placeholder starts in the masked text.
    starts: Vec<usize>,
}

impl OffsetMap {
    /// The offset in the body of offset `masked` of the masked text.
    pub fn original(&self, masked: usize) -> usize {
        let i = self.shifts.partition_point(|&(end, _)| end <= masked);
        match i.checked_sub(1) {
            Some(k) => self.shifts[k].1 + (masked - self.shifts[k].0),
            None => masked,
        }
    }

    /// The call whose placeholder starts at offset `masked`, if one does.
    pub fn call_at(&self, masked: usize) -> Option<usize> {
        self.starts.binary_search(&masked).ok()
    }
}

fn error(offset: usize, message: &str, help: &str) -> SyntaxError {
    SyntaxError {
        offset,
        message: message.to_string(),
        help: help.to_string(),
    }
}

/// Each line with the offset it starts at.
fn lines(body: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    body.split_inclusive('\n').map(move |l| {
        let start = at;
        at += l.len();
        (start, l.strip_suffix('\n').unwrap_or(l))
    })
}

/// The fence character and length of a line that opens or closes fenced code.
fn fence_of(line: &str) -> Option<(u8, usize)> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent > 3 {
        return None;
    }
    let rest = &line.as_bytes()[indent..];
    let c = *rest.first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = rest.iter().take_while(|&&b| b == c).count();
    (n >= 3).then_some((c, n))
}

type Parsed = (String, BTreeMap<String, Value>);

/// `name(key=value, ...)`.
fn parse_call(s: &str) -> Result<Parsed, (String, String)> {
    let usage = || "write it as name(key=\"text\", other=3)".to_string();
    let Some((name, rest)) = s.split_once('(') else {
        return Err((format!("\"{s}\" is not a shortcode call"), usage()));
    };
    let name = name.trim();
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !valid {
        return Err((
            format!("\"{name}\" is not a shortcode name"),
            "shortcode names are lower-case letters, digits, - and _, like the file name in templates/shortcodes/".into(),
        ));
    }
    let Some(args) = rest.trim_end().strip_suffix(')') else {
        return Err((
            format!("the arguments of {name} are not closed with )"),
            usage(),
        ));
    };
    let mut out = BTreeMap::new();
    let mut p = Cursor {
        s: args.as_bytes(),
        at: 0,
    };
    loop {
        p.skip_spaces();
        if p.done() {
            break;
        }
        let key = p.word();
        p.skip_spaces();
        if key.is_empty() || !p.eat(b'=') {
            return Err((
                format!(
                    "the arguments of {name} cannot be read near \"{}\"",
                    p.rest()
                ),
                usage(),
            ));
        }
        p.skip_spaces();
        let value = p
            .value()
            .map_err(|why| (format!("{name}: {why}"), usage()))?;
        if out.insert(key.clone(), value).is_some() {
            return Err((
                format!("{name} is given {key} twice"),
                "keep one of them".into(),
            ));
        }
        p.skip_spaces();
        if !p.done() && !p.eat(b',') {
            return Err((
                format!(
                    "put a comma between the arguments of {name}, near \"{}\"",
                    p.rest()
                ),
                usage(),
            ));
        }
    }
    Ok((name.to_string(), out))
}

/// Reads an argument list byte by byte; strings are UTF-8 and copied whole.
struct Cursor<'a> {
    s: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.at >= self.s.len()
    }

    fn rest(&self) -> String {
        String::from_utf8_lossy(&self.s[self.at..]).into_owned()
    }

    fn skip_spaces(&mut self) {
        while self.s.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> bool {
        let hit = self.s.get(self.at) == Some(&b);
        self.at += usize::from(hit);
        hit
    }

    fn word(&mut self) -> String {
        let start = self.at;
        while self
            .s
            .get(self.at)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_')
        {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.at]).into_owned()
    }

    /// A quoted string (`"…"` or `'…'`, with `\"`, `\'` and `\\`), a number, true or false.
    fn value(&mut self) -> Result<Value, String> {
        match self.s.get(self.at) {
            Some(&q @ (b'"' | b'\'')) => {
                self.at += 1;
                let mut bytes = Vec::new();
                loop {
                    match self.s.get(self.at) {
                        None => return Err("a quoted value is not closed".into()),
                        Some(b'\\')
                            if matches!(self.s.get(self.at + 1), Some(b'"' | b'\'' | b'\\')) =>
                        {
                            bytes.push(self.s[self.at + 1]);
                            self.at += 2;
                        }
                        Some(&b) if b == q => {
                            self.at += 1;
                            break;
                        }
                        Some(&b) => {
                            bytes.push(b);
                            self.at += 1;
                        }
                    }
                }
                Ok(Value::String(
                    String::from_utf8(bytes).expect("cut at ASCII quotes of UTF-8 text"),
                ))
            }
            _ => {
                let word = {
                    let start = self.at;
                    while self
                        .s
                        .get(self.at)
                        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
                    {
                        self.at += 1;
                    }
                    String::from_utf8_lossy(&self.s[start..self.at]).into_owned()
                };
                match word.as_str() {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    w => {
                        if let Ok(n) = w.parse::<i64>() {
                            Ok(n.into())
                        } else if let Some(n) =
                            w.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
                        {
                            Ok(Value::Number(n))
                        } else {
                            Err(format!("\"{w}\" is not a value: put text in quotes"))
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_found_with_their_arguments() {
        let body =
            "Text.\n\n{{ figure(src=\"/a.png\", alt='चित्र \\'एक\\'', n=3, big=true) }}\n\nMore.\n";
        let calls = find(body).unwrap();
        assert_eq!(calls.len(), 1);
        let c = &calls[0];
        assert_eq!(c.name, "figure");
        assert_eq!(c.str("src"), Some("/a.png"));
        assert_eq!(c.str("alt"), Some("चित्र 'एक'"));
        assert_eq!(c.args["n"], Value::from(3));
        assert_eq!(c.args["big"], Value::Bool(true));
        assert_eq!(
            &body[c.span.clone()],
            "{{ figure(src=\"/a.png\", alt='चित्र \\'एक\\'', n=3, big=true) }}"
        );
    }

    #[test]
    fn block_calls_hold_their_markdown_and_nested_calls() {
        let body = "{% factbox(title=\"x\") %}\n- one\n{% pullquote() %}\nq\n{% end %}\n{% end %}\nafter\n";
        let calls = find(body).unwrap();
        assert_eq!(calls.len(), 1);
        let inner = &body[calls[0].inner.clone().unwrap()];
        assert_eq!(inner, "- one\n{% pullquote() %}\nq\n{% end %}\n");
        assert_eq!(find(inner).unwrap()[0].name, "pullquote");
    }

    #[test]
    fn calls_in_fenced_code_or_indented_are_left_alone() {
        let body = "```\n{{ figure() }}\n```\n  {{ figure() }}\n~~~~\n{% x() %}\n~~~~\n";
        assert_eq!(find(body).unwrap(), vec![]);
    }

    #[test]
    fn bad_calls_say_where_and_how_to_fix() {
        for (body, said) in [
            ("a\n{{ figure(src=\"x) }}\n", "not closed"),
            ("a\n{{ Figure() }}\n", "not a shortcode name"),
            ("a\n{{ figure(src=\"x\" y=1) }}\n", "comma"),
            ("a\n{{ figure(src=x) }}\n", "put text in quotes"),
            ("a\n{% factbox() %}\ntext\n", "never closed"),
            ("a\n{% end %}\n", "closes no shortcode"),
            ("a\n{{ figure(a=1, a=2) }}\n", "twice"),
        ] {
            let errors = find(body).unwrap_err();
            assert_eq!(errors[0].offset, 2, "{body}");
            assert!(errors[0].message.contains(said), "{body}: {:?}", errors[0]);
        }
    }

    #[test]
    fn masked_offsets_map_back_to_the_text() {
        let body = "ab\n{{ x(a=\"long value here\") }}\ncd [l](@/x.md)\n";
        let calls = find(body).unwrap();
        let (masked, map) = mask(body, &calls);
        let at = masked.find("[l]").unwrap();
        assert_eq!(map.original(at), body.find("[l]").unwrap());
        assert_eq!(map.original(1), 1);
        assert_eq!(map.call_at(masked.find("<!--").unwrap()), Some(0));
    }
}
