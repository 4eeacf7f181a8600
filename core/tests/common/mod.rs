//! Shared integration-test helpers: start the emulator in-process on 127.0.0.1 and build a
//! `Client` for one of its identities.
#![allow(dead_code)] // each test binary uses a different subset
#![allow(clippy::expect_used)] // test helpers may fail loudly

use std::time::Duration;

use opcorp::client::{Client, ClientBuilder};
use opcorp::retry::RetryPolicy;
use opcorp_emulator::{ClientIdentity, Emulator, EmulatorConfig};

/// A quiet emulator with the default seeded data set.
pub async fn emulator() -> Emulator {
    emulator_with(EmulatorConfig::default()).await
}

/// A quiet emulator with `config` (its `quiet` flag is forced on).
pub async fn emulator_with(config: EmulatorConfig) -> Emulator {
    opcorp_emulator::start(EmulatorConfig {
        quiet: true,
        ..config
    })
    .await
    .expect("emulator starts")
}

/// Retries with millisecond delays so fault tests run fast.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        max_retry_after: Duration::from_secs(5),
    }
}

/// A builder for `identity` against `emu`, trusting the emulator's CA, with fast retries.
pub fn builder_for(emu: &Emulator, identity: &ClientIdentity) -> ClientBuilder {
    Client::builder()
        .base_url(&emu.base_url())
        .client_id(&identity.client_id)
        .client_secret(&identity.client_secret)
        .certificate_pem(&identity.cert_pem)
        .private_key_pem(&identity.key_pem)
        .ca_certificate_pem(&identity.ca_pem)
        .signing_key_pem(&identity.signing_key_pem)
        .signing_kid(&identity.signing_kid)
        .retry_policy(fast_retries())
}

/// A builder for the emulator's demo identity.
pub fn builder(emu: &Emulator) -> ClientBuilder {
    builder_for(emu, emu.identity())
}

/// A client for the emulator's demo identity.
pub fn client(emu: &Emulator) -> Client {
    builder(emu).build().expect("client builds")
}

/// Requests the OP surface received on `route` so far.
pub fn requests(emu: &Emulator, route: &str) -> u64 {
    emu.admin()
        .counters()
        .requests
        .get(route)
        .copied()
        .unwrap_or(0)
}

/// Token requests the emulator received so far.
pub fn token_requests(emu: &Emulator) -> u64 {
    emu.admin().counters().token_requests
}

/// A valid 10.00 SEPA payment from the demo client's first account.
pub fn payment(emu: &Emulator, instruction_id: &str) -> opcorp::model::PaymentRequest {
    let debtor = &emu.admin().accounts(&emu.identity().client_id)[0];
    opcorp::model::PaymentRequest::builder()
        .debtor("Esimerkki Oy", debtor.iban.clone())
        .creditor("Toimittaja Oy", "FI21 1234 5600 0007 85")
        .amount("10.00".parse::<opcorp::Amount>().expect("an amount"))
        .instruction_id(instruction_id)
        .message("Invoice 7781")
        .build()
        .expect("a valid payment")
}

/// How many times the emulator's ledger booked `instruction_id`.
pub fn booked(emu: &Emulator, instruction_id: &str) -> usize {
    emu.admin()
        .ledger()
        .iter()
        .filter(|e| e.instruction_id == instruction_id)
        .count()
}
