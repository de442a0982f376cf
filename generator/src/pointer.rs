//! JSON pointers (RFC 6901) and the URI fragments of `$ref`s that carry
//! them: building, escaping, unescaping and percent-decoding.
//!
//! Every stage names places in the spec by JSON pointer, so these small
//! functions live in one module that depends on nothing else.

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`] (`~1` → `/`, then `~0` → `~`).
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends a token to a pointer. Every schema, parameter and response
/// gets one, so it is built in one allocation, without `format!`.
pub fn join(base: &str, token: &str) -> String {
    let mut pointer = String::with_capacity(base.len() + 1 + token.len() + 2);
    pointer.push_str(base);
    pointer.push('/');
    if token.contains(['~', '/']) {
        pointer.push_str(&escape(token));
    } else {
        pointer.push_str(token);
    }
    pointer
}

/// Appends an array index to a pointer.
pub fn join_index(base: &str, index: usize) -> String {
    format!("{base}/{index}")
}

/// The last token of a pointer, unescaped (`""` for the root).
pub fn last_token(pointer: &str) -> String {
    pointer.rsplit('/').next().map(unescape).unwrap_or_default()
}

/// Decodes `%XX` escapes in a URI fragment. Works on bytes, so multi-byte
/// characters next to a `%` are never split; malformed escapes are kept as
/// they are and invalid UTF-8 is replaced.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some((&first, tail)) = rest.split_first() {
        if first == b'%'
            && let [high, low, after @ ..] = tail
            && let (Some(high), Some(low)) = (hex_value(*high), hex_value(*low))
        {
            out.push(high * 16 + low);
            rest = after;
            continue;
        }
        out.push(first);
        rest = tail;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// The JSON pointer a local `$ref` names (`#/a%20b` → `/a b`), or `None`
/// for a reference to another document.
pub fn fragment_pointer(reference: &str) -> Option<String> {
    reference.strip_prefix('#').map(percent_decode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        assert_eq!(escape("a/b~c"), "a~1b~0c");
        assert_eq!(unescape("a~1b~0c"), "a/b~c");
        assert_eq!(unescape("~01"), "~1");
        assert_eq!(join("/paths", "/orgs/{id}"), "/paths/~1orgs~1{id}");
        assert_eq!(last_token("/components/schemas/a~1b"), "a/b");
    }

    #[test]
    fn percent_decoding_never_splits_characters() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("%aé"), "%aé");
        assert_eq!(percent_decode("é%"), "é%");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%FF"), "\u{fffd}");
        assert_eq!(
            fragment_pointer("#/components/schemas/a%2Fb"),
            Some("/components/schemas/a/b".to_owned())
        );
        assert_eq!(fragment_pointer("other.yaml#/x"), None);
    }
}
