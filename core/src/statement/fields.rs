//! Which element sets which field: paths relative to one `Stmt`/`Ntfctn`, for both message
//! versions (.02 writes `Dbtr/Nm` and `Sts` as text, .08 `Dbtr/Pty/Nm` and `Sts/Cd`).

use std::str::FromStr;

use time::Date;

use super::checks::{self, Declared, Running};
use super::reader::bad;
use super::{Balance, CreditDebit, Entry, MessageKind, StatementSummary, TransactionDetails};
use crate::dates::parse_iso_date;
use crate::domain::amount::Amount;
use crate::domain::reference::Reference;
use crate::error::Result;

/// Most transactions one batch entry may hold (bounds memory per entry).
const MAX_TRANSACTIONS_PER_ENTRY: usize = 100_000;

/// One statement being read.
pub(super) struct StatementBuilder {
    summary: StatementSummary,
    balance: Option<BalanceBuilder>,
    entry: Option<EntryBuilder>,
    tx: Option<TxBuilder>,
    declared: Declared,
    running: Running,
}

#[derive(Default)]
struct BalanceBuilder {
    code: Option<String>,
    amount: Option<Amount>,
    currency: Option<String>,
    credit_debit: Option<CreditDebit>,
    date: Option<Date>,
}

struct EntryBuilder {
    entry: Entry,
    amount: Option<Amount>,
    credit_debit: Option<CreditDebit>,
    domain: [Option<String>; 3],
    proprietary: Option<String>,
}

#[derive(Default)]
struct TxBuilder {
    details: TransactionDetails,
    debtor: (Option<String>, Option<String>),
    creditor: (Option<String>, Option<String>),
}

impl StatementBuilder {
    pub(super) fn new(kind: MessageKind, version: String, message_id: Option<String>) -> Self {
        StatementBuilder {
            summary: StatementSummary {
                kind,
                version,
                message_id,
                id: None,
                created: None,
                account_iban: None,
                account_currency: None,
                balances: Vec::new(),
                entries: 0,
                total_credits: Amount::ZERO,
                total_debits: Amount::ZERO,
            },
            balance: None,
            entry: None,
            tx: None,
            declared: Declared::default(),
            running: Running::default(),
        }
    }

    /// An element opened at `path` (relative to the statement element).
    pub(super) fn open(&mut self, path: &[String]) -> Result<()> {
        match path {
            [a] if a == "Bal" => self.balance = Some(BalanceBuilder::default()),
            [a] if a == "Ntry" => {
                let sequence = self.running.count() + 1;
                self.entry = Some(EntryBuilder::new(self.summary.id.clone(), sequence));
            }
            [a, b, c] if a == "Ntry" && b == "NtryDtls" && c == "TxDtls" => {
                self.tx = Some(TxBuilder::default());
            }
            _ => {}
        }
        Ok(())
    }

    /// An element closed with `text`; returns the entry when `</Ntry>` closed.
    pub(super) fn close(
        &mut self,
        path: &[String],
        text: &str,
        ccy: Option<String>,
    ) -> Result<Option<Entry>> {
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        match path.as_slice() {
            ["Id"] => self.summary.id = some(text),
            ["CreDtTm"] => self.summary.created = some(text),
            ["Acct", "Id", "IBAN"] => self.summary.account_iban = some(text),
            ["Acct", "Ccy"] => self.summary.account_currency = some(text),
            ["Bal", rest @ ..] => self.close_balance(rest, text, ccy)?,
            ["TxsSummry", rest @ ..] => self.declared.set(rest, text)?,
            ["Ntry"] => return self.finish_entry().map(Some),
            ["Ntry", "NtryDtls", "TxDtls"] => self.finish_transaction()?,
            ["Ntry", "NtryDtls", "TxDtls", rest @ ..] => {
                if let Some(tx) = self.tx.as_mut() {
                    tx.set(rest, text, ccy)?;
                }
            }
            ["Ntry", rest @ ..] => {
                if let Some(entry) = self.entry.as_mut() {
                    entry.set(rest, text, ccy)?;
                }
            }
            _ => {}
        }
        Ok(None)
    }

    fn close_balance(&mut self, path: &[&str], text: &str, ccy: Option<String>) -> Result<()> {
        let Some(balance) = self.balance.as_mut() else {
            return Ok(());
        };
        match path {
            [] => {
                let done = self.balance.take().unwrap_or_default();
                let balance = done.finish(self.summary.account_currency.as_deref())?;
                self.summary.balances.push(balance);
            }
            ["Tp", "CdOrPrtry", "Cd"] => balance.code = some(text),
            ["Tp", "CdOrPrtry", "Prtry"] if balance.code.is_none() => balance.code = some(text),
            ["Amt"] => {
                balance.amount = Some(amount(text)?);
                balance.currency = ccy;
            }
            ["CdtDbtInd"] => balance.credit_debit = Some(credit_debit(text)?),
            ["Dt", "Dt" | "DtTm"] => balance.date = Some(date(text)?),
            _ => {}
        }
        Ok(())
    }

    fn finish_transaction(&mut self) -> Result<()> {
        let (Some(tx), Some(entry)) = (self.tx.take(), self.entry.as_mut()) else {
            return Ok(());
        };
        if entry.entry.transactions.len() >= MAX_TRANSACTIONS_PER_ENTRY {
            return Err(bad(format!(
                "entry {} holds more than {MAX_TRANSACTIONS_PER_ENTRY} transactions",
                entry.entry.sequence
            )));
        }
        let direction = tx.details.credit_debit.or(entry.credit_debit);
        let details = tx.finish(direction, entry.entry.reversal);
        entry.entry.transactions.push(details);
        Ok(())
    }

    fn finish_entry(&mut self) -> Result<Entry> {
        let builder = self
            .entry
            .take()
            .ok_or_else(|| bad("</Ntry> without <Ntry>"))?;
        let entry = builder.finish(self.summary.account_currency.as_deref())?;
        checks::check_entry(&entry)?;
        self.running.add(&entry)?;
        Ok(entry)
    }

    /// The statement closed: run its control checks.
    pub(super) fn finish(mut self) -> Result<StatementSummary> {
        let id = self.summary.id.clone().unwrap_or_default();
        checks::check_statement(&id, &self.declared, &self.running, &self.summary.balances)?;
        self.summary.entries = self.running.count();
        self.summary.total_credits = self.running.credits();
        self.summary.total_debits = self.running.debits();
        Ok(self.summary)
    }
}

impl BalanceBuilder {
    fn finish(self, account_currency: Option<&str>) -> Result<Balance> {
        let code = self
            .code
            .ok_or_else(|| bad("a Bal has no Tp/CdOrPrtry/Cd"))?;
        let amount = self
            .amount
            .ok_or_else(|| bad(format!("balance {code} has no Amt")))?;
        let direction = self
            .credit_debit
            .ok_or_else(|| bad(format!("balance {code} has no CdtDbtInd")))?;
        let currency = self
            .currency
            .or_else(|| account_currency.map(str::to_owned))
            .ok_or_else(|| bad(format!("balance {code} has no currency")))?;
        Ok(Balance {
            code,
            amount: direction.signed(amount),
            currency,
            date: self.date,
        })
    }
}

impl EntryBuilder {
    fn new(statement_id: Option<String>, sequence: u32) -> Self {
        EntryBuilder {
            entry: Entry {
                statement_id,
                sequence,
                entry_ref: None,
                amount: Amount::ZERO,
                currency: String::new(),
                credit_debit: CreditDebit::Credit,
                reversal: false,
                status: None,
                booking_date: None,
                value_date: None,
                account_servicer_ref: None,
                bank_transaction_code: None,
                additional_info: None,
                batch_count: None,
                transactions: Vec::new(),
            },
            amount: None,
            credit_debit: None,
            domain: [None, None, None],
            proprietary: None,
        }
    }

    fn set(&mut self, path: &[&str], text: &str, ccy: Option<String>) -> Result<()> {
        let e = &mut self.entry;
        match path {
            ["NtryRef"] => e.entry_ref = some(text),
            ["Amt"] => {
                self.amount = Some(amount(text)?);
                e.currency = ccy.unwrap_or_default();
            }
            ["CdtDbtInd"] => self.credit_debit = Some(credit_debit(text)?),
            ["RvslInd"] => e.reversal = boolean(text)?,
            ["Sts"] if !text.is_empty() => e.status = some(text),
            ["Sts", "Cd" | "Prtry"] => e.status = some(text),
            ["BookgDt", "Dt" | "DtTm"] => e.booking_date = Some(date(text)?),
            ["ValDt", "Dt" | "DtTm"] => e.value_date = Some(date(text)?),
            ["AcctSvcrRef"] => e.account_servicer_ref = some(text),
            ["BkTxCd", "Domn", "Cd"] => self.domain[0] = some(text),
            ["BkTxCd", "Domn", "Fmly", "Cd"] => self.domain[1] = some(text),
            ["BkTxCd", "Domn", "Fmly", "SubFmlyCd"] => self.domain[2] = some(text),
            ["BkTxCd", "Prtry", "Cd"] => self.proprietary = some(text),
            ["AddtlNtryInf"] => e.additional_info = some(text),
            ["NtryDtls", "Btch", "NbOfTxs"] => {
                let count = u32::from_str(text)
                    .map_err(|_| bad(format!("NbOfTxs {text:?} is not a count")))?;
                e.batch_count = Some(e.batch_count.unwrap_or(0).saturating_add(count));
            }
            _ => {}
        }
        Ok(())
    }

    fn finish(self, account_currency: Option<&str>) -> Result<Entry> {
        let mut entry = self.entry;
        let n = entry.sequence;
        entry.amount = self
            .amount
            .ok_or_else(|| bad(format!("entry {n} has no Amt")))?;
        entry.credit_debit = self
            .credit_debit
            .ok_or_else(|| bad(format!("entry {n} has no CdtDbtInd")))?;
        if entry.currency.is_empty() {
            entry.currency = account_currency
                .map(str::to_owned)
                .ok_or_else(|| bad(format!("entry {n} has no currency")))?;
        }
        entry.bank_transaction_code = match self.domain {
            [Some(d), Some(f), Some(s)] => Some(format!("{d}-{f}-{s}")),
            _ => self.proprietary,
        };
        Ok(entry)
    }
}

impl TxBuilder {
    fn set(&mut self, path: &[&str], text: &str, ccy: Option<String>) -> Result<()> {
        let d = &mut self.details;
        match path {
            ["Refs", "AcctSvcrRef"] => d.account_servicer_ref = some(text),
            ["Refs", "EndToEndId"] => d.end_to_end_id = some(text).filter(|t| t != "NOTPROVIDED"),
            ["Amt"] | ["AmtDtls", "TxAmt", "Amt"] => {
                d.amount = Some(amount(text)?);
                d.currency = ccy;
            }
            ["CdtDbtInd"] => d.credit_debit = Some(credit_debit(text)?),
            ["RltdPties", "Dbtr", "Nm"] | ["RltdPties", "Dbtr", "Pty", "Nm"] => {
                self.debtor.0 = some(text);
            }
            ["RltdPties", "DbtrAcct", "Id", "IBAN"] => self.debtor.1 = some(text),
            ["RltdPties", "Cdtr", "Nm"] | ["RltdPties", "Cdtr", "Pty", "Nm"] => {
                self.creditor.0 = some(text);
            }
            ["RltdPties", "CdtrAcct", "Id", "IBAN"] => self.creditor.1 = some(text),
            ["RmtInf", "Ustrd"] if !text.is_empty() => {
                let lines = d.unstructured.get_or_insert_with(String::new);
                if !lines.is_empty() {
                    lines.push(' ');
                }
                lines.push_str(text);
            }
            // The first structured reference counts; later ones are ignored.
            ["RmtInf", "Strd", "CdtrRefInf", "Ref"]
                if !text.is_empty() && d.creditor_reference.is_none() =>
            {
                match Reference::parse(text) {
                    Ok(reference) => d.creditor_reference = Some(reference),
                    Err(_) => d.invalid_creditor_reference = some(text),
                }
            }
            ["RtrInf", "Rsn", "Cd" | "Prtry"] => d.return_reason = some(text),
            _ => {}
        }
        Ok(())
    }

    /// Picks the counterparty: the debtor of money in, the creditor of money out. A
    /// reversal keeps the original transaction's parties, so its direction is flipped.
    fn finish(self, direction: Option<CreditDebit>, reversal: bool) -> TransactionDetails {
        let mut details = self.details;
        if details.creditor_reference.is_some() {
            details.invalid_creditor_reference = None;
        }
        let money_in = matches!(
            (direction, reversal),
            (Some(CreditDebit::Credit), false) | (Some(CreditDebit::Debit), true)
        );
        let (first, second) = if money_in {
            (self.debtor, self.creditor)
        } else {
            (self.creditor, self.debtor)
        };
        let (name, iban) = if first.0.is_some() || first.1.is_some() {
            first
        } else {
            second
        };
        details.counterparty_name = name;
        details.counterparty_iban = iban;
        details
    }
}

fn some(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// An ISO 20022 amount: digits with an optional fraction, never a sign.
pub(super) fn amount(text: &str) -> Result<Amount> {
    if text.starts_with(['-', '+']) {
        return Err(bad(format!(
            "amount {text:?} carries a sign; use CdtDbtInd"
        )));
    }
    Amount::from_str(text).map_err(|_| bad(format!("invalid amount {text:?}")))
}

fn credit_debit(text: &str) -> Result<CreditDebit> {
    CreditDebit::parse(text)
        .ok_or_else(|| bad(format!("CdtDbtInd {text:?} is neither CRDT nor DBIT")))
}

fn boolean(text: &str) -> Result<bool> {
    match text {
        "true" | "1" => Ok(true),
        "false" | "0" => Ok(false),
        _ => Err(bad(format!("{text:?} is not a boolean"))),
    }
}

/// An ISO date, or the date part of an ISO date-time.
fn date(text: &str) -> Result<Date> {
    let day = text.get(..10).unwrap_or(text);
    parse_iso_date(day).ok_or_else(|| bad(format!("invalid date {text:?}")))
}
