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

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

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
    let mut name = converted(&CAMEL, raw, |raw| shortened(camel_case(&clean(raw))));
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{digit_prefix}{name}");
    }
    keyword_safe(name)
}

/// Longest name derived from a spec string: longer ones are cut (rustdoc
/// writes a file per type, and file names have limits; nobody types a
/// 300-character method name either).
const MAX_NAME: usize = 64;

/// `name` cut to [`MAX_NAME`] characters (names are ASCII by now).
fn shortened(name: String) -> String {
    if name.len() <= MAX_NAME {
        return name;
    }
    let cut: String = name.chars().take(MAX_NAME).collect();
    cut.trim_end_matches('_').to_owned()
}

/// Calls `word` with each word of `cleaned` (what [`clean`] returns:
/// ASCII letters and digits, and spaces between words), split where
/// `heck` splits: at spaces, after a lowercase letter followed by an
/// uppercase one (`fooBar`), and before the last capital of a run followed
/// by a lowercase letter (`HTTPServer`). Written for ASCII because `heck`
/// formats every character through `fmt`, which was a fifth of lowering
/// graph-beta; a test compares the two.
fn ascii_words(cleaned: &str, mut word: impl FnMut(&str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Last {
        /// No letter since the last split.
        Boundary,
        Lower,
        Upper,
    }
    for part in cleaned.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = part.as_bytes();
        let mut start = 0;
        let mut last = Last::Boundary;
        for (i, &c) in bytes.iter().enumerate() {
            let Some(&next) = bytes.get(i + 1) else {
                word(part.get(start..).unwrap_or_default());
                break;
            };
            let with_c = if c.is_ascii_lowercase() {
                Last::Lower
            } else if c.is_ascii_uppercase() {
                Last::Upper
            } else {
                last
            };
            if with_c == Last::Lower && next.is_ascii_uppercase() {
                word(part.get(start..=i).unwrap_or_default());
                start = i + 1;
                last = Last::Boundary;
            } else if last == Last::Upper && c.is_ascii_uppercase() && next.is_ascii_lowercase() {
                word(part.get(start..i).unwrap_or_default());
                start = i;
                last = Last::Boundary;
            } else {
                last = with_c;
            }
        }
    }
}

/// `UpperCamelCase` of cleaned text: each word capitalised.
fn camel_case(cleaned: &str) -> String {
    let mut out = String::with_capacity(cleaned.len());
    ascii_words(cleaned, |word| {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    });
    out
}

/// `snake_case` of cleaned text: words lowercased, joined by `_`.
fn snake_case(cleaned: &str) -> String {
    let mut out = String::with_capacity(cleaned.len() + 4);
    ascii_words(cleaned, |word| {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    });
    out
}

thread_local! {
    /// Case conversions already made on this thread, by spec string: the
    /// same property and parameter names recur across thousands of
    /// schemas and operations, and each conversion cleans, splits and
    /// allocates anew. The generator's threads end with each run, and
    /// their caches with them.
    static CAMEL: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
    static SNAKE: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// `convert(raw)`, looked up in `cache` first.
fn converted(
    cache: &'static std::thread::LocalKey<RefCell<HashMap<String, String>>>,
    raw: &str,
    convert: impl FnOnce(&str) -> String,
) -> String {
    cache.with(|cache| {
        if let Some(name) = cache.borrow().get(raw) {
            return name.clone();
        }
        let name = convert(raw);
        cache.borrow_mut().insert(raw.to_owned(), name.clone());
        name
    })
}

/// `snake_case` for a field, method or parameter.
pub fn snake(raw: &str, fallback: &str) -> String {
    let mut name = converted(&SNAKE, raw, |raw| shortened(snake_case(&clean(raw))));
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

/// The identifier for a name chosen by a [`Scope`] (or a fixed name of the
/// generator), raw when it is a keyword. Every identifier the emitter
/// prints goes through here.
pub fn ident(name: &str) -> proc_macro2::Ident {
    if needs_raw(name) {
        proc_macro2::Ident::new_raw(name, proc_macro2::Span::call_site())
    } else {
        proc_macro2::Ident::new(name, proc_macro2::Span::call_site())
    }
}

/// Names clippy's `disallowed_names` lint rejects for bindings (its
/// defaults); parameters and locals named so get a trailing underscore.
pub(crate) const DISALLOWED_BINDINGS: &[&str] = &["foo", "baz", "quux"];

/// Method names `clippy::should_implement_trait` reserves for std traits
/// with the shape of a client method (`&self`, one argument) or a builder
/// setter (`self`, one argument).
const TRAIT_METHODS: &[&str] = &[
    "add",
    "sub",
    "mul",
    "div",
    "rem",
    "bitand",
    "bitor",
    "bitxor",
    "shl",
    "shr",
    "eq",
    "ne",
    "cmp",
    "partial_cmp",
    "index",
    "clone",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "deref",
    "deref_mut",
    "hash",
    "next",
    "into_iter",
    "from_str",
    "from_iter",
    "not",
    "neg",
    "drop",
    "default",
    "fmt",
    // Blanket trait methods that take `self`: on a `&self` client method
    // of that name, `client.into()` would pick `Into::into` (E0283).
    "into",
    "try_into",
];

/// Type names generated code uses without a path (prelude items and the
/// serde derives), so no schema or operation type may take them.
pub const TYPE_RESERVED: &[&str] = &[
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Default",
    "Into",
    "Some",
    "None",
    "Ok",
    "Err",
    "Serialize",
    "Deserialize",
];

/// Methods of the generated `Client` that operations may not take.
pub const CLIENT_RESERVED: &[&str] = &[
    "new",
    "builder",
    "base_url",
    "http_client",
    "timeout",
    "server_url",
    "config",
    "execute",
];

/// Methods of the generated `ClientBuilder` that credential setters may
/// not take.
pub const CLIENT_BUILDER_RESERVED: &[&str] = &[
    "new",
    "base_url",
    "http_client",
    "timeout",
    "connect_timeout",
    "build",
    "bearer_token",
    "basic_auth",
    "retries",
    "redirects",
    "max_response_bytes",
    "user_agent",
    "header",
    "hook",
];

/// Fields and methods of a generated request builder that parameters may
/// not take.
pub const REQUEST_RESERVED: &[&str] = &[
    // The runtime's `Pending`, on which the setters are methods.
    "new",
    "args_mut",
    "client",
    "body",
    "prepare",
    "decode",
    "send",
    "send_with_response",
    "timeout",
    "into_future",
    "options",
    "header",
    "retries",
    "idempotent",
];

/// How the names of a scope are spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `UpperCamelCase`: types and variants.
    Camel,
    /// `snake_case`: fields and methods.
    Snake,
    /// `snake_case`, also used as a binding (function parameter or local),
    /// so clippy's placeholder names are avoided too.
    Binding,
    /// `snake_case` method names, avoiding std trait method names.
    Method,
    /// An operation parameter: a binding of the client method and a setter
    /// of the request builder, so both of the rules above apply.
    Param,
}

/// Names already taken in one Rust scope (a module, a struct, an enum, a
/// method namespace, a function's parameter list). Every name the
/// generator derives from the spec is claimed in the scope it lives in, so
/// two spec names can never become one Rust name, and the result depends
/// only on the order of claims.
#[derive(Debug, Clone)]
pub struct Scope {
    case: Case,
    taken: HashSet<String>,
    /// For a candidate met taken before, the first number not yet known to
    /// be taken: a hint named `Body` in a thousand operations would
    /// otherwise try `Body2`, `Body3`, … anew each time.
    next_number: HashMap<String, usize>,
    /// Put before camel-case names that would start with a digit.
    digit_prefix: &'static str,
}

impl Scope {
    /// An empty scope of names spelled in `case`.
    pub fn new(case: Case) -> Self {
        Self::with_reserved(case, &[])
    }

    /// A scope where `reserved` are already taken.
    pub fn with_reserved(case: Case, reserved: &[&str]) -> Self {
        Self {
            case,
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
            next_number: HashMap::new(),
            digit_prefix: "T",
        }
    }

    /// A camel-case scope for enum variants (`200` → `V200`).
    pub fn variants() -> Self {
        Self {
            digit_prefix: "V",
            ..Self::new(Case::Camel)
        }
    }

    /// Reserves `name` as it is (a fixed name of the generator).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// Frees `name` again (a provisional name that is being replaced).
    pub fn release(&mut self, name: &str) {
        self.taken.remove(name);
        // A freed number may be the smallest free one again.
        self.next_number.clear();
    }

    /// Converts the spec string `raw` to this scope's case and claims it;
    /// `fallback` stands in for names with no usable characters.
    pub fn claim(&mut self, raw: &str, fallback: &str) -> String {
        let candidate = match self.case {
            Case::Camel => upper_camel(raw, self.digit_prefix, fallback),
            Case::Snake | Case::Binding | Case::Method | Case::Param => snake(raw, fallback),
        };
        self.claim_name(&candidate)
    }

    /// Claims `candidate`, already in this scope's case (composed from
    /// converted parts, such as `{Type}{Property}`), or the first free
    /// numbered form of it.
    pub fn claim_name(&mut self, candidate: &str) -> String {
        let candidate = self.admissible(candidate);
        if !self.taken.contains(&candidate) {
            self.taken.insert(candidate.clone());
            return candidate;
        }
        let mut n = self.next_number.get(&candidate).copied().unwrap_or(2);
        let mut name = numbered(&candidate, n, self.case);
        while self.taken.contains(&name) {
            n += 1;
            name = numbered(&candidate, n, self.case);
        }
        self.next_number.insert(candidate, n + 1);
        self.taken.insert(name.clone());
        name
    }

    /// The candidate adjusted for what this scope's case forbids.
    fn admissible(&self, candidate: &str) -> String {
        let name = keyword_safe(candidate.to_owned());
        let binding = matches!(self.case, Case::Binding | Case::Param);
        let method = matches!(self.case, Case::Method | Case::Param);
        if (binding && DISALLOWED_BINDINGS.contains(&name.as_str()))
            || (method && TRAIT_METHODS.contains(&name.as_str()))
        {
            format!("{name}_")
        } else {
            name
        }
    }
}

/// The `n`th form of a taken name: `FooBar2`, `v1_2`, `Self2`, `type2`.
/// Camel-case names drop a trailing underscore first, because `Self_2`
/// is not camel case (rustc's `non_camel_case_types`).
fn numbered(candidate: &str, n: usize, case: Case) -> String {
    let base = match case {
        Case::Camel => candidate.trim_end_matches('_'),
        _ => candidate,
    };
    if base.ends_with(|c: char| c.is_ascii_digit()) || base.ends_with('_') {
        let separator = if base.ends_with('_') { "" } else { "_" };
        format!("{base}{separator}{n}")
    } else {
        format!("{base}{n}")
    }
}

/// `{prefix}{suffix}` for composed type names (`Pet` + `Status`), with the
/// prefix's keyword escape removed (`Self_` + `Request` → `SelfRequest`).
pub fn compose(prefix: &str, suffix: &str) -> String {
    let prefix = if suffix.is_empty() {
        prefix
    } else {
        prefix.trim_end_matches('_')
    };
    let mut name = String::with_capacity(prefix.len() + suffix.len());
    name.push_str(prefix);
    name.push_str(suffix);
    name
}

/// The camel-case words of a name (`ListForRepo2` → `List`, `For`,
/// `Repo2`).
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (index, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            if let Some(word) = name.get(start..index) {
                words.push(word);
            }
            start = index;
        }
    }
    if let Some(word) = name.get(start..) {
        words.push(word);
    }
    words
}

/// The camel-case words every hint ends with, when they say more than a
/// generic position (`Item`, `Body`, …): `IssuesListForRepoDirection` and
/// `PullsListDirection` share `Direction`; `FooBody` and `BarBody` share
/// nothing worth a name.
pub fn common_suffix(hints: &[String]) -> Option<String> {
    let camel: Vec<String> = hints.iter().map(|h| upper_camel(h, "T", "Type")).collect();
    let word_lists: Vec<Vec<&str>> = camel.iter().map(|h| camel_words(h)).collect();
    let (first, rest) = word_lists.split_first()?;
    if rest.is_empty() {
        return None;
    }
    let shared = (1..=first.len())
        .take_while(|n| {
            let tail = first.get(first.len() - n..);
            rest.iter()
                .all(|words| words.len() >= *n && words.get(words.len() - n..) == tail)
        })
        .last()?;
    let words = first.get(first.len() - shared..)?;
    const GENERIC: &[&str] = &[
        "Item", "Items", "Value", "Values", "Body", "Response", "Field", "Param", "Variant",
        "Type", "Object", "Data",
    ];
    let meaningful = words.iter().any(|w| {
        !GENERIC.contains(w)
            && !w.starts_with(|c: char| c.is_ascii_digit())
            && !w.starts_with("Variant")
    });
    meaningful.then(|| words.concat())
}

/// Whether prose has anything to say: a description of `#` or `---` has
/// no letter or digit, and would make an empty doc comment.
pub fn has_words(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// Whether a property holds a credential, judged by its words.
pub fn looks_secret(wire: &str) -> bool {
    let snake = snake_case(&clean(wire));
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
            pair,
            ["api" | "private" | "access" | "secret" | "signing", "key"]
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
        let mut scope = Scope::new(Case::Camel);
        assert_eq!(scope.claim_name("FooBar"), "FooBar");
        assert_eq!(scope.claim_name("FooBar"), "FooBar2");
        assert_eq!(scope.claim_name("FooBar"), "FooBar3");
        assert_eq!(scope.claim("self", "V"), "Self_");
        assert_eq!(scope.claim("Self", "V"), "Self2");
        assert_eq!(scope.claim("SELF", "V"), "Self3");
        assert_eq!(compose("Self_", "Request"), "SelfRequest");
        let mut snake = Scope::new(Case::Snake);
        assert_eq!(snake.claim_name("v1"), "v1");
        assert_eq!(snake.claim_name("v1"), "v1_2");
        assert_eq!(snake.claim("self", "f"), "self_");
        assert_eq!(snake.claim("Self", "f"), "self_2");
        assert_eq!(snake.claim("type", "f"), "type");
        assert_eq!(snake.claim("foo", "f"), "foo");
        let mut bindings = Scope::new(Case::Binding);
        assert_eq!(bindings.claim("foo", "f"), "foo_");
        assert_eq!(bindings.claim("foo_", "f"), "foo_2");
        let mut methods = Scope::with_reserved(Case::Method, CLIENT_RESERVED);
        assert_eq!(methods.claim("next", "op"), "next_");
        assert_eq!(methods.claim("builder", "op"), "builder2");
    }

    #[test]
    fn ascii_conversions_split_words_as_heck_does() {
        use heck::{ToSnakeCase, ToUpperCamelCase};
        // Every string of up to five characters over letters of both
        // cases, a digit and a separator, and some real names.
        let alphabet = ['a', 'b', 'C', 'D', '1', ' '];
        let mut inputs: Vec<String> = vec![String::new()];
        let mut frontier = inputs.clone();
        for _ in 0..5 {
            frontier = frontier
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            inputs.extend(frontier.iter().cloned());
        }
        inputs.extend(
            [
                "HTTPServerError",
                "repos/list-for-org",
                "x-GitHub-Api-Version",
                "getV2Items",
                "IPv4Address",
                "ABCdef",
                "a1B2c3",
                "ÄpfelUndBirnen",
                "snake_case_name",
                "  spaced  out  ",
            ]
            .map(str::to_owned),
        );
        for raw in &inputs {
            let cleaned = clean(raw);
            assert_eq!(
                camel_case(&cleaned),
                cleaned.to_upper_camel_case(),
                "{raw:?}"
            );
            assert_eq!(snake_case(&cleaned), cleaned.to_snake_case(), "{raw:?}");
        }
    }

    #[test]
    fn numbering_remembers_taken_numbers_until_a_name_is_freed() {
        let mut scope = Scope::new(Case::Camel);
        // `Body3` taken directly: the third `Body` skips it.
        assert_eq!(scope.claim_name("Body3"), "Body3");
        assert_eq!(scope.claim_name("Body"), "Body");
        assert_eq!(scope.claim_name("Body"), "Body2");
        assert_eq!(scope.claim_name("Body"), "Body4");
        // A freed number is the smallest free one again.
        scope.release("Body2");
        assert_eq!(scope.claim_name("Body"), "Body2");
        assert_eq!(scope.claim_name("Body"), "Body5");
        // Conversions come from the cache the second time, unchanged.
        assert_eq!(upper_camel("x-rate-limit", "T", "Type"), "XRateLimit");
        assert_eq!(upper_camel("x-rate-limit", "T", "Type"), "XRateLimit");
        assert_eq!(upper_camel("", "T", "Type"), "Type");
        assert_eq!(upper_camel("", "V", "Value"), "Value");
        assert_eq!(snake("x-rate-limit", "f"), "x_rate_limit");
        assert_eq!(snake("x-rate-limit", "f"), "x_rate_limit");
    }
    #[test]
    fn shared_names_keep_the_common_words() {
        let hints = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            common_suffix(&hints(&[
                "SecurityAdvisoriesListGlobalAdvisoriesDirection",
                "IssuesListForRepoDirection"
            ])),
            Some("Direction".to_owned())
        );
        assert_eq!(
            common_suffix(&hints(&["ReposListSortOrder", "IssuesSortOrder"])),
            Some("SortOrder".to_owned())
        );
        assert_eq!(common_suffix(&hints(&["FooBody", "BarBody"])), None);
        assert_eq!(common_suffix(&hints(&["Foo", "Bar"])), None);
        assert_eq!(common_suffix(&hints(&["OnlyOne"])), None);
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
