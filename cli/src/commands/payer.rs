//! `opcorp payer`: who paid an incoming transaction (Transaction Info API, OP payers only).

use clap::Args;
use opcorp::model::PayerDetailsQuery;

use crate::commands::Context;
use crate::commands::accounts::find_account;
use crate::commands::args::parse_date;
use crate::exit::CliError;
use crate::output::{Format, Table, print_json, to_value};

/// Look up the payer's name and address for a credit transaction.
#[derive(Debug, Args)]
pub struct PayerArgs {
    /// Archive id of the incoming transaction.
    #[arg(long)]
    pub archive_id: String,
    /// Account IBAN; default: the client's first account.
    #[arg(long, value_name = "IBAN")]
    pub account: Option<String>,
    /// Booking date, YYYY-MM-DD (narrows the lookup).
    #[arg(long)]
    pub date: Option<String>,
}

/// Runs `payer`.
pub async fn run(args: &PayerArgs, ctx: &Context) -> Result<(), CliError> {
    let date = args.date.as_deref().map(parse_date).transpose()?;
    let client = ctx.settings()?.client()?;
    let iban = match &args.account {
        Some(iban) => iban.clone(),
        None => find_account(&client, None).await?.iban,
    };
    let mut query = PayerDetailsQuery::new(&iban, args.archive_id.clone())?;
    query.booking_date = date;
    let details = client.transaction_info().payer_details(&query).await?;
    if ctx.format == Format::Json {
        return print_json(&to_value(&details)?);
    }
    let address = details
        .payer_address
        .as_ref()
        .map(|a| {
            let street = [&a.street_name, &a.building_number]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            let town = [&a.post_code, &a.town_name]
                .into_iter()
                .flatten()
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            let mut parts: Vec<String> = a.address_line.clone();
            parts.extend([street, town].into_iter().filter(|p| !p.is_empty()));
            parts.push(a.country.clone());
            parts.join(", ")
        })
        .unwrap_or_default();
    let mut table = Table::new(&["field", "value"]);
    table.push(vec![
        "payer".into(),
        details.payer_name.clone().unwrap_or_default(),
    ]);
    table.push(vec!["address".into(), address]);
    table.print(ctx.format)
}
