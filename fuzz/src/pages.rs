//! The property of the one-pass transaction-page decoder (`opcorp::model::transaction_json`,
//! the Node binding's fast path): whatever the body, it gives what the typed decode gives.

use opcorp::model::Transaction;
use opcorp::model::transaction_json::TransactionPage;
use opcorp::response::decode_json;

/// Decodes `body` as a page of transactions both ways and checks that `TransactionPage`
/// agrees with `decode_json::<Vec<Transaction>>`: the JSON text serialising the typed page
/// gives, or the same error, message and all.
pub fn check_transaction_pages(body: &[u8]) {
    let typed = decode_json::<Vec<Transaction>>(200, "rid-fuzz", Some("application/json"), body);
    let page = TransactionPage::decode(200, "rid-fuzz", Some("application/json"), body);
    match typed {
        Ok(typed) => {
            let from_typed = TransactionPage::from_typed(&typed).expect("typed page text");
            assert_eq!(
                page.expect("the page decodes what the typed decode does"),
                from_typed
            );
        }
        Err(err) => {
            let fast = page.expect_err("the one pass fails where the typed decode does");
            assert_eq!(fast.to_string(), err.to_string());
            assert_eq!(format!("{fast:?}"), format!("{err:?}"));
        }
    }
}
