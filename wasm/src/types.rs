//! TypeScript declarations for the plain objects that cross the boundary as JSON (wasm-bindgen
//! would otherwise type them `any`). Field names are camelCase (reconciliation keys renamed
//! from core's snake_case by core); money is a decimal string; unknown fields OP adds are
//! kept, hence the index signatures.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** An error thrown or rejected by opcorp-wasm. `code` is one of `errorCodes()`. */
export interface OpcorpError extends Error {
  code: string;
  retryable: boolean;
  status: number | null;
  requestId: string | null;
  /** The `instructionId` of a payment whose outcome is unknown (`UNKNOWN_OUTCOME`). */
  pending?: string;
  /** The operation to pass to `client.resolve()` after an `UNKNOWN_OUTCOME`. */
  pendingOperation?: PendingOperation;
}
/** A payment or refund whose outcome is unknown: resend it with `client.resolve()`. */
export interface PendingOperation {
  kind: "sepa_payment" | "sepa_instant_payment" | "refund"; id: string; body: string;
}
/** What `outbox.submit(intent, order)` pays: a payment (SEPA, or SEPA Instant with
 * `instant: true`) or a refund. */
export type OutboxOrder = { payment: PaymentRequest; instant?: boolean } | { refund: RefundRequest };
/** An outbox entry as `opcorp gateway --outbox` keeps it. */
export interface OutboxEntry {
  intent: string; kind: "sepa_payment" | "sepa_instant_payment" | "refund"; id: string;
  attempts: number; createdMs: number; updatedMs: number;
  state: "succeeded" | "rejected" | "unknown";
  archiveId?: string;
  receipt?: { type: "payment" | "refund" | "refund_booking"; response: PaymentResponse | RefundResponse | Transaction };
  error?: { code: string; message: string; status: number | null };
}
export interface ReferenceInfo { kind: "finnish" | "rf"; value: string; grouped: string }
export interface IbanInfo { iban: string; grouped: string; country: string; isFinnish: boolean; bic: string | null }
export interface BarcodeFields { iban: string; amount: string; reference: string; dueDate?: string | null }
export interface DecodedBarcode extends BarcodeFields { version: 4 | 5 }
export interface OpenItem { id: string; reference: string; amount: string; currency?: string; dueDate?: string | null }
export interface ReconcilePayment {
  id: string; reference?: string | null; amount: string; currency?: string;
  bookingDate?: string | null; payerName?: string | null;
}
export interface ItemReport {
  id: string; reference: string; amount: string; currency: string; dueDate: string | null;
  status: "unpaid" | "paid" | "partially_paid" | "overpaid" | "paid_twice" | "ambiguous_reference";
  received: string; paymentIds: string[]; remaining?: string; excess?: string; coveringPayments?: number;
}
export interface UnmatchedPayment {
  payment: { id: string; reference: string | null; amount: string; currency: string; bookingDate: string | null; payerName: string | null };
  reason: "no_reference" | "invalid_reference" | "unknown_reference" | "ambiguous_reference" | "currency_mismatch" | "not_a_credit" | "amount_overflow";
  didYouMean: string | null; [detail: string]: unknown;
}
export interface CurrencyTotals { billed: string; received: string; outstanding: string; excess: string; unmatched: string }
export interface ReconcileTotals {
  items: number; unpaid: number; paid: number; partiallyPaid: number; overpaid: number; paidTwice: number;
  ambiguous: number; payments: number; matchedPayments: number; unmatchedPayments: number;
  duplicatePayments: number; byCurrency: Record<string, CurrencyTotals>;
}
export interface ReconcileReport { items: ItemReport[]; unmatched: UnmatchedPayment[]; totals: ReconcileTotals }
export interface MatchEvent { event: "matched" | "unmatched" | "duplicate"; [field: string]: unknown }

/** What the host's transport receives. */
/** One attempt; `timeoutMs` (set when the client has `callTimeoutMs`) is what is left of the call's deadline, e.g. for `AbortSignal.timeout`. */
export interface TransportRequest { method: "GET" | "POST"; url: string; headers: Record<string, string>; body: string | null; timeoutMs?: number }
/** What the host's transport returns (headers: a plain object or a `Headers`). */
export interface TransportResponse { status: number; headers?: Record<string, string> | Headers; body: string }
export interface ClientOptions {
  baseUrl: string;
  transport: (request: TransportRequest) => TransportResponse | Promise<TransportResponse>;
  /** Added to every request, e.g. `{ authorization: "Bearer <gateway key>" }`. */
  headers?: Record<string, string>;
  /** Core's retry policy; unset fields keep its defaults (3 attempts, 500 ms base). */
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; maxRetryAfterMs?: number };
  /** The Account Data transactions endpoint: 2, 3 or "auto" (default: V3, falling back to V2 once on a 404). */
  transactionsVersion?: 2 | 3 | "auto";
  /** Payment addresses: "rulebook" (default; structured or hybrid only, as the EPC rulebooks demand from November 2026) or "allow_unstructured" (lines only accepted too). */
  addressRules?: "rulebook" | "allow_unstructured";
  /** Deadline for a whole call in ms, every retry and backoff included: no retry starts that could not finish in time, and an attempt still unanswered then fails with TIMEOUT (for a payment: UNKNOWN_OUTCOME). Must be positive. */
  callTimeoutMs?: number;
}
export interface TransactionOptions {
  fromTimestamp?: number; fromDate?: string; afterObjectId?: string; to?: string; pageSize?: number;
}
export interface Account {
  iban: string; bic?: string | null; name?: string | null; balance: string; currency: string;
  surrogateId: string; [field: string]: unknown;
}
export interface AccountDetails { iban: string; currency: string; surrogateId: string; [field: string]: unknown }
export interface Transaction {
  amount: string; objectId: string; archiveId: string; timestamp: number; bookingDate: string;
  reference?: string | null; rfReference?: string | null; message?: string | null;
  debtorName?: string | null; creditorName?: string | null; currency?: string | null; [field: string]: unknown;
}
export interface FilterQuery {
  accountIban: string; startDate: string; endDate: string; reference?: string;
  minAmount?: string; maxAmount?: string; debtorName?: string; creditorName?: string;
}
export interface FilteredTransaction {
  amount: string; archiveId: string; bookingDate?: string | null; reference?: string | null;
  debtorName?: string | null; creditorName?: string | null; [field: string]: unknown;
}
export interface FilterResult { transactions: FilteredTransaction[]; skipped: number; [field: string]: unknown }
export interface PayerDetailsQuery { accountIban: string; archiveId: string; bookingDate?: string }
export interface PayerDetails { payerName?: string | null; [field: string]: unknown }
export interface Mandate { [field: string]: unknown }
/** Verification of Payee: `MTCH`, `CMTC` (with the bank's `matchedName`), `NMTC`, `NOAP`. */
export interface PayeeVerification { outcome: 'MTCH' | 'CMTC' | 'NMTC' | 'NOAP' | string; matchedName: string | null; requestId: string }
/** A postal address: structured (`townName` + `country`, optional street, building number, post code) or hybrid (the same plus at most two `addressLine`s). Lines only need `addressRules: "allow_unstructured"`. */
export interface Address {
  streetName?: string; buildingNumber?: string; postCode?: string; townName?: string;
  country: string; addressLine?: string[];
}
export interface Party { name: string; iban: string; address?: Address }
export interface PaymentRequest {
  instructionId?: string; endToEndId?: string; debtor: Party; creditor: Party;
  instructedAmount: { amount: string; currency: "EUR" }; reference?: string; message?: string;
  [field: string]: unknown;
}
export interface RefundRequest {
  archiveId: string; amount: string; message: string; accountIban: string; transactionDate: string;
  endToEndId?: string | null;
}
export interface RefundResponse { original: Record<string, unknown>; refund: PaymentResponse; [field: string]: unknown }
export interface PaymentResponse { amount: string; status: string; archiveId: string; [field: string]: unknown }
"#;
