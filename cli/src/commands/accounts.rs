//! `opcorp accounts`: the company's accounts and balances (Account Data API).

use clap::Args;
use opcorp::client::Client;
use opcorp::domain::iban::Iban;
use opcorp::model::Account;

use crate::commands::Context;
use crate::exit::CliError;
use crate::output::{Format, Table, print_json, to_value};

/// List accounts, or show one account's details.
#[derive(Debug, Args)]
pub struct AccountsArgs {
    /// Show the details of this account (IBAN or surrogate id).
    pub account: Option<String>,
}

/// Runs `accounts`.
pub async fn run(args: &AccountsArgs, ctx: &Context) -> Result<(), CliError> {
    let client = ctx.settings()?.client()?;
    match &args.account {
        None => {
            let accounts = client.account_data().accounts().await?;
            if ctx.format == Format::Json {
                return print_json(&to_value(&accounts)?);
            }
            let mut table = Table::new(&["iban", "name", "balance", "currency", "surrogate id"])
                .align_right("balance");
            for a in &accounts {
                table.push(vec![
                    a.iban.clone(),
                    a.name.clone().unwrap_or_default(),
                    a.balance.to_string(),
                    a.currency.clone(),
                    a.surrogate_id.clone(),
                ]);
            }
            table.print(ctx.format)
        }
        Some(wanted) => {
            let account = find_account(&client, Some(wanted)).await?;
            let details = client.account_data().account(&account.surrogate_id).await?;
            if ctx.format == Format::Json {
                return print_json(&to_value(&details)?);
            }
            let opt = |v: &Option<opcorp::Amount>| v.map(|a| a.to_string()).unwrap_or_default();
            let mut table = Table::new(&["field", "value"]);
            for (k, v) in [
                ("iban", details.iban.clone()),
                ("name", details.account_name.clone().unwrap_or_default()),
                ("owner", details.account_owner.clone().unwrap_or_default()),
                ("owner id", details.owner_id.clone().unwrap_or_default()),
                ("currency", details.currency.clone()),
                ("gross balance", opt(&details.gross_balance)),
                ("net balance", opt(&details.net_balance)),
                ("credit limit", opt(&details.credit_limit)),
                ("surrogate id", details.surrogate_id.clone()),
            ] {
                table.push(vec![k.to_owned(), v]);
            }
            table.print(ctx.format)
        }
    }
}

/// The account named by IBAN or surrogate id, or the first account when `wanted` is `None`.
pub async fn find_account(client: &Client, wanted: Option<&str>) -> Result<Account, CliError> {
    let accounts = client.account_data().accounts().await?;
    let wanted_iban = wanted.and_then(|w| Iban::parse(w).ok());
    let found = match wanted {
        None => accounts.into_iter().next(),
        Some(w) => accounts.into_iter().find(|a| {
            a.surrogate_id == w
                || wanted_iban
                    .as_ref()
                    .is_some_and(|iban| iban.as_str() == a.iban.replace(' ', ""))
        }),
    };
    found.ok_or_else(|| match wanted {
        Some(w) => CliError::Sdk(opcorp::Error::new(
            opcorp::ErrorKind::NotFound,
            format!("no account {w:?} among this client's accounts"),
        )),
        None => CliError::Sdk(opcorp::Error::new(
            opcorp::ErrorKind::NotFound,
            "this client has no accounts",
        )),
    })
}
