'use strict'
// Replays tests/vectors/reconcile.json: the same report as core for the same input
// (camelCase keys), from payments and from OP transactions via `paymentFromTransaction`.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const opcorp = require('..')
const { load, camel } = require('./vectors.js')

const V = load('reconcile.json')

test('payments give the expected reports', () => {
  for (const c of V.cases) {
    assert.deepEqual(opcorp.reconcile(camel(c.items), camel(c.payments)), camel(c.report), c.name)
    const r = new opcorp.Reconciler(camel(c.items))
    for (const p of camel(c.payments)) r.push(p)
    assert.deepEqual(r.finish(), camel(c.report), c.name)
  }
})

test('transactions convert by core rule', () => {
  for (const c of V.transactions_to_payments) {
    assert.deepEqual(opcorp.paymentFromTransaction(c.transaction), camel(c.payment))
  }
  for (const c of V.transaction_cases) {
    const payments = c.transactions.map(opcorp.paymentFromTransaction)
    assert.deepEqual(opcorp.reconcile(camel(c.items), payments), camel(c.report), c.name)
  }
})
