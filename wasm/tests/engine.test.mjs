// The Client's request engine (core's, compiled to wasm32) against the emulator, through a
// host transport the way an edge runtime would use it: Node's https with the client
// certificate, and an OAuth token the host adds. The same retry, 401 and UNKNOWN_OUTCOME
// rules as the native client (core/tests/retries.rs, auth_flow.rs) hold here.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import opcorp from 'opcorp-wasm';
import { startEmulator, startGateway, fetchTransport, GATEWAY_KEY } from './harness.mjs';

let emu;
let gateway;
let tls;
let token;

const pem = (value) => (value.trimStart().startsWith('-----BEGIN') ? value : readFileSync(value, 'utf8'));

/** One HTTPS exchange with the emulator over mTLS. */
function exchange({ method, url, headers, body }) {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, ...tls }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body != null) req.write(body);
    req.end();
  });
}

before(async () => {
  emu = await startEmulator();
  gateway = await startGateway(emu, ['--allow-payments', '--max-payment', '200.00', '--daily-limit', '1000.00']);
  tls = { cert: pem(emu.env.OPCORP_CERT), key: pem(emu.env.OPCORP_KEY), ca: pem(emu.env.OPCORP_CA) };
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: emu.env.OPCORP_CLIENT_ID,
    client_secret: emu.env.OPCORP_CLIENT_SECRET,
  }).toString();
  const answer = await exchange({
    method: 'POST',
    url: `${emu.env.OPCORP_BASE_URL}/corporate-oidc/v1/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  assert.equal(answer.status, 200, answer.body);
  token = JSON.parse(answer.body).access_token;
});

after(() => {
  gateway?.stop();
  emu?.stop();
});

/** A client straight to the emulator; `seen` collects every attempt the engine makes. */
function direct(seen, options = {}) {
  return new opcorp.Client({
    baseUrl: emu.env.OPCORP_BASE_URL,
    headers: { authorization: `Bearer ${options.token ?? token}` },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    transport: async (request) => {
      seen.push(request);
      return exchange(request);
    },
  });
}

const fault = (rule) => emu.admin('POST', '/admin/faults', rule);
const clearFaults = () => emu.admin('DELETE', '/admin/faults');

test('reads are retried on 503 with a fresh request id per attempt', async () => {
  await fault({ route: 'accounts', kind: { type: 'status', status: 503 }, times: 2 });
  const seen = [];
  const accounts = await direct(seen).accounts();
  assert.equal(accounts.length, 3);
  assert.equal(seen.length, 3, 'two 503s, then the answer');
  const ids = seen.map((r) => r.headers['x-request-id']);
  assert.equal(new Set(ids).size, 3);
  for (const id of ids) assert.match(id, /^[0-9a-f-]{36}$/);
  await clearFaults();
});

test('429 with Retry-After is honoured, then the policy stops', async () => {
  await fault({ route: 'accounts', kind: { type: 'status', status: 429, retry_after: '0' }, times: 1 });
  const seen = [];
  await direct(seen).accounts();
  assert.equal(seen.length, 2);
  await fault({ route: 'accounts', kind: { type: 'status', status: 429, retry_after: '3600' }, times: 1 });
  const again = [];
  await assert.rejects(direct(again).accounts(), (e) => e.code === 'RATE_LIMITED' && e.status === 429);
  assert.equal(again.length, 1, 'a Retry-After beyond the cap is not waited for');
  await clearFaults();
});

test('a 401 is final without a token source: one attempt, AUTH', async () => {
  const seen = [];
  await assert.rejects(direct(seen, { token: 'not-a-token' }).accounts(), (e) => e.code === 'AUTH' && e.status === 401);
  assert.equal(seen.length, 1);
});

test('paths are core\'s: a surrogate id is percent-encoded and validated', async () => {
  const seen = [];
  await assert.rejects(direct(seen).account('a+b/c'), (e) => e.code === 'NOT_FOUND');
  assert.ok(seen[0].url.endsWith('/corporate-account-data/v1/accounts/a%2Bb%2Fc'), seen[0].url);
  await assert.rejects(direct(seen).account('  '), (e) => e.code === 'INVALID_INPUT');
  assert.equal(seen.length, 1, 'invalid input never reaches the transport');
});

test('a lost answer to a payment is UNKNOWN_OUTCOME; resolving it books once', async () => {
  const [account] = await direct([]).accounts();
  const before = (await emu.admin('GET', '/admin/ledger')).length;
  const attempts = [];
  const losing = new opcorp.Client({
    baseUrl: gateway.url,
    headers: { authorization: `Bearer ${GATEWAY_KEY}` },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    transport: async (request) => {
      attempts.push(request);
      await fetchTransport(request); // the gateway books it …
      throw new Error('connection reset'); // … and the answer is lost
    },
  });
  const payment = {
    debtor: { name: 'Vuokra Oy', iban: account.iban },
    creditor: { name: 'Matti Meikäläinen', iban: 'FI2112345600000785' },
    instructedAmount: { amount: '42.00', currency: 'EUR' },
    reference: '1232',
  };
  const error = await losing.sepaPayment(payment).then(() => null, (e) => e);
  assert.ok(error, 'the payment must not look successful');
  assert.equal(error.code, 'UNKNOWN_OUTCOME', error.message);
  assert.ok(attempts.length >= 2, 'the same bytes are resent');
  const bodies = new Set(attempts.map((r) => r.body));
  assert.equal(bodies.size, 1, 'every attempt sends the same bytes');
  const op = error.pendingOperation;
  assert.equal(op.kind, 'sepa_payment');
  assert.equal(op.body, attempts[0].body);
  const working = new opcorp.Client({
    baseUrl: gateway.url,
    headers: { authorization: `Bearer ${GATEWAY_KEY}` },
    transport: fetchTransport,
  });
  const booked = await working.resolve(op);
  assert.match(booked.archiveId, /\S/, 'the resend answers with the booked payment');
  const ledger = await emu.admin('GET', '/admin/ledger');
  assert.equal(ledger.length - before, 1, 'booked exactly once');
});

test('a refund whose answer was lost and whose resend is "Already refunded" is UNKNOWN_OUTCOME, never REJECTED', async () => {
  const [account] = await direct([]).accounts();
  const original = await emu.admin('POST', '/admin/incoming', {
    accountIban: account.iban,
    amount: '35.00',
    message: 'Palautettava',
    debtorName: 'Maksaja Oy',
    debtorIban: 'FI2112345600000785',
  });
  const today = new Date().toISOString().slice(0, 10);
  const refund = {
    archiveId: original.archiveId,
    amount: '35.00',
    message: 'Palautus',
    accountIban: account.iban,
    transactionDate: today,
  };
  const attempts = [];
  const losing = new opcorp.Client({
    baseUrl: gateway.url,
    headers: { authorization: `Bearer ${GATEWAY_KEY}` },
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    transport: async (request) => {
      attempts.push(request);
      if (attempts.length === 1) {
        await fetchTransport(request); // the bank books the refund …
        throw new Error('connection reset'); // … and the answer is lost
      }
      return fetchTransport(request); // the resend is answered "Already refunded"
    },
  });
  const error = await losing.refund(refund).then(() => null, (e) => e);
  assert.ok(error, 'the refund must not look failed-and-safe or successful');
  assert.equal(error.code, 'UNKNOWN_OUTCOME', error.message);
  assert.notEqual(error.code, 'REJECTED');
  assert.ok(attempts.length >= 2, 'the same bytes are resent');
  assert.equal(new Set(attempts.map((r) => r.body)).size, 1);
  const op = error.pendingOperation;
  assert.equal(op.kind, 'refund');
  // resolve() is a resend too: "Already refunded" keeps it unknown, never REJECTED.
  const working = new opcorp.Client({
    baseUrl: gateway.url,
    headers: { authorization: `Bearer ${GATEWAY_KEY}` },
    retry: { maxAttempts: 1 },
    transport: fetchTransport,
  });
  const again = await working.resolve(op).then(() => null, (e) => e);
  assert.ok(again, 'a resolved refund is not answered as a new booking');
  assert.equal(again.code, 'UNKNOWN_OUTCOME', again.message);
  const ledger = await emu.admin('GET', '/admin/ledger');
  assert.equal(ledger.filter((e) => e.instructionId === original.archiveId).length, 1, 'refunded exactly once');
});

test('callTimeoutMs bounds the whole call even when the transport never answers', async () => {
  assert.throws(
    () => new opcorp.Client({ baseUrl: emu.env.OPCORP_BASE_URL, callTimeoutMs: 0, transport: exchange }),
    (e) => e.code === 'CONFIG' && /call timeout must be positive/.test(e.message),
  );
  const seen = [];
  const hanging = new opcorp.Client({
    baseUrl: emu.env.OPCORP_BASE_URL,
    headers: { authorization: `Bearer ${token}` },
    callTimeoutMs: 400,
    transport: (request) => {
      seen.push(request);
      return new Promise(() => {}); // a host that ignores timeoutMs and never settles
    },
  });
  const started = performance.now();
  await assert.rejects(hanging.accounts(), (e) => e.code === 'TIMEOUT');
  const elapsed = performance.now() - started;
  assert.ok(elapsed >= 350 && elapsed < 5000, `ended after ${elapsed} ms`);
  assert.ok(seen.length >= 1 && seen[0].timeoutMs > 0 && seen[0].timeoutMs <= 400, JSON.stringify(seen[0]?.timeoutMs));

  // A transport that answers in time is not cut off, and it is told what is left.
  const timed = [];
  const answering = new opcorp.Client({
    baseUrl: emu.env.OPCORP_BASE_URL,
    headers: { authorization: `Bearer ${token}` },
    callTimeoutMs: 10_000,
    transport: async (request) => {
      timed.push(request.timeoutMs);
      return exchange(request);
    },
  });
  assert.equal((await answering.accounts()).length, 3);
  assert.ok(timed[0] > 9_000 && timed[0] <= 10_000, String(timed[0]));
});
