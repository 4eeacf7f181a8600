//! Reconciles 1,000,000 open items against 1,000,000 payments and prints the time of each
//! phase and the process's peak memory (VmHWM from /proc/self/status, Linux only).
//!
//! Run: `cargo bench -p opcorp --bench reconcile` (release). Set `RECONCILE_N` to change the
//! size. Payments are generated lazily, as a watcher would deliver them, so the peak memory
//! is the open items plus the reconciler's state, not a second copy of the input.
#![allow(missing_docs, clippy::unwrap_used)]

use std::hint::black_box;
use std::time::Instant;

use opcorp::Amount;
use opcorp::domain::reference::{FinnishReference, Reference};
use opcorp::domain::rf::RfReference;
use opcorp::reconcile::{MatchEvent, OpenItem, Payment, Reconciler};

/// Reads a `kB` field from /proc/self/status (0 elsewhere).
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The process's CPU time (user + system) from /proc/self/stat, in seconds (0 elsewhere).
/// On a shared machine the wall time includes waiting for a core; the CPU time does not.
/// Ticks are USER_HZ, 100 a second on Linux.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name (which is in parentheses): utime is the 12th.
            let rest = s.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: f64 = fields.get(11)?.parse().ok()?;
            let system: f64 = fields.get(12)?.parse().ok()?;
            Some((user + system) / 100.0)
        })
        .unwrap_or(0.0)
}

fn reference(i: u64) -> FinnishReference {
    FinnishReference::generate(&(1_000 + i).to_string()).unwrap()
}

/// Payment `i` of the synthetic day: most pay their item exactly, in every written form;
/// the rest exercise partial, over- and double payment and every unmatched reason.
fn payment(i: u64, n: u64, amounts: &dyn Fn(u64) -> i64) -> Payment {
    // Every 100th payment pays an item that was already paid exactly: "paid twice".
    let item = if i % 100 == 99 { (i - 30) % n } else { i % n };
    let r = reference(item);
    let (written, cents) = match i % 100 {
        0..=59 => (Some(r.padded()), amounts(item)),
        60..=74 => (Some(r.as_str().to_owned()), amounts(item)),
        75..=84 => (
            Some(RfReference::from_finnish(&r).as_str().to_owned()),
            amounts(item),
        ),
        85..=89 => (Some(r.grouped()), amounts(item) / 2),
        90..=93 => (Some(r.padded()), amounts(item) + 500),
        94 | 95 => (None, amounts(item)),
        96 => (Some(format!("{}1", r.as_str())), amounts(item)),
        97 => (Some(reference(n + i).as_str().to_owned()), 1234),
        98 => (Some(r.as_str().to_owned()), -amounts(item)),
        _ => (Some(r.padded()), amounts(item)),
    };
    Payment {
        id: format!("2025011559{i:010}"),
        reference: written,
        amount: Amount::from_minor_units(cents),
        currency: "EUR".into(),
        booking_date: None,
        payer_name: Some("Maksaja Oy".into()),
    }
}

fn main() {
    let n: u64 = std::env::var("RECONCILE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let amounts = |item: u64| 1_000 + (item * 7919 % 500_000) as i64;
    let rss_start = status_kb("VmRSS:");

    // Items arrive as text, the way an ERP export or a spreadsheet gives them: parsing each
    // reference is reconciliation work and is timed; producing the text is not, so it is
    // timed alone in a separate pass and subtracted, like the payments' generation below.
    let item_text = |i: u64| (format!("INV-{i:08}"), reference(i).as_str().to_owned());
    let t = Instant::now();
    let cpu_generate = cpu_seconds();
    for i in 0..n {
        black_box(item_text(i));
    }
    let generate = t.elapsed();
    let generate_cpu = cpu_seconds() - cpu_generate;
    let t = Instant::now();
    let cpu_parse = cpu_seconds();
    let items: Vec<OpenItem> = (0..n)
        .map(|i| {
            let (id, written) = item_text(i);
            OpenItem {
                id,
                reference: Reference::parse(&written).unwrap(),
                amount: Amount::from_minor_units(amounts(i)),
                currency: "EUR".into(),
                due_date: None,
            }
        })
        .collect();
    let parse = t.elapsed().saturating_sub(generate);
    let parse_cpu = cpu_seconds() - cpu_parse - generate_cpu;
    let rss_items = status_kb("VmRSS:");

    // Generating the synthetic payments is not reconciliation work: time it alone and
    // subtract it from the push phase.
    let t = Instant::now();
    let cpu = cpu_seconds();
    for i in 0..n {
        black_box(payment(i, n, &amounts));
    }
    let payment_generation = t.elapsed();
    let payment_generation_cpu = cpu_seconds() - cpu;
    let cpu = cpu_seconds();

    let t = Instant::now();
    let mut reconciler = Reconciler::new(items);
    let index = t.elapsed();
    let peak_index = status_kb("VmHWM:");

    let t = Instant::now();
    let mut matched = 0u64;
    for i in 0..n {
        if let MatchEvent::Matched { .. } = reconciler.push(payment(i, n, &amounts)) {
            matched += 1;
        }
    }
    let push = t.elapsed().saturating_sub(payment_generation);
    let peak_push = status_kb("VmHWM:");

    let t = Instant::now();
    let report = reconciler.finish();
    let finish = t.elapsed();
    let totals = black_box(&report.totals);

    let work = parse + index + push + finish;
    let work_cpu = cpu_seconds() - cpu - payment_generation_cpu + parse_cpu;
    println!("reconcile {n} open items against {n} payments (release)");
    println!(
        "  generate item text  {:>8.3} s (not counted, measured in a separate pass)",
        generate.as_secs_f64()
    );
    println!("  parse items         {:>8.3} s", parse.as_secs_f64());
    println!("  index items         {:>8.3} s", index.as_secs_f64());
    println!(
        "  generate payments   {:>8.3} s (not counted, measured in a separate pass)",
        payment_generation.as_secs_f64()
    );
    println!(
        "  push payments       {:>8.3} s  ({:.0} payments/s)",
        push.as_secs_f64(),
        n as f64 / push.as_secs_f64()
    );
    println!("  finish report       {:>8.3} s", finish.as_secs_f64());
    println!(
        "  total reconcile     {:>8.3} s  (CPU {:.2} s)",
        work.as_secs_f64(),
        work_cpu
    );
    println!(
        "  memory: RSS at start {} MB, after building items {} MB, peak (VmHWM) {} MB",
        rss_start / 1024,
        rss_items / 1024,
        status_kb("VmHWM:") / 1024
    );
    println!(
        "  peak by phase: index {} MB, push {} MB, finish {} MB (MB = 2^20 bytes)",
        peak_index / 1024,
        peak_push / 1024,
        status_kb("VmHWM:") / 1024
    );
    println!(
        "  outcome: {matched} matched, {} unmatched; items paid {}, partial {}, overpaid {}, \
         paid twice {}, unpaid {}",
        totals.unmatched_payments,
        totals.paid,
        totals.partially_paid,
        totals.overpaid,
        totals.paid_twice,
        totals.unpaid
    );
    // One machine-readable line for scripts/bench (MiB = 2^20 bytes, like "MB" above).
    println!(
        "BENCH_RESULT {}",
        serde_json::json!({
            "bench": "reconcile",
            "name": "reconcile-rust",
            "contender": "opcorp",
            "units": {"seconds": "s", "cpu_seconds": "s", "peak_mib": "MiB"},
            "values": {
                "n": n,
                "seconds": work.as_secs_f64(),
                "cpu_seconds": work_cpu,
                "peak_mib": status_kb("VmHWM:") as f64 / 1024.0,
            },
            "outcome": {
                "matched": matched,
                "unmatched": totals.unmatched_payments,
                "duplicates": totals.duplicate_payments,
                "paid": totals.paid,
                "partially_paid": totals.partially_paid,
                "overpaid": totals.overpaid,
                "paid_twice": totals.paid_twice,
                "unpaid": totals.unpaid,
                "ambiguous": totals.ambiguous,
            },
        })
    );
    assert_eq!(totals.items as u64, n);
    assert_eq!(totals.payments as u64, n);
}
