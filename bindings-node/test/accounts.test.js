'use strict'
// Client construction (options and environment), accounts, transactions as an async
// iterator with pagination, resumption and bad input.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

let emu
let client
before(async () => {
  emu = await Emulator.start('--transactions-per-account', '2500')
  client = new opcorp.Client(emu.clientOptions())
})
after(() => emu.stop())

test('accounts are listed with exact decimal strings', async () => {
  const accounts = await client.accounts()
  assert.equal(accounts.length, 3)
  for (const a of accounts) {
    assert.equal(typeof a.surrogateId, 'string')
    assert.equal(typeof a.balance, 'string')
    assert.match(a.balance, /^-?\d+(\.\d+)?$/)
    assert.equal(opcorp.ibanNormalize(a.iban), a.iban)
  }
  const details = await client.account(accounts[0].surrogateId)
  assert.equal(details.iban, accounts[0].iban)
  assert.equal(details.surrogateId, accounts[0].surrogateId)
})

test('Client.fromEnv reads OPCORP_* and options override them', async () => {
  const saved = { ...process.env }
  try {
    Object.assign(process.env, emu.env)
    const fromEnv = opcorp.Client.fromEnv()
    assert.equal(fromEnv.baseUrl, emu.baseUrl)
    assert.equal((await fromEnv.accounts()).length, 3)
    const overridden = opcorp.Client.fromEnv({ clientSecret: 'wrong' })
    await assert.rejects(overridden.accounts(), (e) => e.code === 'AUTH')
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key]
    Object.assign(process.env, saved)
  }
})

test('the client description never shows secrets', () => {
  const { inspect } = require('node:util')
  const text = inspect(client) + String(client)
  assert.match(text, /REDACTED/)
  assert.ok(!text.includes(emu.identity.clientSecret))
  assert.ok(!text.includes('PRIVATE KEY'))
})

test('transactions page through 2500 items exactly once, oldest first', async () => {
  const [account] = await client.accounts()
  const seen = new Set()
  let last = -Infinity
  let count = 0
  for await (const tx of client.transactions(account.surrogateId, { pageSize: 300 })) {
    assert.equal(typeof tx.amount, 'string')
    assert.equal(typeof tx.archiveId, 'string')
    assert.ok(tx.timestamp >= last)
    last = tx.timestamp
    assert.ok(!seen.has(tx.objectId), 'no duplicates')
    seen.add(tx.objectId)
    count++
  }
  assert.ok(count >= 2500, `got ${count}`)
  const counters = await emu.admin('GET', '/counters')
  assert.ok(counters.requests.transactions_v3 >= Math.ceil(2500 / 300))
})

test('v2 pages, resuming after an objectId, and stopping early', async () => {
  const [account] = await client.accounts()
  const first = []
  for await (const tx of client.transactions(account.surrogateId, { version: 2, pageSize: 50 })) {
    first.push(tx)
    if (first.length === 120) break // closes the cursor
  }
  const resumed = []
  for await (const tx of client.transactions(account.surrogateId, { afterObjectId: first[99].objectId })) {
    resumed.push(tx)
    if (resumed.length === 20) break
  }
  assert.deepEqual(
    resumed.map((t) => t.objectId),
    first.slice(100, 120).map((t) => t.objectId),
  )
  const batches = client.transactionBatches(account.surrogateId, { pageSize: 1000 })
  const { value: batch } = await batches.next()
  assert.ok(Array.isArray(batch) && batch.length > 1 && batch.length <= 1000)
  await batches.return()
})

test('the transaction iterator keeps the generator protocol: queued calls, return, throw', async () => {
  const [account] = await client.accounts()
  const all = []
  for await (const tx of client.transactions(account.surrogateId, { pageSize: 1000 })) all.push(tx.objectId)

  // Calls made before a page arrives are answered in order, none lost or repeated, across
  // a page boundary (3 per page here) and past the end.
  const it = client.transactions(account.surrogateId, { pageSize: 3 })
  const queued = await Promise.all(Array.from({ length: 8 }, () => it.next()))
  assert.deepEqual(
    queued.map((r) => r.value.objectId),
    all.slice(0, 8),
  )
  assert.deepEqual(await it.return('bye'), { value: 'bye', done: true })
  assert.deepEqual(await it.next(), { value: undefined, done: true })

  const unstarted = client.transactions(account.surrogateId)
  assert.deepEqual(await unstarted.return(), { value: undefined, done: true })
  assert.deepEqual(await unstarted.next(), { value: undefined, done: true })

  const thrown = client.transactions(account.surrogateId)
  await thrown.next()
  const boom = new Error('stop here')
  await assert.rejects(thrown.throw(boom), (e) => e === boom)
  assert.deepEqual(await thrown.next(), { value: undefined, done: true })
  assert.equal(thrown[Symbol.asyncIterator](), thrown)
})

test('a large page comes in batches of whole transactions, all of them in order', async () => {
  const [account] = await client.accounts()
  const expected = []
  for await (const tx of client.transactions(account.surrogateId, { pageSize: 1000 })) expected.push(tx.objectId)
  const sizes = []
  const got = []
  for await (const batch of client.transactionBatches(account.surrogateId, { pageSize: 1000 })) {
    sizes.push(batch.length)
    for (const tx of batch) got.push(tx.objectId)
  }
  assert.deepEqual(got, expected)
  // A 1000-transaction page is several hundred KB of JSON: more than one 64 KiB batch.
  assert.ok(sizes.length > Math.ceil(expected.length / 1000), `batch sizes ${sizes}`)
  assert.ok(Math.max(...sizes) < 1000, `batch sizes ${sizes}`)
})

test('bad transaction input is an INVALID_INPUT error', async () => {
  const [account] = await client.accounts()
  assert.throws(() => client.transactions(account.surrogateId, { version: 4 }), { code: 'INVALID_INPUT' })
  assert.throws(() => client.transactions(account.surrogateId, { version: 'v9' }), { code: 'INVALID_INPUT' })
  let first = null
  for await (const tx of client.transactions(account.surrogateId, { version: 'auto', pageSize: 5 })) {
    first = tx
    break
  }
  assert.ok(first && first.objectId, 'version "auto" pages like the default')
  assert.throws(() => client.transactions(account.surrogateId, { fromDate: '31.01.2026' }), {
    code: 'INVALID_INPUT',
  })
  assert.throws(() => client.transactions(42), { code: 'INVALID_INPUT' })
  const empty = client.transactions('', {})
  await assert.rejects(empty.next(), { code: 'INVALID_INPUT' })
  const unknown = client.transactions('no-such-account')
  await assert.rejects(unknown.next(), { code: 'NOT_FOUND', status: 404 })
  await assert.rejects(client.account('no-such-account'), (e) => {
    assert.ok(e instanceof Error && e instanceof opcorp.OpcorpError)
    assert.equal(e.code, 'NOT_FOUND')
    assert.equal(e.status, 404)
    assert.equal(typeof e.requestId, 'string')
    return true
  })
})
