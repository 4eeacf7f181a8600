/* tslint:disable */
/* eslint-disable */

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



/**
 * A client for OP's APIs whose HTTP goes through the host's `transport` function.
 */
export class Client {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * One account's details (`GET …/v1/accounts/{surrogateId}`).
     */
    account(surrogate_id: string): Promise<AccountDetails>;
    /**
     * The company's accounts (`GET …/v1/accounts`).
     */
    accounts(): Promise<Account[]>;
    /**
     * Searches incoming payments with the Transaction Filter API.
     */
    filterCredit(query: FilterQuery): Promise<FilterResult>;
    /**
     * Searches outgoing payments with the Transaction Filter API.
     */
    filterDebit(query: FilterQuery): Promise<FilterResult>;
    /**
     * Looks up an instant payment by its `instructionId`.
     */
    instantStatus(instruction_id: string): Promise<PaymentResponse[]>;
    /**
     * The company's mandates as a service provider.
     */
    mandates(): Promise<Mandate[]>;
    /**
     * `new Client({ baseUrl, transport, headers?, retry?, transactionsVersion?, addressRules?,
     * callTimeoutMs? })`: `transport(request)` must return (a promise of) `{ status, headers,
     * body }`; `headers` are added to every request.
     */
    constructor(options: ClientOptions);
    /**
     * The payment outbox of `opcorp gateway --outbox`: `submit(intent, order)` pays once per
     * intent however often it is delivered; `get`, `list` and `drive` read and settle it.
     */
    outbox(): Outbox;
    /**
     * Who paid an incoming transaction (Transaction Info API).
     */
    payerDetails(query: PayerDetailsQuery): Promise<PayerDetails>;
    /**
     * Refunds an incoming payment (through a gateway that signs it).
     */
    refund(request: RefundRequest): Promise<RefundResponse>;
    /**
     * Resends an operation whose outcome is unknown (an `UNKNOWN_OUTCOME` error's
     * `pendingOperation`): the same id and bytes, which OP de-duplicates.
     */
    resolve(pending: PendingOperation): Promise<PaymentResponse | RefundResponse>;
    /**
     * Sends a SEPA Instant payment (through a gateway that signs it).
     */
    sepaInstantPayment(request: PaymentRequest): Promise<PaymentResponse>;
    /**
     * Sends a SEPA credit transfer (through a gateway that signs it).
     */
    sepaPayment(request: PaymentRequest): Promise<PaymentResponse>;
    /**
     * An async iterator over an account's transactions, oldest first, fetched a page at a
     * time: `for await (const t of client.transactions(id, { fromDate, fromTimestamp,
     * afterObjectId, to, pageSize }))`.
     */
    transactions(surrogate_id: string, options?: any | null): AsyncIterableIterator<Transaction>;
    /**
     * Verification of Payee: does `name` match the holder of `iban`? Both are checked
     * before anything is sent.
     */
    verifyPayee(iban: string, name: string): Promise<PayeeVerification>;
}

/**
 * The outbox of the gateway this client talks to.
 */
export class Outbox {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Asks the gateway to settle every unknown entry now; resolves to the entries settled
     * (the gateway also does this when it starts and every minute).
     */
    drive(): Promise<OutboxEntry[]>;
    /**
     * The entry of `intent`, or `null` when the gateway's outbox has none.
     */
    get(intent: string): Promise<OutboxEntry | null>;
    /**
     * Every entry, oldest first; `{ unsettled: true }` for the unknown ones only.
     */
    list(options?: any | null): Promise<OutboxEntry[]>;
    /**
     * Pays or refunds `order` exactly once for `intent` (e.g. the CRM event id) and
     * resolves to its entry: `state` is `"succeeded"` (with `archiveId` and `receipt`),
     * `"rejected"` or `"unknown"` (settled later by `drive()`). The same intent again gives
     * the first outcome; a different order under it is a `CONFLICT` error.
     */
    submit(intent: string, order: OutboxOrder): Promise<OutboxEntry>;
}

/**
 * Streaming reconciliation: push payments as they arrive, each push answering at once.
 */
export class Reconciler {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The final report; the reconciler cannot be used afterwards.
     */
    finish(): ReconcileReport;
    /**
     * A reconciler over these open items.
     */
    constructor(items: OpenItem[]);
    /**
     * Applies one payment and returns its match event (`matched`, `unmatched` or
     * `duplicate`).
     */
    push(payment: ReconcilePayment): MatchEvent;
}

/**
 * The async iterator `client.transactions()` returns.
 */
export class TransactionStream {
    private constructor();
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The next transaction: a promise of `{ value, done }`. The first error rejects and ends
     * the stream; resume with `afterObjectId` set to the last transaction seen.
     */
    next(): Promise<IteratorResult<Transaction, undefined>>;
    /**
     * Ends the iteration early (called by `break` in `for await`).
     */
    return(): Promise<any>;
}

/**
 * The exact sum of two amount strings.
 */
export function addAmounts(a: string, b: string): string;

/**
 * An amount string from minor units (cents).
 */
export function amountFromMinorUnits(cents: bigint): string;

/**
 * An amount in minor units (cents) as a `bigint`; more than two decimals is an error.
 */
export function amountToMinorUnits(text: string): bigint;

/**
 * Decodes a virtual bank barcode: `{ version, iban, amount, reference, dueDate }`.
 */
export function barcodeDecode(text: string): DecodedBarcode;

/**
 * Encodes a Finnish virtual bank barcode (54 digits) from
 * `{ iban, amount: "12.50", reference, dueDate?: "YYYY-MM-DD" }`.
 */
export function barcodeEncode(fields: BarcodeFields): string;

/**
 * The BIC of a Finnish IBAN's bank, or `null` when unknown.
 */
export function bicForIban(text: string): string | undefined;

/**
 * Checks a BIC (8 or 11 characters) and returns its normalised form.
 */
export function bicNormalize(text: string): string;

/**
 * @deprecated Use `barcodeDecode`; removed in the next release.
 */
export function decodeBarcode(text: string): DecodedBarcode;

/**
 * @deprecated Use `barcodeEncode`; removed in the next release.
 */
export function encodeBarcode(fields: BarcodeFields): string;

/**
 * Every error code the package can throw, in core's declaration order.
 */
export function errorCodes(): string[];

/**
 * @deprecated Use `rfFromFinnish`; removed in the next release.
 */
export function finnishToRf(finnish: string): string;

/**
 * @deprecated Use `referenceGenerate`; removed in the next release.
 */
export function generateReference(base: string): string;

/**
 * @deprecated Use `rfGenerate`; removed in the next release.
 */
export function generateRfReference(body: string): string;

/**
 * An IBAN in groups of four.
 */
export function ibanGrouped(text: string): string;

/**
 * An IBAN (any spacing or case) in its electronic form.
 */
export function ibanNormalize(text: string): string;

/**
 * Whether `text` is a valid IBAN.
 */
export function isValidIban(text: string): boolean;

/**
 * Whether `text` is a valid Finnish or RF reference.
 */
export function isValidReference(text: string): boolean;

/**
 * Checks a decimal amount string (`"-12.35"`; no separators, commas or exponents) and
 * returns it in canonical form.
 */
export function parseAmount(text: string): string;

/**
 * @deprecated Use `bicNormalize`; removed in the next release.
 */
export function parseBic(text: string): string;

/**
 * Parses and checks an IBAN (any spacing or case): `{ iban, grouped, country, isFinnish, bic }`.
 */
export function parseIban(text: string): IbanInfo;

/**
 * Parses `json` (the body OP returned) as the model named `model` and returns it normalised:
 * `"accounts"`, `"account"`, `"transactions"`, `"transaction"`, `"filterResult"`,
 * `"payerDetails"`, `"mandates"`, `"paymentResponse"` or `"refundResponse"`.
 */
export function parseOpJson(model: string, json: string): unknown;

/**
 * Parses a Finnish reference (viitenumero) or an RF creditor reference, checking its check
 * digits: `{ kind, value, grouped }`.
 */
export function parseReference(text: string): ReferenceInfo;

/**
 * The reconciliation view of an OP transaction (as `client.transactions()` yields it), by
 * core's one rule: archive id, Finnish or RF reference, amount, currency (EUR when absent),
 * booking date and payer. Debits convert too; reconcile reports them `not_a_credit`.
 */
export function paymentFromTransaction(transaction: Transaction): ReconcilePayment;

/**
 * Reconciles `payments` against open `items` in one call and returns the report
 * (`{ items, unmatched, totals }`, amounts as strings, camelCase keys).
 *
 * Items: `{ id, reference, amount: "12.50", currency?, dueDate? }`; payments:
 * `{ id, reference?, amount, currency?, bookingDate?, payerName? }` (currency EUR when
 * absent).
 */
export function reconcile(items: OpenItem[], payments: ReconcilePayment[]): ReconcileReport;

/**
 * A Finnish reference from a base of 3–19 digits (the check digit is appended).
 */
export function referenceGenerate(base: string): string;

/**
 * A reference in its paper form (groups of five for Finnish, four for RF).
 */
export function referenceGrouped(text: string): string;

/**
 * A reference (Finnish or RF, any spacing) in its electronic form.
 */
export function referenceNormalize(text: string): string;

/**
 * The RF form of a Finnish reference (`RFxx` + the Finnish digits).
 */
export function rfFromFinnish(finnish: string): string;

/**
 * An RF creditor reference (ISO 11649) around `body` (letters and digits).
 */
export function rfGenerate(body: string): string;

/**
 * The Finnish reference inside an RF reference, or `null` when its body is not one.
 */
export function rfToFinnish(rf: string): string | undefined;

/**
 * The payments of an ISO 20022 bank statement (camt.053/054, versions .02 and .08) given
 * as bytes, e.g. a file a user dropped on a browser page: reconcile them offline with
 * `reconcile`. A statement that fails its own control sums throws `DECODE`; nothing is
 * returned then, never a partial list.
 */
export function statementPayments(data: Uint8Array | number[]): ReconcilePayment[];

/**
 * The error core makes of a failed OP response (HTTP `status` and the raw `body`), by the
 * mapping every client call uses; returned, not thrown.
 */
export function statusError(status: number, body: string, request_id?: string | null): OpcorpError;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_client_free: (a: number, b: number) => void;
    readonly __wbg_outbox_free: (a: number, b: number) => void;
    readonly __wbg_reconciler_free: (a: number, b: number) => void;
    readonly __wbg_transactionstream_free: (a: number, b: number) => void;
    readonly addAmounts: (a: number, b: number, c: number, d: number) => [number, number, number, number];
    readonly amountFromMinorUnits: (a: bigint) => [number, number];
    readonly amountToMinorUnits: (a: number, b: number) => [bigint, number, number];
    readonly barcodeDecode: (a: number, b: number) => [number, number, number];
    readonly barcodeEncode: (a: any) => [number, number, number, number];
    readonly bicForIban: (a: number, b: number) => [number, number, number, number];
    readonly bicNormalize: (a: number, b: number) => [number, number, number, number];
    readonly client_account: (a: number, b: number, c: number) => any;
    readonly client_accounts: (a: number) => any;
    readonly client_filterCredit: (a: number, b: any) => any;
    readonly client_filterDebit: (a: number, b: any) => any;
    readonly client_instantStatus: (a: number, b: number, c: number) => any;
    readonly client_mandates: (a: number) => any;
    readonly client_new: (a: any) => [number, number, number];
    readonly client_outbox: (a: number) => number;
    readonly client_payerDetails: (a: number, b: any) => any;
    readonly client_refund: (a: number, b: any) => any;
    readonly client_resolve: (a: number, b: any) => any;
    readonly client_sepaInstantPayment: (a: number, b: any) => any;
    readonly client_sepaPayment: (a: number, b: any) => any;
    readonly client_transactions: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly client_verifyPayee: (a: number, b: number, c: number, d: number, e: number) => any;
    readonly decodeBarcode: (a: number, b: number) => [number, number, number];
    readonly encodeBarcode: (a: any) => [number, number, number, number];
    readonly errorCodes: () => [number, number];
    readonly finnishToRf: (a: number, b: number) => [number, number, number, number];
    readonly generateReference: (a: number, b: number) => [number, number, number, number];
    readonly generateRfReference: (a: number, b: number) => [number, number, number, number];
    readonly ibanGrouped: (a: number, b: number) => [number, number, number, number];
    readonly ibanNormalize: (a: number, b: number) => [number, number, number, number];
    readonly isValidIban: (a: number, b: number) => number;
    readonly isValidReference: (a: number, b: number) => number;
    readonly outbox_drive: (a: number) => any;
    readonly outbox_get: (a: number, b: number, c: number) => any;
    readonly outbox_list: (a: number, b: number) => any;
    readonly outbox_submit: (a: number, b: number, c: number, d: any) => any;
    readonly parseAmount: (a: number, b: number) => [number, number, number, number];
    readonly parseBic: (a: number, b: number) => [number, number, number, number];
    readonly parseIban: (a: number, b: number) => [number, number, number];
    readonly parseOpJson: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly parseReference: (a: number, b: number) => [number, number, number];
    readonly paymentFromTransaction: (a: any) => [number, number, number];
    readonly reconcile: (a: any, b: any) => [number, number, number];
    readonly reconciler_finish: (a: number) => [number, number, number];
    readonly reconciler_new: (a: any) => [number, number, number];
    readonly reconciler_push: (a: number, b: any) => [number, number, number];
    readonly referenceGenerate: (a: number, b: number) => [number, number, number, number];
    readonly referenceGrouped: (a: number, b: number) => [number, number, number, number];
    readonly referenceNormalize: (a: number, b: number) => [number, number, number, number];
    readonly rfFromFinnish: (a: number, b: number) => [number, number, number, number];
    readonly rfGenerate: (a: number, b: number) => [number, number, number, number];
    readonly rfToFinnish: (a: number, b: number) => [number, number, number, number];
    readonly statementPayments: (a: number, b: number) => [number, number, number];
    readonly statusError: (a: number, b: number, c: number, d: number, e: number) => any;
    readonly transactionstream_next: (a: number) => any;
    readonly transactionstream_return: (a: number) => any;
    readonly wasm_bindgen__convert__closures_____invoke__h60702a48838d1764: (a: number, b: number, c: any) => [number, number];
    readonly wasm_bindgen__convert__closures_____invoke__hb98d63cc49481475: (a: number, b: number, c: any, d: any) => void;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __wbindgen_destroy_closure: (a: number, b: number) => void;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __externref_drop_slice: (a: number, b: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
