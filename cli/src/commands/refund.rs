//! `opcorp refund`: refunds an incoming payment back to its payer (Refund API, signed).

use clap::Args;
use opcorp::Amount;
use opcorp::model::RefundRequest;
use opcorp::outbox::OutboxOrder;
use serde_json::json;

use crate::commands::Context;
use crate::commands::accounts::find_account;
use crate::commands::args::parse_date;
use crate::commands::confirm::confirm;
use crate::commands::outbox::{self, OutboxFile};
use crate::exit::CliError;
use crate::output::{Format, Table, plain, print_json, to_value};

/// Refund all or part of an incoming payment.
#[derive(Debug, Args)]
pub struct RefundArgs {
    /// Archive id of the incoming payment.
    #[arg(long)]
    pub archive_id: String,
    /// Amount to refund, e.g. 49.90 (partial refunds allowed).
    #[arg(long)]
    pub amount: String,
    /// Date of the original payment, YYYY-MM-DD.
    #[arg(long)]
    pub date: String,
    /// Message to the payer.
    #[arg(long)]
    pub message: String,
    /// The company account that received the payment (IBAN); default: the first account.
    #[arg(long, value_name = "IBAN")]
    pub account: Option<String>,
    /// End-to-end id.
    #[arg(long)]
    pub end_to_end_id: Option<String>,
    /// Refund exactly once for this intent key (e.g. a CRM event id), through the outbox.
    #[arg(long, value_name = "KEY")]
    pub intent: Option<String>,
    #[command(flatten)]
    pub outbox: OutboxFile,
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// Runs `refund`.
pub async fn run(args: &RefundArgs, ctx: &Context) -> Result<(), CliError> {
    args.outbox.require_intent(args.intent.as_deref())?;
    let amount = Amount::parse_input_field("--amount", &args.amount)?;
    let date = parse_date(&args.date)?;
    let client = ctx.settings()?.client()?;
    let account_iban = match &args.account {
        Some(iban) => iban.clone(),
        None => find_account(&client, None).await?.iban,
    };
    let mut request = RefundRequest::new(
        args.archive_id.clone(),
        amount,
        args.message.clone(),
        &account_iban,
        date,
    )?;
    if let Some(id) = &args.end_to_end_id {
        request = request.with_end_to_end_id(id.clone());
    }
    let summary = format!(
        "Refund:\n  payment     {} of {} on account {}\n  amount      {} EUR\n  message     {}\n",
        request.archive_id, args.date, request.account_iban, request.amount, request.message
    );
    if let Some(intent) = &args.intent {
        confirm(
            &format!("{summary}  intent      {intent}\n"),
            "Send this refund?",
            args.yes,
        )?;
        let order = OutboxOrder::Refund(request);
        return outbox::submit(&args.outbox, client, ctx.format, intent, order).await;
    }
    confirm(&summary, "Send this refund?", args.yes)?;
    let response = client.refunds().create(request).await?;
    if ctx.format == Format::Json {
        return print_json(&json!({ "refund": to_value(&response)? }));
    }
    let mut table = Table::new(&["field", "value"]);
    for (k, v) in [
        ("status", plain(&to_value(&response.refund.status)?)),
        ("amount", response.refund.amount.to_string()),
        ("refund archive id", response.refund.archive_id.clone()),
        ("original archive id", response.original.archive_id.clone()),
        (
            "original payer",
            response.original.debtor_name.clone().unwrap_or_default(),
        ),
    ] {
        table.push(vec![k.to_owned(), v]);
    }
    table.print(ctx.format)
}
