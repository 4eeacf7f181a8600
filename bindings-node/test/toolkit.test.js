'use strict'
// The domain toolkit (references, RF, IBAN, BIC, barcodes, amounts, signing, keys + CSR) and
// reconciliation, checked against independent facts (node:crypto verifies signatures; the
// emulator signs the generated CSR and the new identity then works over mTLS).

const { test } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

test('references', () => {
  assert.equal(opcorp.referenceGenerate('123'), '1232')
  assert.equal(opcorp.referenceNormalize(' 00000000000000001232 '), '1232')
  assert.equal(opcorp.referenceGrouped('1234561'), '12 34561')
  const rf = opcorp.rfFromFinnish('1232')
  assert.ok(rf.startsWith('RF'))
  assert.equal(opcorp.referenceNormalize(rf.toLowerCase()), rf)
  assert.equal(opcorp.rfGenerate('539007547034'), 'RF18539007547034')
  for (const bad of ['1234', '', 'RF00123', '12a']) {
    assert.throws(() => opcorp.referenceNormalize(bad), { code: 'INVALID_INPUT' })
  }
})

test('IBAN and BIC', () => {
  assert.equal(opcorp.ibanNormalize('fi49 5000 9420 0287 30'), 'FI4950009420028730')
  assert.equal(opcorp.ibanGrouped('FI4950009420028730'), 'FI49 5000 9420 0287 30')
  assert.equal(opcorp.bicForIban('FI4950009420028730'), 'OKOYFIHH')
  assert.equal(opcorp.bicNormalize('okoyfihh'), 'OKOYFIHH')
  assert.throws(() => opcorp.ibanNormalize('FI4950009420028731'), { code: 'INVALID_INPUT' })
  assert.throws(() => opcorp.ibanNormalize(null), { code: 'INVALID_INPUT' })
})

test('virtual barcode round trip with string and bigint amounts', () => {
  const code = opcorp.barcodeEncode({ iban: 'FI4950009420028730', amount: '482.99', reference: '1232', dueDate: '2025-06-30' })
  assert.equal(code.length, 54)
  assert.equal(code[0], '4')
  assert.deepEqual(opcorp.barcodeDecode(code), {
    iban: 'FI4950009420028730',
    amount: '482.99',
    amountMinorUnits: 48299n,
    reference: '1232',
    dueDate: '2025-06-30',
    version: 4,
  })
  const same = opcorp.barcodeEncode({ iban: 'FI4950009420028730', amount: 48299n, reference: '1232', dueDate: new Date('2025-06-30T00:00:00Z') })
  assert.equal(same, code)
  assert.throws(() => opcorp.barcodeEncode({ iban: 'FI4950009420028730', amount: 4.5, reference: '1232' }), { code: 'INVALID_INPUT' })
  assert.throws(() => opcorp.barcodeDecode('123'), { code: 'INVALID_INPUT' })
})

test('amounts in minor units are exact', () => {
  assert.equal(opcorp.amountToMinorUnits('12.50'), 1250n)
  assert.equal(opcorp.amountToMinorUnits('-0.01'), -1n)
  assert.equal(opcorp.amountFromMinorUnits(1250n), '12.50')
  assert.equal(opcorp.amountFromMinorUnits(9007199254740993n), '90071992547409.93')
  assert.throws(() => opcorp.amountToMinorUnits('1.005'), { code: 'INVALID_INPUT' })
  assert.throws(() => opcorp.amountFromMinorUnits(12), { code: 'INVALID_INPUT' })
  assert.throws(() => opcorp.amountFromMinorUnits(2n ** 70n), { code: 'INVALID_INPUT' })
})

test('detached JWS verifies with node:crypto; keys and CSR work end to end', async () => {
  const key = await opcorp.generateKeyAndCsr('Demo Oy', { bits: 2048 })
  assert.match(key.privateKeyPem, /BEGIN PRIVATE KEY/)
  assert.match(key.csrPem, /BEGIN CERTIFICATE REQUEST/)
  const body = '{"amount":"1.00"}'
  const jws = opcorp.signDetached(Buffer.from(body), key.privateKeyPem, 'kid-1', 1700000000)
  const [headerB64, empty, signature] = jws.split('.')
  assert.equal(empty, '')
  const header = JSON.parse(Buffer.from(headerB64, 'base64url'))
  assert.equal(header.alg, 'RS256')
  assert.equal(header.kid, 'kid-1')
  assert.equal(header.b64, false)
  const publicPem = opcorp.publicKeyPem(key.privateKeyPem)
  assert.match(publicPem, /BEGIN PUBLIC KEY/)
  const ok = crypto.verify('sha256', Buffer.from(`${headerB64}.${body}`), publicPem, Buffer.from(signature, 'base64url'))
  assert.ok(ok, 'signature verifies independently')
  assert.equal(opcorp.signDetached(body, key.privateKeyPem, 'kid-1', 1700000000), jws)
  assert.throws(() => opcorp.signDetached('x', 'not a key', 'kid'), { code: 'CONFIG' })
  await assert.rejects(opcorp.generateKeyAndCsr('x', { bits: 1024 }), { code: 'INVALID_INPUT' })

  // Onboarding: the emulator's CA signs the CSR; the new certificate + key then work.
  const emu = await Emulator.start()
  try {
    const { certPem } = await emu.admin('POST', '/onboarding/csr', { csrPem: key.csrPem })
    const client = new opcorp.Client(emu.clientOptions({ certificatePem: certPem, privateKeyPem: Buffer.from(key.privateKeyPem) }))
    assert.equal((await client.accounts()).length, 3)
  } finally {
    await emu.stop()
  }
})

test('reconcile in one call and streaming, with camelCase JSON', () => {
  const items = [
    { id: 'inv-1', reference: '1232', amount: '100.00', currency: 'EUR', dueDate: '2026-01-31' },
    { id: 'inv-2', reference: opcorp.rfFromFinnish('1245'), amount: 5000n, currency: 'EUR' },
    { id: 'inv-3', reference: '1258', amount: '10.00', currency: 'EUR' },
  ]
  const payments = [
    { id: 'a1', reference: '00000000000000001232', amount: '100.00', currency: 'EUR', bookingDate: '2026-01-10', payerName: 'Asiakas' },
    { id: 'a2', reference: '1245', amount: '20.00', currency: 'EUR' },
    { id: 'a2', reference: '1245', amount: '20.00', currency: 'EUR' },
    { id: 'a3', reference: '9999', amount: '1.00', currency: 'EUR' },
  ]
  const report = opcorp.reconcile(items, payments)
  const byId = Object.fromEntries(report.items.map((i) => [i.id, i]))
  assert.equal(byId['inv-1'].status, 'paid')
  assert.equal(byId['inv-1'].dueDate, '2026-01-31')
  assert.deepEqual(byId['inv-1'].paymentIds, ['a1'])
  assert.equal(byId['inv-2'].status, 'partially_paid')
  assert.equal(byId['inv-2'].remaining, '30.00')
  assert.equal(byId['inv-3'].status, 'unpaid')
  assert.equal(report.unmatched.length, 1)
  assert.equal(report.totals.duplicatePayments, 1)
  assert.equal(report.totals.byCurrency.EUR.billed, '160.00')

  const reconciler = new opcorp.Reconciler(items)
  const events = payments.map((p) => reconciler.push(p))
  assert.deepEqual(
    events.map((e) => e.event),
    ['matched', 'matched', 'duplicate', 'unmatched'],
  )
  assert.deepEqual(reconciler.finish(), report)
  assert.throws(() => reconciler.finish(), { code: 'INVALID_INPUT' })
  assert.throws(() => opcorp.reconcile(items, [{ id: 'x', amount: 1, currency: 'EUR' }]), { code: 'INVALID_INPUT' })
  assert.throws(() => opcorp.reconcile('nope', []), { code: 'INVALID_INPUT' })
  assert.throws(() => new opcorp.Reconciler([{ id: 'x', reference: '1234', amount: '1.00', currency: 'EUR' }]), {
    code: 'INVALID_INPUT',
  })

  const tx = {
    objectId: 'o1', timestamp: 1, archiveId: 'A1', rfReference: 'RF18539007547034', amount: '5.00',
    bookingDate: '2026-01-02', debtorName: 'P',
  }
  assert.deepEqual(opcorp.paymentFromTransaction(tx), {
    id: 'A1',
    reference: 'RF18539007547034',
    amount: '5.00',
    currency: 'EUR',
    bookingDate: '2026-01-02',
    payerName: 'P',
  })
})

test('deprecated 0.1 names still work, warn once, and equal the shared names', () => {
  const warnings = []
  const onWarning = (w) => warnings.push(w)
  process.on('warning', onWarning)
  try {
    assert.equal(opcorp.finnishReference('123'), opcorp.referenceGenerate('123'))
    assert.equal(opcorp.finnishReference('123'), '1232')
    assert.equal(opcorp.rfReference('539007547034'), opcorp.rfGenerate('539007547034'))
    assert.equal(opcorp.validateReference('1232'), opcorp.referenceNormalize('1232'))
    assert.equal(opcorp.formatReference('1234561'), opcorp.referenceGrouped('1234561'))
    assert.equal(opcorp.validateIban('fi2112345600000785'), opcorp.ibanNormalize('fi2112345600000785'))
    assert.equal(opcorp.formatIban('FI2112345600000785'), opcorp.ibanGrouped('FI2112345600000785'))
    assert.equal(opcorp.validateBic('okoyfihh'), opcorp.bicNormalize('okoyfihh'))
  } finally {
    process.off('warning', onWarning)
  }
})
