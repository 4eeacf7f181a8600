//! Case 1's script: a batch of open invoices and the customers who pay them.
//!
//! Each customer payment exercises one outcome the reconciler must get right: an exact
//! payment, a partial one, an overpayment, an unknown reference, a duplicate, an RF-form
//! payment of an invoice issued with a Finnish reference, a payment of an RF invoice, and a
//! payment with only a message. One invoice stays unpaid. The expected outcome of every
//! invoice is part of the script, and the summary compares it with what actually happened.

use std::time::Duration;

use opcorp::Amount;
use opcorp::domain::reference::{FinnishReference, Reference};
use opcorp::domain::rf::RfReference;
use time::Date;

use crate::exit::CliError;

/// An open invoice (or order) waiting for payment.
#[derive(Debug, Clone)]
pub struct Invoice {
    /// Invoice number shown to people.
    pub id: String,
    /// Customer name.
    pub customer: String,
    /// The reference printed on the invoice.
    pub reference: Reference,
    /// Amount due.
    pub amount: Amount,
    /// Due date.
    pub due: Date,
    /// What should have happened to it by the end of the demo (e.g. `paid`).
    pub expected: &'static str,
}

/// One simulated customer payment.
#[derive(Debug, Clone)]
pub struct CustomerPayment {
    /// When, after the watcher starts.
    pub after: Duration,
    /// Payer name.
    pub payer: String,
    /// Amount paid.
    pub amount: Amount,
    /// Reference as the payer typed it.
    pub reference: Option<String>,
    /// Message, for payments without a reference.
    pub message: Option<String>,
    /// What this payment is meant to show, e.g. "exact payment".
    pub story: &'static str,
}

/// The invoices and the payments of case 1, plus the number of payments the reconciler
/// should leave unmatched.
#[derive(Debug, Clone)]
pub struct Script {
    /// Open invoices.
    pub invoices: Vec<Invoice>,
    /// Customer payments in time order.
    pub payments: Vec<CustomerPayment>,
    /// How many payments match no invoice.
    pub expected_unmatched: usize,
}

fn amount(text: &str) -> Result<Amount, CliError> {
    Ok(text.parse::<Amount>()?)
}

fn finnish(base: &str) -> Result<FinnishReference, CliError> {
    Ok(FinnishReference::generate(base)?)
}

/// Builds the script; `today` sets the due dates. References are generated with the
/// toolkit, so every one of them is valid.
pub fn script(today: Date) -> Result<Script, CliError> {
    let due = today + time::Duration::days(14);
    let fi = |base: &str| finnish(base).map(Reference::Finnish);
    let rf = |base: &str| finnish(base).map(|f| Reference::Rf(RfReference::from_finnish(&f)));
    let invoice = |id: &str, customer: &str, reference: Reference, sum: &str, expected| {
        Ok::<_, CliError>(Invoice {
            id: id.into(),
            customer: customer.into(),
            reference,
            amount: amount(sum)?,
            due,
            expected,
        })
    };
    let invoices = vec![
        invoice("INV-1001", "Puutalo Oy", fi("1001")?, "249.00", "paid")?,
        invoice(
            "INV-1002",
            "Kahvila Aalto",
            fi("1002")?,
            "120.00",
            "partially paid",
        )?,
        invoice(
            "INV-1003",
            "Sauna Works Ltd",
            fi("1003")?,
            "89.90",
            "overpaid",
        )?,
        invoice(
            "INV-1004",
            "Mäkinen Design",
            fi("1004")?,
            "310.00",
            "unpaid",
        )?,
        invoice(
            "INV-1005",
            "Laine & Koski",
            fi("1005")?,
            "75.50",
            "paid twice",
        )?,
        invoice(
            "INV-1006",
            "Nordic Tiles Ab",
            fi("1006")?,
            "1480.00",
            "paid",
        )?,
        invoice("INV-1007", "Hämeen Leipä", rf("1007")?, "42.00", "paid")?,
        invoice(
            "INV-1008",
            "Virtanen Consulting",
            rf("1008")?,
            "560.00",
            "unpaid",
        )?,
    ];
    let reference_of = |i: usize| invoices[i].reference.as_str().to_owned();
    // The RF form of INV-1006's Finnish reference: the same reference in another form.
    let inv6_rf = RfReference::from_finnish(&finnish("1006")?).grouped();
    // A valid reference that belongs to no open invoice (an old, already settled one).
    let unknown = finnish("9094")?.grouped();
    let pay = |secs: f64, payer: &str, sum: &str, reference: Option<String>, story| {
        Ok::<_, CliError>(CustomerPayment {
            after: Duration::from_secs_f64(secs),
            payer: payer.into(),
            amount: amount(sum)?,
            reference,
            message: None,
            story,
        })
    };
    let mut payments = vec![
        pay(
            0.8,
            "Puutalo Oy",
            "249.00",
            Some(reference_of(0)),
            "exact payment",
        )?,
        pay(
            2.0,
            "Kahvila Aalto",
            "50.00",
            Some(reference_of(1)),
            "partial payment",
        )?,
        pay(
            3.1,
            "Sauna Works Ltd",
            "100.00",
            Some(reference_of(2)),
            "overpayment",
        )?,
        pay(
            4.3,
            "Mäkinen Design",
            "310.00",
            Some(unknown),
            "wrong reference",
        )?,
        pay(
            5.4,
            "Laine & Koski",
            "75.50",
            Some(reference_of(4)),
            "first payment",
        )?,
        pay(
            6.6,
            "Laine & Koski",
            "75.50",
            Some(reference_of(4)),
            "pays again: duplicate",
        )?,
        pay(
            7.7,
            "Nordic Tiles Ab",
            "1480.00",
            Some(inv6_rf),
            "RF form of a Finnish reference",
        )?,
        pay(
            8.8,
            "Hämeen Leipä",
            "42.00",
            Some(invoices[6].reference.grouped()),
            "RF invoice, paper form",
        )?,
    ];
    payments.push(CustomerPayment {
        message: Some("Lasku 1008 / Virtanen".into()),
        ..pay(
            9.9,
            "Virtanen Consulting",
            "560.00",
            None,
            "message instead of reference",
        )?
    });
    Ok(Script {
        invoices,
        payments,
        expected_unmatched: 2,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_references_are_valid_and_distinct() {
        let today = Date::from_calendar_date(2025, time::Month::March, 3).unwrap();
        let s = script(today).unwrap();
        assert_eq!(s.invoices.len(), 8);
        let keys: std::collections::HashSet<_> =
            s.invoices.iter().map(|i| i.reference.match_key()).collect();
        assert_eq!(keys.len(), 8);
        for p in &s.payments {
            if let Some(r) = &p.reference {
                Reference::parse(r).unwrap();
            }
        }
        assert!(s.payments.windows(2).all(|w| w[0].after < w[1].after));
    }
}
