//! State shared by the OP server, the admin API and the in-process [`crate::Admin`] handle.
//!
//! Every lock here is a `std::sync::Mutex` held only for short, synchronous work and never
//! across an `.await`. A poisoned lock (a panic elsewhere) is recovered, not propagated.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::task::AbortHandle;

use crate::bank::Bank;
use crate::clients::Clients;
use crate::counters::Counters;
use crate::faults::Faults;
use crate::identity::ca::CertAuthority;
use crate::identity::keys::fingerprint;
use crate::identity::{ClientIdentity, ClientMaterial};
use crate::outage::Outage;

/// The emulator's mutable state.
pub(crate) struct Shared {
    /// The bank.
    pub bank: Mutex<Bank>,
    /// Client secrets, certificate bindings, tokens.
    pub clients: Mutex<Clients>,
    /// Request counters.
    pub counters: Mutex<Counters>,
    /// Active fault rules.
    pub faults: Mutex<Faults>,
    /// Scheduled scenario events, aborted on reset and shutdown.
    pub scheduled: Mutex<Vec<AbortHandle>>,
    /// Bank clock offset from system time, seconds.
    pub skew_secs: AtomicI64,
    /// Lifetime of newly issued tokens.
    pub token_lifetime: Mutex<Duration>,
    /// The CA that signs client certificates.
    pub ca: CertAuthority,
    /// The demo client's identity.
    pub demo: ClientIdentity,
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Runtime that scheduled events run on.
    pub runtime: tokio::runtime::Handle,
    /// A simulated restart: connections dropped, new ones refused for a while.
    pub outage: Outage,
}

/// Locks `mutex`, recovering the data if a panic poisoned it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    /// The bank clock: system time plus the injected skew.
    pub fn bank_time(&self) -> SystemTime {
        let skew = self.skew_secs.load(Ordering::Relaxed);
        let now = SystemTime::now();
        let shifted = if skew >= 0 {
            now.checked_add(Duration::from_secs(skew.unsigned_abs()))
        } else {
            now.checked_sub(Duration::from_secs(skew.unsigned_abs()))
        };
        shifted.unwrap_or(now)
    }

    /// The bank clock in microseconds since the Unix epoch.
    pub fn now_micros(&self) -> i64 {
        match self.bank_time().duration_since(UNIX_EPOCH) {
            Ok(since) => i64::try_from(since.as_micros()).unwrap_or(i64::MAX),
            Err(before) => -i64::try_from(before.duration().as_micros()).unwrap_or(i64::MAX),
        }
    }

    /// Registers a client everywhere: the bank (accounts, signing key), its secret and its
    /// certificate binding.
    pub fn register(&self, material: &ClientMaterial) -> Result<(), String> {
        let id = &material.identity;
        {
            let mut bank = lock(&self.bank);
            bank.add_client(&id.client_id, &material.company);
            bank.register_signing_key(&id.client_id, &id.signing_kid, &material.signing_spki)?;
        }
        let mut clients = lock(&self.clients);
        clients.add(&id.client_id, &id.client_secret);
        clients.bind_cert(&fingerprint(&material.cert_der), &id.client_id);
        Ok(())
    }
}
