//! Which objects a plan has to render: those that differ between the two realms, and
//! those whose nodes may depend on a node the plan drops, recreates or breaks.
//!
//! Rendering a whole realm costs far more than comparing it, and most objects of a large
//! realm are the same on both sides: their nodes would compare equal and give no
//! statements. So the planner compares the model first ([`changed`]), renders only what
//! differs, and then widens the selection round by round: for every node that will be
//! dropped, recreated or broken by its table's change, [`dependents`] finds the objects
//! that may hold a node depending on it, and those are rendered too.
//!
//! [`dependents`] must never miss a dependent, so it looks for names, not references: an
//! object is a candidate when one of its strings holds, as a whole word, the longest
//! identifier run of the name of an object that changes (compared without ASCII case).
//! Every dependency the renderers record is found by that name, in a stored text
//! ([`crate::refs::Resolver`] reads identifier chains, folding only ASCII case) or in a
//! name the model holds (a foreign key's table, a trigger's function), so the candidates
//! are a superset of the dependents. Strings are reached through `Serialize`, so a field
//! added to the model is searched without being listed here; the one exception is a
//! foreign key, searched by the table it references, its one dependency outside its
//! table (searching all of every key of a large realm cost more than the rest).

use schema_model::{Realm, Schema};
use serde::Serialize;
use serde::ser;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// A fast hash for the selection's keys: renderers look up every object of the realm in
/// it, and SipHash's resistance to chosen keys buys nothing for names of one's own
/// schema.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, value: u8) {
        self.add(u64::from(value));
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The kinds of per-schema objects the renderers render as a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum ObjKind {
    Table,
    View,
    Sequence,
    Type,
    Function,
    Collation,
    Opaque,
}

/// One object: its kind, schema and key in its schema's map (a function's signature),
/// and the name SQL text uses for it (a function's bare name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Object<'a> {
    pub(crate) kind: ObjKind,
    pub(crate) schema: &'a str,
    pub(crate) key: &'a str,
    pub(crate) name: &'a str,
}

/// The objects chosen for rendering, each with a number that the nodes rendered from it
/// carry as their origin.
#[derive(Default)]
pub(crate) struct Selection<'a> {
    index: HashMap<(ObjKind, &'a str, &'a str), u32, BuildHasherDefault<Fx>>,
    objects: Vec<Object<'a>>,
    /// Objects numbered below it were rendered in an earlier round.
    pub(crate) floor: u32,
}

impl<'a> Selection<'a> {
    /// Adds an object; false when it was chosen already.
    pub(crate) fn insert(&mut self, object: Object<'a>) -> bool {
        let slot = (object.kind, object.schema, object.key);
        if self.index.contains_key(&slot) {
            return false;
        }
        let Ok(number) = u32::try_from(self.objects.len()) else {
            return false;
        };
        self.index.insert(slot, number);
        self.objects.push(object);
        true
    }

    /// The origin number of a chosen object not rendered yet (at or above the floor).
    pub(crate) fn get(&self, kind: ObjKind, schema: &str, key: &str) -> Option<u32> {
        self.index
            .get(&(kind, schema, key))
            .copied()
            .filter(|n| *n >= self.floor)
    }

    /// The chosen objects not rendered yet (numbered at or above the floor).
    pub(crate) fn pending(&self) -> &[Object<'a>] {
        self.objects.get(self.floor as usize..).unwrap_or(&[])
    }

    pub(crate) fn contains(&self, kind: ObjKind, schema: &str, key: &str) -> bool {
        self.index.contains_key(&(kind, schema, key))
    }

    /// The object an origin number stands for.
    pub(crate) fn object(&self, origin: u32) -> Option<&Object<'a>> {
        self.objects.get(origin as usize)
    }

    pub(crate) fn len(&self) -> usize {
        self.objects.len()
    }
}

/// Calls `each` for every object of the schema.
fn for_each_object<'a>(
    schema_name: &'a str,
    schema: &'a Schema,
    each: &mut impl FnMut(Object<'a>),
) {
    let simple = |kind, key: &'a String| Object {
        kind,
        schema: schema_name,
        key,
        name: key,
    };
    for key in schema.tables.keys() {
        each(simple(ObjKind::Table, key));
    }
    for key in schema.views.keys() {
        each(simple(ObjKind::View, key));
    }
    for key in schema.sequences.keys() {
        each(simple(ObjKind::Sequence, key));
    }
    for key in schema.types.keys() {
        each(simple(ObjKind::Type, key));
    }
    for (key, function) in &schema.functions {
        each(Object {
            kind: ObjKind::Function,
            schema: schema_name,
            key,
            name: &function.name,
        });
    }
    for key in schema.collations.keys() {
        each(simple(ObjKind::Collation, key));
    }
    for (key, object) in &schema.other_objects {
        each(Object {
            kind: ObjKind::Opaque,
            schema: schema_name,
            key,
            name: &object.name,
        });
    }
}

/// The keys of one kind's map whose values differ between the two sides, or that only
/// one side holds.
fn differing<'a, T: PartialEq + Sync>(
    from: Option<&'a BTreeMap<String, T>>,
    to: Option<&'a BTreeMap<String, T>>,
    out: &mut Vec<&'a String>,
) {
    let empty_from = from.is_none_or(BTreeMap::is_empty);
    let empty_to = to.is_none_or(BTreeMap::is_empty);
    match (from, to) {
        (Some(from), Some(to)) if !empty_from && !empty_to => {
            let pairs: Vec<(&'a String, &'a T, Option<&'a T>)> =
                schema_model::paired(from, to).collect();
            let changed = schema_model::map_in_halves(&pairs, |(_, old, new)| *new != Some(*old));
            out.extend(
                pairs
                    .iter()
                    .zip(changed)
                    .filter(|(_, changed)| *changed)
                    .map(|((key, _, _), _)| *key),
            );
            out.extend(
                schema_model::paired(to, from)
                    .filter(|(_, _, old)| old.is_none())
                    .map(|(key, _, _)| key),
            );
        }
        _ => {
            out.extend(from.into_iter().flat_map(BTreeMap::keys));
            out.extend(to.into_iter().flat_map(BTreeMap::keys));
        }
    }
}

/// The objects that differ between the two realms (compared as model values), the
/// partitions of differing tables (a partition renders against its parent), and, when
/// the two realms have different schemas, every object that mentions one of those
/// schemas (collation names are read as `schema.name` only when the schema exists).
pub(crate) fn changed<'a>(from: &'a Realm, to: &'a Realm, selection: &mut Selection<'a>) {
    let names: BTreeSet<&'a String> = from.schemas.keys().chain(to.schemas.keys()).collect();
    for schema_name in names {
        let old = from.schemas.get(schema_name);
        let new = to.schemas.get(schema_name);
        if old == new {
            continue;
        }
        let mut keys = Vec::new();
        let add = |kind, keys: &mut Vec<&'a String>, selection: &mut Selection<'a>| {
            for key in keys.drain(..) {
                let name = object_name(old, new, kind, key).unwrap_or(key);
                selection.insert(Object {
                    kind,
                    schema: schema_name,
                    key,
                    name,
                });
            }
        };
        differing(old.map(|s| &s.tables), new.map(|s| &s.tables), &mut keys);
        add(ObjKind::Table, &mut keys, selection);
        differing(old.map(|s| &s.views), new.map(|s| &s.views), &mut keys);
        add(ObjKind::View, &mut keys, selection);
        differing(
            old.map(|s| &s.sequences),
            new.map(|s| &s.sequences),
            &mut keys,
        );
        add(ObjKind::Sequence, &mut keys, selection);
        differing(old.map(|s| &s.types), new.map(|s| &s.types), &mut keys);
        add(ObjKind::Type, &mut keys, selection);
        differing(
            old.map(|s| &s.functions),
            new.map(|s| &s.functions),
            &mut keys,
        );
        add(ObjKind::Function, &mut keys, selection);
        differing(
            old.map(|s| &s.collations),
            new.map(|s| &s.collations),
            &mut keys,
        );
        add(ObjKind::Collation, &mut keys, selection);
        differing(
            old.map(|s| &s.other_objects),
            new.map(|s| &s.other_objects),
            &mut keys,
        );
        add(ObjKind::Opaque, &mut keys, selection);
    }

    // Partitions render against their parents (columns, and the foreign keys, indexes
    // and triggers they inherit rather than declare).
    for realm in [from, to] {
        for (schema_name, schema) in &realm.schemas {
            for (key, table) in &schema.tables {
                let Some(of) = &table.partition_of else {
                    continue;
                };
                if selection.contains(ObjKind::Table, &of.parent.schema, &of.parent.name) {
                    selection.insert(Object {
                        kind: ObjKind::Table,
                        schema: schema_name,
                        key,
                        name: key,
                    });
                }
            }
        }
    }

    let old: BTreeSet<&String> = from.schemas.keys().collect();
    let new: BTreeSet<&String> = to.schemas.keys().collect();
    if old != new {
        let mut probes = Probes::default();
        for name in old.symmetric_difference(&new) {
            probes.add(name);
        }
        for realm in [from, to] {
            for (schema_name, schema) in &realm.schemas {
                for_each_object(schema_name, schema, &mut |object| {
                    if !selection.contains(object.kind, object.schema, object.key)
                        && mentions_whole(schema, &object, &probes)
                    {
                        selection.insert(object);
                    }
                });
            }
        }
    }
}

/// The name SQL text uses for an object, from whichever side holds it.
fn object_name<'a>(
    old: Option<&'a Schema>,
    new: Option<&'a Schema>,
    kind: ObjKind,
    key: &str,
) -> Option<&'a str> {
    let pick = |s: &'a Schema| -> Option<&'a str> {
        match kind {
            ObjKind::Function => s.functions.get(key).map(|f| f.name.as_str()),
            ObjKind::Opaque => s.other_objects.get(key).map(|o| o.name.as_str()),
            _ => None,
        }
    };
    old.and_then(pick).or_else(|| new.and_then(pick))
}

/// Whether any string of the whole object holds one of the probes.
fn mentions_whole(schema: &Schema, object: &Object<'_>, probes: &Probes) -> bool {
    let key = object.key;
    match object.kind {
        ObjKind::Table => schema.tables.get(key).is_some_and(|t| probes.in_value(t)),
        ObjKind::View => schema.views.get(key).is_some_and(|v| probes.in_value(v)),
        ObjKind::Sequence => schema
            .sequences
            .get(key)
            .is_some_and(|v| probes.in_value(v)),
        ObjKind::Type => schema.types.get(key).is_some_and(|v| probes.in_value(v)),
        ObjKind::Function => schema
            .functions
            .get(key)
            .is_some_and(|v| probes.in_value(v)),
        ObjKind::Collation => schema
            .collations
            .get(key)
            .is_some_and(|v| probes.in_value(v)),
        ObjKind::Opaque => schema
            .other_objects
            .get(key)
            .is_some_and(|v| probes.in_value(v)),
    }
}

/// How a changed node reaches its dependents (the planner's rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Reach {
    /// Dropped or recreated: every dependent but a table goes with it.
    All,
    /// A table changed in a way that breaks the views, policies and triggers reading it.
    Readers,
    /// A table whose referenced key changes: the foreign keys pointing at it break.
    References,
}

/// Probe words: names to look for, each as its longest identifier run, lowercase.
pub(crate) struct Probes {
    words: HashSet<Vec<u8>>,
    first: [bool; 256],
    max_len: usize,
    /// A name without identifier characters, which no word can stand for.
    unprobeable: bool,
}

impl Default for Probes {
    fn default() -> Self {
        Probes {
            words: HashSet::new(),
            first: [false; 256],
            max_len: 0,
            unprobeable: false,
        }
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

impl Probes {
    pub(crate) fn add(&mut self, name: &str) {
        let longest = name
            .as_bytes()
            .split(|b| !is_ident(*b))
            .max_by_key(|run| run.len())
            .filter(|run| !run.is_empty());
        let Some(run) = longest else {
            self.unprobeable = true;
            return;
        };
        let word = run.to_ascii_lowercase();
        self.first[usize::from(word[0])] = true;
        self.max_len = self.max_len.max(word.len());
        self.words.insert(word);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.words.is_empty() && !self.unprobeable
    }

    fn in_text(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let mut buffer = [0u8; 64];
        let mut i = 0;
        while i < bytes.len() {
            if !is_ident(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && is_ident(bytes[i]) {
                i += 1;
            }
            let word = &bytes[start..i];
            if word.len() > self.max_len || !self.first[usize::from(word[0].to_ascii_lowercase())] {
                continue;
            }
            let lowered: Vec<u8>;
            let key: &[u8] = if word.len() <= buffer.len() {
                let slot = &mut buffer[..word.len()];
                slot.copy_from_slice(word);
                slot.make_ascii_lowercase();
                slot
            } else {
                lowered = word.to_ascii_lowercase();
                &lowered
            };
            if self.words.contains(key) {
                return true;
            }
        }
        false
    }

    /// Whether any string the value serializes holds a probe word.
    pub(crate) fn in_value<T: Serialize + ?Sized>(&self, value: &T) -> bool {
        if self.unprobeable {
            return true;
        }
        if self.words.is_empty() {
            return false;
        }
        let mut finder = Finder {
            probes: self,
            found: false,
        };
        // The finder fails only to stop early, once it found a word.
        let _ = value.serialize(&mut finder);
        finder.found
    }
}

/// The objects of `realm` not yet selected that may hold a node depending on a node of
/// the objects in `reached` (each with how its change reaches dependents), or on a
/// schema in `schemas`.
pub(crate) fn dependents<'a>(
    realm: &'a Realm,
    selection: &Selection<'a>,
    reached: &[(Object<'a>, Reach)],
    schemas: &BTreeSet<String>,
) -> Vec<Object<'a>> {
    // Which of an object's parts feed which of its nodes decides the probes that apply:
    // a table's own node is never recreated for its dependencies, its foreign keys
    // break with the keys they reference, its policies and triggers with the tables
    // they read, and everything but a table goes when what it depends on goes.
    let mut all = Probes::default();
    // Index expressions, predicates and collations name functions, sequences, types and
    // collations, never relations (a relation's own indexes are part of it).
    let mut unrelated = Probes::default();
    let mut readers = Probes::default();
    let mut references = Probes::default();
    for (object, reach) in reached {
        match reach {
            Reach::All => {
                all.add(object.name);
                if !matches!(object.kind, ObjKind::Table | ObjKind::View) {
                    unrelated.add(object.name);
                }
                readers.add(object.name);
                references.add(object.name);
            }
            Reach::Readers => readers.add(object.name),
            Reach::References => references.add(object.name),
        }
    }
    let mut candidates: Vec<(Object<'a>, &'a Schema, bool)> = Vec::new();
    for (schema_name, schema) in &realm.schemas {
        let whole_schema = schemas.contains(schema_name);
        for_each_object(schema_name, schema, &mut |object| {
            if !selection.contains(object.kind, object.schema, object.key) {
                candidates.push((object, schema, whole_schema));
            }
        });
    }
    let hit = |&(object, schema, whole_schema): &(Object<'a>, &'a Schema, bool)| {
        whole_schema
            || match object.kind {
                ObjKind::Table => schema.tables.get(object.key).is_some_and(|t| {
                    // A foreign key's node depends on its own table and on the table it
                    // references (that table's node and unique indexes) and on nothing
                    // else, so only that name is searched: reading every part of every
                    // foreign key of a large realm cost more than the rest of a round.
                    (!references.is_empty()
                        && t.foreign_keys
                            .values()
                            .any(|fk| references.in_value(&fk.referenced_table)))
                        || (!readers.is_empty()
                            && (readers.in_value(&t.triggers) || readers.in_value(&t.policies)))
                        || (!unrelated.is_empty() && unrelated.in_value(&t.indexes))
                }),
                // A view's own node, its indexes and triggers are all recreated with
                // what they read, whichever way that changed.
                ObjKind::View => {
                    !readers.is_empty()
                        && schema
                            .views
                            .get(object.key)
                            .is_some_and(|v| readers.in_value(v))
                }
                ObjKind::Sequence | ObjKind::Type | ObjKind::Function => {
                    !all.is_empty() && mentions_whole(schema, &object, &all)
                }
                // Their nodes depend on nothing but their schema.
                ObjKind::Collation | ObjKind::Opaque => false,
            }
    };
    let hits = schema_model::map_in_halves(&candidates, hit);
    candidates
        .iter()
        .zip(hits)
        .filter(|(_, hit)| *hit)
        .map(|(c, _)| c.0)
        .collect()
}

/// A serializer that reads every string of a value and looks for probe words.
struct Finder<'p> {
    probes: &'p Probes,
    found: bool,
}

/// Ends the walk early: a probe word was found.
#[derive(Debug)]
struct Found;

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("found")
    }
}

impl std::error::Error for Found {}

impl ser::Error for Found {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Found
    }
}

impl Finder<'_> {
    fn text(&mut self, text: &str) -> Result<(), Found> {
        if self.probes.in_text(text) {
            self.found = true;
            return Err(Found);
        }
        Ok(())
    }
}

macro_rules! ignore {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, _: $ty) -> Result<(), Found> { Ok(()) })*
    };
}

impl ser::Serializer for &mut Finder<'_> {
    type Ok = ();
    type Error = Found;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    ignore!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64,
        serialize_f32: f32,
        serialize_f64: f64,
        serialize_bytes: &[u8],
    );

    fn serialize_char(self, v: char) -> Result<(), Found> {
        let mut buffer = [0u8; 4];
        self.text(v.encode_utf8(&mut buffer))
    }

    fn serialize_str(self, v: &str) -> Result<(), Found> {
        self.text(v)
    }

    fn serialize_none(self) -> Result<(), Found> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Found> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Found> {
        Ok(())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Found> {
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Found> {
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Found> {
        Ok(self)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self, Found> {
        Ok(self)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Found> {
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Found> {
        Ok(self)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, Found> {
        Ok(self)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Found> {
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Found> {
        Ok(self)
    }

    fn collect_str<T: fmt::Display + ?Sized>(self, value: &T) -> Result<(), Found> {
        self.text(&value.to_string())
    }
}

impl ser::SerializeSeq for &mut Finder<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeTuple for &mut Finder<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeTupleStruct for &mut Finder<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeTupleVariant for &mut Finder<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeMap for &mut Finder<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Found> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Found> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeStruct for &mut Finder<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for &mut Finder<'_> {
    type Ok = ();
    type Error = Found;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Found> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Found> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_find_whole_words_without_case() {
        let mut probes = Probes::default();
        probes.add("Users");
        assert!(probes.in_text("SELECT * FROM public.users u"));
        assert!(probes.in_text("SELECT * FROM \"Users\""));
        assert!(!probes.in_text("SELECT * FROM superusers"));
        let mut quoted = Probes::default();
        quoted.add("my\"odd table");
        assert!(quoted.in_text("SELECT 1 FROM \"my\"\"odd table\""));
    }
}
