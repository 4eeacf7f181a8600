'use strict'
// Reconciliation: match incoming payments to open items (invoices) by reference, in one call
// (`reconcile`) or as payments arrive (`Reconciler`). All matching logic is core's.

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

module.exports = { reconcile, Reconciler, paymentFromTransaction }
