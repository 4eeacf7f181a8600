//! One field of an item's report by its JSON key, for bindings that read fields one at a time
//! (Python's `ReconcileItem`, C's report record paths) instead of building the item's JSON:
//! at a million items, converting each item to JSON to read two fields was most of the
//! reading. The keys and their order are the report JSON's; a test checks both agree.

use time::Date;

use super::report::{ItemReports, ItemStatus, PaymentIdIter};
use crate::domain::amount::Amount;

/// The value of one item field ([`ItemReports::field`]).
#[derive(Clone, Debug)]
pub enum ItemField<'a> {
    /// Text: `id`, `reference` (canonical form), `currency`.
    Text(&'a str),
    /// `status`, written as its [`ItemStatus::code`] (a binding may intern the six codes).
    Status(ItemStatus),
    /// Money: `amount`, `received`, `remaining`, `excess`.
    Money(Amount),
    /// `due_date`, which is present (as null) when the item has none.
    Date(Option<Date>),
    /// `covering_payments`.
    Count(u32),
    /// `payment_ids`, in arrival order.
    PaymentIds(PaymentIdIter<'a>),
}

impl ItemField<'_> {
    /// The field as the report JSON writes it (money and dates as text).
    pub fn to_json(self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            ItemField::Text(text) => Value::from(text),
            ItemField::Status(status) => Value::from(status.code()),
            ItemField::Money(amount) => Value::from(amount.to_string()),
            ItemField::Date(date) => date.map_or(Value::Null, |d| Value::from(d.to_string())),
            ItemField::Count(count) => Value::from(count),
            ItemField::PaymentIds(ids) => ids.map(Value::from).collect(),
        }
    }
}

/// Every key an item's JSON can have, in order: seven that every item has, the status
/// details (`remaining`, `excess`, `covering_payments`), then `payment_ids`. A column per key
/// is what a columnar hand-off of the items needs.
pub const ITEM_KEYS: [&str; 11] = [
    "id",
    "reference",
    "amount",
    "currency",
    "due_date",
    "received",
    "status",
    "remaining",
    "excess",
    "covering_payments",
    "payment_ids",
];

impl ItemReports {
    /// The keys of item `index`'s JSON in order (`None` past the end): the common ones, the
    /// status details its status has, then `payment_ids`.
    pub fn keys(&self, index: usize) -> Option<Vec<&'static str>> {
        let mut keys = ITEM_KEYS[..7].to_vec();
        match self.status(index)? {
            ItemStatus::PartiallyPaid { .. } => keys.push("remaining"),
            ItemStatus::Overpaid { .. } => keys.push("excess"),
            ItemStatus::PaidTwice { .. } => keys.extend(["covering_payments", "excess"]),
            ItemStatus::Unpaid | ItemStatus::Paid | ItemStatus::AmbiguousReference => {}
        }
        keys.push("payment_ids");
        Some(keys)
    }

    /// Field `key` of item `index`, as the item's JSON has it; `None` when there is no such
    /// item or the item has no such key (a status detail its status lacks, or any other key).
    pub fn field(&self, index: usize, key: &str) -> Option<ItemField<'_>> {
        let item = self.item(index)?;
        let status = || self.status(index);
        Some(match key {
            "id" => ItemField::Text(&item.id),
            "reference" => ItemField::Text(item.reference.as_str()),
            "amount" => ItemField::Money(item.amount),
            "currency" => ItemField::Text(&item.currency),
            "due_date" => ItemField::Date(item.due_date),
            "received" => ItemField::Money(self.received(index)?),
            "status" => ItemField::Status(status()?),
            "remaining" => match status()? {
                ItemStatus::PartiallyPaid { remaining } => ItemField::Money(remaining),
                _ => return None,
            },
            "excess" => match status()? {
                ItemStatus::Overpaid { excess } | ItemStatus::PaidTwice { excess, .. } => {
                    ItemField::Money(excess)
                }
                _ => return None,
            },
            "covering_payments" => match status()? {
                ItemStatus::PaidTwice {
                    covering_payments, ..
                } => ItemField::Count(covering_payments),
                _ => return None,
            },
            "payment_ids" => ItemField::PaymentIds(self.payment_ids(index)),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use crate::reconcile::{OpenItem, Payment, reconcile};

    #[test]
    fn fields_and_keys_are_the_report_json_of_every_status() {
        let items: Vec<OpenItem> = serde_json::from_str(
            r#"[{"id":"a","reference":"1232","amount":"10.00","due_date":"2026-01-31"},
                {"id":"b","reference":"12454","amount":"10.00"},
                {"id":"c","reference":"123453","amount":"10.00"},
                {"id":"d","reference":"RF18539007547034","amount":"5.00","currency":"SEK"},
                {"id":"e","reference":"1245","amount":"7.50"},
                {"id":"f","reference":"1258","amount":"1.00"},
                {"id":"g","reference":"1258","amount":"2.00"}]"#,
        )
        .unwrap();
        let payments: Vec<Payment> = serde_json::from_str(
            r#"[{"id":"1","reference":"1232","amount":"4.00"},
                {"id":"2","reference":"12454","amount":"12.00"},
                {"id":"3","reference":"123453","amount":"10.00"},
                {"id":"4","reference":"123453","amount":"10.00"},
                {"id":"5","reference":"RF18539007547034","amount":"5.00","currency":"SEK"},
                {"id":"6","reference":"1258","amount":"1.00"}]"#,
        )
        .unwrap();
        let report = reconcile(items, payments);
        let mut statuses = std::collections::HashSet::new();
        for index in 0..report.items.len() {
            let Value::Object(whole) = serde_json::to_value(report.items.get(index)).unwrap()
            else {
                panic!("item {index} is not an object");
            };
            let keys: Vec<&str> = whole.keys().map(String::as_str).collect();
            assert_eq!(report.items.keys(index).unwrap(), keys, "item {index}");
            for (key, value) in &whole {
                let field = report.items.field(index, key).expect(key);
                assert_eq!(&field.to_json(), value, "item {index} {key}");
            }
            for absent in ["remaining", "excess", "covering_payments", "nope", ""] {
                if !whole.contains_key(absent) {
                    assert!(
                        report.items.field(index, absent).is_none(),
                        "{index} {absent}"
                    );
                }
            }
            statuses.insert(whole["status"].as_str().unwrap().to_owned());
        }
        assert_eq!(statuses.len(), 6, "every status is covered: {statuses:?}");
        let past = report.items.len();
        assert!(report.items.field(past, "id").is_none() && report.items.keys(past).is_none());
    }
}
