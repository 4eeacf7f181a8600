//! Deterministic seeded data: a client's accounts and their transaction history.
//!
//! Everything is derived from `(seed, client index)` (for a client company that gave a
//! mandate: `(seed, mandate id)`), so two banks with the same seed and the same clients in
//! the same order hold identical data. Timestamps are placed relative to the
//! bank's anchor day (UTC midnight of the day the bank was created).

use super::dates::DAY_MICROS;
use super::ids::{self, MAX_ORDINAL};
use super::rng::{Rng, hash};
use super::store::{Account, Kind, NONE, Remit, State, Txn};

/// One euro in cents.
const EUR: i64 = 100;

/// Days of history seeded before the anchor.
pub(crate) const HISTORY_DAYS: i64 = 60;

/// Most seeded transactions per account (archive ids carry 7 digits of position; the rest
/// is left for booked transactions).
pub(crate) const MAX_SEEDED: usize = MAX_ORDINAL - 1_000_000;

const FIRST_NAMES: &[&str] = &[
    "Aino", "Eero", "Helmi", "Juha", "Kaisa", "Lauri", "Maija", "Niko", "Oona", "Pekka", "Riikka",
    "Sami", "Tiina", "Ville", "Åsa", "Jörg",
];
const LAST_NAMES: &[&str] = &[
    "Virtanen",
    "Korhonen",
    "Mäkinen",
    "Nieminen",
    "Hämäläinen",
    "Laine",
    "Heikkinen",
    "Koskinen",
    "Järvinen",
    "Lehtonen",
    "Saarinen",
    "Lindqvist",
];
const COMPANY_WORDS: &[&str] = &[
    "Puu", "Kivi", "Valo", "Tekno", "Meri", "Kala", "Sähkö", "Rakennus", "Kauppa", "Data", "Metsä",
    "Kone",
];
const COMPANY_FORMS: &[&str] = &["Oy", "Oy Ab", "Ky", "Tmi", "Ab"];
const MESSAGES: &[&str] = &[
    "Lasku 1043",
    "Tilaus 5521 / kiitos",
    "Vuokra kesäkuu",
    "Jäsenmaksu",
    "Invoice 2024-118",
    "Ennakkomaksu",
    "Huoltosopimus Q2",
    "Palautus tilauksesta",
];
const ACCOUNT_NAMES: &[&str] = &[
    "Käyttötili",
    "Myyntitili",
    "Palkkatili",
    "Säästötili",
    "Projektitili",
];
/// Bank prefixes of counterparty accounts; "5" (OP) is weighted by appearing several times.
const BANK_PREFIXES: &[&str] = &[
    "5", "5", "5", "1", "2", "31", "33", "36", "38", "4", "6", "799",
];

/// A counterparty stored in the pool.
#[derive(Debug, Clone, Copy)]
struct Party {
    name: u32,
    iban: u32,
}

fn person(rng: &mut Rng) -> String {
    let first = rng.pick(FIRST_NAMES).copied().unwrap_or("Aino");
    let last = rng.pick(LAST_NAMES).copied().unwrap_or("Virtanen");
    format!("{first} {last}")
}

fn company(rng: &mut Rng) -> String {
    let a = rng.pick(COMPANY_WORDS).copied().unwrap_or("Puu");
    let b = rng.pick(COMPANY_WORDS).copied().unwrap_or("Kivi");
    let form = rng.pick(COMPANY_FORMS).copied().unwrap_or("Oy");
    format!("{a}{} {form}", b.to_lowercase())
}

fn party(rng: &mut Rng, state: &mut State, business: bool) -> Party {
    let name = if business || rng.chance(40) {
        company(rng)
    } else {
        person(rng)
    };
    let prefix = rng.pick(BANK_PREFIXES).copied().unwrap_or("5");
    let iban = ids::finnish_iban(&ids::account_number(prefix, rng.next_u64()));
    Party {
        name: state.pool.add(&name),
        iban: state.pool.add(&iban),
    }
}

/// Whose accounts are seeded, and from which stream of the seed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Owner {
    /// The bank's seed.
    pub(crate) seed: u64,
    /// UTC midnight (micros) the seeded history ends at.
    pub(crate) anchor: i64,
    /// Index of the owner among the bank's account owners.
    pub(crate) index: usize,
    /// The owner's stream: its registration order (clients) or a hash of its mandate id
    /// (client companies).
    pub(crate) key: u64,
}

/// Seeds `accounts` accounts of `owner`, each with `transactions` transactions of history.
pub(crate) fn seed_client(state: &mut State, owner: Owner, accounts: usize, transactions: usize) {
    let Owner {
        seed,
        anchor,
        index: client,
        key,
    } = owner;
    let mut rng = Rng::new(seed, key);
    let messages: Vec<u32> = MESSAGES.iter().map(|m| state.pool.add(m)).collect();
    let customers: Vec<Party> = (0..120).map(|_| party(&mut rng, state, false)).collect();
    let suppliers: Vec<Party> = (0..30).map(|_| party(&mut rng, state, true)).collect();
    for k in 0..accounts {
        let global = state.accounts.len();
        if global >= ids::MAX_ACCOUNTS {
            return;
        }
        let mut arng = Rng::new(seed, hash(&[key, k as u64, 0xACC]));
        let body = (arng.below(100_000)) * 10_000_000 + global as u64;
        let number = ids::account_number("5", body);
        let iban = ids::finnish_iban(&number);
        let surrogate_id = ids::surrogate_id(seed, global as u64);
        let name = ACCOUNT_NAMES[k % ACCOUNT_NAMES.len()].to_string();
        let opening_balance = arng.range(5_000 * EUR, 200_000 * EUR);
        let created = anchor - arng.range(400, 4_000) * DAY_MICROS;
        let credit_limit = if arng.chance(50) {
            0
        } else {
            arng.range(1, 20) * 1_000
        };
        let ctx = History {
            messages: &messages,
            customers: &customers,
            suppliers: &suppliers,
            anchor,
        };
        let txns = history(
            &mut arng,
            &ctx,
            opening_balance,
            transactions.min(MAX_SEEDED),
        );
        state.by_surrogate.insert(surrogate_id.clone(), global);
        state.by_iban.insert(iban.clone(), global);
        state.accounts.push(Account {
            client,
            iban,
            number,
            surrogate_id,
            name,
            opening_balance,
            credit_limit,
            created,
            txns,
        });
    }
}

/// What the history generator draws from.
struct History<'a> {
    messages: &'a [u32],
    customers: &'a [Party],
    suppliers: &'a [Party],
    anchor: i64,
}

/// `n` transactions spread over the [`HISTORY_DAYS`] before the anchor: mostly credits with
/// references, some with messages, some debits; a few share a timestamp with their
/// predecessor so clients must page correctly across equal timestamps.
fn history(rng: &mut Rng, ctx: &History<'_>, opening: i64, n: usize) -> Vec<Txn> {
    let mut txns = Vec::with_capacity(n);
    let span = i128::from(HISTORY_DAYS * DAY_MICROS);
    let start = ctx.anchor - HISTORY_DAYS * DAY_MICROS;
    let mut balance = opening;
    let mut prev_ts = start;
    let mut prev_day = i64::MIN;
    let mut day_seq: u16 = 0;
    let none = Party {
        name: NONE,
        iban: NONE,
    };
    for i in 0..n {
        let lo = start + (span * i as i128 / n as i128) as i64;
        let hi = start + (span * (i as i128 + 1) / n as i128) as i64;
        let ts = if i > 0 && rng.chance(4) {
            prev_ts
        } else {
            (lo + rng.below((hi - lo).max(1) as u64) as i64).max(prev_ts)
        };
        let credit = balance < 2_000 * EUR || rng.chance(80);
        let (amount, kind, remit, cp) = if credit {
            let amount = rng.range(10 * EUR, 4_000 * EUR);
            let cp = *rng.pick(ctx.customers).unwrap_or(&none);
            let roll = rng.below(100);
            let base = 1_000 + rng.below(99_999_000);
            match roll {
                0..60 => (amount, Kind::RefCredit, Remit::FiNum(base), cp),
                60..75 => (amount, Kind::RefCredit, Remit::RfNum(base), cp),
                _ => {
                    let m = *rng.pick(ctx.messages).unwrap_or(&NONE);
                    (amount, Kind::Credit, Remit::Msg(m), cp)
                }
            }
        } else {
            let amount = rng.range(20 * EUR, (balance / 2).clamp(20 * EUR, 3_000 * EUR));
            let cp = *rng.pick(ctx.suppliers).unwrap_or(&none);
            let remit = if rng.chance(50) {
                Remit::FiNum(1_000 + rng.below(99_999_000))
            } else {
                Remit::Msg(*rng.pick(ctx.messages).unwrap_or(&NONE))
            };
            (-amount, Kind::Payment, remit, cp)
        };
        balance += amount;
        let day = super::dates::day_of(ts);
        day_seq = if day == prev_day {
            day_seq.saturating_add(1)
        } else {
            0
        };
        prev_day = day;
        prev_ts = ts;
        txns.push(Txn {
            timestamp: ts,
            amount,
            balance_after: balance,
            remit,
            name: cp.name,
            iban: cp.iban,
            end_to_end: NONE,
            day_seq,
            kind,
        });
    }
    txns
}
