'use strict'
// Replays tests/vectors/references.json.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const opcorp = require('..')
const { load } = require('./vectors.js')

const V = load('references.json')

test('valid references normalize and group', () => {
  for (const c of V.valid) {
    assert.equal(opcorp.referenceNormalize(c.input), c.normalized, c.input)
    assert.equal(opcorp.referenceGrouped(c.input), c.grouped, c.input)
  }
})

test('invalid references are INVALID_INPUT', () => {
  for (const c of V.invalid) {
    assert.throws(() => opcorp.referenceNormalize(c.input), { code: 'INVALID_INPUT' }, c.input)
  }
})

test('generate', () => {
  for (const c of V.generate) assert.equal(opcorp.referenceGenerate(c.base), c.reference)
  for (const c of V.generate_invalid) {
    assert.throws(() => opcorp.referenceGenerate(c.base), { code: 'INVALID_INPUT' }, c.base)
  }
})
