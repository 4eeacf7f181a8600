// Replays the shared money vectors (tests/vectors/amounts.json) through opcorp-wasm: payment
// amounts by core's strict input rule (refused before the host transport is ever called) and
// the bank's amounts read leniently but exactly, from a transport answer and parseOpJson.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import opcorp from 'opcorp-wasm';

const vectors = JSON.parse(readFileSync(new URL('../../tests/vectors/amounts.json', import.meta.url), 'utf8'));

/** A client whose transport records every request and answers with `answer(request)`. */
function recording(answer) {
  const sent = [];
  const client = new opcorp.Client({
    baseUrl: 'http://127.0.0.1:9',
    transport: async (request) => {
      sent.push(request);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: answer(request) };
    },
  });
  return { client, sent };
}

const payment = (amount) => ({
  instructionId: 'VEC1',
  debtor: { name: 'Esimerkki Oy', iban: 'FI3859991620004143' },
  creditor: { name: 'Toimittaja Oy', iban: 'FI2112345600000785' },
  instructedAmount: { amount, currency: 'EUR' },
  reference: 'RF18539007547034',
});

const paymentAnswer = (request) => JSON.stringify({
  amount: JSON.parse(request.body).instructedAmount.amount,
  status: 'PROCESSING',
  paymentType: 'SEPA_CREDIT_TRANSFER',
  archiveId: '20260105593497O10004',
  currency: 'EUR',
});

for (const c of vectors.input) {
  test(`input: ${c.name}`, async () => {
    const { client, sent } = recording(paymentAnswer);
    if (c.payment !== undefined) {
      await client.sepaPayment(payment(c.input));
      assert.equal(sent.length, 1);
      assert.equal(JSON.parse(sent[0].body).instructedAmount.amount, c.payment);
    } else {
      await assert.rejects(client.sepaPayment(payment(c.input)), (e) => {
        assert.equal(e.code, c.error, e.message);
        assert.match(e.message, /amount/);
        return true;
      });
      assert.equal(sent.length, 0, 'refused before the transport was called');
    }
  });
}

for (const c of vectors.response) {
  test(`response: ${c.name}`, async () => {
    const body = JSON.stringify([{ iban: 'FI3859991620004143', balance: c.input, currency: 'EUR', surrogateId: 'v1' }]);
    const { client } = recording(() => body);
    if (c.value !== undefined) {
      const [account] = await client.accounts();
      assert.equal(account.balance, c.value);
      assert.equal(opcorp.parseOpJson('accounts', body)[0].balance, c.value);
    } else {
      await assert.rejects(client.accounts(), (e) => e.code === c.error);
      assert.throws(() => opcorp.parseOpJson('accounts', body));
    }
  });
}
