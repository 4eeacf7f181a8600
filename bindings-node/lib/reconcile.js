'use strict'
// Reconciliation: match incoming payments to open items (invoices) by reference, in one call
// (`reconcile`) or as payments arrive (`Reconciler`). All matching logic is core's.

const fs = require('node:fs')
const native = require('../native.js')
const args = require('./args.js')

/** JSON text of an array argument (bigint amounts become decimal strings). */
function list(name, value) {
  if (!Array.isArray(value)) throw args.invalid(`${name} must be an array`)
  return args.requestJson(name, value)
}

/** How many items or payments cross to the engine in one JSON text. */
const CHUNK = 8192

/**
 * JSON texts of an array or any other iterable (a generator's objects are read, sent and
 * freed chunk by chunk, so a million of them are never all held at once).
 */
function* chunks(name, values) {
  if (values === null || typeof values !== 'object' || typeof values[Symbol.iterator] !== 'function') {
    throw args.invalid(`${name} must be an array or another iterable`)
  }
  if (Array.isArray(values)) {
    for (let at = 0; at < values.length; at += CHUNK) yield args.requestJson(name, values.slice(at, at + CHUNK))
    return
  }
  let chunk = []
  for (const value of values) {
    chunk.push(value)
    if (chunk.length === CHUNK) {
      yield args.requestJson(name, chunk)
      chunk = []
    }
  }
  if (chunk.length > 0) yield args.requestJson(name, chunk)
}

/** The camelCase keys of a report item, in the order the item's JSON has them (core's list). */
const ITEM_KEYS = Object.freeze(native.itemKeys())

/**
 * A reconciliation report kept native: `columns()` hands JS every item's fields as arrays
 * without making an object per item (the fast way to read a million items), `item(i)` one
 * item, and `items`, `unmatched` and `totals` the plain JSON parts, each parsed once when
 * first read. `toJSON()` is the report `reconcile()` returns.
 */
class ReconcileReport {
  #native
  #parts = {}

  /** Made by `reconcileReport()` and `Reconciler.finishReport()`. */
  constructor(report) {
    if (!(report instanceof native.NativeReport)) throw args.invalid('use reconcileReport() or Reconciler.finishReport()')
    this.#native = report
  }

  /** How many open items the report has. */
  get length() {
    return this.#native.length
  }

  #part(name) {
    if (!(name in this.#parts)) this.#parts[name] = JSON.parse(this.#native.json(name))
    return this.#parts[name]
  }

  /** Every item as an object, in input order (parsed once, on first use). */
  get items() {
    return this.#part('items')
  }

  /** The payments that matched nothing, with the likely reason. */
  get unmatched() {
    return this.#part('unmatched')
  }

  /** Counts and money totals by currency. */
  get totals() {
    return this.#part('totals')
  }

  /** Item `index` (input order) as an object, or undefined past the end. */
  item(index) {
    if (!Number.isSafeInteger(index) || index < 0) throw args.invalid('index must be a whole number ≥ 0')
    if (index >= this.length) return undefined
    return JSON.parse(this.#native.item(index))
  }

  /**
   * The items' fields as columns: `{ id: [...], status: [...], received: [...] }` for the
   * keys asked (default: every key an item can have), each array in input order. Money and
   * dates are exact text, `coveringPayments` numbers, `paymentIds` arrays, and null where
   * an item has no such field (`remaining` of a paid item).
   */
  columns(keys = ITEM_KEYS) {
    if (!Array.isArray(keys)) throw args.invalid('keys must be an array of item keys')
    const columns = {}
    for (const key of keys) columns[args.str('key', key)] = this.#native.column(key)
    return columns
  }

  /** Each item as an object, in input order (`columns()` is faster for many items). */
  *[Symbol.iterator]() {
    for (let index = 0; index < this.length; index++) yield this.item(index)
  }

  /** The whole report as `reconcile()` returns it. */
  toJSON() {
    return JSON.parse(this.#native.json())
  }
}

/** Runs a reconciliation over the chunks of both inputs and keeps the report native. */
function run(items, payments) {
  const engine = new native.NativeReconciler('[]')
  for (const text of chunks('items', items)) engine.addItems(text)
  for (const text of chunks('payments', payments)) engine.pushMany(text)
  return engine
}

/**
 * Reconciles every payment against every open item (arrays or any iterables, such as
 * generators); returns a `ReconcileReport`, which reads a million items fast by column.
 */
function reconcileReport(items, payments) {
  return new ReconcileReport(run(items, payments).finishReport())
}

/** Reconciles every payment against every open item; returns the report as a plain object. */
function reconcile(items, payments) {
  return JSON.parse(run(items, payments).finish())
}

/** A streaming reconciliation over fixed open items. */
class Reconciler {
  #native

  constructor(items) {
    this.#native = new native.NativeReconciler(list('items', items))
  }

  /** Applies one payment; returns what it did (`event`: matched, unmatched or duplicate). */
  push(payment) {
    return JSON.parse(this.#native.push(args.requestJson('payment', payment)))
  }

  /** Ends the run and returns the report. */
  finish() {
    return JSON.parse(this.#native.finish())
  }

  /** Ends the run and returns the report as a `ReconcileReport` (read by column). */
  finishReport() {
    return new ReconcileReport(this.#native.finishReport())
  }
}

/**
 * The reconciliation view of a transaction from `client.transactions()` or a watcher
 * delivery, by core's rule: its archive id, reference (Finnish or RF), amount, currency
 * (EUR when absent), booking date and payer. Debits convert too (reported `not_a_credit`).
 */
function paymentFromTransaction(tx) {
  return JSON.parse(native.paymentFromTransaction(args.requestJson('transaction', tx)))
}

/**
 * The payments of an ISO 20022 bank statement (camt.053/054 XML as a Buffer, Uint8Array or
 * string), ready for `reconcile` or `Reconciler.push`. Throws DECODE when the statement
 * fails its own control sums; never returns a partial list.
 */
function readStatement(data) {
  let bytes
  if (typeof data === 'string') bytes = Buffer.from(data, 'utf8')
  else if (data instanceof Uint8Array) bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  else throw args.invalid('statement must be a Buffer, Uint8Array or string')
  return JSON.parse(native.statementPayments(bytes))
}

/**
 * Reconciles and returns the report as an .xlsx workbook (a Buffer): a summary sheet, one
 * sheet per outcome and one for unmatched payments. Saved to `path` too when given.
 */
function reconcileToXlsx(items, payments, path) {
  const bytes = native.reconcileXlsx(list('items', items), list('payments', payments))
  if (path !== undefined) fs.writeFileSync(args.str('path', path), bytes)
  return bytes
}

/**
 * Transactions (from `client.transactions()`) as an .xlsx workbook (a Buffer): dates as
 * dates, amounts as numbers, ids and references as text. Saved to `path` too when given.
 */
function transactionsToXlsx(transactions, path) {
  const bytes = native.transactionsXlsx(list('transactions', transactions))
  if (path !== undefined) fs.writeFileSync(args.str('path', path), bytes)
  return bytes
}

/**
 * Open items from a workbook (a path or the file's bytes): the first sheet's header row
 * names the columns (id, reference, amount, currency, due). A bad cell throws INVALID_INPUT
 * naming it, e.g. `cell C3 (amount): …`.
 */
function readInvoices(source) {
  const bytes = Buffer.isBuffer(source) || source instanceof Uint8Array
    ? Buffer.from(source)
    : fs.readFileSync(args.str('source', source))
  return JSON.parse(native.readInvoices(bytes))
}

module.exports = {
  reconcile,
  reconcileReport,
  ReconcileReport,
  ITEM_KEYS,
  Reconciler,
  paymentFromTransaction,
  readStatement,
  reconcileToXlsx,
  transactionsToXlsx,
  readInvoices,
}
