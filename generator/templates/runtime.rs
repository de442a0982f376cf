//! Support code shared by every operation: the error types, the tri-state
//! [`Nullable`], client-side validation and parameter encoding.
//!
//! This file is the same for every generated client.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

/// Everything that can go wrong when calling an operation.
///
/// `E` is the type of the error body the spec declares for the operation
/// (`serde_json::Value` when it declares none).
#[derive(Debug)]
pub enum Error<E = serde_json::Value> {
    /// The request could not be sent or no response arrived: connection
    /// refused, DNS, TLS, timeout.
    Transport(reqwest::Error),
    /// An argument broke a constraint of the spec; nothing was sent.
    Validation(ValidationError),
    /// The server answered with a status the operation does not declare as
    /// success. (Boxed: it carries the response headers.)
    Api(Box<ApiError<E>>),
    /// The server answered with success, but the body does not match the
    /// spec.
    Decode(DecodeError),
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Transport(error) => error.status(),
            Error::Validation(_) => None,
            Error::Api(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(error) => write!(f, "request failed: {error}"),
            Error::Validation(error) => write!(f, "invalid request: {error}"),
            Error::Api(error) => write!(f, "{error}"),
            Error::Decode(error) => write!(f, "{error}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(error) => Some(error),
            Error::Validation(error) => Some(error),
            Error::Api(_) => None,
            Error::Decode(error) => Some(&error.source),
        }
    }
}

impl<E> From<ValidationError> for Error<E> {
    fn from(error: ValidationError) -> Self {
        Error::Validation(error)
    }
}

/// A response with an error status.
#[derive(Debug)]
pub struct ApiError<E> {
    /// The status code.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: reqwest::header::HeaderMap,
    /// The body, decoded when it matches the spec's error schema.
    pub body: ErrorBody<E>,
}

impl<E: fmt::Debug> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.status)?;
        match &self.body {
            ErrorBody::Typed(body) => write!(f, ": {body:?}"),
            ErrorBody::Text(text) if text.is_empty() => Ok(()),
            ErrorBody::Text(text) => write!(f, ": {}", truncate(text, 500)),
        }
    }
}

/// The body of an error response.
#[derive(Debug, Clone, PartialEq)]
pub enum ErrorBody<E> {
    /// Decoded into the spec's error schema.
    Typed(E),
    /// Not decodable as that schema: the raw text (lossily UTF-8).
    Text(String),
}

/// A success response whose body does not match the spec.
#[derive(Debug)]
pub struct DecodeError {
    /// The status code.
    pub status: reqwest::StatusCode,
    /// The raw body (lossily UTF-8).
    pub body: String,
    /// What serde reported.
    pub source: serde_json::Error,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response: {} (body: {})",
            self.status,
            self.source,
            truncate(&self.body, 200)
        )
    }
}

/// A value that breaks a constraint of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Path of the offending value, e.g. `config.name` or `tags[2]`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
}

impl ValidationError {
    /// An error about `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The same error, seen from the value that contains `field`.
    pub fn within(mut self, parent: &str) -> Self {
        self.field = match (parent.is_empty(), self.field.is_empty()) {
            (true, _) => self.field,
            (false, true) => parent.to_owned(),
            (false, false) if self.field.starts_with('[') => format!("{parent}{}", self.field),
            (false, false) => format!("{parent}.{}", self.field),
        };
        self
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "`{}` {}", self.field, self.message)
        }
    }
}

impl std::error::Error for ValidationError {}

fn truncate(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// An optional field that may also be `null`: absent (not sent), null, or a
/// value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Nullable<T> {
    /// Not present: omitted from requests.
    #[default]
    Absent,
    /// Present as `null`.
    Null,
    /// Present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is absent (used by serde to skip it).
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the field is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }

    /// The value, if there is one, dropping the absent/null distinction.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            _ => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `None` becomes an explicit `null`.
    fn from(value: Option<T>) -> Self {
        match value {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        }
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(value) => serializer.serialize_some(value),
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    /// A present field decodes to `Null` or `Value`; a missing one gets
    /// `Absent` from `#[serde(default)]`.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(Option::<T>::deserialize(deserializer)?.into())
    }
}

/// A credential: usable by the client, printed as `<redacted>`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The credential itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Stands in for a secret field in `Debug` output: shows only whether a
/// value is there.
pub struct Redacted(bool);

impl Redacted {
    /// Describes `value` without revealing it.
    pub fn of<T: IsPresent + ?Sized>(value: &T) -> Self {
        Redacted(value.is_present())
    }
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "<redacted>" } else { "None" })
    }
}

/// Whether a field holds a value (for [`Redacted`]).
pub trait IsPresent {
    /// `false` for `None`, `Absent` and `Null`.
    fn is_present(&self) -> bool;
}

impl IsPresent for String {
    fn is_present(&self) -> bool {
        true
    }
}

impl<T> IsPresent for Option<T> {
    fn is_present(&self) -> bool {
        self.is_some()
    }
}

impl<T> IsPresent for Nullable<T> {
    fn is_present(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }
}

/// Checks a value against the constraints of its schema.
pub trait Validate {
    /// `Err` names the first value that breaks a constraint.
    fn validate(&self) -> Result<(), ValidationError>;
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self) -> Result<(), ValidationError> {
        (**self).validate()
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self) -> Result<(), ValidationError> {
        (**self).validate()
    }
}

/// `minLength` / `maxLength`, counted in characters as JSON Schema does.
pub fn check_length(
    field: &str,
    value: &str,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), ValidationError> {
    let length = value.chars().count() as u64;
    if let Some(min) = min.filter(|min| length < *min) {
        return Err(ValidationError::new(
            field,
            format!("must be at least {min} characters long (is {length})"),
        ));
    }
    if let Some(max) = max.filter(|max| length > *max) {
        return Err(ValidationError::new(
            field,
            format!("must be at most {max} characters long (is {length})"),
        ));
    }
    Ok(())
}

/// `minimum` / `maximum` and their exclusive forms.
pub fn check_range(
    field: &str,
    value: f64,
    min: Option<f64>,
    exclusive_min: bool,
    max: Option<f64>,
    exclusive_max: bool,
) -> Result<(), ValidationError> {
    if let Some(min) = min {
        if value < min || (exclusive_min && value == min) {
            let relation = if exclusive_min {
                "greater than"
            } else {
                "at least"
            };
            return Err(ValidationError::new(
                field,
                format!("must be {relation} {min} (is {value})"),
            ));
        }
    }
    if let Some(max) = max {
        if value > max || (exclusive_max && value == max) {
            let relation = if exclusive_max {
                "less than"
            } else {
                "at most"
            };
            return Err(ValidationError::new(
                field,
                format!("must be {relation} {max} (is {value})"),
            ));
        }
    }
    Ok(())
}

/// `minItems` / `maxItems`.
pub fn check_items(
    field: &str,
    len: usize,
    min: Option<u64>,
    max: Option<u64>,
) -> Result<(), ValidationError> {
    let len = len as u64;
    if let Some(min) = min.filter(|min| len < *min) {
        return Err(ValidationError::new(
            field,
            format!("must have at least {min} items (has {len})"),
        ));
    }
    if let Some(max) = max.filter(|max| len > *max) {
        return Err(ValidationError::new(
            field,
            format!("must have at most {max} items (has {len})"),
        ));
    }
    Ok(())
}

/// `enum` on an integer.
pub fn check_one_of(field: &str, value: i64, allowed: &[i64]) -> Result<(), ValidationError> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!("must be one of {allowed:?} (is {value})"),
        ))
    }
}

/// The text form of a parameter value: strings as they are, numbers and
/// booleans in JSON notation, lists comma-separated (`simple`/`form`
/// style).
pub fn param_text<T: serde::Serialize + ?Sized>(
    field: &str,
    value: &T,
) -> Result<String, ValidationError> {
    let value =
        serde_json::to_value(value).map_err(|e| ValidationError::new(field, e.to_string()))?;
    Ok(match value {
        serde_json::Value::Array(items) => {
            items.iter().map(scalar_text).collect::<Vec<_>>().join(",")
        }
        serde_json::Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| [k.clone(), scalar_text(v)])
            .collect::<Vec<_>>()
            .join(","),
        other => scalar_text(&other),
    })
}

fn scalar_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Serialization style of a parameter, as the spec's `style` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `a,b`.
    Simple,
    /// `name=a&name=b` (exploded) or `name=a,b`.
    Form,
    /// `.a.b` (exploded) or `.a,b`.
    Label,
    /// `;name=a;name=b` (exploded) or `;name=a,b`.
    Matrix,
    /// `name=a b`.
    SpaceDelimited,
    /// `name=a|b`.
    PipeDelimited,
    /// `name[key]=value`.
    DeepObject,
}

/// Adds a query parameter in `style`. Lists repeat the name when `explode`
/// is set and are joined otherwise; exploded `form` objects send one pair
/// per property, `deepObject` sends `name[key]=value`.
pub fn push_query<T: serde::Serialize + ?Sized>(
    query: &mut Vec<(String, String)>,
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<(), ValidationError> {
    let json =
        serde_json::to_value(value).map_err(|e| ValidationError::new(name, e.to_string()))?;
    let separator = match style {
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
        _ => ",",
    };
    match json {
        serde_json::Value::Null => {}
        serde_json::Value::Array(items) if explode => {
            query.extend(
                items
                    .iter()
                    .map(|item| (name.to_owned(), scalar_text(item))),
            );
        }
        serde_json::Value::Array(items) => {
            let joined = items
                .iter()
                .map(scalar_text)
                .collect::<Vec<_>>()
                .join(separator);
            query.push((name.to_owned(), joined));
        }
        serde_json::Value::Object(map) if style == Style::DeepObject => {
            query.extend(
                map.into_iter()
                    .map(|(key, item)| (format!("{name}[{key}]"), scalar_text(&item))),
            );
        }
        serde_json::Value::Object(map) if explode => {
            query.extend(map.into_iter().map(|(key, item)| (key, scalar_text(&item))));
        }
        other => query.push((name.to_owned(), param_text(name, &other)?)),
    }
    Ok(())
}

/// One path parameter, percent-encoded, in `style` (`simple`, `label` or
/// `matrix`). Encoding keeps `a/b?c#d` inside its segment.
pub fn path_segment<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, ValidationError> {
    let json =
        serde_json::to_value(value).map_err(|e| ValidationError::new(name, e.to_string()))?;
    let pieces: Vec<(Option<String>, String)> = match &json {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| (None, encode_path(&scalar_text(item))))
            .collect(),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(key, item)| (Some(encode_path(key)), encode_path(&scalar_text(item))))
            .collect(),
        other => vec![(None, encode_path(&scalar_text(other)))],
    };
    let is_object = json.is_object();
    let join = |separator: &str, pair: &str| -> String {
        pieces
            .iter()
            .map(|(key, value)| match key {
                Some(key) => format!("{key}{pair}{value}"),
                None => value.clone(),
            })
            .collect::<Vec<_>>()
            .join(separator)
    };
    let name = encode_path(name);
    Ok(match style {
        Style::Label if explode => format!(".{}", join(".", "=")),
        Style::Label => format!(".{}", join(",", ",")),
        Style::Matrix if explode && is_object => format!(";{}", join(";", "=")),
        Style::Matrix if explode => pieces.iter().map(|(_, v)| format!(";{name}={v}")).collect(),
        Style::Matrix => format!(";{name}={}", join(",", ",")),
        _ if explode => join(",", "="),
        _ => join(",", ","),
    })
}

/// A header value from a parameter.
pub fn header_value<T: serde::Serialize + ?Sized>(
    field: &str,
    value: &T,
) -> Result<reqwest::header::HeaderValue, ValidationError> {
    let text = param_text(field, value)?;
    reqwest::header::HeaderValue::from_str(&text)
        .map_err(|_| ValidationError::new(field, "is not a valid HTTP header value"))
}

/// A header value for a credential, marked sensitive so that it is kept out
/// of logs and HTTP/2 compression tables.
pub fn sensitive_header(text: &str) -> reqwest::header::HeaderValue {
    let mut value = reqwest::header::HeaderValue::from_str(text)
        .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}

/// Percent-encodes one path segment: everything but RFC 3986 unreserved
/// characters, so `a/b?c#d` stays inside its segment.
pub fn encode_path(text: &str) -> String {
    encode_except(text, b"-._~")
}

/// Percent-encodes a cookie value.
pub fn encode_cookie(text: &str) -> String {
    encode_except(text, b"-._~!$&'()*+/:<=>?@[]^`{|}")
}

fn encode_except(text: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Sets a JSON body with the spec's content type.
pub fn json_body<T: serde::Serialize + ?Sized>(
    request: reqwest::RequestBuilder,
    body: &T,
    content_type: &'static str,
) -> Result<reqwest::RequestBuilder, ValidationError> {
    let bytes =
        serde_json::to_vec(body).map_err(|e| ValidationError::new("body", e.to_string()))?;
    Ok(request
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(bytes))
}

/// Sets an `application/x-www-form-urlencoded` body.
pub fn form_body<T: serde::Serialize + ?Sized>(
    request: reqwest::RequestBuilder,
    body: &T,
    content_type: &'static str,
) -> Result<reqwest::RequestBuilder, ValidationError> {
    let json =
        serde_json::to_value(body).map_err(|e| ValidationError::new("body", e.to_string()))?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    if let serde_json::Value::Object(map) = json {
        for (key, value) in map {
            match value {
                serde_json::Value::Array(items) => {
                    pairs.extend(items.iter().map(|item| (key.clone(), scalar_text(item))));
                }
                serde_json::Value::Null => {}
                other => pairs.push((key, param_text("body", &other)?)),
            }
        }
    }
    let encoded = pairs
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                encode_except(k, b"-._~"),
                encode_except(v, b"-._~")
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    Ok(request
        .header(reqwest::header::CONTENT_TYPE, content_type)
        .body(encoded))
}

/// The future returned by awaiting a request builder.
pub type ResponseFuture<'a, T, E> = Pin<Box<dyn Future<Output = Result<T, Error<E>>> + Send + 'a>>;

/// Decodes a JSON success body.
pub async fn read_json<T: serde::de::DeserializeOwned, E>(
    response: reqwest::Response,
) -> Result<T, Error<E>> {
    let status = response.status();
    let bytes = response.bytes().await.map_err(Error::Transport)?;
    serde_json::from_slice(&bytes).map_err(|source| {
        Error::Decode(DecodeError {
            status,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            source,
        })
    })
}

/// Reads a text success body.
pub async fn read_text<E>(response: reqwest::Response) -> Result<String, Error<E>> {
    response.text().await.map_err(Error::Transport)
}

/// Reads a binary success body.
pub async fn read_bytes<E>(response: reqwest::Response) -> Result<Vec<u8>, Error<E>> {
    Ok(response.bytes().await.map_err(Error::Transport)?.to_vec())
}

/// Turns an error response into [`Error::Api`], decoding the body as `E`
/// when it matches.
pub async fn api_error<E: serde::de::DeserializeOwned>(response: reqwest::Response) -> Error<E> {
    api_error_with(response, |body| serde_json::from_slice(body)).await
}

/// Like [`api_error`], decoding the body with `decode` (which knows the
/// status's schema).
pub async fn api_error_with<E>(
    response: reqwest::Response,
    decode: impl FnOnce(&[u8]) -> Result<E, serde_json::Error>,
) -> Error<E> {
    let status = response.status();
    let headers = response.headers().clone();
    match response.bytes().await {
        Err(error) => Error::Transport(error),
        Ok(bytes) => {
            let body = match decode(&bytes) {
                Ok(typed) => ErrorBody::Typed(typed),
                Err(_) => ErrorBody::Text(String::from_utf8_lossy(&bytes).into_owned()),
            };
            Error::Api(Box::new(ApiError {
                status,
                headers,
                body,
            }))
        }
    }
}

/// Serde for bytes that JSON carries as text: a `format: binary` property in
/// a JSON schema is a string on the wire.
pub mod bytes_text {
    /// Writes the bytes as a (lossily UTF-8) string.
    pub fn serialize<S: serde::Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(bytes))
    }

    /// Reads a string as its bytes.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        Ok(<String as serde::Deserialize>::deserialize(deserializer)?.into_bytes())
    }
}

/// [`bytes_text`] for optional fields.
pub mod option_bytes_text {
    /// Writes the bytes as a (lossily UTF-8) string, or `null`.
    pub fn serialize<S: serde::Serializer>(
        bytes: &Option<Vec<u8>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(bytes) => serializer.serialize_some(&String::from_utf8_lossy(bytes)),
            None => serializer.serialize_none(),
        }
    }

    /// Reads a string (or `null`) as its bytes.
    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        Ok(
            <Option<String> as serde::Deserialize>::deserialize(deserializer)?
                .map(String::into_bytes),
        )
    }
}
