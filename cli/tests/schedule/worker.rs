//! In-process schedules: one emulator and one outbox file per worker, the SDK's `Outbox` in
//! this process, and the oracle after each schedule.

use std::time::Duration;

use opcorp::client::Client;
use opcorp::model::{PaymentRequest, RefundRequest};
use opcorp::outbox::{Outbox, OutboxEntry, OutboxOrder};
use opcorp::retry::RetryPolicy;
use opcorp_emulator::{Emulator, EmulatorConfig, IncomingPayment};
use time::OffsetDateTime;

use super::oracle::{Tally, ledger_matches, settle_check};
use super::plan::{OrderKind, Schedule};

/// Drives after the submit within which every unknown outcome must settle.
pub const MAX_DRIVES: usize = 8;
/// The client's whole-call deadline per attempt …
const CLIENT_TIMEOUT: Duration = Duration::from_millis(250);
/// … and the injected delay that overruns it.
pub const DELAY_PAST_TIMEOUT_MS: u64 = 400;
/// An IBAN of another bank customer: paying from it is refused (403).
pub const FOREIGN_IBAN: &str = "FI4950009420028730";
/// The payee of every payment.
pub const PAYEE_IBAN: &str = "FI2112345600000785";

/// One worker: its own emulator (faults are emulator-wide) and outbox file.
pub struct Worker {
    pub emu: Emulator,
    outbox: Outbox,
    account_iban: String,
    _dir: tempfile::TempDir,
}

/// Retries with millisecond delays, so a schedule takes milliseconds, not seconds.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(1),
    }
}

/// Amount `n` of a run: 1.00 + n cents, unique per emulator, so the ledger entries of a
/// schedule are found by amount alone — independent of the ids the SDK chose.
pub fn tag_amount(n: usize) -> String {
    let cents = 100 + n;
    format!("{}.{:02}", cents / 100, cents % 100)
}

impl Worker {
    pub async fn start() -> Worker {
        let emu = opcorp_emulator::start(EmulatorConfig {
            quiet: true,
            ..EmulatorConfig::default()
        })
        .await
        .unwrap();
        let id = emu.identity();
        let client = Client::builder()
            .base_url(&emu.base_url())
            .client_id(&id.client_id)
            .client_secret(&id.client_secret)
            .certificate_pem(&id.cert_pem)
            .private_key_pem(&id.key_pem)
            .ca_certificate_pem(&id.ca_pem)
            .signing_key_pem(&id.signing_key_pem)
            .signing_kid(&id.signing_kid)
            .retry_policy(fast_retries())
            .total_timeout(CLIENT_TIMEOUT)
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let outbox = Outbox::open(client, dir.path().join("outbox.sqlite")).unwrap();
        let account_iban = emu.admin().accounts(&id.client_id)[0].iban.clone();
        Worker {
            emu,
            outbox,
            account_iban,
            _dir: dir,
        }
    }

    /// The order of schedule `n`.
    fn order(&self, kind: OrderKind, amount: &str) -> (OutboxOrder, Option<String>) {
        let payment = |debtor: &str| {
            PaymentRequest::builder()
                .debtor("Esimerkki Oy", debtor.to_owned())
                .creditor("Vuokralainen", PAYEE_IBAN)
                .amount(amount.parse().unwrap())
                .message("Vuokravakuus")
                .build()
                .unwrap()
        };
        let refund = |archive_id: &str| {
            RefundRequest::new(
                archive_id.to_owned(),
                amount.parse().unwrap(),
                "Vakuuden palautus",
                &self.account_iban,
                OffsetDateTime::now_utc().date(),
            )
            .unwrap()
        };
        match kind {
            OrderKind::Payment => (OutboxOrder::Payment(payment(&self.account_iban)), None),
            OrderKind::Instant => (
                OutboxOrder::InstantPayment(payment(&self.account_iban)),
                None,
            ),
            OrderKind::ForeignPayment => (OutboxOrder::Payment(payment(FOREIGN_IBAN)), None),
            OrderKind::MissingRefund => (OutboxOrder::Refund(refund("99999999999999999999")), None),
            OrderKind::Refund => {
                let original = self
                    .emu
                    .admin()
                    .simulate_incoming(IncomingPayment {
                        account_iban: self.account_iban.clone(),
                        amount: "5000.00".into(),
                        reference: None,
                        message: Some("Vuokravakuus".into()),
                        debtor_name: "Vuokralainen".into(),
                        debtor_iban: Some(PAYEE_IBAN.into()),
                    })
                    .unwrap();
                let id = original.archive_id;
                (OutboxOrder::Refund(refund(&id)), Some(id))
            }
        }
    }

    /// Runs schedule `n` and checks the oracle.
    pub async fn run(&self, n: usize, s: &Schedule, tally: &mut Tally) -> Result<(), String> {
        let intent = format!("s{n}");
        let amount = tag_amount(n);
        let (order, refunded) = self.order(s.order, &amount);
        let admin = self.emu.admin();
        admin.clear_faults();
        for (step, times) in &s.steps {
            match step.fault(s.order.route(), *times, DELAY_PAST_TIMEOUT_MS) {
                Some(fault) => admin.inject(fault),
                None => admin.revoke_tokens(),
            }
        }
        let first = self.submit(&intent, order.clone()).await?;
        let mut final_outcome = first.outcome.is_final().then(|| first.outcome.clone());
        if s.redeliver {
            let again = self.submit(&intent, order).await?;
            if let Some(known) = &final_outcome
                && &again.outcome != known
            {
                return Err(format!(
                    "{intent}: redelivery answered {:?}, first answer was {known:?}",
                    again.outcome
                ));
            }
            final_outcome = final_outcome.or(again.outcome.is_final().then_some(again.outcome));
        }
        let mut drives = 0;
        let entry = loop {
            let entry = self.outbox.get(&intent).await.map_err(|e| e.to_string())?;
            let entry = entry.ok_or_else(|| format!("{intent}: not in the outbox"))?;
            if entry.outcome.is_final() {
                break entry;
            }
            if drives == MAX_DRIVES {
                return Err(format!(
                    "{intent}: still unknown after {MAX_DRIVES} drives: {:?}",
                    entry.outcome
                ));
            }
            if s.revoke_before_drive {
                admin.revoke_tokens();
            }
            self.outbox.drive().await.map_err(|e| e.to_string())?;
            drives += 1;
        };
        admin.clear_faults();
        if let Some(known) = final_outcome
            && known != entry.outcome
        {
            return Err(format!("{intent}: outcome changed from {known:?}"));
        }
        let matches = ledger_matches(&self.emu, &amount);
        if let (Some(id), Some(b)) = (&refunded, matches.first())
            && &b.instruction_id != id
        {
            return Err(format!("{intent}: refund booked against {b:?}, not {id}"));
        }
        settle_check(&intent, &entry, s.order.bookable(), &matches)?;
        tally.record(s, &first.outcome, drives, &entry.outcome);
        Ok(())
    }

    async fn submit(&self, intent: &str, order: OutboxOrder) -> Result<OutboxEntry, String> {
        self.outbox
            .submit(intent, order)
            .await
            .map_err(|e| format!("{intent}: submit failed: {e}"))
    }
}
