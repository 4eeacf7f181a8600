//! Helpers of the PostgreSQL watch tests: the server URL (or a loud skip), the workers'
//! journals, and a small seeded random source.

use std::path::Path;

/// The variable `scripts/test postgres` sets to its private server's URL.
pub const URL_VAR: &str = "OPCORP_TEST_POSTGRES_URL";

/// The server URL, or `None` after printing SKIPPED; under `CI=true` a missing URL fails.
pub fn postgres_url() -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{URL_VAR} is not set under CI=true: run this through scripts/test postgres")
        }
        _ => {
            eprintln!("SKIPPED: the PostgreSQL watch test needs {URL_VAR} (scripts/test postgres)");
            None
        }
    }
}

/// One journal line.
#[derive(Debug, Clone)]
pub struct Event {
    pub event: String,
    pub object_id: String,
    /// When the line was written, µs since the epoch.
    pub at: u64,
    /// When the delivery was detected, µs since the epoch.
    pub detected: u64,
}

/// Every complete line of one worker's journal.
#[derive(Debug, Default)]
pub struct Journal {
    pub events: Vec<Event>,
}

impl Journal {
    /// Reads `path` (missing: empty); a torn last line (SIGKILL mid-write) is skipped.
    pub fn read(path: &Path) -> Journal {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let events = text
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .map(|v| Event {
                event: v["event"].as_str().unwrap_or_default().to_owned(),
                object_id: v["objectId"].as_str().unwrap_or_default().to_owned(),
                at: v["atMicros"].as_u64().unwrap_or(0),
                detected: v["detectedMicros"].as_u64().unwrap_or(0),
            })
            .collect();
        Journal { events }
    }

    /// The events of one kind.
    pub fn events<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Event> + 'a {
        self.events.iter().filter(move |e| e.event == kind)
    }
}

/// xorshift64*, seeded from the clock (the seed is printed so a failure can be replayed).
pub struct Rng(u64);

impl Rng {
    pub fn seeded() -> Rng {
        let seed = std::env::var("OPCORP_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos() as u64)
            });
        eprintln!("random seed {seed} (OPCORP_TEST_SEED replays it)");
        Rng(seed | 1)
    }

    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n as u64) as usize
    }
}
