'use strict'
// Replays the shared money vectors (tests/vectors/amounts.json) through the Node binding:
// payment and refund amounts by core's strict input rule (before any network call), and the
// bank's amounts read leniently but exactly from a real emulator answer.

const { test, before, after, afterEach } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const path = require('node:path')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'tests', 'vectors', 'amounts.json'), 'utf8'))
let emu
let client
before(async () => {
  emu = await Emulator.start()
  client = new opcorp.Client(emu.clientOptions())
})
after(() => emu.stop())
afterEach(() => emu.admin('DELETE', '/faults'))

const payment = (amount) => ({
  instructionId: 'VEC1',
  debtor: { name: 'Esimerkki Oy', iban: 'FI3859991620004143' },
  creditor: { name: 'Toimittaja Oy', iban: 'FI2112345600000785' },
  instructedAmount: { amount, currency: 'EUR' },
  reference: 'RF18539007547034',
})
const refund = (amount) => ({
  archiveId: '20260105593497O10004',
  amount,
  message: 'Palautus',
  accountIban: 'FI3859991620004143',
  transactionDate: '2026-01-05',
})

for (const c of vectors.input) {
  test(`input: ${c.name}`, async () => {
    const ledger = (await emu.admin('GET', '/ledger')).length
    if (c.payment !== undefined) {
      const pending = client.preparePayment(payment(c.input))
      assert.equal(JSON.parse(Buffer.from(pending.body).toString()).instructedAmount.amount, c.payment)
      const r = client.prepareRefund(refund(c.input))
      assert.equal(JSON.parse(Buffer.from(r.body).toString()).amount, c.payment)
    } else {
      assert.throws(() => client.preparePayment(payment(c.input)), { code: c.error, message: /amount/ })
      assert.throws(() => client.prepareRefund(refund(c.input)), { code: c.error, message: /amount/ })
      await assert.rejects(client.sepaPayment(payment(c.input)), { code: c.error, message: /amount/ })
      await assert.rejects(client.refund(refund(c.input)), { code: c.error })
    }
    assert.equal((await emu.admin('GET', '/ledger')).length, ledger, 'nothing was sent')
  })
}

for (const c of vectors.response) {
  test(`response: ${c.name}`, async () => {
    const body = JSON.stringify([{ iban: 'FI3859991620004143', balance: c.input, currency: 'EUR', surrogateId: 'v1' }])
    await emu.fault('accounts', { type: 'status', status: 200, body, content_type: 'application/json' })
    if (c.value !== undefined) {
      const [account] = await client.accounts()
      assert.equal(account.balance, c.value)
    } else {
      await assert.rejects(client.accounts(), { code: c.error })
    }
  })
}
