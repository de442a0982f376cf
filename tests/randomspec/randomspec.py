#!/usr/bin/env python3
"""Random OpenAPI specs against the generator's contract.

Generates seeded, structure-aware, hostile but valid OpenAPI 3.0.3 / 3.1.0
documents (YAML or JSON), runs the release generator on each and checks:

  (a) exit 0 and the crate passes
      `cargo clippy --all-targets --no-default-features -- -D warnings`, or
  (b) exit 1, stderr names the spec file and a location (`--> FILE at ...`),
      and --out does not exist afterwards.

Failure classes: panic, crash (signal / abort), hang (> --timeout), slow
(> --slow), compile-error, clippy-warning, no-location (non-zero exit without a
located error, or an exit code other than 1), partial-output (failed, but --out
exists).

Examples:
  python3 tests/randomspec/randomspec.py --count 200 --seed 1
  python3 tests/randomspec/randomspec.py --count 500 --seed 7 --no-build
  python3 tests/randomspec/randomspec.py --show 1:17            # print spec 17 of seed 1
  python3 tests/randomspec/randomspec.py --shrink target/randomspec/failures/s1-00017.yaml
  python3 tests/randomspec/randomspec.py --shrink-report         # shrink one spec per failure kind
"""

import argparse
import collections
import concurrent.futures
import copy
import hashlib
import zlib
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import time
import urllib.parse

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "target", "randomspec")

# --------------------------------------------------------------------------
# Hostile dictionary
# --------------------------------------------------------------------------

PLAIN = [
    "id", "name", "status", "count", "items", "created_at", "updatedAt", "tags", "owner", "kind", "data",
    "page", "limit", "cursor", "Pet", "Order", "User", "Tree", "Node", "label", "email", "title", "size",
    "parent", "children", "next", "prev", "meta", "payload", "color", "price", "amount", "total", "org",
    "Widget", "Account", "Event", "Message", "Shape", "Animal", "Cat", "Dog", "Leaf", "Branch",
]
KEYWORDS = [
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self",
    "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "async",
    "await", "dyn", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "typeof",
    "unsized", "virtual", "yield", "try", "gen", "union", "macro_rules", "raw", "safe", "r#type",
    "r#match", "r#self", "_", "Type", "SELF", "Self_", "type_", "_type", "r#",
]
COLLIDE = [
    "fooBar", "foo_bar", "FooBar", "foo-bar", "FOO_BAR", "foo bar", "foo.bar", "foo__bar", "_foo_bar",
    "fooBAR", "FOOBar", "Foo_Bar", "foo_bar_", "foobar",
]
DIGITS = ["1st", "2fa", "200", "0", "123abc", "3d-model", "42", "007", "1", "2XX", "-1", "1.5", "1e3"]
SYMBOLS = ["$", "@", "-", "_", "__", "+", "*", "#", "!", "%", "~", "~0", "~1", "..", ".", "$ref", "@type", "&", "?", "=", ":",
           "a/b", "x~y", "~1a", "/", "%2F", "a%20b"]
NON_ASCII = [
    "名前", "größe", "café", "😀", "naïve", "Ωmega", "ñandú", "🚀launch", "ß", "İstanbul", "日本語_name",
    "Ünïcödé", "ﬁle", "ǅ", "µs", "𝔘𝔫𝔦",
]
LONG = ["a" * 200, "very_long_" * 30, "X" + "y" * 150, "Abc" * 70]
STD = [
    "String", "Option", "Result", "Box", "Vec", "Some", "None", "Ok", "Err", "Default", "Debug", "Clone",
    "Copy", "Send", "Sync", "Sized", "From", "Into", "Iterator", "HashMap", "BTreeMap", "serde", "std",
    "core", "alloc", "Serialize", "Deserialize", "Display", "ToString", "PartialEq", "Eq", "Hash", "Fn",
    "i32", "u8", "str", "bool", "f64", "char", "usize", "Self", "Ord", "Drop", "Future", "Pin", "Rc", "Arc",
]
CLIENT = [
    "Client", "ClientBuilder", "Error", "Nullable", "ApiError", "DecodeError", "ValidationError", "runtime",
    "types", "operations", "builder", "base_url", "http_client", "timeout", "new", "build", "send", "body",
    "client", "bearer_token", "basic_auth", "apply_bearer", "apply_basic", "server_url", "into_future",
    "Unknown", "KNOWN", "value", "as_str", "is_known", "Request", "Response", "IntoFuture", "Output",
    "Absent", "Null", "Value", "validate", "headers", "status", "reqwest", "serde_json", "chrono",
    "Transport", "Validation", "Api", "Decode", "request", "response", "url", "query", "method", "fmt",
    "Ty", "IntoFutureOutput", "DEFAULT", "ALL", "from_str", "to_string", "default", "api_key", "token",
]
PLACEHOLDER = ["foo", "baz", "quux", "bar", "Foo", "Baz", "Quux", "foobar"]
QUOTES = [
    'say "hi"', "it's", "back\\slash", "*/", '"#', "a\nb", "{}", "{id}", 'r#"x"#', "/* c */", "// c",
    "'", '"', "\\", "a b", "x;y", "<b>", "`tick`", "${x}", '"]; fn evil() {} //', "\\u{0}", "}{",
    "#[derive(Debug)]", "\\n",
]
INVISIBLE = [
    "zero\u200bwidth", "soft\u00adhyphen", "rtl\u202eevil", "nul\u0000byte", "cr\rlf", "tab\tname",
    "bom\ufeff", "join\u2060er", "\u00a0nbsp", "line\u2028sep", "combin\u0301ing",
]
GROUPS = {
    "keyword": KEYWORDS, "collide": COLLIDE, "digits": DIGITS, "symbols": SYMBOLS, "empty": [""],
    "nonascii": NON_ASCII, "long": LONG, "std": STD, "client": CLIENT, "placeholder": PLACEHOLDER,
    "quotes": QUOTES, "invisible": INVISIBLE,
}
GROUP_WEIGHTS = {
    "keyword": 10, "collide": 8, "digits": 5, "symbols": 4, "empty": 1, "nonascii": 5, "long": 1,
    "std": 7, "client": 10, "placeholder": 3, "quotes": 3, "invisible": 1,
}
COLLIDE_BASES = [["foo", "bar"], ["user", "id"], ["created", "at"], ["type"], ["self"], ["x", "1"], ["http", "url"],
                 ["a"], ["value"], ["api", "key"], ["is", "known"], ["new"]]

COMPONENT_RE = re.compile(r"^[A-Za-z0-9._-]+$")
TOKEN_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def variants(words):
    lower = [w.lower() for w in words]
    out = [
        lower[0] + "".join(w.capitalize() for w in lower[1:]),
        "_".join(lower), "".join(w.capitalize() for w in lower), "-".join(lower), "_".join(lower).upper(),
        " ".join(lower), ".".join(lower), "__".join(lower), "_" + "_".join(lower), "_".join(lower) + "_",
        "".join(lower), "_".join(w.capitalize() for w in lower), "r#" + "_".join(lower),
    ]
    seen, res = set(), []
    for v in out:
        if v not in seen:
            seen.add(v)
            res.append(v)
    return res


# Descriptions with markdown and clippy doc-lint hazards.
MD_HAZARDS = [
    "```\nfn main() { panic!(\"doctest\") }\n```",
    "```rust\nlet x: u32 = \"not a number\";\n```",
    "```json\n{\"a\": 1, \"b\": [true, null]}\n```",
    "    indented code block\n    let y = 1;",
    "<html><body>hi</body></html>",
    "<script>alert(1)</script>",
    "[link]",
    "[link](http://example.com)",
    "[ref]: http://example.com",
    "# Heading\n## Sub heading",
    "- item one\n- item two\ncontinuation without indent",
    "1. first\n2. second\n      overindented continuation",
    "* a\n    * nested\n        * deeper",
    "Tabs\there\tand\tthere",
    "*/ /* unterminated comment",
    "\"]; fn evil() {} //",
    "#[test]\nfn t() {}",
    "```\n#[test]\nfn t() {}\n```",
    "http://bare.url/path and https://example.com/x?y=1",
    "<http://angle.url>",
    "text with `unclosed backtick",
    "~~~\ntilde fence\n~~~",
    "```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "> quote\nlazy continuation",
    "line with trailing spaces   \nnext",
    "\n\n\nleading newlines",
    "//! inner doc",
    "/// triple slash",
    "\\ backslash \\n literal",
    "{{ template }} ${var} #{x}",
    "unicode: café 名前 😀",
    "zero\u200bwidth and rtl\u202eoverride\u202c",
    "\r\nCRLF line\r\n",
    "foo_bar and FooBar should be code",
    "",
    "   ",
    "A very long first paragraph " + "word " * 80,
    "Returns `Vec<T>` or Option<String> & <T>",
    "```text\nunclosed fence with ``` inside",
    "\t\tindented with tabs",
    "[^1]: footnote",
    "- [ ] task list",
    "#![allow(warnings)]",
    "\\",
]


BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200b\u00ad\u2060\ufeff]")


def description(rng, invisible=False):
    pool = MD_HAZARDS if invisible else [h for h in MD_HAZARDS if not BIDI.search(h)]
    parts = [rng.choice(pool) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    if rng.random() < 0.5:
        parts.insert(0, "Plain words.")
    return rng.choice(["\n", "\n\n", " "]).join(parts)


def percent_token(token, rng, mode):
    """A JSON pointer token escaped (~0, ~1) and made a URI fragment."""
    esc = token.replace("~", "~0").replace("/", "~1")
    if mode == "raw":  # IRI form: only escape what breaks URIs badly
        return esc.replace("%", "%25").replace(" ", "%20").replace("#", "%23")
    enc = urllib.parse.quote(esc, safe="!$&'()*+,;=:@-._~")
    if mode == "over":  # percent-encode some harmless ASCII letters too (never inside a %XX escape)
        parts = re.split(r"(%[0-9A-F]{2})", enc)
        enc = "".join(p if p.startswith("%") else "".join(("%%%02X" % ord(c)) if c.isalpha() and c.isascii() and rng.random() < 0.5 else c for c in p)
                      for p in parts)
    return enc


# --------------------------------------------------------------------------
# Spec generator
# --------------------------------------------------------------------------

INT_FORMATS = {
    "int8": (-128, 127), "int16": (-32768, 32767), "int32": (-2**31, 2**31 - 1), "int64": (-2**63, 2**63 - 1),
    "uint8": (0, 255), "uint16": (0, 65535), "uint32": (0, 2**32 - 1), "uint64": (0, 2**64 - 1),
}
STRING_FORMATS = ["date-time", "date", "uuid", "byte", "binary", "password", "email", "uri", "time", "hostname",
                  "ipv4", "ipv6", "duration", "int64", "decimal", "x-custom"]
FORMAT_DEFAULTS = {
    "date-time": "2020-01-01T00:00:00Z", "date": "2020-01-01", "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "email": "a@example.com", "uri": "https://example.com/", "byte": "aGVsbG8=", "time": "12:00:00",
    "ipv4": "127.0.0.1", "hostname": "example.com", "password": "hunter2",
}
PATTERNS = [
    ("^[a-z]+$", "abc"), ("^\\d{3}-\\d{4}$", "555-1234"), ("^[A-Z]{2,3}$", "AB"), ("^[^\"]*$", "x"),
    ("^\\w*$", "w"), (".*", "anything"), ("^(a|b)+$", "ab"), ("^\\p{L}+$", "abc"), ("^[\\u0000-\\u007f]*$", "a"),
    ("^\\\\$", "\\"), ("[", None), ("^(?<name>x)$", "x"), ("/regex/", "a/regex/"),
]
METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
BODY_METHODS = {"put", "post", "patch"}


class Ctx:
    """Per-scope name picker with collision pressure."""

    def __init__(self, gen, usage, hostile=None):
        self.g = gen
        self.usage = usage
        self.taken = set()
        self.collide = None
        if gen.r.random() < gen.p_collide:
            self.collide = variants(gen.r.choice(COLLIDE_BASES))

    def pick(self):
        g = self.g
        for _ in range(20):
            if self.collide and g.r.random() < 0.5:
                name = g.r.choice(self.collide)
            else:
                name = g.raw_name()
            if not g.name_ok(name, self.usage):
                continue
            if name in self.taken:
                continue
            self.taken.add(name)
            return name
        n = 0
        base = g.r.choice(PLAIN)
        while f"{base}{n}" in self.taken:
            n += 1
        self.taken.add(f"{base}{n}")
        return f"{base}{n}"


class SpecGen:
    def __init__(self, rng, version):
        self.r = rng
        self.version = version
        self.v31 = version.startswith("3.1")
        self.notes = []
        # Per-spec temperament, so some specs are mild and some extreme.
        self.p_hostile = rng.choice([0.1, 0.3, 0.5, 0.8])
        self.p_collide = rng.choice([0.0, 0.2, 0.5])
        self.p_desc = rng.choice([0.0, 0.2, 0.5])
        self.p_invalid_name = rng.choice([0.0, 0.0, 0.0, 0.03])
        # zero-width and bidi characters trip rustc's deny-by-default lints; keep them rare so
        # they do not mask everything else
        self.invisible = rng.random() < 0.06
        self.schemas = {}
        self.kind = {}          # component schema name -> kind
        self.edges = collections.defaultdict(set)  # transparent ref edges (alias, allOf, union members)
        self.comp = {"parameters": {}, "responses": {}, "requestBodies": {}, "headers": {}, "securitySchemes": {},
                     "examples": {}, "pathItems": {}}
        self.comp_names = Ctx(self, "component")
        self.op_ids = []
        self.depth_limit = rng.choice([2, 2, 3, 3, 4])
        # size class: most specs small, a few large
        self.size = rng.choices(["small", "medium", "large"], [70, 24, 6])[0]

    # ---- helpers
    def p(self, x):
        return self.r.random() < x

    def raw_name(self):
        if self.p(self.p_hostile):
            groups = list(GROUP_WEIGHTS)
            g = self.r.choices(groups, [GROUP_WEIGHTS[k] for k in groups])[0]
            if g == "invisible" and not self.invisible:
                g = "quotes"
            return self.r.choice(GROUPS[g])
        return self.r.choice(PLAIN)

    def name_ok(self, name, usage):
        if usage == "component":
            if COMPONENT_RE.match(name):
                return True
            if name and self.p(self.p_invalid_name):
                self.notes.append(f"component name outside ^[a-zA-Z0-9._-]+$: {name!r}")
                return True
            return False
        if usage == "path":
            return bool(name) and not any(c in name for c in "{}/?#%\n\r") and "\u0000" not in name
        if usage == "header":
            return bool(TOKEN_RE.match(name)) or (bool(name) and self.p(0.1))
        if usage == "any":
            return True
        if usage == "nonempty":
            return bool(name)
        return True

    def desc(self):
        return description(self.r, self.invisible)

    def maybe_desc(self, d, key="description"):
        if self.p(self.p_desc):
            d[key] = self.desc()
        return d

    def ref_to(self, section, name, siblings_ok=True):
        mode = self.r.choices(["std", "over", "raw"], [90, 5, 5])[0]
        if mode == "raw" and (name.isascii()):
            mode = "std"
        ref = "#/components/" + section + "/" + percent_token(name, self.r, mode)
        if mode == "raw":
            self.notes.append(f"$ref with raw non-ASCII: {ref}")
        return {"$ref": ref}

    def schema_ref(self, name, sibling=True):
        ref = self.ref_to("schemas", name)
        if sibling and self.p(0.12):
            if self.v31:
                k = self.r.choice(["description", "description", "deprecated", "readOnly", "title", "nullable"])
                ref[k] = {"description": self.desc() or "d", "deprecated": True, "readOnly": True,
                          "title": "T", "nullable": True}[k]
            else:
                k = self.r.choice(["nullable", "description"])
                ref[k] = True if k == "nullable" else "sibling description"
        return ref

    def nullable(self, s):
        s = dict(s)
        if "$ref" in s:
            if self.v31 or self.p(0.5):
                return {self.r.choice(["oneOf", "anyOf"]): [s, {"type": "null"}] if self.v31 else [s]} | (
                    {} if self.v31 else {"nullable": True})
            return {"allOf": [s], "nullable": True}
        if self.v31:
            t = s.get("type")
            if isinstance(t, str):
                s["type"] = [t, "null"] if self.p(0.7) else ["null", t]
            elif t is None:
                return {"anyOf": [s, {"type": "null"}]}
        else:
            s["nullable"] = True
        if "enum" in s and None not in s["enum"]:
            s["enum"] = s["enum"] + [None]
        if "const" in s:
            return {"oneOf": [s, {"type": "null"}]}
        return s

    def would_cycle(self, src, dst):
        seen, stack = set(), [dst]
        while stack:
            n = stack.pop()
            if n == src:
                return True
            if n in seen:
                continue
            seen.add(n)
            stack.extend(self.edges.get(n, ()))
        return False

    def transparent_target(self, src, pool=None):
        """A schema name `src` may alias / allOf / union without creating a cycle."""
        pool = [n for n in (pool or list(self.kind)) if n != src]
        self.r.shuffle(pool)
        for n in pool:
            if not self.would_cycle(src, n):
                self.edges[src].add(n)
                return n
        return None

    # ---- scalar schemas
    def scalar(self, allow_default=True):
        t = self.r.choice(["string"] * 4 + ["integer"] * 3 + ["number"] * 2 + ["boolean"])
        s = {"type": t}
        if t == "string":
            fmt = self.r.choice([None, None] + STRING_FORMATS)
            if fmt:
                s["format"] = fmt
            constrained = False
            if self.p(0.25) and fmt in (None, "password"):
                lo = self.r.choice([0, 1, 3])
                s["minLength"] = lo
                if self.p(0.7):
                    s["maxLength"] = lo + self.r.choice([0, 5, 255])
                constrained = True
            if self.p(0.15) and fmt is None:
                pat, example = self.r.choice(PATTERNS)
                s["pattern"] = pat
                if example is None:
                    self.notes.append(f"invalid regex pattern {pat!r}")
                constrained = True
                if example and allow_default and self.p(0.3) and s.get("minLength", 0) <= len(example) <= s.get("maxLength", 10**9):
                    s["default"] = example
            if allow_default and self.p(0.2) and not constrained:
                if fmt in FORMAT_DEFAULTS:
                    s["default"] = FORMAT_DEFAULTS[fmt]
                elif fmt is None:
                    s["default"] = self.r.choice(QUOTES + PLAIN + (INVISIBLE[:3] if self.invisible else []))
            if self.p(0.1):
                s["example"] = FORMAT_DEFAULTS.get(fmt, "example \"quoted\"")
        elif t == "integer":
            fmt = self.r.choice([None, "int32", "int64"] + list(INT_FORMATS))
            if fmt:
                s["format"] = fmt
            lo, hi = INT_FORMATS.get(fmt, (-2**63, 2**63 - 1))
            mn = mx = None
            if self.p(0.3):
                mn = self.r.choice([lo, 0, 1, -5, lo + 1]) if lo < 0 else self.r.choice([lo, 1, 10])
                mn = max(mn, lo)
            if self.p(0.3):
                mx = self.r.choice([hi, 100, 1000, hi - 1])
                mx = min(mx, hi)
                if mn is not None and mx <= mn + 2:
                    mx = mn + 10
                    if mx > hi:
                        mx = None
            if mn is not None:
                self._min(s, "minimum", "exclusiveMinimum", mn)
            if mx is not None:
                self._min(s, "maximum", "exclusiveMaximum", mx)
            if self.p(0.1):
                s["multipleOf"] = self.r.choice([1, 2, 5, 10])
            if allow_default and self.p(0.2):
                d = 0
                if mn is not None and d <= mn:
                    d = mn + 1
                if mx is not None and d >= mx:
                    d = None
                if d is not None and "multipleOf" not in s:
                    s["default"] = d
        elif t == "number":
            fmt = self.r.choice([None, "float", "double", "float", "double", "decimal"])
            if fmt:
                s["format"] = fmt
            if self.p(0.25):
                self._min(s, "minimum", "exclusiveMinimum", self.r.choice([0, 0.5, -1.5, -1e10]))
            if self.p(0.25):
                self._min(s, "maximum", "exclusiveMaximum", self.r.choice([1, 99.99, 1e10, 3.4e38]))
            if self.p(0.1):
                s["multipleOf"] = self.r.choice([0.01, 0.5, 2])
            if allow_default and self.p(0.15) and "minimum" not in s and "maximum" not in s and not any(
                    k.startswith("exclusive") for k in s) and "multipleOf" not in s:
                s["default"] = self.r.choice([0, 1.5, -0.25])
        else:
            if allow_default and self.p(0.2):
                s["default"] = self.p(0.5)
        if self.p(0.05):
            s["deprecated"] = True
        return s

    def _min(self, s, key, ekey, value):
        if self.p(0.25):
            if self.v31:
                s[ekey] = value
            else:
                s[key] = value
                s[ekey] = True
        else:
            s[key] = value

    def enum(self, ctx=None):
        kinds = ["string"] * 6 + ["integer"] * 2 + (["const"] if self.v31 else []) + ["untyped", "number"]
        k = self.r.choice(kinds)
        if k == "const":
            if self.p(0.6):
                return {"type": "string", "const": Ctx(self, "any").pick()}
            return {"type": "integer", "const": self.r.choice([0, 1, 42, -7])}
        if k == "integer":
            vals = self.r.sample([-1, 0, 1, 2, 3, 200, 404, -2147483648, 2147483647, 9007199254740991, 42, 7], self.r.randint(1, 5))
            s = {"type": "integer", "enum": vals}
            if self.p(0.4):
                s["format"] = "int32" if all(-2**31 <= v < 2**31 for v in vals) and self.p(0.5) else "int64"
            if self.p(0.2):
                s["x-enum-varnames"] = [f"V{v}".replace("-", "M") for v in vals]
        elif k == "number":
            s = {"type": "number", "enum": self.r.sample([0.5, 1.0, 2.25, -3.5], self.r.randint(1, 3))}
        elif k == "untyped":
            s = {"enum": self.r.sample(["a", 1, True, "b", 2.5], self.r.randint(1, 4))}
        else:
            c = Ctx(self, "any")
            n = self.r.choice([1, 2, 3, 3, 4, 6])
            vals = [c.pick() for _ in range(n)]
            s = {"type": "string", "enum": vals}
        if self.p(0.25) and "enum" in s:
            s["default"] = self.r.choice(s["enum"])
        return self.maybe_desc(s)

    # ---- composite inline schemas
    def schema(self, depth, owner=None, allow_ref=True):
        """Any schema: inline or a $ref to a component."""
        names = list(self.kind)
        if depth >= self.depth_limit:
            if allow_ref and names and self.p(0.5):
                return self.schema_ref(self.r.choice(names))
            return self.scalar()
        w = {"scalar": 30, "ref": 30 if (allow_ref and names) else 0, "enum": 8, "array": 10, "map": 5,
             "object": 10, "free": 3, "union": 4, "allof": 2, "any": 1}
        k = self.r.choices(list(w), list(w.values()))[0]
        if k == "scalar":
            return self.scalar()
        if k == "ref":
            return self.schema_ref(self.r.choice(names))
        if k == "enum":
            return self.enum()
        if k == "array":
            return self.array(depth, owner)
        if k == "map":
            return self.map(depth, owner)
        if k == "object":
            return self.object(depth + 1, owner)
        if k == "free":
            return self.free_form()
        if k == "union":
            return self.union_inline(depth, owner)
        if k == "allof":
            if names:
                return {"allOf": [self.schema_ref(self.r.choice(names), sibling=False)], "description": "wrapped"}
            return self.scalar()
        return {} if self.p(0.5) else {"description": "anything"}

    def free_form(self):
        return self.r.choice([{"type": "object"}, {"type": "object", "additionalProperties": True},
                              {"type": "object", "additionalProperties": {}}, {}, {"additionalProperties": True}])

    def array(self, depth, owner=None):
        s = {"type": "array", "items": self.schema(depth + 1, owner)}
        if self.p(0.2):
            s = {"type": "array", "items": s}  # nested
        if self.p(0.2):
            s["minItems"] = self.r.choice([0, 1, 2])
        if self.p(0.15):
            s["maxItems"] = s.get("minItems", 0) + self.r.choice([0, 3, 100])
        if self.p(0.1):
            s["uniqueItems"] = True
        return self.maybe_desc(s)

    def map(self, depth, owner=None):
        ap = self.r.choice(["schema", "schema", "true", "false", "empty"])
        s = {"type": "object"}
        if ap == "schema":
            s["additionalProperties"] = self.schema(depth + 1, owner)
        elif ap == "true":
            s["additionalProperties"] = True
        elif ap == "false":
            s["additionalProperties"] = False
        else:
            s["additionalProperties"] = {}
        if self.p(0.1):
            s["minProperties"] = 1
        if self.p(0.1):
            s["maxProperties"] = 10
        return s

    def union_inline(self, depth, owner=None):
        key = self.r.choice(["oneOf", "oneOf", "anyOf"])
        alts = []
        for _ in range(self.r.randint(1, 4)):
            k = self.r.choice(["scalar", "ref", "object", "array", "enum"])
            if k == "ref" and self.kind:
                tgt = self.r.choice(list(self.kind))
                if owner is not None and tgt == owner:
                    pass  # recursion through an inline union (not transparent: inside a property)
                alts.append(self.schema_ref(tgt, sibling=False))
            elif k == "object":
                alts.append(self.object(depth + 1, owner))
            elif k == "array":
                alts.append(self.array(depth + 1, owner))
            elif k == "enum":
                alts.append(self.enum())
            else:
                alts.append(self.scalar(allow_default=False))
        if self.v31 and self.p(0.2):
            alts.append({"type": "null"})
        return {key: alts}

    def object(self, depth, owner=None, nprops=None, extra_props=None):
        c = Ctx(self, "any")
        if nprops is not None:
            n = nprops
        elif depth <= 1:
            n = self.r.choice([0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8])
        else:
            n = self.r.choice([0, 1, 1, 2, 2, 3])
        props = {}
        for _ in range(n):
            name = c.pick()
            props[name] = self.property_schema(depth, owner)
        if extra_props:
            for k, v in extra_props.items():
                c.taken.add(k)
                props[k] = v
        s = {"type": "object"} if self.p(0.93) else {}
        if props or self.p(0.5):
            s["properties"] = props
        req = [k for k in props if self.p(0.45)]
        if self.p(0.03):
            req.append(c.pick())  # required but not defined: valid JSON Schema
            self.notes.append("required name without property")
        if req:
            s["required"] = req
        if self.p(0.1):
            s["additionalProperties"] = self.r.choice([False, True, {"type": "string"}])
        if self.p(0.05):
            s["title"] = Ctx(self, "any").pick()
        if self.p(0.04):
            s["example"] = {k: None for k in list(props)[:2]}
        return self.maybe_desc(s)

    def property_schema(self, depth, owner):
        s = self.schema(depth, owner)
        r = self.r.random()
        if r < 0.15:
            s = self.nullable(s)
        if "$ref" not in s or self.v31:
            if self.p(0.07):
                s["readOnly"] = True
            elif self.p(0.07):
                s["writeOnly"] = True
            if self.p(0.05):
                s["deprecated"] = True
            if self.p(self.p_desc / 2) and "description" not in s:
                s["description"] = self.desc()
        return s

    # ---- component schema kinds
    def build_components(self):
        n = {"small": self.r.choice([0, 1, 1, 2, 2, 3, 3, 4, 5]), "medium": self.r.randint(4, 10),
             "large": self.r.randint(8, 15)}[self.size]
        kinds = {"object": 30, "recursive": 8, "mutual": 4, "enum": 12, "scalar": 5, "array": 5, "map": 5,
                 "free": 2, "chain": 4, "cycle": 0.7, "allof": 8, "oneof": 6, "anyof": 4, "tagged": 6,
                 "inherit": 3, "union_of_unions": 3, "props_and_oneof": 2, "nullable_union": 3, "not": 1,
                 "empty": 1, "union_self": 1, "allof_cycle": 0.3}
        names = list(kinds)
        weights = list(kinds.values())
        made = 0
        while made < n:
            k = self.r.choices(names, weights)[0]
            made += getattr(self, "k_" + k)()
        # refs into nested schemas, made last so targets exist
        if self.schemas and self.p(0.25):
            self.k_nested_ref()

    def new_schema(self, kind, schema=None):
        name = self.comp_names.pick()
        self.kind[name] = kind
        self.schemas[name] = schema if schema is not None else {}
        return name

    def k_object(self):
        name = self.new_schema("object")
        self.schemas[name] = self.object(1, owner=name)
        return 1

    def k_recursive(self):
        name = self.new_schema("object")
        how = self.r.choice(["direct", "option", "array", "map", "union", "allof", "nullable", "items_allof"])
        rname = Ctx(self, "any").pick()
        ref = self.schema_ref(name, sibling=False)
        if how == "direct":
            extra, req = {rname: ref}, True
        elif how == "option":
            extra, req = {rname: ref}, False
        elif how == "array":
            extra, req = {rname: {"type": "array", "items": ref}}, self.p(0.5)
        elif how == "map":
            extra, req = {rname: {"type": "object", "additionalProperties": ref}}, self.p(0.5)
        elif how == "union":
            extra, req = {rname: {"oneOf": [ref, {"type": "string"}]}}, self.p(0.5)
        elif how == "allof":
            extra, req = {rname: {"allOf": [ref], "description": "self through allOf"}}, self.p(0.5)
        elif how == "nullable":
            extra, req = {rname: self.nullable(ref)}, True
        else:
            extra, req = {rname: {"type": "array", "items": {"allOf": [ref]}}}, False
        obj = self.object(1, owner=name, nprops=self.r.randint(0, 3), extra_props=extra)
        if req:
            obj.setdefault("required", [])
            if rname not in obj["required"]:
                obj["required"].append(rname)
        self.schemas[name] = obj
        return 1

    def k_mutual(self):
        a = self.new_schema("object")
        b = self.new_schema("object")
        pa, pb = Ctx(self, "any").pick(), Ctx(self, "any").pick()
        wrap = lambda r: self.r.choice([r, {"type": "array", "items": r}, self.nullable(r)])
        self.schemas[a] = self.object(1, a, self.r.randint(0, 2), {pa: wrap(self.schema_ref(b, False))})
        self.schemas[b] = self.object(1, b, self.r.randint(0, 2), {pb: wrap(self.schema_ref(a, False))})
        if self.p(0.4) and pa not in self.schemas[a].setdefault("required", []):
            self.schemas[a]["required"].append(pa)
        return 2

    def k_enum(self):
        name = self.new_schema("enum")
        s = self.enum()
        if self.p(0.1):
            s = self.nullable(s)
        self.schemas[name] = s
        return 1

    def k_scalar(self):
        name = self.new_schema("scalar")
        self.schemas[name] = self.maybe_desc(self.scalar())
        return 1

    def k_array(self):
        name = self.new_schema("array")
        self.schemas[name] = self.array(1, owner=name)
        return 1

    def k_map(self):
        name = self.new_schema("map")
        self.schemas[name] = self.maybe_desc(self.map(1, owner=name))
        return 1

    def k_free(self):
        name = self.new_schema("free")
        self.schemas[name] = self.free_form()
        return 1

    def k_empty(self):
        name = self.new_schema("free")
        self.schemas[name] = self.r.choice([{}, {"description": "any value"}, {"nullable": True} if not self.v31 else {"type": ["object", "null"]}])
        return 1

    def k_not(self):
        name = self.new_schema("free")
        self.schemas[name] = {"not": self.scalar(allow_default=False)}
        return 1

    def k_chain(self):
        # A -> B -> C -> object (made in reverse so each alias targets an existing schema)
        target = self.new_schema("object")
        self.schemas[target] = self.object(1, owner=target)
        prev = target
        count = 1
        for _ in range(self.r.randint(1, 3)):
            a = self.new_schema("alias")
            self.edges[a].add(prev)
            self.schemas[a] = self.schema_ref(prev) if self.p(0.8) else {"allOf": [self.schema_ref(prev, False)]}
            prev = a
            count += 1
        return count

    def k_cycle(self):
        a = self.new_schema("alias")
        b = self.new_schema("alias")
        self.schemas[a] = self.schema_ref(b, False)
        self.schemas[b] = self.schema_ref(a, False) if self.p(0.7) else {"allOf": [self.schema_ref(a, False)]}
        self.notes.append("alias cycle")
        return 2

    def k_allof_cycle(self):
        a = self.new_schema("object")
        b = self.new_schema("object")
        self.schemas[a] = {"allOf": [self.schema_ref(b, False), self.object(2, a, 1)]}
        self.schemas[b] = {"allOf": [self.schema_ref(a, False), self.object(2, b, 1)]}
        self.notes.append("allOf cycle")
        return 2

    def k_allof(self):
        name = self.new_schema("allof")
        objs = [n for n, k in self.kind.items() if k in ("object", "allof") and n != name]
        form = self.r.choice(["merge", "merge", "ref_desc", "nested", "inline_only", "recursive"])
        if form == "ref_desc" and objs:
            t = self.transparent_target(name, objs)
            if t:
                self.schemas[name] = {"allOf": [self.schema_ref(t, False)], "description": self.desc() or "wrapped"}
                return 1
        if form == "nested" and objs:
            t = self.transparent_target(name, objs)
            if t:
                self.schemas[name] = {"allOf": [{"allOf": [self.schema_ref(t, False), self.object(2, name, 1)]},
                                                self.object(2, name, 2)]}
                return 1
        if form == "recursive":
            p = Ctx(self, "any").pick()
            parts = [self.object(2, name, 1, {p: {"type": "array", "items": self.schema_ref(name, False)}})]
            if objs:
                t = self.transparent_target(name, objs)
                if t:
                    parts.insert(0, self.schema_ref(t, False))
            self.schemas[name] = {"allOf": parts}
            return 1
        parts = []
        for _ in range(self.r.randint(1, 3)):
            if objs and self.p(0.6):
                t = self.transparent_target(name, objs)
                if t:
                    parts.append(self.schema_ref(t, False))
                    continue
            parts.append(self.object(2, name, self.r.randint(0, 3)))
        s = {"allOf": parts}
        if self.p(0.3):
            s["type"] = "object"
        inline_props = [k for p in parts if isinstance(p.get("properties"), dict) for k in p["properties"]]
        if inline_props and self.p(0.2):
            s["required"] = [self.r.choice(inline_props)]
        self.schemas[name] = self.maybe_desc(s)
        return 1

    def _alts(self, name, n, allow_scalars=True):
        alts = []
        for _ in range(n):
            k = self.r.choice(["ref", "ref", "object", "scalar", "array", "enum"] if allow_scalars else ["ref", "object"])
            if k == "ref":
                t = self.transparent_target(name)
                if t:
                    alts.append(self.schema_ref(t, False))
                    continue
                k = "object"
            if k == "object":
                alts.append(self.object(2, name, self.r.randint(0, 3)))
            elif k == "array":
                alts.append(self.array(2, name))
            elif k == "enum":
                alts.append(self.enum())
            else:
                alts.append(self.scalar(allow_default=False))
        return alts

    def k_oneof(self):
        name = self.new_schema("union")
        self.schemas[name] = self.maybe_desc({"oneOf": self._alts(name, self.r.randint(1, 5))})
        return 1

    def k_anyof(self):
        name = self.new_schema("union")
        self.schemas[name] = self.maybe_desc({"anyOf": self._alts(name, self.r.randint(1, 4))})
        return 1

    def k_nullable_union(self):
        name = self.new_schema("union")
        alts = self._alts(name, self.r.randint(1, 3))
        if self.v31:
            alts.insert(self.r.randint(0, len(alts)), {"type": "null"})
            s = {self.r.choice(["oneOf", "anyOf"]): alts}
        else:
            s = {"oneOf": alts, "nullable": True}
        self.schemas[name] = s
        return 1

    def k_union_self(self):
        name = self.new_schema("union")
        self.schemas[name] = {"oneOf": [self.schema_ref(name, False), {"type": "string"}]}
        self.notes.append("union containing itself")
        return 1

    def k_union_of_unions(self):
        u1 = self.new_schema("union")
        self.schemas[u1] = {"oneOf": self._alts(u1, 2)}
        u2 = self.new_schema("union")
        self.schemas[u2] = {"anyOf": self._alts(u2, 2)}
        u = self.new_schema("union")
        self.edges[u] |= {u1, u2}
        alts = [self.schema_ref(u1, False), self.schema_ref(u2, False)]
        if self.p(0.5):
            alts.append({"oneOf": [{"type": "integer"}, {"type": "boolean"}]})
        self.schemas[u] = {"oneOf": alts}
        return 3

    def k_props_and_oneof(self):
        name = self.new_schema("union")
        s = self.object(2, name, self.r.randint(1, 3))
        s[self.r.choice(["oneOf", "anyOf"])] = self._alts(name, self.r.randint(1, 3), allow_scalars=False)
        self.schemas[name] = s
        return 1

    def _tag_schema(self, values):
        if self.v31 and self.p(0.3) and len(values) == 1:
            return {"type": "string", "const": values[0]}
        if self.p(0.4):
            return {"type": "string", "enum": values}
        return {"type": "string"}

    def k_tagged(self):
        union = self.new_schema("union")
        prop = Ctx(self, "nonempty").pick() if self.p(0.5) else self.r.choice(["type", "kind", "@type", "$type", "object"])
        required = self.p(0.75)
        nvar = self.r.randint(1, 4)
        variants_ = []
        mapping = {}
        use_mapping = self.p(0.5)
        vals = Ctx(self, "any")
        for _ in range(nvar):
            v = self.new_schema("object")
            tag = vals.pick() if use_mapping else v
            if use_mapping:
                mapping[tag] = "#/components/schemas/" + percent_token(v, self.r, "std")
            obj = self.object(2, v, self.r.randint(0, 3), {prop: self._tag_schema([tag])})
            if required:
                obj.setdefault("required", [])
                if prop not in obj["required"]:
                    obj["required"].insert(0, prop)
            self.schemas[v] = obj
            variants_.append(v)
        self.edges[union] |= set(variants_)
        disc = {"propertyName": prop}
        if use_mapping:
            if self.p(0.2) and len(mapping) > 1:
                mapping.pop(next(iter(mapping)))  # partial mapping: the rest use schema names
            disc["mapping"] = mapping
        self.schemas[union] = self.maybe_desc({self.r.choice(["oneOf", "oneOf", "anyOf"]): [self.schema_ref(v, False) for v in variants_],
                                               "discriminator": disc})
        return nvar + 1

    def k_inherit(self):
        base = self.new_schema("object")
        prop = self.r.choice(["petType", "type", "kind", Ctx(self, "nonempty").pick()])
        bobj = self.object(2, base, self.r.randint(0, 2), {prop: {"type": "string"}})
        bobj.setdefault("required", [])
        if prop not in bobj["required"]:
            bobj["required"].append(prop)
        disc = {"propertyName": prop}
        children = []
        for _ in range(self.r.randint(1, 3)):
            c = self.new_schema("allof")
            self.edges[c].add(base)
            self.schemas[c] = {"allOf": [self.schema_ref(base, False), self.object(2, c, self.r.randint(0, 2))]}
            children.append(c)
        if self.p(0.5):
            disc["mapping"] = {Ctx(self, "any").pick() if self.p(0.5) else c: "#/components/schemas/" + percent_token(c, self.r, "std") for c in children}
        bobj["discriminator"] = disc
        self.schemas[base] = bobj
        return len(children) + 1

    def k_nested_ref(self):
        cands = [(n, s) for n, s in self.schemas.items() if isinstance(s.get("properties"), dict) and s["properties"]]
        if not cands:
            return 0
        n, s = self.r.choice(cands)
        prop = self.r.choice(list(s["properties"]))
        name = self.new_schema("alias")
        self.edges[name].add(n)
        mode = self.r.choice(["std", "std", "over", "raw"])
        ref = "#/components/schemas/" + percent_token(n, self.r, mode) + "/properties/" + percent_token(prop, self.r, mode)
        self.schemas[name] = {"$ref": ref}
        self.notes.append(f"nested ref {ref}")
        return 1

    # ---- parameters
    def param_schema(self, loc, style):
        names = list(self.kind)
        if style == "deepObject":
            if names and self.p(0.3):
                objs = [n for n, k in self.kind.items() if k == "object"]
                if objs:
                    return self.schema_ref(self.r.choice(objs))
            return self.object(self.depth_limit - 1, None, self.r.randint(1, 3))
        if style in ("spaceDelimited", "pipeDelimited"):
            return {"type": "array", "items": self.r.choice([self.scalar(False), self.enum(), {"type": "string"}])}
        k = self.r.choices(["scalar", "enum", "array", "object", "ref", "enumref", "any"], [40, 12, 15, 5, 8, 8, 2])[0]
        if k == "scalar":
            s = self.scalar()
        elif k == "enum":
            s = self.enum()
        elif k == "array":
            s = {"type": "array", "items": self.r.choice([self.scalar(False), self.enum()])}
            if self.p(0.2):
                s["items"] = {"type": "array", "items": {"type": "integer"}}
        elif k == "object":
            s = self.object(self.depth_limit - 1, None, self.r.randint(1, 3))
        elif k == "ref" and names:
            s = self.schema_ref(self.r.choice(names))
        elif k == "enumref" and any(v == "enum" for v in self.kind.values()):
            s = self.schema_ref(self.r.choice([n for n, v in self.kind.items() if v == "enum"]))
        elif k == "any":
            s = {}
        else:
            s = self.scalar()
        if self.p(0.08):
            s = self.nullable(s)
        return s

    def parameter(self, loc, name, required=None):
        prm = {"name": name, "in": loc}
        self.maybe_desc(prm)
        if loc == "path":
            prm["required"] = True
        elif required or (required is None and self.p(0.35)):
            prm["required"] = True
        elif self.p(0.05):
            prm["required"] = False
        if self.p(0.07):
            prm["deprecated"] = True
        if self.p(0.08):
            mt = self.r.choice(["application/json", "application/json", "text/plain"])
            prm["content"] = {mt: {"schema": self.param_schema(loc, None) if mt == "application/json" else {"type": "string"}}}
            if loc == "query" and self.p(0.05):
                prm["allowEmptyValue"] = True
            return prm
        style = None
        styles = {"path": ["simple", "label", "matrix"], "query": ["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                  "header": ["simple"], "cookie": ["form"]}[loc]
        if self.p(0.4):
            style = self.r.choice(styles)
            prm["style"] = style
        if style == "deepObject":
            prm["explode"] = True
        elif style in ("spaceDelimited", "pipeDelimited"):
            if self.p(0.5):
                prm["explode"] = False
        elif self.p(0.3):
            prm["explode"] = self.p(0.5)
        if loc == "query" and self.p(0.08):
            prm["allowReserved"] = True
        if loc == "query" and self.p(0.05):
            prm["allowEmptyValue"] = True
        prm["schema"] = self.param_schema(loc, style)
        if self.p(0.05):
            prm["example"] = "example"
        elif self.p(0.03):
            prm["examples"] = {"one": {"value": "one", "summary": "s"}}
        return prm

    def maybe_component_param(self, prm):
        if self.p(0.15):
            key = self.comp_names.pick()
            self.comp["parameters"][key] = prm
            return self.ref_to("parameters", key)
        return prm

    # ---- paths and operations
    def path_template(self, used_paths, ctx_path):
        for _ in range(20):
            segs, params = [], []
            for _ in range(self.r.choice([1, 1, 2, 2, 3, 4])):
                k = self.r.choices(["lit", "param", "mixed", "action"], [50, 35, 8, 4])[0]
                if k == "lit":
                    segs.append(self.r.choice(["pets", "v1", "users", "items", "orders", "a", "b", "files", "%E5%90%8D",
                                               "it's", "~user", "foo.json", "$batch", "@me", "x-y", "_", "search",
                                               "café", "a%20b", "UPPER", "1"]))
                else:
                    p = ctx_path.pick()
                    params.append(p)
                    if k == "param":
                        segs.append("{" + p + "}")
                    elif k == "action":
                        segs.append("{" + p + "}:" + self.r.choice(["cancel", "get", "batchGet"]))
                    else:
                        q = ctx_path.pick()
                        params.append(q)
                        segs.append(self.r.choice(["{%s}.{%s}", "{%s}-{%s}", "{%s},{%s}", "{%s}{%s}"]) % (p, q))
            path = "/" + "/".join(segs) + ("/" if self.p(0.05) else "")
            shape = re.sub(r"\{[^}]*\}", "{}", path)
            if shape not in used_paths:
                used_paths.add(shape)
                return path, params
        return None, None

    def build_paths(self):
        n_ops = {"small": self.r.choice([0, 1, 1, 1, 2, 2, 3, 4]), "medium": self.r.randint(2, 6),
                 "large": self.r.randint(5, 10)}[self.size]
        paths = {}
        used = set()
        made = 0
        if self.p(0.05):
            paths["/"] = {"get": self.operation("get", [], [])}
            made += 1
        while made < n_ops:
            ctx_path = Ctx(self, "path")
            path, pparams = self.path_template(used, ctx_path)
            if path is None:
                break
            item = {}
            path_level = []
            at_path_level = self.p(0.3)
            if at_path_level:
                for p in pparams:
                    path_level.append(self.maybe_component_param(self.parameter("path", p)))
            if self.p(0.15):
                path_level.append(self.parameter("query", Ctx(self, "any").pick()))
            if path_level:
                item["parameters"] = path_level
            if self.p(0.1):
                item["summary"] = "path summary"
            self.maybe_desc(item) if self.p(0.2) else None
            if self.p(0.05):
                item["servers"] = [{"url": "https://path-level.example.com"}]
            k = 8 if self.p(0.04) else min(n_ops - made, self.r.choice([1, 1, 1, 2, 2, 3]))
            methods = self.r.sample(METHODS, max(1, k))
            methods.sort(key=METHODS.index)
            for m in methods:
                item[m] = self.operation(m, [] if at_path_level else pparams, [p for p in path_level if "name" in p])
                made += 1
            if self.v31 and self.p(0.015):
                key = self.comp_names.pick()
                self.notes.append("3.1 components.pathItems")
                self.comp["pathItems"][key] = item
                item = {"$ref": "#/components/pathItems/" + percent_token(key, self.r, "std")}
            paths[path] = item
        return paths

    def operation(self, method, path_params, path_level_params):
        op = {}
        if self.p(0.88):
            if self.op_ids and self.p(0.04):
                op["operationId"] = self.r.choice(self.op_ids)
                self.notes.append("duplicate operationId")
            else:
                oid = Ctx(self, "any").pick()
                tries = 0
                while oid in self.op_ids and tries < 10:
                    oid = Ctx(self, "any").pick()
                    tries += 1
                if oid in self.op_ids:
                    oid = oid + str(len(self.op_ids))
                op["operationId"] = oid
            self.op_ids.append(op["operationId"])
        if self.p(0.3):
            op["summary"] = self.r.choice(["Short summary.", self.desc()])
        self.maybe_desc(op)
        if self.p(0.3):
            op["tags"] = [Ctx(self, "any").pick() for _ in range(self.r.randint(1, 2))]
            op["tags"] = list(dict.fromkeys(op["tags"]))
        if self.p(0.07):
            op["deprecated"] = True
        params = []
        seen = {(p["name"], p["in"]) for p in path_level_params}
        for p in path_params:
            params.append(self.maybe_component_param(self.parameter("path", p)))
            seen.add((p, "path"))
        # a path-level parameter overridden at operation level
        if path_level_params and self.p(0.2):
            p = self.r.choice(path_level_params)
            params.append(self.parameter(p["in"], p["name"]))
        ctxs = {"query": Ctx(self, "any"), "header": Ctx(self, "header"), "cookie": Ctx(self, "any")}
        for _ in range(self.r.choice([0, 0, 1, 1, 2, 3, 5])):
            loc = self.r.choices(["query", "header", "cookie"], [70, 20, 10])[0]
            if path_params and self.p(0.15):
                name = self.r.choice(path_params)  # same name in path and query: Rust argument clash
            elif loc == "header" and self.p(0.05):
                name = self.r.choice(["Accept", "Content-Type", "Authorization"])
            else:
                name = ctxs[loc].pick()
            if (name, loc) in seen:
                continue
            seen.add((name, loc))
            params.append(self.maybe_component_param(self.parameter(loc, name)))
        if params:
            self.r.shuffle(params) if self.p(0.3) else None
            op["parameters"] = params
        if method in BODY_METHODS and self.p(0.7) or (self.v31 and method in ("get", "delete") and self.p(0.05)):
            op["requestBody"] = self.request_body()
        op["responses"] = self.responses(method)
        if self.security_names and self.p(0.25):
            op["security"] = self.security_requirement()
        if self.p(0.04):
            op["servers"] = [{"url": self.r.choice(["https://op.example.com/v2", "/relative"])}]
        if self.p(0.03):
            op["externalDocs"] = {"url": "https://docs.example.com"}
        if self.p(0.03):
            op["callbacks"] = {"onEvent": {"{$request.body#/url}": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}, "responses": {"200": {"description": "ok"}}}}}}
        if self.p(0.03):
            op["x-extension"] = {"nested": [1, "two"]}
        return op

    def file_schema(self):
        if self.v31:
            return self.r.choice([{"type": "string", "format": "binary"}, {"type": "string", "contentMediaType": "application/octet-stream"},
                                  {"type": "string", "contentEncoding": "base64"}, {}])
        return self.r.choice([{"type": "string", "format": "binary"}, {"type": "string", "format": "binary"}, {"type": "string", "format": "byte"}])

    def multipart_schema(self):
        c = Ctx(self, "any")
        props = {}
        enc = {}
        for _ in range(self.r.randint(1, 5)):
            name = c.pick()
            k = self.r.choice(["file", "files", "text", "int", "json", "enum", "ref"])
            if k == "file":
                props[name] = self.file_schema()
                if self.p(0.4):
                    enc[name] = {"contentType": self.r.choice(["image/png", "image/png, image/jpeg", "application/octet-stream"])}
            elif k == "files":
                props[name] = {"type": "array", "items": self.file_schema()}
            elif k == "text":
                props[name] = {"type": "string"}
            elif k == "int":
                props[name] = {"type": "integer", "format": "int64"}
            elif k == "json":
                props[name] = self.object(self.depth_limit - 1, None, self.r.randint(0, 2))
                if self.p(0.5):
                    enc[name] = {"contentType": "application/json"}
            elif k == "enum":
                props[name] = self.enum()
            elif self.kind:
                props[name] = self.schema_ref(self.r.choice(list(self.kind)))
            else:
                props[name] = {"type": "boolean"}
        s = {"type": "object", "properties": props}
        req = [k for k in props if self.p(0.5)]
        if req:
            s["required"] = req
        return s, enc

    def body_object_schema(self):
        objs = [n for n, k in self.kind.items() if k in ("object", "allof")]
        if objs and self.p(0.5):
            return self.schema_ref(self.r.choice(objs))
        return self.object(self.depth_limit - 1, None)

    def media(self, mt, for_response=False):
        m = {}
        if mt in ("application/json", "application/problem+json", "application/vnd.api+json",
                  "application/merge-patch+json", "application/json; charset=utf-8", "application/xml"):
            m["schema"] = self.schema(1) if self.p(0.8) else self.r.choice([{"type": "array", "items": self.schema(2)}, self.scalar(False)])
        elif mt == "application/x-www-form-urlencoded":
            m["schema"] = self.body_object_schema()
            if self.p(0.2) and "properties" in m["schema"] and m["schema"]["properties"]:
                k = next(iter(m["schema"]["properties"]))
                m["encoding"] = {k: {"style": "form", "explode": True}}
        elif mt == "multipart/form-data":
            s, enc = self.multipart_schema()
            m["schema"] = s
            if enc:
                m["encoding"] = enc
        elif mt in ("text/plain", "text/csv", "text/html"):
            if self.p(0.85):
                m["schema"] = {"type": "string"} if self.p(0.8) else self.scalar(False)
        elif mt in ("application/octet-stream", "image/png", "*/*", "application/pdf"):
            if self.p(0.85):
                m["schema"] = self.file_schema()
        if self.p(0.04) and "schema" in m:
            m["example"] = None if self.p(0.5) else "x"
        return m

    def request_body(self):
        kinds = ["application/json"] * 10 + ["application/x-www-form-urlencoded"] * 3 + ["multipart/form-data"] * 4 + [
            "text/plain"] * 2 + ["application/octet-stream"] * 2 + ["application/vnd.api+json", "application/merge-patch+json",
                                                                  "application/json; charset=utf-8", "*/*", "image/png", "application/xml", "text/csv"]
        content = {}
        for _ in range(self.r.choice([1, 1, 1, 1, 2, 3])):
            mt = self.r.choice(kinds)
            if mt not in content:
                content[mt] = self.media(mt)
        body = {"content": content}
        self.maybe_desc(body)
        if self.p(0.6):
            body["required"] = True
        elif self.p(0.2):
            body["required"] = False
        if self.p(0.12):
            key = self.comp_names.pick()
            self.comp["requestBodies"][key] = body
            return self.ref_to("requestBodies", key)
        return body

    def header_obj(self):
        h = {"schema": self.r.choice([{"type": "string"}, {"type": "integer", "format": "int64"}, self.scalar(False),
                                      {"type": "array", "items": {"type": "string"}}, self.enum()])}
        self.maybe_desc(h)
        if self.p(0.3):
            h["required"] = True
        if self.p(0.05):
            h["deprecated"] = True
        return h

    def response(self, code):
        resp = {"description": self.desc() if self.p(self.p_desc) else self.r.choice(["OK", "Error", "", "d"])}
        success = code.startswith("2")
        k = self.r.choices(["json", "none", "text", "binary", "multi", "vendor", "error_ref"],
                           [45, 15, 8, 8, 6, 5, 13 if not success else 0])[0]
        if code in ("204", "304") and self.p(0.9):
            k = "none"
        if k == "json":
            resp["content"] = {"application/json": self.media("application/json", True)}
        elif k == "text":
            resp["content"] = {self.r.choice(["text/plain", "text/html", "text/csv"]): self.media("text/plain", True)}
        elif k == "binary":
            resp["content"] = {self.r.choice(["application/octet-stream", "image/png", "application/pdf", "*/*"]): self.media("application/octet-stream", True)}
        elif k == "multi":
            resp["content"] = {"application/json": self.media("application/json", True),
                               self.r.choice(["application/xml", "text/plain", "application/octet-stream"]): self.media("text/plain", True)}
        elif k == "vendor":
            resp["content"] = {self.r.choice(["application/problem+json", "application/vnd.api+json", "application/hal+json"]): self.media("application/json", True)}
        elif k == "error_ref":
            if self.error_schema is None:
                self.error_schema = self.comp_names.pick()
                self.kind[self.error_schema] = "object"
                self.schemas[self.error_schema] = {"type": "object", "required": ["message"], "properties": {
                    "message": {"type": "string"}, "code": {"type": "integer"}}}
            resp["content"] = {"application/json": {"schema": self.schema_ref(self.error_schema)}}
        if self.p(0.15):
            c = Ctx(self, "header")
            hs = {}
            for _ in range(self.r.randint(1, 3)):
                hn = c.pick() if self.p(0.7) else self.r.choice(["X-Rate-Limit", "Location", "Content-Type", "ETag", "Set-Cookie"])
                h = self.header_obj()
                if self.p(0.2):
                    key = self.comp_names.pick()
                    self.comp["headers"][key] = h
                    h = self.ref_to("headers", key)
                hs[hn] = h
            resp["headers"] = hs
        if self.p(0.03):
            resp["links"] = {"self": {"operationId": self.op_ids[-1] if self.op_ids else "x"}}
        if self.p(0.1):
            key = self.comp_names.pick()
            self.comp["responses"][key] = resp
            return self.ref_to("responses", key)
        return resp

    def responses(self, method):
        sets = [["200"], ["200"], ["201"], ["204"], ["200", "default"], ["200", "400", "404", "500"], ["2XX"],
                ["2XX", "200", "201"], ["200", "4XX", "5XX"], ["default"], ["301"], ["202", "204"],
                ["200", "201", "default"], ["201", "409", "422"], ["200", "206", "304", "401", "403", "429", "503"],
                ["1XX", "3XX"], ["200", "2XX", "default", "4XX"], ["204", "default"], ["200", "203"], ["418"]]
        codes = list(self.r.choice(sets)) if self.p(0.4) else [self.r.choice(["200", "201", "204", "2XX", "default"])]
        if method == "head" and self.p(0.5):
            codes = ["200"]
        if self.p(0.2):
            self.r.shuffle(codes)
        return {c: self.response(c) for c in codes}

    # ---- security, servers, info
    def build_security(self):
        self.security_names = []
        self.security_kinds = {}
        if not self.p(0.45):
            return
        for _ in range(self.r.randint(1, 5)):
            kinds = ["bearer", "basic", "apikey_header", "apikey_query", "apikey_cookie", "oauth2", "oidc"] + (["mtls"] if self.v31 else []) + ["digest"]
            k = self.r.choice(kinds)
            name = self.comp_names.pick()
            if k == "bearer":
                s = {"type": "http", "scheme": self.r.choice(["bearer", "bearer", "Bearer"])}
                if self.p(0.5):
                    s["bearerFormat"] = "JWT"
            elif k == "basic":
                s = {"type": "http", "scheme": self.r.choice(["basic", "Basic"])}
            elif k == "digest":
                s = {"type": "http", "scheme": "digest"}
            elif k.startswith("apikey"):
                loc = k.split("_")[1]
                s = {"type": "apiKey", "in": loc, "name": Ctx(self, "header" if loc == "header" else "nonempty").pick() if self.p(0.5) else self.r.choice(["X-API-Key", "api_key", "Authorization", "token"])}
            elif k == "oauth2":
                flows = {}
                scopes = {Ctx(self, "any").pick(): "scope" for _ in range(self.r.randint(0, 3))}
                for f in self.r.sample(["implicit", "password", "clientCredentials", "authorizationCode"], self.r.randint(1, 4)):
                    fl = {"scopes": dict(scopes)}
                    if f in ("implicit", "authorizationCode"):
                        fl["authorizationUrl"] = "https://auth.example.com/authorize"
                    if f != "implicit":
                        fl["tokenUrl"] = self.r.choice(["https://auth.example.com/token", "/token"])
                    if self.p(0.2):
                        fl["refreshUrl"] = "https://auth.example.com/refresh"
                    flows[f] = fl
                s = {"type": "oauth2", "flows": flows}
                self.security_kinds[name] = list(scopes)
            elif k == "oidc":
                s = {"type": "openIdConnect", "openIdConnectUrl": "https://example.com/.well-known/openid-configuration"}
                self.security_kinds[name] = ["openid", "profile"]
            else:
                s = {"type": "mutualTLS"}
            self.maybe_desc(s)
            self.comp["securitySchemes"][name] = s
            self.security_names.append(name)

    def security_requirement(self):
        forms = self.r.choice(["one", "one", "alt", "and", "empty_list", "optional", "mixed"])
        def req(names):
            out = {}
            for n in names:
                scopes = self.security_kinds.get(n)
                out[n] = self.r.sample(scopes, self.r.randint(0, len(scopes))) if scopes else []
            return out
        names = self.security_names
        if forms == "empty_list":
            return []
        if forms == "optional":
            return [{}]
        if forms == "one":
            return [req([self.r.choice(names)])]
        if forms == "alt":
            return [req([n]) for n in self.r.sample(names, min(len(names), 2))]
        if forms == "and":
            return [req(self.r.sample(names, min(len(names), 2)))]
        return [req([self.r.choice(names)]), {}]

    def servers(self):
        k = self.r.choice(["none", "none", "abs", "abs", "rel", "vars", "multi", "slash", "root", "empty"])
        if k == "none":
            return None
        if k == "abs":
            return [{"url": self.r.choice(["https://api.example.com", "https://api.example.com/v1", "http://localhost:8080/api/"])}]
        if k == "rel":
            return [{"url": self.r.choice(["/api/v2", "v1", "./api", "/"])}]
        if k == "root":
            return [{"url": "/"}]
        if k == "empty":
            return []
        if k == "slash":
            return [{"url": "https://api.example.com/"}]
        if k == "multi":
            return [{"url": "https://a.example.com", "description": "A"}, {"url": "/relative"}]
        v = {"scheme": {"default": "https", "enum": ["https", "http"]}, "host": {"default": "api.example.com"},
             "port": {"default": "443", "enum": ["443", "8443"]}, "basePath": {"default": "v1", "description": "base"}}
        return [{"url": "{scheme}://{host}:{port}/{basePath}", "variables": v}]

    def info(self):
        info = {"title": Ctx(self, "any").pick() if self.p(self.p_hostile) else "Random API", "version": self.r.choice(["1.0.0", "2", "v1-beta", ""])}
        if self.p(0.5):
            info["description"] = self.desc()
        if self.v31 and self.p(0.1):
            info["summary"] = "summary"
        if self.p(0.1):
            info["license"] = {"name": "MIT", "identifier": "MIT"} if self.v31 and self.p(0.5) else {"name": "MIT", "url": "https://opensource.org/licenses/MIT"}
        if self.p(0.05):
            info["contact"] = {"name": "x", "email": "x@example.com"}
        return info

    def build(self):
        doc = {"openapi": self.version, "info": self.info()}
        self.error_schema = None
        if self.v31 and self.p(0.03):
            doc["jsonSchemaDialect"] = "https://spec.openapis.org/oas/3.1/dialect/base"
        srv = self.servers()
        if srv is not None:
            doc["servers"] = srv
        self.build_components()
        self.build_security()
        paths = self.build_paths()
        if paths or not self.v31 or self.p(0.5):
            doc["paths"] = paths
        if self.v31 and self.p(0.05):
            doc["webhooks"] = {"newThing": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                                                    "responses": {"200": {"description": "ok"}}}}}
        comps = {}
        if self.schemas or self.p(0.1):
            comps["schemas"] = self.schemas
        for k in ["parameters", "responses", "requestBodies", "headers", "securitySchemes", "pathItems"]:
            if self.comp[k]:
                comps[k] = self.comp[k]
        if comps:
            doc["components"] = comps
        if self.security_names and self.p(0.6):
            doc["security"] = self.security_requirement()
        tags = sorted({t for item in (doc.get("paths") or {}).values() for op in item.values() if isinstance(op, dict)
                       for t in (op.get("tags") or [])})
        if tags and self.p(0.4):
            doc["tags"] = [self.maybe_desc({"name": t}) for t in tags]
        if self.p(0.04):
            doc["externalDocs"] = {"url": "https://example.com/docs", "description": "docs"}
        self.break_refs(doc)
        return doc

    def break_refs(self, doc):
        if not self.p(0.04):
            return
        refs = []

        def walk(node):
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    refs.append(node)
                for v in node.values():
                    walk(v)
            elif isinstance(node, list):
                for v in node:
                    walk(v)
        walk(doc)
        if not refs:
            return
        node = self.r.choice(refs)
        bad = self.r.choice(["#/components/schemas/DoesNotExist", "#/components/schema/X", "other.yaml#/components/schemas/X",
                             "#/definitions/X", "#/components/schemas/", "#", "#/components/schemas/A/properties/missing",
                             "#components/schemas/X", "https://example.com/spec.yaml#/X", "#/components/schemas/%ZZ"])
        node["$ref"] = bad
        self.notes.append(f"broken ref {bad}")


class NoAliasDumper(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


# PyYAML resolves YAML 1.1; the generator reads YAML 1.2 (serde_yaml), where e.g. `1e3` is a float.
# Quote every string that a 1.2 core-schema reader would not read back as a string.
YAML12_NONSTR = re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|"
                           r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~|)$")


def _represent_str(dumper, data):
    if YAML12_NONSTR.match(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return yaml.SafeDumper.represent_str(dumper, data)


NoAliasDumper.add_representer(str, _represent_str)


def dump(doc, fmt, rng=None):
    if fmt == "json":
        if rng is None:
            return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        return json.dumps(doc, indent=rng.choice([None, 1, 2, 4, "\t"]), ensure_ascii=rng.random() < 0.5) + "\n"
    if rng is None:
        return yaml.dump(doc, Dumper=NoAliasDumper, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=None)
    return yaml.dump(doc, Dumper=NoAliasDumper, sort_keys=False, allow_unicode=rng.random() < 0.7,
                     width=rng.choice([80, 10**6]), default_flow_style=rng.choice([False, None]),
                     indent=rng.choice([2, 2, 4]))


def make_spec(seed, index):
    """Returns (text, ext, meta). Deterministic in (seed, index)."""
    rng = random.Random(f"randomspec:{seed}:{index}")
    version = "3.0.3" if rng.random() < 0.5 else "3.1.0"
    gen = SpecGen(rng, version)
    doc = gen.build()
    fmt = "yaml" if rng.random() < 0.5 else "json"
    text = dump(doc, fmt, rng)
    ext = "json" if fmt == "json" else rng.choice(["yaml", "yaml", "yml"])
    return text, ext, {"version": version, "format": fmt, "notes": gen.notes,
                       "schemas": len(gen.schemas), "operations": len(gen.op_ids) if gen.op_ids else None}


# --------------------------------------------------------------------------
# Running the generator
# --------------------------------------------------------------------------

# notes that mark a spec as deliberately invalid (a refusal is then expected)
DELIBERATE = ("broken ref", "alias cycle", "allOf cycle", "component name outside", "invalid regex",
              "duplicate operationId", "$ref with raw non-ASCII", "union containing itself")

FAIL_ORDER = ["hang", "crash", "panic", "partial-output", "no-location", "bad-location", "compile-error", "clippy-warning", "slow"]


def limit_memory():
    try:
        lim = 8 * 1024 ** 3
        resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    except (ValueError, OSError):
        pass


# `--tag-features`: generate with per-tag features and build each crate
# with some of them on (see `features_to_build`).
TAG_FEATURES = False


def features_to_build(name, path):
    """With --tag-features: the features a crate is built with. Crates
    alternate (by a hash of their name) between everything (`full`) and
    only their first tag, and `serialize` is on whenever the crate has it."""
    try:
        manifest = open(os.path.join(path, "Cargo.toml"), encoding="utf-8").read()
    except OSError:
        return []
    section = manifest.split("[features]", 1)[-1].split("\n[", 1)[0]
    names = [l.split("=", 1)[0].strip() for l in section.splitlines() if "=" in l and not l.startswith("#")]
    fixed = {"default", "default-tls", "native-tls", "serialize", "full", "untagged"}
    tags = [n for n in names if n not in fixed and not n.startswith("set-")]
    chosen = []
    if "full" in names:
        if tags and zlib.crc32(name.encode()) % 2:
            chosen.append(tags[0])
        else:
            chosen.append("full")
    if "serialize" in names:
        chosen.append("serialize")
    return [f"{name}/{f}" for f in chosen]


def run_generator(binary, spec, out, name, timeout):
    if os.path.lexists(out):
        shutil.rmtree(out, ignore_errors=True)
    start = time.time()
    try:
        extra = ["--tag-features"] if TAG_FEATURES else []
        proc = subprocess.run([binary, "--spec", spec, "--out", out, "--crate-name", name, *extra], capture_output=True,
                              timeout=timeout, preexec_fn=limit_memory)
        rc, stderr = proc.returncode, proc.stderr.decode("utf-8", "replace")
        timed_out = False
    except subprocess.TimeoutExpired as e:
        rc, stderr, timed_out = None, (e.stderr or b"").decode("utf-8", "replace"), True
    return {"rc": rc, "seconds": round(time.time() - start, 3), "stderr": stderr, "timed_out": timed_out,
            "out_exists": os.path.exists(out)}


def panic_site(stderr):
    m = re.search(r"panicked at ([^\s:]+:\d+)", stderr)
    if m:
        return m.group(1)
    m = re.search(r"internal error[^\n]*", stderr)
    return norm_message(m.group(0))[:120] if m else "?"


def norm_message(msg):
    msg = re.sub(r"`[^`]*`", "`_`", msg)
    msg = re.sub(r"'[^']*'", "'_'", msg)
    msg = re.sub(r"\d+", "N", msg)
    return msg.strip()


def classify_generation(g, spec, slow, out=None):
    """Generator-level classes and a signature per class."""
    classes = {}
    stderr = g["stderr"].replace(out, "<out>") if out else g["stderr"]
    if g["timed_out"]:
        classes["hang"] = ("hang",)
        return classes
    rc = g["rc"]
    if "panicked" in stderr or "internal error" in stderr:
        classes["panic"] = ("panic", panic_site(stderr))
    if rc < 0 or rc in (134, 139) or rc >= 128:
        classes["crash"] = ("crash", str(rc))
    if g["seconds"] > slow:
        classes["slow"] = ("slow",)
    if rc != 0:
        lines = stderr.splitlines()
        # an `error:` line directly followed by `--> SPEC at #/pointer` (or SPEC:line:col)
        located = any(a.startswith("error") and b.strip().startswith("-->") and spec in b
                      and len(b.strip()) > len("--> " + spec) + 1 for a, b in zip(lines, lines[1:]))
        if (rc != 1 or not located) and "crash" not in classes and "panic" not in classes:
            first = next((l for l in lines if l.startswith("error")), lines[0] if lines else "")
            classes["no-location"] = ("no-location", f"exit {rc}" if rc != 1 else norm_message(first)[:80])
        if g["out_exists"]:
            classes["partial-output"] = ("partial-output",)
    return classes


_MISSING = object()


def resolve_pointer(doc, ptr, depth=0):
    """Resolves a JSON pointer, following local $refs met on the way."""
    node = doc
    if ptr == "":
        return node
    for tok in ptr.split("/")[1:]:
        tok = tok.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and tok not in node and isinstance(node.get("$ref"), str) \
                and node["$ref"].startswith("#") and depth < 20:
            node = resolve_pointer(doc, urllib.parse.unquote(node["$ref"][1:]), depth + 1)
        if isinstance(node, dict) and tok in node:
            node = node[tok]
        elif isinstance(node, list) and tok.isdigit() and int(tok) < len(node):
            node = node[int(tok)]
        else:
            return _MISSING
    return node


def load_doc(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        return json.loads(text) if path.endswith(".json") else yaml.safe_load(text)
    except Exception:
        return _MISSING


def check_locations(spec, stderr):
    """For a refusal: every `--> FILE at #/ptr` must point into the document, and a broken
    $ref's location must hold that $ref. Returns a problem description or None."""
    doc = None
    last_ref = None
    level = None
    lines = stderr.splitlines()
    for idx, line in enumerate(lines):
        if not line.startswith(" "):
            level = "error" if line.startswith("error") else "other"
        m = re.match(r"error: broken \$ref `([^`]*)`", line)
        if m:
            last_ref = m.group(1)
            continue
        m = re.search(r"-->.* at #(.*)$", line)
        if not m or level != "error":
            if line.startswith("error"):
                last_ref = None
            continue
        if doc is None:
            doc = load_doc(spec)
        if doc is _MISSING:
            return None
        ptr = m.group(1)
        node = _MISSING
        # a pointer may hold newlines (keys with newlines are printed raw): try longer spans too
        for extra in range(0, 4):
            cand = "\n".join([ptr] + lines[idx + 1:idx + 1 + extra])
            node = resolve_pointer(doc, cand)
            if node is _MISSING:
                node = resolve_pointer(doc, urllib.parse.unquote(cand))
            if node is not _MISSING:
                break
        if node is _MISSING:
            return f"pointer #{ptr} is not in the document"
        if last_ref is not None and last_ref not in json.dumps(node, ensure_ascii=False):
            return f"broken $ref `{last_ref}` reported at #{ptr}, which does not hold it"
        last_ref = None
    return None


def location_kind(problem):
    return "pointer not in the document" if "is not in the document" in problem else "$ref not at the location"


def first_error_line(stderr):
    lines = [l for l in stderr.splitlines() if l.strip()]
    i = next((i for i, l in enumerate(lines) if l.startswith("error")), 0)
    first = lines[i] if lines else ""
    where = lines[i + 1].strip() if i + 1 < len(lines) and lines[i + 1].strip().startswith("-->") else ""
    return (first + ("  " + where if where else "")).strip()


# --------------------------------------------------------------------------
# Building generated crates
# --------------------------------------------------------------------------

LINT_CODE = re.compile(r"^E\d{4}$")


def package_name(pkg_id):
    m = re.search(r"/([^/#]+)#(?:([^@#]+)@)?[^@#/]*$", pkg_id)
    if not m:
        return None
    return m.group(2) or m.group(1)


def drop_crate_artifacts(target):
    """Removes the generated crates' own build artifacts after a batch,
    keeping the shared dependencies: without this the target directory
    grows by about 25 MB per crate (52 GB for 2,000 specs) and fills the disk."""
    own = re.compile(r"^(lib)?rs[-_]\d+[-_]\d+")
    debug = os.path.join(target, "debug")
    shutil.rmtree(os.path.join(debug, "examples"), ignore_errors=True)
    shutil.rmtree(os.path.join(debug, "incremental"), ignore_errors=True)
    for sub in ("deps", ".fingerprint", "build"):
        directory = os.path.join(debug, sub)
        if not os.path.isdir(directory):
            continue
        for entry in os.listdir(directory):
            if own.match(entry):
                path = os.path.join(directory, entry)
                if os.path.isdir(path):
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    try:
                        os.remove(path)
                    except OSError:
                        pass


def build_batch(crates, ws, target, timeout):
    """crates: [(name, dir)]. Returns {name: result} with compile errors and lints."""
    results = {n: {"errors": [], "lints": collections.Counter(), "lib_built": False, "infra": ""} for n, _ in crates}
    pending = list(crates)
    queue = [pending]
    while queue:
        group = queue.pop(0)
        if not group:
            continue
        status, stdout, stderr = _cargo_clippy(group, ws, target, timeout)
        seen = _parse_messages(stdout, results)
        if status == "ok" or seen:
            if status == "timeout":
                for n, _ in group:
                    results[n]["infra"] = results[n]["infra"] or f"build timed out after {timeout}s"
            continue
        # cargo failed before compiling anything: find the culprit member
        bad = None
        for n, d in group:
            if f"/{n}/" in stderr or f"`{n}`" in stderr or f" {n} " in stderr:
                bad = n
                break
        if bad is not None:
            msg = next((l for l in stderr.splitlines() if l.startswith("error")), stderr.strip()[:200])
            results[bad]["errors"].append({"code": "cargo", "message": msg, "where": "Cargo.toml", "target": "manifest", "line": ""})
            queue.insert(0, [c for c in group if c[0] != bad])
        elif len(group) > 1:
            half = len(group) // 2
            queue[:0] = [group[:half], group[half:]]
        else:
            msg = next((l for l in stderr.splitlines() if l.startswith("error")), stderr.strip()[:300])
            results[group[0][0]]["infra"] = f"cargo failed: {msg}"
    return results


def _cargo_clippy(group, ws, target, timeout):
    if os.path.exists(ws):
        shutil.rmtree(ws)
    os.makedirs(ws)
    for name, path in group:
        os.symlink(os.path.abspath(path), os.path.join(ws, name))
    with open(os.path.join(ws, "Cargo.toml"), "w") as f:
        f.write("[workspace]\nresolver = \"3\"\nmembers = [" + ", ".join(json.dumps(n) for n, _ in group) + "]\n")
    shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(ws, "Cargo.lock"))
    env = dict(os.environ, CARGO_TARGET_DIR=target)
    env.pop("RUSTFLAGS", None)
    features = []
    if TAG_FEATURES:
        for name, path in group:
            features.extend(features_to_build(name, path))
    cmd = ["cargo", "clippy", "--workspace", "--all-targets", "--no-default-features", "--keep-going",
           *(["--features", ",".join(features)] if features else []),
           "--message-format=json", "--quiet", "--", "-D", "warnings"]
    try:
        proc = subprocess.run(cmd, cwd=ws, env=env, capture_output=True, timeout=timeout)
        return ("ok" if proc.returncode == 0 else "failed"), proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return "timeout", (e.stdout or b"").decode("utf-8", "replace"), (e.stderr or b"").decode("utf-8", "replace")


def _parse_messages(stdout, results):
    seen = False
    for line in stdout.splitlines():
        if not line.startswith("{"):
            continue
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        name = package_name(msg.get("package_id", ""))
        if name not in results:
            continue
        seen = True
        r = results[name]
        reason = msg.get("reason")
        if reason == "compiler-artifact":
            if "lib" in msg.get("target", {}).get("kind", []):
                r["lib_built"] = True
        elif reason == "compiler-message":
            m = msg["message"]
            if m.get("level") not in ("error", "warning"):
                continue
            text = m.get("message", "")
            if text.startswith("aborting due to") or re.match(r"^\d+ warnings? emitted", text) or text.startswith("could not compile"):
                continue
            code = (m.get("code") or {}).get("code")
            spans = m.get("spans") or []
            span = next((s for s in spans if s.get("is_primary")), spans[0] if spans else {})
            fname = span.get("file_name", "?")
            fname = re.sub(r"^.*?" + re.escape(name) + "/", "", fname)
            src = ((span.get("text") or [{}])[0].get("text") or "").strip()[:160]
            entry = {"code": code or "", "message": text, "where": f"{fname}:{span.get('line_start', '?')}",
                     "target": ",".join(msg.get("target", {}).get("kind", [])), "line": src}
            if code and not LINT_CODE.match(code):
                r["lints"][code] += 1
                r.setdefault("lint_msgs", []).append(entry)
            elif m.get("level") == "warning":
                r["lints"][text[:60]] += 1
                r.setdefault("lint_msgs", []).append(entry)
            else:
                r["errors"].append(entry)
    return seen


def classify_build(b):
    classes = {}
    if b["errors"]:
        e = b["errors"][0]
        classes["compile-error"] = ("compile-error", e["code"] or norm_message(e["message"])[:80])
    if b["lints"]:
        classes["clippy-warning"] = ("clippy-warning", sorted(b["lints"])[0])
    return classes


def build_signatures(b):
    """Every signature a build result matches (for shrinking)."""
    sigs = set()
    for e in b["errors"]:
        sigs.add(("compile-error", e["code"] or norm_message(e["message"])[:80]))
    for l in b["lints"]:
        sigs.add(("clippy-warning", l))
    return sigs


# --------------------------------------------------------------------------
# Main run
# --------------------------------------------------------------------------

def build_generator(args):
    if args.generator:
        return os.path.abspath(args.generator)
    print("building generator (cargo build --release -p generator) ...", flush=True)
    r = subprocess.run(["cargo", "build", "--release", "-q", "-p", "generator"], cwd=ROOT)
    if r.returncode != 0:
        sys.exit("generator does not build")
    os.makedirs(os.path.join(WORK, "bin"), exist_ok=True)
    # a private copy: others may rebuild target/release while we run
    dst = os.path.join(WORK, "bin", "generator")
    tmp = dst + ".tmp"
    shutil.copy2(os.path.join(ROOT, "target", "release", "generator"), tmp)
    os.replace(tmp, dst)
    return dst


def kind_key(r):
    c = r["primary"]
    sig = r["signatures"].get(c)
    return " ".join([c] + list(sig[1:])) if sig else c


def run(args):
    binary = build_generator(args)
    specs_dir = os.path.join(WORK, "specs")
    crates_dir = os.path.join(WORK, "crates")
    for d in (specs_dir, crates_dir):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    rows = []
    t0 = time.time()
    for i in range(args.start, args.start + args.count):
        text, ext, meta = make_spec(args.seed, i)
        path = os.path.join(specs_dir, f"s{args.seed}-{i:05d}.{ext}")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        name = f"rs-{args.seed}-{i}"
        rows.append({"index": i, "spec": path, "name": name, "out": os.path.join(crates_dir, name),
                     "lines": text.count("\n"), **meta})
    print(f"{len(rows)} specs written to {specs_dir} ({time.time() - t0:.1f}s); running the generator ...", flush=True)

    def gen(r):
        return run_generator(binary, r["spec"], r["out"], r["name"], args.timeout)

    t0 = time.time()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as ex:
        for r, g in zip(rows, ex.map(gen, rows)):
            r["gen"] = g
            r["signatures"] = classify_generation(g, r["spec"], args.slow, r["out"])
            r["outcome"] = "timeout" if g["timed_out"] else ("generated" if g["rc"] == 0 else "refused")
            if g["rc"] != 0:
                r["first_error"] = first_error_line(g["stderr"])
                if not g["timed_out"]:
                    problem = check_locations(r["spec"], g["stderr"])
                    if problem:
                        r["signatures"]["bad-location"] = ("bad-location", location_kind(problem))
                        r["first_error"] += f"  [{problem}]"
    print(f"generator: {time.time() - t0:.1f}s for {len(rows)} specs", flush=True)

    batch_times = []
    if not args.no_build:
        to_build = [r for r in rows if r["gen"]["rc"] == 0 and os.path.isdir(r["out"])]
        for r in rows:
            if r["gen"]["rc"] == 0 and not os.path.isdir(r["out"]):
                r["signatures"]["no-location"] = ("no-location", "exit 0 but no crate written")
        for start in range(0, len(to_build), args.batch):
            batch = to_build[start:start + args.batch]
            t = time.time()
            res = build_batch([(r["name"], r["out"]) for r in batch], os.path.join(WORK, "ws"),
                              os.path.join(WORK, "target"), args.build_timeout)
            dt = time.time() - t
            batch_times.append((len(batch), round(dt, 1)))
            drop_crate_artifacts(os.path.join(WORK, "target"))
            for r in batch:
                b = res[r["name"]]
                r["build"] = {"errors": b["errors"][:20], "lints": dict(b["lints"]), "lint_msgs": b.get("lint_msgs", [])[:10],
                              "lib_built": b["lib_built"], "infra": b["infra"]}
                r["signatures"].update(classify_build(b))
                if b["errors"]:
                    e = b["errors"][0]
                    r["first_error"] = f"{e['code'] or 'error'}: {e['message']} ({e['where']}) `{e['line']}`"
                elif b["lints"]:
                    e = b["lint_msgs"][0]
                    r["first_error"] = f"{e['code']}: {e['message']} ({e['where']}) `{e['line']}`"
                elif b["infra"] or not b["lib_built"]:
                    r["infra"] = b["infra"] or "lib not built and no error reported"
            print(f"built {start + len(batch)}/{len(to_build)} in {dt:.0f}s", flush=True)

    for r in rows:
        fails = [c for c in FAIL_ORDER if c in r["signatures"]]
        r["classes"] = fails
        r["primary"] = fails[0] if fails else ("ok" if r["outcome"] == "generated" else r["outcome"])
        r["signatures"] = {k: list(v) for k, v in r["signatures"].items()}

    report(rows, args, batch_times)
    return 1 if any(r["classes"] for r in rows) else 0


def report(rows, args, batch_times):
    counts = collections.Counter()
    for r in rows:
        for c in r["classes"]:
            counts[c] += 1
    n = len(rows)
    generated = sum(r["outcome"] == "generated" for r in rows)
    refused = [r for r in rows if r["outcome"] == "refused" and not r["classes"]]
    clean = sum(r["outcome"] == "generated" and not r["classes"] and not r.get("infra") for r in rows)
    infra = [r for r in rows if r.get("infra")]
    print()
    print(f"specs: {n} (3.0: {sum(r['version'].startswith('3.0') for r in rows)}, 3.1: {sum(r['version'].startswith('3.1') for r in rows)};"
          f" yaml {sum(r['format'] == 'yaml' for r in rows)}, json {sum(r['format'] == 'json' for r in rows)};"
          f" median {sorted(r['lines'] for r in rows)[n // 2] if n else 0} lines)")
    print(f"generated (exit 0): {generated}   refused (exit 1): {len(refused)}   timeouts: {sum(r['outcome'] == 'timeout' for r in rows)}")
    if not args.no_build:
        print(f"exit 0 and clippy-clean: {clean}   not built (infrastructure): {len(infra)}")
        if batch_times:
            print("batch build times: " + ", ".join(f"{n_} crates {t}s" for n_, t in batch_times))
    print()
    print(f"{'class':<18} {'specs':>6}")
    for c in FAIL_ORDER:
        print(f"{c:<18} {counts.get(c, 0):>6}")
    print(f"{'(any failure)':<18} {sum(bool(r['classes']) for r in rows):>6}")
    lints = collections.Counter()
    for r in rows:
        lints.update(r.get("build", {}).get("lints", {}))
    if lints:
        print("\nlints: " + ", ".join(f"{k} ({v})" for k, v in lints.most_common()))
    for r in refused:
        r["deliberate"] = any(n.startswith(DELIBERATE) for n in r["notes"])
    for title, group in (("refusals of specs with a deliberate defect (expected)", [r for r in refused if r["deliberate"]]),
                         ("refusals of specs believed valid (allowed by the contract, but worth a look)",
                          [r for r in refused if not r["deliberate"]])):
        if not group:
            continue
        reasons = collections.defaultdict(list)
        for r in group:
            reasons[norm_message(r.get("first_error", "").split("  -->")[0])[:110]].append(r)
        print(f"\n{title}: {len(group)}")
        for msg, rs in sorted(reasons.items(), key=lambda kv: -len(kv[1]))[:30]:
            print(f"  {len(rs):>4}  {msg}   e.g. {os.path.basename(min(rs, key=lambda r: r['lines'])['spec'])}")
    warns = collections.Counter()
    for r in rows:
        for l in set(r["gen"]["stderr"].splitlines()):
            if l.startswith("warning"):
                warns[re.sub(r"`[^`]*`", "`_`", l)[:110]] += 1
    if warns:
        print("\ngenerator warnings (specs):")
        for msg, c in warns.most_common(15):
            print(f"  {c:>4}  {msg}")
    kinds = collections.defaultdict(list)
    for r in rows:
        if r["classes"]:
            kinds[kind_key(r)].append(r)
    if kinds:
        print("\ndistinct failure kinds (smallest example first):")
        for k, rs in sorted(kinds.items(), key=lambda kv: -len(kv[1])):
            rs.sort(key=lambda r: r["lines"])
            print(f"  {len(rs):>4}  {k}   e.g. {os.path.relpath(rs[0]['spec'], ROOT)}")
        print("\nfailing specs:")
        for r in rows:
            if r["classes"]:
                print(f"  {os.path.relpath(r['spec'], ROOT)} [{','.join(r['classes'])}] {r['gen']['seconds']}s: "
                      f"{(r.get('first_error') or ''.join(r['gen']['stderr'].strip().splitlines()[-1:]))[:300]}".replace("\n", "\\n"))
    if infra:
        print("\nnot built:")
        for r in infra:
            print(f"  {os.path.relpath(r['spec'], ROOT)}: {r['infra'][:200]}")
    keep = args.keep_failures
    if os.path.exists(keep):
        shutil.rmtree(keep)
    os.makedirs(keep, exist_ok=True)
    for r in rows:
        if r["classes"]:
            shutil.copy(r["spec"], keep)
    out = {"seed": args.seed, "count": n, "counts": dict(counts), "generated": generated, "refused": len(refused),
           "clean": clean, "batch_times": batch_times,
           "kinds": {k: [os.path.basename(r["spec"]) for r in rs] for k, rs in kinds.items()},
           "specs": [{k: v for k, v in r.items() if k not in ("out",)} for r in rows]}
    for s in out["specs"]:
        s["gen"] = dict(s["gen"], stderr=s["gen"]["stderr"][:2000])
    with open(os.path.join(WORK, "report.json"), "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False, default=list)
    print(f"\nreport: {os.path.relpath(os.path.join(WORK, 'report.json'), ROOT)}; failing specs copied to {os.path.relpath(keep, ROOT)}")


# --------------------------------------------------------------------------
# Shrinking
# --------------------------------------------------------------------------

class Oracle:
    def __init__(self, binary, args):
        self.binary = binary
        self.args = args
        self.dir = os.path.join(WORK, "shrink")
        os.makedirs(self.dir, exist_ok=True)
        self.cache = {}
        self.primary = {}
        self.build_cache = {}
        self.tests = 0
        self.builds = 0

    def signatures(self, text, ext):
        key = hashlib.sha1(text.encode()).hexdigest()
        if key in self.cache:
            return self.cache[key]
        self.tests += 1
        spec = os.path.join(self.dir, "cand." + ext)
        with open(spec, "w", encoding="utf-8") as f:
            f.write(text)
        out = os.path.join(self.dir, "crates", "shrink-cand")
        g = run_generator(self.binary, spec, out, "shrink-cand", self.args.timeout)
        gen_classes = classify_generation(g, spec, self.args.slow, out)
        if g["rc"] not in (0, None):
            problem = check_locations(spec, g["stderr"])
            if problem:
                gen_classes["bad-location"] = ("bad-location", location_kind(problem))
        sigs = set(gen_classes.values())
        first = dict(gen_classes)
        if g["rc"] == 0 and os.path.isdir(out) and self.need_build:
            h = hashlib.sha1()
            for dp, _d, files in sorted(os.walk(out)):
                for fn in sorted(files):
                    with open(os.path.join(dp, fn), "rb") as f:
                        h.update(fn.encode() + f.read())
            hk = h.hexdigest()
            if hk not in self.build_cache:
                self.builds += 1
                b = build_batch([("shrink-cand", out)], os.path.join(self.dir, "ws"), os.path.join(WORK, "target"),
                                self.args.build_timeout)["shrink-cand"]
                self.build_cache[hk] = (build_signatures(b), classify_build(b))
            sigs |= self.build_cache[hk][0]
            first.update(self.build_cache[hk][1])
        self.cache[key] = sigs
        order = [c for c in FAIL_ORDER if c in first and c != "slow"] or [c for c in FAIL_ORDER if c in first]
        self.primary[key] = first[order[0]] if order else None
        return sigs


KEEP_STRINGS = {"$ref", "openapi", "type", "format", "in", "style", "propertyName", "version", "url", "scheme",
                "tokenUrl", "authorizationUrl", "openIdConnectUrl", "contentType"}


def shrink_tree(doc, test, log):
    """Greedy top-down deletion of dict keys and list items while `test` holds."""
    state = {"doc": doc}

    def get(path):
        node = state["doc"]
        for p in path:
            node = node[p]
        return node

    def without(path, keys):
        new = copy.deepcopy(state["doc"])
        node = new
        for p in path:
            node = node[p]
        if isinstance(node, dict):
            for k in keys:
                del node[k]
        else:
            for k in sorted(keys, reverse=True):
                del node[k]
        return new

    def replaced(path, value):
        new = copy.deepcopy(state["doc"])
        if not path:
            return value
        node = new
        for p in path[:-1]:
            node = node[p]
        node[path[-1]] = value
        return new

    def try_doc(new):
        if test(new):
            state["doc"] = new
            return True
        return False

    def reduce(path):
        node = get(path)
        if not isinstance(node, (dict, list)):
            return
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not path:
            keys = [k for k in keys if k not in ("openapi", "info")]
        if path == ["info"]:
            keys = [k for k in keys if k not in ("title", "version")]
        chunk = len(keys)
        while chunk >= 1 and keys:
            i = 0
            while i < len(keys):
                part = keys[i:i + chunk]
                if try_doc(without(path, part)):
                    log(f"deleted {'/'.join(map(str, path)) or '<root>'}: {part if len(part) < 4 else str(len(part)) + ' entries'}")
                    node = get(path)
                    keys = [k for k in keys if k not in part] if isinstance(node, dict) else list(range(len(node)))
                else:
                    i += chunk
            chunk //= 2
        node = get(path)
        # hoist: replace a composition / wrapper by one of its children
        if path and isinstance(node, dict):
            for k in ("allOf", "oneOf", "anyOf"):
                if isinstance(node.get(k), list):
                    for child in node[k]:
                        if try_doc(replaced(path, copy.deepcopy(child))):
                            log(f"hoisted {'/'.join(map(str, path))}/{k}")
                            return reduce(path)
        node = get(path)
        children = list(node) if isinstance(node, dict) else list(range(len(node)))
        for k in children:
            try:
                get(path + [k])
            except (KeyError, IndexError):
                continue
            reduce(path + [k])
        # shorten strings: first to "d", else drop lines, then words
        node = get(path)
        items = list(node.items()) if isinstance(node, dict) else list(enumerate(node))
        for k, v in items:
            if not isinstance(v, str) or len(v) <= 1 or k in KEEP_STRINGS or (path and path[-1] == "mapping"):
                continue
            if try_doc(replaced(path + [k], "d")):
                log(f"shortened {'/'.join(map(str, path + [k]))}")
                continue
            for sep in ("\n", " "):
                parts = get(path + [k]).split(sep)
                j = 0
                while len(parts) > 1 and j < len(parts):
                    cand = sep.join(parts[:j] + parts[j + 1:])
                    if try_doc(replaced(path + [k], cand)):
                        parts = cand.split(sep)
                        log(f"trimmed {'/'.join(map(str, path + [k]))}")
                    else:
                        j += 1

    def rename_paths():
        paths = state["doc"].get("paths") if isinstance(state["doc"], dict) else None
        if not isinstance(paths, dict):
            return
        for i, key in enumerate(list(paths)):
            new_key = f"/p{i}" + "".join("/" + m for m in re.findall(r"\{[^}]*\}", key))
            if key == new_key or new_key in paths:
                continue
            new = copy.deepcopy(state["doc"])
            new["paths"] = {(new_key if k == key else k): v for k, v in new["paths"].items()}
            if try_doc(new):
                log(f"renamed path {key!r} -> {new_key}")
                key = new_key
            paths = state["doc"]["paths"]
            # drop the templates together with every path parameter of this path item
            if "{" in key and f"/p{i}" not in paths:
                new = copy.deepcopy(state["doc"])
                item = new["paths"].pop(key)
                if isinstance(item, dict):
                    for v in [item] + [op for op in item.values() if isinstance(op, dict)]:
                        if isinstance(v.get("parameters"), list):
                            v["parameters"] = [p for p in v["parameters"] if not (isinstance(p, dict) and p.get("in") == "path")]
                new["paths"][f"/p{i}"] = item
                if try_doc(new):
                    log(f"dropped path templates of {key!r}")
                paths = state["doc"]["paths"]

    for _ in range(3):
        before = json.dumps(state["doc"], sort_keys=True)
        rename_paths()
        reduce([])
        if json.dumps(state["doc"], sort_keys=True) == before:
            break
    return state["doc"]


def strip_keys(doc, keys):
    if isinstance(doc, dict):
        return {k: strip_keys(v, keys) for k, v in doc.items() if not (k in keys and not isinstance(v, dict) or k.startswith("x-"))}
    if isinstance(doc, list):
        return [strip_keys(v, keys) for v in doc]
    return doc


def shrink_one(binary, spec, args, want=None):
    oracle = Oracle(binary, args)
    oracle.need_build = True
    with open(spec, encoding="utf-8") as f:
        text = f.read()
    ext = spec.rsplit(".", 1)[-1]
    if ext not in ("json", "yaml", "yml"):
        ext = "yaml"
    sigs = oracle.signatures(text, ext)
    primary = oracle.primary[hashlib.sha1(text.encode()).hexdigest()]
    fails = sorted((s for s in sigs), key=lambda s: (FAIL_ORDER.index(s[0]), s != primary, s))
    fails = [s for s in fails if s[0] != "slow"] or fails
    want = want or args.shrink_class
    if want:
        fails = [s for s in fails if " ".join(s).startswith(want)] or fails
    if not fails:
        print(f"{spec}: does not fail (signatures: {sorted(sigs)}); nothing to shrink")
        return None
    target = fails[0]
    oracle.need_build = target[0] in ("compile-error", "clippy-warning")
    print(f"{spec}: shrinking, keeping {' '.join(target)}", flush=True)
    doc = json.loads(text) if ext == "json" else yaml.safe_load(text)
    # Prefer YAML output: try converting first.
    out_fmt = "yaml"
    if target not in oracle.signatures(dump(doc, "yaml"), "yaml"):
        out_fmt = "json" if ext == "json" else "yaml"
        if target not in oracle.signatures(dump(doc, out_fmt), "json" if out_fmt == "json" else "yaml"):
            print("  re-serialising the spec loses the failure; keeping the original")
            return None
    oext = "json" if out_fmt == "json" else "yaml"
    t0 = time.time()
    valid = None
    if not args.shrink_allow_invalid:
        try:  # optional: keep the shrunk spec valid when the original is
            from openapi_spec_validator import validate as valid
            valid(copy.deepcopy(doc))
        except ImportError:
            valid = None
        except Exception as e:
            print(f"  (original does not pass openapi-spec-validator: {str(e).splitlines()[0][:100]}; shrinking without it)")
            valid = None
    if valid:
        print("  keeping the spec valid (openapi-spec-validator)")

    def test(d):
        try:
            t = dump(d, out_fmt)
        except Exception:
            return False
        if valid:
            try:
                valid(copy.deepcopy(d))
            except Exception:
                return False
        return target in oracle.signatures(t, oext)

    def log(msg):
        if args.verbose:
            print("   ", msg, flush=True)

    stripped = strip_keys(doc, {"description", "summary", "example", "examples", "title", "externalDocs", "tags"})
    if test(stripped):
        doc = stripped
    small = shrink_tree(doc, test, log)
    out_dir = args.shrink_out
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.basename(spec).rsplit(".", 1)[0]
    out = os.path.join(out_dir, f"{base}.min.{oext}")
    text_out = dump(small, out_fmt)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text_out)
    print(f"  {text.count(chr(10))} -> {text_out.count(chr(10))} lines in {time.time() - t0:.0f}s "
          f"({oracle.tests} generator runs, {oracle.builds} builds): {os.path.relpath(out, ROOT)}", flush=True)
    detail = ""
    if oracle.need_build:
        # one more build to report the message
        o = os.path.join(oracle.dir, "crates", "shrink-cand")
        run_generator(binary, out, o, "shrink-cand", args.timeout)
        b = build_batch([("shrink-cand", o)], os.path.join(oracle.dir, "ws"), os.path.join(WORK, "target"), args.build_timeout)["shrink-cand"]
        es = [e for e in b["errors"] + b.get("lint_msgs", []) if (e["code"] or norm_message(e["message"])[:80]) == target[1]]
        if es:
            detail = f"{es[0]['code']}: {es[0]['message']} ({es[0]['where']}) `{es[0]['line']}`"
    else:
        g = run_generator(binary, out, os.path.join(oracle.dir, "crates", "shrink-cand"), "shrink-cand", args.timeout)
        detail = first_error_line(g["stderr"]) if target[0] != "hang" else f"timeout after {args.timeout}s"
        if target[0] == "panic":
            detail = next((l for l in g["stderr"].splitlines() if "panicked" in l or "internal error" in l), detail)
    print(f"  {detail[:400]}")
    print(text_out)
    return {"spec": spec, "kind": " ".join(target), "min": out, "lines": text_out.count("\n"), "detail": detail}


def shrink_main(args, specs, wants=None):
    binary = build_generator(args)
    results = []
    for i, s in enumerate(specs):
        r = shrink_one(binary, s, args, wants[i] if wants else None)
        if r:
            results.append(r)
    if results:
        path = os.path.join(args.shrink_out, "shrunk.json")
        old = []
        if os.path.exists(path):
            with open(path) as f:
                old = [x for x in json.load(f) if x["spec"] not in {r["spec"] for r in results}]
        with open(path, "w") as f:
            json.dump(old + results, f, indent=1, ensure_ascii=False)
        print("\nshrunk:")
        for r in results:
            print(f"  {r['kind']:<40} {r['lines']:>4} lines  {os.path.relpath(r['min'], ROOT)}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", type=int, default=0, help="first spec index (specs are seed:index)")
    ap.add_argument("--batch", type=int, default=50, help="crates per cargo workspace")
    ap.add_argument("--jobs", type=int, default=2, help="parallel generator runs")
    ap.add_argument("--timeout", type=float, default=10, help="generator timeout (hang)")
    ap.add_argument("--slow", type=float, default=2, help="generator time counted as slow")
    ap.add_argument("--build-timeout", type=int, default=3600, help="per cargo invocation")
    ap.add_argument("--keep-failures", default=os.path.join(WORK, "failures"))
    ap.add_argument("--no-build", action="store_true", help="run the generator only")
    ap.add_argument("--generator", help="use this generator binary instead of building one")
    ap.add_argument("--show", metavar="SEED:INDEX", help="print one generated spec and exit")
    ap.add_argument("--shrink", nargs="+", metavar="SPEC", help="shrink failing specs")
    ap.add_argument("--shrink-report", action="store_true", help="shrink the smallest spec of every failure kind in report.json")
    ap.add_argument("--shrink-class", default="", help="with --shrink: keep this failure (e.g. 'compile-error E0428')")
    ap.add_argument("--shrink-out", default=os.path.join(WORK, "shrunk"))
    ap.add_argument("--shrink-allow-invalid", action="store_true",
                    help="do not require candidates to pass openapi-spec-validator (used when installed)")
    ap.add_argument("--tag-features", action="store_true",
                    help="generate with --tag-features; build half the crates with everything, half with one tag")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    global TAG_FEATURES
    TAG_FEATURES = args.tag_features
    args.keep_failures = os.path.abspath(args.keep_failures)
    args.shrink_out = os.path.abspath(args.shrink_out)
    os.makedirs(WORK, exist_ok=True)
    if args.show:
        seed, index = args.show.split(":")
        text, ext, meta = make_spec(int(seed), int(index))
        sys.stdout.write(text)
        print(f"# {ext} {meta}", file=sys.stderr)
        return 0
    if args.shrink:
        return shrink_main(args, [os.path.abspath(s) for s in args.shrink])
    if args.shrink_report:
        with open(os.path.join(WORK, "report.json")) as f:
            rep = json.load(f)
        by_name = {os.path.basename(s["spec"]): s for s in rep["specs"]}
        specs, wants = [], []
        for kind, names in sorted(rep["kinds"].items()):
            best = min(names, key=lambda n: by_name[n]["lines"])
            specs.append(os.path.join(args.keep_failures, best))
            wants.append(kind)
        return shrink_main(args, specs, wants)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
