//! Decodes 100,000 Transactions V3 records from one JSON array into `Vec<Transaction>`.
//!
//! Prints transactions per second and the peak resident memory (VmHWM) of a decode, besides
//! criterion's own throughput figures. Run with `cargo bench -p opcorp --bench
//! decode_transactions`.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use opcorp::model::Transaction;

/// Transactions in the generated array.
const COUNT: usize = 100_000;

/// One V3 page-shaped JSON array of `count` transactions, with a mix of what OP sends:
/// references, RF references and messages, some numeric archive ids, some debits.
fn generate(count: usize) -> String {
    let mut out = String::with_capacity(count * 900);
    out.push('[');
    for i in 0..count {
        if i > 0 {
            out.push(',');
        }
        let archive = format!("2024060151{i:010}");
        let archive_json = if i % 10 == 0 {
            archive.clone()
        } else {
            format!("\"{archive}\"")
        };
        let (amount, sign) = if i % 7 == 0 {
            ("-12.35", -1)
        } else {
            ("249.00", 1)
        };
        let remittance = match i % 3 {
            0 => r#""reference":"00000000000020240015","rfReference":null,"message":null"#,
            1 => r#""reference":null,"rfReference":"RF18539007547034","message":null"#,
            _ => r#""reference":null,"rfReference":null,"message":"Lasku 15, kiitos äiti ☕""#,
        };
        let _ = write!(
            out,
            r#"{{"amount":"{amount}","balanceBefore":"{before}.40","balanceAfter":"{after}.40",{remittance},"currency":"EUR","objectId":"50001520012345_2024-06-01_{archive}_{i}","archiveId":{archive_json},"debtorBic":"OKOYFIHH","valueDate":"2024-06-01","debtorName":"Asiakas Ab","bookingDate":"2024-06-01","creditorBic":"OKOYFIHH","paymentDate":"2024-06-01","creditorName":"Esimerkki Oy","debtorAccount":"FI7757200220076543","creditorAccount":"FI4350001520012345","endToEndId":"INV-{i}","timestamp":{ts},"transactionTypeCode":"710","bookingCode":"710","bookingCodeDescription":"VIITESIIRTO","uetr":"3f1c2b9e-8a47-4d1e-9b6a-{i:012}"}}"#,
            before = 10_000 + i,
            after = 10_000 + i as i64 + sign,
            ts = 1_717_228_800_000_000_i64 + (i as i64 / 2),
        );
    }
    out.push(']');
    out
}

fn decode(json: &str) -> Vec<Transaction> {
    match serde_json::from_str(json) {
        Ok(transactions) => transactions,
        Err(e) => panic!("generated JSON does not decode: {e}"),
    }
}

/// A `/proc/self/status` field in KiB (Linux only; `None` elsewhere).
fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the kernel's peak-RSS mark so VmHWM measures only what follows (Linux ≥ 4.0).
fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// One plain timed decode with memory figures, printed for BENCHMARKS.md.
fn report(json: &str) {
    let rss_before = proc_status_kib("VmRSS:");
    let reset = reset_peak_rss();
    let start = Instant::now();
    let transactions = decode(json);
    let elapsed = start.elapsed();
    let peak = proc_status_kib("VmHWM:");
    assert_eq!(transactions.len(), COUNT);
    assert_eq!(transactions[10].archive_id, "20240601510000000010");
    println!(
        "decode_transactions: {COUNT} V3 transactions ({:.1} MiB JSON) in {:.1} ms = {:.0} transactions/s",
        json.len() as f64 / 1_048_576.0,
        elapsed.as_secs_f64() * 1000.0,
        COUNT as f64 / elapsed.as_secs_f64()
    );
    if let (Some(before), Some(peak)) = (rss_before, peak) {
        println!(
            "decode_transactions: RSS before decode {:.1} MiB (input JSON included), peak RSS during decode {:.1} MiB{}",
            before as f64 / 1024.0,
            peak as f64 / 1024.0,
            if reset {
                ""
            } else {
                " (peak mark not reset: includes setup)"
            }
        );
    }
    drop(black_box(transactions));
}

fn main() {
    let json = generate(COUNT);
    report(&json);
    let mut criterion = Criterion::default()
        .sample_size(10)
        .measurement_time(Duration::from_secs(20))
        .configure_from_args();
    let mut group = criterion.benchmark_group("decode_transactions");
    group.throughput(Throughput::Elements(COUNT as u64));
    group.bench_function("v3_100k", |b| b.iter(|| decode(black_box(&json))));
    group.finish();
    criterion.final_summary();
    if let Some(peak) = proc_status_kib("VmHWM:") {
        println!(
            "decode_transactions: process peak RSS (VmHWM) {:.1} MiB",
            peak as f64 / 1024.0
        );
    }
}
