//! `opcorp verify-payee`: Verification of Payee — does a name match an IBAN's holder?
//!
//! Exit status 0 on `MTCH`, 1 (check failed) on any other outcome, so a script can gate a
//! payment on it; the outcome is printed either way.

use clap::Args;
use opcorp::model::PayeeMatch;

use crate::commands::Context;
use crate::exit::CliError;
use crate::output::{Format, Table, print_json, to_value};

/// Check a payee's name against the holder of an IBAN before paying.
#[derive(Debug, Args)]
pub struct VerifyPayeeArgs {
    /// The payee's IBAN (spaces allowed).
    pub iban: String,
    /// The payee's name as you would put it on the payment.
    pub name: String,
}

/// Runs `verify-payee`.
pub async fn run(args: &VerifyPayeeArgs, ctx: &Context) -> Result<(), CliError> {
    let client = ctx.settings()?.client()?;
    let result = client
        .account_verification()
        .verify_payee(&args.iban, &args.name)
        .await?;
    if ctx.format == Format::Json {
        print_json(&to_value(&result)?)?;
    } else {
        let mut table = Table::new(&["field", "value"]);
        table.push(vec!["outcome".into(), describe(&result.outcome)]);
        table.push(vec![
            "bank's name".into(),
            result.matched_name.clone().unwrap_or_default(),
        ]);
        table.push(vec!["request id".into(), result.request_id.clone()]);
        table.print(ctx.format)?;
    }
    if result.outcome == PayeeMatch::Match {
        Ok(())
    } else {
        Err(CliError::CheckFailed(Some(format!(
            "payee verification: {}",
            describe(&result.outcome)
        ))))
    }
}

/// `MTCH (match)`, `CMTC (close match)`, ….
fn describe(outcome: &PayeeMatch) -> String {
    let words = match outcome {
        PayeeMatch::Match => "match",
        PayeeMatch::CloseMatch => "close match",
        PayeeMatch::NoMatch => "no match",
        PayeeMatch::NotPossible => "not possible",
        PayeeMatch::Other(_) => "unknown outcome",
    };
    format!("{} ({words})", outcome.code())
}
