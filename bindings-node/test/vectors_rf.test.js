'use strict'
// Replays tests/vectors/rf.json.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const opcorp = require('..')
const { load } = require('./vectors.js')

const V = load('rf.json')

test('generate and convert', () => {
  for (const c of V.generate) assert.equal(opcorp.rfGenerate(c.body), c.rf)
  for (const c of V.generate_invalid) {
    assert.throws(() => opcorp.rfGenerate(c.body), { code: 'INVALID_INPUT' }, c.body)
  }
  for (const c of V.from_finnish) assert.equal(opcorp.rfFromFinnish(c.finnish), c.rf)
  for (const c of V.to_finnish) assert.equal(opcorp.rfToFinnish(c.rf), c.finnish)
})

test('malformed RF references are INVALID_INPUT', () => {
  for (const c of V.invalid) {
    assert.throws(() => opcorp.rfToFinnish(c.input), { code: 'INVALID_INPUT' }, c.input)
  }
})
