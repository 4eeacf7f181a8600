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

/** Reconciles every payment against every open item; returns the report. */
function reconcile(items, payments) {
  return JSON.parse(native.reconcile(list('items', items), list('payments', payments)))
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
  Reconciler,
  paymentFromTransaction,
  readStatement,
  reconcileToXlsx,
  transactionsToXlsx,
  readInvoices,
}
