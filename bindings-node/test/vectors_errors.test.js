'use strict'
// Replays tests/vectors/errors.json through `statusError`.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const opcorp = require('..')
const { load } = require('./vectors.js')

const V = load('errors.json')

test('OP error responses map to codes', () => {
  for (const c of V.responses) {
    const err = opcorp.statusError(c.status, c.body, 'rid-1')
    assert.ok(err instanceof opcorp.OpcorpError)
    assert.equal(err.code, c.code, c.body)
    assert.equal(err.status, c.status)
    assert.equal(err.requestId, 'rid-1')
    assert.ok(err.message.includes(c.message), `${err.message} ⊇ ${c.message}`)
  }
})
