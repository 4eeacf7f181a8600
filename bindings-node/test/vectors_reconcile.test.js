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

/** Yields each value, so inputs reach the engine as an iterable that is not an array. */
function* each(values) {
  yield* values
}

test('reconcileReport gives the same report, read whole, by item and by column', () => {
  for (const c of V.cases) {
    const expected = camel(c.report)
    const report = opcorp.reconcileReport(each(camel(c.items)), each(camel(c.payments)))
    assert.deepEqual(report.toJSON(), expected, c.name)
    assert.equal(report.length, expected.items.length, c.name)
    assert.deepEqual(report.items, expected.items, c.name)
    assert.deepEqual(report.unmatched, expected.unmatched, c.name)
    assert.deepEqual(report.totals, expected.totals, c.name)
    assert.deepEqual([...report], expected.items, c.name)
    assert.equal(report.item(expected.items.length), undefined)
    const columns = report.columns()
    assert.deepEqual(Object.keys(columns), [...opcorp.ITEM_KEYS])
    expected.items.forEach((item, i) => {
      assert.deepEqual(report.item(i), item, c.name)
      for (const key of opcorp.ITEM_KEYS) assert.deepEqual(columns[key][i], item[key] ?? null, `${c.name}: ${key}`)
    })
    const r = new opcorp.Reconciler(camel(c.items))
    for (const p of camel(c.payments)) r.push(p)
    assert.deepEqual(r.finishReport().toJSON(), expected, c.name)
  }
})

test('inputs cross in chunks: many items and payments, arrays and generators alike', () => {
  const n = 20000
  const reference = (i) => opcorp.referenceGenerate(String(1000 + i))
  const items = Array.from({ length: n }, (_, i) => ({ id: `INV-${i}`, reference: reference(i), amount: '10.00', currency: 'EUR' }))
  const payments = Array.from({ length: n + 5 }, (_, i) => ({
    id: `P-${i % n}`,
    reference: reference((i * 7) % n),
    amount: i % 3 === 0 ? '4.00' : '10.00',
    currency: 'EUR',
  }))
  const plain = opcorp.reconcile(items, payments)
  assert.equal(plain.totals.duplicatePayments, 5)
  const report = opcorp.reconcileReport(each(items), each(payments))
  assert.deepEqual(report.toJSON(), plain)
  const { status, received } = report.columns(['status', 'received'])
  assert.equal(status.length, n)
  plain.items.forEach((item, i) => assert.deepEqual([status[i], received[i]], [item.status, item.received]))
  // A bad payment in a later chunk fails the whole call with the binding's error.
  const bad = [...payments.slice(0, 9000), { id: 'x', reference: '1232', amount: 1.5, currency: 'EUR' }]
  assert.throws(() => opcorp.reconcileReport(items, bad), { code: 'INVALID_INPUT' })
})

test('ITEM_KEYS is the core key list in camelCase, as index.d.ts types it', () => {
  const keys = ['id', 'reference', 'amount', 'currency', 'dueDate', 'received', 'status',
    'remaining', 'excess', 'coveringPayments', 'paymentIds']
  assert.deepEqual([...opcorp.ITEM_KEYS], keys)
  assert.ok(Object.isFrozen(opcorp.ITEM_KEYS))
})

test('reconcileReport refuses what is not an input, an item index or a key', () => {
  const items = [{ id: 'a', reference: '1232', amount: '1.00', currency: 'EUR' }]
  for (const input of [null, undefined, 'text', 7, {}]) {
    assert.throws(() => opcorp.reconcileReport(input, []), { code: 'INVALID_INPUT' })
    assert.throws(() => opcorp.reconcile(items, input), { code: 'INVALID_INPUT' })
  }
  const report = opcorp.reconcileReport(items, [])
  for (const index of [-1, 1.5, '0', NaN]) assert.throws(() => report.item(index), { code: 'INVALID_INPUT' })
  assert.throws(() => report.columns(['nope']), { code: 'INVALID_INPUT', message: /no item field "nope"/ })
  assert.throws(() => report.columns('status'), { code: 'INVALID_INPUT' })
  assert.throws(() => new opcorp.ReconcileReport({}), { code: 'INVALID_INPUT' })
  assert.deepEqual(report.columns(['status', 'paymentIds']), { status: ['unpaid'], paymentIds: [[]] })
})
