'use strict'
// Replays tests/vectors/signing.json: exact protected headers, and node:crypto verifies the
// RS256 signature over `H.` + body.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const crypto = require('node:crypto')
const opcorp = require('..')
const { load } = require('./vectors.js')

const V = load('signing.json')

test('protected headers are exact and signatures verify', async () => {
  const { privateKeyPem } = await opcorp.generateKeyAndCsr('vectors', { bits: 2048 })
  const publicKey = opcorp.publicKeyPem(privateKeyPem)
  for (const c of V.cases) {
    const jws = opcorp.signDetached(c.body, privateKeyPem, c.kid, c.iat)
    const [h, payload, s] = jws.split('.')
    assert.equal(payload, '')
    assert.equal(Buffer.from(h, 'base64url').toString('utf8'), c.protected)
    const input = Buffer.concat([Buffer.from(`${h}.`), Buffer.from(c.body, 'utf8')])
    assert.ok(crypto.verify('sha256', input, publicKey, Buffer.from(s, 'base64url')))
  }
  for (const c of V.invalid) {
    assert.throws(() => opcorp.signDetached(c.body, privateKeyPem, c.kid, c.iat), { code: c.code })
  }
})
