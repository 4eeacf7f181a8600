// Replays tests/vectors/iban_bic.json through the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import opcorp from 'opcorp-wasm';
import { load } from './vectors.mjs';

const V = load('iban_bic.json');

test('IBANs', () => {
  for (const c of V.ibans) {
    assert.equal(opcorp.ibanNormalize(c.input), c.normalized);
    assert.equal(opcorp.ibanGrouped(c.input), c.grouped);
    assert.equal(opcorp.bicForIban(c.input) ?? null, c.bic);
    assert.equal(opcorp.parseIban(c.input).country, c.country);
  }
  for (const c of V.ibans_invalid) {
    assert.throws(() => opcorp.ibanNormalize(c.input), { code: 'INVALID_INPUT' }, c.input);
  }
});

test('BICs', () => {
  for (const c of V.bics) assert.equal(opcorp.bicNormalize(c.input), c.normalized);
  for (const c of V.bics_invalid) {
    assert.throws(() => opcorp.bicNormalize(c.input), { code: 'INVALID_INPUT' }, c.input);
  }
});
