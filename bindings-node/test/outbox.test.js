'use strict'
// The payment outbox through Node: a redelivered intent pays once, a different order under
// a used intent is refused, and a lost outcome is settled by drive(), booked once.

const { test, before, after, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

const CREDITOR = 'FI2112345600000785'
let emu
let client
let account
let dir
before(async () => {
  emu = await Emulator.start()
  client = new opcorp.Client(emu.clientOptions())
  ;[account] = await client.accounts()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opcorp-node-outbox-'))
})
after(() => {
  fs.rmSync(dir, { recursive: true, force: true })
  return emu.stop()
})
afterEach(() => emu.admin('DELETE', '/faults'))

/** A payment of `amount` from the first account. */
function payment(amount) {
  return {
    debtor: { name: 'Demo Oy', iban: account.iban },
    creditor: { name: 'Vuokralainen', iban: CREDITOR },
    instructedAmount: { amount, currency: 'EUR' },
    message: 'Vuokravakuus',
  }
}

/** Ledger entries of a payment (its instructionId) or refund (the refunded archiveId). */
async function booked(key) {
  return (await emu.admin('GET', '/ledger')).filter((e) => e.instructionId === key)
}

const file = (name) => path.join(dir, `${name}.sqlite`)

test('a redelivered intent pays once and returns the first outcome', async () => {
  const outbox = client.outbox(file('once'))
  const first = await outbox.submit('node:crm:1', { payment: payment('41.10') })
  assert.equal(first.intent, 'node:crm:1')
  assert.equal(first.kind, 'sepa_payment')
  assert.equal(first.state, 'succeeded')
  assert.equal(first.attempts, 1)
  assert.equal(typeof first.id, 'string')
  assert.equal(first.receipt.type, 'payment')
  assert.equal(first.receipt.response.amount, '41.10')
  const ledger = await booked(first.id)
  assert.equal(ledger.length, 1)
  assert.equal(ledger[0].archiveId, first.archiveId)
  const again = await outbox.submit('node:crm:1', { payment: payment('41.10') })
  assert.deepEqual(again, first)
  assert.equal((await booked(first.id)).length, 1)
  assert.deepEqual(await outbox.get('node:crm:1'), first)
  assert.equal(await outbox.get('node:crm:none'), null)
  assert.deepEqual(await outbox.list(), [first])
  assert.deepEqual(await outbox.list({ unsettled: true }), [])
})

test('a different order under a used intent is a CONFLICT; bad input is INVALID_INPUT', async () => {
  const outbox = client.outbox(file('conflict'))
  const first = await outbox.submit('node:crm:2', { payment: payment('12.00') })
  await assert.rejects(outbox.submit('node:crm:2', { payment: payment('12.01') }), { code: 'CONFLICT' })
  await assert.rejects(outbox.submit('node:crm:2', { payment: payment('12.00'), instant: true }), {
    code: 'CONFLICT',
  })
  assert.equal((await booked(first.id)).length, 1)
  await assert.rejects(outbox.submit('node:crm:3', {}), { code: 'INVALID_INPUT', message: /exactly one/ })
  await assert.rejects(outbox.submit('', { payment: payment('1.00') }), { code: 'INVALID_INPUT' })
  await assert.rejects(outbox.submit('node:crm:3', { payment: payment(1) }), { code: 'INVALID_INPUT' })
  // A flag is a boolean: "false" is refused, never read as true.
  await assert.rejects(outbox.submit('node:crm:3', { payment: payment('1.00'), instant: 'false' }), {
    code: 'INVALID_INPUT',
    message: /order\.instant must be a boolean/,
  })
  await assert.rejects(outbox.list({ unsettled: 'yes' }), { code: 'INVALID_INPUT' })
  assert.throws(() => client.outbox(42), { code: 'INVALID_INPUT' })
  assert.equal((await outbox.list()).length, 1)
})

test('a lost outcome survives a restart and drive() settles it, booked once', async () => {
  await emu.fault('sepa_payment', { type: 'reset_after_commit' }, null)
  const entry = await client.outbox(file('lost')).submit('node:crm:4', { payment: payment(770n) })
  assert.equal(entry.state, 'unknown')
  assert.equal(entry.error.code, 'UNKNOWN_OUTCOME')
  assert.equal(entry.archiveId, undefined)
  await emu.admin('DELETE', '/faults')
  const restarted = new opcorp.Client(emu.clientOptions()).outbox(file('lost'))
  assert.deepEqual(
    (await restarted.list({ unsettled: true })).map((e) => e.intent),
    ['node:crm:4'],
  )
  const driven = await restarted.drive()
  assert.deepEqual(
    driven.map((e) => [e.intent, e.state]),
    [['node:crm:4', 'succeeded']],
  )
  assert.equal(driven[0].receipt.response.amount, '7.70')
  const ledger = await booked(entry.id)
  assert.equal(ledger.length, 1)
  assert.equal(ledger[0].archiveId, driven[0].archiveId)
  assert.deepEqual(await restarted.drive(), [])
})

test('a refund answered "Already refunded" is found booked on the account', async () => {
  const incoming = await emu.admin('POST', '/incoming', {
    accountIban: account.iban,
    amount: '64.00',
    debtorName: 'Maksaja',
    debtorIban: CREDITOR,
  })
  const refund = {
    archiveId: incoming.archiveId,
    amount: '64.00',
    message: 'Palautus',
    accountIban: account.iban,
    transactionDate: new Date().toISOString().slice(0, 10),
  }
  await emu.fault('refund', { type: 'reset_after_commit' }, null)
  const outbox = client.outbox(file('refund'))
  assert.equal((await outbox.submit('node:crm:5', { refund })).state, 'unknown')
  await emu.admin('DELETE', '/faults')
  const [settled] = await outbox.drive()
  assert.equal(settled.state, 'succeeded')
  assert.equal(settled.receipt.type, 'refund_booking')
  assert.equal(settled.receipt.response.amount, '-64.00')
  const ledger = await booked(incoming.archiveId)
  assert.equal(ledger.length, 1)
  assert.equal(ledger[0].archiveId, settled.archiveId)
})
