'use strict'
// Structured payment addresses go through to the bank under their ISO 20022 names; an
// address of lines only is core's INVALID_INPUT before anything is sent, unless the client
// opts in with `addressRules: 'allow_unstructured'`.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

const STRUCTURED = { streetName: 'Tehdastie', buildingNumber: '5', postCode: '33100', townName: 'Tampere', country: 'FI' }
const LINES_ONLY = { country: 'FI', addressLine: ['Tehdastie 5', '33100 Tampere'] }
let emu
let client
let account
before(async () => {
  emu = await Emulator.start()
  client = new opcorp.Client(emu.clientOptions())
  ;[account] = await client.accounts()
})
after(() => emu.stop())

function request(instructionId, address) {
  return {
    instructionId,
    debtor: { name: 'Demo Oy', iban: account.iban },
    creditor: { name: 'Toimittaja Oy', iban: 'FI2112345600000785', address },
    instructedAmount: { amount: '3.00', currency: 'EUR' },
    reference: '1232',
  }
}

const booked = async (id) => (await emu.admin('GET', '/ledger')).filter((e) => e.instructionId === id)

test('a structured address is sent and booked', async () => {
  await client.sepaPayment(request('jsaddr1', STRUCTURED))
  const [entry] = await booked('jsaddr1')
  assert.deepEqual(entry.creditorAddress, STRUCTURED)
})

test('an address of lines only is INVALID_INPUT before sending', async () => {
  await assert.rejects(client.sepaInstantPayment(request('jsaddr2', LINES_ONLY)), {
    code: 'INVALID_INPUT',
    message: /creditor\.address/,
  })
  await assert.rejects(client.sepaPayment(request('jsaddr3', { streetName: 'Tehdastie', country: 'FI' })), {
    code: 'INVALID_INPUT',
    message: /creditor\.address\.townName/,
  })
  assert.deepEqual(await booked('jsaddr2'), [])
})

test('the opt-in sends lines only and the bank decides', async () => {
  const lenient = new opcorp.Client({ ...emu.clientOptions(), addressRules: 'allow_unstructured' })
  await assert.rejects(lenient.sepaPayment(request('jsaddr4', LINES_ONLY)), { code: 'REJECTED', status: 400 })
  await emu.admin('POST', '/quirks', { unstructuredAddresses: 'accepted' })
  try {
    await lenient.sepaPayment(request('jsaddr5', LINES_ONLY))
  } finally {
    await emu.admin('POST', '/quirks', { unstructuredAddresses: 'refused' })
  }
  assert.equal((await booked('jsaddr5')).length, 1)
  assert.throws(() => new opcorp.Client({ ...emu.clientOptions(), addressRules: 'lenient' }), { code: 'CONFIG' })
})
