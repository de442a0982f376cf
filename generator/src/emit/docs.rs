//! Spec prose → doc attributes.
//!
//! Descriptions are Markdown written for a documentation site, not for
//! rustdoc. Left as they are, a fenced block without a language becomes a
//! failing doctest, an indented block becomes Rust code, and a wrapped list
//! item trips `clippy::doc_lazy_continuation`. This module rewrites just
//! enough to keep the meaning and make the output warning-free.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "…"]` attributes for `text`, one per line.
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = sanitize(text);
    let attrs = lines.iter().map(|line| {
        // A leading space gives `/// text`, never `///text` or `///!`.
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#attrs)*)
}

/// Doc attributes for optional prose, followed by more paragraphs.
pub fn doc_paragraphs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    let texts: Vec<&str> = paragraphs
        .into_iter()
        .flatten()
        .filter(|p| !p.trim().is_empty())
        .collect();
    doc_attrs(&texts.join("\n\n"))
}

/// Rewrites Markdown so rustdoc and clippy accept it; see the module docs.
pub fn sanitize(text: &str) -> Vec<String> {
    let text = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ")
        .replace(is_bidi_control, "");
    let mut out: Vec<String> = Vec::new();
    let mut fence: Option<String> = None;
    // Width of the marker of the list item being continued, if any.
    let mut list_indent: Option<usize> = None;
    let mut in_quote = false;
    for raw in text.lines() {
        let raw = raw.trim_end();
        let trimmed = raw.trim_start();
        if let Some(marker) = &fence {
            if trimmed.starts_with(marker.as_str()) {
                out.push(marker.clone());
                fence = None;
            } else {
                out.push(raw.to_owned());
            }
            continue;
        }
        if let Some(marker) = ["```", "~~~"].iter().find(|m| trimmed.starts_with(**m)) {
            let marker_len = trimmed
                .chars()
                .take_while(|c| *c == marker.chars().next().unwrap_or('`'))
                .count();
            let marker: String = trimmed.chars().take(marker_len).collect();
            // Only `text`-like fences: anything else would be compiled.
            out.push(format!("{marker}text"));
            fence = Some(marker);
            list_indent = None;
            in_quote = false;
            continue;
        }
        if trimmed.is_empty() {
            out.push(String::new());
            list_indent = None;
            in_quote = false;
            continue;
        }
        if let Some(width) = list_marker_width(trimmed) {
            out.push(trimmed.to_owned());
            list_indent = Some(width);
            in_quote = false;
            continue;
        }
        if trimmed.starts_with('>') {
            out.push(trimmed.to_owned());
            in_quote = true;
            list_indent = None;
            continue;
        }
        if in_quote {
            out.push(format!("> {trimmed}"));
            continue;
        }
        match list_indent {
            Some(width) => out.push(format!("{}{trimmed}", " ".repeat(width))),
            // Leading spaces would make an indented code block (a doctest).
            None => out.push(trimmed.to_owned()),
        }
    }
    if let Some(marker) = fence {
        out.push(marker);
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    while out.first().is_some_and(String::is_empty) {
        out.remove(0);
    }
    // Headings inside item docs read badly and `#` lines can confuse doc
    // tests; keep them as bold text.
    for line in &mut out {
        if line.starts_with('#') {
            let title = line.trim_start_matches('#').trim();
            *line = if title.is_empty() {
                String::new()
            } else {
                format!("**{title}**")
            };
        }
    }
    out
}

/// Characters that change the visible direction of text: rustc refuses
/// them in comments and literals (they can disguise code), so docs drop
/// them and literals escape them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The width of a list marker (`- `, `* `, `+ `, `1. `, `10) `) at the start.
fn list_marker_width(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let marker = match bytes {
        [b'-' | b'*' | b'+', b' ', ..] => 1,
        _ if (1..10).contains(&digits)
            && matches!(bytes.get(digits..), Some([b'.' | b')', b' ', ..])) =>
        {
            digits + 1
        }
        _ => return None,
    };
    // Content starts after the marker and its spaces (CommonMark allows
    // one to four); continuation lines must line up with it.
    let spaces = bytes
        .iter()
        .skip(marker)
        .take_while(|b| **b == b' ')
        .count();
    Some(marker + if spaces > 4 { 1 } else { spaces })
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn fences_become_text() {
        assert_eq!(
            sanitize("a\n```\nlet x;\n```"),
            vec!["a", "```text", "let x;", "```"]
        );
        assert_eq!(sanitize("```json\n{}\n```"), vec!["```text", "{}", "```"]);
    }

    #[test]
    fn indented_code_is_flattened_and_lists_continue() {
        assert_eq!(sanitize("para\n\n    code"), vec!["para", "", "code"]);
        assert_eq!(sanitize("- item\nmore"), vec!["- item", "  more"]);
        assert_eq!(sanitize("*   item\nmore"), vec!["*   item", "    more"]);
        assert_eq!(sanitize("12. item\nmore"), vec!["12. item", "    more"]);
        assert_eq!(sanitize("> quote\nmore"), vec!["> quote", "> more"]);
    }

    #[test]
    fn headings_and_blank_edges() {
        assert_eq!(sanitize("\n\n# Title\ntext\n\n"), vec!["**Title**", "text"]);
    }
}
