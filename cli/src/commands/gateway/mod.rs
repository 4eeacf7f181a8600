//! `opcorp gateway`: a loopback HTTP server that holds the OP credentials (a core
//! [`Client`]) and forwards an allowlisted subset of OP calls for browser tools.
//!
//! A browser cannot present a client certificate and must never hold the client secret, so
//! browser tools (opcorp-wasm's `Client` with a `fetch` transport) call this gateway instead.
//! The policy: callers present a bearer key; browser origins must be on the CORS allowlist;
//! requests are rate limited; only the calls in core's route table ([`opcorp::routes::Route`])
//! are forwarded; payments and refunds are refused unless enabled with a per-payment and a
//! daily limit, whose running total is kept durably in an SQLite file (`--ledger`) so a
//! restart cannot reset it; requests must name the gateway by a loopback `Host` (a defence
//! against DNS rebinding); every answer writes one audit line without secrets; every refusal
//! is a JSON error with a stable `code` (the format is in cli/README.md).

mod audit;
mod ledger;
mod outbox;
mod policy;
mod reply;
mod routes;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use clap::Args;
use opcorp::client::Client;
use opcorp::operation::OperationKind;
use opcorp::outbox::Outbox;
use opcorp::{Amount, ErrorKind};
use serde_json::Value;
use time::OffsetDateTime;

use self::audit::{AuditLog, AuditRecord};
use self::ledger::DailyLedger;
use self::policy::{LimitRefusal, PaymentLimits, RateLimiter};
use self::reply::Failure;
use crate::commands::Context;
use crate::exit::CliError;

/// The environment variable holding the bearer key browser callers must present.
pub const KEY_ENV: &str = "OPCORP_GATEWAY_KEY";
/// Shortest accepted bearer key.
const MIN_KEY_LEN: usize = 16;

/// Serve browser tools on loopback, holding the credentials.
#[derive(Debug, Args)]
pub struct GatewayArgs {
    /// Address to listen on; loopback only (plain HTTP must not leave the machine).
    #[arg(long, default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// Read the bearer key from this file instead of $OPCORP_GATEWAY_KEY.
    #[arg(long)]
    pub key_file: Option<PathBuf>,
    /// A browser origin allowed to call (CORS), e.g. http://localhost:3000; repeatable.
    /// Requests with any other Origin are refused.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    pub allow_origins: Vec<String>,
    /// Requests per minute (all callers together) before answering 429.
    #[arg(long, default_value_t = 120, value_name = "N")]
    pub rate_limit: u32,
    /// Forward SEPA and SEPA Instant payments (requires --max-payment and --daily-limit).
    #[arg(long)]
    pub allow_payments: bool,
    /// Largest single payment, e.g. 500.00.
    #[arg(long, value_name = "AMOUNT", requires = "allow_payments")]
    pub max_payment: Option<String>,
    /// Largest total of payments per UTC day, e.g. 2000.00.
    #[arg(long, value_name = "AMOUNT", requires = "allow_payments")]
    pub daily_limit: Option<String>,
    /// SQLite file keeping today's payment total across restarts (created if missing);
    /// required with --allow-payments.
    #[arg(long, value_name = "FILE", requires = "allow_payments")]
    pub ledger: Option<PathBuf>,
    /// SQLite file of the payment outbox (created if missing): exactly-once payments and
    /// refunds keyed by the caller's intent under /opcorp/outbox; needs --allow-payments.
    #[arg(long, value_name = "FILE", requires = "allow_payments")]
    pub outbox: Option<PathBuf>,
    /// Append audit lines (JSON, one per request) to this file instead of stderr.
    #[arg(long, value_name = "FILE")]
    pub audit_log: Option<PathBuf>,
}

/// The running gateway's state, shared by every request.
struct Gateway {
    client: Client,
    key: String,
    origins: Vec<String>,
    limiter: Mutex<RateLimiter>,
    payments: Option<PaymentLimits>,
    /// Present when payments are enabled.
    ledger: Option<Mutex<DailyLedger>>,
    /// Present with `--outbox`.
    outbox: Option<Outbox>,
    /// The port served, for the `Host` check.
    port: u16,
    audit: AuditLog,
}

/// Runs `gateway` until Ctrl-C.
pub async fn run(args: &GatewayArgs, ctx: &Context) -> Result<(), CliError> {
    if !args.listen.ip().is_loopback() {
        return Err(CliError::config(format!(
            "the gateway serves plain HTTP and listens on loopback only; {} is not a loopback \
             address",
            args.listen.ip()
        )));
    }
    let key = read_key(args)?;
    let payments = payment_limits(args)?;
    let ledger = match (&payments, &args.ledger) {
        (None, _) => None,
        (Some(_), Some(path)) => Some(Mutex::new(DailyLedger::open(path)?)),
        (Some(_), None) => {
            return Err(CliError::config(
                "--allow-payments needs --ledger FILE as well (it keeps the daily total \
                 across restarts)",
            ));
        }
    };
    let audit = match &args.audit_log {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .map_err(|e| CliError::io(format!("cannot open {}", path.display()), e))?;
            AuditLog::new(Box::new(file))
        }
        None => AuditLog::new(Box::new(std::io::stderr())),
    };
    let client = ctx.settings()?.client()?;
    let outbox = match &args.outbox {
        Some(path) => Some(Outbox::open(client.clone(), path)?),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| CliError::io(format!("cannot listen on {}", args.listen), e))?;
    let addr = listener
        .local_addr()
        .map_err(|e| CliError::io("cannot read the listening address", e))?;
    let state = Arc::new(Gateway {
        client,
        key,
        origins: args.allow_origins.clone(),
        limiter: Mutex::new(RateLimiter::new(
            args.rate_limit,
            Duration::from_secs(60),
            Instant::now(),
        )),
        payments,
        ledger,
        outbox,
        port: addr.port(),
        audit,
    });
    announce(addr, args, payments);
    if let Some(outbox) = state.outbox.clone() {
        tokio::spawn(drive_periodically(outbox, Arc::clone(&state)));
    }
    let app = Router::new().fallback(handle).with_state(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            // If Ctrl-C cannot be watched the gateway runs until killed.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        })
        .await
        .map_err(|e| CliError::io("the gateway server failed", e))
}

/// How often the gateway settles outbox entries left unknown (also once at start).
const DRIVE_EVERY: Duration = Duration::from_secs(60);

/// Settles unknown outbox entries at start and then every [`DRIVE_EVERY`], so a payment cut
/// off by a crash or a lost answer is settled even if no browser asks again.
async fn drive_periodically(outbox: Outbox, gateway: Arc<Gateway>) {
    let mut ticks = tokio::time::interval(DRIVE_EVERY);
    loop {
        ticks.tick().await;
        match outbox.drive().await {
            Ok(entries) => gateway.release_rejected(&entries),
            Err(e) => eprintln!("warning: the outbox drive failed: {e}"),
        }
    }
}

fn announce(addr: SocketAddr, args: &GatewayArgs, payments: Option<PaymentLimits>) {
    use std::io::Write;
    println!("opcorp gateway listening on http://{addr}");
    let _ = std::io::stdout().flush();
    let origins = if args.allow_origins.is_empty() {
        "none (browser requests refused)".to_owned()
    } else {
        args.allow_origins.join(", ")
    };
    let payments = match payments {
        Some(l) => format!(
            "enabled, at most {} each and {} per day",
            l.per_payment, l.daily
        ),
        None => "disabled (read-only)".to_owned(),
    };
    eprintln!(
        "origins: {origins}; payments: {payments}; rate limit: {}/min",
        args.rate_limit
    );
}

fn read_key(args: &GatewayArgs) -> Result<String, CliError> {
    let key = match &args.key_file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| CliError::io(format!("cannot read {}", path.display()), e))?,
        None => std::env::var(KEY_ENV).map_err(|_| {
            CliError::config(format!(
                "set {KEY_ENV} (or --key-file) to the bearer key browser tools will present"
            ))
        })?,
    };
    let key = key.trim().to_owned();
    if key.len() < MIN_KEY_LEN || key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(CliError::config(format!(
            "the gateway key must be at least {MIN_KEY_LEN} characters without spaces"
        )));
    }
    Ok(key)
}

fn payment_limits(args: &GatewayArgs) -> Result<Option<PaymentLimits>, CliError> {
    if !args.allow_payments {
        return Ok(None);
    }
    let parse = |flag: &str, value: Option<&String>| -> Result<Amount, CliError> {
        let text = value
            .ok_or_else(|| CliError::config(format!("--allow-payments needs {flag} as well")))?;
        let amount = Amount::parse_input_field(flag, text)?;
        if amount.is_negative() || amount.is_zero() {
            return Err(CliError::invalid(format!("{flag} must be positive")));
        }
        Ok(amount)
    };
    Ok(Some(PaymentLimits {
        per_payment: parse("--max-payment", args.max_payment.as_ref())?,
        daily: parse("--daily-limit", args.daily_limit.as_ref())?,
    }))
}

/// Every request: policy, forwarding, CORS headers and the audit line.
async fn handle(
    State(gw): State<Arc<Gateway>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let origin = headers
        .get(header::ORIGIN)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let mut record = AuditRecord {
        method: method.to_string(),
        path: uri.path().to_owned(),
        origin: origin.clone(),
        ..AuditRecord::default()
    };
    let host_ok = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|h| policy::host_allowed(h, gw.port));
    let origin_ok = origin
        .as_deref()
        .is_none_or(|o| policy::origin_allowed(o, &gw.origins));
    let mut response = if !host_ok {
        refused(
            &mut record,
            Failure::refuse(
                StatusCode::MISDIRECTED_REQUEST,
                "host_not_allowed",
                ErrorKind::Forbidden,
                format!(
                    "this gateway answers only to the loopback names 127.0.0.1:{0}, \
                     localhost:{0} and [::1]:{0} in the Host header",
                    gw.port
                ),
            ),
        )
    } else if !origin_ok {
        refused(
            &mut record,
            Failure::refuse(
                StatusCode::FORBIDDEN,
                "origin_not_allowed",
                ErrorKind::Forbidden,
                "this origin is not on the gateway's CORS allowlist (--allow-origin)",
            ),
        )
    } else if method == Method::OPTIONS {
        record.outcome = "preflight".into();
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("authorization, content-type, accept, x-request-id"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        r
    } else {
        match gw.serve(&method, &uri, &headers, &body, &mut record).await {
            Ok(value) => {
                record.outcome = "forwarded".into();
                (StatusCode::OK, axum::Json(value)).into_response()
            }
            Err(failure) => refused(&mut record, failure),
        }
    };
    if let Some(origin) = origin.filter(|_| origin_ok && host_ok)
        && let Ok(value) = HeaderValue::from_str(&origin)
    {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, value);
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    record.status = response.status().as_u16();
    record.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    gw.audit.record(&record);
    response
}

/// Notes a failure in the audit record and turns it into the response.
fn refused(record: &mut AuditRecord, failure: Failure) -> Response {
    record.outcome = failure.reason.clone();
    record.code = Some(failure.code);
    record.request_id = failure.request_id.clone();
    failure.into_response()
}

impl Gateway {
    /// Authenticates, rate limits, matches the allowlist and forwards.
    async fn serve(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
        record: &mut AuditRecord,
    ) -> Result<Value, Failure> {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(policy::bearer);
        if !presented.is_some_and(|k| policy::key_matches(k, &self.key)) {
            return Err(Failure::refuse(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                ErrorKind::Auth,
                "present the gateway key as `Authorization: Bearer <key>`",
            ));
        }
        let admitted = match self.limiter.lock() {
            Ok(mut limiter) => limiter.try_acquire(Instant::now()),
            Err(_) => Ok(()),
        };
        if let Err(wait) = admitted {
            let mut failure = Failure::refuse(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                ErrorKind::RateLimited,
                "too many requests to the gateway; retry later",
            );
            failure.retry_after = Some(wait.as_secs().max(1));
            return Err(failure);
        }
        if let Some(call) = outbox::recognise(method, uri.path()) {
            record.route = Some("outbox");
            let query = query_params(uri).ok_or_else(malformed_query)?;
            return self.outbox(call, body, &query, record).await;
        }
        let Some(call) = routes::recognise(method, uri.path()) else {
            return Err(Failure::refuse(
                StatusCode::NOT_FOUND,
                "not_allowed",
                ErrorKind::NotFound,
                format!(
                    "{method} {} is not a call this gateway forwards",
                    uri.path()
                ),
            ));
        };
        record.route = Some(call.route.name());
        if let Some(kind) = call.route.signed_write() {
            return self.pay(kind, body, record).await;
        }
        let query = query_params(uri).ok_or_else(malformed_query)?;
        routes::forward_read(&self.client, &call, &query, body)
            .await
            .map_err(|e| Failure::from_core(&e))
    }

    /// Applies the payment policy, then forwards the payment or refund for signing and
    /// sending. A reservation against the daily limit is given back only when core says the
    /// failed write cannot have been booked.
    async fn pay(
        &self,
        kind: OperationKind,
        body: &[u8],
        record: &mut AuditRecord,
    ) -> Result<Value, Failure> {
        let (limits, ledger) = self.payment_policy().ok_or_else(payments_disabled)?;
        let (pending, amount) =
            routes::prepare_write(&self.client, kind, body).map_err(|e| Failure::from_core(&e))?;
        let id = pending.id.clone();
        let today = reserve(limits, ledger, &id, amount, record).map_err(|f| *f)?;
        match routes::forward_write(&self.client, &pending).await {
            Ok(value) => Ok(value),
            Err(err) => {
                if !err.kind().may_have_booked() {
                    release(ledger, &id, today);
                }
                Err(Failure::from_core(&err))
            }
        }
    }

    /// The payment limits and ledger; `None` on a read-only gateway.
    fn payment_policy(&self) -> Option<(PaymentLimits, &Mutex<DailyLedger>)> {
        Some((self.payments?, self.ledger.as_ref()?))
    }

    /// The outbox endpoints ([`outbox`]): submit, read, drive.
    async fn outbox(
        &self,
        call: outbox::Call,
        body: &[u8],
        query: &[(String, String)],
        record: &mut AuditRecord,
    ) -> Result<Value, Failure> {
        let Some(store) = self.outbox.as_ref() else {
            return Err(Failure::refuse(
                StatusCode::FORBIDDEN,
                "outbox_disabled",
                ErrorKind::Forbidden,
                "this gateway has no outbox; start it with --allow-payments and --outbox FILE",
            ));
        };
        match call {
            outbox::Call::Read => outbox::read(store, query).await,
            outbox::Call::Drive => {
                let entries = store.drive().await.map_err(|e| Failure::from_core(&e))?;
                self.release_rejected(&entries);
                Ok(outbox::list(&entries))
            }
            outbox::Call::Submit => {
                let (limits, ledger) = self.payment_policy().ok_or_else(payments_disabled)?;
                let admitted =
                    outbox::admit(&self.client, body).map_err(|e| Failure::from_core(&e))?;
                let known = store
                    .get(&admitted.intent)
                    .await
                    .map_err(|e| Failure::from_core(&e))?
                    .is_some();
                if !known {
                    // A new intent counts against the limits; a known one was counted when
                    // it was first submitted (its answer is the stored outcome, or a conflict).
                    reserve(limits, ledger, &admitted.key, admitted.amount, record)
                        .map_err(|f| *f)?;
                }
                let entry = store
                    .submit(&admitted.intent, admitted.order)
                    .await
                    .map_err(|e| Failure::from_core(&e))?;
                self.release_rejected(std::slice::from_ref(&entry));
                Ok(entry.to_json())
            }
        }
    }

    /// Gives back the reservations of entries the bank definitively refused.
    fn release_rejected(&self, entries: &[opcorp::outbox::OutboxEntry]) {
        let Some(ledger) = self.ledger.as_ref() else {
            return;
        };
        let today = OffsetDateTime::now_utc().date();
        for entry in entries {
            if matches!(entry.outcome, opcorp::outbox::Outcome::Rejected(_)) {
                release(ledger, &entry.operation.id, today);
            }
        }
    }
}

/// Reserves `amount` under `id` against today's limits (the refusal as the answer, boxed:
/// it is large and rare) and notes both in the audit record; returns the day reserved.
fn reserve(
    limits: PaymentLimits,
    ledger: &Mutex<DailyLedger>,
    id: &str,
    amount: Amount,
    record: &mut AuditRecord,
) -> Result<time::Date, Box<Failure>> {
    record.amount = Some(amount.to_string());
    record.instruction_id = Some(id.to_owned());
    let today = OffsetDateTime::now_utc().date();
    let reserved = match ledger.lock() {
        Ok(mut ledger) => ledger.reserve(limits, id, amount, today),
        Err(_) => Err("the ledger lock is poisoned".to_owned()),
    }
    .map_err(|e| {
        Box::new(Failure::refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "ledger_unavailable",
            ErrorKind::Server,
            format!("the payment ledger cannot be updated, so the payment was not sent: {e}"),
        ))
    })?;
    if let Err(refusal) = reserved {
        let reason = match refusal {
            LimitRefusal::PerPayment { .. } => "payment_limit_exceeded",
            LimitRefusal::Daily { .. } => "daily_limit_exceeded",
        };
        return Err(Box::new(Failure::refuse(
            StatusCode::FORBIDDEN,
            reason,
            ErrorKind::Forbidden,
            refusal.message(amount),
        )));
    }
    Ok(today)
}

/// Gives back a reservation of a write that cannot have been booked.
fn release(ledger: &Mutex<DailyLedger>, id: &str, day: time::Date) {
    if let Ok(mut ledger) = ledger.lock()
        && let Err(e) = ledger.release(id, day)
    {
        // Keeping the reservation errs on the safe side: the limit only tightens.
        eprintln!("warning: cannot give back the reservation of {id}: {e}");
    }
}

/// The refusal of a payment by a read-only gateway.
fn payments_disabled() -> Failure {
    Failure::refuse(
        StatusCode::FORBIDDEN,
        "payments_disabled",
        ErrorKind::Forbidden,
        "this gateway is read-only; payments need --allow-payments with limits",
    )
}

/// The request's query parameters; `None` when the query string is malformed.
fn query_params(uri: &Uri) -> Option<Vec<(String, String)>> {
    Query::<Vec<(String, String)>>::try_from_uri(uri)
        .map(|q| q.0)
        .ok()
}

fn malformed_query() -> Failure {
    bad_request("the query string is malformed")
}

fn bad_request(message: &str) -> Failure {
    Failure::refuse(
        StatusCode::BAD_REQUEST,
        "invalid_request",
        ErrorKind::InvalidInput,
        message,
    )
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("client", &self.client)
            .field("key", &"[REDACTED]")
            .field("origins", &self.origins)
            .field("payments", &self.payments)
            .finish_non_exhaustive()
    }
}
