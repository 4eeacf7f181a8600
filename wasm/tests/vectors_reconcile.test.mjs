// Replays tests/vectors/reconcile.json through the built package: the same report as core
// (camelCase keys, as in the Node package), due dates and payer names included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import opcorp from 'opcorp-wasm';
import { load, camel } from './vectors.mjs';

const V = load('reconcile.json');

test('payments give the expected reports', () => {
  for (const c of V.cases) {
    assert.deepEqual(opcorp.reconcile(camel(c.items), camel(c.payments)), camel(c.report), c.name);
    const r = new opcorp.Reconciler(camel(c.items));
    for (const p of camel(c.payments)) r.push(p);
    assert.deepEqual(r.finish(), camel(c.report), c.name);
  }
});

test('transactions convert by core rule', () => {
  for (const c of V.transactions_to_payments) {
    assert.deepEqual(opcorp.paymentFromTransaction(c.transaction), camel(c.payment));
  }
  for (const c of V.transaction_cases) {
    const payments = c.transactions.map((t) => opcorp.paymentFromTransaction(t));
    assert.deepEqual(opcorp.reconcile(camel(c.items), payments), camel(c.report), c.name);
  }
});
