//! `opcorp mandates`: the mandates client companies gave this service provider.

use crate::commands::Context;
use crate::commands::args::format_date;
use crate::exit::CliError;
use crate::output::{Format, Table, plain, print_json, to_value};

/// Runs `mandates`.
pub async fn run(ctx: &Context) -> Result<(), CliError> {
    let client = ctx.settings()?.client()?;
    let mandates = client.service_provider().mandates().await?;
    if ctx.format == Format::Json {
        return print_json(&to_value(&mandates)?);
    }
    let mut table = Table::new(&[
        "mandate",
        "company",
        "business id",
        "apis",
        "status",
        "valid from",
    ]);
    for m in &mandates {
        table.push(vec![
            m.mandate_id.clone(),
            m.company_name.clone().unwrap_or_default(),
            m.business_id.clone().unwrap_or_default(),
            m.apis.join(","),
            plain(&to_value(&m.status)?),
            m.valid_from.map(format_date).unwrap_or_default(),
        ]);
    }
    table.print(ctx.format)
}
