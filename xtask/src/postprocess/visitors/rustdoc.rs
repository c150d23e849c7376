//! Vendor prose made into rustdoc that passes rustdoc's lints.

use syn::visit_mut::VisitMut;

/// Vendor descriptions become rustdoc that passes rustdoc's lints: a bare URL becomes an autolink
/// (`<https://…>`), and a `<word>` that is not a URL (a placeholder such as `<userLocator>`, which
/// rustdoc would read as an unclosed HTML tag) is escaped.
pub struct RustdocSafe;

impl VisitMut for RustdocSafe {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if attr.path().is_ident("doc")
            && let syn::Meta::NameValue(nv) = &mut attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &nv.value
        {
            let fixed = rustdoc_safe(&text.value());
            if fixed != text.value() {
                nv.value = syn::parse_quote!(#fixed);
            }
        }
    }
}

/// See [`RustdocSafe`]. Text inside backticks is left alone.
pub fn rustdoc_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut offset = 0;
    for (i, segment) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
            offset += 1;
        }
        let start = offset;
        offset += segment.len();
        if i % 2 == 1 {
            out.push_str(segment); // a code span
            continue;
        }
        let escaped = escape_brackets(text, start, segment);
        let mut rest = escaped.as_str();
        while !rest.is_empty() {
            let url_at = ["https://", "http://"]
                .iter()
                .filter_map(|scheme| rest.find(scheme))
                .min();
            let tag_at = rest.find('<');
            match (url_at, tag_at) {
                (Some(u), t) if t.is_none_or(|t| u < t) => {
                    out.push_str(&rest[..u]);
                    let stop = |c: char| {
                        c.is_whitespace() || matches!(c, ')' | ']' | '"' | '\'' | '<' | '>')
                    };
                    let end = rest[u..].find(stop).map_or(rest.len(), |e| u + e);
                    // Trailing punctuation ends a sentence, not the URL.
                    let url = rest[u..end].trim_end_matches(['.', ',', ';', ':']);
                    // Already a link: `<url>` or `[text](url)`.
                    if out.ends_with('<') || out.ends_with("](") {
                        out.push_str(url);
                    } else {
                        out.push('<');
                        out.push_str(url);
                        out.push('>');
                    }
                    rest = &rest[u + url.len()..];
                }
                (_, Some(t)) => {
                    out.push_str(&rest[..t]);
                    let after = &rest[t + 1..];
                    if after.starts_with("http://") || after.starts_with("https://") {
                        out.push('<');
                    } else {
                        out.push_str("\\<");
                    }
                    rest = after;
                }
                _ => {
                    out.push_str(rest);
                    rest = "";
                }
            }
        }
    }
    out
}

/// `[` that does not open a Markdown link (`[text](url)`, whose text may hold code spans) escaped:
/// vendor prose such as `List[OperationDetailResponse]` would otherwise be read as an intra-doc link.
/// `whole` is the full text and `offset` where `text` starts in it.
fn escape_brackets(whole: &str, offset: usize, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, c) in text.char_indices() {
        if c == '[' {
            let at = offset + i;
            let link = whole[at..]
                .find(']')
                .is_some_and(|close| whole[at + close + 1..].starts_with('('));
            if !link {
                out.push('\\');
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::rustdoc_safe;

    #[test]
    fn bare_urls_become_autolinks_and_placeholders_are_escaped() {
        assert_eq!(
            rustdoc_safe("See https://docs.example.com/a. Or <https://b.example>."),
            "See <https://docs.example.com/a>. Or <https://b.example>."
        );
        assert_eq!(
            rustdoc_safe("[page](https://x.example/p) and `GET /users/<id>` and <userLocator>"),
            "[page](https://x.example/p) and `GET /users/<id>` and \\<userLocator>"
        );
        assert_eq!(rustdoc_safe("a < b"), "a \\< b");
        assert_eq!(
            rustdoc_safe("answer List[CashOperators] and [docs](https://d.example)"),
            "answer List\\[CashOperators] and [docs](https://d.example)"
        );
        assert_eq!(
            rustdoc_safe("made by [`Client::op`](super::Client::op), not [`x`] or [a] `b`"),
            "made by [`Client::op`](super::Client::op), not \\[`x`] or \\[a] `b`"
        );
        assert_eq!(
            rustdoc_safe("(https://a.example/x) e.g. https://l.example/<code>."),
            "(<https://a.example/x>) e.g. <https://l.example/>\\<code>."
        );
    }
}
