//! Every naming decision: case conversion, keyword handling, and collision
//! resolution within a scope.
//!
//! Rules (documented in ARCHITECTURE.md):
//! - Wire names are split into ASCII alphanumeric words; anything else
//!   (symbols, spaces, non-ASCII letters) separates words.
//! - Types and variants are `UpperCamelCase`, fields, methods and
//!   parameters `snake_case`.
//! - A name that would start with a digit gets a prefix (`V` for variants,
//!   `T` for types, `_` for snake-case names, `n` for names that are only
//!   digits); an empty name becomes a
//!   fallback such as `Value` or `field`.
//! - Keywords become raw identifiers (`r#type`); the few that cannot be raw
//!   (`self`, `Self`, `super`, `crate`) get a trailing underscore.
//! - Within a scope, a name already taken gets the smallest free numeric
//!   suffix (`FooBar2`), so results depend only on the order of claims.

use std::collections::HashSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords of every edition, including reserved ones.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Splits a wire name into words: common accented Latin letters are
/// transliterated (`Größe` → `Grosse`), everything else
/// that is not ASCII alphanumeric becomes a separator.
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(latin) = transliterate(c) {
            out.push_str(latin);
        } else {
            out.push(' ');
        }
    }
    out
}

fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => "A",
        'æ' => "ae",
        'Æ' => "Ae",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => "I",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => "O",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "U",
        'ý' | 'ÿ' => "y",
        'Ý' | 'Ÿ' => "Y",
        'ß' => "ss",
        'ł' => "l",
        'Ł' => "L",
        'ś' | 'š' => "s",
        'Ś' | 'Š' => "S",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ř' => "r",
        'Ř' => "R",
        'ð' => "d",
        'þ' => "th",
        _ => return None,
    })
}

/// `UpperCamelCase` for a type or variant. `digit_prefix` is put before a
/// leading digit; `fallback` is used for names with no usable characters.
pub fn upper_camel(raw: &str, digit_prefix: &str, fallback: &str) -> String {
    let mut name = clean(raw).to_upper_camel_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{digit_prefix}{name}");
    }
    keyword_safe(name)
}

/// `snake_case` for a field, method or parameter.
pub fn snake(raw: &str, fallback: &str) -> String {
    let mut name = clean(raw).to_snake_case();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.chars().all(|c| c.is_ascii_digit() || c == '_') {
        // `_1` would trip clippy::just_underscores_and_digits.
        name = format!("n{}", name.trim_start_matches('_'));
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("_{name}");
    }
    keyword_safe(name)
}

/// `SHOUTY_SNAKE_CASE`, for environment variable names.
pub fn shouty(raw: &str) -> String {
    snake(raw, "api").trim_start_matches("r#").to_uppercase()
}

/// Keeps a name usable as an identifier: keywords that cannot be raw get a
/// trailing underscore. Raw-able keywords are left as they are here and
/// written as `r#kw` by [`ident`].
fn keyword_safe(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Whether `name` must be written `r#name`.
pub fn needs_raw(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// The identifier for `name`, raw when it is a keyword.
pub fn ident(name: &str) -> proc_macro2::Ident {
    if needs_raw(name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

/// Names already taken in one Rust scope (a module, a struct, an enum, a
/// function's parameter list).
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: HashSet<String>,
}

impl Scope {
    /// A scope where `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Whether `name` is free.
    pub fn is_free(&self, name: &str) -> bool {
        !self.taken.contains(name)
    }

    /// Takes `candidate`, or the first free `candidate2`, `candidate3`, …
    pub fn claim(&mut self, candidate: &str) -> String {
        let mut name = candidate.to_owned();
        let mut n = 2;
        while self.taken.contains(&name) {
            // Keep a trailing separator readable in snake case (`id_2`).
            name = if candidate.ends_with(|c: char| c.is_ascii_digit()) {
                format!("{candidate}_{n}")
            } else {
                format!("{candidate}{n}")
            };
            n += 1;
        }
        self.taken.insert(name.clone());
        name
    }
}

/// Whether a property holds a credential, judged by its words.
pub fn looks_secret(wire: &str) -> bool {
    let snake = clean(wire).to_snake_case();
    let words: Vec<&str> = snake.split('_').collect();
    let single = [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "credential",
        "credentials",
        "passphrase",
    ];
    if words.iter().any(|w| single.contains(w)) {
        return true;
    }
    words.windows(2).any(|pair| {
        matches!(
            (pair[0], pair[1]),
            ("api" | "private" | "access" | "secret" | "signing", "key")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_cases() {
        assert_eq!(
            upper_camel("create-assistant", "T", "Type"),
            "CreateAssistant"
        );
        assert_eq!(upper_camel("2fa", "T", "Type"), "T2fa");
        assert_eq!(upper_camel("", "V", "Value"), "Value");
        assert_eq!(upper_camel("Self", "T", "Type"), "Self_");
        assert_eq!(snake("@type", "field"), "type");
        assert_eq!(snake("$id", "field"), "id");
        assert_eq!(snake("fooBar", "field"), "foo_bar");
        assert_eq!(snake("1st", "field"), "_1st");
        assert_eq!(snake("1", "field"), "n1");
        assert_eq!(snake("self", "field"), "self_");
        assert_eq!(snake("größe", "field"), "grosse");
        assert_eq!(upper_camel("Größe", "T", "Type"), "Grosse");
        assert_eq!(upper_camel("日本", "T", "Type"), "Type");
        assert!(needs_raw("type"));
        assert!(needs_raw("gen"));
    }

    #[test]
    fn scopes_suffix_collisions() {
        let mut scope = Scope::default();
        assert_eq!(scope.claim("FooBar"), "FooBar");
        assert_eq!(scope.claim("FooBar"), "FooBar2");
        assert_eq!(scope.claim("FooBar"), "FooBar3");
        assert_eq!(scope.claim("v1"), "v1");
        assert_eq!(scope.claim("v1"), "v1_2");
    }

    #[test]
    fn spots_secrets() {
        assert!(looks_secret("secret_key"));
        assert!(looks_secret("apiKey"));
        assert!(looks_secret("access_token"));
        assert!(looks_secret("password"));
        assert!(!looks_secret("max_tokens"));
        assert!(!looks_secret("keyboard"));
    }
}
