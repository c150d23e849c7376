//! A saved reference page (Markdown, or HTML as a browser saves it): the operation it documents and its
//! JSON examples, each classified as a request or a response (with its status when the page says it).
//!
//! Where the page embeds its OpenAPI fragment (Crossmint's Markdown twins: a ```` ```yaml get /path ````
//! block with `openapi:`), the examples come from the fragment, placed exactly; other code blocks are
//! JSON examples classified by the heading or sentence before them, and a curl command's `--data` is a
//! request example.

use serde_json::Value;

/// Which part of an operation an example stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Part {
    Request,
    /// A response, with its status when the page names it.
    Response(Option<String>),
    /// Neither the page nor the block says.
    Unknown,
}

pub struct PageExample {
    pub part: Part,
    pub value: Value,
    /// Where on the page: `OpenAPI fragment, response 200`, `code block 3 (after "Response")`.
    pub origin: String,
}

#[derive(Default)]
pub struct Page {
    /// `(method, path)` pairs the page names, fragment ones first.
    pub routes: Vec<(String, String)>,
    pub examples: Vec<PageExample>,
}

/// Reads a page; `html` when it is an HTML document.
pub fn read_page(text: &str, html: bool) -> Page {
    let mut page = Page::default();
    let blocks = if html {
        html_blocks(text)
    } else {
        markdown_blocks(text)
    };
    for (n, block) in blocks.iter().enumerate() {
        page.block(n + 1, block);
    }
    let plain = if html {
        strip_tags(text)
    } else {
        text.to_owned()
    };
    page.routes.extend(routes_in(&plain));
    page
}

/// A code block with its info string and the text before it (heading, then the last sentence).
struct Block {
    lang: String,
    code: String,
    context: String,
}

impl Page {
    fn block(&mut self, n: usize, block: &Block) {
        let lang = block.lang.to_ascii_lowercase();
        if lang.starts_with("yaml") && block.code.contains("openapi:") {
            self.fragment(&block.lang, &block.code);
            return;
        }
        let code = block.code.trim();
        if let Ok(value) = serde_json::from_str::<Value>(code)
            && (value.is_object() || value.is_array())
        {
            let context = one_line(&block.context);
            self.examples.push(PageExample {
                part: classify(&context),
                value,
                origin: format!("code block {n} (after \"{}\")", tail(&context, 60)),
            });
            return;
        }
        if (code.starts_with("curl") || matches!(lang.as_str(), "bash" | "sh" | "shell" | "curl"))
            && let Some(value) = curl_data(code)
        {
            self.examples.push(PageExample {
                part: Part::Request,
                value,
                origin: format!("code block {n} (curl --data)"),
            });
        }
    }

    /// An embedded OpenAPI fragment: its route (from the info string or its `paths`) and examples.
    fn fragment(&mut self, info: &str, code: &str) {
        self.routes.extend(routes_in(info));
        let Ok(doc) = serde_yaml_ng::from_str::<Value>(code) else {
            return;
        };
        for op in crate::spec::operations(&doc) {
            self.routes.push((op.method.to_owned(), op.path.to_owned()));
            if let Some(content) = op.body.get("requestBody").and_then(|b| b.get("content")) {
                for value in media_examples(content) {
                    self.examples.push(PageExample {
                        part: Part::Request,
                        value,
                        origin: "OpenAPI fragment, request body".into(),
                    });
                }
            }
            for (status, response) in op.responses() {
                for value in response
                    .get("content")
                    .map(media_examples)
                    .unwrap_or_default()
                {
                    self.examples.push(PageExample {
                        part: Part::Response(Some(status.to_owned())),
                        value,
                        origin: format!("OpenAPI fragment, response {status}"),
                    });
                }
            }
        }
    }
}

fn media_examples(content: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for media in content.as_object().into_iter().flatten().map(|(_, m)| m) {
        out.extend(media.get("example").cloned());
        for ex in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            out.extend(ex.1.get("value").cloned());
        }
    }
    out
}

/// Request or response, from the words before a block.
fn classify(context: &str) -> Part {
    let lower = context.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let status = words
        .iter()
        .rev()
        .find(|w| {
            w.len() == 3
                && w.starts_with(['2', '3', '4', '5'])
                && w.bytes().all(|b| b.is_ascii_digit())
        })
        .map(|s| (*s).to_owned());
    let last = |needles: &[&str]| {
        words
            .iter()
            .rposition(|w| needles.iter().any(|n| w.starts_with(n)))
    };
    match (
        last(&["request", "body", "payload"]),
        last(&["response", "returns", "answer"]),
    ) {
        (Some(q), Some(r)) if q > r => Part::Request,
        (Some(_), None) => Part::Request,
        (_, Some(_)) => Part::Response(status),
        (None, None) if status.is_some() => Part::Response(status),
        _ => Part::Unknown,
    }
}

/// The JSON after `--data` / `--data-raw` / `-d` in a curl command.
fn curl_data(code: &str) -> Option<Value> {
    for flag in ["--data-raw", "--data", "-d"] {
        let Some(at) = code.find(&format!("{flag} ")) else {
            continue;
        };
        let rest = code[at + flag.len()..].trim_start();
        let quote = rest.chars().next()?;
        if quote != '\'' && quote != '"' {
            continue;
        }
        let body = &rest[1..];
        let end = body.find(quote)?;
        return serde_json::from_str(&body[..end]).ok();
    }
    None
}

/// Every `METHOD /path` in a text.
fn routes_in(text: &str) -> Vec<(String, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(2)
        .filter_map(|w| {
            let method = w[0]
                .trim_matches(|c: char| !c.is_ascii_alphabetic())
                .to_ascii_lowercase();
            let path = w[1]
                .trim_end_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '}' || c == '/'));
            (crate::spec::HTTP_METHODS.contains(&method.as_str())
                && path.starts_with('/')
                && path.len() > 1)
                .then(|| (method, path.to_owned()))
        })
        .collect()
}

fn markdown_blocks(text: &str) -> Vec<Block> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let mut blocks = Vec::new();
    let (mut heading, mut sentence) = (String::new(), String::new());
    let mut in_heading = false;
    let mut code: Option<(String, String)> = None;
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                in_heading = true;
                heading.clear();
                sentence.clear();
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::Paragraph) => sentence.clear(),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((lang, text)) = code.take() {
                    blocks.push(Block {
                        lang,
                        code: text,
                        context: format!("{heading} {sentence}"),
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => match (&mut code, in_heading) {
                (Some((_, text)), _) => text.push_str(&t),
                (None, true) => heading.push_str(&t),
                (None, false) => sentence.push_str(&t),
            },
            _ => {}
        }
    }
    blocks
}

fn html_blocks(text: &str) -> Vec<Block> {
    let Ok(dom) = tl::parse(text, tl::ParserOptions::default()) else {
        return Vec::new();
    };
    let parser = dom.parser();
    let mut blocks = Vec::new();
    let (mut heading, mut sentence) = (String::new(), String::new());
    for node in dom.nodes() {
        let Some(tag) = node.as_tag() else { continue };
        let name = tag.name().as_utf8_str().to_ascii_lowercase();
        let inner = || html_escape::decode_html_entities(&tag.inner_text(parser)).into_owned();
        match name.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                heading = inner();
                sentence.clear();
            }
            "p" => sentence = inner(),
            "pre" => {
                let class = |t: &tl::HTMLTag<'_>| {
                    t.attributes()
                        .class()
                        .map(|c| c.as_utf8_str().into_owned())
                        .unwrap_or_default()
                };
                let lang = class(tag)
                    .split_whitespace()
                    .find_map(|c| c.strip_prefix("language-"))
                    .unwrap_or_default()
                    .to_owned();
                blocks.push(Block {
                    lang,
                    code: inner(),
                    context: format!("{heading} {sentence}"),
                });
            }
            _ => {}
        }
    }
    blocks
}

/// The text of an HTML document without its tags (for `METHOD /path` mentions).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    html_escape::decode_html_entities(&out).into_owned()
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn tail(s: &str, n: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= n {
        s.to_owned()
    } else {
        format!("…{}", chars[chars.len() - n..].iter().collect::<String>())
    }
}
