//! Routing, account list/details, errors and robustness.

use super::support::*;
use crate::bank::{Request, Route};

#[test]
fn classify_routes() {
    let cases = [
        (
            "GET",
            "/corporate-account-data/v1/accounts",
            Some(Route::Accounts),
        ),
        (
            "GET",
            "/corporate-account-data/v1/accounts/abc%3D%3D",
            Some(Route::Account),
        ),
        (
            "GET",
            "/corporate-account-data/v2/accounts/a-b%3D/transactions",
            Some(Route::TransactionsV2),
        ),
        (
            "GET",
            "/corporate-account-data/v3/accounts/a-b%3D/transactions?maxFuture=5",
            Some(Route::TransactionsV3),
        ),
        (
            "POST",
            "/corporate-payment/v1/sepa-payment",
            Some(Route::SepaPayment),
        ),
        (
            "POST",
            "/corporate-payment/v1/sepa-instant-payment",
            Some(Route::SepaInstantPayment),
        ),
        (
            "GET",
            "/corporate-payment/v1/sepa-instant-payment/ABC123",
            Some(Route::InstantStatus),
        ),
        (
            "POST",
            "/corporate-payment/v2/payment-refund",
            Some(Route::Refund),
        ),
        (
            "POST",
            "/corporate-transaction-filter/v2/debit-transactions",
            Some(Route::FilterDebit),
        ),
        (
            "POST",
            "/corporate-transaction-filter/v2/credit-transactions",
            Some(Route::FilterCredit),
        ),
        (
            "POST",
            "/corporate-transaction-info/v1/payer-details",
            Some(Route::PayerDetails),
        ),
        (
            "GET",
            "/corporate-service-provider/v1/mandates",
            Some(Route::Mandates),
        ),
        (
            "POST",
            "/corporate-account-verification/v1/verify-account",
            Some(Route::VerifyAccount),
        ),
        (
            "POST",
            "/corporate-account-data/v1/accounts",
            Some(Route::Accounts),
        ),
        ("GET", "/corporate-account-data/v1/accounts/", None),
        ("GET", "/corporate-oidc/v1/token", None),
        (
            "GET",
            "/corporate-account-data/v4/accounts/x/transactions",
            None,
        ),
    ];
    for (method, path, want) in cases {
        assert_eq!(Route::classify(method, path), want, "{method} {path}");
    }
    assert_eq!(Route::Refund.method(), "POST");
}

#[test]
fn account_list_and_details() {
    let mut bank = bank();
    let (status, list) = get(
        &mut bank,
        "alice",
        "/corporate-account-data/v1/accounts",
        None,
    );
    assert_eq!(status, 200);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    for a in list {
        assert_eq!(a["bic"], "OKOYFIHH");
        assert_eq!(a["currency"], "EUR");
        assert!(a["balance"].is_string());
        let s = a["surrogateId"].as_str().unwrap();
        let (status, d) = get(
            &mut bank,
            "alice",
            &format!("/corporate-account-data/v1/accounts/{}", encode(s)),
            None,
        );
        assert_eq!(status, 200);
        assert_eq!(d["iban"], a["iban"]);
        assert_eq!(d["accountOwner"], "Alice Oy");
        assert!(d["creditLimit"].is_number());
        assert_eq!(d["netBalance"], a["balance"]);
        let created = d["creationDate"].as_str().unwrap();
        assert!(created.len() == 10 && &created[2..3] == "." && &created[5..6] == ".");
        let owner = d["ownerId"].as_str().unwrap();
        assert!(crate::bank::ids::business_id_is_valid(owner), "{owner}");
        // Another client's account is invisible.
        let (status, e) = get(
            &mut bank,
            "bob",
            &format!("/corporate-account-data/v1/accounts/{}", encode(s)),
            None,
        );
        assert_eq!(status, 404);
        assert_eq!(e["error"], "not_found");
        assert_eq!(e["status"], 404);
        let (status, _) = get(&mut bank, "bob", &tx_path(2, s), None);
        assert_eq!(status, 404);
    }
    let (status, _) = get(
        &mut bank,
        "alice",
        "/corporate-account-data/v1/accounts/nope%3D%3D",
        None,
    );
    assert_eq!(status, 404);
}

#[test]
fn unknown_path_wrong_method_and_unknown_client() {
    let mut bank = bank();
    let r = bank.handle(&request("alice", "GET", "/nope", None, None, b""));
    assert_eq!(r.status, 404);
    assert_eq!(code(&r), "not_found");
    let r = bank.handle(&request(
        "alice",
        "DELETE",
        "/corporate-account-data/v1/accounts",
        None,
        None,
        b"",
    ));
    assert_eq!(r.status, 405);
    assert_eq!(code(&r), "method_not_allowed");
    let r = bank.handle(&request(
        "alice",
        "GET",
        "/corporate-payment/v1/sepa-payment",
        None,
        None,
        b"",
    ));
    assert_eq!(r.status, 405);
    let r = bank.handle(&request(
        "mallory",
        "GET",
        "/corporate-account-data/v1/accounts",
        None,
        None,
        b"",
    ));
    assert_eq!(r.status, 403);
}

#[test]
fn malformed_json_gets_a_helpful_400() {
    let mut bank = bank();
    let r = post(
        &mut bank,
        "alice",
        "/corporate-transaction-filter/v2/credit-transactions",
        b"{\"accountIban\": ",
        None,
    );
    assert_eq!(r.status, 400);
    assert_eq!(code(&r), "invalid_request");
    assert!(
        json(&r)["message"]
            .as_str()
            .unwrap()
            .contains("malformed JSON")
    );
    let r = post(
        &mut bank,
        "alice",
        "/corporate-transaction-filter/v2/credit-transactions",
        b"[1,2]",
        None,
    );
    assert_eq!(r.status, 400);
    let mut req = request(
        "alice",
        "POST",
        "/corporate-transaction-info/v1/payer-details",
        None,
        None,
        b"{}",
    );
    req.content_type = Some("text/plain");
    assert_eq!(bank.handle(&req).status, 415);
}

/// Random bytes everywhere: every answer is JSON with a sensible status, never a panic.
#[test]
fn random_input_never_panics() {
    let mut bank = bank();
    let s = surrogates(&mut bank, "alice")[0].clone();
    let paths = [
        "/corporate-account-data/v1/accounts".to_string(),
        tx_path(2, &s),
        tx_path(3, &s),
        "/corporate-payment/v1/sepa-payment".into(),
        "/corporate-payment/v1/sepa-instant-payment".into(),
        "/corporate-payment/v1/sepa-instant-payment/%FF%FE".into(),
        "/corporate-payment/v2/payment-refund".into(),
        "/corporate-transaction-filter/v2/debit-transactions".into(),
        "/corporate-transaction-filter/v2/credit-transactions".into(),
        "/corporate-transaction-info/v1/payer-details".into(),
        "/corporate-account-data/v1/accounts/%".into(),
        "/corporate-account-data/v1/accounts/ä%C3".into(),
    ];
    let mut rng = crate::bank::rng::Rng::new(9, 9);
    let samples: [&[u8]; 8] = [
        b"",
        b"null",
        b"{\"instructionId\":123}",
        b"{\"archiveId\":\"20240601500000000000\",\"amount\":\"1e3\",\"accountIban\":\"FI\"}",
        b"{\"accountIban\":\"FI3859991620004143\",\"startDate\":\"x\",\"endDate\":1}",
        "{\"debtor\":{\"name\":\"ä\u{1F600}\"}}".as_bytes(),
        b"\xff\xfe\x00",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
    ];
    for i in 0..3_000 {
        let path = &paths[i % paths.len()];
        let mut body: Vec<u8> = samples[i % samples.len()].to_vec();
        if i % 3 == 0 {
            body = (0..rng.below(64)).map(|_| rng.next_u64() as u8).collect();
        }
        let query: String = (0..rng.below(24))
            .map(|_| {
                char::from(b"=&%0123456789abcdefmaxPastFuture-objectId"[rng.below(40) as usize])
            })
            .collect();
        let sig: String = (0..rng.below(40))
            .map(|_| char::from(b"..abcXYZ-_=+/"[rng.below(13) as usize]))
            .collect();
        for method in ["GET", "POST"] {
            let r = bank.handle(&Request {
                client_id: "alice",
                method,
                path,
                query: Some(&query),
                signature: Some(&sig),
                content_type: Some("application/json"),
                body: &body,
                mandate: None,
                now_micros: NOW,
            });
            assert!((200..600).contains(&r.status));
            let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
            if r.status >= 400 {
                assert_eq!(v["status"], r.status);
                assert!(v["error"].is_string() && v["message"].is_string());
            }
        }
    }
    assert!(bank.ledger().is_empty());
}
