'use strict'
// Bank statements (camt.053/054) into reconciliation, and Verification of Payee.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

const VECTORS = path.join(__dirname, '..', '..', 'tests', 'vectors', 'camt')

let emu
let client
before(async () => {
  emu = await Emulator.start()
  client = new opcorp.Client(emu.clientOptions())
})
after(() => emu.stop())

test('a camt.053 statement reconciles offline', () => {
  const bytes = fs.readFileSync(path.join(VECTORS, 'camt053_v08_references.xml'))
  const payments = opcorp.readStatement(bytes)
  assert.equal(payments.length, 7)
  assert.deepEqual(
    { id: payments[1].id, reference: payments[1].reference, amount: payments[1].amount, payerName: payments[1].payerName },
    { id: '20261130593156000002', reference: 'RF57100023', amount: '80.00', payerName: 'Kone & Terä Oy' },
  )
  const report = opcorp.reconcile([{ id: 'INV-1002', reference: '100023', amount: '80.00', currency: 'EUR' }], payments)
  assert.equal(report.items[0].status, 'paid')
  assert.deepEqual(opcorp.readStatement(bytes.toString('utf8')), payments)
})

test('a broken control sum throws DECODE and returns nothing', () => {
  const bytes = fs.readFileSync(path.join(VECTORS, 'camt053_v02_broken_sum.xml'))
  assert.throws(() => opcorp.readStatement(bytes), (e) => e.code === 'DECODE' && /TtlNtries\/Sum/.test(e.message))
  assert.throws(() => opcorp.readStatement(42), (e) => e.code === 'INVALID_INPUT')
})

test('verifyPayee answers the four outcomes', async () => {
  const match = await client.verifyPayee('FI5110003500012345', 'kone & tera oy')
  assert.equal(match.outcome, 'MTCH')
  assert.equal(typeof match.requestId, 'string')
  const close = await client.verifyPayee('FI5110003500012345', 'Kone & Tero Oy')
  assert.deepEqual([close.outcome, close.matchedName], ['CMTC', 'Kone & Terä Oy'])
  assert.equal((await client.verifyPayee('FI3179900000000017', 'Anyone')).outcome, 'NOAP')
  await assert.rejects(client.verifyPayee('FI00', 'x'), (e) => e.code === 'INVALID_INPUT')
  assert.ok(opcorp.ERROR_CODES.includes('PAYEE_MISMATCH'))
})
