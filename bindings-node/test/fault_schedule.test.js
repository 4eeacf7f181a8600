'use strict'
// A bounded share of the randomised fault schedule (reliability.md) through the Node
// binding's outbox: each schedule pays one intent (SEPA, instant or a refund) with 0-3 random
// faults in its way (request dropped, response cut, delay past the client's timeout, 5xx or
// reset after the bank booked, tokens revoked), 30 % delivered twice, then drives until
// settled. The oracle reads the emulator's ledger by a per-schedule amount, not by the SDK's
// ids: the bank booked each intent 0 or 1 times, a success exactly once with the archive id
// the SDK reported, and every unknown settles within a few drives.
// OPCORP_NODE_SCHEDULES sets the count (default 40), OPCORP_SCHEDULE_SEED replays a run.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

const CREDITOR = 'FI2112345600000785'
const MAX_DRIVES = 8
// The client gives up on an attempt after this long; the delay fault waits longer.
const TIMEOUT_MS = 500
const DELAY_MS = 800
// [name, emulator fault kind]; null is the token revocation, an admin action.
const STEPS = [
  ['drop request', { type: 'reset_before_commit' }],
  ['drop response', { type: 'truncated_body' }],
  ['delay past timeout', { type: 'latency', millis: DELAY_MS }],
  ['5xx after commit', { type: 'status_after_commit', status: 503 }],
  ['reset after commit', { type: 'reset_after_commit' }],
  ['token expiry', null],
]
const ROUTES = { payment: 'sepa_payment', instant: 'sepa_instant_payment', refund: 'refund' }

/** A small seeded generator (mulberry32): the same seed replays the same schedules. */
function rng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, below: (n) => Math.floor(next() * n), pick: (list) => list[Math.floor(next() * list.length)] }
}

let emu
let dir
before(async () => {
  emu = await Emulator.start()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opcorp-node-schedule-'))
})
after(() => {
  fs.rmSync(dir, { recursive: true, force: true })
  return emu.stop()
})

/** Cents as a decimal string ("800012" → "8000.12"). */
const decimal = (cents) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`

async function order(kind, account, amount) {
  if (kind === 'refund') {
    const incoming = await emu.admin('POST', '/incoming', {
      accountIban: account.iban,
      amount,
      debtorName: 'Maksaja',
      debtorIban: CREDITOR,
    })
    const refund = {
      archiveId: incoming.archiveId,
      amount,
      message: 'Palautus',
      accountIban: account.iban,
      transactionDate: new Date().toISOString().slice(0, 10),
    }
    return { refund }
  }
  const payment = {
    debtor: { name: 'Demo Oy', iban: account.iban },
    creditor: { name: 'Toimittaja Oy', iban: CREDITOR },
    instructedAmount: { amount, currency: 'EUR' },
    message: 'Lasku',
  }
  return { payment, instant: kind === 'instant' }
}

test('random fault schedules never pay twice', async () => {
  const seed = Number(process.env.OPCORP_SCHEDULE_SEED ?? Math.floor(Math.random() * 2 ** 32))
  const count = Number(process.env.OPCORP_NODE_SCHEDULES ?? 40)
  const random = rng(seed)
  console.log(`fault schedules: seed ${seed}, ${count} schedules`)
  const client = new opcorp.Client(emu.clientOptions({ totalTimeoutMs: TIMEOUT_MS }))
  const [account] = await client.accounts()
  const outbox = client.outbox(path.join(dir, 'outbox.sqlite'))
  let unknownAfterSubmit = 0
  let maxDrives = 0
  for (let index = 0; index < count; index++) {
    const kind = random.pick(['payment', 'payment', 'instant', 'refund'])
    const steps = Array.from({ length: random.below(4) }, () => [random.pick(STEPS), 1 + random.below(2)])
    const redeliver = random.next() < 0.3
    const amount = decimal(600000 + index)
    const intent = `node-schedule:${seed}:${index}`
    const what = `schedule ${index} (seed ${seed}): ${kind} ${amount}, ${steps.map(([[name]]) => name)}`
    const value = await order(kind, account, amount)
    for (const [[, fault], times] of steps) {
      if (fault === null) await emu.admin('POST', '/revoke-tokens')
      else await emu.fault(ROUTES[kind], fault, times)
    }
    const entry = await outbox.submit(intent, value)
    if (redeliver) assert.equal((await outbox.submit(intent, value)).id, entry.id, what)
    await emu.admin('DELETE', '/faults')
    if (entry.state === 'unknown') unknownAfterSubmit++
    let drives = 0
    while ((await outbox.get(intent)).state === 'unknown') {
      drives++
      assert.ok(drives <= MAX_DRIVES, `${what}: still unknown after ${MAX_DRIVES} drives`)
      await outbox.drive()
    }
    maxDrives = Math.max(maxDrives, drives)
    const final = await outbox.get(intent)
    const booked = (await emu.admin('GET', '/ledger')).filter((e) => e.amount === amount)
    assert.ok(booked.length <= 1, `${what}: booked ${booked.length} times`)
    if (final.state === 'succeeded') {
      assert.equal(booked.length, 1, `${what}: succeeded but not booked`)
      assert.equal(booked[0].archiveId, final.archiveId, what)
    } else {
      assert.deepEqual(booked, [], `${what}: ${final.state} but booked`)
    }
  }
  console.log(
    `${count} schedules, ${unknownAfterSubmit} unknown after submit, settled within ${maxDrives} drives, 0 paid twice`,
  )
})
