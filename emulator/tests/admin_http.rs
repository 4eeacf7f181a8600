//! The HTTP admin API, scenarios and state-directory reuse.

mod common;

use std::time::Duration;

use common::*;
use opcorp_emulator::EmulatorConfig;
use serde_json::{Value, json};

#[tokio::test]
async fn admin_endpoints_mirror_the_handle() {
    let emu = emulator().await;
    let admin = emu.admin_url();
    let web = reqwest::Client::builder().no_proxy().build().unwrap();
    let id = emu.identity().clone();
    let http = client(&id);
    let base = emu.base_url();

    let identity: Value = web
        .get(format!("{admin}/admin/identity"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(identity["clientId"], id.client_id.as_str());
    assert_eq!(identity["env"]["OPCORP_BASE_URL"], base.as_str());

    let token = token(&http, &base, &id).await;
    let counters: Value = web
        .get(format!("{admin}/admin/counters"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(counters["tokenRequests"], 1);

    let accounts: Value = web
        .get(format!("{admin}/admin/accounts"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let iban = accounts[0]["iban"].as_str().unwrap().to_string();
    let booked = web
        .post(format!("{admin}/admin/incoming"))
        .json(&json!({"accountIban": iban, "amount": "249.00", "reference": "1232", "debtorName": "Asiakas Oy"}))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 201);
    let booked: Value = booked.json().await.unwrap();
    assert!(booked["archiveId"].is_string());

    let bad_fault = web
        .post(format!("{admin}/admin/faults"))
        .json(&json!({"route": "acounts", "kind": {"type": "reset_before_commit"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_fault.status(), 400);
    let bad_json = web
        .post(format!("{admin}/admin/faults"))
        .body("{")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_json.status(), 400);
    let body: Value = bad_json.json().await.unwrap();
    assert_eq!(body["error"], "bad_request");

    let added = web
        .post(format!("{admin}/admin/faults"))
        .json(&json!({"route": "accounts", "kind": {"type": "status", "status": 503, "retry_after": "1"}, "times": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 201);
    assert_eq!(
        get(&http, &base, &token, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        503
    );
    assert_eq!(
        get(&http, &base, &token, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        200
    );
    web.post(format!("{admin}/admin/faults"))
        .json(&json!({"kind": {"type": "latency", "millis": 1}}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        web.delete(format!("{admin}/admin/faults"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert!(emu.admin().faults().is_empty());

    assert_eq!(
        web.post(format!("{admin}/admin/revoke-tokens"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        get(&http, &base, &token, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        401
    );

    web.post(format!("{admin}/admin/token-lifetime"))
        .json(&json!({"seconds": 120}))
        .send()
        .await
        .unwrap();
    let response: Value = token_response(&http, &base, &id.client_id, &id.client_secret)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(response["expires_in"], 120);
    assert_eq!(
        web.post(format!("{admin}/admin/clock-skew"))
            .json(&json!({"seconds": "x"}))
            .send()
            .await
            .unwrap()
            .status(),
        400
    );
    assert_eq!(
        web.post(format!("{admin}/admin/clock-skew"))
            .json(&json!({"seconds": 60}))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );

    // An outage closes OP connections on arrival for its duration, then serves again.
    let outage = |body: Value| web.post(format!("{admin}/admin/outage")).json(&body).send();
    assert_eq!(outage(json!({"millis": -1})).await.unwrap().status(), 400);
    assert_eq!(outage(json!({"millis": 400})).await.unwrap().status(), 204);
    let fresh = client(&id);
    assert!(
        token_response(&fresh, &base, &id.client_id, &id.client_secret)
            .await
            .is_err(),
        "refused during the outage"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        token_response(&fresh, &base, &id.client_id, &id.client_secret)
            .await
            .unwrap()
            .status()
            .is_success()
    );

    let second: Value = web
        .post(format!("{admin}/admin/clients"))
        .json(&json!({"name": "Toinen Oy"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        second["certPem"]
            .as_str()
            .unwrap()
            .contains("BEGIN CERTIFICATE")
    );
    let pubkey =
        rcgen::KeyPair::generate_rsa_for(&rcgen::PKCS_RSA_SHA256, rcgen::RsaKeySize::_2048)
            .unwrap()
            .public_key_pem();
    let kid: Value = web
        .post(format!("{admin}/admin/onboarding/signing-keys"))
        .json(&json!({"clientId": second["clientId"], "publicKeyPem": pubkey}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(kid["kid"].as_str().unwrap().starts_with("emu-"));
    let csr = web
        .post(format!("{admin}/admin/onboarding/csr"))
        .json(&json!({"csrPem": "garbage"}))
        .send()
        .await
        .unwrap();
    assert_eq!(csr.status(), 400);

    let ledger: Value = web
        .get(format!("{admin}/admin/ledger"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(ledger.as_array().unwrap().is_empty());
    assert_eq!(
        web.post(format!("{admin}/admin/reset"))
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(emu.admin().counters().token_requests, 0);
    assert_eq!(
        web.get(format!("{admin}/admin/nothing"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn scenario_books_payments_on_schedule() {
    let emu = emulator().await;
    let web = reqwest::Client::builder().no_proxy().build().unwrap();
    let id = emu.identity().clone();
    let account = emu.admin().accounts(&id.client_id)[0].clone();
    let scenario = json!({"events": [
        {"afterMillis": 0, "payment": {"accountIban": account.iban, "amount": "10.00", "debtorName": "A Oy"}},
        {"afterMillis": 600, "payment": {"accountIban": account.iban, "amount": "5.00", "debtorName": "B Oy"}},
    ]});
    let response = web
        .post(format!("{}/admin/scenario", emu.admin_url()))
        .json(&scenario)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 202);
    let balance =
        |emu: &opcorp_emulator::Emulator| cents(&emu.admin().accounts(&id.client_id)[0].balance);
    let start = cents(&account.balance);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(balance(&emu) - start, 1000, "first event booked");
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(balance(&emu) - start, 1500, "second event booked");
    emu.shutdown().await;
}

#[tokio::test]
async fn state_dir_is_reused_across_starts() {
    let dir = tempfile::tempdir().unwrap();
    let config = EmulatorConfig {
        quiet: true,
        state_dir: Some(dir.path().to_path_buf()),
        ..EmulatorConfig::default()
    };
    let first = emulator_with(config.clone()).await;
    let identity = first.identity().clone();
    first.shutdown().await;
    let second = emulator_with(config).await;
    let again = second.identity().clone();
    assert_eq!(identity.client_id, again.client_id);
    assert_eq!(identity.client_secret, again.client_secret);
    assert_eq!(identity.cert_pem, again.cert_pem);
    assert_eq!(identity.signing_kid, again.signing_kid);
    assert_eq!(identity.ca_pem, again.ca_pem);
    // The old identity still works against the restarted emulator.
    let http = client(&identity);
    let token = token(&http, &second.base_url(), &identity).await;
    assert_eq!(
        get(&http, &second.base_url(), &token, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        200
    );
    // localhost is a valid name for the server certificate too.
    let port = second.base_url().rsplit(':').next().unwrap().to_string();
    let by_name = token_response(
        &http,
        &format!("https://localhost:{port}"),
        &identity.client_id,
        &identity.client_secret,
    )
    .await
    .unwrap();
    assert_eq!(by_name.status(), 200);
    second.shutdown().await;
    assert!(
        dir.path().join("ca.pem").exists(),
        "a configured state dir is kept"
    );
}

#[tokio::test]
async fn mandates_are_added_and_revoked_over_http_and_select_a_company_by_header() {
    let emu = emulator().await;
    let admin = emu.admin_url();
    let web = reqwest::Client::builder().no_proxy().build().unwrap();
    let id = emu.identity().clone();
    let http = client(&id);
    let base = emu.base_url();
    let token = token(&http, &base, &id).await;

    let added = web
        .post(format!("{admin}/admin/mandates"))
        .json(&json!({"companyName": "Asiakas Oy", "accounts": 2, "apis": ["ACCOUNT_DATA"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(added.status(), 201);
    let added: Value = added.json().await.unwrap();
    let mandate = added["mandateId"].as_str().unwrap().to_owned();
    assert_eq!(added["status"], "ACTIVE");
    assert_eq!(added["clientId"], id.client_id.as_str());
    assert_eq!(added["accounts"].as_array().unwrap().len(), 2);
    let bad = web
        .post(format!("{admin}/admin/mandates"))
        .json(&json!({"companyName": "X Oy", "colour": "blue"}))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400, "unknown fields are refused");
    let listed: Value = web
        .get(format!("{admin}/admin/mandates"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["mandateId"] == mandate.as_str())
    );

    let acting = |mandate: &str| {
        http.get(format!("{base}{ACCOUNTS_PATH}"))
            .bearer_auth(&token)
            .header(opcorp_emulator::MANDATE_HEADER, mandate)
            .send()
    };
    let theirs: Value = acting(&mandate).await.unwrap().json().await.unwrap();
    assert_eq!(
        theirs[0]["surrogateId"],
        added["accounts"][0]["surrogateId"]
    );
    let revoked = web
        .post(format!("{admin}/admin/mandates/{mandate}/revoke"))
        .send()
        .await
        .unwrap();
    assert_eq!(revoked.status(), 200);
    let refused = acting(&mandate).await.unwrap();
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"], "forbidden");
    assert_eq!(acting("unknown").await.unwrap().status(), 403);
    let missing = web
        .post(format!("{admin}/admin/mandates/unknown/revoke"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}
