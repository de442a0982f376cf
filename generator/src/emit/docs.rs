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
    let attrs = doc_values(text);
    quote!(#(#[doc = #attrs])*)
}

/// The values of the doc attributes for `text`, one per line.
pub fn doc_values(text: &str) -> Vec<String> {
    let mut lines = sanitize(text);
    for line in &mut lines {
        // A leading space gives `/// text`, never `///text` or `///!`.
        if !line.is_empty() {
            line.insert(0, ' ');
        }
    }
    lines
}

/// Doc attributes for optional prose, followed by more paragraphs.
pub fn doc_paragraphs<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> TokenStream {
    doc_attrs(&paragraphs_text(paragraphs))
}

/// The paragraphs that have words, a blank line between.
pub fn paragraphs_text<'a>(paragraphs: impl IntoIterator<Item = Option<&'a str>>) -> String {
    let texts: Vec<&str> = paragraphs
        .into_iter()
        .flatten()
        .filter(|p| crate::names::has_words(p))
        .collect();
    texts.join("\n\n")
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
        if let Some(rest) = trimmed.strip_prefix('>') {
            out.push(format!(">{rest}"));
            in_quote = true;
            list_indent = None;
            continue;
        }
        if in_quote {
            out.push(format!("> {trimmed}"));
            continue;
        }
        let inline = trimmed;
        match list_indent {
            Some(width) => out.push(format!("{}{inline}", " ".repeat(width))),
            // Headings inside item docs read badly and `#` lines can
            // confuse doc tests; keep them as bold text.
            None if trimmed.starts_with('#') => {
                let title = inline.trim_start_matches('#').trim();
                if !title.is_empty() {
                    out.push(format!("**{title}**"));
                }
            }
            // Leading spaces would make an indented code block (a doctest).
            None => out.push(inline.to_owned()),
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
    out
}

/// Spec prose made safe for rustdoc, outside code fences (see
/// [`escape_inline`]). The generator's own docs, which link to items on
/// purpose, do not go through here.
pub fn spec(text: &str) -> String {
    let mut fence: Option<&str> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(marker) = fence {
            if trimmed.starts_with(marker) {
                fence = None;
            }
            out.push(line.to_owned());
            continue;
        }
        if let Some(marker) = ["```", "~~~"].into_iter().find(|m| trimmed.starts_with(m)) {
            fence = Some(marker);
            out.push(line.to_owned());
            continue;
        }
        out.push(escape_inline(line));
    }
    out.join("\n")
}

/// Escapes what rustdoc would misread in one line of prose, leaving code
/// spans and Markdown links alone: `[foo]` would be an intra-doc link to
/// nothing (`\[foo\]`), `<string>` an unclosed HTML tag (`&lt;string>`),
/// and a bare URL a warning (`<https://…>`).
fn escape_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len() + 8);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        match c {
            '`' => {
                let run = chars.iter().skip(i).take_while(|c| **c == '`').count();
                match closing_backticks(&chars, i + run, run) {
                    Some(end) => {
                        out.extend(chars.iter().skip(i).take(end + run - i));
                        i = end + run;
                    }
                    None => {
                        out.extend(chars.iter().skip(i).take(run));
                        i += run;
                    }
                }
            }
            '[' => match inline_link_end(&chars, i) {
                Some(end) => {
                    out.extend(chars.iter().skip(i).take(end - i));
                    i = end;
                }
                None => {
                    out.push_str("\\[");
                    i += 1;
                }
            },
            ']' => {
                out.push_str("\\]");
                i += 1;
            }
            '<' => match autolink_end(&chars, i) {
                Some(end) => {
                    out.extend(chars.iter().skip(i).take(end - i));
                    i = end;
                }
                None => {
                    out.push_str("&lt;");
                    i += 1;
                }
            },
            'h' if starts_url(&chars, i) => {
                let end = url_end(&chars, i);
                out.push('<');
                out.extend(chars.iter().skip(i).take(end - i));
                out.push('>');
                i = end;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Where a run of exactly `run` backticks starts at or after `from`.
fn closing_backticks(chars: &[char], from: usize, run: usize) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars.get(i) == Some(&'`') {
            let here = chars.iter().skip(i).take_while(|c| **c == '`').count();
            if here == run {
                return Some(i);
            }
            i += here;
        } else {
            i += 1;
        }
    }
    None
}

/// The end of `[text](url)` starting at `start`, if that is what is there.
fn inline_link_end(chars: &[char], start: usize) -> Option<usize> {
    let close = start + chars.iter().skip(start).position(|c| *c == ']')?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let paren = close + 1 + chars.iter().skip(close + 1).position(|c| *c == ')')?;
    Some(paren + 1)
}

/// The end of `<https://…>` starting at `start`.
fn autolink_end(chars: &[char], start: usize) -> Option<usize> {
    let scheme: String = chars.iter().skip(start + 1).take(8).collect();
    if !(scheme.starts_with("http://") || scheme.starts_with("https://")) {
        return None;
    }
    let close = start + chars.iter().skip(start).position(|c| *c == '>')?;
    chars
        .iter()
        .skip(start)
        .take(close - start)
        .all(|c| !c.is_whitespace())
        .then_some(close + 1)
}

/// Whether `http://` or `https://` starts at `at`, as a word.
fn starts_url(chars: &[char], at: usize) -> bool {
    let rest: String = chars.iter().skip(at).take(8).collect();
    let boundary = at == 0
        || chars
            .get(at - 1)
            .is_some_and(|c| c.is_whitespace() || *c == '(' || *c == '"');
    boundary && (rest.starts_with("http://") || rest.starts_with("https://"))
}

/// Where a bare URL starting at `start` ends (trailing punctuation is not
/// part of it).
fn url_end(chars: &[char], start: usize) -> usize {
    let mut end = start
        + chars
            .iter()
            .skip(start)
            .take_while(|c| !c.is_whitespace() && !matches!(c, '<' | '>' | '"' | '`'))
            .count();
    while end > start
        && chars
            .get(end - 1)
            .is_some_and(|c| matches!(c, '.' | ',' | ';' | ':' | ')' | '!' | '?' | '\''))
    {
        end -= 1;
    }
    end
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
        // Not inside code.
        assert_eq!(
            sanitize("```\n# comment\n```"),
            vec!["```text", "# comment", "```"]
        );
    }

    #[test]
    fn rustdoc_hazards_in_spec_prose_are_escaped() {
        use super::spec;
        assert_eq!(
            spec("a [foo] or [`Note`] or [link](https://e.com)"),
            r"a \[foo\] or \[`Note`\] or [link](https://e.com)"
        );
        assert_eq!(spec("a <string> and Vec<T>"), "a &lt;string> and Vec&lt;T>");
        assert_eq!(spec("`Vec<T>` [x]"), r"`Vec<T>` \[x\]");
        assert_eq!(
            spec("See https://e.com/a. Or <https://e.com>"),
            "See <https://e.com/a>. Or <https://e.com>"
        );
        assert_eq!(spec("odd ` tick <b>"), "odd ` tick &lt;b>");
        assert_eq!(spec("```\nVec<T> [x]\n```"), "```\nVec<T> [x]\n```");
    }
}
