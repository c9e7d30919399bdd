//! The key of a page: a hash of everything it is made from (templates, minify option, context),
//! so that an incremental build renders again only pages whose key changed.

use super::*;

/// A key of everything a page is made from: the templates, the minify setting, the template
/// and the page's whole context (which holds every value the template can read).
pub(in crate::render) fn page_key(
    templates: u64,
    minify: bool,
    template: &str,
    context: &impl serde::Serialize,
) -> u64 {
    let mut hasher = key_hasher();
    (templates, minify, template).hash(&mut hasher);
    // Feed takes every value serde has, and a context's `Serialize` gives no errors of its own
    // (its keys are strings, as Tera needs them to be).
    let _ = context.serialize(&mut Feed(&mut hasher));
    hasher.finish()
}

/// Feeds a value into a hasher as serde walks it, without making JSON of it: serialising every
/// page's context as JSON was a twentieth of an incremental rebuild of 10,000 measures, most of
/// it escaping strings that are only hashed.
///
/// Each value is a head (a tag for its kind, with the length of a string or the index of a
/// variant; each of the four kinds of variant has its own tag) and then its bytes; sequences,
/// maps and structs end with a tag of their own. So two contexts that differ feed different
/// streams, as their JSON differs: what JSON does not tell apart (a struct and a map with the
/// same keys, an `i32` and an `i64` of one value, `f32` and `f64`, a newtype and what it holds)
/// feeds the same, and Tera, which reads a context as JSON, cannot tell it apart either.
struct Feed<'h, H: Hasher>(&'h mut H);

/// The first word of each value.
#[derive(Clone, Copy)]
enum Tag {
    Bool,
    Signed,
    Unsigned,
    Float,
    Char,
    Str,
    Bytes,
    None,
    Some,
    Unit,
    UnitVariant,
    NewtypeVariant,
    TupleVariant,
    StructVariant,
    Seq,
    Map,
    End,
}

impl<H: Hasher> Feed<'_, H> {
    fn head(&mut self, tag: Tag, n: usize) {
        self.0.write_u64(((n as u64) << 5) | tag as u64);
    }

    fn str(&mut self, text: &str) {
        self.head(Tag::Str, text.len());
        self.0.write(text.as_bytes());
    }

    fn variant(&mut self, tag: Tag, index: u32, name: &str) {
        self.head(tag, index as usize);
        self.str(name);
    }
}

/// What [`Feed`] gives when a value's `Serialize` fails.
#[derive(Debug)]
pub(in crate::render) struct FeedError(String);

impl std::fmt::Display for FeedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FeedError {}

impl serde::ser::Error for FeedError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        FeedError(msg.to_string())
    }
}

type Fed = Result<(), FeedError>;

impl<H: Hasher> serde::Serializer for &mut Feed<'_, H> {
    type Ok = ();
    type Error = FeedError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fn serialize_bool(self, v: bool) -> Fed {
        self.head(Tag::Bool, usize::from(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Fed {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Fed {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Fed {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Fed {
        self.head(Tag::Signed, 0);
        self.0.write_i64(v);
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Fed {
        self.head(Tag::Signed, 1);
        self.0.write_i128(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Fed {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Fed {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Fed {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Fed {
        self.head(Tag::Unsigned, 0);
        self.0.write_u64(v);
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Fed {
        self.head(Tag::Unsigned, 1);
        self.0.write_u128(v);
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Fed {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Fed {
        self.head(Tag::Float, 0);
        self.0.write_u64(v.to_bits());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Fed {
        self.head(Tag::Char, v as usize);
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Fed {
        self.str(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Fed {
        self.head(Tag::Bytes, v.len());
        self.0.write(v);
        Ok(())
    }
    fn serialize_none(self) -> Fed {
        self.head(Tag::None, 0);
        Ok(())
    }
    fn serialize_some<T: serde::Serialize + ?Sized>(self, value: &T) -> Fed {
        self.head(Tag::Some, 0);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Fed {
        self.head(Tag::Unit, 0);
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Fed {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _name: &'static str, index: u32, variant: &'static str) -> Fed {
        self.variant(Tag::UnitVariant, index, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: serde::Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Fed {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: serde::Serialize + ?Sized>(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        value: &T,
    ) -> Fed {
        self.variant(Tag::NewtypeVariant, index, variant);
        value.serialize(self)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self, FeedError> {
        self.head(Tag::Seq, 0);
        Ok(self)
    }
    fn serialize_tuple(self, len: usize) -> Result<Self, FeedError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Self, FeedError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, FeedError> {
        self.variant(Tag::TupleVariant, index, variant);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self, FeedError> {
        self.head(Tag::Map, 0);
        Ok(self)
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Self, FeedError> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self, FeedError> {
        self.variant(Tag::StructVariant, index, variant);
        self.serialize_map(Some(len))
    }
}

/// The parts of a sequence, tuple or struct: each value as it is, a struct's fields after their
/// names, and an end tag after the last.
macro_rules! feed_compound {
    ($($trait:ident :: $method:ident ($($key:ident),*);)*) => {$(
        impl<H: Hasher> serde::ser::$trait for &mut Feed<'_, H> {
            type Ok = ();
            type Error = FeedError;
            fn $method<T: serde::Serialize + ?Sized>(
                &mut self,
                $($key: &'static str,)*
                value: &T,
            ) -> Fed {
                $(self.str($key);)*
                value.serialize(&mut **self)
            }
            fn end(self) -> Fed {
                self.head(Tag::End, 0);
                Ok(())
            }
        }
    )*};
}

feed_compound! {
    SerializeSeq::serialize_element();
    SerializeTuple::serialize_element();
    SerializeTupleStruct::serialize_field();
    SerializeTupleVariant::serialize_field();
    SerializeStruct::serialize_field(key);
    SerializeStructVariant::serialize_field(key);
}

impl<H: Hasher> serde::ser::SerializeMap for &mut Feed<'_, H> {
    type Ok = ();
    type Error = FeedError;
    fn serialize_key<T: serde::Serialize + ?Sized>(&mut self, key: &T) -> Fed {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: serde::Serialize + ?Sized>(&mut self, value: &T) -> Fed {
        value.serialize(&mut **self)
    }
    fn end(self) -> Fed {
        self.head(Tag::End, 0);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(value: &Value) -> u64 {
        page_key(1, true, "page.html", value)
    }

    /// Contexts that differ anywhere, however little, have different keys; equal ones the same.
    #[test]
    fn keys_tell_contexts_apart() {
        let contexts = [
            json!({}),
            json!([]),
            json!(null),
            json!({ "a": "" }),
            json!({ "a": null }),
            json!({ "a": [] }),
            json!({ "a": {} }),
            json!({ "a": "b" }),
            json!({ "ab": "" }),
            json!({ "a": "b", "c": "" }),
            json!({ "a": ["b", "c"] }),
            json!({ "a": ["bc"] }),
            json!({ "a": [["b"], "c"] }),
            json!({ "a": [["b", "c"]] }),
            json!({ "a": [[], []] }),
            json!({ "a": [[[]]] }),
            json!({ "a": 1 }),
            json!({ "a": -1 }),
            json!({ "a": 1.0 }),
            json!({ "a": "1" }),
            json!({ "a": true }),
            json!({ "a": false }),
            json!({ "a": { "b": "c" } }),
            json!({ "a": { "b": "c" }, "d": "" }),
            json!({ "a": { "b": "c", "d": "" } }),
        ];
        let keys: Vec<u64> = contexts.iter().map(key).collect();
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate().skip(i + 1) {
                assert_ne!(a, b, "{} and {}", contexts[i], contexts[j]);
            }
        }
        assert_eq!(key(&json!({ "a": ["b"] })), key(&json!({ "a": ["b"] })));
        // The template, the templates and the minify setting are part of the key.
        let page = json!({ "a": "b" });
        assert_ne!(key(&page), page_key(1, true, "other.html", &page));
        assert_ne!(key(&page), page_key(2, true, "page.html", &page));
        assert_ne!(key(&page), page_key(1, false, "page.html", &page));
    }

    /// Each kind of variant has its own tag, so that a unit variant followed by a value does
    /// not feed what a newtype variant of the same name and index holding it feeds; integers
    /// wider than 64 bits are keyed too (serde's default would fail, and the key would stop).
    #[test]
    fn variants_and_wide_integers_are_keyed() {
        #[derive(serde::Serialize)]
        enum Bare {
            A,
        }
        #[derive(serde::Serialize)]
        enum Holding {
            A(u8),
        }
        #[derive(serde::Serialize)]
        enum Tuple {
            A(u8, u8),
        }
        #[derive(serde::Serialize)]
        enum Fields {
            A { x: u8 },
        }
        fn key(value: &impl serde::Serialize) -> u64 {
            page_key(1, true, "t.html", value)
        }
        let keys = [
            key(&(Bare::A, 0u8)),
            key(&(Holding::A(0),)),
            key(&(Tuple::A(0, 0),)),
            key(&(Fields::A { x: 0 },)),
            key(&(1i128 << 100)),
            key(&(1u128 << 100)),
            key(&((1u128 << 100) + 1)),
            key(&1u64),
            key(&1i64),
        ];
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate().skip(i + 1) {
                assert_ne!(a, b, "{i} and {j}");
            }
        }
    }

    /// A typed view's key changes with any of its values, in a list, an option or a flattened
    /// struct, and stays with equal values.
    #[test]
    fn typed_views_are_keyed_by_every_value() {
        #[derive(serde::Serialize, Clone)]
        struct Inner<'a> {
            name: &'a str,
            count: usize,
        }
        #[derive(serde::Serialize, Clone)]
        struct View<'a> {
            title: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            note: Option<&'a str>,
            items: Vec<Inner<'a>>,
            #[serde(flatten)]
            common: Inner<'a>,
        }
        let view = View {
            title: "标题".into(),
            note: None,
            items: vec![Inner {
                name: "甲",
                count: 2,
            }],
            common: Inner {
                name: "乙",
                count: 3,
            },
        };
        let key = |v: &View| page_key(1, true, "t.html", v);
        assert_eq!(key(&view), key(&view.clone()));
        let mut changed = vec![view.clone(); 5];
        changed[0].title.push('！');
        changed[1].note = Some("");
        changed[2].items[0].count = 4;
        let item = view.items[0].clone();
        changed[3].items.push(item);
        changed[4].common.name = "丙";
        let keys: Vec<u64> = std::iter::once(&view).chain(&changed).map(key).collect();
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b, "change {i}");
            }
        }
    }
}
