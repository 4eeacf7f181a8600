// Replays tests/vectors/rf.json through the built package.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import opcorp from 'opcorp-wasm';
import { load } from './vectors.mjs';

const V = load('rf.json');

test('generate and convert', () => {
  for (const c of V.generate) assert.equal(opcorp.rfGenerate(c.body), c.rf);
  for (const c of V.generate_invalid) {
    assert.throws(() => opcorp.rfGenerate(c.body), { code: 'INVALID_INPUT' }, c.body);
  }
  for (const c of V.from_finnish) assert.equal(opcorp.rfFromFinnish(c.finnish), c.rf);
  for (const c of V.to_finnish) assert.equal(opcorp.rfToFinnish(c.rf) ?? null, c.finnish);
});

test('malformed RF references are INVALID_INPUT', () => {
  for (const c of V.invalid) {
    assert.throws(() => opcorp.rfToFinnish(c.input), { code: 'INVALID_INPUT' }, c.input);
  }
});
