//! `opcorp demo`: OP's three real-time cases, played live against an embedded emulator.
//!
//! 1. Payment → production: invoices, customers paying over ~10 s, a watcher detecting each
//!    payment and the reconciler matching it ([`realtime`]).
//! 2. "I just paid my invoice": a Transaction Filter lookup ([`lookup`]).
//! 3. Rent deposit refund: a signed payment, sent twice, booked once ([`deposit`]).
//!
//! The demo ends with expected-versus-actual for every outcome and exits 0 only if all of
//! them happened. With `--base-url`, `--env`, `--profile` or `OPCORP_BASE_URL`/`OPCORP_ENV`
//! set, it runs the read-only parts against that bank instead ([`sandbox`]).

mod customers;
mod deposit;
mod events;
mod invoices;
mod lookup;
mod realtime;
mod report;
mod sandbox;

use clap::Args;
use opcorp::client::Client;
use opcorp::config::Environment;
use opcorp_emulator::{Emulator, EmulatorConfig};
use serde_json::json;

use crate::commands::Context;
use crate::exit::CliError;
use crate::output::Format;
use events::{Printer, Style};
use report::Check;

/// Flags of `opcorp demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Always use the embedded emulator, even when a bank is configured.
    #[arg(long)]
    pub emulator: bool,
}

/// Runs the demo.
pub async fn run(args: &DemoArgs, ctx: &Context) -> Result<(), CliError> {
    let printer = Printer::new(ctx.format == Format::Json);
    let settings = ctx.settings()?;
    let remote = !args.emulator && (settings.targets_bank() || ctx.connection.profile.is_some());
    if !printer.is_json() {
        println!(
            "{}",
            printer.paint(
                Style::Bold,
                "opcorp demo — OP corporate banking, from banking days to real time"
            )
        );
    }
    let checks = if remote {
        sandbox::run(&settings, &printer).await?
    } else {
        embedded(&printer).await?
    };
    let ok = report::summarize(&checks, &printer, printer.elapsed());
    if ok {
        Ok(())
    } else {
        Err(CliError::CheckFailed(Some(
            "the demo did not produce every expected outcome".into(),
        )))
    }
}

/// The full demo on a fresh in-process emulator.
async fn embedded(printer: &Printer) -> Result<Vec<Check>, CliError> {
    let emulator = opcorp_emulator::start(EmulatorConfig {
        quiet: true,
        ..EmulatorConfig::default()
    })
    .await
    .map_err(|e| CliError::config(format!("cannot start the embedded emulator: {e}")))?;
    printer.event(
        "emulator_started",
        &format!(
            "emulator up at {} {}",
            emulator.base_url(),
            printer.paint(
                Style::Dim,
                "(loopback, TLS with client certificates, fresh CA and identity)"
            )
        ),
        json!({ "baseUrl": emulator.base_url() }),
    );
    let checks = play(&emulator, printer).await;
    emulator.shutdown().await;
    checks
}

/// Builds the client from the emulator's identity and plays the three cases. A case that
/// fails with an error becomes a failed check; the next case still runs.
async fn play(emulator: &Emulator, printer: &Printer) -> Result<Vec<Check>, CliError> {
    let identity = emulator.identity();
    let client = Client::builder()
        .environment(Environment::Custom(emulator.base_url()))
        .client_id(identity.client_id.clone())
        .client_secret(identity.client_secret.clone())
        .certificate_pem(identity.cert_pem.as_bytes())
        .private_key_pem(identity.key_pem.as_bytes())
        .ca_certificate_pem(identity.ca_pem.as_bytes())
        .signing_key_pem(identity.signing_key_pem.as_bytes())
        .signing_kid(identity.signing_kid.clone())
        .build()?;
    let accounts = client.account_data().accounts().await?;
    let Some(account) = accounts.first().cloned() else {
        return Err(CliError::config(
            "the emulator gave the demo client no accounts",
        ));
    };
    printer.event(
        "connected",
        &format!(
            "OAuth2 token over mTLS; company account {} {} balance {} {}",
            account.iban,
            account.name.clone().unwrap_or_default(),
            account.balance,
            account.currency
        ),
        json!({ "account": account.iban, "accounts": accounts.len() }),
    );
    let mut checks = vec![Check::new(
        "setup",
        "mTLS + OAuth2 connection, accounts listed",
        "≥ 1 account",
        &format!("{} accounts", accounts.len()),
        !accounts.is_empty(),
    )];
    let admin = emulator.admin();
    let script = invoices::script(crate::commands::args::today())?;
    let case = |n: &str, result: Result<Vec<Check>, CliError>| match result {
        Ok(c) => c,
        Err(err) => {
            printer.event(
                "error",
                &printer.paint(Style::Bad, &err.to_string()),
                json!({ "case": n, "error": err.to_string() }),
            );
            vec![Check::new(
                n,
                "case ran to the end",
                "completed",
                &err.to_string(),
                false,
            )]
        }
    };
    checks.extend(case(
        "1",
        realtime::run(&client, admin.clone(), &account, &script, printer).await,
    ));
    let questions = [0usize, 6, 7].map(|i| lookup::Question {
        invoice: script.invoices[i].clone(),
        expect_paid: script.invoices[i].expected != "unpaid",
    });
    checks.extend(case(
        "2",
        lookup::run(&client, &account.iban, &questions, printer).await,
    ));
    checks.extend(case(
        "3",
        deposit::run(&client, &admin, &account, printer).await,
    ));
    Ok(checks)
}
