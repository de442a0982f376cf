//! Where a JSON pointer's node is written in the spec text: line, column
//! and a byte range to underline, for diagnostics.
//!
//! `serde_json` and `serde_yaml` stay the parsers of record; a
//! [`SourceMap`] only answers "where is `/paths/~1orgs/post` written?".
//!
//! What a [`Span`] points at:
//!
//! - an object member (the pointer's last token is a key): the start of the
//!   key as written, and the key as the range: quotes, and a YAML key's
//!   tag or anchor, included. `requestBody:` is reported at the `r`.
//! - an array item: a YAML block item's `-`, or a flow or JSON item's first
//!   character. The range runs to the end of the item when it is a scalar
//!   (`- get`, `"get"`, `42`) and covers the one indicator (`-`, `[`, `{`)
//!   when it is a collection.
//! - the empty pointer: line 1, column 1, an empty range at byte 0.
//!
//! Ranges never run past the end of their line, so a caller can underline
//! them under the one line it prints. Columns count characters, not bytes,
//! from 1; a byte order mark at the start of the file is not counted.
//! Lines end at `\n`, and in YAML also at `\r\n` or a lone `\r`.
//!
//! A pointer that names no written node (normalisation adds nodes, and
//! pointers may be wrong) gets the span of its nearest written ancestor,
//! with [`Span::exact`] false.
//!
//! YAML aliases and merge keys are followed to where the node is written:
//! `/b/x` with `b: *a` is found at `x:` inside the anchored `&a` node, and a
//! key that `<<: *base` merges in is found at its key inside `base` (the
//! anchor's site, where it is written, not the alias's). Keys written in
//! the merging mapping itself win over merged ones, and earlier merge
//! sources over later ones, as in the loader (`serde_yaml`'s
//! `apply_merge`).
//!
//! JSON is indexed lazily: building the map only matches brackets, and each
//! object or array is scanned once, the first time a pointer passes through
//! it. YAML is indexed eagerly from `saphyr-parser`'s event spans.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Mutex, PoisonError};

use saphyr_parser::{Event, Parser, ScalarStyle};

/// Where a node is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The bytes to underline, all on `line`: see the module docs.
    pub byte_range: Range<usize>,
    /// Whether the span is the pointer's own node; false when it is the
    /// nearest ancestor that is written in the text.
    pub exact: bool,
}

/// The positions of one spec file's nodes, built once per file.
#[derive(Debug)]
pub struct SourceMap {
    text: String,
    lines: Lines,
    index: Index,
}

#[derive(Debug)]
enum Index {
    Json(JsonIndex),
    Yaml(YamlIndex),
}

/// The bytes a span underlines (before clipping to the line).
type Found = (usize, usize);

impl SourceMap {
    /// Indexes `text`. `json` says the loader decided the text is JSON;
    /// otherwise it is read as YAML (of which only the first document
    /// counts). Text that does not parse is indexed as far as it does.
    ///
    /// The map keeps the text: pass a `String` to hand it over, or a
    /// `&str` to have it copied.
    pub fn new(text: impl Into<String>, json: bool) -> SourceMap {
        let text = text.into();
        let index = if json {
            Index::Json(JsonIndex::new(&text))
        } else {
            Index::Yaml(YamlIndex::new(&text))
        };
        SourceMap {
            lines: Lines::new(text.as_bytes(), !json),
            text,
            index,
        }
    }

    /// The position of the node at `pointer` (RFC 6901, such as
    /// `/paths/~1orgs~1{id}/post`), or of its nearest ancestor that is
    /// written in the text. `None` only for a non-empty pointer that does
    /// not start with `/`.
    pub fn locate(&self, pointer: &str) -> Option<Span> {
        if pointer.is_empty() {
            return Some(self.span(0, 0, true));
        }
        let tokens = pointer.strip_prefix('/')?.split('/').map(unescape);
        let (found, exact) = match &self.index {
            Index::Json(index) => index.walk(&self.text, tokens),
            Index::Yaml(index) => index.walk(tokens),
        };
        Some(match found {
            Some((start, end)) => self.span(start, end, exact),
            None => self.span(0, 0, false),
        })
    }

    /// The line a span is on, without its line break, and the span's bytes
    /// relative to it; `None` if the span is not in this map's text.
    pub fn source_line(&self, span: &Span) -> Option<(&str, Range<usize>)> {
        let bytes = self.text.as_bytes();
        let start = span.byte_range.start.min(bytes.len());
        let line_start = bytes
            .get(..start)?
            .iter()
            .rposition(|b| matches!(b, b'\n' | b'\r'))
            .map_or(0, |i| i + 1);
        let line_end = bytes
            .get(start..)?
            .iter()
            .position(|b| matches!(b, b'\n' | b'\r'))
            .map_or(bytes.len(), |i| start + i);
        let text = self.text.get(line_start..line_end)?;
        let end = span.byte_range.end.clamp(start, line_end);
        Some((text, start - line_start..end - line_start))
    }

    fn span(&self, start: usize, end: usize, exact: bool) -> Span {
        let bytes = self.text.as_bytes();
        let (line, line_start) = self.lines.line(bytes, start);
        let bom = usize::from(line_start == 0 && start > 0 && self.text.starts_with('\u{feff}'));
        let column = (self.lines.chars(bytes, start) + 1)
            .saturating_sub(self.lines.chars(bytes, line_start) + bom);
        let end = end.clamp(start, bytes.len());
        let end = bytes
            .get(start..end)
            .and_then(|range| range.iter().position(|&b| b == b'\n' || b == b'\r'))
            .map_or(end, |offset| start + offset);
        Span {
            line,
            column,
            byte_range: start..end,
            exact,
        }
    }
}

/// Undoes RFC 6901's escapes (`~1` → `/`, then `~0` → `~`).
fn unescape(token: &str) -> String {
    if token.contains('~') {
        token.replace("~1", "/").replace("~0", "~")
    } else {
        token.to_owned()
    }
}

/// An array index token: `0` or digits without a leading zero.
fn array_index(token: &str) -> Option<usize> {
    let digits = token.bytes().all(|b| b.is_ascii_digit());
    if !digits || token.is_empty() || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

/// Line and column arithmetic in O(block) per question: counts kept at
/// every block boundary, so that minified JSON (one long line) costs no
/// more than pretty-printed.
#[derive(Debug)]
struct Lines {
    /// Whether a lone `\r` ends a line (YAML), or only `\n` does (JSON).
    cr: bool,
    /// Per block boundary: line breaks before it, where the line it is in
    /// starts, and characters before it.
    breaks: Vec<usize>,
    line_starts: Vec<usize>,
    chars: Vec<usize>,
}

const BLOCK: usize = 1024;

impl Lines {
    fn new(bytes: &[u8], cr: bool) -> Lines {
        let blocks = bytes.len() / BLOCK + 2;
        let mut lines = Lines {
            cr,
            breaks: Vec::with_capacity(blocks),
            line_starts: Vec::with_capacity(blocks),
            chars: Vec::with_capacity(blocks),
        };
        let (mut breaks, mut line_start, mut chars) = (0, 0, 0);
        for k in 0..=bytes.len() / BLOCK {
            lines.breaks.push(breaks);
            lines.line_starts.push(line_start);
            lines.chars.push(chars);
            let at = k * BLOCK;
            let end = (at + BLOCK).min(bytes.len());
            breaks += lines.breaks_in(bytes, at, end);
            if let Some(start) = lines.line_start_in(bytes, at, end) {
                line_start = start;
            }
            let block = bytes.get(at..end).unwrap_or_default();
            chars += count(block, |b| !is_continuation(b));
        }
        lines
    }

    /// Whether a line ends at byte `i` (at the `\n` of a `\r\n`).
    fn is_break(&self, bytes: &[u8], i: usize) -> bool {
        match bytes.get(i) {
            Some(b'\n') => true,
            Some(b'\r') => self.cr && bytes.get(i + 1) != Some(&b'\n'),
            _ => false,
        }
    }

    /// Line breaks in `bytes[from..to]`.
    fn breaks_in(&self, bytes: &[u8], from: usize, to: usize) -> usize {
        let slice = bytes.get(from..to).unwrap_or_default();
        let mut n = count(slice, |b| b == b'\n');
        if self.cr && slice.contains(&b'\r') {
            n += (from..to)
                .filter(|&i| bytes.get(i) == Some(&b'\r') && self.is_break(bytes, i))
                .count();
        }
        n
    }

    /// Where the last line that starts in `bytes[from + 1..=to]` starts
    /// (or at `to + 1`, after a `\r\n` split by `to`).
    fn line_start_in(&self, bytes: &[u8], from: usize, to: usize) -> Option<usize> {
        let slice = bytes.get(from..to)?;
        let i = from
            + slice
                .iter()
                .rposition(|&b| b == b'\n' || (self.cr && b == b'\r'))?;
        let crlf = bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n');
        Some(i + 1 + usize::from(crlf))
    }

    /// The 1-based line of byte `pos`, and the byte its line starts at.
    fn line(&self, bytes: &[u8], pos: usize) -> (usize, usize) {
        let k = pos / BLOCK;
        let at = k * BLOCK;
        let line = self.breaks.get(k).copied().unwrap_or(0) + self.breaks_in(bytes, at, pos) + 1;
        let start = self
            .line_start_in(bytes, at, pos)
            .unwrap_or_else(|| self.line_starts.get(k).copied().unwrap_or(0));
        // Past `pos` only if `pos` is the `\n` of a `\r\n`, where no node
        // starts.
        (line, start.min(pos))
    }

    /// Characters in `bytes[..pos]`.
    fn chars(&self, bytes: &[u8], pos: usize) -> usize {
        let k = pos / BLOCK;
        let at = k * BLOCK;
        let before = self.chars.get(k).copied().unwrap_or(0);
        let slice = bytes.get(at..pos).unwrap_or_default();
        before + count(slice, |b| !is_continuation(b))
    }
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// How many of `bytes` satisfy `f`; counted in `u8`s, 255 bytes at a
/// time, which vectorises far better than `filter().count()`.
fn count(bytes: &[u8], f: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|chunk| {
            let n = chunk
                .iter()
                .fold(0u8, |n, &b| n.wrapping_add(u8::from(f(b))));
            usize::from(n)
        })
        .sum()
}

/// A fast, non-random hash for the maps keyed by spec keys (the text is
/// the user's own spec; there is nothing to defend against).
#[derive(Debug, Default, Clone, Copy)]
struct FxHasher(u64);

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0; 8];
            for (slot, &b) in word.iter_mut().zip(rest) {
                *slot = b;
            }
            self.add(u64::from_le_bytes(word) ^ (rest.len() as u64) << 56);
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0 ^ word).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }
}

type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<FxHasher>>;

// ---------------------------------------------------------------- JSON

#[derive(Debug)]
struct JsonIndex {
    /// Every object and array, in the order they open.
    containers: Vec<Container>,
    /// The root's container, unless the root is a scalar.
    root: Option<usize>,
    /// The members of each container scanned so far.
    scanned: Mutex<FastMap<usize, Members>>,
}

#[derive(Debug, Clone, Copy)]
struct Container {
    open: usize,
    close: usize,
}

#[derive(Debug)]
enum Members {
    Object(FastMap<String, Member>),
    Array(Vec<Member>),
}

#[derive(Debug, Clone, Copy)]
struct Member {
    /// The bytes a span underlines.
    mark: Found,
    /// The value's container, unless it is a scalar.
    container: Option<usize>,
}

impl JsonIndex {
    /// Matches brackets, skipping strings: one pass, no allocation per
    /// node. A string is skipped with `str::find`, which is vectorised.
    fn new(text: &str) -> JsonIndex {
        let bytes = text.as_bytes();
        let mut brackets = Brackets {
            containers: Vec::new(),
            open: Vec::new(),
        };
        let mut p = 0;
        while let Some(&b) = bytes.get(p) {
            match b {
                b'"' => p = string_end(text, p),
                b'{' | b'[' => {
                    brackets.bracket(p, true);
                    p += 1;
                }
                b'}' | b']' => {
                    brackets.bracket(p, false);
                    p += 1;
                }
                _ => p += 1,
            }
        }
        let mut containers = brackets.containers;
        for c in containers.iter_mut().filter(|c| c.close == usize::MAX) {
            c.close = bytes.len();
        }
        let start = skip_ws(bytes, 0);
        let root = containers.first().filter(|c| c.open == start).map(|_| 0);
        JsonIndex {
            containers,
            root,
            scanned: Mutex::new(FastMap::default()),
        }
    }

    fn walk(&self, text: &str, tokens: impl Iterator<Item = String>) -> (Option<Found>, bool) {
        let mut scanned = self.scanned.lock().unwrap_or_else(PoisonError::into_inner);
        let mut current = self.root;
        let mut found = None;
        for token in tokens {
            let Some(id) = current else {
                return (found, false);
            };
            let members = scanned.entry(id).or_insert_with(|| self.scan(text, id));
            let member = match members {
                Members::Object(map) => map.get(&token),
                Members::Array(items) => array_index(&token).and_then(|i| items.get(i)),
            };
            let Some(member) = member else {
                return (found, false);
            };
            found = Some(member.mark);
            current = member.container;
        }
        (found, true)
    }

    /// Lists one container's members. Tolerant: stops at anything that is
    /// not JSON.
    fn scan(&self, text: &str, id: usize) -> Members {
        let bytes = text.as_bytes();
        let Some(container) = self.containers.get(id) else {
            return Members::Array(Vec::new());
        };
        let object = bytes.get(container.open) == Some(&b'{');
        let mut keys = FastMap::default();
        let mut items = Vec::new();
        let mut p = container.open + 1;
        loop {
            p = skip_ws(bytes, p);
            match bytes.get(p) {
                None | Some(b'}' | b']') => break,
                Some(b',') => {
                    p += 1;
                    continue;
                }
                _ => {}
            }
            if object {
                let Some((key, key_end)) = read_string(text, p) else {
                    break;
                };
                let colon = skip_ws(bytes, key_end);
                if bytes.get(colon) != Some(&b':') {
                    break;
                }
                let value = skip_ws(bytes, colon + 1);
                let (value_end, container) = self.skip_value(text, value);
                keys.insert(
                    key,
                    Member {
                        mark: (p, key_end),
                        container,
                    },
                );
                if value_end <= value {
                    break;
                }
                p = value_end;
            } else {
                let (value_end, container) = self.skip_value(text, p);
                if value_end <= p {
                    break;
                }
                let end = if container.is_some() {
                    p + 1
                } else {
                    value_end
                };
                items.push(Member {
                    mark: (p, end),
                    container,
                });
                p = value_end;
            }
        }
        if object {
            Members::Object(keys)
        } else {
            Members::Array(items)
        }
    }

    /// The end of the value starting at `p`, and its container if it is
    /// one.
    fn skip_value(&self, text: &str, p: usize) -> (usize, Option<usize>) {
        let bytes = text.as_bytes();
        match bytes.get(p) {
            Some(b'{' | b'[') => match self.containers.binary_search_by_key(&p, |c| c.open) {
                Ok(id) => {
                    let close = self.containers.get(id).map_or(bytes.len(), |c| c.close);
                    (close.saturating_add(1).min(bytes.len()), Some(id))
                }
                Err(_) => (p, None),
            },
            Some(b'"') => (string_end(text, p), None),
            _ => {
                let len = bytes
                    .get(p..)
                    .unwrap_or_default()
                    .iter()
                    .position(|&b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                    .unwrap_or(bytes.len().saturating_sub(p));
                (p + len, None)
            }
        }
    }
}

/// The state of [`JsonIndex::new`]'s pass.
struct Brackets {
    containers: Vec<Container>,
    /// The containers open at this point.
    open: Vec<usize>,
}

impl Brackets {
    fn bracket(&mut self, at: usize, open: bool) {
        if open {
            self.open.push(self.containers.len());
            self.containers.push(Container {
                open: at,
                close: usize::MAX,
            });
        } else if let Some(c) = self.open.pop().and_then(|id| self.containers.get_mut(id)) {
            c.close = at;
        }
    }
}

fn skip_ws(bytes: &[u8], mut p: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(p) {
        p += 1;
    }
    // A byte order mark before the root.
    if p == 0 && bytes.starts_with("\u{feff}".as_bytes()) {
        return skip_ws(bytes, 3);
    }
    p
}

/// The byte after the string that opens at `p` (the end of the text if it
/// does not close).
fn string_end(text: &str, p: usize) -> usize {
    let bytes = text.as_bytes();
    let mut from = p + 1;
    while let Some(offset) = text.get(from..).and_then(|rest| rest.find('"')) {
        let quote = from + offset;
        let backslashes = bytes
            .get(from..quote)
            .unwrap_or_default()
            .iter()
            .rev()
            .take_while(|&&b| b == b'\\')
            .count();
        if backslashes % 2 == 0 {
            return quote + 1;
        }
        from = quote + 1;
    }
    bytes.len()
}

/// The JSON string opening at `p`, decoded, and the byte after it.
fn read_string(text: &str, p: usize) -> Option<(String, usize)> {
    if text.as_bytes().get(p) != Some(&b'"') {
        return None;
    }
    let end = string_end(text, p);
    let body = text.get(p + 1..end.saturating_sub(1).max(p + 1))?;
    if !body.contains('\\') {
        return Some((body.to_owned(), end));
    }
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let high = hex4(&mut chars)?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    let mut ahead = chars.clone();
                    match (ahead.next(), ahead.next(), hex4(&mut ahead)) {
                        (Some('\\'), Some('u'), Some(low)) if (0xDC00..0xE000).contains(&low) => {
                            chars = ahead;
                            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                        }
                        _ => high,
                    }
                } else {
                    high
                };
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    Some((out, end))
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u32> {
    let mut value = 0;
    for _ in 0..4 {
        value = value * 16 + chars.next()?.to_digit(16)?;
    }
    Some(value)
}

// ---------------------------------------------------------------- YAML

#[derive(Debug, Default)]
struct YamlIndex {
    nodes: Vec<YamlNode>,
    /// Mapping members by mapping node and key as the loader spells it.
    members: KeyTable,
    root: Option<usize>,
}

#[derive(Debug)]
struct YamlNode {
    /// The bytes of the node, properties included (scalars and aliases
    /// only; collections keep their start).
    start: usize,
    end: usize,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Scalar,
    Alias(Option<usize>),
    Mapping {
        /// The values of `<<` keys: aliases, mappings or sequences of them.
        merges: Vec<usize>,
    },
    Sequence {
        block: bool,
        items: Vec<YamlMember>,
    },
}

#[derive(Debug, Clone, Copy)]
struct YamlMember {
    mark: Found,
    node: usize,
}

/// Mapping members by (mapping, key): a hash table of entry indices, the
/// entries in one vector and their keys in one string, so that a large
/// spec costs a few allocations rather than one per key.
#[derive(Debug, Default)]
struct KeyTable {
    /// The hash of (mapping, key) → the last entry with that hash.
    heads: FastMap<u64, usize>,
    entries: Vec<KeyEntry>,
    keys: String,
}

#[derive(Debug)]
struct KeyEntry {
    map: usize,
    key: Range<usize>,
    member: YamlMember,
    /// The previous entry with the same hash.
    next: Option<usize>,
}

impl KeyTable {
    fn with_capacity(text_len: usize) -> KeyTable {
        // About one key per line of 40 bytes.
        let keys = text_len / 40;
        KeyTable {
            heads: FastMap::with_capacity_and_hasher(keys, Default::default()),
            entries: Vec::with_capacity(keys),
            keys: String::with_capacity(keys * 8),
        }
    }

    fn hash(map: usize, key: &str) -> u64 {
        use std::hash::Hasher as _;
        let mut hasher = FxHasher::default();
        hasher.write_usize(map);
        hasher.write(key.as_bytes());
        hasher.finish()
    }

    fn find(&self, hash: u64, map: usize, key: &str) -> Option<usize> {
        let mut at = self.heads.get(&hash).copied();
        while let Some(i) = at {
            let entry = self.entries.get(i)?;
            if entry.map == map && self.keys.get(entry.key.clone()) == Some(key) {
                return Some(i);
            }
            at = entry.next;
        }
        None
    }

    fn get(&self, map: usize, key: &str) -> Option<YamlMember> {
        let i = self.find(Self::hash(map, key), map, key)?;
        self.entries.get(i).map(|e| e.member)
    }

    /// Adds a member; a repeated key replaces the earlier one.
    fn insert(&mut self, map: usize, key: &str, member: YamlMember) {
        let hash = Self::hash(map, key);
        if let Some(entry) = self
            .find(hash, map, key)
            .and_then(|i| self.entries.get_mut(i))
        {
            entry.member = member;
            return;
        }
        let start = self.keys.len();
        self.keys.push_str(key);
        let next = self.heads.insert(hash, self.entries.len());
        self.entries.push(KeyEntry {
            map,
            key: start..self.keys.len(),
            member,
            next,
        });
    }
}

/// A scalar that may be a mapping's key.
struct ScalarKey<'a> {
    value: Cow<'a, str>,
    style: ScalarStyle,
    tagged: bool,
}

/// A mapping's key while its value is awaited.
struct PendingKey<'a> {
    text: Cow<'a, str>,
    mark: Found,
    merge: bool,
}

enum Frame<'a> {
    Mapping {
        node: usize,
        /// `None` while a key is awaited; `Some(None)` after a key that can
        /// name nothing (a collection or an alias).
        key: Option<Option<PendingKey<'a>>>,
    },
    Sequence {
        node: usize,
    },
}

/// Turns the parser's character offsets into byte offsets, walking from
/// the previous answer (events come almost in text order).
struct CharCursor<'a> {
    text: &'a str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl CharCursor<'_> {
    fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        if self.chars < char_index {
            let ahead = char_index - self.chars;
            let rest = self.text.get(self.bytes..).unwrap_or_default();
            let ascii = rest.as_bytes().get(..ahead).is_some_and(<[u8]>::is_ascii);
            let offset = if ascii {
                Some(ahead)
            } else {
                rest.char_indices().nth(ahead).map(|(offset, _)| offset)
            };
            (self.bytes, self.chars) = match offset {
                Some(offset) => (self.bytes + offset, char_index),
                None => (self.text.len(), self.chars + rest.chars().count()),
            };
        }
        while self.chars > char_index {
            let Some(c) = self
                .text
                .get(..self.bytes)
                .and_then(|s| s.chars().next_back())
            else {
                break;
            };
            self.bytes -= c.len_utf8();
            self.chars -= 1;
        }
        self.bytes
    }
}

impl YamlIndex {
    fn new(text: &str) -> YamlIndex {
        let mut index = YamlIndex {
            members: KeyTable::with_capacity(text.len()),
            ..YamlIndex::default()
        };
        let mut frames: Vec<Frame> = Vec::new();
        let mut anchors: FastMap<usize, usize> = FastMap::default();
        let mut cursor = CharCursor {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        };
        for event in Parser::new_from_str(text) {
            let Ok((event, span)) = event else {
                break;
            };
            let mut start = cursor.byte(span.start.index());
            let end = cursor.byte(span.end.index());
            let id = index.nodes.len();
            let (kind, anchor, key) = match event {
                Event::DocumentEnd | Event::StreamEnd if index.root.is_some() => break,
                Event::Scalar(value, style, anchor, tag) => {
                    // A block scalar's span starts at its content, not at
                    // its `|` or `>` (unless properties come first).
                    let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
                    if block && !matches!(text.as_bytes().get(start), Some(b'!' | b'&')) {
                        start = block_header_before(text.as_bytes(), start).unwrap_or(start);
                    }
                    let key = ScalarKey {
                        value,
                        style,
                        tagged: tag.is_some(),
                    };
                    (Kind::Scalar, anchor, Some(key))
                }
                Event::Alias(anchor) => (Kind::Alias(anchors.get(&anchor).copied()), 0, None),
                Event::MappingStart(anchor, _) => {
                    (Kind::Mapping { merges: Vec::new() }, anchor, None)
                }
                Event::SequenceStart(anchor, _) => {
                    // A flow sequence's span is its `[` (after any properties);
                    // a block sequence's is empty or its properties.
                    let flow = end
                        .checked_sub(1)
                        .is_some_and(|last| text.as_bytes().get(last) == Some(&b'['));
                    let kind = Kind::Sequence {
                        block: !flow,
                        items: Vec::new(),
                    };
                    (kind, anchor, None)
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    frames.pop();
                    continue;
                }
                _ => continue,
            };
            if anchor != 0 {
                anchors.insert(anchor, id);
            }
            let frame = match kind {
                Kind::Mapping { .. } => Some(Frame::Mapping {
                    node: id,
                    key: None,
                }),
                Kind::Sequence { .. } => Some(Frame::Sequence { node: id }),
                _ => None,
            };
            index.nodes.push(YamlNode { start, end, kind });
            index.attach(text, frames.last_mut(), id, key);
            frames.extend(frame);
        }
        index
    }

    /// Hangs node `id` under the innermost open collection.
    fn attach<'a>(
        &mut self,
        text: &str,
        frame: Option<&mut Frame<'a>>,
        id: usize,
        key: Option<ScalarKey<'a>>,
    ) {
        let (start, end, scalar) = match self.nodes.get(id) {
            Some(n) => (
                n.start,
                n.end,
                matches!(n.kind, Kind::Scalar | Kind::Alias(_)),
            ),
            None => return,
        };
        match frame {
            None => {
                if self.root.is_none() {
                    self.root = Some(id);
                }
            }
            Some(Frame::Sequence { node }) => {
                if let Some(YamlNode {
                    kind: Kind::Sequence { block, items },
                    ..
                }) = self.nodes.get_mut(*node)
                {
                    let at = if *block {
                        dash_before(text.as_bytes(), start).unwrap_or(start)
                    } else {
                        start
                    };
                    let mark_end = if scalar { end.max(at + 1) } else { at + 1 };
                    items.push(YamlMember {
                        mark: (at, mark_end),
                        node: id,
                    });
                }
            }
            Some(Frame::Mapping { node, key: pending }) => match pending.take() {
                None => {
                    *pending = Some(key.map(|key| PendingKey {
                        // `serde_yaml` merges quoted `"<<"` keys too.
                        merge: key.value == "<<",
                        text: loader_key(key.value, key.style, key.tagged),
                        mark: (start, end.max(start + 1)),
                    }));
                }
                Some(None) => {}
                Some(Some(key)) if key.merge => {
                    if let Some(YamlNode {
                        kind: Kind::Mapping { merges },
                        ..
                    }) = self.nodes.get_mut(*node)
                    {
                        merges.push(id);
                    }
                }
                Some(Some(key)) => {
                    let member = YamlMember {
                        mark: key.mark,
                        node: id,
                    };
                    self.members.insert(*node, &key.text, member);
                }
            },
        }
    }

    fn walk(&self, tokens: impl Iterator<Item = String>) -> (Option<Found>, bool) {
        let Some(mut current) = self.root else {
            return (None, false);
        };
        let mut found = None;
        for token in tokens {
            current = self.resolve(current);
            let member = match self.nodes.get(current).map(|n| &n.kind) {
                Some(Kind::Mapping { .. }) => self.member(current, &token, 0),
                Some(Kind::Sequence { items, .. }) => {
                    array_index(&token).and_then(|i| items.get(i)).copied()
                }
                _ => None,
            };
            let Some(member) = member else {
                return (found, false);
            };
            found = Some(member.mark);
            current = member.node;
        }
        (found, true)
    }

    /// Follows aliases to their anchored node.
    fn resolve(&self, mut id: usize) -> usize {
        for _ in 0..64 {
            match self.nodes.get(id).map(|n| &n.kind) {
                Some(Kind::Alias(Some(target))) => id = *target,
                _ => break,
            }
        }
        id
    }

    /// The member `key` of mapping `map`, written there or merged in with
    /// `<<` (from the first source that has it).
    fn member(&self, map: usize, key: &str, depth: usize) -> Option<YamlMember> {
        if let Some(member) = self.members.get(map, key) {
            return Some(member);
        }
        let Some(Kind::Mapping { merges }) = self.nodes.get(map).map(|n| &n.kind) else {
            return None;
        };
        if depth > 32 {
            return None;
        }
        for &source in merges {
            let source = self.resolve(source);
            let sources = match self.nodes.get(source).map(|n| &n.kind) {
                Some(Kind::Sequence { items, .. }) => items.iter().map(|i| i.node).collect(),
                _ => vec![source],
            };
            for source in sources {
                let member = self.member(self.resolve(source), key, depth + 1);
                if member.is_some() {
                    return member;
                }
            }
        }
        None
    }
}

/// The key as the loader spells it: `serde_yaml` resolves plain scalars,
/// so `200:` is the string "200", `1e3:` "1000.0" and `~:` "null".
fn loader_key(value: Cow<'_, str>, style: ScalarStyle, tagged: bool) -> Cow<'_, str> {
    let decimal = !value.is_empty()
        && value.bytes().all(|b| b.is_ascii_digit())
        && (value.len() == 1 || (value.len() < 19 && !value.starts_with('0')));
    if decimal {
        // The common case (`200:`), spelled as it is written.
        return value;
    }
    let resolvable = style == ScalarStyle::Plain
        && !tagged
        && (value.is_empty()
            || value.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.'))
            || matches!(
                value.as_ref(),
                "~" | "null"
                    | "Null"
                    | "NULL"
                    | "true"
                    | "True"
                    | "TRUE"
                    | "false"
                    | "False"
                    | "FALSE"
            ));
    if resolvable {
        match serde_yaml::from_str::<serde_yaml::Value>(&value) {
            Ok(serde_yaml::Value::Number(n)) => return n.to_string().into(),
            Ok(serde_yaml::Value::Bool(b)) => return b.to_string().into(),
            Ok(serde_yaml::Value::Null) => return "null".into(),
            _ => {}
        }
    }
    value
}

/// The `|` or `>` that introduces the block scalar whose content starts at
/// `start`: on the last line before it that is not blank.
fn block_header_before(bytes: &[u8], start: usize) -> Option<usize> {
    let is_break = |b: &u8| *b == b'\n' || *b == b'\r';
    let mut line_start = bytes
        .get(..start)?
        .iter()
        .rposition(is_break)
        .map_or(0, |i| i + 1);
    loop {
        let mut end = line_start.checked_sub(1)?;
        if bytes.get(end) == Some(&b'\n') && end > 0 && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        line_start = bytes
            .get(..end)?
            .iter()
            .rposition(is_break)
            .map_or(0, |i| i + 1);
        let line = bytes.get(line_start..end)?;
        if line.iter().all(|b| *b == b' ' || *b == b'\t') {
            continue;
        }
        // The first `|` or `>` followed by only indicators and a comment.
        return line.iter().enumerate().find_map(|(i, b)| {
            let rest = line.get(i + 1..)?;
            let indicators = rest
                .iter()
                .take_while(|b| matches!(b, b'+' | b'-' | b'0'..=b'9'))
                .count();
            let rest = rest.get(indicators..)?;
            let blanks = rest
                .iter()
                .take_while(|b| **b == b' ' || **b == b'\t')
                .count();
            let header = matches!(b, b'|' | b'>')
                && (blanks == rest.len() || (blanks > 0 && rest.get(blanks) == Some(&b'#')));
            header.then_some(line_start + i)
        });
    }
}

/// The `-` of the block sequence item whose node starts at `start`: the
/// nearest one before it with only blanks, line breaks and comments
/// between.
fn dash_before(bytes: &[u8], start: usize) -> Option<usize> {
    let mut p = start;
    loop {
        p = p.checked_sub(1)?;
        match bytes.get(p)? {
            b' ' | b'\t' | b'\n' | b'\r' => continue,
            b'-' => return Some(p),
            _ => {}
        }
        // Something else: the end of a comment, on a line that holds
        // nothing else or holds the `-` before it.
        let line_start = bytes
            .get(..p)?
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        let indent = bytes
            .get(line_start..p)?
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        let first = line_start + indent;
        match bytes.get(first)? {
            b'#' => p = line_start,
            b'-' => {
                let after = bytes.get(first + 1..=p)?;
                let blanks = after
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count();
                return (blanks > 0 && after.get(blanks) == Some(&b'#')).then_some(first);
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The line, the column and the underlined text.
    fn at(map: &SourceMap, text: &str, pointer: &str) -> (usize, usize, String, bool) {
        let span = map.locate(pointer).unwrap();
        (
            span.line,
            span.column,
            text[span.byte_range].to_owned(),
            span.exact,
        )
    }

    fn yaml(text: &str, pointer: &str) -> (usize, usize, String, bool) {
        at(&SourceMap::new(text, false), text, pointer)
    }

    fn json(text: &str, pointer: &str) -> (usize, usize, String, bool) {
        at(&SourceMap::new(text, true), text, pointer)
    }

    fn exact(line: usize, column: usize, text: &str) -> (usize, usize, String, bool) {
        (line, column, text.to_owned(), true)
    }

    fn ancestor(line: usize, column: usize, text: &str) -> (usize, usize, String, bool) {
        (line, column, text.to_owned(), false)
    }

    const PETSTORE_YAML: &str = "\
openapi: 3.0.3 # a comment
info:
  title: Orgs
  version: '1'
paths:
  /orgs/{id}:
    post:
      operationId: create
      parameters:
        - name: id
          in: path
        - $ref: '#/components/parameters/Page'
      requestBody:
        content:
          application/json:
            schema:
              type: object
      responses:
        200:
          description: ok
        '404':
          description: missing
";

    #[test]
    fn yaml_nested_key() {
        let p = "/paths/~1orgs~1{id}/post/requestBody/content/application~1json/schema";
        assert_eq!(yaml(PETSTORE_YAML, p), exact(16, 13, "schema"));
        assert_eq!(
            yaml(PETSTORE_YAML, "/paths/~1orgs~1{id}/post/requestBody"),
            exact(13, 7, "requestBody")
        );
        assert_eq!(
            yaml(PETSTORE_YAML, "/paths/~1orgs~1{id}"),
            exact(6, 3, "/orgs/{id}")
        );
        assert_eq!(yaml(PETSTORE_YAML, "/info/version"), exact(4, 3, "version"));
        assert_eq!(yaml(PETSTORE_YAML, "/openapi"), exact(1, 1, "openapi"));
        assert_eq!(yaml(PETSTORE_YAML, ""), exact(1, 1, ""));
    }

    #[test]
    fn yaml_array_items() {
        let base = "/paths/~1orgs~1{id}/post/parameters";
        assert_eq!(yaml(PETSTORE_YAML, &format!("{base}/0")), exact(10, 9, "-"));
        assert_eq!(
            yaml(PETSTORE_YAML, &format!("{base}/0/in")),
            exact(11, 11, "in")
        );
        assert_eq!(
            yaml(PETSTORE_YAML, &format!("{base}/1/$ref")),
            exact(12, 11, "$ref")
        );
        let text = "tags:\n  - a\n  - 'b c'\n  -\n    # note\n    x\nflow: [1, \"two\", {k: v}]\n";
        assert_eq!(yaml(text, "/tags/0"), exact(2, 3, "- a"));
        assert_eq!(yaml(text, "/tags/1"), exact(3, 3, "- 'b c'"));
        assert_eq!(yaml(text, "/tags/2"), exact(4, 3, "-"));
        assert_eq!(yaml(text, "/flow/1"), exact(7, 11, "\"two\""));
        assert_eq!(yaml(text, "/flow/2"), exact(7, 18, "{"));
        assert_eq!(yaml(text, "/flow/2/k"), exact(7, 19, "k"));
        // Not array indices.
        assert_eq!(yaml(text, "/tags/01"), ancestor(1, 1, "tags"));
        assert_eq!(yaml(text, "/tags/-"), ancestor(1, 1, "tags"));
        assert_eq!(yaml(text, "/tags/3"), ancestor(1, 1, "tags"));
    }

    #[test]
    fn yaml_nested_sequences_and_comments() {
        let text = "foo:\n  - a\n  - bar:\n    - b\n    - c\n";
        assert_eq!(yaml(text, "/foo/1/bar/0"), exact(4, 5, "- b"));
        assert_eq!(yaml(text, "/foo/1/bar/1"), exact(5, 5, "- c"));
        let text = "s: !!seq &t [x, [y]]\nt: &u\n  - *t\n";
        assert_eq!(yaml(text, "/s/1/0"), exact(1, 18, "y"));
        assert_eq!(yaml(text, "/t/0"), exact(3, 3, "- *t"));
        assert_eq!(yaml(text, "/t/0/1"), exact(1, 17, "["));
        let text = "a:\n- - x\n  - y\n- # why\n  k: v\n-   &anchor\n  z: 1\n";
        assert_eq!(yaml(text, "/a/0"), exact(2, 1, "-"));
        assert_eq!(yaml(text, "/a/0/0"), exact(2, 3, "- x"));
        assert_eq!(yaml(text, "/a/0/1"), exact(3, 3, "- y"));
        assert_eq!(yaml(text, "/a/1"), exact(4, 1, "-"));
        assert_eq!(yaml(text, "/a/1/k"), exact(5, 3, "k"));
        assert_eq!(yaml(text, "/a/2"), exact(6, 1, "-"));
        assert_eq!(yaml(text, "/a/2/z"), exact(7, 3, "z"));
    }

    #[test]
    fn yaml_numeric_and_quoted_keys() {
        let responses = "/paths/~1orgs~1{id}/post/responses";
        assert_eq!(
            yaml(PETSTORE_YAML, &format!("{responses}/200")),
            exact(19, 9, "200")
        );
        assert_eq!(
            yaml(PETSTORE_YAML, &format!("{responses}/404/description")),
            exact(22, 11, "description")
        );
        assert_eq!(
            yaml(PETSTORE_YAML, &format!("{responses}/404")),
            exact(21, 9, "'404'")
        );
        let text = "1e3: a\n0x10: b\n~: c\ntrue: d\n\"a/b~c\": e\n'it''s': f\n!!str 1.0: g\n";
        assert_eq!(yaml(text, "/1000.0"), exact(1, 1, "1e3"));
        assert_eq!(yaml(text, "/16"), exact(2, 1, "0x10"));
        assert_eq!(yaml(text, "/null"), exact(3, 1, "~"));
        assert_eq!(yaml(text, "/true"), exact(4, 1, "true"));
        assert_eq!(yaml(text, "/a~1b~0c"), exact(5, 1, "\"a/b~c\""));
        assert_eq!(yaml(text, "/it's"), exact(6, 1, "'it''s'"));
        assert_eq!(yaml(text, "/1.0"), exact(7, 1, "!!str 1.0"));
        // An empty key is null too.
        assert!(yaml("? \n: empty\n", "/null").3);
    }

    #[test]
    fn yaml_missing_pointer_falls_back_to_ancestor() {
        let p = "/paths/~1orgs~1{id}/post/requestBody/content/text~1plain/schema";
        assert_eq!(yaml(PETSTORE_YAML, p), ancestor(14, 9, "content"));
        // Past a scalar.
        assert_eq!(
            yaml(PETSTORE_YAML, "/info/title/x"),
            ancestor(3, 3, "title")
        );
        // Not even the first token.
        assert_eq!(
            yaml(PETSTORE_YAML, "/components/schemas"),
            ancestor(1, 1, "")
        );
        assert_eq!(SourceMap::new(PETSTORE_YAML, false).locate("paths"), None);
    }

    #[test]
    fn yaml_multi_line_scalars() {
        let text = "a: |\n  one\n  two\nb: >-\n  folded\n  text\nc: \"quoted\n  d\"\nd: plain\n  continued\ne: 1\n";
        assert_eq!(yaml(text, "/b"), exact(4, 1, "b"));
        assert_eq!(yaml(text, "/c"), exact(7, 1, "c"));
        assert_eq!(yaml(text, "/d"), exact(9, 1, "d"));
        assert_eq!(yaml(text, "/e"), exact(11, 1, "e"));
        let key = "? |\n  long key\n: v\n";
        assert_eq!(yaml(key, "/long key\n"), exact(1, 3, "|"));
        let text = "a: |\nb: >- # c |\n\n  y\nc:\n- !!str |\n  z\n- >\r\n  w\r\n";
        assert_eq!(yaml(text, "/b"), exact(2, 1, "b"));
        assert_eq!(yaml(text, "/c/0"), exact(6, 1, "- !!str |"));
        assert_eq!(yaml(text, "/c/1"), exact(8, 1, "- >"));
        let seq = "- |\n  block\n- multi\n  line plain\n";
        assert_eq!(yaml(seq, "/0"), exact(1, 1, "- |"));
        assert_eq!(yaml(seq, "/1"), exact(3, 1, "- multi"));
    }

    #[test]
    fn yaml_anchors_aliases_and_merge_keys() {
        let text = "\
base: &base
  x: 1
  y: 2
other: &other {w: 0, y: 3}
m:
  <<: *base
  y: 4
n:
  <<: [*other, *base]
alias: *base
seq: &s
  - q
items: *s
quoted:
  \"<<\": *base
";
        assert_eq!(yaml(text, "/m/y"), exact(7, 3, "y"));
        // Merged keys are found in the anchored mapping.
        assert_eq!(yaml(text, "/m/x"), exact(2, 3, "x"));
        assert_eq!(yaml(text, "/n/y"), exact(4, 22, "y"));
        assert_eq!(yaml(text, "/n/x"), exact(2, 3, "x"));
        assert_eq!(yaml(text, "/n/z"), ancestor(8, 1, "n"));
        // Through an alias, too.
        assert_eq!(yaml(text, "/alias"), exact(10, 1, "alias"));
        assert_eq!(yaml(text, "/alias/y"), exact(3, 3, "y"));
        assert_eq!(yaml(text, "/items/0"), exact(12, 3, "- q"));
        // `<<` is not a key of its own; the loader merges `"<<"` too.
        assert_eq!(yaml(text, "/m/<<"), ancestor(5, 1, "m"));
        assert_eq!(yaml(text, "/quoted/x"), exact(2, 3, "x"));
    }

    #[test]
    fn yaml_document_markers_crlf_and_unicode() {
        let text = "%YAML 1.2\n---\n# top\na: 1\n...\n";
        assert_eq!(yaml(text, "/a"), exact(4, 1, "a"));
        let text = "---\r\nfoo:\r\n  bar: 1\r\n  baz:\r\n    - x\r\n";
        assert_eq!(yaml(text, "/foo/bar"), exact(3, 3, "bar"));
        assert_eq!(yaml(text, "/foo/baz/0"), exact(5, 5, "- x"));
        let text = "\u{feff}é: {ü: 'ñ', k: v}\nb: 1\n";
        assert_eq!(yaml(text, "/é"), exact(1, 1, "é"));
        assert_eq!(yaml(text, "/é/k"), exact(1, 13, "k"));
        assert_eq!(yaml(text, "/b"), exact(2, 1, "b"));
        let text = "a:\r  b: 1\r";
        assert_eq!(yaml(text, "/a/b"), exact(2, 3, "b"));
    }

    #[test]
    fn yaml_only_the_first_document_and_broken_text() {
        let text = "a: 1\n---\nb: 2\n";
        assert_eq!(yaml(text, "/b"), ancestor(1, 1, ""));
        let text = "a:\n  b: 1\n  c: [unclosed\n";
        assert_eq!(yaml(text, "/a/b"), exact(2, 3, "b"));
        assert_eq!(yaml("", "/a"), ancestor(1, 1, ""));
        assert_eq!(yaml("just a scalar", "/a"), ancestor(1, 1, ""));
    }

    const ORGS_JSON: &str = r#"{
  "openapi": "3.1.0",
  "paths": {
    "/orgs/{id}": {
      "post": {
        "parameters": [
          {"name": "id", "in": "path"},
          "x", 12, true, null, [1, [2]]
        ],
        "requestBody": {
          "content": {
            "application/json": {
              "schema": { "type": "object" }
            }
          }
        }
      }
    }
  },
  "k\"ey": 1, "caf\u00e9": 2, "\ud83d\ude00 x": 3, "a\/b~c": 4
}"#;

    #[test]
    fn json_nested_key() {
        let p = "/paths/~1orgs~1{id}/post/requestBody/content/application~1json/schema";
        assert_eq!(json(ORGS_JSON, p), exact(13, 15, "\"schema\""));
        assert_eq!(
            json(ORGS_JSON, "/paths/~1orgs~1{id}/post/requestBody"),
            exact(10, 9, "\"requestBody\"")
        );
        assert_eq!(json(ORGS_JSON, "/openapi"), exact(2, 3, "\"openapi\""));
        assert_eq!(json(ORGS_JSON, ""), exact(1, 1, ""));
    }

    #[test]
    fn json_array_items() {
        let base = "/paths/~1orgs~1{id}/post/parameters";
        assert_eq!(json(ORGS_JSON, &format!("{base}/0")), exact(7, 11, "{"));
        assert_eq!(
            json(ORGS_JSON, &format!("{base}/0/in")),
            exact(7, 26, "\"in\"")
        );
        assert_eq!(json(ORGS_JSON, &format!("{base}/1")), exact(8, 11, "\"x\""));
        assert_eq!(json(ORGS_JSON, &format!("{base}/2")), exact(8, 16, "12"));
        assert_eq!(json(ORGS_JSON, &format!("{base}/3")), exact(8, 20, "true"));
        assert_eq!(json(ORGS_JSON, &format!("{base}/4")), exact(8, 26, "null"));
        assert_eq!(json(ORGS_JSON, &format!("{base}/5/1/0")), exact(8, 37, "2"));
        assert_eq!(
            json(ORGS_JSON, &format!("{base}/6")),
            ancestor(6, 9, "\"parameters\"")
        );
        assert_eq!(json("[1, 2]", "/1"), exact(1, 5, "2"));
    }

    #[test]
    fn json_escaped_keys() {
        assert_eq!(json(ORGS_JSON, "/k\"ey"), exact(20, 3, r#""k\"ey""#));
        assert_eq!(json(ORGS_JSON, "/café"), exact(20, 15, r#""caf\u00e9""#));
        assert_eq!(
            json(ORGS_JSON, "/😀 x"),
            exact(20, 31, r#""\ud83d\ude00 x""#)
        );
        assert_eq!(json(ORGS_JSON, "/a~1b~0c"), exact(20, 52, r#""a\/b~c""#));
    }

    #[test]
    fn json_missing_pointer_falls_back_to_ancestor() {
        let p = "/paths/~1orgs~1{id}/post/requestBody/content/text~1plain/schema";
        assert_eq!(json(ORGS_JSON, p), ancestor(11, 11, "\"content\""));
        assert_eq!(json(ORGS_JSON, "/openapi/x"), ancestor(2, 3, "\"openapi\""));
        assert_eq!(json(ORGS_JSON, "/nope"), ancestor(1, 1, ""));
        assert_eq!(json("42", "/a"), ancestor(1, 1, ""));
        assert_eq!(json("{\"a\": {\"b\": ", "/a/b"), exact(1, 8, "\"b\""));
    }

    #[test]
    fn json_crlf_unicode_and_strings_with_brackets() {
        let text = "{\r\n  \"ä\": \"}]{[\\\"\",\r\n  \"ö\": {\"ü\": [\"ß\", 1]}\r\n}";
        assert_eq!(json(text, "/ö"), exact(3, 3, "\"ö\""));
        assert_eq!(json(text, "/ö/ü/0"), exact(3, 15, "\"ß\""));
        assert_eq!(json(text, "/ö/ü/1"), exact(3, 20, "1"));
        let text = "\u{feff}{\"a\": 1}";
        assert_eq!(json(text, "/a"), exact(1, 2, "\"a\""));
    }

    #[test]
    fn json_duplicate_keys_take_the_last_like_serde_json() {
        assert_eq!(json("{\"a\": 1, \"a\": 2}", "/a"), exact(1, 10, "\"a\""));
    }

    /// Lines and columns by the definition, for every character of texts
    /// that cross block boundaries in every way.
    #[test]
    fn line_and_column_arithmetic_matches_a_naive_count() {
        let mut texts = Vec::new();
        let pieces = ["ab", "\n", "\r\n", "\r", "é", "😀", "  "];
        let mut text = String::new();
        let mut seed = 7u32;
        while text.len() < 5 * BLOCK {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            text.push_str(pieces[(seed >> 16) as usize % pieces.len()]);
        }
        texts.push(text);
        // A `\r\n` split by a block boundary, and one long line.
        texts.push(format!("{}\r\nx\ry", "a".repeat(BLOCK - 1)));
        texts.push(format!("\u{feff}{}", "ü".repeat(3 * BLOCK)));
        for text in &texts {
            for cr in [false, true] {
                let map = SourceMap {
                    text: text.clone(),
                    lines: Lines::new(text.as_bytes(), cr),
                    index: Index::Json(JsonIndex::new("")),
                };
                let (mut line, mut column) = (1, 1);
                let mut chars = text.char_indices().peekable();
                let mut previous = None;
                while let Some((i, c)) = chars.next() {
                    let span = map.span(i, i, true);
                    let bom = i == 0 && c == '\u{feff}';
                    // No node starts at the `\n` of a `\r\n`.
                    let inside_crlf = cr && c == '\n' && previous == Some('\r');
                    previous = Some(c);
                    if !bom && !inside_crlf {
                        assert_eq!((span.line, span.column), (line, column), "at {i}, cr {cr}");
                    }
                    let next = chars.peek().map(|&(_, c)| c);
                    if c == '\n' || (cr && c == '\r' && next != Some('\n')) {
                        (line, column) = (line + 1, 1);
                    } else if !bom {
                        column += 1;
                    }
                }
            }
        }
    }

    #[test]
    fn many_lookups_in_a_large_json_document_stay_fast() {
        use std::fmt::Write as _;
        let mut text = String::from("{\"paths\": {\n");
        let mut n = 0;
        while text.len() < 1_000_000 {
            if n > 0 {
                text.push_str(",\n");
            }
            write!(
                text,
                "  \"/items/{n}/{{id}}\": {{\"get\": {{\"parameters\": [{{\"name\": \"p{n}\", \"in\": \"query\"}}], \
                 \"responses\": {{\"200\": {{\"description\": \"ok \\\"{n}\\\" ✓\"}}}}}}}}"
            )
            .unwrap();
            n += 1;
        }
        text.push_str("\n}}\n");
        assert!(text.len() >= 1_000_000);
        let started = std::time::Instant::now();
        let map = SourceMap::new(&text, true);
        let mut last = None;
        for i in (0..n).step_by(7) {
            let p = format!("/paths/~1items~1{i}~1{{id}}/get/responses/200/description");
            let span = map.locate(&p).unwrap();
            assert!(span.exact, "{p}");
            assert_eq!(span.line, i + 2);
            last = Some(span);
            let missing = format!("/paths/~1items~1{i}~1{{id}}/get/parameters/0/schema");
            assert!(!map.locate(&missing).unwrap().exact);
        }
        let elapsed = started.elapsed();
        assert!(last.is_some());
        // Unoptimised test builds too: generous, but catches quadratic work.
        assert!(elapsed.as_secs() < 5, "took {elapsed:?}");
    }

    #[test]
    fn large_yaml_document_indexes_quickly() {
        use std::fmt::Write as _;
        let mut text = String::from("paths:\n");
        for i in 0..5_000 {
            write!(
                text,
                "  /items/{i}:\n    get:\n      parameters:\n        - name: p{i}\n          in: query\n      responses:\n        200:\n          description: ok\n"
            )
            .unwrap();
        }
        let started = std::time::Instant::now();
        let map = SourceMap::new(&text, false);
        for i in (0..5_000).step_by(3) {
            let p = format!("/paths/~1items~1{i}/get/parameters/0/in");
            let span = map.locate(&p).unwrap();
            assert_eq!((span.line, span.column, span.exact), (i * 8 + 6, 11, true));
        }
        let elapsed = started.elapsed();
        assert!(elapsed.as_secs() < 5, "took {elapsed:?}");
    }
}
