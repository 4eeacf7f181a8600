//! ISO 20022 bank statements: camt.053 (account statement) and camt.054 (debit/credit
//! notification), message versions `.001.02` and `.001.08`, as Finnish banks deliver them
//! (structure per Finance Finland's ISO 20022 account statement guide).
//!
//! Many ERPs and accounting firms still receive statements as XML files rather than through
//! the Account Data API; this module lets reconciliation serve them too.
//!
//! - [`StatementReader`] streams a file: it yields each [`Entry`] as soon as its `</Ntry>`
//!   closes and a [`StatementSummary`] when its statement closes, so memory stays bounded by
//!   the largest single entry, not the file. No document tree is ever built.
//! - Every statement is checked against its own control sums when it closes: the number and
//!   sum of entries (`TxsSummry`), the net amount, credit and debit totals, and for a
//!   statement with both an opening and a closing balance, opening + net = closing. A batch
//!   entry's `Btch/NbOfTxs` and its transactions' amounts are checked against the entry.
//!   A mismatch is a [`Decode`](crate::ErrorKind::Decode) error and the reader stops.
//! - [`read_payments`] turns a whole file into reconciliation [`Payment`]s and returns them
//!   only when every statement in it passed its checks: never a silent partial import.
//!
//! Pure: no I/O beyond the `BufRead` it is given, so it runs in WASM too.

mod checks;
mod fields;
mod payments;
mod reader;

pub use payments::{payments_from_entry, read_payments, read_payments_from_bytes};
pub use reader::StatementReader;

use serde::Serialize;
use time::Date;

use crate::domain::amount::Amount;
use crate::domain::reference::Reference;

/// Which ISO 20022 cash-management message a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// `camt.053`: BankToCustomerStatement (`BkToCstmrStmt/Stmt`).
    Camt053,
    /// `camt.054`: BankToCustomerDebitCreditNotification (`BkToCstmrDbtCdtNtfctn/Ntfctn`).
    Camt054,
}

/// The message versions this parser reads (the `.001.NN` of the namespace).
pub const SUPPORTED_VERSIONS: [&str; 2] = ["02", "08"];

/// Direction of an amount on the account (`CdtDbtInd`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum CreditDebit {
    /// `CRDT`: money in.
    #[serde(rename = "CRDT")]
    Credit,
    /// `DBIT`: money out.
    #[serde(rename = "DBIT")]
    Debit,
}

impl CreditDebit {
    /// Parses `CRDT` / `DBIT`.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        match text {
            "CRDT" => Some(CreditDebit::Credit),
            "DBIT" => Some(CreditDebit::Debit),
            _ => None,
        }
    }

    /// The amount with this direction's sign: credits positive, debits negative.
    pub fn signed(self, amount: Amount) -> Amount {
        match self {
            CreditDebit::Credit => amount,
            CreditDebit::Debit => Amount::from_decimal(-amount.as_decimal()),
        }
    }
}

/// One account entry (`Ntry`): a booking on the account, possibly a batch of several
/// transactions (`NtryDtls/TxDtls`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The `Id` of the statement or notification the entry belongs to.
    pub statement_id: Option<String>,
    /// 1-based position of the entry within its statement.
    pub sequence: u32,
    /// `NtryRef`, the entry's number within the statement.
    pub entry_ref: Option<String>,
    /// The entry amount, never negative; the direction is [`credit_debit`](Self::credit_debit).
    pub amount: Amount,
    /// ISO 4217 currency of the amount (`Amt/@Ccy`).
    pub currency: String,
    /// Credit or debit.
    pub credit_debit: CreditDebit,
    /// `RvslInd`: this entry reverses (returns) an earlier one.
    pub reversal: bool,
    /// `Sts` (`BOOK`, `PDNG`, `INFO`), as written.
    pub status: Option<String>,
    /// `BookgDt` (date part of a `DtTm`).
    #[serde(serialize_with = "iso_date")]
    pub booking_date: Option<Date>,
    /// `ValDt` (date part of a `DtTm`).
    #[serde(serialize_with = "iso_date")]
    pub value_date: Option<Date>,
    /// `AcctSvcrRef`: the bank's archive id (arkistointitunnus) of the entry.
    pub account_servicer_ref: Option<String>,
    /// `BkTxCd/Prtry/Cd` or `BkTxCd/Domn/Cd`-`Fmly/Cd`-`SubFmlyCd`, as written.
    pub bank_transaction_code: Option<String>,
    /// `AddtlNtryInf`, the bank's free-text description (e.g. `VIITESIIRTO`).
    pub additional_info: Option<String>,
    /// `NtryDtls/Btch/NbOfTxs`: how many transactions a batch entry says it holds.
    pub batch_count: Option<u32>,
    /// The transaction details (`NtryDtls/TxDtls`), in file order; empty when the bank sent
    /// none.
    pub transactions: Vec<TransactionDetails>,
}

impl Entry {
    /// Whether the entry is booked (`Sts` is `BOOK`, or absent as in camt.053 files that
    /// hold booked entries only).
    pub fn is_booked(&self) -> bool {
        self.status.as_deref().is_none_or(|s| s == "BOOK")
    }

    /// The signed entry amount: credits positive, debits negative.
    pub fn signed_amount(&self) -> Amount {
        self.credit_debit.signed(self.amount)
    }
}

/// One transaction of an entry (`TxDtls`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TransactionDetails {
    /// `Refs/AcctSvcrRef`: the bank's archive id of this transaction, when it has its own.
    pub account_servicer_ref: Option<String>,
    /// `Refs/EndToEndId`.
    pub end_to_end_id: Option<String>,
    /// The transaction amount (`Amt` in .08, `AmtDtls/TxAmt/Amt` in .02), never negative.
    pub amount: Option<Amount>,
    /// Currency of [`amount`](Self::amount).
    pub currency: Option<String>,
    /// The transaction's own `CdtDbtInd` (.08); the entry's applies when absent.
    pub credit_debit: Option<CreditDebit>,
    /// The structured creditor reference (`RmtInf/Strd/CdtrRefInf/Ref`) when it is a valid
    /// Finnish or RF reference.
    pub creditor_reference: Option<Reference>,
    /// A structured creditor reference that failed validation, kept as written so that
    /// reconciliation reports it instead of it vanishing.
    pub invalid_creditor_reference: Option<String>,
    /// Unstructured remittance lines (`RmtInf/Ustrd`), joined with a space.
    pub unstructured: Option<String>,
    /// The other party's name: the debtor of a credit, the creditor of a debit.
    pub counterparty_name: Option<String>,
    /// The other party's IBAN (`DbtrAcct`/`CdtrAcct`), as written.
    pub counterparty_iban: Option<String>,
    /// `RtrInf/Rsn/Cd`: why a returned payment came back (e.g. `AC04`).
    pub return_reason: Option<String>,
}

/// A balance line (`Bal`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Balance {
    /// `Tp/CdOrPrtry/Cd`: `OPBD` (opening booked), `CLBD` (closing booked), `PRCD`, `CLAV`, ….
    pub code: String,
    /// The signed balance (`DBIT` balances negative).
    pub amount: Amount,
    /// ISO 4217 currency.
    pub currency: String,
    /// `Dt/Dt` (date part of a `DtTm`).
    #[serde(serialize_with = "iso_date")]
    pub date: Option<Date>,
}

/// A statement or notification that closed and passed its control checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementSummary {
    /// camt.053 or camt.054.
    pub kind: MessageKind,
    /// The message version, e.g. `"02"` for `camt.053.001.02`.
    pub version: String,
    /// `GrpHdr/MsgId`.
    pub message_id: Option<String>,
    /// `Stmt/Id` or `Ntfctn/Id`.
    pub id: Option<String>,
    /// `CreDtTm`, as written.
    pub created: Option<String>,
    /// `Acct/Id/IBAN`.
    pub account_iban: Option<String>,
    /// `Acct/Ccy`.
    pub account_currency: Option<String>,
    /// Every `Bal`, in file order.
    pub balances: Vec<Balance>,
    /// How many entries the statement held.
    pub entries: u32,
    /// Sum of credit entries.
    pub total_credits: Amount,
    /// Sum of debit entries (positive).
    pub total_debits: Amount,
}

/// What a [`StatementReader`] yields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StatementItem {
    /// An entry, as soon as it closed. Its statement's checks run later, when the statement
    /// closes: do not commit entries before their statement's [`StatementItem::End`].
    Entry(Box<Entry>),
    /// A statement closed and passed its checks.
    End(Box<StatementSummary>),
}

/// Dates as `YYYY-MM-DD` in JSON.
fn iso_date<S: serde::Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => serializer.collect_str(d),
        None => serializer.serialize_none(),
    }
}

/// Whether bytes look like an XML document (first non-blank byte, after any UTF-8 BOM, is
/// `<`): how the CLI and the bindings tell a statement file from JSON or CSV.
pub fn looks_like_xml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<')
}
