//! The top-level fields of a serializable struct as JSON values, leaving out the ones
//! a caller itemizes itself, without serializing those at all.
//!
//! [`crate::attributes`] compares two changed objects field by field. A changed table
//! holds its columns, indexes and constraints, which the differ itemizes on its own and
//! skips here; serializing them whole (`serde_json::to_value`) only to drop them cost
//! more than the rest of a large diff.

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::{Map, Value};
use std::fmt;

/// The struct's fields but `skip`, or `None` when the value is not a struct (or a
/// field cannot be made a JSON value), for which the caller compares whole values.
pub(crate) fn top_level<T: Serialize + ?Sized>(
    value: &T,
    skip: &[&str],
) -> Option<Map<String, Value>> {
    value.serialize(Fields { skip }).ok()
}

struct Fields<'s> {
    skip: &'s [&'s str],
}

/// Not a struct: the caller falls back to whole values.
#[derive(Debug)]
struct NotStruct;

impl fmt::Display for NotStruct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a struct")
    }
}

impl std::error::Error for NotStruct {}

impl ser::Error for NotStruct {
    fn custom<T: fmt::Display>(_: T) -> Self {
        NotStruct
    }
}

struct Collect<'s> {
    skip: &'s [&'s str],
    out: Map<String, Value>,
}

impl ser::SerializeStruct for Collect<'_> {
    type Ok = Map<String, Value>;
    type Error = NotStruct;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NotStruct> {
        if self.skip.contains(&key) {
            return Ok(());
        }
        let value = serde_json::to_value(value).map_err(|_| NotStruct)?;
        self.out.insert(key.to_owned(), value);
        Ok(())
    }

    fn end(self) -> Result<Map<String, Value>, NotStruct> {
        Ok(self.out)
    }
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Map<String, Value>, NotStruct> {
            Err(NotStruct)
        })*
    };
}

impl<'s> ser::Serializer for Fields<'s> {
    type Ok = Map<String, Value>;
    type Error = NotStruct;
    type SerializeSeq = Impossible<Map<String, Value>, NotStruct>;
    type SerializeTuple = Impossible<Map<String, Value>, NotStruct>;
    type SerializeTupleStruct = Impossible<Map<String, Value>, NotStruct>;
    type SerializeTupleVariant = Impossible<Map<String, Value>, NotStruct>;
    type SerializeMap = Impossible<Map<String, Value>, NotStruct>;
    type SerializeStruct = Collect<'s>;
    type SerializeStructVariant = Impossible<Map<String, Value>, NotStruct>;

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<Self::Ok, NotStruct> {
        Err(NotStruct)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, NotStruct> {
        Err(NotStruct)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Self::Ok, NotStruct> {
        Err(NotStruct)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotStruct> {
        Err(NotStruct)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotStruct> {
        Err(NotStruct)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotStruct> {
        Err(NotStruct)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotStruct> {
        Err(NotStruct)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotStruct> {
        Err(NotStruct)
    }

    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStruct, NotStruct> {
        Ok(Collect {
            skip: self.skip,
            out: Map::with_capacity(len),
        })
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotStruct> {
        Err(NotStruct)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Shape {
        name: String,
        parts: Vec<u32>,
        note: Option<String>,
    }

    #[test]
    fn skipped_fields_are_left_out_and_the_rest_kept() {
        let shape = Shape {
            name: "t".into(),
            parts: vec![1, 2],
            note: None,
        };
        let fields = top_level(&shape, &["parts"]).unwrap_or_default();
        assert_eq!(fields.get("name"), Some(&Value::String("t".into())));
        assert_eq!(fields.get("note"), Some(&Value::Null));
        assert!(!fields.contains_key("parts"));
        assert_eq!(fields.len(), 2);
    }

    #[test]
    fn values_that_are_not_structs_are_refused() {
        assert!(top_level(&vec![1, 2], &[]).is_none());
        assert!(top_level("text", &[]).is_none());
    }
}
