//! Payment addresses end to end: a structured address reaches the bank under its ISO 20022
//! names and is booked; an unstructured one is refused locally (nothing sent) unless the
//! client opts in, and then the bank's own rulebook check decides.

#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use opcorp::model::{Address, AddressRules, PaymentRequest, UltimateParty};
use opcorp::{Amount, ErrorKind};
use opcorp_emulator::{Emulator, Quirks, UnstructuredAddresses};
use serde_json::json;

/// A valid payment from the demo client's first account to a creditor at `address`.
fn payment(emu: &Emulator, id: &str, address: Address) -> PaymentRequest {
    let debtor = &emu.admin().accounts(&emu.identity().client_id)[0];
    PaymentRequest::builder()
        .instruction_id(id)
        .debtor("Esimerkki Oy", debtor.iban.clone())
        .creditor("Toimittaja Oy", "FI21 1234 5600 0007 85")
        .creditor_address(address)
        .amount("12.30".parse::<Amount>().unwrap())
        .reference("RF18539007547034")
        .build()
        .unwrap()
}

fn lines_only() -> Address {
    Address::unstructured("FI", vec!["Tehdastie 5".into(), "33100 Tampere".into()])
}

#[tokio::test]
async fn structured_and_hybrid_addresses_are_sent_and_booked() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let structured = Address::structured("Tampere", "FI")
        .street("Tehdastie", "5")
        .post_code("33100");
    client
        .payments()
        .sepa(payment(&emu, "ADDR1", structured))
        .await
        .unwrap();
    let hybrid = Address::structured("Tampere", "FI").lines(vec!["PL 12".into()]);
    client
        .payments()
        .sepa_instant(payment(&emu, "ADDR2", hybrid))
        .await
        .unwrap();
    let ledger = emu.admin().ledger();
    assert_eq!(
        ledger[0].creditor_address,
        Some(
            json!({ "streetName": "Tehdastie", "buildingNumber": "5", "postCode": "33100",
                     "townName": "Tampere", "country": "FI" })
        )
    );
    assert_eq!(
        ledger[1].creditor_address,
        Some(json!({ "townName": "Tampere", "country": "FI", "addressLine": ["PL 12"] }))
    );
}

#[tokio::test]
async fn unstructured_address_is_refused_before_anything_is_sent() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    for instant in [false, true] {
        let request = payment(&emu, "ADDR3", lines_only());
        let result = if instant {
            client.payments().sepa_instant(request).await
        } else {
            client.payments().sepa(request).await
        };
        let err = result.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput);
        assert!(err.message().contains("creditor.address"), "{err}");
    }
    // An ultimate party's address is held to the same rule.
    let mut request = payment(&emu, "ADDR4", Address::structured("Tampere", "FI"));
    request.ultimate_creditor = Some(UltimateParty {
        name: Some("Loppu Oy".into()),
        address: Some(lines_only()),
        ..UltimateParty::default()
    });
    let err = client.payments().sepa(request).await.unwrap_err();
    assert!(err.message().contains("ultimateCreditor.address"), "{err}");
    assert_eq!(common::requests(&emu, "sepa_payment"), 0);
    assert_eq!(common::requests(&emu, "sepa_instant_payment"), 0);
    assert_eq!(common::token_requests(&emu), 0);
}

#[tokio::test]
async fn the_opt_in_sends_lines_only_and_the_bank_decides() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .address_rules(AddressRules::AllowUnstructured)
        .build()
        .unwrap();
    assert_eq!(client.address_rules(), AddressRules::AllowUnstructured);
    // A strict bank refuses it with a 400 of its own.
    let err = client
        .payments()
        .sepa(payment(&emu, "ADDR5", lines_only()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected);
    assert_eq!(err.status(), Some(400));
    // A lenient bank books it.
    emu.admin().set_quirks(Quirks {
        unstructured_addresses: UnstructuredAddresses::Accepted,
        ..emu.admin().quirks()
    });
    client
        .payments()
        .sepa(payment(&emu, "ADDR6", lines_only()))
        .await
        .unwrap();
    // The per-call override goes back to the rulebook for one batch.
    let strict = client.payments().with_address_rules(AddressRules::Rulebook);
    let err = strict
        .sepa(payment(&emu, "ADDR7", lines_only()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(err.status(), None);
}

#[test]
fn env_sets_the_address_rules() {
    let lookup = |name: &str| (name == "OPCORP_ADDRESS_RULES").then(|| "nope".to_owned());
    let err = opcorp::client::ClientBuilder::from_env_with(lookup).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(err.message().contains("OPCORP_ADDRESS_RULES"), "{err}");
}
