// Replays tests/vectors/errors.json through `statusError`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import opcorp from 'opcorp-wasm';
import { load } from './vectors.mjs';

const V = load('errors.json');

test('OP error responses map to codes', () => {
  for (const c of V.responses) {
    const err = opcorp.statusError(c.status, c.body, 'rid-1');
    assert.ok(err instanceof Error);
    assert.equal(err.code, c.code, c.body);
    assert.equal(err.status, c.status);
    assert.equal(err.requestId, 'rid-1');
    assert.ok(err.message.includes(c.message), `${err.message} ⊇ ${c.message}`);
  }
});
