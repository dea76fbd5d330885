#![allow(missing_docs)]
use schema_inspect::{LoadOptions, load_sql};
use schema_model::Dialect;
fn load(s: &str) -> schema_model::Realm {
    load_sql(s, "t.sql", &LoadOptions::new(Dialect::Mysql))
        .unwrap()
        .realm
}
#[test]
fn dump() {
    let t = "CREATE TABLE t (id bigint NOT NULL, a int, b varchar(100), PRIMARY KEY (id)) ENGINE=InnoDB;\n";
    for (a, b) in [
        ("".to_string(), "CREATE DATABASE app;".to_string()),
        (
            "CREATE DATABASE app CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci;".into(),
            "CREATE DATABASE app CHARACTER SET latin1 COLLATE latin1_swedish_ci;".into(),
        ),
        (t.to_string(), t.replace("ENGINE=InnoDB", "ENGINE=MyISAM")),
        (
            t.to_string(),
            t.replace(
                "ENGINE=InnoDB",
                "ENGINE=InnoDB DEFAULT CHARSET=latin1 COLLATE=latin1_swedish_ci",
            ),
        ),
    ] {
        let (x, y) = (load(&a), load(&b));
        println!(
            "{:?}",
            schema_diff::diff(&x, &y, &Default::default())
                .unwrap()
                .changes
        );
        println!(
            "{:?}",
            y.schemas
                .values()
                .map(|s| (
                    &s.name,
                    &s.charset,
                    s.tables.values().map(|t| &t.options).collect::<Vec<_>>()
                ))
                .collect::<Vec<_>>()
        );
    }
}
