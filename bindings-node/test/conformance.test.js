'use strict'
// Core's conformance scenario through the binding: the report, and the emulator compared
// with itself.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const opcorp = require('..')
const { Emulator } = require('./emulator.js')

let emu
let client
before(async () => {
  emu = await Emulator.start()
  client = new opcorp.Client(emu.clientOptions())
})
after(() => emu.stop())

test('the conformance report has operations and agrees with itself', async () => {
  const report = await client.conformance()
  assert.equal(report.format, 'opcorp-conformance/1')
  const names = report.operations.map((op) => op.name)
  assert.ok(names.includes('accounts') && names.length > 5, names.join(','))
  const again = await client.conformance({ writes: false })
  const comparison = opcorp.conformanceCompare(report, JSON.stringify(again))
  assert.equal(comparison.all_agree, true, JSON.stringify(comparison))
  assert.equal(comparison.agree, names.length)
})

test('bad arguments are INVALID_INPUT', async () => {
  await assert.rejects(client.conformance({ writes: 'yes' }), { code: 'INVALID_INPUT' })
  assert.throws(() => opcorp.conformanceCompare({ format: 'nope' }, '{}'), { code: 'INVALID_INPUT' })
  assert.throws(() => opcorp.conformanceCompare(42, '{}'), { code: 'INVALID_INPUT' })
})
