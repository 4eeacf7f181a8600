'use strict'
// Watch: new incoming payments arrive through the async iterator; acknowledgement is
// at-least-once with a checkpoint file (unacknowledged → delivered again after a restart,
// acknowledged → never again); closing ends iteration.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

let emu
let client
let account
before(async () => {
  emu = await Emulator.start()
  client = new opcorp.Client(emu.clientOptions())
  ;[account] = await client.accounts()
})
after(() => emu.stop())

const incoming = (amount, reference = '1232') =>
  emu.admin('POST', '/incoming', { accountIban: account.iban, amount, reference, debtorName: 'Asiakas Oy' })

/** Whether `pending` settles within `ms` (it stays usable either way). */
async function settlesWithin(pending, ms) {
  let timer
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([pending.then(() => true), timeout])
  } finally {
    clearTimeout(timer)
  }
}

test('a new incoming payment is delivered and acknowledged', async () => {
  const watcher = client.watch({ accounts: [account.surrogateId], pollIntervalMs: 100 })
  const sent = await incoming('12.34')
  for await (const delivery of watcher) {
    assert.equal(delivery.account, account.surrogateId)
    assert.ok(delivery.detectedAt instanceof Date)
    assert.equal(typeof delivery.objectId, 'string')
    assert.equal(delivery.transaction.archiveId, sent.archiveId)
    assert.equal(delivery.transaction.amount, '12.34')
    await watcher.ack(delivery)
    break // leaving the loop closes the watcher
  }
  await assert.rejects(watcher.next(), { code: 'INVALID_INPUT', message: /closed/ })
  await assert.rejects(watcher.ack({}), { code: 'INVALID_INPUT' })
})

test('with a checkpoint file: unacknowledged comes again, acknowledged never', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opcorp-watch-'))
  const checkpointFile = path.join(dir, 'checkpoint.json')
  const options = { accounts: [account.surrogateId], checkpointFile, pollIntervalMs: 100 }
  try {
    const first = client.watch(options)
    const sent = await incoming('7.00')
    const d1 = await first.next()
    assert.equal(d1.transaction.archiveId, sent.archiveId)
    first.close() // not acknowledged

    const second = client.watch(options)
    const d2 = await second.next()
    assert.equal(d2.objectId, d1.objectId, 'delivered again after a restart')
    await second.ack(d2)
    second.close()

    const third = client.watch(options)
    const pending = third.next()
    assert.equal(await settlesWithin(pending, 1500), false, 'an acknowledged payment never comes back')
    const later = await incoming('8.00')
    const d3 = await pending
    assert.equal(d3.transaction.archiveId, later.archiveId)
    third.close()
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

test('watch options are checked', () => {
  assert.throws(() => client.watch({ accounts: [] }), { code: 'INVALID_INPUT' })
  assert.throws(() => client.watch({ accounts: [account.surrogateId], startFrom: 'yesterday' }), { code: 'INVALID_INPUT' })
  const w = client.watch({ accounts: [account.surrogateId], startFrom: new Date(Date.now() - 1000) })
  w.close()
})
