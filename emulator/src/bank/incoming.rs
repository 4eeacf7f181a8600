//! Simulated incoming payments (admin API): a credit booked now on one of the bank's accounts.

use super::booking::{NewTxn, parse_reference};
use super::ids;
use super::rng::hash;
use super::store::{Kind, Remit};
use super::{Bank, BookedTransaction, IncomingPayment, money};

impl Bank {
    /// Books an incoming payment now. The reference must be a valid Finnish or RF reference
    /// (an invalid one is rejected, not silently turned into a message); at most one of
    /// reference and message may be given. Without `debtorIban` the payer gets a generated
    /// OP account, so payer details are available for it.
    pub fn simulate_incoming(
        &mut self,
        payment: &IncomingPayment,
        now_micros: i64,
    ) -> Result<BookedTransaction, String> {
        let index = *self
            .state
            .by_iban
            .get(&payment.account_iban)
            .ok_or_else(|| format!("no account with IBAN {:?}", payment.account_iban))?;
        let amount = money::parse_strict(&payment.amount)
            .filter(|a| *a > 0)
            .ok_or_else(|| {
                format!(
                    "amount {:?} must be a positive decimal with two decimals, e.g. \"249.00\"",
                    payment.amount
                )
            })?;
        let name_len = payment.debtor_name.chars().count();
        if !(1..=70).contains(&name_len) {
            return Err("debtorName must be 1..70 characters".into());
        }
        let (remit, kind) = match (&payment.reference, &payment.message) {
            (Some(_), Some(_)) => return Err("give a reference or a message, not both".into()),
            (Some(r), None) => {
                let (rf, text) = parse_reference(r).ok_or_else(|| {
                    format!("reference {r:?} is neither a valid Finnish nor RF reference")
                })?;
                (self.remit_reference(rf, &text), Kind::RefCredit)
            }
            (None, Some(m)) => {
                if m.chars().count() > 140 {
                    return Err("message must be at most 140 characters".into());
                }
                (Remit::Msg(self.state.pool.add(m)), Kind::Credit)
            }
            (None, None) => (Remit::None, Kind::Credit),
        };
        let debtor_iban = match &payment.debtor_iban {
            Some(iban) => {
                let ok = if self.config.lenient_iban {
                    ids::iban_has_shape(iban)
                } else {
                    ids::iban_is_valid(iban)
                };
                if !ok {
                    return Err(format!("debtorIban {iban:?} is not a valid IBAN"));
                }
                iban.clone()
            }
            None => {
                let n = hash(&[
                    self.config.seed,
                    now_micros as u64,
                    self.state.pool.len() as u64,
                ]);
                ids::finnish_iban(&ids::account_number("5", n))
            }
        };
        let booked = self
            .book(
                index,
                now_micros,
                NewTxn {
                    amount,
                    kind,
                    remit,
                    name: &payment.debtor_name,
                    iban: &debtor_iban,
                    end_to_end: None,
                },
            )
            .map_err(|r| String::from_utf8_lossy(&r.body).into_owned())?;
        Ok(BookedTransaction {
            archive_id: booked.archive_id,
            object_id: booked.object_id,
            timestamp: booked.timestamp,
        })
    }
}
