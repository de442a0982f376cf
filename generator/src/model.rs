//! The intermediate model: what the client will contain, independent of both
//! the input format (`openapiv3`) and the output tokens (`quote`).
//!
//! Types live in an arena ([`TypeSpace`]) addressed by [`TypeId`]. Every
//! named schema gets its id before any schema is converted, so forward and
//! cyclic references are plain ids. Names stored here are final Rust
//! identifiers (chosen by [`crate::names`]); wire names are kept beside them.

use serde_json::Value;

/// Index of a type in [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The whole API, ready to emit.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Servers, in spec order; the first is the default base URL.
    pub servers: Vec<Server>,
    /// The credentials the client can hold, one per way of sending one;
    /// only those some operation accepts.
    pub credentials: Vec<Credential>,
    /// Every named type.
    pub types: TypeSpace,
    /// Every operation, in spec order.
    pub operations: Vec<Operation>,
}

/// A server entry.
#[derive(Debug, Clone)]
pub struct Server {
    /// URL template, e.g. `https://{region}.example.com/v1`.
    pub url: String,
    /// Description from the spec.
    pub description: Option<String>,
    /// Template variables with their defaults.
    pub variables: Vec<ServerVariable>,
}

/// A `{name}` in a server URL.
#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// Wire name.
    pub name: String,
    /// Default value.
    pub default: String,
}

/// How a security scheme sends its credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthKind {
    /// `Authorization: Bearer <token>` (HTTP bearer, OAuth2, OpenID Connect).
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// An API key in a header.
    ApiKeyHeader(String),
    /// An API key in a query parameter.
    ApiKeyQuery(String),
    /// An API key in a cookie.
    ApiKeyCookie(String),
}

/// A credential the client holds. Several security schemes that send it
/// the same way (two OAuth2 flows, say, or OAuth2 and HTTP bearer) share one.
#[derive(Debug, Clone)]
pub struct Credential {
    /// How it travels.
    pub kind: AuthKind,
    /// Keys in `components.securitySchemes` that use it, in spec order.
    pub schemes: Vec<String>,
    /// The `ClientBuilder` method that sets it.
    pub setter: String,
    /// Description of the first scheme.
    pub description: Option<String>,
}

/// All named types.
#[derive(Debug, Clone, Default)]
pub struct TypeSpace {
    /// Definitions, indexed by [`TypeId`].
    pub defs: Vec<TypeDef>,
}

impl TypeSpace {
    /// The definition behind `id`.
    // Ids are handed out by lowering as it pushes definitions, and the arena
    // never shrinks, so every id indexes a definition.
    #[allow(clippy::indexing_slicing)]
    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    /// Iterates over `(id, def)` in id order (the emission order).
    pub fn iter(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.defs.iter().enumerate().map(|(i, d)| (TypeId(i), d))
    }
}

/// One named type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// Rust identifier, unique among types.
    pub name: String,
    /// JSON pointer of the schema it came from.
    pub origin: String,
    /// Description (or title) from the spec.
    pub docs: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// What kind of item it becomes.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(StructType),
    /// A string or integer enum that keeps unknown values.
    Enum(EnumType),
    /// `oneOf` / `anyOf`.
    Union(UnionType),
    /// A one-field struct around another type (`pub struct Name(pub T);`):
    /// an alias that refers to itself through a list or map, which a
    /// `type` alias cannot express.
    Newtype {
        /// The wrapped type.
        ty: Ty,
        /// Constraints that values must meet.
        constraints: Constraints,
    },
    /// Another type under this name (`pub type Name = …;`).
    Alias {
        /// The aliased type.
        ty: Ty,
        /// Constraints that values of the alias must meet.
        constraints: Constraints,
    },
}

/// An object schema with properties.
#[derive(Debug, Clone)]
pub struct StructType {
    /// Properties in spec order.
    pub fields: Vec<Field>,
    /// Value type of properties not listed (`additionalProperties` schema),
    /// kept in a flattened map. `None` drops unknown properties.
    pub additional: Option<Ty>,
    /// Name of the field holding the additional properties.
    pub additional_name: String,
}

/// One property of a struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust identifier (may need `r#`).
    pub name: String,
    /// Its name as a parameter of the constructor.
    pub param: String,
    /// JSON property name.
    pub wire: String,
    /// Description.
    pub docs: Option<String>,
    /// Value type; [`Ty::Nullable`] when `null` is allowed.
    pub ty: Ty,
    /// Listed in `required`.
    pub required: bool,
    /// Checks to run before sending.
    pub constraints: Constraints,
    /// Holds a credential: redacted in `Debug`.
    pub secret: bool,
    /// Needs a `Box` to break a cycle (set by the cycle pass).
    pub boxed: bool,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// `readOnly: true`: sent by the server only.
    pub read_only: bool,
    /// `writeOnly: true`: sent by the client only (responses omit it).
    pub write_only: bool,
    /// The schema's `default`, shown in the docs.
    pub default: Option<Value>,
    /// The schema's `example`, shown in the docs when it has no description.
    pub example: Option<Value>,
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumType {
    /// Known values in spec order.
    pub variants: Vec<EnumVariant>,
    /// Name of the variant that holds unknown values.
    pub catch_all: String,
    /// An integer enum: wire values are integers (their text is in `wire`).
    pub integer: bool,
}

/// One known enum value.
#[derive(Debug, Clone)]
pub struct EnumVariant {
    /// Rust identifier.
    pub name: String,
    /// Value on the wire.
    pub wire: String,
}

/// A `oneOf` / `anyOf` schema.
#[derive(Debug, Clone)]
pub struct UnionType {
    /// Alternatives, in the order decoding should try them.
    pub variants: Vec<UnionVariant>,
    /// Discriminator property, when the spec names one.
    pub tag: Option<String>,
}

/// One alternative of a union.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust identifier.
    pub name: String,
    /// Payload type.
    pub ty: Ty,
    /// The payload is boxed: it is a struct or union (which would make
    /// every variant large) or it leads back to the union.
    pub boxed: bool,
    /// Discriminator values that select this variant (tagged unions only).
    pub tag_values: Vec<String>,
}

/// Integer widths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntKind {
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
}

/// A type as used by a field, parameter or body.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `bool`.
    Bool,
    /// An integer.
    Int(IntKind),
    /// `f32` (`true`) or `f64`.
    Float {
        /// Single precision.
        single: bool,
    },
    /// A string.
    String,
    /// RFC 3339 date-time.
    DateTime,
    /// RFC 3339 full-date.
    Date,
    /// A UUID.
    Uuid,
    /// Raw bytes (binary bodies and multipart files).
    Bytes,
    /// Any JSON value.
    Json,
    /// A free-form JSON object.
    JsonObject,
    /// A list.
    Array(Box<Ty>),
    /// A string-keyed map.
    Map(Box<Ty>),
    /// A named type.
    Named(TypeId),
    /// `null` or the inner type.
    Nullable(Box<Ty>),
}

impl Ty {
    /// The type without its outer [`Ty::Nullable`].
    pub fn non_null(&self) -> &Ty {
        match self {
            Ty::Nullable(inner) => inner.non_null(),
            other => other,
        }
    }

    /// Whether `null` is allowed.
    pub fn is_nullable(&self) -> bool {
        matches!(self, Ty::Nullable(_))
    }
}

/// Validation keywords, checked on the client before a request is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength` (in characters).
    pub min_length: Option<u64>,
    /// `maxLength` (in characters).
    pub max_length: Option<u64>,
    /// `pattern` (ECMA 262 regex; checked with the `regex` crate).
    pub pattern: Option<String>,
    /// `minimum`.
    pub minimum: Option<f64>,
    /// `exclusiveMinimum`.
    pub exclusive_minimum: bool,
    /// `maximum`.
    pub maximum: Option<f64>,
    /// `exclusiveMaximum`.
    pub exclusive_maximum: bool,
    /// `minItems`.
    pub min_items: Option<u64>,
    /// `maxItems`.
    pub max_items: Option<u64>,
    /// `enum` on a non-string type: the allowed values.
    pub allowed: Vec<Value>,
}

impl Constraints {
    /// Whether there is anything to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

/// An HTTP operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// Method name on the client (snake case).
    pub name: String,
    /// The request builder type, e.g. `CreateAssistantRequest`.
    pub builder: String,
    /// The struct of the operation's arguments, e.g. `CreateAssistant`.
    pub args: String,
    /// The enum of success bodies, when they differ by status.
    pub response_enum: String,
    /// The enum of error bodies, when they differ by status.
    pub error_enum: String,
    /// JSON pointer of the operation.
    pub origin: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// Path template, e.g. `/orgs/{org_id}/assistants`.
    pub path: String,
    /// The template split into literal text and parameters.
    pub path_parts: Vec<PathPart>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Parameters; path parameters in template order first.
    pub params: Vec<Parameter>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// Declared responses in spec order.
    pub responses: Vec<Response>,
    /// What a successful call returns.
    pub success: SuccessShape,
    /// How error bodies are typed.
    pub errors: ErrorShape,
    /// Indices into [`Api::credentials`] of the credentials that may
    /// authenticate this operation (empty: none).
    pub auth: Vec<usize>,
    /// The operation's `tags`, in spec order.
    pub tags: Vec<String>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text, as written in the spec.
    Literal(String),
    /// `{name}`: the parameter's wire name.
    Param(String),
}

/// Splits a path template into literals and `{parameters}`. An unclosed
/// `{` is literal text.
pub fn parse_path_template(path: &str) -> Vec<PathPart> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some((before, after)) = rest.split_once('{') {
        let Some((name, tail)) = after.split_once('}') else {
            break;
        };
        if !before.is_empty() {
            parts.push(PathPart::Literal(before.to_owned()));
        }
        parts.push(PathPart::Param(name.to_owned()));
        rest = tail;
    }
    if !rest.is_empty() {
        parts.push(PathPart::Literal(rest.to_owned()));
    }
    parts
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// Serialization `style` of a parameter (RFC 6570-like, per OpenAPI).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamStyle {
    /// `a,b` (path and header default).
    Simple,
    /// `name=a&name=b` or `name=a,b` (query and cookie default).
    Form,
    /// `.a.b` or `.a,b` (path).
    Label,
    /// `;name=a;name=b` or `;name=a,b` (path).
    Matrix,
    /// `name=a%20b` (query arrays).
    SpaceDelimited,
    /// `name=a|b` (query arrays).
    PipeDelimited,
    /// `name[key]=value` (query objects).
    DeepObject,
}

/// An operation parameter.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Rust identifier.
    pub name: String,
    /// Wire name.
    pub wire: String,
    /// Where it is sent.
    pub location: ParamLocation,
    /// Value type.
    pub ty: Ty,
    /// Must be given.
    pub required: bool,
    /// Description.
    pub docs: Option<String>,
    /// Checks before sending.
    pub constraints: Constraints,
    /// `explode` (arrays as repeated `name=a&name=b` when true).
    pub explode: bool,
    /// How the value is serialized (`style`).
    pub style: ParamStyle,
    /// `deprecated: true`.
    pub deprecated: bool,
}

/// How a body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyMedia {
    /// JSON (`application/json`, `*+json`).
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`: one part per property; binary properties
    /// are file parts.
    Multipart,
    /// `text/*`.
    Text,
    /// Anything else: raw bytes.
    Binary,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct RequestBody {
    /// Value type.
    pub ty: Ty,
    /// Encoding.
    pub media: BodyMedia,
    /// The `Content-Type` to send.
    pub content_type: String,
    /// Must be given.
    pub required: bool,
    /// Description.
    pub docs: Option<String>,
    /// How properties of a form or multipart body are encoded (the media
    /// type's `encoding` object), for the properties it names.
    pub encodings: Vec<PropertyEncoding>,
}

/// How one property of a form or multipart body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyEncoding {
    /// The property's wire name.
    pub property: String,
    /// `contentType` of a multipart part.
    pub content_type: Option<String>,
    /// `style` of a form field (`form` by default).
    pub style: ParamStyle,
    /// `explode` of a form field (true for `form` by default).
    pub explode: bool,
}

/// Which status codes a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One code.
    Code(u16),
    /// `2XX`-style range: the hundreds digit.
    Range(u16),
    /// `default`.
    Default,
}

impl StatusMatch {
    /// Whether the response describes success (2xx).
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(c) => (200..300).contains(&c),
            StatusMatch::Range(r) => r == 2,
            StatusMatch::Default => false,
        }
    }
}

/// A declared response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status codes covered.
    pub status: StatusMatch,
    /// Body type and encoding; `None` for no content.
    pub body: Option<(Ty, BodyMedia)>,
    /// Description.
    pub docs: Option<String>,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum SuccessShape {
    /// One type (or `()`) for every success status.
    Single {
        /// The body, `None` for no content.
        body: Option<(Ty, BodyMedia)>,
        /// The statuses that mean success; no code is covered twice.
        statuses: Vec<StatusMatch>,
    },
    /// Different types per status: [`Operation::response_enum`], with a
    /// variant per status.
    PerStatus(Vec<StatusVariant>),
}

/// How the bodies of error responses are typed.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorShape {
    /// As JSON values (no error response declares a JSON schema).
    Value,
    /// One schema shared by every error response.
    Single(Ty),
    /// Different schemas per status: [`Operation::error_enum`], with a
    /// variant per status and `fallback` for the others.
    PerStatus {
        /// One variant per declared error status with a JSON body.
        variants: Vec<StatusVariant>,
        /// The variant for other statuses: `default`'s when declared (then
        /// it is also in `variants`), else one holding any JSON value.
        fallback: String,
        /// Whether `fallback` is one of `variants` (`default` declared).
        fallback_declared: bool,
    },
}

/// One variant of a per-status enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The status it stands for.
    pub status: StatusMatch,
    /// Variant name (`Ok`, `Status404`, `Status4xx`, `Default`).
    pub name: String,
    /// Its body, `None` for no content.
    pub body: Option<(Ty, BodyMedia)>,
    /// The payload is boxed (a struct or union).
    pub boxed: bool,
    /// Description of the response.
    pub docs: Option<String>,
}
