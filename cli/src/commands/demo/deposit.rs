//! Case 3, "rent deposit refund": an inspector marks a flat as checked in the CRM and the
//! deposit goes back to the tenant as a signed SEPA payment.
//!
//! The CRM delivers its event twice (webhooks are at-least-once), so the payment is sent
//! twice, with the same `instructionId` derived from the CRM event and the same signed
//! bytes. The emulator's ledger must then hold exactly one payment for that id: the bank
//! de-duplicates, nothing is paid twice.

use opcorp::Amount;
use opcorp::client::Client;
use opcorp::error::OperationKind;
use opcorp::model::{Account, PaymentRequest};
use opcorp_emulator::Admin;
use serde_json::json;

use super::events::{Printer, Style};
use super::report::Check;
use crate::exit::CliError;
use crate::output::{plain, to_value};

/// The CRM event that triggers the refund; the instruction id is derived from it.
const CRM_EVENT: &str = "CRM4711";
/// The tenant who gets the deposit back.
const TENANT: &str = "Aino Virtanen";
/// The tenant's account (a valid Finnish IBAN).
const TENANT_IBAN: &str = "FI21 1234 5600 0007 85";
/// The deposit.
const DEPOSIT: &str = "1200.00";

/// Sends the refund twice and checks the ledger.
pub async fn run(
    client: &Client,
    admin: &Admin,
    company: &Account,
    printer: &Printer,
) -> Result<Vec<Check>, CliError> {
    printer.section(
        "3/3",
        "Rent deposit refund",
        "   The inspector marks flat Rauhankatu 12 A 3 as checked. The CRM pays the deposit back\n   \
         through the Payment API; the request is signed (RS256 detached JWS).",
    );
    let instruction_id = format!("{CRM_EVENT}DEPOSITA3");
    let request = PaymentRequest::builder()
        .instruction_id(instruction_id.clone())
        .debtor(
            company.name.clone().unwrap_or_else(|| "Company".into()),
            company.iban.clone(),
        )
        .creditor(TENANT, TENANT_IBAN)
        .amount(DEPOSIT.parse::<Amount>()?)
        .message("Rent deposit refund, Rauhankatu 12 A 3, inspection OK")
        .build()?;
    let payments = client.payments();
    let pending = payments.prepare(request, OperationKind::SepaPayment)?;
    printer.event(
        "refund_prepared",
        &format!(
            "{}  {DEPOSIT} EUR to {TENANT} ({TENANT_IBAN}), instruction id {instruction_id}",
            printer.paint(Style::Bold, "crm"),
        ),
        json!({ "instructionId": instruction_id, "amount": DEPOSIT, "creditor": TENANT }),
    );
    let first = payments.resolve(&pending).await?;
    let status = plain(&to_value(&first.status)?);
    printer.event(
        "refund_sent",
        &format!(
            "{}  signed payment accepted: {status}, archive id {}",
            printer.paint(Style::Good, "bank"),
            first.archive_id
        ),
        json!({ "status": status, "archiveId": first.archive_id }),
    );
    printer.event(
        "refund_resent",
        &format!(
            "{}  the CRM delivers the same event again → same instruction id, same signed bytes",
            printer.paint(Style::Bold, "crm"),
        ),
        json!({ "instructionId": instruction_id }),
    );
    let second = payments.resolve(&pending).await?;
    let entries: Vec<_> = admin
        .ledger()
        .into_iter()
        .filter(|e| e.instruction_id == instruction_id)
        .collect();
    let received = entries.first().map_or(0, |e| e.received);
    printer.event(
        "ledger_checked",
        &format!(
            "{}  ledger: {} payment(s) for {instruction_id}, request received {received}×; replay answered with archive id {}",
            printer.paint(Style::Good, "bank"),
            entries.len(),
            second.archive_id
        ),
        json!({ "entries": entries.len(), "received": received, "replayArchiveId": second.archive_id }),
    );
    let amount_ok = entries
        .first()
        .is_some_and(|e| e.amount.parse::<Amount>().ok() == DEPOSIT.parse::<Amount>().ok());
    Ok(vec![
        Check::equal(
            "3",
            "ledger entries for the instruction id",
            "1",
            &entries.len().to_string(),
        ),
        Check::new(
            "3",
            "refund amount and payee in the ledger",
            &format!("{DEPOSIT} EUR to {}", TENANT_IBAN.replace(' ', "")),
            &entries.first().map_or_else(
                || "nothing booked".to_owned(),
                |e| format!("{} EUR to {}", e.amount, e.creditor_iban),
            ),
            amount_ok
                && entries
                    .first()
                    .is_some_and(|e| e.creditor_iban == TENANT_IBAN.replace(' ', "")),
        ),
        Check::equal(
            "3",
            "resent event answered with the same payment",
            &first.archive_id,
            &second.archive_id,
        ),
    ])
}
