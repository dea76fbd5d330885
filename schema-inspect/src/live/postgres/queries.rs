//! The catalog queries: one per object kind, each filtered to the schemas being read
//! (`$1`, a `text[]`) in SQL, so the number of round trips does not grow with the
//! number of tables.
//!
//! Objects that an extension owns (`pg_depend.deptype = 'e'`) are left out: the
//! extension is what the user created. Constraints, indexes and triggers PostgreSQL
//! copies onto partitions (those with a parent), and a partition's own ones attached
//! to its partitioned table's (`ALTER INDEX ... ATTACH PARTITION`), are left out too:
//! the model keeps them once, on the partitioned table, as the SQL declares them. A
//! partition keeps only what is its own.

/// `ARRAY[...]` of `grantee=PRIVILEGE[*]` for an ACL column, without the entries the
/// object has by default (the owner's own, `PUBLIC`'s `EXECUTE` on functions), which
/// the model leaves implicit. `kind` is `acldefault`'s object letter.
///
/// A NULL ACL (never granted or revoked) is the default, so it yields the empty list
/// without the two `aclexplode` calls: on 5,000 tables that halves the columns query.
pub(super) fn acl(column: &str, kind: char, owner: &str) -> String {
    format!(
        "CASE WHEN {column} IS NULL THEN '{{}}'::text[] ELSE \
         ARRAY(SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' \
         ELSE pg_get_userbyid(a.grantee)::text END || '=' || a.privilege_type \
         || CASE WHEN a.is_grantable THEN '*' ELSE '' END \
         FROM (SELECT * FROM aclexplode({column}) \
         EXCEPT SELECT * FROM aclexplode(acldefault('{kind}', {owner}))) a) END"
    )
}

/// A `LEFT JOIN` of the comment on object `oid` (its part `subid`, a column number, or
/// `0` for the object itself) of catalog `catalog`, as `dsc.description`. A join, not
/// `obj_description()`: that is a SQL function, called row by row, and over the tens of
/// thousands of columns of a large schema the calls cost a third of the query. (The
/// queries kept as constants spell the same join out.)
pub(super) fn comment_join(catalog: &str, oid: &str, subid: &str) -> String {
    format!(
        "LEFT JOIN pg_description dsc ON dsc.objoid = {oid} \
         AND dsc.classoid = '{catalog}'::regclass AND dsc.objsubid = {subid}"
    )
}

/// `NOT EXISTS` an extension membership of the object `oid` of catalog `catalog`.
pub(super) fn not_extension_member(catalog: &str, oid: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM pg_depend ext WHERE ext.classid = '{catalog}'::regclass \
         AND ext.objid = {oid} AND ext.deptype = 'e')"
    )
}

pub(super) fn schemas() -> String {
    format!(
        "SELECT n.nspname::text AS name, dsc.description AS comment, \
         {acl} AS acl \
         FROM pg_namespace n {comment} \
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') \
         AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast\\_temp\\_%' \
         AND {member} \
         AND (cardinality($1::text[]) = 0 OR n.nspname = ANY($1)) \
         ORDER BY 1",
        acl = acl("n.nspacl", 'n', "n.nspowner"),
        comment = comment_join("pg_namespace", "n.oid", "0"),
        member = not_extension_member("pg_namespace", "n.oid"),
    )
}

pub(super) const EXTENSIONS: &str = "SELECT e.extname::text AS name, n.nspname::text AS schema, \
     nullif(obj_description(e.oid, 'pg_extension'), \
            (SELECT a.comment FROM pg_available_extensions a WHERE a.name = e.extname)) AS comment \
     FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace \
     WHERE e.extname <> 'plpgsql' AND n.nspname = ANY($1) ORDER BY 1";

pub(super) fn relations() -> String {
    format!(
        "SELECT c.oid::int8 AS oid, n.nspname::text AS schema, c.relname::text AS name, \
         c.relkind::text AS kind, c.relpersistence::text AS persistence, \
         c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security, \
         coalesce(c.reloptions, '{{}}')::text[] AS options, \
         CASE WHEN am.amname <> 'heap' THEN am.amname::text END AS access_method, \
         CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key, \
         CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound, \
         ARRAY(SELECT pn.nspname::text FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent \
               JOIN pg_namespace pn ON pn.oid = p.relnamespace WHERE h.inhrelid = c.oid \
               ORDER BY h.inhseqno) AS parent_schemas, \
         ARRAY(SELECT p.relname::text FROM pg_inherits h JOIN pg_class p ON p.oid = h.inhparent \
               WHERE h.inhrelid = c.oid ORDER BY h.inhseqno) AS parent_names, \
         CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) END AS view_definition, \
         c.relispopulated AS populated, \
         dsc.description AS comment, {acl} AS acl \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_am am ON am.oid = c.relam {comment} \
         WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY($1) AND {member} \
         ORDER BY 2, 3",
        acl = acl("c.relacl", 'r', "c.relowner"),
        comment = comment_join("pg_class", "c.oid", "0"),
        member = not_extension_member("pg_class", "c.oid"),
    )
}

pub(super) fn columns() -> String {
    format!(
        "SELECT a.attrelid::int8 AS rel, a.attname::text AS name, \
         format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null, \
         pg_get_expr(d.adbin, d.adrelid) AS default_expr, a.attidentity::text AS identity, \
         a.attgenerated::text AS generated, \
         CASE WHEN a.attcollation <> t.typcollation THEN \
           CASE WHEN cn.nspname = 'pg_catalog' THEN co.collname::text \
           ELSE cn.nspname || '.' || co.collname END END AS collation, \
         dsc.description AS comment, {acl} AS acl, \
         a.attislocal AS local \
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_type t ON t.oid = a.atttypid \
         LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum \
         LEFT JOIN pg_collation co ON co.oid = a.attcollation \
         LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace {comment} \
         WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm') \
         AND n.nspname = ANY($1) \
         ORDER BY a.attrelid, a.attnum",
        acl = acl("a.attacl", 'c', "c.relowner"),
        comment = comment_join("pg_class", "a.attrelid", "a.attnum"),
    )
}

/// Column names of `conkey`-like `int2[]` columns, in order.
fn attnames(array: &str, rel: &str) -> String {
    format!(
        "ARRAY(SELECT a.attname::text FROM unnest({array}) WITH ORDINALITY k(num, ord) \
         JOIN pg_attribute a ON a.attrelid = {rel} AND a.attnum = k.num ORDER BY k.ord)"
    )
}

/// Constraints of every kind. Only a CHECK's text is read (the other kinds come in
/// parts), and `pg_get_constraintdef` is most of the query's cost, so it runs for
/// checks alone.
pub(super) fn constraints() -> String {
    format!(
        "SELECT con.conrelid::int8 AS rel, con.contypid::int8 AS type_oid, \
         con.conname::text AS name, con.contype::text AS kind, \
         con.condeferrable AS deferrable, con.condeferred AS deferred, \
         con.convalidated AS validated, con.connoinherit AS no_inherit, \
         {columns} AS columns, \
         fn.nspname::text AS ref_schema, fc.relname::text AS ref_table, \
         {ref_columns} AS ref_columns, \
         con.confupdtype::text AS on_update, con.confdeltype::text AS on_delete, \
         con.confmatchtype::text AS match_type, \
         {set_columns} AS set_columns, \
         CASE WHEN con.contype = 'c' THEN pg_get_constraintdef(con.oid) ELSE '' END \
             AS definition, \
         ARRAY(SELECT CASE WHEN opn.nspname = 'pg_catalog' THEN o.oprname::text \
               ELSE 'OPERATOR(' || opn.nspname || '.' || o.oprname || ')' END \
               FROM unnest(con.conexclop) WITH ORDINALITY x(op, ord) \
               JOIN pg_operator o ON o.oid = x.op \
               JOIN pg_namespace opn ON opn.oid = o.oprnamespace ORDER BY x.ord) AS operators, \
         dsc.description AS comment \
         FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace {comment} \
         LEFT JOIN pg_class fc ON fc.oid = con.confrelid \
         LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
         WHERE n.nspname = ANY($1) AND con.contype IN ('p', 'u', 'f', 'c', 'x') \
         AND con.conparentid = 0 AND con.conislocal \
         ORDER BY con.conrelid, con.contypid, con.conname",
        columns = attnames("con.conkey", "con.conrelid"),
        ref_columns = attnames("con.confkey", "con.confrelid"),
        set_columns = attnames("con.confdelsetcols", "con.conrelid"),
        comment = comment_join("pg_constraint", "con.oid", "0"),
    )
}

/// Indexes, with their parts. `pg_get_indexdef` per part is wanted for expression parts
/// only (a plain column comes by name), and is half the query's cost otherwise.
pub(super) const INDEXES: &str = "SELECT i.indrelid::int8 AS rel, ic.relname::text AS name, \
     i.indexrelid::int8 AS oid, i.indisunique AS is_unique, \
     i.indnullsnotdistinct AS nulls_not_distinct, am.amname::text AS method, \
     i.indnkeyatts::int4 AS key_count, \
     ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true) \
                 ELSE '' END FROM generate_series(1, i.indnatts) k \
           ORDER BY k) AS definitions, \
     ARRAY(SELECT coalesce(a.attname::text, '') FROM generate_series(1, i.indnatts) k \
           LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1] \
           AND i.indkey[k - 1] <> 0 ORDER BY k) AS column_names, \
     ARRAY(SELECT i.indoption[k - 1]::int4 FROM generate_series(1, i.indnkeyatts) k \
           ORDER BY k) AS flags, \
     ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' WHEN pg_opclass_is_visible(oc.oid) \
           THEN oc.opcname::text ELSE ocn.nspname || '.' || oc.opcname END \
           FROM generate_series(1, i.indnkeyatts) k \
           JOIN pg_opclass oc ON oc.oid = i.indclass[k - 1] \
           JOIN pg_namespace ocn ON ocn.oid = oc.opcnamespace ORDER BY k) AS opclasses, \
     ARRAY(SELECT CASE WHEN i.indcollation[k - 1] = 0 \
                 OR i.indcollation[k - 1] = coalesce(ta.attcollation, ia.attcollation) THEN '' \
                 WHEN cn.nspname = 'pg_catalog' THEN co.collname::text \
                 ELSE cn.nspname || '.' || co.collname END \
           FROM generate_series(1, i.indnkeyatts) k \
           LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k - 1] \
           LEFT JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k \
           LEFT JOIN pg_type it ON it.oid = ia.atttypid \
           LEFT JOIN pg_collation co ON co.oid = i.indcollation[k - 1] \
           LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace ORDER BY k) AS collations, \
     pg_get_expr(i.indpred, i.indrelid) AS predicate, \
     coalesce(ic.reloptions, '{}')::text[] AS parameters, \
     dsc.description AS comment, \
     EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid \
             AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')) AS backs_constraint, \
     EXISTS (SELECT 1 FROM pg_inherits inh WHERE inh.inhrelid = i.indexrelid) AS attached \
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
     JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace \
     JOIN pg_am am ON am.oid = ic.relam \
     LEFT JOIN pg_description dsc ON dsc.objoid = i.indexrelid \
       AND dsc.classoid = 'pg_class'::regclass AND dsc.objsubid = 0 \
     WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'm') \
     ORDER BY i.indrelid, ic.relname";

pub(super) fn sequences() -> String {
    format!(
        "SELECT n.nspname::text AS schema, c.relname::text AS name, \
         format_type(s.seqtypid, NULL) AS type, s.seqstart AS start, \
         s.seqincrement AS increment, s.seqmin AS min_value, s.seqmax AS max_value, \
         s.seqcache AS cache, s.seqcycle AS cycle, \
         dn.nspname::text AS owner_schema, dc.relname::text AS owner_table, \
         da.attname::text AS owner_column, d.deptype::text AS owner_kind, \
         dsc.description AS comment, {acl} AS acl \
         FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid {comment} \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid \
           AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 \
           AND d.deptype IN ('a', 'i') \
         LEFT JOIN pg_class dc ON dc.oid = d.refobjid \
         LEFT JOIN pg_namespace dn ON dn.oid = dc.relnamespace \
         LEFT JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid \
         WHERE n.nspname = ANY($1) AND {member} \
         ORDER BY 1, 2",
        acl = acl("c.relacl", 's', "c.relowner"),
        comment = comment_join("pg_class", "c.oid", "0"),
        member = not_extension_member("pg_class", "c.oid"),
    )
}

pub(super) fn types() -> String {
    format!(
        "SELECT t.oid::int8 AS oid, n.nspname::text AS schema, t.typname::text AS name, \
         t.typtype::text AS kind, \
         ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid \
               ORDER BY e.enumsortorder) AS labels, \
         ARRAY(SELECT a.attname::text FROM pg_attribute a WHERE a.attrelid = t.typrelid \
               AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attribute_names, \
         ARRAY(SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a \
               WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped \
               ORDER BY a.attnum) AS attribute_types, \
         ARRAY(SELECT CASE WHEN a.attcollation = at.typcollation THEN '' \
               WHEN cn.nspname = 'pg_catalog' THEN co.collname::text \
               ELSE cn.nspname || '.' || co.collname END \
               FROM pg_attribute a JOIN pg_type at ON at.oid = a.atttypid \
               LEFT JOIN pg_collation co ON co.oid = a.attcollation \
               LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace \
               WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped \
               ORDER BY a.attnum) AS attribute_collations, \
         CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type, \
         t.typnotnull AS not_null, pg_get_expr(t.typdefaultbin, 0) AS default_expr, \
         CASE WHEN t.typtype = 'd' AND t.typcollation <> bt.typcollation THEN \
           CASE WHEN dcn.nspname = 'pg_catalog' THEN dco.collname::text \
           ELSE dcn.nspname || '.' || dco.collname END END AS collation, \
         CASE WHEN t.typtype = 'r' THEN format_type(r.rngsubtype, NULL) END AS subtype, \
         CASE WHEN r.rngsubopc IS NOT NULL AND NOT ro.opcdefault THEN ro.opcname::text END AS subtype_opclass, \
         CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation THEN rco.collname::text END AS range_collation, \
         CASE WHEN r.rngcanonical <> 0 THEN r.rngcanonical::regproc::text END AS canonical, \
         CASE WHEN r.rngsubdiff <> 0 THEN r.rngsubdiff::regproc::text END AS subtype_diff, \
         CASE WHEN r.rngmultitypid <> 0 THEN mn.nspname || '.' || mt.typname END AS multirange, \
         dsc.description AS comment, {acl} AS acl \
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace {comment} \
         LEFT JOIN pg_class rc ON rc.oid = t.typrelid \
         LEFT JOIN pg_type bt ON bt.oid = t.typbasetype \
         LEFT JOIN pg_collation dco ON dco.oid = t.typcollation \
         LEFT JOIN pg_namespace dcn ON dcn.oid = dco.collnamespace \
         LEFT JOIN pg_range r ON r.rngtypid = t.oid \
         LEFT JOIN pg_type st ON st.oid = r.rngsubtype \
         LEFT JOIN pg_opclass ro ON ro.oid = r.rngsubopc \
         LEFT JOIN pg_collation rco ON rco.oid = r.rngcollation \
         LEFT JOIN pg_type mt ON mt.oid = r.rngmultitypid \
         LEFT JOIN pg_namespace mn ON mn.oid = mt.typnamespace \
         WHERE n.nspname = ANY($1) AND t.typtype IN ('e', 'c', 'd', 'r') \
         AND (t.typrelid = 0 OR rc.relkind = 'c') AND {member} \
         ORDER BY 2, 3",
        acl = acl("t.typacl", 'T', "t.typowner"),
        comment = comment_join("pg_type", "t.oid", "0"),
        member = not_extension_member("pg_type", "t.oid"),
    )
}

pub(super) fn functions() -> String {
    format!(
        "SELECT n.nspname::text AS schema, p.proname::text AS name, p.prokind::text AS kind, \
         pg_get_functiondef(p.oid) AS definition, \
         dsc.description AS comment, {acl} AS acl \
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace {comment} \
         WHERE n.nspname = ANY($1) AND p.prokind IN ('f', 'p') AND {member} \
         AND NOT EXISTS (SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_proc'::regclass \
           AND i.objid = p.oid AND i.deptype = 'i') \
         ORDER BY 1, 2, p.oid",
        acl = acl("p.proacl", 'f', "p.proowner"),
        comment = comment_join("pg_proc", "p.oid", "0"),
        member = not_extension_member("pg_proc", "p.oid"),
    )
}

pub(super) const TRIGGERS: &str = "SELECT tg.tgrelid::int8 AS rel, tg.tgname::text AS name, \
     tg.tgtype::int4 AS type_bits, tg.tgenabled::text AS enabled, \
     ARRAY(SELECT a.attname::text FROM unnest(tg.tgattr::int2[]) WITH ORDINALITY k(num, ord) \
           JOIN pg_attribute a ON a.attrelid = tg.tgrelid AND a.attnum = k.num \
           ORDER BY k.ord) AS columns, \
     pn.nspname::text AS function_schema, p.proname::text AS function_name, \
     tg.tgargs AS arguments, tg.tgconstraint <> 0 AS is_constraint, \
     tg.tgdeferrable AS deferrable, tg.tginitdeferred AS deferred, \
     fn.nspname::text AS from_schema, fc.relname::text AS from_table, \
     tg.tgoldtable::text AS old_table, tg.tgnewtable::text AS new_table, \
     pg_get_triggerdef(tg.oid) AS definition, \
     dsc.description AS comment \
     FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     JOIN pg_proc p ON p.oid = tg.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace \
     LEFT JOIN pg_class fc ON fc.oid = tg.tgconstrrelid \
     LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace \
     LEFT JOIN pg_description dsc ON dsc.objoid = tg.oid \
       AND dsc.classoid = 'pg_trigger'::regclass AND dsc.objsubid = 0 \
     WHERE n.nspname = ANY($1) AND NOT tg.tgisinternal AND tg.tgparentid = 0 \
     ORDER BY tg.tgrelid, tg.tgname";

pub(super) const POLICIES: &str = "SELECT pol.polrelid::int8 AS rel, pol.polname::text AS name, \
     pol.polpermissive AS permissive, pol.polcmd::text AS command, \
     ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END \
           FROM unnest(pol.polroles) r) AS roles, \
     pg_get_expr(pol.polqual, pol.polrelid) AS using_expr, \
     pg_get_expr(pol.polwithcheck, pol.polrelid) AS check_expr, \
     dsc.description AS comment \
     FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid \
     JOIN pg_namespace n ON n.oid = c.relnamespace \
     LEFT JOIN pg_description dsc ON dsc.objoid = pol.oid \
       AND dsc.classoid = 'pg_policy'::regclass AND dsc.objsubid = 0 \
     WHERE n.nspname = ANY($1) ORDER BY pol.polrelid, pol.polname";

pub(super) fn collations() -> String {
    format!(
        "SELECT n.nspname::text AS schema, c.collname::text AS name, \
         c.collprovider::text AS provider, c.collisdeterministic AS deterministic, \
         c.collcollate::text AS lc_collate, c.collctype::text AS lc_ctype, \
         c.colliculocale::text AS icu_locale, \
         dsc.description AS comment \
         FROM pg_collation c JOIN pg_namespace n ON n.oid = c.collnamespace {comment} \
         WHERE n.nspname = ANY($1) AND {member} ORDER BY 1, 2",
        comment = comment_join("pg_collation", "c.oid", "0"),
        member = not_extension_member("pg_collation", "c.oid"),
    )
}

/// Default privileges: those of every schema, and those of the schemas read.
pub(super) const DEFAULT_PRIVILEGES: &str = "SELECT CASE WHEN d.defaclrole = \
     (SELECT oid FROM pg_roles WHERE rolname = current_user) THEN NULL \
     ELSE pg_get_userbyid(d.defaclrole)::text END AS for_role, \
     n.nspname::text AS schema, d.defaclobjtype::text AS kind, \
     ARRAY(SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' \
           ELSE pg_get_userbyid(a.grantee)::text END || '=' || a.privilege_type \
           || CASE WHEN a.is_grantable THEN '*' ELSE '' END \
           FROM (SELECT * FROM aclexplode(d.defaclacl) \
                 EXCEPT SELECT * FROM aclexplode(acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' \
                   ELSE d.defaclobjtype END, d.defaclrole)) WHERE d.defaclnamespace = 0) a) \
       AS acl \
     FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace \
     WHERE d.defaclnamespace = 0 OR n.nspname = ANY($1) ORDER BY 1, 2, 3";

/// A routine (`regproc` oid) as the catalog resolves it: by its bare name in
/// `pg_catalog`, else qualified; NULL for 0.
fn routine(oid: &str) -> String {
    format!(
        "(SELECT CASE WHEN rn.nspname = 'pg_catalog' THEN quote_ident(r.proname) \
         ELSE quote_ident(rn.nspname) || '.' || quote_ident(r.proname) END \
         FROM pg_proc r JOIN pg_namespace rn ON rn.oid = r.pronamespace WHERE r.oid = {oid})"
    )
}

/// An operator (oid) as `OPERATOR(schema.symbol)`; NULL for 0.
fn operator(oid: &str) -> String {
    format!(
        "(SELECT 'OPERATOR(' || quote_ident(xn.nspname) || '.' || x.oprname || ')' \
         FROM pg_operator x JOIN pg_namespace xn ON xn.oid = x.oprnamespace WHERE x.oid = {oid})"
    )
}

/// ` OPTIONS (name 'value', ...)` of an options array, or the empty text.
fn options(column: &str) -> String {
    format!(
        "coalesce((SELECT ' OPTIONS (' || string_agg(quote_ident(o.option_name) || ' ' \
         || quote_literal(o.option_value), ', ') || ')' FROM pg_options_to_table({column}) o), '')"
    )
}

/// Objects that belong to no schema are reported with the default schema, `public`,
/// and only when it is read.
const GLOBAL: &str = "'public' = ANY($1)";

/// The kinds the model keeps whole (operators, casts, rules, statistics, text search
/// configurations and dictionaries, foreign data wrappers, servers and tables,
/// publications, event triggers) and aggregates, each written back as the statements
/// `pg_dump` would write, one row per object: the offline loader reads them, so both
/// sides describe them alike. User-made only: objects of extensions (and rules and
/// statistics on an extension's relations, which the extension made) and the server's
/// own (oids below `FirstNormalObjectId`) are left out, and so are shell operators
/// (no function: made by a commutator that names an operator not yet defined, and
/// left out by `pg_dump` too) and the casts a range
/// type makes to its multirange (an internal dependency), which no SQL wrote.
pub(super) fn other_objects() -> String {
    let aggregate_options = [
        format!("'SFUNC = ' || {}", routine("a.aggtransfn")),
        "'STYPE = ' || format_type(a.aggtranstype, NULL)".to_owned(),
        "CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END".to_owned(),
        format!("'FINALFUNC = ' || {}", routine("NULLIF(a.aggfinalfn, 0)")),
        "CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END".to_owned(),
        "CASE WHEN a.aggfinalmodify <> CASE WHEN a.aggkind = 'n' THEN 'r' ELSE 'w' END \
         THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' \
         WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END"
            .to_owned(),
        format!("'COMBINEFUNC = ' || {}", routine("NULLIF(a.aggcombinefn, 0)")),
        format!("'SERIALFUNC = ' || {}", routine("NULLIF(a.aggserialfn, 0)")),
        format!("'DESERIALFUNC = ' || {}", routine("NULLIF(a.aggdeserialfn, 0)")),
        "'INITCOND = ' || quote_literal(a.agginitval)".to_owned(),
        format!("'MSFUNC = ' || {}", routine("NULLIF(a.aggmtransfn, 0)")),
        format!("'MINVFUNC = ' || {}", routine("NULLIF(a.aggminvtransfn, 0)")),
        "CASE WHEN a.aggmtranstype <> 0 THEN 'MSTYPE = ' || format_type(a.aggmtranstype, NULL) END"
            .to_owned(),
        "CASE WHEN a.aggmtransspace <> 0 THEN 'MSSPACE = ' || a.aggmtransspace END".to_owned(),
        format!("'MFINALFUNC = ' || {}", routine("NULLIF(a.aggmfinalfn, 0)")),
        "CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END".to_owned(),
        "CASE WHEN a.aggmtransfn <> 0 AND a.aggmfinalmodify <> CASE WHEN a.aggkind = 'n' \
         THEN 'r' ELSE 'w' END THEN 'MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify \
         WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END"
            .to_owned(),
        "'MINITCOND = ' || quote_literal(a.aggminitval)".to_owned(),
        "'SORTOP = ' || (SELECT x.oprname::text FROM pg_operator x WHERE x.oid = NULLIF(a.aggsortop, 0))"
            .to_owned(),
        "CASE p.proparallel WHEN 's' THEN 'PARALLEL = safe' \
         WHEN 'r' THEN 'PARALLEL = restricted' END"
            .to_owned(),
        "CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END".to_owned(),
    ]
    .join(", ");
    let operator_options = [
        format!("'FUNCTION = ' || {}", routine("o.oprcode")),
        "'LEFTARG = ' || format_type(NULLIF(o.oprleft, 0), NULL)".to_owned(),
        "'RIGHTARG = ' || format_type(NULLIF(o.oprright, 0), NULL)".to_owned(),
        format!("'COMMUTATOR = ' || {}", operator("NULLIF(o.oprcom, 0)")),
        format!("'NEGATOR = ' || {}", operator("NULLIF(o.oprnegate, 0)")),
        "CASE WHEN o.oprcanmerge THEN 'MERGES' END".to_owned(),
        "CASE WHEN o.oprcanhash THEN 'HASHES' END".to_owned(),
        format!("'RESTRICT = ' || {}", routine("NULLIF(o.oprrest, 0)")),
        format!("'JOIN = ' || {}", routine("NULLIF(o.oprjoin, 0)")),
    ]
    .join(", ");
    let qualified =
        |schema: &str, name: &str| format!("quote_ident({schema}) || '.' || quote_ident({name})");
    format!(
        // Aggregates: the argument list as the catalog identifies the aggregate.
        "SELECT 'aggregate' AS kind, n.nspname::text AS schema, \
         'CREATE AGGREGATE ' || {agg_name} || '(' || \
         pg_get_function_identity_arguments(p.oid) || ') (' || concat_ws(', ', {aggregate_options}) \
         || ');' AS statements, obj_description(p.oid, 'pg_proc') AS comment \
         FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid \
         JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = ANY($1) AND {agg_member} \
         UNION ALL \
         SELECT 'operator', n.nspname::text, \
         'CREATE OPERATOR ' || quote_ident(n.nspname) || '.' || o.oprname || ' (' \
         || concat_ws(', ', {operator_options}) || ');', obj_description(o.oid, 'pg_operator') \
         FROM pg_operator o JOIN pg_namespace n ON n.oid = o.oprnamespace \
         WHERE n.nspname = ANY($1) AND o.oprcode <> 0 AND {op_member} \
         UNION ALL \
         SELECT 'cast', NULL, \
         'CREATE CAST (' || format_type(c.castsource, NULL) || ' AS ' \
         || format_type(c.casttarget, NULL) || ') ' || CASE c.castmethod \
           WHEN 'f' THEN 'WITH FUNCTION ' || {cast_function} || '(' \
             || (SELECT oidvectortypes(f.proargtypes) FROM pg_proc f WHERE f.oid = c.castfunc) || ')' \
           WHEN 'i' THEN 'WITH INOUT' ELSE 'WITHOUT FUNCTION' END \
         || CASE c.castcontext WHEN 'a' THEN ' AS ASSIGNMENT' WHEN 'i' THEN ' AS IMPLICIT' ELSE '' END \
         || ';', obj_description(c.oid, 'pg_cast') \
         FROM pg_cast c WHERE c.oid >= 16384 AND {GLOBAL} AND {cast_member} \
         AND NOT EXISTS (SELECT 1 FROM pg_depend ci WHERE ci.classid = 'pg_cast'::regclass \
           AND ci.objid = c.oid AND ci.deptype = 'i') \
         UNION ALL \
         SELECT 'rule', n.nspname::text, pg_get_ruledef(r.oid), \
         obj_description(r.oid, 'pg_rewrite') \
         FROM pg_rewrite r JOIN pg_class t ON t.oid = r.ev_class \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE r.rulename <> '_RETURN' AND n.nspname = ANY($1) AND {rule_member} \
         AND {rule_table_member} \
         UNION ALL \
         SELECT 'statistics', n.nspname::text, pg_get_statisticsobjdef(s.oid) || ';', \
         obj_description(s.oid, 'pg_statistic_ext') \
         FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace \
         WHERE n.nspname = ANY($1) AND {stat_member} \
         AND {stat_table_member} \
         UNION ALL \
         SELECT 'text search configuration', n.nspname::text, \
         'CREATE TEXT SEARCH CONFIGURATION ' || {cfg_name} || ' (PARSER = ' \
         || (SELECT quote_ident(pn.nspname) || '.' || quote_ident(pr.prsname) \
             FROM pg_ts_parser pr JOIN pg_namespace pn ON pn.oid = pr.prsnamespace \
             WHERE pr.oid = c.cfgparser) || ');' || coalesce((SELECT string_agg( \
             ' ALTER TEXT SEARCH CONFIGURATION ' || {cfg_name} || ' ADD MAPPING FOR ' \
             || m.alias || ' WITH ' || m.dicts || ';', '' ORDER BY m.tokentype) \
             FROM (SELECT t.tokid AS tokentype, t.alias, string_agg( \
               CASE WHEN pg_ts_dict_is_visible(d.oid) THEN quote_ident(d.dictname) \
               ELSE quote_ident(dn.nspname) || '.' || quote_ident(d.dictname) END, ', ' \
               ORDER BY cm.mapseqno) AS dicts \
               FROM pg_ts_config_map cm JOIN ts_token_type(c.cfgparser) t ON t.tokid = cm.maptokentype \
               JOIN pg_ts_dict d ON d.oid = cm.mapdict \
               JOIN pg_namespace dn ON dn.oid = d.dictnamespace \
               WHERE cm.mapcfg = c.oid GROUP BY t.tokid, t.alias) m), ''), \
         obj_description(c.oid, 'pg_ts_config') \
         FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace \
         WHERE n.nspname = ANY($1) AND {cfg_member} \
         UNION ALL \
         SELECT 'text search dictionary', n.nspname::text, \
         'CREATE TEXT SEARCH DICTIONARY ' || {dict_name} || ' (TEMPLATE = ' \
         || (SELECT quote_ident(tn.nspname) || '.' || quote_ident(t.tmplname) \
             FROM pg_ts_template t JOIN pg_namespace tn ON tn.oid = t.tmplnamespace \
             WHERE t.oid = d.dicttemplate) \
         || coalesce(', ' || d.dictinitoption, '') || ');', \
         obj_description(d.oid, 'pg_ts_dict') \
         FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace \
         WHERE n.nspname = ANY($1) AND {dict_member} \
         UNION ALL \
         SELECT 'foreign data wrapper', NULL, \
         'CREATE FOREIGN DATA WRAPPER ' || quote_ident(w.fdwname) \
         || coalesce(' HANDLER ' || {fdw_handler}, '') \
         || coalesce(' VALIDATOR ' || {fdw_validator}, '') || {fdw_options} || ';', \
         obj_description(w.oid, 'pg_foreign_data_wrapper') \
         FROM pg_foreign_data_wrapper w WHERE {GLOBAL} AND {fdw_member} \
         UNION ALL \
         SELECT 'server', NULL, \
         'CREATE SERVER ' || quote_ident(s.srvname) \
         || coalesce(' TYPE ' || quote_literal(s.srvtype), '') \
         || coalesce(' VERSION ' || quote_literal(s.srvversion), '') \
         || ' FOREIGN DATA WRAPPER ' || quote_ident(w.fdwname) || {srv_options} || ';', \
         obj_description(s.oid, 'pg_foreign_server') \
         FROM pg_foreign_server s JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw \
         WHERE {GLOBAL} AND {srv_member} \
         UNION ALL \
         SELECT 'foreign table', n.nspname::text, \
         'CREATE FOREIGN TABLE ' || {ft_name} || ' (' || coalesce((SELECT string_agg( \
           quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod) \
           || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, ', ' ORDER BY a.attnum) \
           FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 \
           AND NOT a.attisdropped), '') || ') SERVER ' || quote_ident(s.srvname) \
         || {ft_options} || ';', obj_description(c.oid, 'pg_class') \
         FROM pg_foreign_table f JOIN pg_class c ON c.oid = f.ftrelid \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_foreign_server s ON s.oid = f.ftserver \
         WHERE n.nspname = ANY($1) AND {ft_member} \
         UNION ALL \
         SELECT 'publication', NULL, \
         'CREATE PUBLICATION ' || quote_ident(p.pubname) || CASE WHEN p.puballtables \
           THEN ' FOR ALL TABLES' ELSE coalesce(' FOR ' || concat_ws(', ', \
             (SELECT 'TABLE ' || string_agg(quote_ident(tn.nspname) || '.' || quote_ident(t.relname) \
               || coalesce(' (' || (SELECT string_agg(quote_ident(pa.attname), ', ' ORDER BY k.ord) \
                 FROM unnest(pr.prattrs::int2[]) WITH ORDINALITY k(num, ord) \
                 JOIN pg_attribute pa ON pa.attrelid = pr.prrelid AND pa.attnum = k.num) || ')', '') \
               || coalesce(' WHERE (' || pg_get_expr(pr.prqual, pr.prrelid) || ')', ''), \
               ', ' ORDER BY pr.oid) \
              FROM pg_publication_rel pr JOIN pg_class t ON t.oid = pr.prrelid \
              JOIN pg_namespace tn ON tn.oid = t.relnamespace WHERE pr.prpubid = p.oid), \
             (SELECT 'TABLES IN SCHEMA ' || string_agg(quote_ident(sn.nspname), ', ' ORDER BY ps.oid) \
              FROM pg_publication_namespace ps JOIN pg_namespace sn ON sn.oid = ps.pnnspid \
              WHERE ps.pnpubid = p.oid)), '') END \
         || coalesce(' WITH (' || nullif(concat_ws(', ', \
           CASE WHEN NOT (p.pubinsert AND p.pubupdate AND p.pubdelete AND p.pubtruncate) \
           THEN 'publish = ' || quote_literal(concat_ws(', ', \
             CASE WHEN p.pubinsert THEN 'insert' END, CASE WHEN p.pubupdate THEN 'update' END, \
             CASE WHEN p.pubdelete THEN 'delete' END, CASE WHEN p.pubtruncate THEN 'truncate' END)) \
           END, \
           CASE WHEN p.pubviaroot THEN 'publish_via_partition_root = true' END), '') || ')', '') \
         || ';', obj_description(p.oid, 'pg_publication') \
         FROM pg_publication p WHERE {GLOBAL} \
         UNION ALL \
         SELECT 'event trigger', NULL, \
         'CREATE EVENT TRIGGER ' || quote_ident(e.evtname) || ' ON ' || quote_ident(e.evtevent) \
         || coalesce(' WHEN TAG IN (' || (SELECT string_agg(quote_literal(tag), ', ') \
              FROM unnest(e.evttags) tag) || ')', '') \
         || ' EXECUTE FUNCTION ' || {evt_function} || '();' \
         || CASE e.evtenabled WHEN 'D' THEN ' ALTER EVENT TRIGGER ' || quote_ident(e.evtname) \
              || ' DISABLE;' WHEN 'R' THEN ' ALTER EVENT TRIGGER ' || quote_ident(e.evtname) \
              || ' ENABLE REPLICA;' WHEN 'A' THEN ' ALTER EVENT TRIGGER ' \
              || quote_ident(e.evtname) || ' ENABLE ALWAYS;' ELSE '' END, \
         obj_description(e.oid, 'pg_event_trigger') \
         FROM pg_event_trigger e WHERE {GLOBAL} AND {evt_member} \
         ORDER BY 1, 2, 3",
        agg_name = qualified("n.nspname", "p.proname"),
        agg_member = not_extension_member("pg_proc", "p.oid"),
        op_member = not_extension_member("pg_operator", "o.oid"),
        cast_function = routine("c.castfunc"),
        cast_member = not_extension_member("pg_cast", "c.oid"),
        rule_member = not_extension_member("pg_rewrite", "r.oid"),
        rule_table_member = not_extension_member("pg_class", "r.ev_class"),
        stat_member = not_extension_member("pg_statistic_ext", "s.oid"),
        stat_table_member = not_extension_member("pg_class", "s.stxrelid"),
        cfg_name = qualified("n.nspname", "c.cfgname"),
        cfg_member = not_extension_member("pg_ts_config", "c.oid"),
        dict_name = qualified("n.nspname", "d.dictname"),
        dict_member = not_extension_member("pg_ts_dict", "d.oid"),
        fdw_handler = routine("NULLIF(w.fdwhandler, 0)"),
        fdw_validator = routine("NULLIF(w.fdwvalidator, 0)"),
        fdw_options = options("w.fdwoptions"),
        fdw_member = not_extension_member("pg_foreign_data_wrapper", "w.oid"),
        srv_options = options("s.srvoptions"),
        srv_member = not_extension_member("pg_foreign_server", "s.oid"),
        ft_name = qualified("n.nspname", "c.relname"),
        ft_options = options("f.ftoptions"),
        ft_member = not_extension_member("pg_class", "c.oid"),
        evt_function = routine("e.evtfoid"),
        evt_member = not_extension_member("pg_event_trigger", "e.oid"),
    )
}
