//! The offline tools: good input gives the right answer and exit 0, bad input a one-line
//! error with its code on stderr and a distinct exit status.

mod common;

use common::opcorp;

#[test]
fn ref_new_appends_the_check_digit_and_rf_converts() {
    let run = opcorp(&["ref", "new", "123"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "1232\n");
    let run = opcorp(&["ref", "rf", "1232"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.starts_with("RF") && run.stdout.trim().ends_with("1232"),
        "{}",
        run.stdout
    );
    let rf = run.stdout.trim().to_owned();
    let run = opcorp(&["ref", "check", &rf]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("valid rf reference"), "{}", run.stdout);
}

#[test]
fn ref_check_exits_1_with_the_reason_on_stderr() {
    let run = opcorp(&["ref", "check", "1233"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("check digit should be 2"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let run = opcorp(&["ref", "check", "00000000000000001232"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = opcorp(&["--json", "ref", "check", "12"]);
    assert_eq!(run.code, 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["valid"], false);
}

#[test]
fn ref_new_rejects_non_digits_as_invalid_input() {
    let run = opcorp(&["ref", "new", "12a"]);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error[INVALID_INPUT]: "),
        "{}",
        run.stderr
    );
}

#[test]
fn iban_check_good_and_bad() {
    let run = opcorp(&["iban", "check", "fi21 1234 5600 0007 85"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("FI21 1234 5600 0007 85"),
        "{}",
        run.stdout
    );
    let run = opcorp(&["iban", "check", "FI21 1234 5600 0007 86"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.starts_with("error[CHECK_FAILED]: invalid"),
        "{}",
        run.stderr
    );
}

#[test]
fn barcode_encodes_and_decodes() {
    let run = opcorp(&[
        "barcode",
        "--iban",
        "FI79 4405 2020 0360 82",
        "--amount",
        "4883.15",
        "--ref",
        "86851 62596 19897",
        "--due",
        "2010-06-12",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Finance Finland's bank barcode guide, example 1 (version 4).
    assert_eq!(
        run.stdout.trim(),
        "479440520200360820048831500000000868516259619897100612"
    );
    let run = opcorp(&["--json", "barcode", "decode", run.stdout.trim()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["amount"], "4883.15");
    assert_eq!(v["iban"], "FI7944052020036082");
    assert_eq!(v["due"], "2010-06-12");
    let run = opcorp(&[
        "barcode",
        "--iban",
        "FI7944052020036082",
        "--amount",
        "48.1",
        "--ref",
        "1232",
        "--version",
        "5",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with('5'), "{}", run.stdout);
}

#[test]
fn malformed_amount_and_date_are_invalid_input() {
    for amount in ["12,50", "1e3", "NaN", "abc"] {
        let run = opcorp(&[
            "barcode",
            "--iban",
            "FI7944052020036082",
            "--amount",
            amount,
            "--ref",
            "1232",
        ]);
        assert_eq!(run.code, 10, "{amount}: {}", run.stderr);
        assert!(
            run.stderr
                .starts_with("error[INVALID_INPUT]: invalid amount"),
            "{}",
            run.stderr
        );
    }
    let run = opcorp(&[
        "barcode",
        "--iban",
        "FI7944052020036082",
        "--ref",
        "1232",
        "--due",
        "31.12.2025",
    ]);
    assert_eq!(run.code, 10, "{}", run.stderr);
    let run = opcorp(&["barcode", "decode", "123"]);
    assert_eq!(run.code, 10, "{}", run.stderr);
}

#[test]
fn keys_new_then_sign_produces_a_detached_jws() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let run = opcorp(&[
        "keys",
        "new",
        "--bits",
        "2048",
        "--out-dir",
        out,
        "--cn",
        "test",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let key = dir.path().join("opcorp.key");
    let csr = std::fs::read_to_string(dir.path().join("opcorp.csr")).unwrap();
    assert!(csr.starts_with("-----BEGIN CERTIFICATE REQUEST-----"));
    assert!(
        !run.stdout.contains("PRIVATE KEY"),
        "the key must not be printed"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "key readable by others: {mode:o}");
    }
    // A second run must not overwrite the key.
    let again = opcorp(&["keys", "new", "--bits", "2048", "--out-dir", out]);
    assert_eq!(again.code, 10, "{}", again.stderr);

    let sign = |iat: &str| {
        common::opcorp_with(
            &[
                "sign",
                "--key",
                key.to_str().unwrap(),
                "--kid",
                "kid-1",
                "--iat",
                iat,
            ],
            &[],
            Some(br#"{"amount":"1.00"}"#),
        )
    };
    let run = sign("1700000000");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value = run.stdout.trim();
    let (header, signature) = value.split_once("..").unwrap();
    assert!(!signature.is_empty() && !signature.contains('.'));
    use base64::Engine;
    let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(header)
        .unwrap();
    let header: serde_json::Value = serde_json::from_slice(&header).unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["kid"], "kid-1");
    assert_eq!(header["b64"], false);
    assert_eq!(header["urn:op.api.iat"], 1700000000);
    assert_eq!(
        sign("1700000000").stdout,
        run.stdout,
        "RS256 is deterministic"
    );

    let missing = common::opcorp_with(
        &["sign", "--key", "/nonexistent.pem", "--kid", "k"],
        &[],
        Some(b"{}"),
    );
    assert_eq!(missing.code, 11, "{}", missing.stderr);
}

#[test]
fn help_lists_every_exit_code_and_usage_errors_exit_2() {
    let run = opcorp(&["--help"]);
    assert_eq!(run.code, 0);
    for code in [
        "INVALID_INPUT",
        "UNKNOWN_OUTCOME",
        "CLOCK_SKEW",
        "Exit codes",
    ] {
        assert!(run.stdout.contains(code), "help lacks {code}");
    }
    let run = opcorp(&["ref", "nonsense"]);
    assert_eq!(run.code, 2);
}

#[test]
fn online_commands_without_credentials_fail_with_config() {
    let run = opcorp(&["accounts"]);
    assert_eq!(run.code, 11, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("error[CONFIG]: missing credentials"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("OPCORP_CLIENT_ID"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1);
}

#[test]
fn reconcile_a_small_csv_against_a_transactions_file() {
    let dir = tempfile::tempdir().unwrap();
    let invoices = dir.path().join("invoices.csv");
    std::fs::write(
        &invoices,
        "id,reference,amount,currency,due\nA-1,1232,100.00,EUR,2025-01-31\nA-2,RF18539007547034,50.00,EUR,\nA-3,10016,20.00,EUR,\n",
    )
    .unwrap();
    let payments = dir.path().join("payments.csv");
    std::fs::write(
        &payments,
        "archive id,booked,amount,reference,counterparty\n\
         1,2025-01-10,100.00,00000000000000001232,Oy A\n\
         2,2025-01-11,20.00,RF18539007547034,Oy B\n\
         3,2025-01-12,5.00,,Oy C\n",
    )
    .unwrap();
    let run = opcorp(&[
        "reconcile",
        "--invoices",
        invoices.to_str().unwrap(),
        "--transactions",
        payments.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("A-1") && run.stdout.contains("paid"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("partially paid (remaining 30.00)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("no reference"), "{}", run.stdout);
    let run = opcorp(&[
        "--json",
        "reconcile",
        "--strict",
        "--invoices",
        invoices.to_str().unwrap(),
        "--transactions",
        payments.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "--strict with unpaid invoices: {}", run.stderr);
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["totals"]["paid"], 1);
    assert_eq!(report["items"][2]["status"], "unpaid");

    std::fs::write(&invoices, "id,reference,amount\nB-1,1233,10.00\n").unwrap();
    let run = opcorp(&[
        "reconcile",
        "--invoices",
        invoices.to_str().unwrap(),
        "--transactions",
        payments.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 10, "{}", run.stderr);
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
}

/// A file of the shared camt vectors (`tests/vectors/camt/`).
fn camt(name: &str) -> String {
    format!(
        "{}/../tests/vectors/camt/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn reconcile_reads_camt_statements_and_refuses_broken_ones() {
    let invoices = camt("invoices.csv");
    for statement in ["camt053_v02_references.xml", "camt053_v08_references.xml"] {
        let run = opcorp(&[
            "--json",
            "reconcile",
            "--invoices",
            &invoices,
            "--transactions",
            &camt(statement),
        ]);
        assert_eq!(run.code, 0, "{statement}: {}", run.stderr);
        let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let statuses: Vec<&str> = report["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["status"].as_str().unwrap())
            .collect();
        assert_eq!(
            statuses,
            ["paid", "paid", "paid", "partially_paid", "unpaid"],
            "{statement}"
        );
        assert_eq!(report["totals"]["unmatched_payments"], 3, "{statement}");
    }
    let run = opcorp(&[
        "reconcile",
        "--invoices",
        &invoices,
        "--transactions",
        &camt("camt053_v02_broken_sum.xml"),
    ]);
    assert_eq!(
        run.code, 22,
        "a broken control sum is DECODE: {}",
        run.stderr
    );
    assert!(run.stderr.contains("TtlNtries/Sum"), "{}", run.stderr);
    assert!(run.stdout.is_empty(), "nothing imported: {}", run.stdout);
}

#[test]
fn completions_and_man_page_come_from_the_command_definition() {
    for shell in ["bash", "zsh", "fish"] {
        let run = opcorp(&["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(
            run.stdout.contains("reconcile") && run.stdout.contains("xlsx"),
            "{shell}"
        );
    }
    assert_eq!(opcorp(&["completions", "tcsh"]).code, 2);
    let man = opcorp(&["man"]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(
        man.stdout.starts_with(".ie") || man.stdout.contains(".TH opcorp"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
    assert!(man.stdout.contains("reconcile"));
}
