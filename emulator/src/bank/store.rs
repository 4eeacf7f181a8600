//! Compact in-memory storage: accounts, transactions and a string pool.
//!
//! A seeded account may hold a million transactions, so a transaction is a 56-byte `Copy`
//! struct of numbers and pool ids; JSON is rendered only when a page is requested.

use std::collections::HashMap;

use super::{LedgerEntry, Route};

/// Pool id meaning "no string".
pub(crate) const NONE: u32 = u32::MAX;

/// Strings referenced by transactions (names, IBANs, messages, booked references).
#[derive(Debug, Default, Clone)]
pub(crate) struct StrPool {
    strings: Vec<Box<str>>,
}

impl StrPool {
    /// Stores a string and returns its id.
    pub(crate) fn add(&mut self, s: &str) -> u32 {
        let id = u32::try_from(self.strings.len()).unwrap_or(NONE - 1);
        self.strings.push(s.into());
        id
    }

    /// Number of stored strings.
    pub(crate) fn len(&self) -> usize {
        self.strings.len()
    }

    /// Stores an optional string (`None` → [`NONE`]).
    pub(crate) fn add_opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.add(s))
    }

    /// The string of an id, `None` for [`NONE`] or an unknown id.
    pub(crate) fn get(&self, id: u32) -> Option<&str> {
        self.strings.get(id as usize).map(|s| &**s)
    }

    /// The string of an id, or `""`.
    pub(crate) fn text(&self, id: u32) -> &str {
        self.get(id).unwrap_or("")
    }
}

/// Remittance information of a transaction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Remit {
    /// Nothing.
    None,
    /// Finnish reference made from a base number (check digit added when rendered).
    FiNum(u64),
    /// RF reference made from the Finnish reference of a base number.
    RfNum(u64),
    /// Finnish reference stored in the pool (digits, no padding).
    Fi(u32),
    /// RF reference stored in the pool.
    Rf(u32),
    /// Free-text message stored in the pool.
    Msg(u32),
}

/// What kind of transaction this is; decides the type and booking codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Incoming payment with a reference.
    RefCredit,
    /// Incoming payment with a message.
    Credit,
    /// Outgoing SEPA credit transfer.
    Payment,
    /// Outgoing SEPA Instant credit transfer.
    InstantPayment,
    /// Outgoing refund of an incoming payment.
    Refund,
}

impl Kind {
    /// `(transactionTypeCode, transactionTypeDescription, bookingCode, bookingCodeDescription)`.
    /// The code lists are not public; these values are invented (see ASSUMPTIONS.md).
    pub(crate) fn codes(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Kind::RefCredit => ("710", "VIITESIIRTO", "705", "Viitesiirto"),
            Kind::Credit => ("720", "TILISIIRTO", "710", "Tilisiirto"),
            Kind::Payment => ("106", "TILISIIRTO", "710", "Tilisiirto"),
            Kind::InstantPayment => ("107", "PIKASIIRTO", "710", "Tilisiirto"),
            Kind::Refund => ("108", "MAKSUN PALAUTUS", "710", "Tilisiirto"),
        }
    }
}

/// One booked transaction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Txn {
    /// Registration time, microseconds since the epoch.
    pub(crate) timestamp: i64,
    /// Signed amount in cents (debits negative).
    pub(crate) amount: i64,
    /// Balance after this transaction, in cents.
    pub(crate) balance_after: i64,
    /// Reference or message.
    pub(crate) remit: Remit,
    /// Counterparty name (pool id).
    pub(crate) name: u32,
    /// Counterparty IBAN (pool id).
    pub(crate) iban: u32,
    /// End-to-end id (pool id or [`NONE`]).
    pub(crate) end_to_end: u32,
    /// Position among the account's transactions of the same day (objectId suffix).
    pub(crate) day_seq: u16,
    /// Kind.
    pub(crate) kind: Kind,
}

/// One account with its full history, ascending by (timestamp, position).
#[derive(Debug, Clone)]
pub(crate) struct Account {
    /// Index of the owning client.
    pub(crate) client: usize,
    /// IBAN.
    pub(crate) iban: String,
    /// 14-digit account number (the BBAN).
    pub(crate) number: String,
    /// Opaque handle.
    pub(crate) surrogate_id: String,
    /// Account name.
    pub(crate) name: String,
    /// Balance before the first transaction, cents.
    pub(crate) opening_balance: i64,
    /// Credit limit, whole euros.
    pub(crate) credit_limit: i64,
    /// Account creation time (micros).
    pub(crate) created: i64,
    /// History.
    pub(crate) txns: Vec<Txn>,
}

impl Account {
    /// Current balance in cents.
    pub(crate) fn balance(&self) -> i64 {
        self.txns
            .last()
            .map_or(self.opening_balance, |t| t.balance_after)
    }
}

/// A booked payment kept for de-duplication and the instant-status query.
#[derive(Debug, Clone)]
pub(crate) struct StoredPayment {
    /// Which endpoint booked it.
    pub(crate) route: Route,
    /// The exact request body bytes.
    pub(crate) body: Vec<u8>,
    /// The response body of the first booking.
    pub(crate) response: Vec<u8>,
    /// Index into the ledger.
    pub(crate) ledger_index: usize,
}

/// A booked refund kept for idempotent replays and the "already refunded" rule.
#[derive(Debug, Clone)]
pub(crate) struct StoredRefund {
    /// Client that booked it.
    pub(crate) client: usize,
    /// The exact request body bytes.
    pub(crate) body: Vec<u8>,
    /// The response body of the first booking.
    pub(crate) response: Vec<u8>,
    /// Index into the ledger.
    pub(crate) ledger_index: usize,
}

/// Everything [`super::Bank::reset`] throws away and re-seeds.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// All accounts; the index is the global account number used in archive ids.
    pub(crate) accounts: Vec<Account>,
    /// surrogateId → account index.
    pub(crate) by_surrogate: HashMap<String, usize>,
    /// IBAN → account index.
    pub(crate) by_iban: HashMap<String, usize>,
    /// Strings.
    pub(crate) pool: StrPool,
    /// Outgoing payments and refunds.
    pub(crate) ledger: Vec<LedgerEntry>,
    /// (client index, instructionId) → payment.
    pub(crate) payments: HashMap<(usize, String), StoredPayment>,
    /// Refunded archiveId → refund.
    pub(crate) refunds: HashMap<String, StoredRefund>,
}
