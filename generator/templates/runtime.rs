//! Support code shared by every operation: sending with timeouts, retries,
//! redirects and a size limit; the error types; the tri-state
//! [`Nullable`]; client-side validation and parameter encoding.
//!
//! This file is the same for every generated client. Everything that
//! sends goes through one non-generic function, [`execute`]; operations
//! only prepare a [`Request`] and decode a [`RawResponse`].

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

/// Everything that can go wrong when calling an operation.
///
/// `E` is the type of the error body the spec declares for the operation
/// (`serde_json::Value` when it declares none). Messages never contain a
/// credential, and bodies in them are cut to about 1 KiB with the fields
/// that hold secrets redacted.
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The request could not be sent or no complete response arrived:
    /// connection refused, DNS, TLS, timeout, a body over the size limit.
    Transport(TransportError),
    /// An argument broke a constraint of the spec, or a credential cannot
    /// be sent; nothing was sent.
    Validation(ValidationError),
    /// The server answered with a status the operation does not declare as
    /// success.
    Api(Box<ApiError<E>>),
    /// The server answered with success, but the body does not match the
    /// spec.
    Decode(Box<DecodeError>),
}

impl<E> Error<E> {
    /// The HTTP status of the response, when there was one.
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        match self {
            Error::Api(error) => Some(error.status),
            Error::Decode(error) => Some(error.status),
            Error::Transport(_) | Error::Validation(_) => None,
        }
    }

    /// Whether the request timed out (connecting, or waiting for the
    /// response).
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Transport(error) if error.kind == TransportKind::Timeout)
    }

    /// Whether trying again later may succeed: a connection failure, a
    /// timeout, or status 408, 429, 502, 503 or 504. The client has already
    /// retried as its [`RetryPolicy`] allows.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(error) => {
                matches!(error.kind, TransportKind::Connect | TransportKind::Timeout)
            }
            Error::Api(error) => retryable_status(error.status),
            Error::Validation(_) | Error::Decode(_) => false,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(error) => write!(f, "{error}"),
            Error::Validation(error) => write!(f, "invalid request: {error}"),
            Error::Api(error) => write!(f, "{error}"),
            Error::Decode(error) => write!(f, "{error}"),
        }
    }
}

impl<E> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(error) => f.debug_tuple("Transport").field(error).finish(),
            Error::Validation(error) => f.debug_tuple("Validation").field(error).finish(),
            Error::Api(error) => f.debug_tuple("Api").field(error).finish(),
            Error::Decode(error) => f.debug_tuple("Decode").field(error).finish(),
        }
    }
}

impl<E> std::error::Error for Error<E> {
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

impl<E> From<TransportError> for Error<E> {
    fn from(error: TransportError) -> Self {
        Error::Transport(error)
    }
}

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be made (refused, DNS, TLS).
    Connect,
    /// Connecting or waiting for the response took longer than allowed.
    Timeout,
    /// The response body is larger than the client's limit.
    BodyTooLarge,
    /// The connection broke while the response was being read.
    Body,
    /// Too many redirects, or a redirect to an invalid location.
    Redirect,
    /// The request could not be built or sent.
    Other,
}

/// A request that got no complete response. Its message never contains
/// the request URL's query (where API keys may travel).
pub struct TransportError {
    kind: TransportKind,
    message: String,
    source: Option<reqwest::Error>,
}

impl TransportError {
    fn new(kind: TransportKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            source: None,
        }
    }

    fn from_reqwest(error: reqwest::Error) -> Self {
        let kind = if error.is_timeout() {
            TransportKind::Timeout
        } else if error.is_connect() {
            TransportKind::Connect
        } else if error.is_body() || error.is_decode() {
            TransportKind::Body
        } else {
            TransportKind::Other
        };
        // reqwest's messages include the URL, query and all.
        let error = error.without_url();
        let mut message = error.to_string();
        let mut cause: Option<&dyn std::error::Error> = std::error::Error::source(&error);
        while let Some(inner) = cause {
            message = format!("{message}: {inner}");
            cause = inner.source();
        }
        Self {
            kind,
            message,
            source: Some(error),
        }
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportKind {
        self.kind
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "request timed out",
            TransportKind::BodyTooLarge => "response too large",
            TransportKind::Body => "connection broke while reading the response",
            TransportKind::Redirect => "redirect not followed",
            TransportKind::Other => "request failed",
        };
        write!(f, "{what}: {}", self.message)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .finish()
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|error| error as &(dyn std::error::Error + 'static))
    }
}

/// A response with an error status.
pub struct ApiError<E> {
    /// The status code.
    pub status: reqwest::StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body, decoded when it matches the spec's error schema.
    pub body: ErrorBody<E>,
    text: String,
    secret_fields: &'static [&'static str],
}

impl<E> ApiError<E> {
    /// The body as the server sent it (lossily UTF-8).
    pub fn text(&self) -> &str {
        &self.text
    }
}

impl<E> fmt::Display for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.status)?;
        if !self.text.is_empty() {
            write!(f, ": {}", shown_body(&self.text, self.secret_fields))?;
        }
        Ok(())
    }
}

impl<E> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &shown_body(&self.text, self.secret_fields))
            .finish()
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
pub struct DecodeError {
    /// The status code.
    pub status: reqwest::StatusCode,
    /// The raw body (lossily UTF-8).
    pub body: String,
    /// What serde reported.
    pub source: serde_json::Error,
    secret_fields: &'static [&'static str],
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot decode the {} response: {} (body: {})",
            self.status,
            self.source,
            shown_body(&self.body, self.secret_fields)
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.status)
            .field("source", &self.source)
            .field("body", &shown_body(&self.body, self.secret_fields))
            .finish()
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

/// How much of a body error messages show.
const SHOWN_BODY_BYTES: usize = 1024;

/// A body as error messages show it: secret fields of a JSON body
/// redacted, then cut to about 1 KiB with the full size stated.
fn shown_body(text: &str, secret_fields: &[&str]) -> String {
    let redacted = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(mut value) if !secret_fields.is_empty() => {
            if redact_json(&mut value, secret_fields) {
                value.to_string()
            } else {
                text.to_owned()
            }
        }
        _ => text.to_owned(),
    };
    if redacted.len() <= SHOWN_BODY_BYTES {
        return redacted;
    }
    let mut end = SHOWN_BODY_BYTES;
    while !redacted.is_char_boundary(end) {
        end -= 1;
    }
    format!(
        "{}… ({} bytes in all)",
        redacted.get(..end).unwrap_or_default(),
        text.len()
    )
}

/// Replaces the values of `secret_fields` anywhere in `value`; returns
/// whether anything was replaced.
fn redact_json(value: &mut serde_json::Value, secret_fields: &[&str]) -> bool {
    let mut changed = false;
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if secret_fields.contains(&key.as_str()) && !item.is_null() {
                    *item = serde_json::Value::from("<redacted>");
                    changed = true;
                } else {
                    changed |= redact_json(item, secret_fields);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for item in items {
                changed |= redact_json(item, secret_fields);
            }
        }
        _ => {}
    }
    changed
}

/// Headers in `Debug` output, with the values of credential-bearing ones
/// hidden.
struct RedactedHeaders<'h>(&'h HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            let sensitive = value.is_sensitive()
                || matches!(
                    name.as_str(),
                    "authorization" | "proxy-authorization" | "cookie" | "set-cookie"
                );
            if sensitive {
                map.entry(&name.as_str(), &"<redacted>");
            } else {
                map.entry(&name.as_str(), &value.to_str().unwrap_or("<binary>"));
            }
        }
        map.finish()
    }
}

// ---------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------

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

/// Encodes a struct as a JSON object member by member: what every generated
/// struct's `Serialize` calls, the mirror of [`Fields`].
///
/// A derived `Serialize` counts the present fields, then writes each one
/// with an early return on error: per field a branch, an error conversion
/// and an `Option` impl for the compiler to build. Here a field is one
/// call, absent values are left out by the call that writes them, and the
/// first error is kept for [`finish`](Self::finish).
pub struct Members<S: serde::Serializer> {
    /// The open object, or the first error met.
    map: Result<S::SerializeMap, S::Error>,
}

impl<S: serde::Serializer> Members<S> {
    /// Starts an object on `serializer`.
    pub fn new(serializer: S) -> Self {
        Self {
            map: serializer.serialize_map(None),
        }
    }

    /// Writes member `key`.
    pub fn field<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        use serde::ser::SerializeMap;
        if let Ok(map) = &mut self.map {
            let written = map.serialize_entry(key, value);
            self.keep_error(written);
        }
    }

    /// Keeps the error of a write, if any. (Out of [`field`](Self::field),
    /// which is built once per field type.)
    fn keep_error(&mut self, written: Result<(), S::Error>) {
        if let Err(error) = written {
            self.map = Err(error);
        }
    }

    /// Writes member `key` unless it is `None`.
    pub fn optional<T: serde::Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(key, value);
        }
    }

    /// Writes member `key` (`null` included) unless it is absent.
    pub fn nullable<T: serde::Serialize>(&mut self, key: &str, value: &Nullable<T>) {
        if !value.is_absent() {
            self.field(key, value);
        }
    }

    /// Writes binary data as a (lossily UTF-8) string: JSON has no bytes.
    pub fn bytes(&mut self, key: &str, value: &[u8]) {
        self.field(key, &*String::from_utf8_lossy(value));
    }

    /// [`bytes`](Self::bytes) unless it is `None`.
    pub fn optional_bytes(&mut self, key: &str, value: &Option<Vec<u8>>) {
        if let Some(value) = value {
            self.bytes(key, value);
        }
    }

    /// [`bytes`](Self::bytes), or `null` for `None`.
    pub fn bytes_or_null(&mut self, key: &str, value: &Option<Vec<u8>>) {
        match value {
            Some(value) => self.bytes(key, value),
            None => self.field(key, &None::<()>),
        }
    }

    /// Writes each of `members` (additional properties) as its own member.
    pub fn rest<T: serde::Serialize>(&mut self, members: &std::collections::BTreeMap<String, T>) {
        for (key, value) in members {
            self.field(key, value);
        }
    }

    /// Closes the object, or returns the first error met.
    pub fn finish(self) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        self.map?.end()
    }
}

/// Writes a request body as compact JSON: the same bytes as
/// `serde_json::to_vec`.
///
/// serde_json's serializer is generic over its writer and formatter, and
/// writing one member builds `serialize_field`, `serialize_entry` and
/// `serialize_value` for each field type. Here a member is one small
/// function per type, and strings and floats go through serde_json once
/// (its escaping and float printing).
struct JsonWriter {
    out: Vec<u8>,
}

/// Writes `value` as JSON, as [`JsonWriter`] describes.
fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut writer = JsonWriter {
        out: Vec::with_capacity(128),
    };
    value.serialize(&mut writer)?;
    Ok(writer.out)
}

impl JsonWriter {
    fn text(&mut self, text: &str) -> Result<(), serde_json::Error> {
        serde_json::to_writer(&mut self.out, text)
    }

    fn number(&mut self, number: impl fmt::Display) {
        use std::io::Write;
        // Writing to a `Vec` cannot fail.
        let _ = write!(self.out, "{number}");
    }

    fn quoted(&mut self, value: impl fmt::Display) {
        self.out.push(b'"');
        self.number(value);
        self.out.push(b'"');
    }

    /// Opens an object holding one member named `variant`.
    fn open_variant(&mut self, variant: &str) -> Result<(), serde_json::Error> {
        self.out.push(b'{');
        self.text(variant)?;
        self.out.push(b':');
        Ok(())
    }

    /// A variant's array or object, inside the object that names it.
    fn start_variant(
        &mut self,
        variant: &str,
        open: u8,
    ) -> Result<Collection<'_>, serde_json::Error> {
        self.open_variant(variant)?;
        let mut collection = self.start(open);
        collection.variant = true;
        Ok(collection)
    }

    fn start(&mut self, open: u8) -> Collection<'_> {
        self.out.push(open);
        Collection {
            writer: self,
            first: true,
            close: if open == b'[' { b']' } else { b'}' },
            variant: false,
        }
    }
}

/// An array or object being written: commas go before all but the first
/// element; a variant's value also closes the object around it.
struct Collection<'a> {
    writer: &'a mut JsonWriter,
    first: bool,
    close: u8,
    variant: bool,
}

impl Collection<'_> {
    fn comma(&mut self) {
        if !self.first {
            self.writer.out.push(b',');
        }
        self.first = false;
    }

    fn element<T: serde::Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        self.comma();
        value.serialize(&mut *self.writer)
    }

    fn member<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        self.comma();
        self.writer.text(key)?;
        self.writer.out.push(b':');
        value.serialize(&mut *self.writer)
    }

    fn close(self) -> Result<(), serde_json::Error> {
        self.writer.out.push(self.close);
        if self.variant {
            self.writer.out.push(b'}');
        }
        Ok(())
    }
}

/// Writes a map key: JSON only has strings, so numbers and booleans are
/// quoted (as serde_json does) and anything else is an error.
struct KeyWriter<'a>(&'a mut JsonWriter);

impl serde::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeTuple = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeTupleStruct = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeTupleVariant = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeMap = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeStruct = serde::ser::Impossible<(), serde_json::Error>;
    type SerializeStructVariant = serde::ser::Impossible<(), serde_json::Error>;

    fn serialize_str(self, v: &str) -> Result<(), serde_json::Error> {
        self.0.text(v)
    }
    fn serialize_char(self, v: char) -> Result<(), serde_json::Error> {
        self.0.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), serde_json::Error> {
        self.0.text(variant)
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result<(), serde_json::Error> {
        self.0.quoted(v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), serde_json::Error> {
        self.0.quoted(v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), serde_json::Error> {
        self.0.quoted(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), serde_json::Error> {
        self.0.quoted(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), serde_json::Error> {
        self.0.quoted(v);
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), serde_json::Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), serde_json::Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), serde_json::Error> {
        self.serialize_i64(v.into())
    }
    fn serialize_u8(self, v: u8) -> Result<(), serde_json::Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), serde_json::Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), serde_json::Error> {
        self.serialize_u64(v.into())
    }
    fn serialize_f32(self, _: f32) -> Result<(), serde_json::Error> {
        Err(key_error())
    }
    fn serialize_f64(self, _: f64) -> Result<(), serde_json::Error> {
        Err(key_error())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), serde_json::Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<(), serde_json::Error> {
        Err(key_error())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, _: &T) -> Result<(), serde_json::Error> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<(), serde_json::Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), serde_json::Error> {
        Err(key_error())
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), serde_json::Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, serde_json::Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, serde_json::Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, serde_json::Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, serde_json::Error> {
        Err(key_error())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, serde_json::Error> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, serde_json::Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, serde_json::Error> {
        Err(key_error())
    }
}

fn key_error() -> serde_json::Error {
    serde::ser::Error::custom("key must be a string")
}

impl<'a> serde::Serializer for &'a mut JsonWriter {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Collection<'a>;
    type SerializeTuple = Collection<'a>;
    type SerializeTupleStruct = Collection<'a>;
    type SerializeTupleVariant = Collection<'a>;
    type SerializeMap = Collection<'a>;
    type SerializeStruct = Collection<'a>;
    type SerializeStructVariant = Collection<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), serde_json::Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), serde_json::Error> {
        self.number(v);
        Ok(())
    }
    fn serialize_i16(self, v: i16) -> Result<(), serde_json::Error> {
        self.number(v);
        Ok(())
    }
    fn serialize_i32(self, v: i32) -> Result<(), serde_json::Error> {
        self.number(v);
        Ok(())
    }
    fn serialize_i64(self, v: i64) -> Result<(), serde_json::Error> {
        self.number(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Result<(), serde_json::Error> {
        self.number(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), serde_json::Error> {
        self.number(v);
        Ok(())
    }
    fn serialize_u16(self, v: u16) -> Result<(), serde_json::Error> {
        self.number(v);
        Ok(())
    }
    fn serialize_u32(self, v: u32) -> Result<(), serde_json::Error> {
        self.number(v);
        Ok(())
    }
    fn serialize_u64(self, v: u64) -> Result<(), serde_json::Error> {
        self.number(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Result<(), serde_json::Error> {
        self.number(v);
        Ok(())
    }
    // Floats as serde_json prints them (`null` when not finite).
    fn serialize_f32(self, v: f32) -> Result<(), serde_json::Error> {
        serde_json::to_writer(&mut self.out, &v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), serde_json::Error> {
        serde_json::to_writer(&mut self.out, &v)
    }
    fn serialize_char(self, v: char) -> Result<(), serde_json::Error> {
        self.text(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), serde_json::Error> {
        self.text(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), serde_json::Error> {
        let mut array = self.start(b'[');
        for byte in v {
            array.comma();
            array.writer.number(byte);
        }
        array.close()
    }
    fn serialize_none(self) -> Result<(), serde_json::Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(
        self,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), serde_json::Error> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), serde_json::Error> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), serde_json::Error> {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        self.open_variant(variant)?;
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Collection<'a>, serde_json::Error> {
        Ok(self.start(b'['))
    }
    fn serialize_tuple(self, _: usize) -> Result<Collection<'a>, serde_json::Error> {
        Ok(self.start(b'['))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Collection<'a>, serde_json::Error> {
        Ok(self.start(b'['))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Collection<'a>, serde_json::Error> {
        self.start_variant(variant, b'[')
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Collection<'a>, serde_json::Error> {
        Ok(self.start(b'{'))
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Collection<'a>, serde_json::Error> {
        Ok(self.start(b'{'))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Collection<'a>, serde_json::Error> {
        self.start_variant(variant, b'{')
    }

    // A list is one loop per element type, instead of serde's default
    // through `serialize_seq` and `SerializeSeq`.
    fn collect_seq<I: IntoIterator>(self, items: I) -> Result<(), serde_json::Error>
    where
        I::Item: serde::Serialize,
    {
        let mut array = self.start(b'[');
        for item in items {
            array.element(&item)?;
        }
        array.close()
    }
}

/// The serde traits of arrays (each call writes an element) and of objects
/// with fixed keys (each call writes a member): all a [`Collection`].
macro_rules! collection_impls {
    (elements: $($trait:ident::$method:ident),*; members: $($member_trait:ident::$member_method:ident),*) => {
        $(impl serde::ser::$trait for Collection<'_> {
            type Ok = ();
            type Error = serde_json::Error;
            fn $method<T: serde::Serialize + ?Sized>(
                &mut self,
                value: &T,
            ) -> Result<(), serde_json::Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), serde_json::Error> {
                self.close()
            }
        })*
        $(impl serde::ser::$member_trait for Collection<'_> {
            type Ok = ();
            type Error = serde_json::Error;
            fn $member_method<T: serde::Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), serde_json::Error> {
                self.member(key, value)
            }
            fn end(self) -> Result<(), serde_json::Error> {
                self.close()
            }
        })*
    };
}

collection_impls! {
    elements: SerializeSeq::serialize_element, SerializeTuple::serialize_element,
        SerializeTupleStruct::serialize_field, SerializeTupleVariant::serialize_field;
    members: SerializeStruct::serialize_field, SerializeStructVariant::serialize_field
}

impl serde::ser::SerializeMap for Collection<'_> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_key<T: serde::Serialize + ?Sized>(
        &mut self,
        key: &T,
    ) -> Result<(), serde_json::Error> {
        self.comma();
        key.serialize(KeyWriter(&mut *self.writer))?;
        self.writer.out.push(b':');
        Ok(())
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), serde_json::Error> {
        self.close()
    }
}

/// Decodes a generated struct: what every generated struct's
/// `Deserialize` calls, with the struct's [`Object::read`].
pub fn read_object<'de, D: serde::Deserializer<'de>, T: Object>(
    deserializer: D,
    ty: &'static str,
) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor {
        ty,
        marker: std::marker::PhantomData,
    })
}

/// A generated struct read from its JSON object's members.
pub trait Object: Sized {
    /// Reads every field in one straight line: `None` when a field is
    /// missing or invalid (the error is kept in `fields`).
    fn read<'de, M: serde::de::MapAccess<'de>>(fields: &mut Fields<'de, M>) -> Option<Self>;
}

struct ObjectVisitor<T> {
    ty: &'static str,
    marker: std::marker::PhantomData<fn() -> T>,
}

impl<'de, T: Object> serde::de::Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", self.ty)
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, map: M) -> Result<T, M::Error> {
        let mut fields = Fields {
            map,
            open: true,
            passed: Vec::new(),
            ty: self.ty,
            error: None,
            marker: std::marker::PhantomData,
        };
        let value = T::read(&mut fields);
        match (fields.close(value.is_none()), value) {
            (None, Some(value)) => Ok(value),
            (Some(error), _) => Err(error),
            (None, None) => Err(serde::de::Error::custom("incomplete object")),
        }
    }
}

/// The members of the JSON object a generated struct is read from.
///
/// Reads stream: a field's value is decoded straight from the input when
/// its member comes next, which it nearly always does, since servers send
/// members in the order the schema lists them and structs read their
/// fields in that order too. Members met on the way to another field are
/// kept as parsed JSON until their field asks for them. One non-generic
/// reader shared by all structs is far cheaper to compile than a derived
/// visitor per struct, and it names the type and field in its errors
/// (`Repository.owner: missing field`).
///
/// Reading a field never fails on the spot: the first error is kept, and
/// returned once the struct's [`Object::read`] is done, so that function
/// is one straight line with one exit instead of an early return (and its
/// drops) per field.
pub struct Fields<'de, M: serde::de::MapAccess<'de>> {
    map: M,
    /// Whether `map` may have members left: false once read to its end,
    /// and after an error, which leaves the input at no member boundary.
    open: bool,
    /// Members read past while looking for another, in document order; a
    /// read takes the value.
    passed: Vec<(Key, Option<Json>)>,
    ty: &'static str,
    error: Option<M::Error>,
    marker: std::marker::PhantomData<&'de ()>,
}

/// Reads the next member's key, copied only when it is not `.0`, the
/// name a field asks for.
struct KeyIs<'n>(&'n str);

enum NextKey {
    Asked,
    Other(Key),
}

impl<'de> serde::de::DeserializeSeed<'de> for KeyIs<'_> {
    type Value = NextKey;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<NextKey, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl serde::de::Visitor<'_> for KeyIs<'_> {
    type Value = NextKey;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object member name")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NextKey, E> {
        Ok(if v == self.0 {
            NextKey::Asked
        } else {
            NextKey::Other(Key::new(v))
        })
    }
}

/// Where the member a field asked for is.
enum Found {
    /// Its key was just read: the value is next in the input.
    Next,
    /// Passed earlier, and kept.
    Passed(Json),
    Missing,
}

impl Found {
    /// A kept `null` counted as missing.
    fn null_missing(self) -> Self {
        match self {
            Found::Passed(Json::Null) => Found::Missing,
            found => found,
        }
    }
}

impl<'de, M: serde::de::MapAccess<'de>> Fields<'de, M> {
    // Only the reads are generic over the field's type, and they are
    // short: every struct of a large client instantiates them.

    /// Records an error of the field `name` (the first error wins) and
    /// stops reading the input.
    fn fail(&mut self, name: &str, error: &dyn std::fmt::Display) {
        if self.error.is_none() {
            self.error = Some(serde::de::Error::custom(format_args!(
                "{}.{name}: {error}",
                self.ty
            )));
        }
        self.open = false;
    }

    /// Records an error of the input itself (bad JSON).
    fn broken(&mut self, error: M::Error) {
        if self.error.is_none() {
            self.error = Some(error);
        }
        self.open = false;
    }

    /// Finds member `name` (its first occurrence): among the members
    /// passed, else by reading on, keeping the members passed.
    fn find(&mut self, name: &str) -> Found {
        for (key, value) in &mut self.passed {
            if key.as_bytes() == name.as_bytes()
                && let Some(value) = value.take()
            {
                return Found::Passed(value);
            }
        }
        while self.open {
            match self.map.next_key_seed(KeyIs(name)) {
                Ok(Some(NextKey::Asked)) => return Found::Next,
                Ok(Some(NextKey::Other(key))) => match self.map.next_value::<Json>() {
                    Ok(value) => self.passed.push((key, Some(value))),
                    Err(error) => self.broken(error),
                },
                Ok(None) => self.open = false,
                Err(error) => self.broken(error),
            }
        }
        Found::Missing
    }

    /// The value of the member whose key was just read.
    fn next<T: serde::de::DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        match self.map.next_value::<T>() {
            Ok(value) => Some(value),
            Err(error) => {
                self.fail(name, &error);
                None
            }
        }
    }

    /// A member kept earlier, written back to text and parsed as a `T`,
    /// which compiles no decoder beyond the one reading from the input.
    fn passed<T: serde::de::DeserializeOwned>(&mut self, name: &str, value: &Json) -> Option<T> {
        let text = value.text();
        let mut reader = serde_json::Deserializer::from_str(&text);
        match T::deserialize(&mut reader) {
            Ok(value) => Some(value),
            Err(error) => {
                self.fail(name, &Reparsed(&error));
                None
            }
        }
    }

    /// A field that must be present: `None` (and an error) when it is
    /// missing or invalid.
    pub fn required<T: serde::de::DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        match self.find(name) {
            Found::Next => self.next(name),
            Found::Passed(value) => self.passed(name, &value),
            Found::Missing => {
                self.fail(name, &"missing field");
                None
            }
        }
    }

    /// A field that may be absent or `null`: both read as `None`.
    pub fn optional<T: serde::de::DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        match self.find(name).null_missing() {
            Found::Next => self.next::<Option<T>>(name).flatten(),
            Found::Passed(value) => self.passed(name, &value),
            Found::Missing => None,
        }
    }

    /// A field that may be absent, `null` or a value, kept apart.
    pub fn nullable<T: serde::de::DeserializeOwned>(&mut self, name: &str) -> Nullable<T> {
        match self.find(name) {
            Found::Next => self.next(name).unwrap_or(Nullable::Absent),
            Found::Passed(Json::Null) => Nullable::Null,
            Found::Passed(value) => self.passed(name, &value).map_or(Nullable::Absent, Nullable::Value),
            Found::Missing => Nullable::Absent,
        }
    }

    /// A field that servers may leave out (a write-only one): its default
    /// when absent.
    pub fn or_default<T: serde::de::DeserializeOwned + Default>(&mut self, name: &str) -> T {
        let value = match self.find(name) {
            Found::Next => self.next(name),
            Found::Passed(value) => self.passed(name, &value),
            Found::Missing => None,
        };
        value.unwrap_or_default()
    }

    /// Binary data that JSON carries as text.
    pub fn bytes(&mut self, name: &str) -> Option<Vec<u8>> {
        self.required::<String>(name).map(String::into_bytes)
    }

    /// [`bytes`](Self::bytes) that may be absent or `null`.
    pub fn optional_bytes(&mut self, name: &str) -> Option<Vec<u8>> {
        self.optional::<String>(name).map(String::into_bytes)
    }

    /// The members no field has taken: additional properties, or the
    /// unknown fields kept on request. Read after every field.
    pub fn rest<T: serde::de::DeserializeOwned>(
        &mut self,
        name: &str,
    ) -> std::collections::BTreeMap<String, T> {
        let mut rest = std::collections::BTreeMap::new();
        // The members passed all come before those still unread, so
        // later duplicates replace earlier ones as in one pass.
        for (key, value) in std::mem::take(&mut self.passed) {
            let Some(value) = value else { continue };
            let key = key.into_string();
            if let Some(value) = self.passed(&format!("{name}[{key:?}]"), &value) {
                rest.insert(key, value);
            }
        }
        while self.open {
            match self.map.next_key::<String>() {
                Ok(Some(key)) => {
                    if let Some(value) = self.next(&format!("{name}[{key:?}]")) {
                        rest.insert(key, value);
                    }
                }
                Ok(None) => self.open = false,
                Err(error) => self.broken(error),
            }
        }
        rest
    }

    /// Reads to the end of the object, skipping the members no field
    /// asked for: the first error, if any (there is one when `read` gave
    /// no value).
    fn close(mut self, no_value: bool) -> Option<M::Error> {
        while self.open {
            match self.map.next_key::<serde::de::IgnoredAny>() {
                Ok(Some(_)) => {
                    if let Err(error) = self.map.next_value::<serde::de::IgnoredAny>() {
                        self.broken(error);
                    }
                }
                Ok(None) => self.open = false,
                Err(error) => self.broken(error),
            }
        }
        if no_value && self.error.is_none() {
            self.error = Some(serde::de::Error::custom(format_args!(
                "{}: incomplete object",
                self.ty
            )));
        }
        self.error
    }
}

/// A member [`Fields`] passed on the way to another field, parsed and kept
/// until its field asks for it.
///
/// Not `serde_json::Value`: its objects are maps, which would lose the
/// order and the repeats of members that `rest` sees.
enum Json {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(Key, Json)>),
}

/// An object member's name. Names of up to 22 bytes (nearly all) are held
/// inline: reading an object then allocates nothing per member.
enum Key {
    Short(u8, [u8; 22]),
    Long(Box<str>),
}

impl Key {
    fn new(name: &str) -> Self {
        match u8::try_from(name.len()) {
            Ok(len @ 0..=22) => {
                let mut bytes = [0; 22];
                bytes[..name.len()].copy_from_slice(name.as_bytes());
                Key::Short(len, bytes)
            }
            _ => Key::Long(name.into()),
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Key::Short(len, bytes) => &bytes[..usize::from(*len)],
            Key::Long(name) => name.as_bytes(),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Made from a `&str` cut at its own length: always UTF-8.
            Key::Short(..) => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Key::Long(name) => name,
        }
    }

    fn into_string(self) -> String {
        match self {
            Key::Short(..) => self.as_str().to_owned(),
            Key::Long(name) => name.into_string(),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl serde::de::Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object member name")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key::new(v))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'de> serde::Deserialize<'de> for Json {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> serde::de::Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Json, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Json, E> {
        Ok(Json::I64(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Json, E> {
        Ok(Json::U64(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Json, E> {
        Ok(Json::F64(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Json, E> {
        Ok(Json::String(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Json, E> {
        Ok(Json::String(v))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<Json>()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(entry) = map.next_entry::<Key, Json>()? {
            members.push(entry);
        }
        Ok(Json::Object(members))
    }
}

impl serde::Serialize for Json {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(v) => serializer.serialize_bool(*v),
            Json::U64(v) => serializer.serialize_u64(*v),
            Json::I64(v) => serializer.serialize_i64(*v),
            Json::F64(v) => serializer.serialize_f64(*v),
            Json::String(v) => serializer.serialize_str(v),
            Json::Array(items) => serializer.collect_seq(items),
            Json::Object(members) => {
                serializer.collect_map(members.iter().map(|(key, value)| (key.as_str(), value)))
            }
        }
    }
}

// Every decode of a generated type goes through `serde_json::from_str`:
// a response body, an error body, a member kept by `Fields`, a union's
// alternative. The types' `Deserialize` code is then compiled for that one
// deserializer, not once more for each other source of data; a kept member
// or a union is written back to text first, which is rare and cheap next
// to compiling every type's decoder twice.

/// Decodes a JSON body.
pub fn decode_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, serde_json::Error> {
    match std::str::from_utf8(bytes) {
        Ok(text) => serde_json::from_str(text),
        Err(error) => Err(serde::de::Error::custom(format_args!(
            "the body is not UTF-8: {error}"
        ))),
    }
}

/// Decodes `value` (a union's data) as a `T`.
pub fn decode_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
) -> Result<T, serde_json::Error> {
    serde_json::from_str(&value.to_string())
        .map_err(|error| serde::de::Error::custom(Reparsed(&error)))
}

impl Json {
    /// The value as JSON text.
    fn text(&self) -> String {
        // Keys are strings and numbers finite: writing cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The message of an error met in text written back from parsed data:
/// without its line and column, which are in that text, not the input.
struct Reparsed<'e>(&'e serde_json::Error);

impl fmt::Display for Reparsed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.0.to_string();
        let place = format!(" at line {} column {}", self.0.line(), self.0.column());
        match message.strip_suffix(&place) {
            Some(bare) if self.0.line() > 0 => f.write_str(bare),
            _ => f.write_str(&message),
        }
    }
}

// ---------------------------------------------------------------------------
// Unions
// ---------------------------------------------------------------------------

/// The JSON kind of a union alternative.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonKind {
    /// An object.
    Object,
    /// An array.
    Array,
    /// A string.
    String,
    /// An integer.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false`.
    Boolean,
    /// Anything.
    Any,
}

/// What the data of one union alternative looks like, for choosing the
/// alternative that matches best.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Its JSON kind.
    pub kind: JsonKind,
    /// Whether `null` is one of its values.
    pub nullable: bool,
    /// Properties it requires (objects).
    pub required: &'static [&'static str],
    /// Properties it declares (objects).
    pub properties: &'static [&'static str],
    /// Properties whose values are string enums, with the known values.
    pub enums: &'static [(&'static str, &'static [&'static str])],
    /// Known values, when it is a string enum.
    pub values: &'static [&'static str],
}

impl Shape {
    /// A value of `kind` that only its kind describes.
    pub const fn kind(kind: JsonKind, nullable: bool) -> Self {
        Self {
            kind,
            nullable,
            required: &[],
            properties: &[],
            enums: &[],
            values: &[],
        }
    }

    /// An object with these required and declared properties, and these
    /// string-enum properties.
    pub const fn object(
        nullable: bool,
        required: &'static [&'static str],
        properties: &'static [&'static str],
        enums: &'static [(&'static str, &'static [&'static str])],
    ) -> Self {
        Self {
            kind: JsonKind::Object,
            nullable,
            required,
            properties,
            enums,
            values: &[],
        }
    }

    /// A string enum with these known values.
    pub const fn strings(nullable: bool, values: &'static [&'static str]) -> Self {
        Self {
            kind: JsonKind::String,
            nullable,
            required: &[],
            properties: &[],
            enums: &[],
            values,
        }
    }
}

/// How well `value` fits `shape`: `None` when it cannot be of that kind;
/// otherwise higher for more declared properties present, fewer unknown
/// enum values and no missing required property.
pub fn fit(value: &serde_json::Value, shape: &Shape) -> Option<i64> {
    use serde_json::Value;
    match (value, shape.kind) {
        (Value::Null, _) => shape.nullable.then_some(100),
        (_, JsonKind::Any) => Some(0),
        (Value::Object(map), JsonKind::Object) => {
            let mut score = 0i64;
            let mut matched = 0i64;
            for key in map.keys() {
                if shape.properties.contains(&key.as_str()) {
                    matched += 1;
                } else if !shape.properties.is_empty() {
                    score -= 1;
                }
            }
            // Declared properties present count most; among alternatives
            // that hold the same ones, the one declaring fewer others fits
            // better.
            score += 100 * matched - (shape.properties.len() as i64 - matched);
            for required in shape.required {
                if !map.contains_key(*required) {
                    score -= 10_000;
                }
            }
            for (property, known) in shape.enums {
                if let Some(Value::String(text)) = map.get(*property) {
                    score += if known.contains(&text.as_str()) {
                        50
                    } else {
                        -200
                    };
                }
            }
            Some(score)
        }
        (Value::Array(_), JsonKind::Array) => Some(10),
        (Value::String(text), JsonKind::String) => Some(match shape.values {
            [] => 10,
            known if known.contains(&text.as_str()) => 100,
            _ => -200,
        }),
        (Value::Number(number), JsonKind::Integer) => {
            (number.is_i64() || number.is_u64()).then_some(20)
        }
        (Value::Number(_), JsonKind::Number) => Some(10),
        (Value::Bool(_), JsonKind::Boolean) => Some(10),
        _ => None,
    }
}

/// The alternatives `value` may be, best match first (ties in the spec's
/// order).
pub fn best_matches(value: &serde_json::Value, shapes: &[Shape]) -> Vec<usize> {
    let mut scored: Vec<(i64, usize)> = shapes
        .iter()
        .enumerate()
        .filter_map(|(index, shape)| fit(value, shape).map(|score| (score, index)))
        .collect();
    scored.sort_by_key(|(score, index)| (std::cmp::Reverse(*score), *index));
    scored.into_iter().map(|(_, index)| index).collect()
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

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
    if let Some(min) = min
        && (value < min || (exclusive_min && value == min))
    {
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
    if let Some(max) = max
        && (value > max || (exclusive_max && value == max))
    {
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
    Ok(())
}

/// Validates each element of a list; a failure is named `path[index]`.
/// (The path is only formatted for a failure.)
pub fn validate_each<T: Validate>(path: &str, items: &[T]) -> Result<(), ValidationError> {
    for (index, item) in items.iter().enumerate() {
        item.validate()
            .map_err(|error| error.within(&format!("{path}[{index}]")))?;
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

// ---------------------------------------------------------------------------
// Parameter encoding
// ---------------------------------------------------------------------------

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
        value @ (serde_json::Value::Object(_) | serde_json::Value::Array(_))
            if style == Style::DeepObject =>
        {
            push_deep_object(query, name, &value);
        }
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
        serde_json::Value::Object(map) if explode => {
            query.extend(map.into_iter().map(|(key, item)| (key, scalar_text(&item))));
        }
        other => query.push((name.to_owned(), param_text(name, &other)?)),
    }
    Ok(())
}

/// `name[key]=value` pairs, nested objects as `name[a][b]`, lists as
/// repeated `name[key]`.
fn push_deep_object(query: &mut Vec<(String, String)>, name: &str, value: &serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map {
                push_deep_object(query, &format!("{name}[{key}]"), item);
            }
        }
        // Lists as `name[]=a&name[]=b`, lists of objects indexed
        // (`name[0][key]=v`): the convention of Rails, PHP and Stripe.
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                if item.is_object() || item.is_array() {
                    push_deep_object(query, &format!("{name}[{index}]"), item);
                } else {
                    push_deep_object(query, &format!("{name}[]"), item);
                }
            }
        }
        serde_json::Value::Null => {}
        other => query.push((name.to_owned(), scalar_text(other))),
    }
}

/// One path parameter, percent-encoded, in `style` (`simple`, `label` or
/// `matrix`). Encoding keeps `a/b?c#d` inside its segment. `.`, `..` and
/// empty values are refused: URL libraries resolve them away, and the
/// request would reach another endpoint.
pub fn path_segment<T: serde::Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Result<String, ValidationError> {
    let json =
        serde_json::to_value(value).map_err(|e| ValidationError::new(name, e.to_string()))?;
    let segment = match (&json, style) {
        (serde_json::Value::Array(_) | serde_json::Value::Object(_), _)
        | (_, Style::Label | Style::Matrix) => styled_segment(name, &json, style, explode),
        // The common case: one value, as it is.
        _ => {
            let text = match json {
                serde_json::Value::String(text) => text,
                other => scalar_text(&other),
            };
            // Most values need no escaping: kept as they are.
            if text
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || PATH_KEEPS.contains(&byte))
            {
                text
            } else {
                encode_path(&text)
            }
        }
    };
    match segment.as_str() {
        "" => Err(ValidationError::new(name, "must not be empty")),
        "." | ".." => Err(ValidationError::new(
            name,
            format!("must not be `{segment}`: it would change the request's path"),
        )),
        _ => Ok(segment),
    }
}

/// A path parameter that is a list or an object, or in `label` or
/// `matrix` style.
fn styled_segment(name: &str, json: &serde_json::Value, style: Style, explode: bool) -> String {
    let pieces: Vec<(Option<String>, String)> = match json {
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
    let encoded_name = encode_path(name);
    match style {
        Style::Label if explode => format!(".{}", join(".", "=")),
        Style::Label => format!(".{}", join(",", ",")),
        Style::Matrix if explode && is_object => format!(";{}", join(";", "=")),
        Style::Matrix if explode => pieces
            .iter()
            .map(|(_, v)| format!(";{encoded_name}={v}"))
            .collect(),
        Style::Matrix => format!(";{encoded_name}={}", join(",", ",")),
        _ if explode => join(",", "="),
        _ => join(",", ","),
    }
}

/// A header value from a parameter.
pub fn header_value<T: serde::Serialize + ?Sized>(
    field: &str,
    value: &T,
) -> Result<HeaderValue, ValidationError> {
    let text = param_text(field, value)?;
    HeaderValue::from_str(&text)
        .map_err(|_| ValidationError::new(field, "is not a valid HTTP header value"))
}

/// Percent-encodes one path segment: everything but RFC 3986 unreserved
/// characters, so `a/b?c#d` stays inside its segment.
pub fn encode_path(text: &str) -> String {
    encode_except(text, PATH_KEEPS)
}

/// The punctuation [`encode_path`] keeps.
const PATH_KEEPS: &[u8] = b"-._~";

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

// ---------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------

/// A request an operation has prepared: everything but the base URL, the
/// credentials' values and the client's settings, which [`execute`] adds.
#[derive(Debug)]
pub struct Request {
    method: reqwest::Method,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    cookies: Vec<String>,
    body: Option<(HeaderValue, Vec<u8>)>,
    credentials: &'static [usize],
}

impl Request {
    /// A request for `method` to `path` (literal text already encoded,
    /// with a `{name}` placeholder per path parameter); `credentials` are
    /// the indices of the client credentials that may authenticate it.
    pub fn new(method: reqwest::Method, path: &str, credentials: &'static [usize]) -> Self {
        Self {
            method,
            path: path.to_owned(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            credentials,
        }
    }

    /// Fills the path placeholder `{name}` with a parameter in `simple`
    /// style (the default for path parameters).
    pub fn path_param<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), ValidationError> {
        self.path_styled(name, value, Style::Simple, false)
    }

    /// Fills the path placeholder `{name}` with a parameter in `style`.
    pub fn path_styled<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Result<(), ValidationError> {
        let segment = path_segment(name, value, style, explode)?;
        // Each `{name}` placeholder becomes the segment, in place.
        let mut from = 0;
        while let Some(offset) = self.path[from..].find('{') {
            let start = from + offset;
            let after = &self.path[start + 1..];
            if after.strip_prefix(name).is_some_and(|rest| rest.starts_with('}')) {
                self.path.replace_range(start..start + name.len() + 2, &segment);
                from = start + segment.len();
            } else {
                from = start + 1;
            }
        }
        Ok(())
    }

    /// Adds a query parameter in `form` style, exploded (the default for
    /// query parameters).
    pub fn query<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), ValidationError> {
        push_query(&mut self.query, name, value, Style::Form, true)
    }

    /// Adds a query parameter in `style`.
    pub fn query_styled<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
    ) -> Result<(), ValidationError> {
        push_query(&mut self.query, name, value, style, explode)
    }

    /// Adds a header parameter.
    pub fn header<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), ValidationError> {
        let value = header_value(name, value)?;
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| ValidationError::new(name, "is not a valid HTTP header name"))?;
        self.headers.append(name, value);
        Ok(())
    }

    /// Adds a cookie parameter.
    pub fn cookie<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
    ) -> Result<(), ValidationError> {
        let text = param_text(name, value)?;
        self.cookies
            .push(format!("{name}={}", encode_cookie(&text)));
        Ok(())
    }

    /// Sets a JSON body.
    pub fn json<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
    ) -> Result<(), ValidationError> {
        let bytes = to_json(body).map_err(|e| ValidationError::new("body", e.to_string()))?;
        self.body = Some((HeaderValue::from_static(content_type), bytes));
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object,
    /// each property encoded as its `encoding` entry says (`form` and
    /// exploded when there is none).
    pub fn form<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
        encodings: &[(&str, Style, bool)],
    ) -> Result<(), ValidationError> {
        let json =
            serde_json::to_value(body).map_err(|e| ValidationError::new("body", e.to_string()))?;
        let mut pairs: Vec<(String, String)> = Vec::new();
        if let serde_json::Value::Object(map) = json {
            for (key, value) in map {
                let (style, explode) = encodings
                    .iter()
                    .find(|(name, _, _)| *name == key)
                    .map_or((Style::Form, true), |(_, style, explode)| {
                        (*style, *explode)
                    });
                match (&value, style) {
                    (serde_json::Value::Object(_), Style::Form) if !explode => {
                        pairs.push((key.clone(), param_text(&key, &value)?));
                    }
                    (serde_json::Value::Object(_), Style::Form) => {
                        // An exploded form object has no name of its own.
                        push_query(&mut pairs, &key, &value, Style::Form, true)?;
                    }
                    _ => push_query(&mut pairs, &key, &value, style, explode)?,
                }
            }
        }
        let encoded = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode_form(k), encode_form(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.body = Some((HeaderValue::from_static(content_type), encoded.into_bytes()));
        Ok(())
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(&mut self, form: Multipart) {
        let (content_type, bytes) = form.finish();
        self.body = Some((content_type, bytes));
    }

    /// Sets a body of raw bytes or text.
    pub fn bytes(&mut self, content_type: &'static str, bytes: Vec<u8>) {
        self.body = Some((HeaderValue::from_static(content_type), bytes));
    }
}

/// Percent-encodes a form field (`application/x-www-form-urlencoded`,
/// spaces as `%20`).
fn encode_form(text: &str) -> String {
    encode_except(text, b"-._~")
}

/// A `multipart/form-data` body, built in memory so that it can be sent
/// again on a retry or redirect.
#[derive(Debug, Default)]
pub struct Multipart {
    /// Each part's headers (without the boundary line) and content.
    parts: Vec<(String, Vec<u8>)>,
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a part holding `value`'s text (strings as they are, anything
    /// else as JSON); `None` and `null` add nothing, lists add one part
    /// per item (unless the part has its own content type).
    pub fn text<T: serde::Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        content_type: Option<&str>,
    ) -> Result<(), ValidationError> {
        let json =
            serde_json::to_value(value).map_err(|e| ValidationError::new(name, e.to_string()))?;
        match json {
            serde_json::Value::Null => {}
            serde_json::Value::Array(items) if content_type.is_none() => {
                for item in items {
                    self.part(name, None, content_type, scalar_or_json(&item).into_bytes());
                }
            }
            other => self.part(
                name,
                None,
                content_type,
                scalar_or_json(&other).into_bytes(),
            ),
        }
        Ok(())
    }

    /// Adds a file part named after its field.
    pub fn file(&mut self, name: &str, content_type: Option<&str>, bytes: &[u8]) {
        self.part(
            name,
            Some(name),
            Some(content_type.unwrap_or("application/octet-stream")),
            bytes.to_vec(),
        );
    }

    /// Adds every property of an object as a text part.
    pub fn object<T: serde::Serialize + ?Sized>(
        &mut self,
        body: &T,
    ) -> Result<(), ValidationError> {
        let json =
            serde_json::to_value(body).map_err(|e| ValidationError::new("body", e.to_string()))?;
        if let serde_json::Value::Object(map) = json {
            for (key, value) in map {
                self.text(&key, &value, None)?;
            }
        }
        Ok(())
    }

    fn part(
        &mut self,
        name: &str,
        file_name: Option<&str>,
        content_type: Option<&str>,
        body: Vec<u8>,
    ) {
        let quote = |text: &str| text.replace(['"', '\r', '\n'], "_");
        let mut head = format!("Content-Disposition: form-data; name=\"{}\"", quote(name));
        if let Some(file_name) = file_name {
            head.push_str(&format!("; filename=\"{}\"", quote(file_name)));
        }
        head.push_str("\r\n");
        if let Some(content_type) = content_type {
            head.push_str(&format!("Content-Type: {}\r\n", quote(content_type)));
        }
        self.parts.push((head, body));
    }

    /// The content type (with the boundary) and the encoded body. The
    /// boundary is one that no part contains.
    fn finish(self) -> (HeaderValue, Vec<u8>) {
        let mut boundary = format!("----rust-client-{:016x}", random_u64());
        while self
            .parts
            .iter()
            .any(|(head, body)| contains(body, boundary.as_bytes()) || head.contains(&boundary))
        {
            boundary = format!("----rust-client-{:016x}", random_u64());
        }
        let mut bytes = Vec::new();
        for (head, body) in &self.parts {
            bytes.extend_from_slice(format!("--{boundary}\r\n{head}\r\n").as_bytes());
            bytes.extend_from_slice(body);
            bytes.extend_from_slice(b"\r\n");
        }
        bytes.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type =
            HeaderValue::from_str(&format!("multipart/form-data; boundary={boundary}"))
                .unwrap_or_else(|_| HeaderValue::from_static("multipart/form-data"));
        (content_type, bytes)
    }
}

fn scalar_or_json(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

// ---------------------------------------------------------------------------
// Client configuration
// ---------------------------------------------------------------------------

/// When a request is sent again after a failure.
///
/// The default retries twice (three attempts in all), with exponential
/// backoff from 500 ms up to 8 s and jitter, honouring `Retry-After` up to
/// 60 s, on connection failures, timeouts and status 408, 429, 502, 503
/// and 504. Idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS, TRACE)
/// are retried on all of these; POST and PATCH only when the request
/// cannot have reached the server (the connection failed), unless the
/// request is marked idempotent (`.idempotent(true)`) or carries an
/// `Idempotency-Key` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt; `0` switches retrying off.
    pub max_retries: u32,
    /// Wait before the first retry; doubled for each later one.
    pub initial_backoff: Duration,
    /// Longest wait between attempts (backoff or `Retry-After`).
    pub max_backoff: Duration,
    /// Longest `Retry-After` honoured; a server that asks for more gets
    /// its error back instead of a retry.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }
}

/// Which redirects the client follows.
///
/// Credentials (the `Authorization` header, API keys in headers, query
/// parameters or cookies, and cookies in general) are only ever sent to
/// the origin (scheme, host and port) of the client's base URL, whatever
/// the policy; no `Referer` is sent.
#[derive(Clone, Default)]
pub enum RedirectPolicy {
    /// Follow none: a 3xx response is returned as it is.
    None,
    /// Follow redirects to the same origin, at most 5 hops (the default).
    #[default]
    SameOrigin,
    /// Follow when the function, given the current and the next URL,
    /// says so (at most 10 hops). Credentials still stay with their
    /// origin.
    Custom(Arc<RedirectDecision>),
}

/// Decides whether to follow a redirect from the first URL to the second.
pub type RedirectDecision = dyn Fn(&reqwest::Url, &reqwest::Url) -> bool + Send + Sync;

impl fmt::Debug for RedirectPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RedirectPolicy::None => "None",
            RedirectPolicy::SameOrigin => "SameOrigin",
            RedirectPolicy::Custom(_) => "Custom(..)",
        })
    }
}

/// A cross-cutting hook around every attempt: tracing, metrics, refreshing
/// a token, adding headers. Both methods default to doing nothing.
pub trait Hook: Send + Sync {
    /// Called before each attempt (retries and redirects included) with the
    /// request about to be sent; may change it, or fail the call.
    fn on_request<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> Pin<Box<dyn Future<Output = Result<(), ValidationError>> + Send + 'a>> {
        let _ = request;
        Box::pin(std::future::ready(Ok(())))
    }

    /// Called after each attempt with its outcome: the response status or
    /// the transport error, the attempt number (from 1) and its duration.
    fn on_response(
        &self,
        outcome: Result<reqwest::StatusCode, &TransportError>,
        attempt: u32,
        elapsed: Duration,
    ) {
        let _ = (outcome, attempt, elapsed);
    }
}

/// Where a credential travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialPlace {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// A header of this name.
    Header(&'static str),
    /// A query parameter of this name.
    Query(&'static str),
    /// A cookie of this name.
    Cookie(&'static str),
}

/// A credential slot of a client: where it travels, and its value once set.
#[derive(Clone, Debug)]
pub struct Credential {
    /// Where it travels.
    pub place: CredentialPlace,
    /// The builder method that sets it (named in errors).
    pub setter: &'static str,
    /// The value, when set.
    pub value: Option<Secret>,
}

impl Credential {
    /// An empty slot.
    pub const fn new(place: CredentialPlace, setter: &'static str) -> Self {
        Self {
            place,
            setter,
            value: None,
        }
    }

    /// Sets a basic-auth credential.
    pub fn set_basic(&mut self, username: &str, password: &str) {
        self.value = Some(Secret::new(base64(
            format!("{username}:{password}").as_bytes(),
        )));
    }

    /// Checks that the value can be sent, without showing it.
    fn check(&self) -> Result<(), ValidationError> {
        let Some(value) = &self.value else {
            return Ok(());
        };
        let text = match self.place {
            CredentialPlace::Bearer => format!("Bearer {}", value.expose()),
            CredentialPlace::Basic => format!("Basic {}", value.expose()),
            CredentialPlace::Header(_) => value.expose().to_owned(),
            CredentialPlace::Query(_) | CredentialPlace::Cookie(_) => return Ok(()),
        };
        HeaderValue::from_str(&text).map(|_| ()).map_err(|_| {
            ValidationError::new(
                self.setter,
                "is not a valid HTTP header value (control characters, such as a trailing newline?)",
            )
        })
    }
}

/// Default connect timeout.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default timeout of one attempt, from sending until the whole response
/// is read.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
/// Default limit on the size of a response body.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 32 * 1024 * 1024;

/// Everything a client needs to send: shared by its clones.
pub struct Config {
    /// The server, without a trailing slash.
    pub base_url: String,
    /// The HTTP client (its own redirects off: [`execute`] follows them).
    pub http: reqwest::Client,
    /// Timeout of one attempt; `None`: no limit.
    pub timeout: Option<Duration>,
    /// Retries.
    pub retry: RetryPolicy,
    /// Redirects.
    pub redirects: RedirectPolicy,
    /// Largest response body read.
    pub max_response_bytes: usize,
    /// Headers sent with every request (`User-Agent` among them).
    pub headers: HeaderMap,
    /// Credential slots.
    pub credentials: Vec<Credential>,
    /// The hook, if any.
    pub hook: Option<Arc<dyn Hook>>,
    /// Wire names of the fields the spec marks as secret: redacted in
    /// error messages.
    pub secret_fields: &'static [&'static str],
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("redirects", &self.redirects)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("credentials", &self.credentials)
            .field("hook", &self.hook.as_ref().map(|_| ".."))
            .finish()
    }
}

/// The settings a [`Config`] is built from: what the generated
/// `ClientBuilder` collects.
#[derive(Clone)]
pub struct Settings {
    /// The server.
    pub base_url: String,
    /// An HTTP client to use instead of building one.
    pub http: Option<reqwest::Client>,
    /// Connect timeout (only used when the client builds its own HTTP
    /// client); `None`: no limit.
    pub connect_timeout: Option<Duration>,
    /// Timeout of one attempt; `None`: no limit.
    pub timeout: Option<Duration>,
    /// Retries.
    pub retry: RetryPolicy,
    /// Redirects.
    pub redirects: RedirectPolicy,
    /// Largest response body read.
    pub max_response_bytes: usize,
    /// `User-Agent`.
    pub user_agent: String,
    /// Headers sent with every request.
    pub headers: Vec<(String, String)>,
    /// Credential slots.
    pub credentials: Vec<Credential>,
    /// The hook.
    pub hook: Option<Arc<dyn Hook>>,
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("base_url", &self.base_url)
            .field("connect_timeout", &self.connect_timeout)
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("redirects", &self.redirects)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("user_agent", &self.user_agent)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Defaults for a client of `base_url` with these credential slots.
    pub fn new(base_url: String, user_agent: &str, credentials: Vec<Credential>) -> Self {
        Self {
            base_url,
            http: None,
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            timeout: Some(DEFAULT_TIMEOUT),
            retry: RetryPolicy::default(),
            redirects: RedirectPolicy::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent: user_agent.to_owned(),
            headers: Vec::new(),
            credentials,
            hook: None,
        }
    }

    /// Sets the value of credential slot `index`.
    pub fn set_credential(&mut self, index: usize, value: String) {
        if let Some(slot) = self.credentials.get_mut(index) {
            slot.value = Some(Secret::new(value));
        }
    }

    /// Sets the basic-auth credential of slot `index`.
    pub fn set_basic(&mut self, index: usize, username: &str, password: &str) {
        if let Some(slot) = self.credentials.get_mut(index) {
            slot.set_basic(username, password);
        }
    }

    /// Checks the settings and builds the client's [`Config`]: a base URL
    /// that parses, credentials and headers that can be sent.
    pub fn build(self, secret_fields: &'static [&'static str]) -> Result<Config, ValidationError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        if base_url.is_empty() {
            return Err(ValidationError::new("base_url", "no base URL set"));
        }
        reqwest::Url::parse(&base_url)
            .map_err(|e| ValidationError::new("base_url", format!("is not a valid URL: {e}")))?;
        for credential in &self.credentials {
            credential.check()?;
        }
        let mut headers = HeaderMap::new();
        let agent = HeaderValue::from_str(&self.user_agent)
            .map_err(|_| ValidationError::new("user_agent", "is not a valid HTTP header value"))?;
        headers.insert(reqwest::header::USER_AGENT, agent);
        for (name, value) in &self.headers {
            let (name, value) = checked_header(name, value)?;
            headers.append(name, value);
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .referer(false);
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(|e| {
                    ValidationError::new("http_client", TransportError::from_reqwest(e).message)
                })?
            }
        };
        Ok(Config {
            base_url,
            http,
            timeout: self.timeout,
            retry: self.retry,
            redirects: self.redirects,
            max_response_bytes: self.max_response_bytes,
            headers,
            credentials: self.credentials,
            hook: self.hook,
            secret_fields,
        })
    }
}

/// A header name and value checked for sending.
pub fn checked_header(
    name: &str,
    value: &str,
) -> Result<(HeaderName, HeaderValue), ValidationError> {
    let header_name = HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| ValidationError::new(name, "is not a valid HTTP header name"))?;
    let header_value = HeaderValue::from_str(value)
        .map_err(|_| ValidationError::new(name, "is not a valid HTTP header value"))?;
    Ok((header_name, header_value))
}

/// Per-request settings, set on an operation's request builder.
#[derive(Debug, Default, Clone)]
pub struct RequestOptions {
    /// Overrides the client's timeout (`Some(None)`: no limit).
    pub timeout: Option<Option<Duration>>,
    /// Overrides the client's number of retries.
    pub max_retries: Option<u32>,
    /// Marks a POST or PATCH as safe to retry.
    pub idempotent: Option<bool>,
    /// Extra headers.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// A header that could not be added, reported when sending.
    pub invalid_header: Option<ValidationError>,
}

impl RequestOptions {
    /// Adds a header, or remembers why it cannot be sent.
    pub fn add_header(&mut self, name: &str, value: &str) {
        match checked_header(name, value) {
            Ok(pair) => self.headers.push(pair),
            Err(error) => {
                self.invalid_header.get_or_insert(error);
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Sending
// ---------------------------------------------------------------------------

/// A response as read from the wire, body included (up to the limit).
#[derive(Debug)]
pub struct RawResponse {
    /// The status.
    pub status: reqwest::StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Vec<u8>,
    secret_fields: &'static [&'static str],
}

impl RawResponse {
    /// Decodes a JSON body.
    pub fn json<T: serde::de::DeserializeOwned, E>(self) -> Result<Response<T>, Error<E>> {
        // An empty body reads as `null`, so `Option` bodies decode.
        let bytes: &[u8] = if self.body.iter().all(u8::is_ascii_whitespace) {
            b"null"
        } else {
            &self.body
        };
        match decode_json(bytes) {
            Ok(body) => Ok(self.with(body)),
            Err(source) => Err(Error::Decode(Box::new(DecodeError {
                status: self.status,
                body: String::from_utf8_lossy(&self.body).into_owned(),
                source,
                secret_fields: self.secret_fields,
            }))),
        }
    }

    /// The body as text (lossily UTF-8).
    pub fn text<E>(self) -> Result<Response<String>, Error<E>> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        Ok(self.with(text))
    }

    /// The body's bytes.
    pub fn bytes<E>(mut self) -> Result<Response<Vec<u8>>, Error<E>> {
        let bytes = std::mem::take(&mut self.body);
        Ok(self.with(bytes))
    }

    /// Nothing: the response has no content.
    pub fn empty<E>(self) -> Result<Response<()>, Error<E>> {
        Ok(self.with(()))
    }

    /// An [`Error::Api`] whose body, when it matches, is an `E`.
    pub fn error<E: serde::de::DeserializeOwned>(self) -> Error<E> {
        self.api_error(decode_json)
    }

    /// An [`Error::Api`] whose body, when it matches, is a `T` in the
    /// variant `wrap` of the operation's error enum.
    pub fn error_as<T: serde::de::DeserializeOwned, E>(self, wrap: fn(T) -> E) -> Error<E> {
        match decode_json::<T>(&self.body) {
            Ok(body) => self.api_error_body(ErrorBody::Typed(wrap(body))),
            Err(_) => self.api_error_text(),
        }
    }

    /// Like [`error_as`](Self::error_as), for a variant holding a `Box<T>`.
    pub fn error_boxed<T: serde::de::DeserializeOwned, E>(self, wrap: fn(Box<T>) -> E) -> Error<E> {
        match decode_json::<T>(&self.body) {
            Ok(body) => self.api_error_body(ErrorBody::Typed(wrap(Box::new(body)))),
            Err(_) => self.api_error_text(),
        }
    }

    fn api_error_text<E>(self) -> Error<E> {
        let text = String::from_utf8_lossy(&self.body).into_owned();
        self.api_error_body(ErrorBody::Text(text))
    }

    fn api_error_body<E>(self, body: ErrorBody<E>) -> Error<E> {
        Error::Api(Box::new(ApiError {
            status: self.status,
            headers: self.headers,
            body,
            text: String::from_utf8_lossy(&self.body).into_owned(),
            secret_fields: self.secret_fields,
        }))
    }

    /// An [`Error::Api`] for this response, its body decoded with
    /// `decode` when it matches.
    pub fn api_error<E>(self, decode: fn(&[u8]) -> Result<E, serde_json::Error>) -> Error<E> {
        let body = match decode(&self.body) {
            Ok(typed) => ErrorBody::Typed(typed),
            Err(_) => ErrorBody::Text(String::from_utf8_lossy(&self.body).into_owned()),
        };
        Error::Api(Box::new(ApiError {
            status: self.status,
            headers: self.headers,
            body,
            text: String::from_utf8_lossy(&self.body).into_owned(),
            secret_fields: self.secret_fields,
        }))
    }

    fn with<T>(self, body: T) -> Response<T> {
        Response {
            status: self.status,
            headers: self.headers,
            body,
        }
    }
}

/// A successful response: its status and headers beside the decoded body.
#[derive(Debug, Clone)]
pub struct Response<T> {
    /// The status.
    pub status: reqwest::StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The decoded body.
    pub body: T,
}

impl<T> Response<T> {
    /// The decoded body.
    pub fn into_body(self) -> T {
        self.body
    }

    /// The same response with its body transformed.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            status: self.status,
            headers: self.headers,
            body: f(self.body),
        }
    }
}

/// An operation's result with the response's status and headers.
pub type Decoded<T, E> = Result<Response<T>, Error<E>>;

/// Decodes a [`RawResponse`] into an operation's result.
pub type Decoder<T, E> = fn(RawResponse) -> Decoded<T, E>;

/// The future of a sent request: the shared, non-generic [`execute`], then
/// the operation's decoder.
pub struct Call<'a, T, E> {
    state: CallState<'a, T, E>,
}

enum CallState<'a, T, E> {
    Failed(Option<Error<E>>),
    Sending {
        future: Pin<Box<dyn Future<Output = Result<RawResponse, TransportError>> + Send + 'a>>,
        decode: Decoder<T, E>,
    },
}

impl<'a, T, E> Call<'a, T, E> {
    /// Sends `request` (or fails with its error) through `config`.
    pub fn new(
        config: &'a Config,
        request: Result<Request, ValidationError>,
        mut options: RequestOptions,
        decode: Decoder<T, E>,
    ) -> Self {
        let request = match options.invalid_header.take() {
            Some(error) => Err(error),
            None => request,
        };
        let state = match request {
            Ok(request) => CallState::Sending {
                future: Box::pin(execute(config, request, options)),
                decode,
            },
            Err(error) => CallState::Failed(Some(Error::Validation(error))),
        };
        Self { state }
    }
}

impl<T, E> Future for Call<'_, T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let this = self.get_mut();
        match &mut this.state {
            CallState::Failed(error) => {
                std::task::Poll::Ready(Err(error.take().unwrap_or_else(|| {
                    Error::Validation(ValidationError::new("", "polled after completion"))
                })))
            }
            CallState::Sending { future, decode } => match future.as_mut().poll(cx) {
                std::task::Poll::Pending => std::task::Poll::Pending,
                std::task::Poll::Ready(Ok(raw)) => std::task::Poll::Ready(decode(raw)),
                std::task::Poll::Ready(Err(error)) => {
                    std::task::Poll::Ready(Err(Error::Transport(error)))
                }
            },
        }
    }
}

/// [`Call`] without the response's status and headers: what awaiting a
/// request builder gives.
pub struct Body<'a, T, E>(Call<'a, T, E>);

impl<'a, T, E> Body<'a, T, E> {
    /// The body of `call`'s response.
    pub fn new(call: Call<'a, T, E>) -> Self {
        Self(call)
    }
}

impl<T, E> Future for Body<'_, T, E> {
    type Output = Result<T, Error<E>>;

    fn poll(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        Pin::new(&mut self.get_mut().0)
            .poll(cx)
            .map(|result| result.map(Response::into_body))
    }
}

/// An operation's arguments: how they become a request, and how the
/// response becomes the operation's result. Generated for every operation.
pub trait Operation {
    /// The success value.
    type Output;
    /// The body of error responses.
    type Error;
    /// The operation's name (shown by `Debug`, which never shows arguments).
    const NAME: &'static str;
    /// Checks the arguments and describes the request.
    fn prepare(&self) -> Result<Request, ValidationError>;
    /// Turns the response into the operation's result.
    fn decode(raw: RawResponse) -> Decoded<Self::Output, Self::Error>;
}

/// A request ready to send: an operation's arguments and this call's
/// options. Set optional parameters and options, then `.await` it (or
/// call [`send_with_response`](Self::send_with_response) for the status
/// and headers too). Nothing is sent until then.
#[must_use = "a request does nothing until it is awaited"]
pub struct Pending<'a, O> {
    config: &'a Config,
    args: O,
    options: RequestOptions,
}

impl<'a, O: Operation> Pending<'a, O> {
    /// A request with `args`, sent through `config`.
    pub fn new(config: &'a Config, args: O) -> Self {
        Self {
            config,
            args,
            options: RequestOptions::default(),
        }
    }

    /// The arguments, for setters of optional parameters.
    pub fn args_mut(&mut self) -> &mut O {
        &mut self.args
    }

    /// Overrides the client's timeout for this request (`None`: no limit).
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> Self {
        self.options.timeout = Some(timeout.into());
        self
    }

    /// Overrides the client's number of retries for this request (`0`:
    /// none).
    pub fn retries(mut self, max_retries: u32) -> Self {
        self.options.max_retries = Some(max_retries);
        self
    }

    /// Marks the request as safe (or unsafe) to send twice, which decides
    /// whether it is retried after a timeout or a retryable status. Without
    /// it, GET, HEAD, PUT, DELETE, OPTIONS and TRACE are, and POST and
    /// PATCH are when they carry an `Idempotency-Key` header.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.options.idempotent = Some(idempotent);
        self
    }

    /// Adds a header to this request (an invalid one fails the call
    /// without sending anything).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.options.add_header(name, value);
        self
    }

    /// Sends the request and decodes the response, keeping its status and
    /// headers.
    pub fn send_with_response(self) -> Call<'a, O::Output, O::Error> {
        let request = self.args.prepare();
        Call::new(self.config, request, self.options, O::decode)
    }

    /// Sends the request and decodes the response (what `.await` does).
    pub fn send(self) -> Body<'a, O::Output, O::Error> {
        Body::new(self.send_with_response())
    }
}

impl<'a, O: Operation> std::future::IntoFuture for Pending<'a, O> {
    type Output = Result<O::Output, Error<O::Error>>;
    type IntoFuture = Body<'a, O::Output, O::Error>;

    fn into_future(self) -> Self::IntoFuture {
        self.send()
    }
}

impl<O: Operation> fmt::Debug for Pending<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Arguments may hold secrets: only the operation is shown.
        f.debug_struct(O::NAME).finish_non_exhaustive()
    }
}

/// Whether a status is worth retrying.
fn retryable_status(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

/// Sends a prepared request: applies the client's headers and
/// credentials, follows redirects as the policy allows (credentials only
/// to the base URL's origin), retries as the retry policy allows, bounds
/// each attempt by the timeout and the body by the size limit. The one
/// function every operation sends through.
pub async fn execute(
    config: &Config,
    mut request: Request,
    options: RequestOptions,
) -> Result<RawResponse, TransportError> {
    let mut url = build_url(&config.base_url, &request)?;
    // The base URL's origin, where credentials may go: taken from the
    // first URL at the first redirect (until then, the URL is on it).
    let mut origin = None;
    let timeout = options.timeout.unwrap_or(config.timeout);
    let max_retries = options.max_retries.unwrap_or(config.retry.max_retries);
    let idempotent = options.idempotent.unwrap_or_else(|| {
        request.method == reqwest::Method::GET
            || request.method == reqwest::Method::HEAD
            || request.method == reqwest::Method::PUT
            || request.method == reqwest::Method::DELETE
            || request.method == reqwest::Method::OPTIONS
            || request.method == reqwest::Method::TRACE
            || request.headers.contains_key("idempotency-key")
            || options
                .headers
                .iter()
                .any(|(name, _)| name.as_str() == "idempotency-key")
    });
    let mut method = request.method.clone();
    let mut body = request.body.take();
    let mut attempt: u32 = 0;
    let mut hops = 0;
    loop {
        attempt += 1;
        let same_origin = origin.as_ref().is_none_or(|origin| url.origin() == *origin);
        let outgoing = outgoing_request(
            config,
            &request,
            &options,
            &method,
            &url,
            body.as_ref(),
            same_origin,
        )?;
        let outgoing = match &config.hook {
            Some(hook) => {
                let mut outgoing = outgoing;
                hook.on_request(&mut outgoing)
                    .await
                    .map_err(|e| TransportError::new(TransportKind::Other, e.to_string()))?;
                outgoing
            }
            None => outgoing,
        };
        let started = config.hook.as_ref().map(|_| std::time::Instant::now());
        let result = attempt_once(config, outgoing, timeout).await;
        if let (Some(hook), Some(started)) = (&config.hook, started) {
            hook.on_response(
                result.as_ref().map(|r| r.status),
                attempt,
                started.elapsed(),
            );
        }
        let retry_wait = match &result {
            Ok(response) if response.status.is_redirection() => {
                if let Some(next) = redirect_target(config, &url, response, hops)? {
                    hops += 1;
                    origin.get_or_insert_with(|| url.origin());
                    let status = response.status.as_u16();
                    if status == 303
                        || (matches!(status, 301 | 302) && method == reqwest::Method::POST)
                    {
                        method = reqwest::Method::GET;
                        body = None;
                    }
                    url = next;
                    attempt -= 1;
                    continue;
                }
                None
            }
            Ok(response) if retryable_status(response.status) && idempotent => {
                match retry_after(&response.headers) {
                    // Longer than the policy allows: the caller decides.
                    Some(wait) if wait > config.retry.max_retry_after => None,
                    Some(wait) => Some(wait.min(config.retry.max_retry_after)),
                    None => Some(backoff(&config.retry, attempt)),
                }
            }
            // A request whose connection failed cannot have reached the
            // server: safe to send again, whatever its method.
            Err(error) if error.kind == TransportKind::Connect => {
                Some(backoff(&config.retry, attempt))
            }
            Err(error)
                if idempotent
                    && matches!(
                        error.kind,
                        TransportKind::Timeout | TransportKind::Body | TransportKind::Other
                    ) =>
            {
                Some(backoff(&config.retry, attempt))
            }
            _ => None,
        };
        match retry_wait {
            Some(wait) if attempt <= max_retries => tokio::time::sleep(wait).await,
            _ => return result,
        }
    }
}

/// The full URL of a request: base URL, path and query.
fn build_url(base_url: &str, request: &Request) -> Result<reqwest::Url, TransportError> {
    let mut text = format!("{base_url}{}", request.path);
    for (index, (key, value)) in request.query.iter().enumerate() {
        text.push(if index == 0 { '?' } else { '&' });
        text.push_str(&encode_form(key));
        text.push('=');
        text.push_str(&encode_form(value));
    }
    reqwest::Url::parse(&text)
        .map_err(|e| TransportError::new(TransportKind::Other, format!("invalid URL: {e}")))
}

/// One attempt's `reqwest::Request`: the client's headers, the operation's
/// headers, cookies and body, the caller's headers, and the credentials
/// when the URL is still on the base URL's origin.
fn outgoing_request(
    config: &Config,
    request: &Request,
    options: &RequestOptions,
    method: &reqwest::Method,
    url: &reqwest::Url,
    body: Option<&(HeaderValue, Vec<u8>)>,
    same_origin: bool,
) -> Result<reqwest::Request, TransportError> {
    let mut url = url.clone();
    let mut headers = HeaderMap::new();
    // The caller's headers (client-wide and per request) might hold
    // credentials too: those never leave the origin.
    let keep = |name: &HeaderName| {
        same_origin
            || !matches!(
                name.as_str(),
                "authorization" | "cookie" | "proxy-authorization"
            )
    };
    for (name, value) in &config.headers {
        if keep(name) {
            headers.append(name.clone(), value.clone());
        }
    }
    for (name, value) in &request.headers {
        headers.append(name.clone(), value.clone());
    }
    for (name, value) in &options.headers {
        if keep(name) {
            headers.append(name.clone(), value.clone());
        }
    }
    let mut cookies: Vec<String> = if same_origin {
        request.cookies.clone()
    } else {
        Vec::new()
    };
    if same_origin {
        for index in request.credentials {
            let Some(credential) = config.credentials.get(*index) else {
                continue;
            };
            let Some(secret) = &credential.value else {
                continue;
            };
            let sensitive = |text: &str| -> Result<HeaderValue, TransportError> {
                let mut value = HeaderValue::from_str(text).map_err(|_| {
                    TransportError::new(
                        TransportKind::Other,
                        format!(
                            "the `{}` credential is not a valid header value",
                            credential.setter
                        ),
                    )
                })?;
                value.set_sensitive(true);
                Ok(value)
            };
            match credential.place {
                CredentialPlace::Bearer => {
                    let value = sensitive(&format!("Bearer {}", secret.expose()))?;
                    headers.insert(reqwest::header::AUTHORIZATION, value);
                }
                CredentialPlace::Basic => {
                    let value = sensitive(&format!("Basic {}", secret.expose()))?;
                    headers.insert(reqwest::header::AUTHORIZATION, value);
                }
                CredentialPlace::Header(name) => {
                    let value = sensitive(secret.expose())?;
                    if let Ok(name) = HeaderName::from_bytes(name.as_bytes()) {
                        headers.insert(name, value);
                    }
                }
                CredentialPlace::Query(name) => {
                    url.query_pairs_mut().append_pair(name, secret.expose());
                }
                CredentialPlace::Cookie(name) => {
                    cookies.push(format!("{name}={}", encode_cookie(secret.expose())));
                }
            }
        }
    }
    if !cookies.is_empty() {
        let mut value = HeaderValue::from_str(&cookies.join("; ")).map_err(|_| {
            TransportError::new(TransportKind::Other, "a cookie is not a valid header value")
        })?;
        value.set_sensitive(true);
        headers.insert(reqwest::header::COOKIE, value);
    }
    let mut outgoing = reqwest::Request::new(method.clone(), url);
    if let Some((content_type, bytes)) = body {
        headers.insert(reqwest::header::CONTENT_TYPE, content_type.clone());
        *outgoing.body_mut() = Some(reqwest::Body::from(bytes.clone()));
    }
    *outgoing.headers_mut() = headers;
    Ok(outgoing)
}

/// Sends one request and reads its body, within `timeout` and the size
/// limit.
async fn attempt_once(
    config: &Config,
    request: reqwest::Request,
    timeout: Option<Duration>,
) -> Result<RawResponse, TransportError> {
    let work = async {
        let mut response = config
            .http
            .execute(request)
            .await
            .map_err(TransportError::from_reqwest)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        let limit = config.max_response_bytes;
        if let Some(length) = response.content_length()
            && length > limit as u64
        {
            return Err(too_large(limit, Some(length)));
        }
        let expected = response.content_length().unwrap_or(0);
        let mut body = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(TransportError::from_reqwest)?
        {
            if body.len() + chunk.len() > limit {
                return Err(too_large(limit, None));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(RawResponse {
            status,
            headers,
            body,
            secret_fields: config.secret_fields,
        })
    };
    match timeout {
        Some(timeout) => tokio::time::timeout(timeout, work)
            .await
            .unwrap_or_else(|_| {
                Err(TransportError::new(
                    TransportKind::Timeout,
                    format!("no complete response within {timeout:?}"),
                ))
            }),
        None => work.await,
    }
}

fn too_large(limit: usize, length: Option<u64>) -> TransportError {
    let size = length.map_or_else(|| "more".to_owned(), |l| format!("{l} bytes"));
    TransportError::new(
        TransportKind::BodyTooLarge,
        format!(
            "the body has {size}, over the limit of {limit} bytes (ClientBuilder::max_response_bytes)"
        ),
    )
}

/// Where a redirect response leads, when the policy follows it.
fn redirect_target(
    config: &Config,
    current: &reqwest::Url,
    response: &RawResponse,
    hops: usize,
) -> Result<Option<reqwest::Url>, TransportError> {
    if !matches!(response.status.as_u16(), 301 | 302 | 303 | 307 | 308) {
        return Ok(None);
    }
    let Some(location) = response
        .headers
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(None);
    };
    let Ok(next) = current.join(location) else {
        return Ok(None);
    };
    let (follow, max_hops) = match &config.redirects {
        RedirectPolicy::None => (false, 0),
        RedirectPolicy::SameOrigin => (next.origin() == current.origin(), 5),
        RedirectPolicy::Custom(decide) => (decide(current, &next), 10),
    };
    if !follow {
        return Ok(None);
    }
    if hops >= max_hops {
        return Err(TransportError::new(
            TransportKind::Redirect,
            format!("more than {max_hops} redirects"),
        ));
    }
    Ok(Some(next))
}

/// The backoff before retry number `attempt` (1 for the first): doubling
/// from the initial wait, capped, with jitter of up to a quarter either way.
fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let base = policy
        .initial_backoff
        .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
        .min(policy.max_backoff);
    let quarter = base / 4;
    let jitter = Duration::from_nanos(random_u64() % (quarter.as_nanos() as u64 * 2 + 1));
    (base - quarter + jitter).min(policy.max_backoff)
}

/// The wait a `Retry-After` header asks for (seconds or an HTTP date);
/// `None` when there is none or it does not parse.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    match text.parse::<u64>() {
        Ok(seconds) => Some(Duration::from_secs(seconds)),
        Err(_) => {
            let at = parse_http_date(text)?;
            Some(at.duration_since(SystemTime::now()).unwrap_or_default())
        }
    }
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`).
fn parse_http_date(text: &str) -> Option<SystemTime> {
    let mut parts = text.split_whitespace();
    let _weekday = parts.next()?;
    let day: u64 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: u64 = parts.next()?.parse().ok()?;
    let mut clock = parts.next()?.split(':').map(|p| p.parse::<u64>().ok());
    let (hour, minute, second) = (clock.next()??, clock.next()??, clock.next()??);
    if parts.next()? != "GMT" || year < 1970 || !(1..=31).contains(&day) {
        return None;
    }
    // Days since the epoch (civil calendar, after Howard Hinnant).
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y / 400;
    let year_of_era = y - era * 400;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

/// A pseudo-random number for jitter and multipart boundaries (not for
/// anything secret).
fn random_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// Standard base64 with padding, for basic authentication.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
