//! Dialect rules. (Stub.)

use sqlparser::ast::Ident;

pub(crate) fn fold_ident(ident: &Ident) -> String {
    ident.value.clone()
}

pub(crate) fn data_type(
    _replay: &super::Replay,
    ty: &sqlparser::ast::DataType,
) -> Result<schema_model::DataType, String> {
    Ok(schema_model::DataType::Other(ty.to_string().to_lowercase()))
}
