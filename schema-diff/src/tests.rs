use super::*;
use schema_model::{Column, DataType, Index, IndexPart, QualifiedName, View};

fn realm_with(table: Table) -> Realm {
    let mut realm = Realm::new(Dialect::Postgres);
    realm
        .schema_mut("public")
        .tables
        .insert(table.name.clone(), table);
    realm
}

fn users() -> Table {
    let mut t = Table::new("users");
    t.columns.push(Column::new("id", DataType::BigInt));
    t.columns.push(Column::new("mail", DataType::Text));
    t
}

#[test]
fn equal_realms_have_no_changes() {
    let realm = realm_with(users());
    assert!(
        diff(&realm, &realm, &DiffOptions::default())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn column_changes_are_itemized() {
    let from = realm_with(users());
    let mut table = users();
    table.columns[1].data_type = DataType::Varchar(Some(200));
    table.columns[1].nullable = false;
    table.columns[1].default = Some("''::character varying".into());
    let to = realm_with(table);
    let changes = diff(&from, &to, &DiffOptions::default()).unwrap().changes;
    let [Change::ModifyTable { changes, .. }] = changes.as_slice() else {
        panic!("one table change expected: {changes:?}");
    };
    let [TableChange::ModifyColumn { name, changes }] = changes.as_slice() else {
        panic!("one column change expected: {changes:?}");
    };
    assert_eq!(name, "mail");
    assert_eq!(
        changes,
        &[
            ColumnChange::Type {
                from: DataType::Text,
                to: DataType::Varchar(Some(200)),
                from_unsigned: false,
                to_unsigned: false,
            },
            ColumnChange::Nullable {
                from: true,
                to: false
            },
            ColumnChange::Default {
                from: None,
                to: Some("''::character varying".into())
            },
        ]
    );
}

#[test]
fn a_renamed_table_is_a_drop_and_an_add_with_a_suggestion() {
    let from = realm_with(users());
    let mut people = users();
    people.name = "people".into();
    let to = realm_with(people);
    let result = diff(&from, &to, &DiffOptions::default()).unwrap();
    assert_eq!(
        result.changes,
        [
            Change::DropTable {
                schema: "public".into(),
                name: "users".into()
            },
            Change::AddTable {
                schema: "public".into(),
                name: "people".into()
            },
        ]
    );
    assert_eq!(result.suggestions.len(), 1);
    assert_eq!(
        result.suggestions[0].rename,
        Rename::parse("table:public.users=people").unwrap()
    );
}

#[test]
fn a_rename_hint_makes_it_a_rename_and_references_follow() {
    let mut from = realm_with(users());
    let mut orders = Table::new("orders");
    orders
        .columns
        .push(Column::new("user_id", DataType::BigInt));
    orders.foreign_keys.insert(
        "orders_user_id_fkey".into(),
        schema_model::ForeignKey {
            name: "orders_user_id_fkey".into(),
            columns: vec!["user_id".into()],
            referenced_table: QualifiedName::new("public", "users"),
            referenced_columns: vec!["id".into()],
            on_delete: Default::default(),
            on_update: Default::default(),
            on_delete_columns: vec![],
            match_type: Default::default(),
            deferrable: Default::default(),
            not_valid: false,
            comment: None,
        },
    );
    from.schema_mut("public")
        .tables
        .insert("orders".into(), orders.clone());
    let mut to = from.clone();
    let s = to.schema_mut("public");
    let mut people = s.tables.remove("users").unwrap();
    people.name = "people".into();
    people.columns[1].name = "email".into();
    s.tables.insert("people".into(), people);
    s.tables
        .get_mut("orders")
        .unwrap()
        .foreign_keys
        .get_mut("orders_user_id_fkey")
        .unwrap()
        .referenced_table = QualifiedName::new("public", "people");
    let options = DiffOptions {
        renames: vec![
            Rename::parse("table:public.users=people").unwrap(),
            Rename::parse("column:public.people.mail=email").unwrap(),
        ],
        ..DiffOptions::default()
    };
    let result = diff(&from, &to, &options).unwrap();
    assert_eq!(
        result.changes,
        [
            Change::RenameTable {
                schema: "public".into(),
                from: "users".into(),
                to: "people".into()
            },
            Change::ModifyTable {
                schema: "public".into(),
                name: "people".into(),
                changes: vec![TableChange::RenameColumn {
                    from: "mail".into(),
                    to: "email".into()
                }]
            },
        ]
    );
    assert!(result.suggestions.is_empty());
}

#[test]
fn a_hint_that_names_nothing_is_an_error() {
    let realm = realm_with(users());
    let options = DiffOptions {
        renames: vec![Rename::parse("table:public.nobody=people").unwrap()],
        ..DiffOptions::default()
    };
    let error = diff(&realm, &realm, &options).unwrap_err().to_string();
    assert!(error.contains("public.nobody"), "{error}");
    assert!(Rename::parse("table:a.b.c=x").is_err());
    assert!(Rename::parse("public=x").is_err());
}

#[test]
fn a_hint_without_schema_means_the_default_one() {
    let from = realm_with(users());
    let mut renamed = users();
    let mail = renamed.columns.remove(1);
    renamed.columns.insert(
        1,
        Column {
            name: "email".into(),
            ..mail
        },
    );
    let to = realm_with(renamed);
    let hint = Rename::parse("column:users.mail=email").unwrap();
    assert_eq!(hint.from_parts().unwrap(), ["", "users", "mail"]);
    assert_eq!(Rename::join_name(&["", "users", "mail"]), "users.mail");
    let options = DiffOptions {
        renames: vec![hint],
        ..DiffOptions::default()
    };
    let result = diff(&from, &to, &options).unwrap();
    assert_eq!(
        result.changes,
        vec![Change::ModifyTable {
            schema: "public".into(),
            name: "users".into(),
            changes: vec![TableChange::RenameColumn {
                from: "mail".into(),
                to: "email".into(),
            }],
        }]
    );
}

#[test]
fn index_and_view_changes_carry_their_attributes() {
    let from = realm_with(users());
    let mut table = users();
    table.indexes.insert(
        "users_mail_idx".into(),
        Index {
            name: "users_mail_idx".into(),
            unique: true,
            method: Default::default(),
            parts: vec![IndexPart::column("mail")],
            include: vec![],
            predicate: None,
            nulls_not_distinct: false,
            parameters: Default::default(),
            comment: None,
        },
    );
    let mut to = realm_with(table);
    to.schema_mut("public").views.insert(
        "v".into(),
        View {
            name: "v".into(),
            materialized: false,
            columns: vec!["id".into()],
            definition: " SELECT users.id FROM public.users;".into(),
            check_option: None,
            options: Default::default(),
            with_no_data: false,
            indexes: Default::default(),
            security: None,
            triggers: Default::default(),
            comment: None,
            column_comments: Default::default(),
            privileges: vec![],
        },
    );
    let mut changed = to.clone();
    let v = changed.schema_mut("public").views.get_mut("v").unwrap();
    v.definition = " SELECT users.mail FROM public.users;".into();
    let changes = diff(&from, &to, &DiffOptions::default()).unwrap().changes;
    assert_eq!(changes.len(), 2, "{changes:?}");
    assert!(matches!(
        &changes[0],
        Change::ModifyTable { changes, .. }
            if changes == &[TableChange::Add { kind: ConstraintKind::Index, name: "users_mail_idx".into() }]
    ));
    let changes = diff(&to, &changed, &DiffOptions::default())
        .unwrap()
        .changes;
    let [
        Change::Modify {
            kind: ObjectKind::View,
            attributes,
            ..
        },
    ] = changes.as_slice()
    else {
        panic!("{changes:?}");
    };
    assert_eq!(attributes.len(), 1);
    assert_eq!(attributes[0].attribute, "definition");
}

#[test]
fn ignored_and_excluded_objects_are_left_out() {
    let from = realm_with(users());
    let mut to = from.clone();
    let mut audit = Table::new("audit_log");
    audit.columns.push(Column::new("at", DataType::Text));
    to.schema_mut("public")
        .tables
        .insert("audit_log".into(), audit);
    to.schema_mut("scratch");
    let options = DiffOptions {
        ignore: vec!["public.audit_*".parse().unwrap()],
        exclude_schemas: vec!["scratch".into()],
        ..DiffOptions::default()
    };
    assert!(diff(&from, &to, &options).unwrap().is_empty());
    assert_eq!(
        diff(&from, &to, &DiffOptions::default())
            .unwrap()
            .changes
            .len(),
        2
    );
}

#[test]
fn a_hint_whose_rename_is_done_asks_for_nothing() {
    let realm = realm_with(users());
    let options = DiffOptions {
        renames: vec![Rename::parse("column:public.users.email=mail").unwrap()],
        ..DiffOptions::default()
    };
    assert!(diff(&realm, &realm, &options).unwrap().is_empty());
    // Both names present is a conflict, not a finished rename.
    let mut both = users();
    both.columns.push(Column::new("email", DataType::Text));
    let error = diff(&realm_with(both.clone()), &realm_with(both), &options).unwrap_err();
    assert!(
        error.to_string().contains("already has a column mail"),
        "{error}"
    );
}

#[test]
fn a_hint_whose_target_keeps_the_old_name_asks_for_nothing() {
    let mut renamed = users();
    renamed.columns[1].name = "email".into();
    let realm = realm_with(renamed);
    // The way back from `mail -> email` when the rename had already been made.
    let options = DiffOptions {
        renames: vec![Rename::parse("column:public.users.email=mail").unwrap()],
        ..DiffOptions::default()
    };
    let from = realm_with(users());
    assert!(diff(&from, &from, &options).unwrap().is_empty());
    assert!(!diff(&realm, &from, &options).unwrap().is_empty());
}

#[test]
fn hints_of_every_kind_are_read_and_written_back() {
    for (text, kind, parts) in [
        ("type:public.mood=feeling", RenameKind::Type, 2),
        ("type:mood=feeling", RenameKind::Type, 2),
        ("enum-value:public.mood.sad=blue", RenameKind::EnumValue, 3),
        (
            "constraint:public.users.users_pkey=people_pkey",
            RenameKind::Constraint,
            3,
        ),
        ("constraint:users.u=v", RenameKind::Constraint, 3),
    ] {
        let rename = Rename::parse(text).unwrap();
        assert_eq!(rename.kind, kind, "{text}");
        assert_eq!(rename.from_parts().unwrap().len(), parts, "{text}");
        assert_eq!(
            format!("{}:{}={}", rename.kind, rename.from, rename.to),
            text
        );
    }
    assert!(Rename::parse("type:a.b.c=x").is_err());
    assert!(Rename::parse("enum-value:a=x").is_err());
    assert!(Rename::parse("constraint:a.b.c.d=x").is_err());
}

/// A realm with an enum type used by a column (with a default), an array column, a
/// composite type's attribute and a function's argument and return type.
fn typed_realm(type_name: &str, sad: &str) -> Realm {
    use schema_model::{CompositeAttribute, Function, FunctionArgument, TypeDef, TypeKind};
    let ty = QualifiedName::new("public", type_name);
    let mut realm = Realm::new(Dialect::Postgres);
    let schema = realm.schema_mut("public");
    schema.types.insert(
        type_name.into(),
        TypeDef {
            name: type_name.into(),
            kind: TypeKind::Enum {
                values: vec![sad.into(), "happy".into()],
            },
            comment: None,
            privileges: Vec::new(),
        },
    );
    schema.types.insert(
        "pair".into(),
        TypeDef {
            name: "pair".into(),
            kind: TypeKind::Composite {
                attributes: vec![CompositeAttribute {
                    name: "m".into(),
                    data_type: DataType::UserDefined(ty.clone()),
                    collation: None,
                }],
            },
            comment: None,
            privileges: Vec::new(),
        },
    );
    let mut users = users();
    let mut mood = Column::new("mood", DataType::UserDefined(ty.clone()));
    mood.default = Some(format!("'{sad}'::{type_name}"));
    users.columns.push(mood);
    users.columns.push(Column::new(
        "moods",
        DataType::Array(Box::new(DataType::UserDefined(ty.clone()))),
    ));
    schema.tables.insert("users".into(), users);
    let function = Function {
        name: "cheer".into(),
        kind: Default::default(),
        arguments: vec![FunctionArgument {
            name: Some("m".into()),
            mode: Default::default(),
            data_type: DataType::UserDefined(ty.clone()),
            default: None,
        }],
        returns: Some(format!("SETOF {ty}")),
        language: "sql".into(),
        body: "SELECT m".into(),
        attributes: Vec::new(),
        comment: None,
        privileges: Vec::new(),
    };
    schema
        .functions
        .insert(format!("cheer(public.{type_name})"), function);
    realm
}

#[test]
fn a_renamed_type_takes_its_columns_defaults_attributes_and_routines_along() {
    let from = typed_realm("mood", "sad");
    let to = typed_realm("feeling", "sad");
    // Without a hint: the type and the routine are dropped and added.
    let plain = diff(&from, &to, &DiffOptions::default()).unwrap();
    assert!(
        plain.changes.iter().any(
            |c| matches!(c, Change::Drop { kind: ObjectKind::Type, name, .. } if name == "mood")
        )
    );
    let options = DiffOptions {
        renames: vec![Rename::parse("type:public.mood=feeling").unwrap()],
        ..DiffOptions::default()
    };
    let (renamed, _) = apply_renames(&from, &to, &options.renames).unwrap();
    assert_eq!(renamed, to, "everything that uses the type follows it");
    assert_eq!(
        diff(&from, &to, &options).unwrap().changes,
        [Change::Rename {
            kind: ObjectKind::Type,
            schema: "public".into(),
            from: "mood".into(),
            to: "feeling".into(),
        }]
    );
}

#[test]
fn a_renamed_enum_value_takes_the_defaults_along() {
    let from = typed_realm("mood", "sad");
    let to = typed_realm("mood", "blue");
    let options = DiffOptions {
        renames: vec![Rename::parse("enum-value:public.mood.sad=blue").unwrap()],
        ..DiffOptions::default()
    };
    let (renamed, _) = apply_renames(&from, &to, &options.renames).unwrap();
    assert_eq!(renamed, to);
    assert_eq!(
        diff(&from, &to, &options).unwrap().changes,
        [Change::RenameEnumValue {
            schema: "public".into(),
            name: "mood".into(),
            from: "sad".into(),
            to: "blue".into(),
        }]
    );
    let wrong = DiffOptions {
        renames: vec![Rename::parse("enum-value:public.mood.glad=blue").unwrap()],
        ..DiffOptions::default()
    };
    let error = diff(&from, &to, &wrong).unwrap_err().to_string();
    assert!(error.contains("no label glad"), "{error}");
}

#[test]
fn constraints_are_renamed_by_kind_and_unique_indexes_stand_for_unique_keys() {
    use schema_model::{Check, UniqueConstraint};
    let table = |check: &str, unique: &str, index: &str| {
        let mut t = users();
        t.checks.insert(
            check.into(),
            Check {
                name: check.into(),
                expression: "id > 0".into(),
                no_inherit: false,
                not_valid: false,
                not_enforced: false,
                comment: None,
            },
        );
        t.uniques.insert(
            unique.into(),
            UniqueConstraint {
                name: unique.into(),
                columns: vec!["mail".into()],
                include: vec![],
                nulls_not_distinct: false,
                deferrable: Default::default(),
                comment: None,
            },
        );
        t.indexes.insert(
            index.into(),
            Index {
                name: index.into(),
                unique: true,
                method: Default::default(),
                parts: vec![IndexPart::column("id")],
                include: vec![],
                predicate: None,
                nulls_not_distinct: false,
                parameters: Default::default(),
                comment: None,
            },
        );
        t
    };
    let from = realm_with(table("c", "u", "i"));
    let to = realm_with(table("c2", "u2", "i2"));
    let options = DiffOptions {
        renames: ["c=c2", "u=u2", "i=i2"]
            .iter()
            .map(|r| Rename::parse(&format!("constraint:public.users.{r}")).unwrap())
            .collect(),
        ..DiffOptions::default()
    };
    let changes = diff(&from, &to, &options).unwrap().changes;
    assert_eq!(
        changes,
        [Change::ModifyTable {
            schema: "public".into(),
            name: "users".into(),
            changes: vec![
                TableChange::RenameConstraint {
                    kind: ConstraintKind::Check,
                    from: "c".into(),
                    to: "c2".into()
                },
                TableChange::RenameConstraint {
                    kind: ConstraintKind::Unique,
                    from: "u".into(),
                    to: "u2".into()
                },
                TableChange::RenameIndex {
                    from: "i".into(),
                    to: "i2".into()
                },
            ]
        }]
    );
    // A constraint renamed to one of another kind names nothing the target has.
    let wrong = DiffOptions {
        renames: vec![Rename::parse("constraint:public.users.c=u2").unwrap()],
        ..DiffOptions::default()
    };
    let error = diff(&from, &to, &wrong).unwrap_err().to_string();
    assert!(error.contains("no check of the new name"), "{error}");
}

#[test]
fn types_dropped_and_added_alike_are_suggested_as_renames() {
    let from = typed_realm("mood", "sad");
    let to = typed_realm("feeling", "sad");
    let hints: Vec<String> = diff(&from, &to, &DiffOptions::default())
        .unwrap()
        .suggestions
        .iter()
        .map(|s| format!("{}:{}={}", s.rename.kind, s.rename.from, s.rename.to))
        .collect();
    assert!(
        hints.contains(&"type:public.mood=feeling".to_owned()),
        "{hints:?}"
    );
}
