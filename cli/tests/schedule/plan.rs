//! Random fault schedules: what goes wrong, and the seeded generator that picks it.

use opcorp_emulator::{Fault, FaultKind};

/// A small seeded generator (SplitMix64): the same seed replays the same schedules.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// One thing that goes wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    /// The connection is reset before the bank processes the request.
    DropRequest,
    /// The bank books, sends half the response, closes the connection.
    DropResponse,
    /// The bank waits past the client's timeout, then books.
    DelayPastTimeout,
    /// The bank books, then answers a 5xx.
    ServerErrorAfterCommit(u16),
    /// The bank books, then resets the connection without a response.
    ResetAfterCommit,
    /// Every issued token is revoked (before the submit, or before a drive).
    TokenExpiry,
}

impl Step {
    pub const NAMES: [&'static str; 6] = [
        "drop request",
        "drop response",
        "delay past timeout",
        "5xx after commit",
        "reset after commit",
        "token expiry",
    ];

    pub fn index(self) -> usize {
        match self {
            Step::DropRequest => 0,
            Step::DropResponse => 1,
            Step::DelayPastTimeout => 2,
            Step::ServerErrorAfterCommit(_) => 3,
            Step::ResetAfterCommit => 4,
            Step::TokenExpiry => 5,
        }
    }

    fn random(rng: &mut Rng) -> Step {
        match rng.below(6) {
            0 => Step::DropRequest,
            1 => Step::DropResponse,
            2 => Step::DelayPastTimeout,
            3 => Step::ServerErrorAfterCommit([500, 502, 503, 504][rng.below(4) as usize]),
            4 => Step::ResetAfterCommit,
            _ => Step::TokenExpiry,
        }
    }

    /// The emulator fault rule for this step on `route`, hitting `times` requests; `None`
    /// for token expiry, which is an admin action instead.
    pub fn fault(self, route: &str, times: u32, delay_ms: u64) -> Option<Fault> {
        let kind = match self {
            Step::DropRequest => FaultKind::ResetBeforeCommit,
            Step::DropResponse => FaultKind::TruncatedBody,
            Step::DelayPastTimeout => FaultKind::Latency { millis: delay_ms },
            Step::ServerErrorAfterCommit(status) => FaultKind::StatusAfterCommit { status },
            Step::ResetAfterCommit => FaultKind::ResetAfterCommit,
            Step::TokenExpiry => return None,
        };
        Some(Fault {
            route: Some(route.to_owned()),
            kind,
            times: Some(times),
        })
    }
}

/// What is paid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrderKind {
    /// A SEPA payment from an own account.
    Payment,
    /// A SEPA Instant payment from an own account.
    Instant,
    /// A refund of an incoming payment.
    Refund,
    /// A payment from another customer's account: the bank refuses it (403).
    ForeignPayment,
    /// A refund of a payment that does not exist: the bank refuses it (404).
    MissingRefund,
}

impl OrderKind {
    pub fn route(self) -> &'static str {
        match self {
            OrderKind::Payment | OrderKind::ForeignPayment => "sepa_payment",
            OrderKind::Instant => "sepa_instant_payment",
            OrderKind::Refund | OrderKind::MissingRefund => "refund",
        }
    }

    /// Whether the bank books it when asked (else it refuses it definitively).
    pub fn bookable(self) -> bool {
        matches!(
            self,
            OrderKind::Payment | OrderKind::Instant | OrderKind::Refund
        )
    }

    fn random(rng: &mut Rng) -> OrderKind {
        match rng.below(100) {
            0..50 => OrderKind::Payment,
            50..75 => OrderKind::Instant,
            75..90 => OrderKind::Refund,
            90..95 => OrderKind::ForeignPayment,
            _ => OrderKind::MissingRefund,
        }
    }
}

/// One schedule: an order, the faults in its way, and what the caller does.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub order: OrderKind,
    /// Steps with how many requests each hits (1..=2); at most 3 steps, at most 6 hits.
    pub steps: Vec<(Step, u32)>,
    /// The CRM delivers the intent twice (a second submit right after the first).
    pub redeliver: bool,
    /// Tokens are revoked before every drive too.
    pub revoke_before_drive: bool,
}

impl Schedule {
    pub fn random(rng: &mut Rng) -> Schedule {
        let order = OrderKind::random(rng);
        let count = rng.below(4) as usize;
        let steps = (0..count)
            .map(|_| (Step::random(rng), 1 + rng.below(2) as u32))
            .collect();
        Schedule {
            order,
            steps,
            redeliver: rng.chance(30),
            revoke_before_drive: rng.chance(15),
        }
    }
}
