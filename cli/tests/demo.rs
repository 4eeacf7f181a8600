//! `opcorp demo` end to end: every expected outcome happens and the exit status says so.

mod common;

use common::opcorp;

#[test]
fn demo_plays_all_three_cases_and_exits_0() {
    let started = std::time::Instant::now();
    let run = opcorp(&["demo"]);
    assert_eq!(
        run.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        run.stdout, run.stderr
    );
    for needle in [
        "1/3 Payment → production",
        "2/3",
        "3/3 Rent deposit refund",
        "did you mean INV-1004?",
        "expected outcomes happened",
    ] {
        assert!(
            run.stdout.contains(needle),
            "missing {needle:?}:\n{}",
            run.stdout
        );
    }
    assert!(!run.stdout.contains("FAILED"), "{}", run.stdout);
    assert!(
        started.elapsed().as_secs() < 60,
        "the demo must run in under a minute"
    );
}

#[test]
fn demo_json_is_one_event_per_line_ending_in_an_ok_summary() {
    let run = opcorp(&["--json", "demo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let events: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds.iter().filter(|k| **k == "payment_detected").count(),
        9
    );
    assert!(kinds.contains(&"lookup") && kinds.contains(&"ledger_checked"));
    let summary = events.last().unwrap();
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["ok"], true);
    assert_eq!(summary["failed"], 0);
}
