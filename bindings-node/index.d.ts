// Public TypeScript declarations of `opcorp` for Node.js (hand-written; the native layer's
// generated declarations are in native.d.ts and the option types are re-exported from it).

import type {
  ClientOptions,
  GeneratedKey,
  Pending,
  ErrorKindInfo,
} from './native'

export type { ClientOptions, GeneratedKey, ErrorKindInfo }

/** Money: an exact decimal string such as `"12.50"`. Never a JS number. */
export type Decimal = string
/** Money as input: a decimal string, or a bigint of minor units (cents), e.g. `1250n`. */
export type MoneyInput = string | bigint
/** A calendar date: `"YYYY-MM-DD"` or a `Date` (its UTC day). */
export type DateInput = string | Date

/** The stable error codes of core's error kinds. */
export type ErrorCode =
  | 'AUTH'
  | 'FORBIDDEN'
  | 'TLS'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'INVALID_INPUT'
  | 'REJECTED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'SERVER'
  | 'DECODE'
  | 'SIGNATURE'
  | 'CONFIG'
  | 'UNKNOWN_OUTCOME'
  | 'CLOCK_SKEW'
  | 'PAYEE_MISMATCH'

/** A signed payment or refund to store (outbox) and send with `client.resolve()`. */
export interface PendingOperation extends Pending {
  kind: 'sepa_payment' | 'sepa_instant_payment' | 'refund'
}

/**
 * Every error opcorp throws or rejects with: a real `Error` with a stable `code`.
 * `err instanceof OpcorpError` holds for all of them.
 */
export declare class OpcorpError extends Error {
  /** The stable code, e.g. `"RATE_LIMITED"`. */
  readonly code: ErrorCode
  /** e.g. `"RateLimitedError"`. */
  readonly name: string
  /** The HTTP status when the bank answered, else `null`. */
  readonly status: number | null
  /** OP's request id (`x-request-id`) when known, else `null`. */
  readonly requestId: string | null
  /** Whether repeating the same call later may succeed. */
  readonly retryable: boolean
  /** A truncated, redacted part of the response body, when there was one. */
  readonly bodySnippet: string | null
  /** The bank's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | null
  /** For `UNKNOWN_OUTCOME`: the operation to pass to `client.resolve()`. */
  readonly pending: PendingOperation | null
}

/** Every error kind, in core's order. */
export declare const ERROR_KINDS: readonly ErrorKindInfo[]
/** Every error code. */
export declare const ERROR_CODES: readonly ErrorCode[]
/** Every option name `new Client()` accepts. */
export declare const CLIENT_OPTIONS: readonly (keyof ClientOptions)[]
/** The binding's version. */
export declare const version: string

/** One entry of the account list. */
export interface Account {
  bic?: string
  iban: string
  name?: string
  balance: Decimal
  currency: string
  surrogateId: string
  productNames?: Record<string, string>
  accountTypeCode?: string
  [extra: string]: unknown
}

/** Account details (dates as OP sends them, `dd.MM.yyyy`). */
export interface AccountDetails {
  bic?: string
  iban: string
  dueDate?: string | null
  ownerId?: string
  currency: string
  netBalance?: Decimal
  accountName?: string | null
  creditLimit?: Decimal
  surrogateId: string
  accountOwner?: string
  creationDate?: string
  grossBalance?: Decimal
  intraDayLimit?: Decimal | null
  [extra: string]: unknown
}

/** One booked transaction (credits positive, debits negative). */
export interface Transaction {
  amount: Decimal
  balanceBefore?: Decimal
  balanceAfter?: Decimal
  message?: string
  currency?: string
  /** OP's transaction id; the paging and de-duplication anchor. */
  objectId: string
  /** Archive id (filing code), always a string. */
  archiveId: string
  debtorBic?: string
  reference?: string
  rfReference?: string
  valueDate?: string
  debtorName?: string
  /** `YYYY-MM-DD`. */
  bookingDate: string
  creditorBic?: string
  paymentDate?: string
  creditorName?: string
  debtorAccount?: string
  creditorAccount?: string
  endToEndId?: string
  /** Registration time, microseconds since the epoch. */
  timestamp: number
  transactionTypeCode?: string
  transactionTypeDescription?: string
  bookingCode?: string
  bookingCodeDescription?: string
  uetr?: string
  [extra: string]: unknown
}

/** Where a transaction stream starts and stops. */
export interface TransactionOptions {
  fromDate?: DateInput
  fromTime?: string | Date
  fromTimestampMicros?: number | bigint
  afterObjectId?: string
  toDate?: DateInput
  version?: 2 | 3 | 'auto'
  pageSize?: number
}

/**
 * A postal address. Structured: `townName` + `country` (and optionally street, building
 * number, post code); hybrid: the same plus at most two `addressLine`s. Lines only
 * (unstructured) are refused for payments unless the client has
 * `addressRules: 'allow_unstructured'` (EPC rulebooks, November 2026).
 */
export interface Address {
  streetName?: string
  buildingNumber?: string
  postCode?: string
  townName?: string
  country: string
  addressLine?: string[]
}

export interface Party {
  name: string
  iban: string
  address?: Address
}

export interface UltimateParty {
  name?: string
  identification?: { id: string; schemeName: string; issuer?: string }
  address?: Address
}

/** A SEPA or SEPA Instant payment (exactly one of `reference` and `message`). */
export interface PaymentRequest {
  /** OP's de-duplication key, `^[a-zA-Z0-9]{1,35}$`; generated when absent. */
  instructionId?: string
  endToEndId?: string
  debtor: Party
  creditor: Party
  instructedAmount: { amount: MoneyInput; currency: string }
  reference?: string
  message?: string
  ultimateDebtor?: UltimateParty
  ultimateCreditor?: UltimateParty
}

/** OP's answer to a payment. */
export interface PaymentResponse {
  amount: Decimal
  status: 'PROCESSING' | 'PROCESSED' | (string & {})
  currency?: string
  archiveId: string
  debtorIban?: string
  ultimateDebtorName?: string
  bookingDate?: string
  /** Which rail OP actually used. */
  paymentType: 'SEPA_CREDIT_TRANSFER' | 'SCT_INST' | (string & {})
  creditorIban?: string
  creditorName?: string
  ultimateCreditorName?: string
  transactionId?: string
  transactionDate?: string
  endToEndId?: string
  message?: string
  [extra: string]: unknown
}

/** A refund of an incoming payment. */
export interface RefundRequest {
  archiveId: string
  amount: MoneyInput
  message: string
  accountIban: string
  /** Date of the original payment, `YYYY-MM-DD`. */
  transactionDate: string
  endToEndId?: string | null
}

export interface RefundResponse {
  original: {
    archiveId: string
    message?: string
    reference?: string
    amount: Decimal
    bookingDate?: string
    debtorName?: string
    [extra: string]: unknown
  }
  refund: PaymentResponse
  [extra: string]: unknown
}

/** A Transaction Filter search (at most 30 days). */
export interface FilterQuery {
  accountIban: string
  fromDate: DateInput
  toDate: DateInput
  reference?: string
  minAmount?: MoneyInput
  maxAmount?: MoneyInput
  debtorName?: string
  creditorName?: string
}

export interface FilteredTransaction {
  amount: Decimal
  archiveId: string
  objectId?: string
  timestamp?: number
  bookingDate?: string
  reference?: string
  rfReference?: string
  message?: string
  debtorName?: string
  creditorName?: string
  [extra: string]: unknown
}

export interface FilterResult {
  transactions: FilteredTransaction[]
  /** Matches OP did not return (it returns at most 10). */
  skipped: number
  [extra: string]: unknown
}

export interface PayerQuery {
  accountIban: string
  archiveId: string
  bookingDate?: DateInput
}

export interface PayerDetails {
  payerName?: string
  payerAddress?: Address
  [extra: string]: unknown
}

export interface Mandate {
  mandateId: string
  companyName?: string
  businessId?: string
  apis: string[]
  validFrom?: string
  status: 'ACTIVE' | 'REVOKED' | (string & {})
  [extra: string]: unknown
}

/** Settings of `client.watch()`. */
export interface WatchOptions {
  accounts: string[]
  /** Remembers acknowledged transactions across restarts. */
  checkpointFile?: string
  /** `"now"` (default), `"beginning"`, or an instant. */
  startFrom?: 'now' | 'beginning' | string | Date
  pollIntervalMs?: number
  includeOutgoing?: boolean
  pageSize?: number
  lookbackMs?: number
  /** With a store: shared by every worker of the client id. */
  maxRequestsPerSecond?: number
  /** PostgreSQL store (`postgres://…`): share the accounts with every watcher of `storeGroup` (leases, fencing tokens). */
  storeUrl?: string
  /** Watch group in the store (default `"default"`). */
  storeGroup?: string
  /** Lease lifetime without renewal, ms (default 30000): the takeover time after a crash. */
  leaseTtlMs?: number
  /** With `storeUrl`: `"all"` watches every account of the client, `"mandates"` every account of every client company that gave a mandate; both re-read while running (then `accounts` may be empty). */
  accountSource?: 'listed' | 'all' | 'mandates'
  /** With `storeUrl`: create or upgrade the store's schema on the first connection. */
  storeInit?: boolean
}

/** One new transaction found by a watcher. */
export interface Delivery {
  account: string
  /** The mandate the account is watched under (`accountSource: "mandates"`), else null. */
  mandate: string | null
  objectId: string
  detectedAt: Date
  transaction: Transaction
}

/** Real-time payment detection: iterate, handle, `ack`. */
export declare class Watcher implements AsyncIterable<Delivery> {
  private constructor()
  /** The next delivery; rejects once closed. */
  next(): Promise<Delivery>
  /** Acknowledges a handled delivery; resolves once its checkpoint is stored. */
  ack(delivery: Delivery): Promise<void>
  /** Stops polling. Idempotent. */
  close(): void
  [Symbol.asyncIterator](): AsyncGenerator<Delivery, void, undefined>
}

/** What `outbox.submit()` pays or refunds: exactly one of `payment` and `refund`. */
export type OutboxOrder =
  | { payment: PaymentRequest; refund?: undefined; instant?: boolean }
  | { refund: RefundRequest; payment?: undefined; instant?: undefined }

/** One intent in the outbox: its operation, attempts and outcome (the signed body is left out). */
export interface OutboxEntry {
  /** The caller's intent key. */
  intent: string
  kind: 'sepa_payment' | 'sepa_instant_payment' | 'refund'
  /** The payment's `instructionId`, or the refunded payment's `archiveId`. */
  id: string
  /** How many sends were started. */
  attempts: number
  createdMs: number
  updatedMs: number
  /** `rejected` is final with nothing booked; `unknown` is settled by `drive()`. */
  state: 'succeeded' | 'rejected' | 'unknown'
  /** The archive id of the booked payment or refund (succeeded only). */
  archiveId?: string
  /**
   * The bank's answer (succeeded only): a payment, a refund, or the refund's booked
   * transaction when it was found on the account after a lost answer.
   */
  receipt?:
    | { type: 'payment'; response: PaymentResponse }
    | { type: 'refund'; response: RefundResponse }
    | { type: 'refund_booking'; response: Transaction }
  /** Why it was rejected, or what left it unknown. */
  error?: { code: ErrorCode; message: string; status: number | null }
}

/** Exactly-once payments and refunds keyed by the caller's intent (`client.outbox(path)`). */
export declare class Outbox {
  private constructor()
  /** Pays or refunds once for `intent`; a repeat returns the first outcome, a different order rejects with `CONFLICT`. */
  submit(intent: string, order: OutboxOrder): Promise<OutboxEntry>
  /** Settles every unknown entry; resolves with each as recorded afterwards. */
  drive(): Promise<OutboxEntry[]>
  list(options?: { unsettled?: boolean }): Promise<OutboxEntry[]>
  get(intent: string): Promise<OutboxEntry | null>
}

/** An authenticated client for OP's corporate APIs over mTLS + OAuth2. */
export declare class Client {
  /** Throws a `CONFIG` error when settings are missing or invalid. */
  constructor(options: ClientOptions)
  /** From `OPCORP_*` environment variables; `overrides` win. */
  static fromEnv(overrides?: ClientOptions): Client
  readonly baseUrl: string
  accounts(): Promise<Account[]>
  account(surrogateId: string): Promise<AccountDetails>
  /** Oldest first; pages are fetched lazily. Leaving the loop stops fetching. */
  transactions(surrogateId: string, options?: TransactionOptions): AsyncGenerator<Transaction, void, undefined>
  /** Like `transactions`, in arrays: each fetched page as one or more (at most 64 KiB of JSON each). */
  transactionBatches(surrogateId: string, options?: TransactionOptions): AsyncGenerator<Transaction[], void, undefined>
  sepaPayment(request: PaymentRequest): Promise<PaymentResponse>
  sepaInstantPayment(request: PaymentRequest): Promise<PaymentResponse>
  preparePayment(request: PaymentRequest, options?: { instant?: boolean }): PendingOperation
  refund(request: RefundRequest): Promise<RefundResponse>
  prepareRefund(request: RefundRequest): PendingOperation
  /** Sends a prepared operation or an `UNKNOWN_OUTCOME` error's `pending`; books at most once. */
  resolve(pending: Pending): Promise<PaymentResponse | RefundResponse>
  instantStatus(instructionId: string): Promise<PaymentResponse[]>
  creditTransactions(query: FilterQuery): Promise<FilterResult>
  debitTransactions(query: FilterQuery): Promise<FilterResult>
  payerDetails(query: PayerQuery): Promise<PayerDetails>
  /** Verification of Payee: does `name` match the holder of `iban`? */
  verifyPayee(iban: string, name: string): Promise<PayeeVerification>
  mandates(): Promise<Mandate[]>
  /** Core's conformance scenario against this environment: the redacted report to send back. */
  conformance(options?: { writes?: boolean }): Promise<ConformanceReport>
  /** The payment outbox in the SQLite file at `path` (created when missing). */
  outbox(path: string): Outbox
  watch(options: WatchOptions): Watcher
}

/** A conformance report (`opcorp-conformance/1`): per operation its status, headers and JSON shape. */
export interface ConformanceReport {
  format: string
  sdk_version: string
  environment: string
  operations: Array<{
    name: string
    method: string
    path: string
    status: number | null
    error: string | null
    headers: Record<string, string>
    shape: unknown
    ids: string[]
  }>
  observations: Record<string, string>
}

/** How two conformance reports compare. */
export interface ConformanceComparison {
  agree: number
  total: number
  all_agree: boolean
  differences: Array<{ operation: string; differences: string[] }>
  observations: string[]
}

/** Compares two conformance reports (objects or JSON strings) operation by operation. */
export declare function conformanceCompare(a: ConformanceReport | string, b: ConformanceReport | string): ConformanceComparison

/** An invoice or order awaiting payment. */
export interface OpenItem {
  id: string
  reference: string
  amount: MoneyInput
  /** Default `EUR`. */
  currency?: string
  dueDate?: string | null
}

/** An incoming payment as reconciliation sees it. */
export interface ReconcilePayment {
  id: string
  reference?: string | null
  amount: MoneyInput
  /** Default `EUR`. */
  currency?: string
  bookingDate?: string | null
  payerName?: string | null
}

export type ItemStatus =
  | { status: 'unpaid' }
  | { status: 'paid' }
  | { status: 'partially_paid'; remaining: Decimal }
  | { status: 'overpaid'; excess: Decimal }
  | { status: 'paid_twice'; coveringPayments: number; excess: Decimal }
  | { status: 'ambiguous_reference' }

export type ItemReport = {
  id: string
  reference: string
  amount: Decimal
  currency: string
  dueDate?: string | null
  received: Decimal
  paymentIds: string[]
} & ItemStatus

export interface UnmatchedPayment {
  /** The payment as given (amount signed: debits are reported with reason `not_a_credit`). */
  payment: {
    id: string
    reference?: string | null
    amount: Decimal
    currency: string
    bookingDate?: string | null
    payerName?: string | null
  }
  reason: 'no_reference' | 'invalid_reference' | 'unknown_reference' | 'ambiguous_reference' | 'currency_mismatch' | 'not_a_credit' | 'amount_overflow'
  didYouMean?: string | null
  [detail: string]: unknown
}

export interface CurrencyTotals {
  billed: Decimal
  received: Decimal
  outstanding: Decimal
  excess: Decimal
  unmatched: Decimal
}

export interface Report {
  items: ItemReport[]
  unmatched: UnmatchedPayment[]
  totals: {
    items: number
    unpaid: number
    paid: number
    partiallyPaid: number
    overpaid: number
    paidTwice: number
    ambiguous: number
    payments: number
    matchedPayments: number
    unmatchedPayments: number
    duplicatePayments: number
    byCurrency: Record<string, CurrencyTotals>
  }
}

/** What one pushed payment did. */
export type MatchEvent = { event: 'matched' | 'unmatched' | 'duplicate'; [detail: string]: unknown }

/** Reconciles every payment against every open item (arrays or any iterables). */
export declare function reconcile(items: Iterable<OpenItem>, payments: Iterable<ReconcilePayment>): Report

/** A report item's camelCase keys, in the order its JSON has them. */
export declare const ITEM_KEYS: readonly ItemKey[]
export type ItemKey = 'id' | 'reference' | 'amount' | 'currency' | 'dueDate' | 'received' | 'status'
  | 'remaining' | 'excess' | 'coveringPayments' | 'paymentIds'
/** One item field's value in a column: text (money and dates exact), a count, the payment ids, or null. */
export type ItemColumnValue = string | number | string[] | null

/**
 * A reconciliation report kept native. `columns()` reads every item's fields as arrays
 * (the fast way for a million items); `items`, `unmatched` and `totals` are parsed on first use.
 */
export declare class ReconcileReport implements Iterable<ItemReport> {
  private constructor()
  /** How many open items. */
  readonly length: number
  readonly items: ItemReport[]
  readonly unmatched: Report['unmatched']
  readonly totals: Report['totals']
  /** Item `index` in input order, or undefined past the end. */
  item(index: number): ItemReport | undefined
  /** The asked fields (default: all) of every item, each an array in input order. */
  columns<K extends ItemKey>(keys?: readonly K[]): Record<K, ItemColumnValue[]>
  [Symbol.iterator](): Iterator<ItemReport>
  /** The report as `reconcile()` returns it. */
  toJSON(): Report
}

/** Reconciles arrays or any iterables (generators are read chunk by chunk); the report stays native. */
export declare function reconcileReport(items: Iterable<OpenItem>, payments: Iterable<ReconcilePayment>): ReconcileReport

export declare class Reconciler {
  constructor(items: OpenItem[])
  push(payment: ReconcilePayment): MatchEvent
  finish(): Report
  /** Ends the run; the report as a `ReconcileReport`. */
  finishReport(): ReconcileReport
}

export declare function paymentFromTransaction(tx: Transaction): ReconcilePayment

/** One log record of the SDK (fields: route, request_id, attempt, status, latency_ms, …). */
export interface LogRecord {
  level: 'error' | 'warn' | 'info' | 'debug' | 'trace'
  /** The core module, e.g. `opcorp::engine::execute`. */
  target: string
  message: string
  fields: Record<string, string>
}
export type LogLevel = 'off' | 'error' | 'warn' | 'info' | 'debug' | 'trace'
/**
 * Sends the SDK's records at `level` (default `debug`) and above to `logger`; `null` stops.
 * Records never carry a secret, a token or a body. `OPCORP_LOG=debug` without code prints
 * them to stderr as JSON lines.
 */
export declare function setLogger(logger: ((record: LogRecord) => void) | null, level?: LogLevel): void

/** The payments of a camt.053/054 bank statement; throws DECODE on a broken control sum. */
export declare function readStatement(data: Buffer | Uint8Array | string): ReconcilePayment[]

/** The answer to a Verification of Payee request. */
export interface PayeeVerification {
  /** `MTCH`, `CMTC`, `NMTC`, `NOAP`, or another code the bank sent. */
  outcome: 'MTCH' | 'CMTC' | 'NMTC' | 'NOAP' | string
  /** The holder's name as the bank holds it, on a close match. */
  matchedName: string | null
  /** The X-Request-ID of the verification call. */
  requestId: string
}
/** Reconciles and returns the report as an .xlsx workbook; also saved to `path` if given. */
export declare function reconcileToXlsx(items: OpenItem[], payments: ReconcilePayment[], path?: string): Buffer
/** Transactions as an .xlsx workbook (typed cells); also saved to `path` if given. */
export declare function transactionsToXlsx(transactions: Transaction[], path?: string): Buffer
/** Open items from a workbook file (path) or its bytes. */
export declare function readInvoices(source: string | Uint8Array): OpenItem[]

// The toolkit vocabulary every binding shares: `<type><CoreMethod>` (README "Toolkit names").
export declare function referenceGenerate(base: string): string
export declare function rfGenerate(body: string): string
export declare function rfFromFinnish(reference: string): string
export declare function rfToFinnish(rf: string): string | null
export declare function referenceNormalize(reference: string): string
export declare function referenceGrouped(reference: string): string
export declare function ibanNormalize(iban: string): string
export declare function ibanGrouped(iban: string): string
export declare function bicForIban(iban: string): string | null
export declare function bicNormalize(bic: string): string
/** @deprecated Use `referenceGenerate`; removed in the next release. */
export declare function finnishReference(base: string): string
/** @deprecated Use `rfGenerate`; removed in the next release. */
export declare function rfReference(body: string): string
/** @deprecated Use `referenceNormalize`; removed in the next release. */
export declare function validateReference(reference: string): string
/** @deprecated Use `referenceGrouped`; removed in the next release. */
export declare function formatReference(reference: string): string
/** @deprecated Use `ibanNormalize`; removed in the next release. */
export declare function validateIban(iban: string): string
/** @deprecated Use `ibanGrouped`; removed in the next release. */
export declare function formatIban(iban: string): string
/** @deprecated Use `bicNormalize`; removed in the next release. */
export declare function validateBic(bic: string): string
/** The error core makes of a failed OP response (status + raw body); returned, not thrown. */
export declare function statusError(status: number, body: string, requestId?: string): OpcorpError
export declare function barcodeEncode(fields: {
  iban: string
  amount: MoneyInput
  reference: string
  dueDate?: DateInput
}): string
export declare function barcodeDecode(barcode: string): {
  iban: string
  amount: Decimal
  amountMinorUnits: bigint
  reference: string
  dueDate: string | null
  version: number
}
export declare function amountToMinorUnits(amount: Decimal): bigint
export declare function amountFromMinorUnits(minor: bigint): Decimal
export declare function signDetached(body: string | Buffer, privateKeyPem: string, kid: string, iat?: number): string
export declare function publicKeyPem(privateKeyPem: string): string
export declare function generateKeyAndCsr(commonName: string, options?: { bits?: 2048 | 3072 | 4096 }): Promise<GeneratedKey>

declare const opcorp: {
  Client: typeof Client
  Watcher: typeof Watcher
  Outbox: typeof Outbox
  OpcorpError: typeof OpcorpError
  Reconciler: typeof Reconciler
  reconcile: typeof reconcile
  paymentFromTransaction: typeof paymentFromTransaction
  reconcileToXlsx: typeof reconcileToXlsx
  transactionsToXlsx: typeof transactionsToXlsx
  readInvoices: typeof readInvoices
  statusError: typeof statusError
  readStatement: typeof readStatement
  conformanceCompare: typeof conformanceCompare
  setLogger: typeof setLogger
  ERROR_KINDS: typeof ERROR_KINDS
  ERROR_CODES: typeof ERROR_CODES
  CLIENT_OPTIONS: typeof CLIENT_OPTIONS
  version: string
  referenceGenerate: typeof referenceGenerate
  rfGenerate: typeof rfGenerate
  rfToFinnish: typeof rfToFinnish
  referenceNormalize: typeof referenceNormalize
  referenceGrouped: typeof referenceGrouped
  ibanNormalize: typeof ibanNormalize
  ibanGrouped: typeof ibanGrouped
  bicNormalize: typeof bicNormalize
  finnishReference: typeof finnishReference
  rfReference: typeof rfReference
  rfFromFinnish: typeof rfFromFinnish
  validateReference: typeof validateReference
  formatReference: typeof formatReference
  validateIban: typeof validateIban
  formatIban: typeof formatIban
  bicForIban: typeof bicForIban
  validateBic: typeof validateBic
  barcodeEncode: typeof barcodeEncode
  barcodeDecode: typeof barcodeDecode
  amountToMinorUnits: typeof amountToMinorUnits
  amountFromMinorUnits: typeof amountFromMinorUnits
  signDetached: typeof signDetached
  publicKeyPem: typeof publicKeyPem
  generateKeyAndCsr: typeof generateKeyAndCsr
}
export default opcorp
