'use strict'
// opcorp for Node.js: OP Corporate Banking APIs (Finland) over mTLS + OAuth2.
// A thin layer over the Rust core (native addon built by napi-rs); see index.d.ts.

const native = require('./native.js')
const { Client, CLIENT_OPTIONS } = require('./lib/client.js')
const { Watcher } = require('./lib/watch.js')
const { OpcorpError, ERROR_KINDS, ERROR_CODES, statusError } = require('./lib/errors.js')
const { reconcile, Reconciler, paymentFromTransaction } = require('./lib/reconcile.js')
const toolkit = require('./lib/toolkit.js')

module.exports = {
  Client,
  CLIENT_OPTIONS,
  Watcher,
  OpcorpError,
  ERROR_KINDS,
  ERROR_CODES,
  reconcile,
  Reconciler,
  paymentFromTransaction,
  statusError,
  ...toolkit,
  version: native.version(),
}
