'use strict'
// Replays tests/vectors/barcodes.json.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const opcorp = require('..')
const { load } = require('./vectors.js')

const V = load('barcodes.json')

const fields = (c) => ({ iban: c.iban, amount: c.amount, reference: c.reference, dueDate: c.due_date })

test('encode then decode', () => {
  for (const c of V.encode) {
    assert.equal(opcorp.barcodeEncode(fields(c)), c.barcode)
    const d = opcorp.barcodeDecode(c.barcode)
    const want = c.decoded
    assert.deepEqual(
      { iban: d.iban, amount: d.amount, reference: d.reference, dueDate: d.dueDate, version: d.version },
      { iban: want.iban, amount: want.amount, reference: want.reference, dueDate: want.due_date, version: want.version },
    )
    assert.equal(d.amountMinorUnits, opcorp.amountToMinorUnits(want.amount))
  }
})

test('bad fields and barcodes are INVALID_INPUT', () => {
  for (const c of V.encode_invalid) {
    assert.throws(() => opcorp.barcodeEncode(fields(c)), { code: 'INVALID_INPUT' }, c.why)
  }
  for (const c of V.decode_invalid) {
    assert.throws(() => opcorp.barcodeDecode(c.barcode), { code: 'INVALID_INPUT' }, c.why)
  }
})
