//! camt.053 / camt.054 parsing on the shared vectors in `tests/vectors/camt/`.

// Test helpers outside `#[test]` functions unwrap too; a failure there is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use opcorp::ErrorKind;
use opcorp::reconcile::{ItemStatus, OpenItem, Payment, UnmatchedReason, reconcile};
use opcorp::statement::{
    CreditDebit, Entry, MessageKind, StatementItem, StatementReader, StatementSummary,
    read_payments_from_bytes,
};

fn vector(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/camt")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn read_all(bytes: &[u8]) -> opcorp::Result<(Vec<Entry>, Vec<StatementSummary>)> {
    let mut entries = Vec::new();
    let mut ends = Vec::new();
    for item in StatementReader::from_bytes(bytes) {
        match item? {
            StatementItem::Entry(e) => entries.push(*e),
            StatementItem::End(s) => ends.push(*s),
        }
    }
    Ok((entries, ends))
}

fn summary_line(p: &Payment) -> (String, Option<String>, String, Option<String>) {
    (
        p.id.clone(),
        p.reference.clone(),
        p.amount.to_string(),
        p.payer_name.clone(),
    )
}

fn s(text: &str) -> String {
    text.to_owned()
}

#[test]
fn camt053_v02_entries_and_details() {
    let (entries, ends) = read_all(&vector("camt053_v02_references.xml")).unwrap();
    assert_eq!(entries.len(), 6);
    let [summary] = ends.as_slice() else {
        panic!("{ends:?}")
    };
    assert_eq!(summary.kind, MessageKind::Camt053);
    assert_eq!(summary.version, "02");
    assert_eq!(
        summary.message_id.as_deref(),
        Some("20261130-OKOYFIHH-0001")
    );
    assert_eq!(summary.id.as_deref(), Some("20261130000001"));
    assert_eq!(summary.account_iban.as_deref(), Some("FI3859991620004143"));
    assert_eq!(summary.balances.len(), 3);
    assert_eq!(summary.total_credits.to_string(), "555.00");
    assert_eq!(summary.total_debits.to_string(), "125.50");

    let first = &entries[0];
    assert_eq!(first.sequence, 1);
    assert_eq!(first.credit_debit, CreditDebit::Credit);
    assert_eq!(first.booking_date.unwrap().to_string(), "2026-11-30");
    assert_eq!(
        first.account_servicer_ref.as_deref(),
        Some("20261130593156000001")
    );
    assert_eq!(
        first.bank_transaction_code.as_deref(),
        Some("PMNT-RCDT-ESCT")
    );
    let tx = &first.transactions[0];
    assert_eq!(tx.creditor_reference.as_ref().unwrap().as_str(), "100010");
    assert_eq!(tx.counterparty_iban.as_deref(), Some("FI1857200020001234"));
    assert_eq!(tx.end_to_end_id, None, "NOTPROVIDED is no id");

    // Entity and character references are resolved.
    assert_eq!(
        entries[1].transactions[0].counterparty_name.as_deref(),
        Some("Kone & Terä Oy")
    );
    let batch = &entries[2];
    assert_eq!(batch.batch_count, Some(3));
    assert_eq!(batch.transactions.len(), 3);
    assert_eq!(
        batch.transactions[2].unstructured.as_deref(),
        Some("Lasku 1234561 kiitos")
    );
    // An outgoing payment's counterparty is its creditor.
    assert_eq!(
        entries[3].transactions[0].counterparty_name.as_deref(),
        Some("Sähkö Oy")
    );
    let returned = &entries[4];
    assert!(returned.reversal);
    assert_eq!(returned.credit_debit, CreditDebit::Debit);
    assert_eq!(
        returned.transactions[0].return_reason.as_deref(),
        Some("MD06")
    );
    assert_eq!(
        returned.transactions[0].counterparty_name.as_deref(),
        Some("Kone & Terä Oy"),
        "a return keeps the original payer as counterparty"
    );
    let bad_ref = &entries[5].transactions[0];
    assert!(bad_ref.creditor_reference.is_none());
    assert_eq!(
        bad_ref.invalid_creditor_reference.as_deref(),
        Some("100011")
    );
}

fn expected_053_payments() -> Vec<(String, Option<String>, String, Option<String>)> {
    vec![
        (
            s("20261130593156000001"),
            Some(s("100010")),
            s("150.00"),
            Some(s("Asunto Oy Kuusikko")),
        ),
        (
            s("20261130593156000002"),
            Some(s("RF57100023")),
            s("80.00"),
            Some(s("Kone & Terä Oy")),
        ),
        (
            s("20261130593156100031"),
            Some(s("100036")),
            s("100.00"),
            Some(s("LIISA VIRTANEN")),
        ),
        (
            s("20261130593156100032"),
            Some(s("200046")),
            s("120.00"),
            Some(s("Pekka Korhonen")),
        ),
        (
            s("20261130593156100033"),
            None,
            s("80.00"),
            Some(s("Anna Nieminen")),
        ),
        (
            s("20261130593156000005"),
            Some(s("RF57100023")),
            s("-80.00"),
            Some(s("Kone & Terä Oy")),
        ),
        (
            s("20261130593156000006"),
            Some(s("100011")),
            s("25.00"),
            Some(s("Ville Lahtinen")),
        ),
    ]
}

#[test]
fn camt053_both_versions_give_the_same_payments() {
    for name in ["camt053_v02_references.xml", "camt053_v08_references.xml"] {
        let payments = read_payments_from_bytes(&vector(name)).unwrap();
        let lines: Vec<_> = payments.iter().map(summary_line).collect();
        assert_eq!(lines, expected_053_payments(), "{name}");
        assert!(payments.iter().all(|p| p.currency == "EUR"), "{name}");
    }
    let (_, ends) = read_all(&vector("camt053_v08_references.xml")).unwrap();
    assert_eq!(ends[0].version, "08");
}

#[test]
fn camt053_reconciles_against_open_invoices() {
    let items = [
        ("INV-1001", "100010", "150.00"),
        ("INV-1002", "RF57100023", "80.00"),
        ("INV-1003", "100036", "100.00"),
        ("INV-1004", "200046", "150.00"),
        ("INV-1005", "1234561", "80.00"),
    ]
    .map(|(id, reference, amount)| OpenItem {
        id: id.into(),
        reference: reference.parse().unwrap(),
        amount: amount.parse().unwrap(),
        currency: "EUR".into(),
        due_date: None,
    });
    let payments = read_payments_from_bytes(&vector("camt053_v02_references.xml")).unwrap();
    let report = reconcile(items, payments);
    let statuses: Vec<_> = report.items.iter().map(|i| i.status.clone()).collect();
    assert_eq!(statuses[0], ItemStatus::Paid);
    assert_eq!(statuses[1], ItemStatus::Paid);
    assert_eq!(statuses[2], ItemStatus::Paid);
    assert!(matches!(statuses[3], ItemStatus::PartiallyPaid { .. }));
    assert_eq!(statuses[4], ItemStatus::Unpaid);
    let reasons: Vec<_> = report.unmatched.iter().map(|u| u.reason.clone()).collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert_eq!(reasons[0], UnmatchedReason::NoReference);
    assert_eq!(reasons[1], UnmatchedReason::NotACredit);
    assert!(matches!(
        reasons[2],
        UnmatchedReason::InvalidReference { .. }
    ));
}

#[test]
fn camt054_notifications_in_both_versions() {
    for name in [
        "camt054_v02_notification.xml",
        "camt054_v08_notification.xml",
    ] {
        let bytes = vector(name);
        let (entries, ends) = read_all(&bytes).unwrap();
        assert_eq!(ends[0].kind, MessageKind::Camt054, "{name}");
        assert!(ends[0].balances.is_empty(), "{name}");
        assert_eq!(entries.len(), 1, "{name}");
        let payments = read_payments_from_bytes(&bytes).unwrap();
        let lines: Vec<_> = payments.iter().map(summary_line).collect();
        assert_eq!(
            lines,
            vec![
                (
                    s("20261130593158000001"),
                    Some(s("RF38INV2026A")),
                    s("200.00"),
                    Some(s("Metsä Ab"))
                ),
                (
                    s("20261130593158000002"),
                    Some(s("RF94100036")),
                    s("115.75"),
                    Some(s("Rautakauppa Niemi Oy"))
                ),
                (
                    s("20261130593158000003"),
                    Some(s("1234561")),
                    s("100.00"),
                    Some(s("Asunto Oy Kuusikko"))
                ),
            ],
            "{name}"
        );
    }
}

fn assert_refused(bytes: &[u8], needle: &str) {
    let err = read_payments_from_bytes(bytes).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.message().contains(needle), "{needle:?} not in {err}");
}

fn altered(from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(vector("camt053_v02_references.xml")).unwrap();
    assert!(text.contains(from), "{from}");
    text.replacen(from, to, 1).into_bytes()
}

#[test]
fn broken_control_sums_refuse_the_whole_file() {
    assert_refused(
        &vector("camt053_v02_broken_sum.xml"),
        "TtlNtries/Sum says 250.00",
    );
    // The first `1429.50` is the closing booked balance.
    assert_refused(
        &altered(
            r#"<Amt Ccy="EUR">1429.50</Amt>"#,
            r#"<Amt Ccy="EUR">1439.50</Amt>"#,
        ),
        "closing balance is 1439.50",
    );
    assert_refused(
        &altered("<NbOfNtries>6</NbOfNtries>", "<NbOfNtries>7</NbOfNtries>"),
        "TtlNtries/NbOfNtries says 7",
    );
    assert_refused(
        &altered(
            "<TtlNetNtryAmt>429.50</TtlNetNtryAmt>",
            "<TtlNetNtryAmt>430.50</TtlNetNtryAmt>",
        ),
        "net entry amount",
    );
    assert_refused(
        &altered("<Sum>125.50</Sum>", "<Sum>125.00</Sum>"),
        "TtlDbtNtries/Sum",
    );
    assert_refused(
        &altered("<NbOfTxs>3</NbOfTxs>", "<NbOfTxs>4</NbOfTxs>"),
        "Btch/NbOfTxs says 4",
    );
    assert_refused(
        &altered(
            r#"<TxAmt><Amt Ccy="EUR">120.00</Amt>"#,
            r#"<TxAmt><Amt Ccy="EUR">121.00</Amt>"#,
        ),
        "add up to 301.00",
    );
}

#[test]
fn a_failing_statement_stops_the_reader_after_its_entries() {
    let items: Vec<_> =
        StatementReader::from_bytes(&vector("camt053_v02_broken_sum.xml")).collect();
    assert_eq!(items.len(), 3, "two entries, then the error");
    assert!(items[2].is_err());
}

#[test]
fn malformed_and_unsupported_files_are_decode_errors() {
    let good = String::from_utf8(vector("camt053_v02_references.xml")).unwrap();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (good.as_bytes()[..good.len() / 2].to_vec(), "truncated"),
        (
            good.replace("camt.053.001.02", "camt.053.001.04")
                .into_bytes(),
            "not supported",
        ),
        (
            good.replace("camt.053.001.02", "pain.001.001.03")
                .into_bytes(),
            "not an ISO 20022 camt",
        ),
        (
            b"<html><body/></html>".to_vec(),
            "not an ISO 20022 <Document>",
        ),
        (b"".to_vec(), "no XML document"),
        (
            good.replacen("<Document", "<!DOCTYPE d [<!ENTITY x \"y\">]><Document", 1)
                .into_bytes(),
            "DOCTYPE",
        ),
        (
            good.replacen("<Amt Ccy=\"EUR\">150.00", "<Amt Ccy=\"EUR\">-150.00", 1)
                .into_bytes(),
            "carries a sign",
        ),
        (
            good.replacen(
                "<CdtDbtInd>CRDT</CdtDbtInd>",
                "<CdtDbtInd>CR</CdtDbtInd>",
                1,
            )
            .into_bytes(),
            "neither CRDT nor DBIT",
        ),
        (
            good.replacen("</Ntry>", "</Nrty>", 1).into_bytes(),
            "malformed XML",
        ),
        (
            good.replace("<Stmt>", "<Other>")
                .replace("</Stmt>", "</Other>")
                .into_bytes(),
            "no statement",
        ),
    ];
    for (bytes, needle) in cases {
        assert_refused(&bytes, needle);
    }
}

/// A camt.053 produced on the fly, never held in memory as a whole: the reader must stream
/// it entry by entry.
struct Generated {
    entries: u64,
    next: u64,
    chunk: Vec<u8>,
    pos: usize,
    stage: u8,
}

impl Generated {
    fn new(entries: u64) -> Self {
        Generated {
            entries,
            next: 0,
            chunk: Vec::new(),
            pos: 0,
            stage: 0,
        }
    }

    fn refill(&mut self) -> bool {
        self.pos = 0;
        self.chunk.clear();
        let n = self.entries;
        match self.stage {
            0 => {
                let total = n; // every entry is 1.00 EUR
                self.chunk = format!(
                    r#"<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>BIG</Id><Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">0.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">{total}.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></Bal><TxsSummry><TtlNtries><NbOfNtries>{n}</NbOfNtries><Sum>{total}.00</Sum></TtlNtries></TxsSummry>"#
                )
                .into_bytes();
                self.stage = 1;
            }
            1 if self.next < n => {
                for _ in 0..1000.min(n - self.next) {
                    self.next += 1;
                    self.chunk.extend_from_slice(
                        format!(
                            r#"<Ntry><Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><AcctSvcrRef>{:020}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Ref>1232</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>"#,
                            self.next
                        )
                        .as_bytes(),
                    );
                }
            }
            1 => {
                self.chunk = b"</Stmt></BkToCstmrStmt></Document>".to_vec();
                self.stage = 2;
            }
            _ => return false,
        }
        true
    }
}

impl std::io::Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos == self.chunk.len() && !self.refill() {
            return Ok(0);
        }
        let n = out.len().min(self.chunk.len() - self.pos);
        out[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[test]
fn large_statements_stream_entry_by_entry() {
    let entries = 50_000;
    let reader = StatementReader::new(std::io::BufReader::new(Generated::new(entries)));
    let mut seen = 0u64;
    let mut ended = false;
    for item in reader {
        match item.unwrap() {
            StatementItem::Entry(e) => {
                seen += 1;
                assert_eq!(u64::from(e.sequence), seen);
            }
            StatementItem::End(summary) => {
                ended = true;
                assert_eq!(u64::from(summary.entries), entries);
            }
        }
    }
    assert!(ended);
    assert_eq!(seen, entries);
}
