'use strict'
// opcorp for Node.js: OP Corporate Banking APIs (Finland) over mTLS + OAuth2.
// A thin layer over the Rust core (native addon built by napi-rs); see index.d.ts.

const native = require('./native.js')
const { Client, CLIENT_OPTIONS } = require('./lib/client.js')
const { Watcher } = require('./lib/watch.js')
const { Outbox } = require('./lib/outbox.js')
const { OpcorpError, ERROR_KINDS, ERROR_CODES, statusError } = require('./lib/errors.js')
const sheets = require('./lib/reconcile.js')
const { reconcile, reconcileReport, ReconcileReport, Reconciler, paymentFromTransaction, readStatement } = sheets
const toolkit = require('./lib/toolkit.js')
const { setLogger } = require('./lib/log.js')
const { conformanceCompare } = require('./lib/conformance.js')

module.exports = {
  Client,
  CLIENT_OPTIONS,
  Watcher,
  Outbox,
  OpcorpError,
  ERROR_KINDS,
  ERROR_CODES,
  reconcile,
  reconcileReport,
  ReconcileReport,
  ITEM_KEYS: sheets.ITEM_KEYS,
  Reconciler,
  paymentFromTransaction,
  reconcileToXlsx: sheets.reconcileToXlsx,
  transactionsToXlsx: sheets.transactionsToXlsx,
  readInvoices: sheets.readInvoices,
  statusError,
  readStatement,
  setLogger,
  conformanceCompare,
  ...toolkit,
  version: native.version(),
}
