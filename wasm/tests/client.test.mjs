// The Client over a host transport: fetch → `opcorp gateway` on 127.0.0.1 → the emulator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import opcorp from 'opcorp-wasm';
import { startEmulator, startGateway, fetchTransport, GATEWAY_KEY } from './harness.mjs';

let emu;
let readOnly;
let paying;

before(async () => {
  emu = await startEmulator();
  readOnly = await startGateway(emu);
  paying = await startGateway(emu, ['--allow-payments', '--max-payment', '200.00', '--daily-limit', '300.00']);
});

after(() => {
  readOnly?.stop();
  paying?.stop();
  emu?.stop();
});

const client = (gateway, key = GATEWAY_KEY) => new opcorp.Client({
  baseUrl: gateway.url,
  headers: { authorization: `Bearer ${key}` },
  transport: fetchTransport,
});

const rejectsCode = (promise, code) => assert.rejects(promise, (e) => {
  assert.ok(e instanceof Error);
  assert.equal(e.code, code, e.message);
  return true;
});

test('accounts and account details', async () => {
  const c = client(readOnly);
  const accounts = await c.accounts();
  assert.equal(accounts.length, 3);
  assert.match(accounts[0].balance, /^-?\d+\.\d{2}$/, 'money is a decimal string');
  const details = await c.account(accounts[0].surrogateId);
  assert.equal(details.iban, accounts[0].iban);
});

test('transactions stream across pages without loss or repeats', async () => {
  const c = client(readOnly);
  const [account] = await c.accounts();
  const all = [];
  for await (const t of c.transactions(account.surrogateId, { pageSize: 7 })) all.push(t);
  assert.equal(all.length, 40, 'the emulator seeds 40 transactions per account');
  assert.equal(new Set(all.map((t) => t.objectId)).size, 40);
  for (let i = 1; i < all.length; i++) assert.ok(all[i].timestamp >= all[i - 1].timestamp);
  const rest = [];
  for await (const t of c.transactions(account.surrogateId, { afterObjectId: all[29].objectId, pageSize: 4 })) rest.push(t);
  assert.deepEqual(rest.map((t) => t.objectId), all.slice(30).map((t) => t.objectId), 'resume after a checkpoint');
  let seen = 0;
  for await (const _ of c.transactions(account.surrogateId)) { if (++seen === 3) break; }
  assert.equal(seen, 3);
  assert.throws(() => c.transactions(account.surrogateId, { pageSize: 0 }), (e) => e.code === 'INVALID_INPUT');
});

test('"I just paid my invoice": a new incoming payment is found by reference', async () => {
  const c = client(readOnly);
  const [account] = await c.accounts();
  const reference = opcorp.referenceGenerate('2026112401');
  await emu.admin('POST', '/admin/incoming', {
    accountIban: account.iban, amount: '120.50', reference, debtorName: 'Asiakas Oy',
  });
  const end = new Date();
  const start = new Date(end.getTime() - 2 * 86400000);
  const result = await c.filterCredit({
    accountIban: account.iban,
    startDate: start.toISOString().replace(/\.\d+Z$/, 'Z'),
    endDate: new Date(end.getTime() + 3600000).toISOString().replace(/\.\d+Z$/, 'Z'),
    reference,
  });
  assert.equal(result.transactions.length, 1, JSON.stringify(result));
  assert.equal(result.transactions[0].amount, '120.50');
});

test('errors carry the core code, status and request id', async () => {
  const c = client(readOnly);
  await rejectsCode(c.account('no-such-account'), 'NOT_FOUND');
  await c.account('no-such-account').catch((e) => {
    assert.equal(e.status, 404);
    assert.equal(typeof e.requestId, 'string');
  });
  await rejectsCode(client(readOnly, 'wrong-key-wrong-key-wrong').accounts(), 'AUTH');
  await rejectsCode(c.account(' '), 'INVALID_INPUT');
  const broken = new opcorp.Client({ baseUrl: 'http://127.0.0.1:9', transport: () => { throw new Error('offline'); } });
  await rejectsCode(broken.accounts(), 'NETWORK');
  const html = new opcorp.Client({
    baseUrl: 'http://127.0.0.1:9',
    transport: async () => ({ status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>' }),
  });
  await rejectsCode(html.accounts(), 'DECODE');
  assert.throws(() => new opcorp.Client({ baseUrl: 'ftp://x', transport: fetchTransport }), (e) => e.code === 'CONFIG');
  assert.throws(() => new opcorp.Client({ baseUrl: 'http://x' }), (e) => e.code === 'CONFIG');
});

const payment = (debtorIban, amount, extra = {}) => ({
  debtor: { name: 'Vuokra Oy', iban: debtorIban },
  creditor: { name: 'Matti Meikäläinen', iban: 'FI2112345600000785' },
  instructedAmount: { amount, currency: 'EUR' },
  reference: '1232',
  ...extra,
});

test('payments: refused by a read-only gateway, limited and signed by a paying one', async () => {
  const [account] = await client(readOnly).accounts();
  await rejectsCode(client(readOnly).sepaPayment(payment(account.iban, '10.00')), 'FORBIDDEN');
  const c = client(paying);
  await rejectsCode(c.sepaPayment(payment(account.iban, '200.01')), 'FORBIDDEN');
  await rejectsCode(c.sepaPayment(payment(account.iban, '-1.00')), 'INVALID_INPUT');
  const paid = await c.sepaPayment(payment(account.iban, '150.00', { instructionId: 'wasmpay1' }));
  assert.equal(paid.amount, '150.00');
  const again = await c.sepaPayment(payment(account.iban, '150.00', { instructionId: 'wasmpay1' }));
  assert.equal(again.archiveId, paid.archiveId, 'a resend is de-duplicated, not paid twice');
  await rejectsCode(c.sepaPayment(payment(account.iban, '160.00')), 'FORBIDDEN');
  const ledger = await emu.admin('GET', '/admin/ledger');
  assert.equal(ledger.length, 1, JSON.stringify(ledger));
  assert.ok(!paying.audit().includes(GATEWAY_KEY), 'the audit log never shows the key');
  assert.ok(!paying.audit().includes(emu.env.OPCORP_CLIENT_SECRET));
});

test('Verification of Payee through the gateway, decoded by core', async () => {
  const c = client(readOnly);
  const close = await c.verifyPayee('FI51 1000 3500 0123 45', 'Kone & Tero Oy');
  assert.equal(close.outcome, 'CMTC');
  assert.equal(close.matchedName, 'Kone & Terä Oy');
  assert.ok(close.requestId.length >= 32);
  const exact = await c.verifyPayee('FI5110003500012345', 'Kone & Terä Oy');
  assert.equal(exact.outcome, 'MTCH');
  assert.equal(exact.matchedName, null);
  await rejectsCode(c.verifyPayee('FI00', 'x'), 'INVALID_INPUT');
  await rejectsCode(c.verifyPayee('FI5110003500012345', '   '), 'INVALID_INPUT');
});
