//! Renders stored transactions as OP JSON (Transactions V2/V3, filter results) and maps
//! archive ids and objectIds back to stored transactions.

use serde_json::{Map, Number, Value};

use super::dates;
use super::ids::{self, ArchiveCodec, OP_BIC};
use super::rng::hash;
use super::store::{Account, Remit, State, StrPool, Txn};

/// Which transaction shape to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// Legacy v1 (`TransactionsResponse`): V2 without the type code and description that
    /// Account Data 1.2 added to V2.
    V1,
    /// V2: `transactionTypeCode` + `transactionTypeDescription`.
    V2,
    /// V3: `transactionTypeCode` + `bookingCode` + `bookingCodeDescription`.
    V3,
}

/// What rendering needs besides the transaction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'a> {
    /// String pool.
    pub(crate) pool: &'a StrPool,
    /// Archive id digits.
    pub(crate) codec: ArchiveCodec,
    /// Data seed (uetr derivation).
    pub(crate) seed: u64,
    /// Owner name of the account being rendered.
    pub(crate) company: &'a str,
    /// Render `archiveId` as a JSON number (a quirk mode for testing clients).
    pub(crate) numeric_archive_ids: bool,
    /// The bank's switchable behaviours (`endToEndId` of transactions without one).
    pub(crate) quirks: super::Quirks,
}

/// The 20-digit archive id of a transaction: `YYYYMMDD` + `5` + 11 digits.
pub(crate) fn archive_id(codec: ArchiveCodec, account: usize, ordinal: usize, ts: i64) -> String {
    format!(
        "{}5{}",
        dates::compact_date(ts),
        codec.encode(account, ordinal)
    )
}

/// `<account number>_<YYYY-MM-DD>_<archiveId>_<seq>`.
pub(crate) fn object_id(acc: &Account, archive: &str, txn: &Txn) -> String {
    format!(
        "{}_{}_{}_{}",
        acc.number,
        dates::iso_date(txn.timestamp),
        archive,
        txn.day_seq
    )
}

/// `(account index, ordinal)` of an archive id, if such a transaction exists.
pub(crate) fn find_archive(
    state: &State,
    codec: ArchiveCodec,
    archive: &str,
) -> Option<(usize, usize)> {
    if archive.len() != 20 || archive.as_bytes().get(8) != Some(&b'5') {
        return None;
    }
    let (account, ordinal) = codec.decode(archive.get(9..)?)?;
    let txn = state.accounts.get(account)?.txns.get(ordinal)?;
    (archive_id(codec, account, ordinal, txn.timestamp) == archive).then_some((account, ordinal))
}

/// Ordinal of the transaction with this objectId on account `index`, if any.
pub(crate) fn find_object(
    state: &State,
    codec: ArchiveCodec,
    index: usize,
    object: &str,
) -> Option<usize> {
    let archive = object.split('_').nth(2)?;
    let (account, ordinal) = find_archive(state, codec, archive)?;
    let acc = state.accounts.get(account)?;
    let txn = acc.txns.get(ordinal)?;
    (account == index && object_id(acc, archive, txn) == object).then_some(ordinal)
}

/// `(reference, rfReference, message)` as OP returns them: Finnish references zero-padded
/// to 20 characters.
pub(crate) fn remittance(
    pool: &StrPool,
    remit: Remit,
) -> (Option<String>, Option<String>, Option<String>) {
    let pad = |s: &str| format!("{s:0>20}");
    match remit {
        Remit::None => (None, None, None),
        Remit::FiNum(base) => (Some(pad(&ids::finnish_ref_from(base))), None, None),
        Remit::RfNum(base) => (None, Some(ids::rf_from(&ids::finnish_ref_from(base))), None),
        Remit::Fi(id) => (Some(pad(pool.text(id))), None, None),
        Remit::Rf(id) => (None, Some(pool.text(id).to_string()), None),
        Remit::Msg(id) => (None, None, pool.get(id).map(str::to_string)),
    }
}

fn opt(s: Option<String>) -> Value {
    s.map_or(Value::Null, Value::String)
}

fn text(s: &str) -> Value {
    Value::String(s.to_string())
}

/// The BIC shown for a counterparty IBAN (`NOTPROVIDED` when unknown).
pub(crate) fn counterparty_bic(iban: &str) -> &'static str {
    ids::bic_for_iban(iban).unwrap_or("NOTPROVIDED")
}

/// One transaction as a JSON object in the given shape.
pub(crate) fn transaction(
    ctx: &Ctx<'_>,
    index: usize,
    acc: &Account,
    ordinal: usize,
    shape: Shape,
) -> Value {
    let Some(txn) = acc.txns.get(ordinal) else {
        return Value::Null;
    };
    let archive = archive_id(ctx.codec, index, ordinal, txn.timestamp);
    let date = dates::iso_date(txn.timestamp);
    let (reference, rf, message) = remittance(ctx.pool, txn.remit);
    let cp_name = ctx.pool.text(txn.name);
    let cp_iban = ctx.pool.text(txn.iban);
    let credit = txn.amount >= 0;
    let (debtor_name, debtor_iban, debtor_bic) = if credit {
        (cp_name, cp_iban, counterparty_bic(cp_iban))
    } else {
        (ctx.company, acc.iban.as_str(), OP_BIC)
    };
    let (creditor_name, creditor_iban, creditor_bic) = if credit {
        (ctx.company, acc.iban.as_str(), Some(OP_BIC))
    } else {
        (cp_name, cp_iban, ids::bic_for_iban(cp_iban))
    };
    let archive_value = if ctx.numeric_archive_ids {
        archive
            .parse::<Number>()
            .map_or_else(|_| text(&archive), Value::Number)
    } else {
        text(&archive)
    };
    let (code, description, booking_code, booking_description) = txn.kind.codes();
    let h = hash(&[ctx.seed, index as u64, ordinal as u64, 0x0E7A]);
    let mut m = Map::new();
    m.insert("amount".into(), text(&super::money::format(txn.amount)));
    m.insert(
        "balanceBefore".into(),
        text(&super::money::format(txn.balance_after - txn.amount)),
    );
    m.insert(
        "balanceAfter".into(),
        text(&super::money::format(txn.balance_after)),
    );
    m.insert("message".into(), opt(message));
    m.insert("currency".into(), text("EUR"));
    m.insert("objectId".into(), text(&object_id(acc, &archive, txn)));
    m.insert("archiveId".into(), archive_value);
    m.insert("debtorBic".into(), text(debtor_bic));
    m.insert("reference".into(), opt(reference));
    m.insert("rfReference".into(), opt(rf));
    m.insert("valueDate".into(), text(&date));
    m.insert("debtorName".into(), text(debtor_name));
    m.insert("bookingDate".into(), text(&date));
    m.insert("creditorBic".into(), opt(creditor_bic.map(str::to_string)));
    m.insert("paymentDate".into(), text(&date));
    m.insert("creditorName".into(), text(creditor_name));
    m.insert("debtorAccount".into(), text(debtor_iban));
    m.insert("creditorAccount".into(), text(creditor_iban));
    m.insert(
        "endToEndId".into(),
        ctx.quirks.end_to_end(ctx.pool.get(txn.end_to_end)),
    );
    m.insert("timestamp".into(), Value::Number(txn.timestamp.into()));
    m.insert("transactionTypeCode".into(), text(code));
    match shape {
        Shape::V1 => {
            m.remove("transactionTypeCode");
        }
        Shape::V2 => {
            m.insert("transactionTypeDescription".into(), text(description));
        }
        Shape::V3 => {
            m.insert("bookingCode".into(), text(booking_code));
            m.insert("bookingCodeDescription".into(), text(booking_description));
        }
    }
    m.insert("uetr".into(), text(&ids::uuid(h, hash(&[h, 1]))));
    Value::Object(m)
}
