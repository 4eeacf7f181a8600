// Reconciliation through the built package: one-shot and streaming.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import opcorp from 'opcorp-wasm';

const items = [
  { id: 'INV-1', reference: '1232', amount: '100.00', currency: 'EUR' },
  { id: 'INV-2', reference: opcorp.referenceGenerate('4567'), amount: '50.00', currency: 'EUR', dueDate: '2026-01-31' },
  { id: 'INV-3', reference: opcorp.referenceGenerate('8910'), amount: '10.00', currency: 'EUR' },
];

test('reconcile matches by reference in any written form', () => {
  const report = opcorp.reconcile(items, [
    { id: 'p1', reference: '00000000000000001232', amount: '100.00', currency: 'EUR' },
    { id: 'p2', reference: opcorp.rfFromFinnish(items[1].reference), amount: '20.00', currency: 'EUR' },
    { id: 'p2', reference: opcorp.rfFromFinnish(items[1].reference), amount: '20.00', currency: 'EUR' },
    { id: 'p3', reference: '9999999999999999999', amount: '5.00', currency: 'EUR' },
  ]);
  const status = Object.fromEntries(report.items.map((i) => [i.id, i.status]));
  assert.deepEqual(status, { 'INV-1': 'paid', 'INV-2': 'partially_paid', 'INV-3': 'unpaid' });
  assert.equal(report.items[1].remaining, '30.00');
  assert.equal(report.totals.duplicatePayments, 1, 'a re-delivered payment is not counted twice');
  assert.equal(report.unmatched.length, 1);
  assert.equal(report.unmatched[0].payment.id, 'p3');
});

test('camelCase dueDate, bookingDate and payerName take effect (they were once ignored)', () => {
  const report = opcorp.reconcile(items, [
    { id: 'p9', amount: '7.00', currency: 'EUR', bookingDate: '2026-01-05', payerName: 'Oy Maksaja Ab' },
  ]);
  assert.equal(report.items[1].dueDate, '2026-01-31');
  assert.deepEqual(report.unmatched[0].payment, {
    id: 'p9', reference: null, amount: '7.00', currency: 'EUR', bookingDate: '2026-01-05', payerName: 'Oy Maksaja Ab',
  });
  assert.equal(report.unmatched[0].reason, 'no_reference');
  assert.throws(() => opcorp.reconcile([{ ...items[0], dueDate: '31.1.2026' }], []), (e) => e.code === 'INVALID_INPUT');
});

test('streaming reconciler answers each payment at once', () => {
  const r = new opcorp.Reconciler(items);
  const event = r.push({ id: 'x1', reference: '1232', amount: '100.00', currency: 'EUR' });
  assert.equal(event.event, 'matched');
  assert.equal(event.itemId, 'INV-1');
  assert.equal(r.push({ id: 'x1', reference: '1232', amount: '100.00', currency: 'EUR' }).event, 'duplicate');
  const report = r.finish();
  assert.equal(report.totals.paid, 1);
  assert.throws(() => r.finish(), (e) => e.code === 'INVALID_INPUT');
});

test('money must be exact: bad amounts are INVALID_INPUT', () => {
  assert.throws(() => opcorp.reconcile([{ id: 'a', reference: '1232', amount: 'ten', currency: 'EUR' }], []),
    (e) => e.code === 'INVALID_INPUT');
});
