//! Booking new transactions onto an account (payments, refunds, incoming credits).

use super::errors::error;
use super::ids::{self, MAX_ORDINAL};
use super::store::{Kind, Remit, Txn};
use super::{Bank, Response, dates};

/// A transaction to book.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NewTxn<'a> {
    /// Signed cents.
    pub(crate) amount: i64,
    /// Kind.
    pub(crate) kind: Kind,
    /// Remittance (already stored in the pool).
    pub(crate) remit: Remit,
    /// Counterparty name.
    pub(crate) name: &'a str,
    /// Counterparty IBAN.
    pub(crate) iban: &'a str,
    /// End-to-end id.
    pub(crate) end_to_end: Option<&'a str>,
}

/// Where a booked transaction landed.
#[derive(Debug, Clone)]
pub(crate) struct Booked {
    /// Registration time (micros).
    pub(crate) timestamp: i64,
    /// 20-digit archive id.
    pub(crate) archive_id: String,
    /// objectId.
    pub(crate) object_id: String,
}

/// Parses a creditor reference (Finnish or RF, spaces ignored) into pool-free form:
/// `Ok(true, text)` for RF, `Ok(false, digits)` for Finnish. `None` if invalid.
pub(crate) fn parse_reference(raw: &str) -> Option<(bool, String)> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let upper = compact.to_ascii_uppercase();
    if upper.starts_with("RF") {
        return ids::rf_is_valid(&upper).then_some((true, upper));
    }
    ids::finnish_ref_is_valid(&compact)
        .then(|| (false, compact.trim_start_matches('0').to_string()))
}

impl Bank {
    /// Stores a parsed reference in the pool.
    pub(crate) fn remit_reference(&mut self, rf: bool, text: &str) -> Remit {
        let id = self.state.pool.add(text);
        if rf { Remit::Rf(id) } else { Remit::Fi(id) }
    }

    /// Books a transaction on account `index` at `now` (never earlier than the account's
    /// last transaction, so the history stays sorted even under negative clock skew).
    pub(crate) fn book(
        &mut self,
        index: usize,
        now: i64,
        t: NewTxn<'_>,
    ) -> Result<Booked, Response> {
        let name = self.state.pool.add(t.name);
        let iban = self.state.pool.add(t.iban);
        let end_to_end = self.state.pool.add_opt(t.end_to_end);
        let codec = self.codec;
        let Some(acc) = self.state.accounts.get_mut(index) else {
            return Err(error(404, "not_found", "account not found"));
        };
        let ordinal = acc.txns.len();
        if ordinal >= MAX_ORDINAL {
            return Err(error(
                507,
                "account_full",
                "the emulated account holds no more transactions",
            ));
        }
        let balance_after = acc
            .balance()
            .checked_add(t.amount)
            .filter(|b| b.unsigned_abs() < 1_000_000_000_000_000_000)
            .ok_or_else(|| {
                error(
                    400,
                    "invalid_request",
                    "amount would overflow the account balance",
                )
            })?;
        let last = acc.txns.last().copied();
        let timestamp = last.map_or(now, |l| now.max(l.timestamp));
        let day_seq = match last {
            Some(l) if dates::day_of(l.timestamp) == dates::day_of(timestamp) => {
                l.day_seq.saturating_add(1)
            }
            _ => 0,
        };
        let txn = Txn {
            timestamp,
            amount: t.amount,
            balance_after,
            remit: t.remit,
            name,
            iban,
            end_to_end,
            day_seq,
            kind: t.kind,
        };
        acc.txns.push(txn);
        let archive_id = super::render::archive_id(codec, index, ordinal, timestamp);
        let object_id = super::render::object_id(acc, &archive_id, &txn);
        Ok(Booked {
            timestamp,
            archive_id,
            object_id,
        })
    }
}
