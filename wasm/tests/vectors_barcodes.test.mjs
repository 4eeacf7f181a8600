// Replays tests/vectors/barcodes.json through the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import opcorp from 'opcorp-wasm';
import { load } from './vectors.mjs';

const V = load('barcodes.json');

const fields = (c) => ({ iban: c.iban, amount: c.amount, reference: c.reference, dueDate: c.due_date });

test('encode then decode', () => {
  for (const c of V.encode) {
    assert.equal(opcorp.barcodeEncode(fields(c)), c.barcode);
    const d = opcorp.barcodeDecode(c.barcode);
    const w = c.decoded;
    assert.deepEqual(
      { iban: d.iban, amount: d.amount, reference: d.reference, dueDate: d.dueDate ?? null, version: d.version },
      { iban: w.iban, amount: w.amount, reference: w.reference, dueDate: w.due_date, version: w.version },
    );
  }
});

test('bad fields and barcodes are INVALID_INPUT', () => {
  for (const c of V.encode_invalid) {
    assert.throws(() => opcorp.barcodeEncode(fields(c)), { code: 'INVALID_INPUT' }, c.why);
  }
  for (const c of V.decode_invalid) {
    assert.throws(() => opcorp.barcodeDecode(c.barcode), { code: 'INVALID_INPUT' }, c.why);
  }
});
