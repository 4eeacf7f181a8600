'use strict'
// The error mapping: every core kind gives a distinct, real `Error` with `.code`, `.status`
// and `.requestId` — thrown by sync calls and constructors, rejected by async calls.

const { test, before, after, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const net = require('node:net')
const opcorp = require('..')
const native = require('../native.js')
const { Emulator } = require('./emulator.js')

let emu
before(async () => {
  emu = await Emulator.start()
})
after(() => emu.stop())
afterEach(() => emu.admin('DELETE', '/faults'))

test('every core error kind maps to a distinct error', () => {
  assert.equal(opcorp.ERROR_KINDS.length, 17)
  const names = new Set()
  for (const { code, name, retryable } of opcorp.ERROR_KINDS) {
    const err = native.makeError(code, `synthetic ${code}`, 503, 'req-1')
    assert.ok(err instanceof Error)
    assert.ok(err instanceof opcorp.OpcorpError)
    assert.equal(err.code, code)
    assert.equal(err.name, name)
    assert.equal(err.status, 503)
    assert.equal(err.requestId, 'req-1')
    assert.equal(err.retryable, retryable)
    assert.match(err.message, new RegExp(code))
    assert.ok(err.stack.length > 0)
    names.add(name)
  }
  assert.equal(names.size, 17)
  assert.equal(new Set(opcorp.ERROR_CODES).size, 17)
  assert.ok(!(new TypeError('x') instanceof opcorp.OpcorpError))
})

test('constructor errors: CONFIG for missing or unknown settings', () => {
  assert.throws(() => new opcorp.Client({ baseUrl: 'https://127.0.0.1:1' }), (e) => {
    assert.ok(e instanceof opcorp.OpcorpError)
    assert.equal(e.code, 'CONFIG')
    assert.match(e.message, /client id/)
    assert.equal(e.status, null)
    return true
  })
  assert.throws(() => new opcorp.Client({ bogus: 1 }), { code: 'CONFIG', message: /bogus/ })
  assert.throws(() => new opcorp.Client({ environment: 'mars' }), { code: 'CONFIG' })
  assert.throws(() => new opcorp.Client(emu.clientOptions({ certificatePem: 'not a pem' })), { code: 'CONFIG' })
  assert.throws(() => new opcorp.Client(emu.clientOptions({ totalTimeoutMs: 0 })), { code: 'CONFIG' })
  assert.throws(() => new opcorp.Client(emu.clientOptions({ callTimeoutMs: 0 })), { code: 'CONFIG' })
  assert.throws(() => new opcorp.Client(emu.clientOptions({ maxConnections: 0 })), {
    code: 'CONFIG',
    message: /max connections/,
  })
  assert.throws(() => new opcorp.Client('nope'), { code: 'INVALID_INPUT' })
})

test('sync toolkit errors are INVALID_INPUT', () => {
  assert.throws(() => opcorp.ibanNormalize('FI00'), { code: 'INVALID_INPUT', name: 'InvalidInputError' })
  assert.throws(() => opcorp.referenceGenerate(1234), { code: 'INVALID_INPUT' })
})

test('wrong credentials reject with AUTH, without the secret', async () => {
  const client = new opcorp.Client(emu.clientOptions({ clientSecret: 'wrong-secret-value' }))
  await assert.rejects(client.accounts(), (e) => {
    assert.equal(e.code, 'AUTH')
    assert.ok(!e.message.includes('wrong-secret-value'))
    return true
  })
})

test('an untrusted server certificate is TLS', async () => {
  const options = emu.clientOptions()
  delete options.caCertificatePem
  await assert.rejects(new opcorp.Client(options).accounts(), { code: 'TLS' })
})

test('503 after retries is SERVER with status and request id', async () => {
  const client = new opcorp.Client(emu.clientOptions())
  await emu.fault('accounts', { type: 'status', status: 503 }, null)
  await assert.rejects(client.accounts(), (e) => {
    assert.equal(e.code, 'SERVER')
    assert.equal(e.status, 503)
    assert.equal(e.retryable, true)
    assert.equal(typeof e.requestId, 'string')
    return true
  })
})

test('429 is RATE_LIMITED', async () => {
  const client = new opcorp.Client(emu.clientOptions())
  await emu.fault('accounts', { type: 'status', status: 429, retry_after: '0' }, null)
  await assert.rejects(client.accounts(), { code: 'RATE_LIMITED', status: 429 })
})

test('403 is FORBIDDEN, 400 is REJECTED, 409 is CONFLICT', async () => {
  const client = new opcorp.Client(emu.clientOptions())
  await emu.fault('mandates', { type: 'status', status: 403 }, 1)
  await assert.rejects(client.mandates(), { code: 'FORBIDDEN', status: 403 })
  await emu.fault('mandates', { type: 'status', status: 400 }, 1)
  await assert.rejects(client.mandates(), { code: 'REJECTED', status: 400 })
  await emu.fault('mandates', { type: 'status', status: 409 }, 1)
  await assert.rejects(client.mandates(), { code: 'CONFLICT', status: 409 })
})

test('a failed transaction page rejects the call that waits for it; queued calls end', async () => {
  const client = new opcorp.Client(emu.clientOptions())
  const [account] = await client.accounts()
  await emu.fault('transactions_v3', { type: 'status', status: 403 }, null)
  const it = client.transactions(account.surrogateId)
  const [first, second] = await Promise.allSettled([it.next(), it.next()])
  assert.equal(first.status, 'rejected')
  assert.equal(first.reason.code, 'FORBIDDEN')
  assert.deepEqual(second, { status: 'fulfilled', value: { value: undefined, done: true } })
  assert.deepEqual(await it.next(), { value: undefined, done: true })
})

test('a slow answer is TIMEOUT', async () => {
  const client = new opcorp.Client(emu.clientOptions({ totalTimeoutMs: 300, readTimeoutMs: 300 }))
  await client.accounts() // token first
  await emu.fault('mandates', { type: 'latency', millis: 3000 }, null)
  await assert.rejects(client.mandates(), { code: 'TIMEOUT' })
})

test('a refused connection is NETWORK', async () => {
  const server = net.createServer()
  await new Promise((r) => server.listen(0, '127.0.0.1', r))
  const port = server.address().port
  await new Promise((r) => server.close(r))
  const client = new opcorp.Client(emu.clientOptions({ baseUrl: `https://127.0.0.1:${port}` }))
  await assert.rejects(client.accounts(), { code: 'NETWORK' })
})

test('a malformed body is DECODE', async () => {
  const client = new opcorp.Client(emu.clientOptions())
  await emu.fault('mandates', { type: 'status', status: 200, body: 'not json', content_type: 'application/json' })
  await assert.rejects(client.mandates(), { code: 'DECODE' })
})

test('a wrong signing key is SIGNATURE', async () => {
  const other = await opcorp.generateKeyAndCsr('other', { bits: 2048 })
  const client = new opcorp.Client(emu.clientOptions({ signingKeyPem: other.privateKeyPem }))
  const [account] = await client.accounts()
  const request = {
    debtor: { name: 'Demo Oy', iban: account.iban },
    creditor: { name: 'Toimittaja Oy', iban: 'FI2112345600000785' },
    instructedAmount: { amount: '1.00', currency: 'EUR' },
    reference: '1232',
  }
  await assert.rejects(client.sepaPayment(request), { code: 'SIGNATURE' })
})

test('a signature time the bank keeps refusing is CLOCK_SKEW; a skewed clock is corrected', async () => {
  const client = new opcorp.Client(emu.clientOptions())
  const [account] = await client.accounts()
  const request = {
    debtor: { name: 'Demo Oy', iban: account.iban },
    creditor: { name: 'Toimittaja Oy', iban: 'FI2112345600000785' },
    instructedAmount: { amount: '1.00', currency: 'EUR' },
    reference: '1232',
  }
  await emu.admin('POST', '/clock-skew', { seconds: -3600 })
  try {
    // Core re-signs once with the bank's clock, so a skewed local clock still pays.
    const paid = await client.sepaPayment(request)
    assert.equal(paid.amount, '1.00')
  } finally {
    await emu.admin('POST', '/clock-skew', { seconds: 0 })
  }
  const body = JSON.stringify({ error: 'signature_iat_out_of_window', message: 'iat out of window' })
  await emu.fault('sepa_payment', { type: 'status', status: 400, body, content_type: 'application/json' }, null)
  await assert.rejects(client.sepaPayment(request), { code: 'CLOCK_SKEW', status: 400 })
})
