//! Control checks: a statement against its own `TxsSummry` and balances, a batch entry
//! against its transactions. A file that fails one is refused as a whole.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::fields::amount;
use super::reader::bad;
use super::{Balance, CreditDebit, Entry};
use crate::domain::amount::Amount;
use crate::error::Result;

/// What `TxsSummry` declares (every part optional in the schema).
#[derive(Default)]
pub(super) struct Declared {
    count: Option<u64>,
    sum: Option<Decimal>,
    net: Option<Decimal>,
    net_direction: Option<CreditDebit>,
    credit_count: Option<u64>,
    credit_sum: Option<Decimal>,
    debit_count: Option<u64>,
    debit_sum: Option<Decimal>,
}

impl Declared {
    /// Records one `TxsSummry` leaf (path relative to `TxsSummry`).
    pub(super) fn set(&mut self, path: &[&str], text: &str) -> Result<()> {
        match path {
            ["TtlNtries", "NbOfNtries"] => self.count = Some(count(text)?),
            ["TtlNtries", "Sum"] => self.sum = Some(decimal(text)?),
            // .02 writes TtlNetNtryAmt + CdtDbtInd, .08 a TtlNetNtry/{Amt, CdtDbtInd} pair.
            ["TtlNtries", "TtlNetNtryAmt"] | ["TtlNtries", "TtlNetNtry", "Amt"] => {
                self.net = Some(decimal(text)?);
            }
            ["TtlNtries", "CdtDbtInd"] | ["TtlNtries", "TtlNetNtry", "CdtDbtInd"] => {
                self.net_direction = CreditDebit::parse(text);
            }
            ["TtlCdtNtries", "NbOfNtries"] => self.credit_count = Some(count(text)?),
            ["TtlCdtNtries", "Sum"] => self.credit_sum = Some(decimal(text)?),
            ["TtlDbtNtries", "NbOfNtries"] => self.debit_count = Some(count(text)?),
            ["TtlDbtNtries", "Sum"] => self.debit_sum = Some(decimal(text)?),
            _ => {}
        }
        Ok(())
    }
}

/// Totals of the entries actually read.
#[derive(Default)]
pub(super) struct Running {
    credit_count: u32,
    debit_count: u32,
    credits: Decimal,
    debits: Decimal,
    /// Net of booked entries only: balances move with booked entries.
    booked_net: Decimal,
}

impl Running {
    pub(super) fn count(&self) -> u32 {
        self.credit_count + self.debit_count
    }

    pub(super) fn credits(&self) -> Amount {
        Amount::from_decimal(self.credits)
    }

    pub(super) fn debits(&self) -> Amount {
        Amount::from_decimal(self.debits)
    }

    pub(super) fn add(&mut self, entry: &Entry) -> Result<()> {
        let value = entry.amount.as_decimal();
        let overflow = || bad("entry amounts overflow");
        match entry.credit_debit {
            CreditDebit::Credit => {
                self.credit_count += 1;
                self.credits = self.credits.checked_add(value).ok_or_else(overflow)?;
            }
            CreditDebit::Debit => {
                self.debit_count += 1;
                self.debits = self.debits.checked_add(value).ok_or_else(overflow)?;
            }
        }
        if entry.is_booked() {
            let signed = entry.signed_amount().as_decimal();
            self.booked_net = self.booked_net.checked_add(signed).ok_or_else(overflow)?;
        }
        Ok(())
    }
}

/// Compares what the statement declares with what it holds.
pub(super) fn check_statement(
    id: &str,
    declared: &Declared,
    running: &Running,
    balances: &[Balance],
) -> Result<()> {
    let what = |field: &str, said: &dyn std::fmt::Display, found: &dyn std::fmt::Display| {
        bad(format!(
            "statement {id:?}: {field} says {said} but the entries give {found}; \
             the file is incomplete or altered and was not imported"
        ))
    };
    let total = running.credits + running.debits;
    let net = running.credits - running.debits;
    let pairs: [(&str, Option<u64>, u64); 3] = [
        (
            "TtlNtries/NbOfNtries",
            declared.count,
            u64::from(running.count()),
        ),
        (
            "TtlCdtNtries/NbOfNtries",
            declared.credit_count,
            u64::from(running.credit_count),
        ),
        (
            "TtlDbtNtries/NbOfNtries",
            declared.debit_count,
            u64::from(running.debit_count),
        ),
    ];
    for (field, said, found) in pairs {
        if let Some(said) = said.filter(|s| *s != found) {
            return Err(what(field, &said, &found));
        }
    }
    let sums = [
        ("TtlNtries/Sum", declared.sum, total),
        ("TtlCdtNtries/Sum", declared.credit_sum, running.credits),
        ("TtlDbtNtries/Sum", declared.debit_sum, running.debits),
    ];
    for (field, said, found) in sums {
        if let Some(said) = said.filter(|s| *s != found) {
            return Err(what(field, &said, &found));
        }
    }
    if let Some(said) = declared.net {
        let said = match declared.net_direction {
            Some(CreditDebit::Debit) => -said,
            _ => said,
        };
        if said != net {
            return Err(what("the net entry amount", &said, &net));
        }
    }
    check_balances(id, running, balances)
}

/// Opening booked balance + booked entries = closing booked balance, when both are given.
fn check_balances(id: &str, running: &Running, balances: &[Balance]) -> Result<()> {
    let find = |code: &str| balances.iter().find(|b| b.code == code);
    let opening = find("OPBD").or_else(|| find("PRCD"));
    let (Some(opening), Some(closing)) = (opening, find("CLBD")) else {
        return Ok(());
    };
    let expected = opening
        .amount
        .as_decimal()
        .checked_add(running.booked_net)
        .ok_or_else(|| bad("balance overflow"))?;
    if expected != closing.amount.as_decimal() {
        return Err(bad(format!(
            "statement {id:?}: opening balance {} {} plus booked entries {} gives {expected}, \
             but the closing balance is {}; the file is incomplete or altered and was not \
             imported",
            opening.code, opening.amount, running.booked_net, closing.amount
        )));
    }
    Ok(())
}

/// A batch entry: its declared transaction count and its transactions' amounts must agree
/// with the entry.
pub(super) fn check_entry(entry: &Entry) -> Result<()> {
    let n = entry.sequence;
    let found = entry.transactions.len();
    if let Some(said) = entry.batch_count
        && found > 0
        && said as usize != found
    {
        return Err(bad(format!(
            "entry {n}: Btch/NbOfTxs says {said} transactions but {found} TxDtls are present"
        )));
    }
    if found < 2 {
        return Ok(());
    }
    let mut sum = Decimal::ZERO;
    for tx in &entry.transactions {
        let (Some(value), Some(currency)) = (tx.amount, tx.currency.as_deref()) else {
            return Ok(());
        };
        if currency != entry.currency {
            return Ok(());
        }
        let direction = tx.credit_debit.unwrap_or(entry.credit_debit);
        let signed = if direction == entry.credit_debit {
            value.as_decimal()
        } else {
            -value.as_decimal()
        };
        sum = sum
            .checked_add(signed)
            .ok_or_else(|| bad("amounts overflow"))?;
    }
    if sum != entry.amount.as_decimal() {
        return Err(bad(format!(
            "entry {n}: its {found} transactions add up to {sum}, not to the entry amount {}",
            entry.amount
        )));
    }
    Ok(())
}

fn count(text: &str) -> Result<u64> {
    u64::from_str(text).map_err(|_| bad(format!("{text:?} is not a count")))
}

fn decimal(text: &str) -> Result<Decimal> {
    amount(text).map(|a| a.as_decimal())
}
