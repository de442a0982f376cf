#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_stay_in_their_segment() {
        assert_eq!(encode_path("a/b?c#d"), "a%2Fb%3Fc%23d");
        assert_eq!(encode_path("é x"), "%C3%A9%20x");
        assert_eq!(
            path_segment("id", "a/b", Style::Simple, false).unwrap(),
            "a%2Fb"
        );
    }

    #[test]
    fn path_styles() {
        let list = ["a", "b"];
        assert_eq!(
            path_segment("id", &list, Style::Simple, false).unwrap(),
            "a,b"
        );
        assert_eq!(
            path_segment("id", &list, Style::Label, false).unwrap(),
            ".a,b"
        );
        assert_eq!(
            path_segment("id", &list, Style::Label, true).unwrap(),
            ".a.b"
        );
        assert_eq!(
            path_segment("id", &list, Style::Matrix, false).unwrap(),
            ";id=a,b"
        );
        assert_eq!(
            path_segment("id", &list, Style::Matrix, true).unwrap(),
            ";id=a;id=b"
        );
        let object = serde_json::json!({"g": 1, "r": 2});
        assert_eq!(
            path_segment("c", &object, Style::Simple, false).unwrap(),
            "g,1,r,2"
        );
        assert_eq!(
            path_segment("c", &object, Style::Simple, true).unwrap(),
            "g=1,r=2"
        );
        assert_eq!(
            path_segment("c", &object, Style::Matrix, true).unwrap(),
            ";g=1;r=2"
        );
    }

    #[test]
    fn query_styles() {
        let mut query = Vec::new();
        push_query(&mut query, "ids", &[1, 2], Style::Form, true).unwrap();
        push_query(&mut query, "tags", &["x", "y"], Style::Form, false).unwrap();
        push_query(&mut query, "s", &["x", "y"], Style::SpaceDelimited, false).unwrap();
        push_query(&mut query, "p", &["x", "y"], Style::PipeDelimited, false).unwrap();
        push_query(
            &mut query,
            "f",
            &serde_json::json!({"a": 1}),
            Style::DeepObject,
            true,
        )
        .unwrap();
        push_query(&mut query, "none", &Option::<i32>::None, Style::Form, true).unwrap();
        let pairs: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("ids", "1"),
                ("ids", "2"),
                ("tags", "x,y"),
                ("s", "x y"),
                ("p", "x|y"),
                ("f[a]", "1"),
            ]
        );
    }

    #[test]
    fn validation_paths_nest() {
        let error = ValidationError::new("name", "is bad")
            .within("config")
            .within("items[2]");
        assert_eq!(error.field, "items[2].config.name");
        assert_eq!(
            ValidationError::new("[0]", "x").within("tags").field,
            "tags[0]"
        );
        assert!(check_length("n", "éé", Some(2), Some(2)).is_ok());
        assert!(check_range("n", 5.0, Some(5.0), true, None, false).is_err());
    }

    /// Fails, as a `Validate` impl, for odd numbers: `name` names it.
    struct Even(u32);

    impl Validate for Even {
        fn validate(&self) -> Result<(), ValidationError> {
            match self.0 % 2 {
                0 => Ok(()),
                _ => Err(ValidationError::new("name", "is odd")),
            }
        }
    }

    #[test]
    fn list_elements_are_named_by_index() {
        assert!(validate_each("tags", &[Even(2), Even(4)]).is_ok());
        let error = validate_each("tags", &[Even(2), Even(3), Even(5)]).unwrap_err();
        assert_eq!(error.field, "tags[1].name");
        let error = validate_each("", &[Even(1)]).unwrap_err();
        assert_eq!(error.field, "[0].name");
    }

    #[test]
    fn nullable_round_trips() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Holder {
            #[serde(default, skip_serializing_if = "Nullable::is_absent")]
            value: Nullable<i32>,
        }
        for (json, value) in [
            ("{}", Nullable::Absent),
            ("{\"value\":null}", Nullable::Null),
            ("{\"value\":3}", Nullable::Value(3)),
        ] {
            let holder: Holder = serde_json::from_str(json).unwrap();
            assert_eq!(holder.value, value);
            assert_eq!(serde_json::to_string(&holder).unwrap(), json);
        }
    }

    /// Binary properties and additional ones, written and read the way
    /// generated structs do.
    #[derive(PartialEq, Debug)]
    struct Holder {
        data: Vec<u8>,
        more: Option<Vec<u8>>,
        extra: Option<Vec<u8>>,
        count: Option<u32>,
        note: Nullable<String>,
        rest: std::collections::BTreeMap<String, i64>,
    }

    impl serde::Serialize for Holder {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut members = Members::new(serializer);
            members.bytes("data", &self.data);
            members.bytes_or_null("more", &self.more);
            members.optional_bytes("extra", &self.extra);
            members.optional("count", &self.count);
            members.nullable("note", &self.note);
            members.rest(&self.rest);
            members.finish()
        }
    }

    impl<'de> serde::Deserialize<'de> for Holder {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read_object(deserializer, "Holder")
        }
    }

    impl Object for Holder {
        fn read<'de, M: serde::de::MapAccess<'de>>(fields: &mut Fields<'de, M>) -> Option<Self> {
            let data = fields.bytes("data")?;
            Some(Holder {
                data,
                more: fields.optional_bytes("more"),
                extra: fields.optional_bytes("extra"),
                count: fields.optional("count"),
                note: fields.nullable("note"),
                rest: fields.rest("rest"),
            })
        }
    }

    #[test]
    fn members_round_trip_what_fields_read() {
        for json in [
            r#"{"data":"hi","more":null}"#,
            r#"{"data":"","more":"a","extra":"b","count":3,"note":null,"x":1,"y":-2}"#,
            r#"{"data":"é","more":null,"note":"n"}"#,
        ] {
            let holder: Holder = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&holder).unwrap(), json);
        }
        let holder: Holder = serde_json::from_str(r#"{"data":"hi","more":null}"#).unwrap();
        assert_eq!(
            holder,
            Holder {
                data: b"hi".to_vec(),
                more: None,
                extra: None,
                count: None,
                note: Nullable::Absent,
                rest: std::collections::BTreeMap::new(),
            }
        );
    }

    #[test]
    fn fields_stream_in_any_member_order() {
        // Members after the one a field asks for are kept until their
        // field reads them; unknown ones go to `rest`, and a repeated
        // member keeps its first value for the field and its last for
        // `rest`, as one pass over the object gives.
        let text = r#"{"x":1,"count":2,"x":3,"note":"n","data":"hi","y":4,"x":5}"#;
        let holder: Holder = serde_json::from_str(text).unwrap();
        assert_eq!(holder.data, b"hi".to_vec());
        assert_eq!(holder.count, Some(2));
        assert_eq!(holder.note, Nullable::Value("n".to_owned()));
        assert_eq!(
            holder.rest,
            std::collections::BTreeMap::from([("x".to_owned(), 5), ("y".to_owned(), 4)])
        );
        let from_value: Holder =
            serde_json::from_value(serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(from_value, holder);
    }

    #[test]
    fn field_errors_name_the_field_and_the_place() {
        let error = |text: &str| serde_json::from_str::<Holder>(text).unwrap_err().to_string();
        // Read from the input: serde_json's line and column are kept.
        assert_eq!(
            error(r#"{"data":"a","count":"x"}"#),
            "Holder.count: invalid type: string \"x\", expected u32 at line 1 column 24"
        );
        // Kept while looking for `data`, then read.
        assert!(
            error(r#"{"count":-1,"data":"a"}"#)
                .starts_with("Holder.count: invalid value: integer `-1`, expected u32"),
        );
        assert!(error(r#"{"count":1}"#).starts_with("Holder.data: missing field"));
        assert!(
            error(r#"[1]"#).starts_with("invalid type: sequence, expected an object (Holder)"),
        );
        // Bad JSON after the last field read is still an error.
        assert!(error(r#"{"data":"a","z":tru}"#).starts_with("expected ident"));
        assert!(error(r#"{"data":"a","z":1"#).starts_with("EOF while parsing an object"));
    }

    #[test]
    fn members_report_the_first_error() {
        // A map key that is not a string is an error in JSON; the fields
        // after it are not written.
        struct Keyed;
        impl serde::Serialize for Keyed {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut members = Members::new(serializer);
                members.field("ok", &1);
                members.field("bad", &std::collections::BTreeMap::from([((1, 2), 3)]));
                members.field("late", &2);
                members.finish()
            }
        }
        let error = serde_json::to_string(&Keyed).unwrap_err().to_string();
        assert!(error.contains("key must be a string"), "{error}");
    }

    /// A struct decoded the way generated structs are, with a nested one,
    /// a derived enum, a list and any JSON.
    #[derive(Debug, PartialEq)]
    struct Outer {
        id: u32,
        inner: Option<Inner>,
        mode: Option<Mode>,
        items: Vec<i64>,
        any: Option<serde_json::Value>,
    }

    #[derive(Debug, PartialEq)]
    struct Inner {
        x: f64,
        name: Nullable<String>,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    enum Mode {
        Plain,
        Sized(u32),
    }

    impl<'de> serde::Deserialize<'de> for Outer {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read_object(deserializer, "Outer")
        }
    }

    impl Object for Outer {
        fn read<'de, M: serde::de::MapAccess<'de>>(fields: &mut Fields<'de, M>) -> Option<Self> {
            let (Some(id), Some(items)) = (fields.required("id"), fields.required("items")) else {
                return None;
            };
            Some(Outer {
                id,
                inner: fields.optional("inner"),
                mode: fields.optional("mode"),
                items,
                any: fields.optional("any"),
            })
        }
    }

    impl<'de> serde::Deserialize<'de> for Inner {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read_object(deserializer, "Inner")
        }
    }

    impl Object for Inner {
        fn read<'de, M: serde::de::MapAccess<'de>>(fields: &mut Fields<'de, M>) -> Option<Self> {
            let x = fields.required("x")?;
            Some(Inner {
                x,
                name: fields.nullable("name"),
            })
        }
    }

    #[test]
    fn nested_structs_decode_from_any_deserializer() {
        let text = r#"{"any":{"k":[1,"two",null]},"items":[-1,2],"mode":{"Sized":3},
            "inner":{"name":null,"x":5},"id":7,"extra":true}"#;
        let expected = Outer {
            id: 7,
            inner: Some(Inner {
                x: 5.0,
                name: Nullable::Null,
            }),
            mode: Some(Mode::Sized(3)),
            items: vec![-1, 2],
            any: Some(serde_json::json!({"k": [1, "two", null]})),
        };
        // From text (the client's path), and from a `serde_json::Value`,
        // which visits the data with no shortcut.
        assert_eq!(serde_json::from_str::<Outer>(text).unwrap(), expected);
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::from_value::<Outer>(value).unwrap(), expected);
        let plain: Outer = serde_json::from_str(r#"{"id":1,"items":[],"mode":"Plain"}"#).unwrap();
        assert_eq!(plain.mode, Some(Mode::Plain));
        assert_eq!(plain.inner, None);
    }

    #[test]
    fn decode_errors_name_the_path() {
        let error = |text: &str| serde_json::from_str::<Outer>(text).unwrap_err().to_string();
        assert!(
            error(r#"{"id":1,"items":[],"inner":{"x":"no"}}"#)
                .starts_with("Outer.inner: Inner.x: invalid type: string \"no\", expected f64"),
        );
        assert!(error(r#"{"id":1}"#).starts_with("Outer.items: missing field"));
        assert!(
            error(r#"{"id":1,"items":[],"inner":[]}"#)
                .starts_with("Outer.inner: invalid type: sequence, expected an object (Inner)")
        );
        assert!(
            error(r#"{"id":1,"items":[],"mode":"Odd"}"#)
                .starts_with("Outer.mode: unknown variant `Odd`")
        );
    }

    #[derive(serde::Serialize)]
    enum Every {
        Unit,
        Newtype(i8),
        Tuple(u16, f32),
        Struct { a: Option<char>, b: Vec<u8> },
    }

    #[derive(serde::Serialize)]
    struct Written {
        unit: (),
        tuple: (i128, u128, bool),
        every: Vec<Every>,
        #[serde(with = "serde_bytes_as_seq")]
        raw: Vec<u8>,
        numbered: std::collections::BTreeMap<i32, String>,
        flagged: std::collections::BTreeMap<bool, ()>,
        wrapped: Wrapped,
    }

    #[derive(serde::Serialize)]
    struct Wrapped(Option<f64>);

    /// `Vec<u8>` through `serialize_bytes`, which derives never use.
    mod serde_bytes_as_seq {
        pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
            s.serialize_bytes(v)
        }
    }

    #[test]
    fn json_writer_writes_what_serde_json_writes() {
        let value = serde_json::json!({
            "text": "quote \" backslash \\ tab \t newline \n nul \u{0} bell \u{7} é 😀 \u{202e}",
            "numbers": [0, -1, u64::MAX, i64::MIN, 1.5, 1e300, -0.0, 0.1, 12345678.9],
            "flags": [true, false, null],
            "empty": {"a": [], "b": {}},
            "nested": [[[{"k": [1, {"": ""}]}]]],
        });
        assert_eq!(
            to_json(&value).unwrap(),
            serde_json::to_vec(&value).unwrap()
        );
        let written = Written {
            unit: (),
            tuple: (i128::MIN, u128::MAX, true),
            every: vec![
                Every::Unit,
                Every::Newtype(-8),
                Every::Tuple(7, 0.5),
                Every::Struct {
                    a: Some('ß'),
                    b: vec![0, 255],
                },
                Every::Struct { a: None, b: vec![] },
            ],
            raw: vec![1, 2, 3],
            numbered: [(-1, "minus".to_owned()), (2, "two".to_owned())].into(),
            flagged: [(true, ())].into(),
            wrapped: Wrapped(Some(f64::NAN)),
        };
        let ours = String::from_utf8(to_json(&written).unwrap()).unwrap();
        assert_eq!(ours, serde_json::to_string(&written).unwrap());
        let holder: Holder = serde_json::from_str(
            r#"{"data":"","more":"a","extra":"b","count":3,"note":null,"x":1,"y":-2}"#,
        )
        .unwrap();
        assert_eq!(
            to_json(&holder).unwrap(),
            serde_json::to_vec(&holder).unwrap()
        );
        let bad = std::collections::BTreeMap::from([((1, 2), 3)]);
        assert_eq!(
            to_json(&bad).unwrap_err().to_string(),
            "key must be a string"
        );
    }

    /// Lists and maps inside a field, which the `Json` tree hands to their
    /// visitors by kind.
    #[derive(Debug, PartialEq)]
    struct Shapes {
        grid: Vec<Vec<u8>>,
        index: Option<std::collections::BTreeMap<String, Vec<i64>>>,
    }

    impl<'de> serde::Deserialize<'de> for Shapes {
        fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            read_object(deserializer, "Shapes")
        }
    }

    impl Object for Shapes {
        fn read<'de, M: serde::de::MapAccess<'de>>(fields: &mut Fields<'de, M>) -> Option<Self> {
            let grid = fields.required("grid")?;
            Some(Shapes {
                grid,
                index: fields.optional("index"),
            })
        }
    }

    #[test]
    fn lists_and_maps_decode_by_kind() {
        let shapes: Shapes =
            serde_json::from_str(r#"{"grid":[[1,2],[]],"index":{"b":[-1],"a":[]}}"#).unwrap();
        assert_eq!(shapes.grid, vec![vec![1, 2], vec![]]);
        let index = shapes.index.unwrap();
        assert_eq!(index.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(index["b"], [-1]);
        let error = |text: &str| {
            serde_json::from_str::<Shapes>(text)
                .unwrap_err()
                .to_string()
        };
        assert!(
            error(r#"{"grid":[[1],"x"]}"#)
                .starts_with("Shapes.grid: invalid type: string \"x\", expected a sequence"),
        );
        assert!(
            error(r#"{"grid":[],"index":[]}"#)
                .starts_with("Shapes.index: invalid type: sequence, expected a map"),
        );
        assert!(
            error(r#"{"grid":[[300]]}"#).starts_with("Shapes.grid: invalid value: integer `300`"),
        );
    }

    #[test]
    fn a_repeated_member_reads_its_first_value() {
        let outer: Outer = serde_json::from_str(r#"{"id":1,"items":[],"id":2}"#).unwrap();
        assert_eq!(outer.id, 1);
    }
}
