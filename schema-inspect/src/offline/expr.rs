//! Expressions in canonical text.

use super::Replay;
use sqlparser::ast::Expr;

/// The canonical text of an expression. (Stub: sqlparser's Display.)
pub(crate) fn canonical(_replay: &Replay, expr: &Expr) -> String {
    expr.to_string()
}
