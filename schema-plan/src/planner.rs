//! The planner: node-level differences of the two realms' rendered dependency graphs.

use crate::plan::{Plan, PlanError, PlanOptions, PlannedStatement};
use schema_model::Realm;

pub(crate) fn plan(from: &Realm, to: &Realm, _options: &PlanOptions) -> Result<Plan, PlanError> {
    // Placeholder until the node-level planner lands: only plans from an empty realm.
    if *from != Realm::new(from.dialect) {
        return Err(PlanError::Unsupported {
            object: "realm".into(),
            reason: "planning from a non-empty schema is not written yet".into(),
        });
    }
    let statements = crate::render_realm(to)
        .into_iter()
        .map(|s| PlannedStatement {
            sql: s.sql,
            reverse: None,
            transactional: to.dialect != schema_model::Dialect::Mysql,
            objects: vec![s.object],
            destructive: false,
            hazard: None,
        })
        .collect();
    Ok(Plan {
        dialect: to.dialect,
        statements,
    })
}
