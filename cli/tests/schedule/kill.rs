//! `kill -9` of a paying `opcorp pay --intent` process, then a restart that calls
//! `opcorp outbox drive`, then the CRM's redelivery of the same intent.
//!
//! Half the kills wait until the bank has booked the payment (watching the ledger) and then
//! strike at once, while the child is between the bank's answer — delayed by an injected
//! 5xx-after-commit and the retry backoff — and its outbox update; the other half strike at
//! a random moment. After each kill the test records where the child died: before the
//! entry was stored (then nothing may be booked), after the booking but before the outbox
//! recorded it, before the booking, or after the outbox recorded the outcome.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use opcorp::outbox::{OutboxStore, SqliteOutboxStore};
use opcorp_emulator::{Emulator, EmulatorConfig};
use serde_json::Value;

use super::oracle::ledger_matches;
use super::plan::{Rng, Step};
use super::worker::{MAX_DRIVES, PAYEE_IBAN, tag_amount};

/// Where the kills struck.
#[derive(Debug, Default)]
pub struct KillTally {
    pub kills: usize,
    /// The child had finished before the signal.
    pub finished_first: usize,
    pub before_store: usize,
    pub before_booking: usize,
    /// Booked by the bank, not yet recorded in the outbox: the window that matters most.
    pub between_booking_and_record: usize,
    pub after_record: usize,
}

impl KillTally {
    pub fn summary(&self) -> String {
        format!(
            "{} kill -9 runs: {} between the bank's booking and the outbox update, {} before \
             the booking, {} before the entry was stored, {} after the outbox update, {} \
             finished before the signal",
            self.kills,
            self.between_booking_and_record,
            self.before_booking,
            self.before_store,
            self.after_record,
            self.finished_first
        )
    }
}

/// The kill runs against their own emulator.
pub struct Killer {
    emu: Emulator,
    env: Vec<(String, String)>,
    debtor: String,
    dir: tempfile::TempDir,
}

impl Killer {
    pub async fn start() -> Killer {
        let emu = opcorp_emulator::start(EmulatorConfig {
            quiet: true,
            ..EmulatorConfig::default()
        })
        .await
        .unwrap();
        let env = emu.identity().env_vars(&emu.base_url());
        let debtor = emu.admin().accounts(&emu.identity().client_id)[0]
            .iban
            .clone();
        Killer {
            emu,
            env,
            debtor,
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn outbox_path(&self) -> std::path::PathBuf {
        self.dir.path().join("outbox.sqlite")
    }

    fn opcorp(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_opcorp"));
        cmd.args(args)
            .env_clear()
            .env("HOME", self.dir.path())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    fn pay(&self, intent: &str, amount: &str) -> Command {
        let outbox = self.outbox_path();
        let outbox = outbox.to_str().unwrap();
        self.opcorp(&[
            "--json",
            "pay",
            "--intent",
            intent,
            "--outbox",
            outbox,
            "--yes",
            "--from",
            &self.debtor,
            "--from-name",
            "Esimerkki Oy",
            "--to",
            PAYEE_IBAN,
            "--name",
            "Vuokralainen",
            "--amount",
            amount,
            "--message",
            "Vuokravakuus",
        ])
    }

    /// One kill run (number `k`, amount tag `k`).
    pub async fn run(&self, k: usize, rng: &mut Rng, tally: &mut KillTally) -> Result<(), String> {
        let intent = format!("kill{k}");
        let amount = tag_amount(k);
        let admin = self.emu.admin();
        admin.clear_faults();
        let step = [
            Step::ServerErrorAfterCommit(503),
            Step::ResetAfterCommit,
            Step::DelayPastTimeout,
            Step::DropResponse,
        ][rng.below(4) as usize];
        // The child keeps the default client timeouts, so "delay" here is a slow bank.
        if let Some(fault) = step.fault("sepa_payment", 1, 300) {
            admin.inject(fault);
        }
        let watch_ledger = k.is_multiple_of(2);
        let mut child = self.pay(&intent, &amount).spawn().unwrap();
        if watch_ledger {
            let deadline = Instant::now() + Duration::from_secs(10);
            while ledger_matches(&self.emu, &amount).is_empty() && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        } else {
            tokio::time::sleep(Duration::from_millis(rng.below(700))).await;
        }
        let finished = child.try_wait().unwrap().is_some();
        kill9(&mut child);
        tally.kills += 1;
        tally.finished_first += usize::from(finished);
        self.classify(&intent, &amount, tally)?;
        admin.clear_faults();
        // Child processes are waited for without starving the emulators on this runtime.
        tokio::task::block_in_place(|| {
            self.restart_and_drive(&intent)?;
            self.redeliver(&intent, &amount)
        })
    }

    /// Records where the child died, checking that nothing is booked before it is stored.
    fn classify(&self, intent: &str, amount: &str, tally: &mut KillTally) -> Result<(), String> {
        let store = SqliteOutboxStore::open(self.outbox_path()).map_err(|e| e.to_string())?;
        let entry = store.get(intent).map_err(|e| e.to_string())?;
        let booked = !ledger_matches(&self.emu, amount).is_empty();
        match entry {
            None if booked => {
                return Err(format!("{intent}: booked before the outbox stored it"));
            }
            None => tally.before_store += 1,
            Some(e) if e.outcome.is_final() => tally.after_record += 1,
            Some(_) if booked => tally.between_booking_and_record += 1,
            Some(_) => tally.before_booking += 1,
        }
        Ok(())
    }

    /// A new process on the same outbox file settles what the killed one left.
    fn restart_and_drive(&self, intent: &str) -> Result<(), String> {
        let outbox = self.outbox_path();
        for _ in 0..MAX_DRIVES {
            let out = self
                .opcorp(&["outbox", "drive", "--outbox", outbox.to_str().unwrap()])
                .output()
                .unwrap();
            match out.status.code() {
                Some(0) => return Ok(()),
                Some(24) => continue,
                other => {
                    return Err(format!(
                        "{intent}: outbox drive exited {other:?}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    ));
                }
            }
        }
        Err(format!("{intent}: unknown after {MAX_DRIVES} drives"))
    }

    /// The CRM delivers the intent again: it must answer with the one booking.
    fn redeliver(&self, intent: &str, amount: &str) -> Result<(), String> {
        let out = self.pay(intent, amount).output().unwrap();
        if !out.status.success() {
            return Err(format!(
                "{intent}: redelivery exited {:?}: {}",
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let answer: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
        let booked = ledger_matches(&self.emu, amount);
        let archive_id = answer["receipt"]["response"]["archiveId"].as_str();
        match booked.as_slice() {
            [one] if Some(one.archive_id.as_str()) == archive_id => Ok(()),
            other => Err(format!(
                "{intent}: answered {archive_id:?}, ledger holds {other:?}"
            )),
        }
    }
}

/// SIGKILL (std's `Child::kill` sends SIGKILL on Unix), then reap the child.
fn kill9(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}
