/* tslint:disable */
/* eslint-disable */

/** An error thrown by opcorp-wasm-sheet: the shape and codes of opcorp-wasm's (`errorCodes()`). */
export interface OpcorpError extends Error { code: string; retryable: boolean; status: number | null; requestId: string | null }
/** A transaction as opcorp-wasm's `client.transactions()` yields it: OP's JSON, money as strings. */
export interface Transaction {
    amount: string; objectId: string; archiveId: string; timestamp: number; bookingDate: string;
    valueDate?: string | null; reference?: string | null; rfReference?: string | null; message?: string | null;
    debtorName?: string | null; creditorName?: string | null; currency?: string | null; [field: string]: unknown;
}
/** An open item (invoice), as opcorp-wasm's `reconcile` takes it. */
export interface OpenItem { id: string; reference: string; amount: string; currency?: string; dueDate?: string | null }
/** A payment, as opcorp-wasm's `reconcile` takes it (`paymentFromTransaction` makes one). */
export interface ReconcilePayment {
    id: string; reference?: string | null; amount: string; currency?: string; bookingDate?: string | null; payerName?: string | null;
}



/**
 * Every error code the package can throw, in core's declaration order.
 */
export function errorCodes(): string[];

/**
 * Reads open items from a workbook's bytes (`.xlsx`, `.xlsm`, `.xls` or `.ods`, e.g. a file
 * dropped on a page, `await file.arrayBuffer()`): the first sheet, its first non-empty row
 * the header (`id`, `reference`, `amount`, optional `currency` and `due`). Returns them with
 * camelCase keys, ready for opcorp-wasm's `reconcile`. A bad reference or amount throws
 * `INVALID_INPUT` naming the cell, e.g. `cell C4 (amount): …`, so the user can fix the sheet.
 */
export function readInvoices(bytes: Uint8Array | ArrayBuffer): OpenItem[];

/**
 * Reconciles `payments` against open `items` (the arguments of opcorp-wasm's `reconcile`)
 * and writes the report as an `.xlsx` workbook: a summary sheet, one sheet per outcome
 * (paid, partially paid, overpaid, paid twice, unpaid, ambiguous reference) and one of the
 * unmatched payments — what a finance team opens, rather than the report's JSON.
 */
export function reconcileXlsx(items: OpenItem[], payments: ReconcilePayment[]): Uint8Array;

/**
 * Writes transactions as an `.xlsx` workbook: one "Transactions" sheet, one row each, dates
 * as date cells, amounts as numbers with two decimals, references and ids as text (leading
 * zeros and 20-digit archive ids survive). Takes the objects `client.transactions()` of
 * opcorp-wasm yields, or OP's JSON parsed with `JSON.parse`.
 */
export function transactionsXlsx(transactions: Transaction[]): Uint8Array;

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly errorCodes: () => [number, number];
    readonly readInvoices: (a: any) => [number, number, number];
    readonly reconcileXlsx: (a: any, b: any) => [number, number, number, number];
    readonly transactionsXlsx: (a: any) => [number, number, number, number];
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __externref_drop_slice: (a: number, b: number) => void;
    readonly __externref_table_dealloc: (a: number) => void;
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
