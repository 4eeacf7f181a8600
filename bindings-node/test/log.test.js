'use strict'
// The SDK's log records in the application's logger: levels, fields, no secrets, off.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

let emu
before(async () => {
  emu = await Emulator.start()
})
after(() => {
  opcorp.setLogger(null)
  emu.stop()
})

const settle = () => new Promise((resolve) => setTimeout(resolve, 200))

test('debug records carry route, status and request id, and no secret', async () => {
  const records = []
  opcorp.setLogger((r) => records.push(r), 'debug')
  const client = new opcorp.Client(emu.clientOptions())
  await client.accounts()
  await settle()
  const answered = records.find((r) => r.message === 'attempt answered' && r.fields.route === 'accounts')
  assert.ok(answered, JSON.stringify(records))
  assert.equal(answered.level, 'debug')
  assert.equal(answered.target, 'opcorp::engine::execute')
  assert.equal(answered.fields.status, '200')
  assert.ok(answered.fields.request_id.length >= 32)
  assert.ok(records.every((r) => r.level !== 'trace'))
  const secret = emu.clientOptions().clientSecret
  for (const r of records) {
    const text = JSON.stringify(r)
    assert.ok(!text.includes(secret) && !text.includes('Bearer ') && !text.includes('PRIVATE KEY'))
  }
})

test('setLogger(null) stops; a bad logger is a TypeError, a bad level CONFIG', async () => {
  const records = []
  opcorp.setLogger((r) => records.push(r), 'debug')
  opcorp.setLogger(null)
  await new opcorp.Client(emu.clientOptions()).accounts()
  await settle()
  assert.equal(records.length, 0)
  assert.throws(() => opcorp.setLogger(() => {}, 'loud'), (e) => e.code === 'CONFIG' && /log level/.test(e.message))
  assert.throws(() => opcorp.setLogger('console'), TypeError)
})
