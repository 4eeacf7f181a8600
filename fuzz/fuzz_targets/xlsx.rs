//! Open items from a spreadsheet (`sheet::read_open_items`, calamine underneath): arbitrary
//! bytes give items or a typed `INVALID_INPUT` error, never a panic; every item read holds a
//! valid reference (it parses back to itself).
#![no_main]

use libfuzzer_sys::fuzz_target;
use opcorp::ErrorKind;
use opcorp::domain::reference::Reference;
use opcorp::sheet::read_open_items;

fuzz_target!(|bytes: &[u8]| {
    match read_open_items(bytes) {
        Ok(items) => {
            for item in items {
                let again = Reference::parse(item.reference.as_str()).ok();
                assert_eq!(again.as_ref(), Some(&item.reference));
                assert_eq!(item.currency, item.currency.to_ascii_uppercase());
            }
        }
        Err(err) => assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}"),
    }
});
