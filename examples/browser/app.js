// "Has this invoice been paid?": validates the reference locally with opcorp-wasm, then asks
// the gateway (Transaction Filter API, credits on every account over the last 30 days).
import init, { Client, parseReference } from '../../wasm/pkg/web/opcorp_wasm.js';

const $ = (id) => document.getElementById(id);
const DAY_MS = 86400000;

function show(kind, text) {
  const answer = $('answer');
  answer.className = kind;
  answer.textContent = text;
}

// The gateway URL and key come from the form, never from the page source.
function gatewayClient() {
  const key = $('key').value.trim();
  return new Client({
    baseUrl: $('gateway').value.trim(),
    headers: { authorization: `Bearer ${key}` },
    async transport(request) {
      const res = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? undefined,
      });
      return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
    },
  });
}

// OP's Transaction Filter wants whole-second UTC timestamps.
const isoSeconds = (date) => date.toISOString().replace(/\.\d+Z$/, 'Z');

async function check(event) {
  event.preventDefault();
  let reference;
  try {
    reference = parseReference($('reference').value);
  } catch (e) {
    show('invalid', `Not a valid reference number: ${e.message}`);
    return;
  }
  show('', `Asking the bank about ${reference.grouped}…`);
  try {
    const client = gatewayClient();
    const end = new Date(Date.now() + 60000);
    const start = new Date(end.getTime() - 30 * DAY_MS);
    const payments = [];
    for (const account of await client.accounts()) {
      const result = await client.filterCredit({
        accountIban: account.iban,
        startDate: isoSeconds(start),
        endDate: isoSeconds(end),
        reference: reference.value,
      });
      payments.push(...result.transactions);
    }
    if (payments.length === 0) {
      show('unpaid', `No payment with reference ${reference.grouped} in the last 30 days.`);
      return;
    }
    const lines = payments.map((p) => `${p.amount} EUR on ${p.bookingDate ?? 'an unknown date'}`
      + (p.debtorName ? ` from ${p.debtorName}` : ''));
    show('paid', `Paid: ${lines.join('; ')}.`);
  } catch (e) {
    show('error', `The bank could not be asked (${e.code ?? 'ERROR'}): ${e.message}`);
  }
}

await init();
$('check').addEventListener('submit', check);
$('submit').disabled = false;
document.body.dataset.ready = 'true';
