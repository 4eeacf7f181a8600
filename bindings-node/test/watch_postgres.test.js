'use strict'
// Watcher on the PostgreSQL store (a real server started by test.sh through
// scripts/pg-server.sh): two watchers share the accounts of one group, every payment is
// delivered, and an acknowledged one is never delivered again.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

const url = process.env.OPCORP_TEST_POSTGRES_URL
const skip = url ? false : 'no PostgreSQL server (OPCORP_TEST_POSTGRES_URL unset): PostgreSQL store tests skip'
if (!url && process.env.CI === 'true') {
  throw new Error('OPCORP_TEST_POSTGRES_URL is not set although CI=true')
}

let emu
let client
before(async () => {
  emu = await Emulator.start()
  client = new opcorp.Client(emu.clientOptions())
})
after(() => emu.stop())

const incoming = async (iban, amount) =>
  (await emu.admin('POST', '/incoming', { accountIban: iban, amount, reference: '1232', debtorName: 'Asiakas Oy' }))
    .archiveId

/** Consumes `watcher` until it is closed, acknowledging each delivery into `seen`. */
async function consume(watcher, seen) {
  for (;;) {
    let delivery
    try {
      delivery = await watcher.next()
    } catch (e) {
      if (/closed/.test(e.message)) return
      throw e
    }
    try {
      await watcher.ack(delivery)
      seen.add(delivery.transaction.archiveId)
    } catch (e) {
      // The lease moved to the other watcher: it delivers this one again.
      if (e.code !== 'CONFLICT') throw e
    }
  }
}

/** Runs the watchers until `wanted` was seen or `ms` passed, closes them, returns what was seen. */
async function drain(watchers, wanted, ms) {
  const seen = new Set()
  const loops = watchers.map((w) => consume(w, seen))
  const deadline = Date.now() + ms
  while (Date.now() < deadline && ![...wanted].every((id) => seen.has(id))) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  for (const w of watchers) w.close()
  await Promise.all(loops)
  return seen
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

test('two watchers share a group; acknowledged is never delivered again', { skip }, async () => {
  const accounts = (await client.accounts()).slice(0, 4)
  const ids = accounts.map((a) => a.surrogateId)
  const options = {
    accounts: ids,
    storeUrl: url,
    storeGroup: `node-${crypto.randomUUID().slice(0, 8)}`,
    leaseTtlMs: 2000,
    pollIntervalMs: 200,
    // Both connect lazily, in either order; migrating is safe from both at once.
    storeInit: true,
  }
  const first = client.watch(options)
  const second = client.watch(options)
  await sleep(1000)
  const booked = new Set()
  for (const [k, a] of accounts.entries()) booked.add(await incoming(a.iban, `${k + 1}.50`))
  const seen = await drain([first, second], booked, 30000)
  for (const id of booked) assert.ok(seen.has(id), `payment ${id} delivered`)

  const restarted = client.watch(options)
  const late = await incoming(accounts[0].iban, '9.99')
  const again = await drain([restarted], new Set([late, ...booked]), 8000)
  assert.deepEqual([...again], [late], 'an acknowledged payment was delivered again')
})

test('accountSource "all" and bad store settings', { skip }, async () => {
  const watcher = client.watch({
    accounts: [],
    storeUrl: url,
    storeGroup: `node-all-${crypto.randomUUID().slice(0, 8)}`,
    accountSource: 'all',
    storeInit: true,
    pollIntervalMs: 200,
  })
  const all = await client.accounts()
  await sleep(1500)
  const sent = await incoming(all[all.length - 1].iban, '3.10')
  const seen = await drain([watcher], new Set([sent]), 30000)
  assert.ok(seen.has(sent))
  assert.throws(() => client.watch({ accounts: [], storeUrl: url, accountSource: 'everything' }), {
    code: 'INVALID_INPUT',
  })
  assert.throws(() => client.watch({ accounts: ['a'], storeUrl: 'postgres://127.0.0.1:notaport/db' }), {
    code: 'INVALID_INPUT',
  })
})
