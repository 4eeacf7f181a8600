//! `opcorp pay`: a signed SEPA (or SEPA Instant) payment from one of the company's accounts.
//!
//! The payment comes from flags or a JSON file in OP's request shape. Before anything is sent
//! the CLI shows what will be paid, including the `instructionId` (OP's de-duplication key),
//! and asks for confirmation unless `--yes`. Re-running with the same `--instruction-id`
//! is always safe: OP books an instruction id at most once. With `--intent KEY` the payment
//! goes through the outbox (see `outbox.rs`): stored before it is sent, paid once per key.

use std::path::PathBuf;

use clap::Args;
use opcorp::error::OperationKind;
use opcorp::model::{PaymentRequest, PaymentResponse};
use opcorp::outbox::OutboxOrder;
use opcorp::{Amount, ErrorKind};
use serde_json::json;

use crate::commands::Context;
use crate::commands::accounts::find_account;
use crate::commands::confirm::confirm;
use crate::commands::outbox::{self, OutboxFile};
use crate::exit::CliError;
use crate::output::{Format, Table, print_json, to_value};

/// Pay from flags or from a JSON file.
#[derive(Debug, Args)]
pub struct PayArgs {
    /// Payment request as JSON (OP's sepa-payment body); replaces the payment flags.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["to", "name", "amount", "reference", "message"])]
    pub file: Option<PathBuf>,
    /// Paying account (IBAN); default: the client's first account.
    #[arg(long, value_name = "IBAN")]
    pub from: Option<String>,
    /// Payer name; default: the paying account's name.
    #[arg(long)]
    pub from_name: Option<String>,
    /// Payee IBAN.
    #[arg(long, value_name = "IBAN", required_unless_present = "file")]
    pub to: Option<String>,
    /// Payee name.
    #[arg(long, required_unless_present = "file")]
    pub name: Option<String>,
    /// Amount in euros, e.g. 120.50.
    #[arg(long, required_unless_present = "file")]
    pub amount: Option<String>,
    /// Finnish or RF creditor reference.
    #[arg(long = "ref", value_name = "REFERENCE", conflicts_with = "message")]
    pub reference: Option<String>,
    /// Free-text message (1–140 characters).
    #[arg(long)]
    pub message: Option<String>,
    /// Instruction id (OP's de-duplication key); default: a fresh random id.
    #[arg(long)]
    pub instruction_id: Option<String>,
    /// End-to-end id shown to the payee.
    #[arg(long)]
    pub end_to_end_id: Option<String>,
    /// Send as a SEPA Instant payment.
    #[arg(long)]
    pub instant: bool,
    /// Pay exactly once for this intent key (e.g. a CRM event id), through the outbox: the
    /// same key again returns the first outcome instead of paying twice.
    #[arg(long, value_name = "KEY")]
    pub intent: Option<String>,
    #[command(flatten)]
    pub outbox: OutboxFile,
    /// Verification of Payee before signing: require-match, allow-close-match or skip.
    /// A name that fails the policy stops the payment (exit 26, PAYEE_MISMATCH).
    #[arg(long, value_name = "POLICY", default_value = "skip")]
    pub payee_check: String,
    /// Address rules for the payment's addresses (from `--file`): rulebook (structured or hybrid addresses only,
    /// as the EPC rulebooks demand from November 2026) or allow-unstructured (lines only
    /// accepted too, for a bank that still takes them).
    #[arg(long, value_name = "RULES", default_value = "rulebook")]
    pub address_rules: String,
    /// Do not ask for confirmation (required when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// Runs `pay`.
pub async fn run(args: &PayArgs, ctx: &Context) -> Result<(), CliError> {
    args.outbox.require_intent(args.intent.as_deref())?;
    let rules = opcorp::model::AddressRules::parse(&args.address_rules)?;
    let client = ctx.settings()?.builder()?.address_rules(rules).build()?;
    let mut request = match &args.file {
        Some(path) => from_file(path)?,
        None => from_flags(args, &client).await?,
    };
    if let Some(id) = &args.instruction_id {
        request.instruction_id = Some(id.clone());
    }
    let kind = if args.instant {
        OperationKind::SepaInstantPayment
    } else {
        OperationKind::SepaPayment
    };
    let rail = if args.instant {
        "SEPA Instant"
    } else {
        "SEPA credit transfer"
    };
    let summary = summary(&request, rail);
    let policy = opcorp::model::PayeeCheck::parse(&args.payee_check)?;
    let payments = client.payments().with_payee_check(policy);
    if let Some(intent) = &args.intent {
        report_payee(payments.check_payee(&request).await?);
        confirm(
            &format!("{summary}  intent      {intent}\n"),
            "Send this payment?",
            args.yes,
        )?;
        let order = if args.instant {
            OutboxOrder::InstantPayment(request)
        } else {
            OutboxOrder::Payment(request)
        };
        return outbox::submit(&args.outbox, client, ctx.format, intent, order).await;
    }
    let to_verify = request.clone();
    // Validates, assigns the instruction id and serialises the exact bytes to sign and send.
    let pending = payments.prepare(request, kind)?;
    let instruction_id = pending.id.clone();
    report_payee(payments.check_payee(&to_verify).await?);
    confirm(
        &format!("{summary}  instruction {instruction_id}\n"),
        "Send this payment?",
        args.yes,
    )?;
    let response = payments.resolve(&pending).await.inspect_err(|err| {
        if err.kind() == ErrorKind::UnknownOutcome {
            eprintln!(
                "note: the payment may have been booked. Re-run with --instruction-id \
                 {instruction_id} to resolve it safely; never with a new id."
            );
        }
    })?;
    print_response(&response, &instruction_id, ctx.format)
}

/// Says on stderr what Verification of Payee found, when the policy asked for it.
fn report_payee(verified: Option<opcorp::model::PayeeVerification>) {
    if let Some(verified) = verified {
        eprintln!(
            "payee verified: {}{}",
            verified.outcome.code(),
            verified
                .matched_name
                .map(|n| format!(" (the bank holds {n:?})"))
                .unwrap_or_default()
        );
    }
}

/// Reads a payment request JSON file.
fn from_file(path: &PathBuf) -> Result<PaymentRequest, CliError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?;
    serde_json::from_str(&text)
        .map_err(|e| CliError::invalid(format!("{} is not a payment request: {e}", path.display())))
}

/// Builds the request from flags, looking up the paying account for its name.
async fn from_flags(
    args: &PayArgs,
    client: &opcorp::client::Client,
) -> Result<PaymentRequest, CliError> {
    let (Some(to), Some(name), Some(amount)) = (&args.to, &args.name, &args.amount) else {
        return Err(CliError::invalid(
            "pay needs --to, --name and --amount (or --file)",
        ));
    };
    let amount = Amount::parse_input_field("--amount", amount)?;
    // Check the local inputs before the network call that finds the paying account.
    opcorp::domain::iban::Iban::parse(to)?;
    if args.reference.is_none() && args.message.is_none() {
        return Err(CliError::invalid("a payment needs --ref or --message"));
    }
    let (debtor_iban, debtor_name) = match (&args.from, &args.from_name) {
        (Some(iban), Some(name)) => (iban.clone(), name.clone()),
        (from, name) => {
            let account = find_account(client, from.as_deref()).await?;
            let name = name.clone().or(account.name.clone()).ok_or_else(|| {
                CliError::invalid("the paying account has no name; pass --from-name")
            })?;
            (account.iban, name)
        }
    };
    let mut builder = PaymentRequest::builder()
        .debtor(debtor_name, debtor_iban)
        .creditor(name.clone(), to.clone())
        .amount(amount);
    if let Some(reference) = &args.reference {
        builder = builder.reference(reference.clone());
    }
    if let Some(message) = &args.message {
        builder = builder.message(message.clone());
    }
    if let Some(id) = &args.end_to_end_id {
        builder = builder.end_to_end_id(id.clone());
    }
    Ok(builder.build()?)
}

/// What will be paid, shown before confirmation.
fn summary(request: &PaymentRequest, rail: &str) -> String {
    let remittance = match (&request.reference, &request.message) {
        (Some(r), _) => format!("reference   {r}"),
        (None, Some(m)) => format!("message     {m}"),
        (None, None) => String::new(),
    };
    format!(
        "Payment ({rail}):\n  from        {} ({})\n  to          {} ({})\n  amount      {} {}\n  {remittance}\n",
        request.debtor.iban,
        request.debtor.name,
        request.creditor.iban,
        request.creditor.name,
        request.instructed_amount.amount,
        request.instructed_amount.currency,
    )
}

/// Prints the bank's answer.
pub fn print_response(
    response: &PaymentResponse,
    instruction_id: &str,
    format: Format,
) -> Result<(), CliError> {
    if format == Format::Json {
        return print_json(&json!({
            "instructionId": instruction_id,
            "payment": to_value(response)?,
        }));
    }
    let mut table = Table::new(&["field", "value"]);
    let status = to_value(&response.status)?;
    let rail = to_value(&response.payment_type)?;
    for (k, v) in [
        ("status", crate::output::plain(&status)),
        ("payment type", crate::output::plain(&rail)),
        ("amount", response.amount.to_string()),
        ("archive id", response.archive_id.clone()),
        (
            "transaction id",
            response.transaction_id.clone().unwrap_or_default(),
        ),
        ("instruction id", instruction_id.to_owned()),
    ] {
        table.push(vec![k.to_owned(), v]);
    }
    table.print(format)
}
