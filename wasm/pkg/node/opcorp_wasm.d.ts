/* tslint:disable */
/* eslint-disable */

/**
 * A client for OP's APIs whose HTTP goes through the host's `transport` function.
 */
export class Client {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * One account's details (`GET …/v1/accounts/{surrogateId}`).
     */
    account(surrogate_id: string): Promise<any>;
    /**
     * The company's accounts (`GET …/v1/accounts`).
     */
    accounts(): Promise<any>;
    /**
     * Searches incoming payments with the Transaction Filter API.
     */
    filterCredit(query: any): Promise<any>;
    /**
     * Searches outgoing payments with the Transaction Filter API.
     */
    filterDebit(query: any): Promise<any>;
    /**
     * The company's mandates as a service provider.
     */
    mandates(): Promise<any>;
    /**
     * `new Client({ baseUrl, transport, headers? })`: `transport(request)` must return (a
     * promise of) `{ status, headers, body }`; `headers` are added to every request.
     */
    constructor(options: any);
    /**
     * Who paid an incoming transaction (Transaction Info API).
     */
    payerDetails(query: any): Promise<any>;
    /**
     * Sends a SEPA Instant payment (through a gateway that signs it).
     */
    sepaInstantPayment(request: any): Promise<any>;
    /**
     * Sends a SEPA credit transfer (through a gateway that signs it).
     */
    sepaPayment(request: any): Promise<any>;
    /**
     * An async iterator over an account's transactions, oldest first, fetched a page at a
     * time: `for await (const t of client.transactions(id, { fromDate, to, afterObjectId,
     * pageSize }))`.
     */
    transactions(surrogate_id: string, options?: any | null): any;
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
    finish(): any;
    /**
     * A reconciler over these open items.
     */
    constructor(items: any);
    /**
     * Applies one payment and returns its match event (`matched`, `unmatched` or
     * `duplicate`).
     */
    push(payment: any): any;
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
    next(): Promise<any>;
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
export function decodeBarcode(text: string): any;

/**
 * Encodes a Finnish virtual bank barcode (54 digits) from
 * `{ iban, amount: "12.50", reference, dueDate?: "YYYY-MM-DD" }`.
 */
export function encodeBarcode(fields: any): string;

/**
 * Every error code the package can throw, in core's declaration order.
 */
export function errorCodes(): string[];

/**
 * The RF form of a Finnish reference (`RFxx` + the Finnish digits).
 */
export function finnishToRf(finnish: string): string;

/**
 * A Finnish reference from a base of 3–19 digits (the check digit is appended).
 */
export function generateReference(base: string): string;

/**
 * An RF creditor reference (ISO 11649) around `body` (letters and digits).
 */
export function generateRfReference(body: string): string;

/**
 * Whether `text` is a valid IBAN.
 */
export function isValidIban(text: string): boolean;

/**
 * Whether `text` is a valid Finnish or RF reference.
 */
export function isValidReference(text: string): boolean;

/**
 * Normalises a decimal amount string exactly (`"1 234,50"` and `"1234.5"` are accepted).
 */
export function parseAmount(text: string): string;

/**
 * Checks a BIC (8 or 11 characters) and returns its normalised form.
 */
export function parseBic(text: string): string;

/**
 * Parses and checks an IBAN (any spacing or case): `{ iban, grouped, country, isFinnish, bic }`.
 */
export function parseIban(text: string): any;

/**
 * Parses `json` (the body OP returned) as the model named `model` and returns it normalised:
 * `"accounts"`, `"account"`, `"transactions"`, `"transaction"`, `"filterResult"`,
 * `"payerDetails"`, `"mandates"`, `"paymentResponse"` or `"refundResponse"`.
 */
export function parseOpJson(model: string, json: string): any;

/**
 * Parses a Finnish reference (viitenumero) or an RF creditor reference, checking its check
 * digits: `{ kind, value, grouped }`.
 */
export function parseReference(text: string): any;

/**
 * Reconciles `payments` against open `items` in one call and returns the report
 * (`{ items, unmatched, totals }`, amounts as strings).
 *
 * Items: `{ id, reference, amount: "12.50", currency, dueDate? }`; payments:
 * `{ id, reference?, amount, currency, bookingDate?, payerName? }`.
 */
export function reconcile(items: any, payments: any): any;

/**
 * The Finnish reference inside an RF reference, or `null` when its body is not one.
 */
export function rfToFinnish(rf: string): string | undefined;
