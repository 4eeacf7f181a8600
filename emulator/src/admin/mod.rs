//! In-process control of a running emulator, and the HTTP admin API that mirrors it.

pub(crate) mod http;
pub(crate) mod scenario;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::bank::{
    AccountSummary, BookedTransaction, IncomingPayment, LedgerEntry, MandateSummary, NewMandate,
    Quirks,
};
use crate::counters::Counters;
use crate::faults::Fault;
use crate::identity::keys::{fingerprint, kid_for, spki_from_pem};
use crate::identity::{ClientIdentity, new_client};
use crate::shared::{Shared, lock};
use scenario::Scenario;

/// A cheap, cloneable handle that controls the emulator from the same process: faults,
/// clock, tokens, incoming payments, onboarding, counters and the ledger.
#[derive(Clone)]
pub struct Admin {
    shared: Arc<Shared>,
}

impl Admin {
    pub(crate) fn new(shared: Arc<Shared>) -> Admin {
        Admin { shared }
    }

    pub(crate) fn shared(&self) -> &Arc<Shared> {
        &self.shared
    }

    /// Request counters since start or the last reset.
    pub fn counters(&self) -> Counters {
        lock(&self.shared.counters).clone()
    }

    /// Every booked outgoing payment and refund.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        lock(&self.shared.bank).ledger()
    }

    /// Adds a fault rule after the existing ones. A rule with an unknown route never
    /// matches; an invalid status answers 500 (the HTTP admin API refuses both).
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).inject(fault);
    }

    /// The active fault rules, with their remaining `times`.
    pub fn faults(&self) -> Vec<Fault> {
        lock(&self.shared.faults).list()
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        lock(&self.shared.faults).clear();
    }

    /// Invalidates every issued token: API calls with them get 401 until a new token is
    /// fetched.
    pub fn revoke_tokens(&self) {
        lock(&self.shared.clients).revoke_tokens();
    }

    /// Shifts the bank clock (signature `iat` checks, `Date` headers, booking timestamps)
    /// by `seconds` from system time.
    pub fn set_clock_skew(&self, seconds: i64) {
        self.shared.skew_secs.store(seconds, Ordering::Relaxed);
    }

    /// Simulates a restart of the bank's edge: every open connection is dropped now and new
    /// connections are closed on arrival for `duration`. State (ledger, tokens) is kept.
    pub fn outage(&self, duration: Duration) {
        self.shared.outage.start(duration);
    }

    /// Lifetime of tokens issued from now on (issued tokens keep theirs).
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        *lock(&self.shared.token_lifetime) = lifetime;
    }

    /// The bank's switchable behaviours in effect.
    pub fn quirks(&self) -> Quirks {
        lock(&self.shared.bank).quirks()
    }

    /// Switches the bank's behaviours (see [`Quirks`]); `reset` keeps them.
    pub fn set_quirks(&self, quirks: Quirks) {
        lock(&self.shared.bank).set_quirks(quirks);
    }

    /// Books an incoming payment now.
    pub fn simulate_incoming(&self, payment: IncomingPayment) -> Result<BookedTransaction, String> {
        let now = self.shared.now_micros();
        lock(&self.shared.bank).simulate_incoming(&payment, now)
    }

    /// Schedules the scenario's incoming payments relative to now; returns how many.
    pub fn schedule(&self, scenario: Scenario) -> usize {
        scenario::schedule(&self.shared, scenario)
    }

    /// The accounts of a client.
    pub fn accounts(&self, client_id: &str) -> Vec<AccountSummary> {
        lock(&self.shared.bank).accounts_of(client_id)
    }

    /// The mandates companies gave `client_id` (as a service provider), with each
    /// company's accounts.
    pub fn mandates(&self, client_id: &str) -> Vec<MandateSummary> {
        lock(&self.shared.bank).mandates_of(client_id)
    }

    /// A company gives `client_id` a mandate now; its accounts are seeded from the new
    /// mandate id. Calls carrying the id in [`crate::bank::MANDATE_HEADER`] read them.
    pub fn add_mandate(
        &self,
        client_id: &str,
        mandate: &NewMandate,
    ) -> Result<MandateSummary, String> {
        let now = self.shared.now_micros();
        lock(&self.shared.bank).add_mandate(client_id, mandate, now)
    }

    /// The company withdraws the mandate: listed as `REVOKED`, calls acting for it get 403.
    pub fn revoke_mandate(&self, mandate_id: &str) -> Result<MandateSummary, String> {
        lock(&self.shared.bank).revoke_mandate(mandate_id)
    }

    /// The demo client's identity.
    pub fn demo_identity(&self) -> ClientIdentity {
        self.shared.demo.clone()
    }

    /// Registers a second, complete client (own secret, certificate, signing key and kid,
    /// seeded accounts) named `name`.
    ///
    /// # Panics
    ///
    /// Only if key or certificate generation fails, which means the crypto library is broken;
    /// use [`Admin::try_issue_client`] to get that as an error instead.
    pub fn issue_client(&self, name: &str) -> ClientIdentity {
        match self.try_issue_client(name) {
            Ok(identity) => identity,
            Err(err) => panic!("issuing an emulator client failed: {err}"),
        }
    }

    /// Like [`Admin::issue_client`], reporting generation failures as errors.
    pub fn try_issue_client(&self, name: &str) -> Result<ClientIdentity, String> {
        let material = new_client(&self.shared.ca, name)?;
        self.shared.register(&material)?;
        Ok(material.identity)
    }

    /// Turns a PEM CSR into a client certificate (PEM) signed by the emulator's CA, bound to
    /// the demo client, as OP API Admin does for a contract.
    pub fn sign_csr(&self, csr_pem: &str) -> Result<String, String> {
        let demo = self.shared.demo.client_id.clone();
        self.sign_csr_for(&demo, csr_pem)
    }

    /// Like [`Admin::sign_csr`], binding the certificate to `client_id`.
    pub fn sign_csr_for(&self, client_id: &str, csr_pem: &str) -> Result<String, String> {
        if !lock(&self.shared.clients).exists(client_id) {
            return Err(format!("unknown client {client_id:?}"));
        }
        let (cert_pem, cert_der) = self.shared.ca.sign_csr(csr_pem)?;
        lock(&self.shared.clients).bind_cert(&fingerprint(&cert_der), client_id);
        Ok(cert_pem)
    }

    /// Registers an RSA signing public key for `client_id` and returns its kid. Accepts a
    /// PEM `PUBLIC KEY`, `CERTIFICATE REQUEST` or `CERTIFICATE`.
    pub fn register_signing_key(
        &self,
        client_id: &str,
        public_key_pem: &str,
    ) -> Result<String, String> {
        if !lock(&self.shared.clients).exists(client_id) {
            return Err(format!("unknown client {client_id:?}"));
        }
        let spki = spki_from_pem(public_key_pem)?;
        let kid = kid_for(&spki);
        lock(&self.shared.bank).register_signing_key(client_id, &kid, &spki)?;
        Ok(kid)
    }

    /// Back to the start state: counters, faults and clock skew cleared, scheduled scenario
    /// events cancelled, the bank reseeded (clients, keys and tokens are kept).
    pub fn reset(&self) {
        *lock(&self.shared.counters) = Counters::default();
        lock(&self.shared.faults).clear();
        self.shared.skew_secs.store(0, Ordering::Relaxed);
        for handle in lock(&self.shared.scheduled).drain(..) {
            handle.abort();
        }
        lock(&self.shared.bank).reset();
    }
}
