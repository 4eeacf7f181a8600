// The payment outbox through `opcorp gateway --outbox`: a redelivered intent pays once and
// is counted once against the daily limit, a different order under it is a CONFLICT, bad
// input fails before anything is sent, and an outcome lost in transit is settled by drive().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import opcorp from 'opcorp-wasm';
import { startEmulator, startGateway, fetchTransport, GATEWAY_KEY } from './harness.mjs';

let emu;
let withOutbox;
let withoutOutbox;
let dir;
let debtor;

before(async () => {
  emu = await startEmulator();
  dir = mkdtempSync(join(tmpdir(), 'opcorp-wasm-outbox-'));
  const limits = ['--allow-payments', '--max-payment', '200.00', '--daily-limit', '300.00'];
  withOutbox = await startGateway(emu, [...limits, '--outbox', join(dir, 'outbox.sqlite')]);
  withoutOutbox = await startGateway(emu, limits);
  [{ iban: debtor }] = await client(withOutbox).accounts();
});

after(() => {
  withOutbox?.stop();
  withoutOutbox?.stop();
  emu?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function client(gateway) {
  return new opcorp.Client({
    baseUrl: gateway.url,
    headers: { authorization: `Bearer ${GATEWAY_KEY}` },
    transport: fetchTransport,
  });
}

const payment = (amount) => ({
  debtor: { name: 'Vuokra Oy', iban: debtor },
  creditor: { name: 'Matti Meikäläinen', iban: 'FI2112345600000785' },
  instructedAmount: { amount, currency: 'EUR' },
  reference: '1232',
});

const rejectsCode = (promise, code) => assert.rejects(promise, (e) => {
  assert.equal(e.code, code, e.message);
  return true;
});

/** Ledger entries of the amount (each test pays its own amounts). */
const booked = async (amount) => (await emu.admin('GET', '/admin/ledger')).filter((e) => e.amount === amount);

test('a redelivered intent pays once and counts once against the daily limit', async () => {
  const outbox = client(withOutbox).outbox();
  const first = await outbox.submit('wasm:crm:1', { payment: payment('150.00') });
  assert.equal(first.state, 'succeeded', JSON.stringify(first));
  assert.equal(first.kind, 'sepa_payment');
  assert.equal(first.receipt.type, 'payment');
  const again = await outbox.submit('wasm:crm:1', { payment: payment('150.00') });
  assert.equal(again.archiveId, first.archiveId);
  assert.equal((await booked('150.00')).length, 1);
  // 150 + 140 fits the 300 daily limit only if the redelivery was not counted again.
  const second = await outbox.submit('wasm:crm:2', { payment: payment('140.00') });
  assert.equal(second.state, 'succeeded', JSON.stringify(second));
  await rejectsCode(outbox.submit('wasm:crm:3', { payment: payment('10.01') }), 'FORBIDDEN');
  assert.equal(await outbox.get('wasm:crm:3'), null, 'a refused intent is not stored');
  assert.deepEqual((await outbox.get('wasm:crm:1')).archiveId, first.archiveId);
  assert.deepEqual((await outbox.list()).map((e) => e.intent), ['wasm:crm:1', 'wasm:crm:2']);
  assert.deepEqual(await outbox.list({ unsettled: true }), []);
});

test('a different order under a used intent is a CONFLICT; bad input fails locally', async () => {
  const outbox = client(withOutbox).outbox();
  await rejectsCode(outbox.submit('wasm:crm:1', { payment: payment('150.01') }), 'CONFLICT');
  await rejectsCode(outbox.submit('wasm:crm:4', { payment: payment('1e2') }), 'INVALID_INPUT');
  await rejectsCode(outbox.submit(' ', { payment: payment('1.00') }), 'INVALID_INPUT');
  await rejectsCode(outbox.submit('wasm:crm:4', {}), 'INVALID_INPUT');
  await rejectsCode(outbox.submit('wasm:crm:4', { payment: payment('1.00'), bogus: 1 }), 'INVALID_INPUT');
  await rejectsCode(outbox.list({ unsettled: 'yes' }), 'INVALID_INPUT');
  assert.equal(await outbox.get('wasm:crm:4'), null);
  await rejectsCode(client(withoutOutbox).outbox().submit('wasm:crm:5', { payment: payment('1.00') }), 'FORBIDDEN');
});

test('an outcome lost in transit stays unknown until drive() settles it, booked once', async () => {
  // The daily limit is spent by the first test: this gateway has its own.
  const own = await startGateway(emu, [
    '--allow-payments', '--max-payment', '200.00', '--daily-limit', '300.00',
    '--outbox', join(dir, 'lost.sqlite'),
  ]);
  try {
    const outbox = client(own).outbox();
    await emu.admin('POST', '/admin/faults', { route: 'sepa_payment', kind: { type: 'reset_after_commit' }, times: null });
    const entry = await outbox.submit('wasm:crm:6', { payment: payment('66.00') });
    assert.equal(entry.state, 'unknown', JSON.stringify(entry));
    assert.deepEqual((await outbox.list({ unsettled: true })).map((e) => e.intent), ['wasm:crm:6']);
    await emu.admin('DELETE', '/admin/faults');
    const settled = await outbox.drive();
    assert.deepEqual(settled.map((e) => [e.intent, e.state]), [['wasm:crm:6', 'succeeded']]);
    const ledger = await booked('66.00');
    assert.equal(ledger.length, 1);
    assert.equal(ledger[0].archiveId, settled[0].archiveId);
    assert.deepEqual(await outbox.drive(), []);
  } finally {
    own.stop();
  }
});
