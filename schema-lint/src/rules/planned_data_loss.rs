//! DS100 `planned-data-loss`.

use crate::context::{Cx, Emit};
use crate::diagnostic::Severity;
use crate::rule::{Family, RuleMeta};

pub(crate) static RULE: RuleMeta = RuleMeta {
    code: "DS100",
    name: "planned-data-loss",
    family: Family::Destructive,
    dialects: &[],
    severity: Severity::Error,
    default_on: true,
    summary: "A plan step the planner marks as able to lose data (a dropped table or column, a SQLite rebuild that leaves a column out, a narrowed type). In plans it stands in for the destructive statement rules.",
    why: "The planner knows which of its statements lose data even when the SQL does not say so plainly, such as a table rebuilt without one of its columns.",
    instead: Some("check the data first, or change the target schema so that nothing is lost"),
    setup: "",
    bad: "-- (plans only: reported from the planner's own hazard)",
    good: "",
    check,
    at_file_end: None,
    sizing: crate::rule::Sizing::Never,
};

fn check(cx: &Cx<'_>, emit: &mut Emit<'_>) {
    let Some(hazard) = cx.plan_hazard else {
        return;
    };
    // The statement rules that would say it too stand back where the planner speaks:
    // it knows, say, that a SQLite rebuild's DROP TABLE loses only the columns it left out.
    emit.report(
        &[],
        format!("the planner marks this statement as able to lose data: {hazard}"),
    );
}

#[cfg(test)]
mod tests {
    use crate::settings::Settings;
    use schema_inspect::{LoadOptions, load_sql};
    use schema_model::Dialect;

    #[test]
    fn a_plan_step_that_loses_data_is_flagged() {
        let options = LoadOptions::new(Dialect::Sqlite);
        let load = |sql: &str| match load_sql(sql, "t.sql", &options) {
            Ok(loaded) => loaded.realm,
            Err(e) => panic!("{e}"),
        };
        let from = load("CREATE TABLE t (id integer PRIMARY KEY, a text, b text);");
        let to = load("CREATE TABLE t (id integer PRIMARY KEY, a integer);");
        let plan = match schema_plan::plan(&from, &to, &schema_plan::PlanOptions::default()) {
            Ok(plan) => plan,
            Err(e) => panic!("{e}"),
        };
        let settings = crate::rules::test_utils::settings(&super::RULE);
        let settings = Settings {
            dialect: Dialect::Sqlite,
            ..settings
        };
        let diagnostics = crate::lint_plan(&plan, &from, &settings);
        let rendered = crate::output::human(&diagnostics);
        assert!(rendered.contains("DS100"), "{rendered}");
        insta::assert_snapshot!(rendered);
    }
}
