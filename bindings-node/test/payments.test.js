'use strict'
// Payments, instant status, prepare/resolve, UNKNOWN_OUTCOME, refunds, transaction filter,
// payer details and mandates against the emulator.

const { test, before, after, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

const CREDITOR = 'FI2112345600000785'
let emu
let client
let account
before(async () => {
  emu = await Emulator.start()
  client = new opcorp.Client(emu.clientOptions())
  ;[account] = await client.accounts()
})
after(() => emu.stop())
afterEach(() => emu.admin('DELETE', '/faults'))

/** A payment request from the first account. */
function request(overrides = {}) {
  return {
    debtor: { name: 'Demo Oy', iban: account.iban },
    creditor: { name: 'Toimittaja Oy', iban: CREDITOR },
    instructedAmount: { amount: '120.50', currency: 'EUR' },
    reference: '1232',
    ...overrides,
  }
}

const ledger = () => emu.admin('GET', '/ledger')

test('a SEPA payment is signed and booked once', async () => {
  const before = (await ledger()).length
  const response = await client.sepaPayment(request())
  assert.equal(response.amount, '120.50')
  assert.equal(typeof response.archiveId, 'string')
  assert.equal(typeof response.status, 'string')
  assert.equal(typeof response.paymentType, 'string')
  assert.equal((await ledger()).length, before + 1)
})

test('bigint minor units are exact; JS numbers are refused as money', async () => {
  const response = await client.sepaPayment(request({ instructedAmount: { amount: 1999n, currency: 'EUR' } }))
  assert.equal(response.amount, '19.99')
  await assert.rejects(client.sepaPayment(request({ instructedAmount: { amount: 19.99, currency: 'EUR' } })), {
    code: 'INVALID_INPUT',
    message: /instructedAmount\.amount must be a JSON string/,
  })
  await assert.rejects(client.sepaPayment(request({ instructedAmount: { amount: '12.345', currency: 'EUR' } })), {
    code: 'INVALID_INPUT',
  })
  await assert.rejects(client.sepaPayment(request({ reference: '1234' })), { code: 'INVALID_INPUT' })
  await assert.rejects(client.sepaPayment(request({ creditor: { name: 'X', iban: 'FI0000000000000000' } })), {
    code: 'INVALID_INPUT',
  })
  await assert.rejects(client.sepaPayment('not an object'), { code: 'INVALID_INPUT' })
})

test('instant payment and its status', async () => {
  const response = await client.sepaInstantPayment(request({ instructionId: 'nodeinst1', instructedAmount: { amount: '5.00', currency: 'EUR' } }))
  assert.equal(response.amount, '5.00')
  const statuses = await client.instantStatus('nodeinst1')
  assert.ok(Array.isArray(statuses))
  for (const s of statuses) assert.equal(typeof s.amount, 'string')
  await assert.rejects(client.instantStatus('not valid!'), { code: 'INVALID_INPUT' })
})

test('prepare then resolve books once, also from a stored copy', async () => {
  const pending = client.preparePayment(request({ instructedAmount: { amount: 700n, currency: 'EUR' } }))
  assert.equal(pending.kind, 'sepa_payment')
  assert.equal(pending.id.length, 32)
  assert.ok(Buffer.isBuffer(pending.body))
  assert.ok(pending.body.toString().includes('"7.00"'))
  const stored = JSON.parse(JSON.stringify({ ...pending, body: pending.body.toString('base64') }))
  const restored = { ...stored, body: Buffer.from(stored.body, 'base64') }
  const before = (await ledger()).length
  const first = await client.resolve(pending)
  const second = await client.resolve(restored)
  assert.equal(first.archiveId, second.archiveId)
  assert.equal((await ledger()).length, before + 1)
  assert.equal(client.preparePayment(request(), { instant: true }).kind, 'sepa_instant_payment')
  await assert.rejects(client.resolve({ kind: 'bogus', id: 'x', body: Buffer.from('{}') }), { code: 'INVALID_INPUT' })
})

test('a lost answer rejects with UNKNOWN_OUTCOME carrying the pending operation', async () => {
  await emu.fault('sepa_payment', { type: 'reset_after_commit' }, null)
  const err = await client.sepaPayment(request({ instructedAmount: { amount: '3.33', currency: 'EUR' } })).then(
    () => assert.fail('expected a rejection'),
    (e) => e,
  )
  assert.ok(err instanceof opcorp.OpcorpError)
  assert.equal(err.code, 'UNKNOWN_OUTCOME')
  assert.equal(err.pending.kind, 'sepa_payment')
  assert.ok(Buffer.isBuffer(err.pending.body))
  await emu.admin('DELETE', '/faults')
  const before = (await ledger()).length
  const resolved = await client.resolve(err.pending)
  assert.equal(resolved.amount, '3.33')
  assert.equal((await ledger()).length, before, 'booked once, before the reset')
})

test('refund of an incoming payment, payer details and the transaction filter', async () => {
  const incoming = await emu.admin('POST', '/incoming', {
    accountIban: account.iban,
    amount: '40.00',
    reference: '1232',
    debtorName: 'Asiakas Oy',
  })
  let tx
  for await (const t of client.transactions(account.surrogateId)) if (t.archiveId === incoming.archiveId) tx = t
  assert.ok(tx, 'the incoming payment is listed')
  const refund = await client.refund({
    archiveId: tx.archiveId,
    amount: 1500n,
    message: 'Hyvitys',
    accountIban: account.iban,
    transactionDate: tx.bookingDate,
  })
  assert.equal(refund.refund.amount, '15.00')
  assert.equal(refund.original.archiveId, tx.archiveId)
  await assert.rejects(
    client.refund({ archiveId: tx.archiveId, amount: 15, message: 'x', accountIban: account.iban, transactionDate: tx.bookingDate }),
    { code: 'INVALID_INPUT' },
  )
  const payer = await client.payerDetails({ accountIban: account.iban, archiveId: tx.archiveId })
  assert.equal(typeof payer, 'object')
  const today = new Date()
  const from = new Date(Date.now() - 2 * 86400000)
  const tomorrow = new Date(Date.now() + 86400000)
  const found = await client.creditTransactions({ accountIban: account.iban, fromDate: from, toDate: tomorrow, reference: '1232' })
  assert.ok(found.transactions.some((t) => t.archiveId === tx.archiveId))
  assert.equal(typeof found.skipped, 'number')
  const bounded = await client.creditTransactions({
    accountIban: account.iban,
    fromDate: from,
    toDate: tomorrow,
    minAmount: '39.99',
    maxAmount: 4001n,
  })
  assert.ok(bounded.transactions.every((t) => t.amount === '40.00' || Number(t.amount) >= 39.99))
  const debits = await client.debitTransactions({ accountIban: account.iban, fromDate: from, toDate: today })
  assert.ok(Array.isArray(debits.transactions))
  await assert.rejects(
    client.creditTransactions({ accountIban: account.iban, fromDate: '2020-01-01', toDate: '2021-03-01' }),
    { code: 'INVALID_INPUT' },
  )
  await assert.rejects(
    client.creditTransactions({ accountIban: account.iban, fromDate: from, toDate: today, minAmount: 1.5 }),
    { code: 'INVALID_INPUT' },
  )
})

test('a prepared refund of an unknown archive id is NOT_FOUND', async () => {
  const pending = client.prepareRefund({
    archiveId: 'x123',
    amount: '1.00',
    message: 'm',
    accountIban: account.iban,
    transactionDate: '2024-05-01',
  })
  assert.equal(pending.kind, 'refund')
  assert.equal(pending.id, 'x123')
  await assert.rejects(client.resolve(pending), { code: 'NOT_FOUND' })
})

test('mandates', async () => {
  const mandates = await client.mandates()
  assert.ok(Array.isArray(mandates))
  for (const m of mandates) {
    assert.equal(typeof m.mandateId, 'string')
    assert.equal(typeof m.status, 'string')
  }
})
