// examples/browser in headless Debian Chromium: the page validates a reference with
// opcorp-wasm and asks `opcorp gateway` (→ emulator) whether it has been paid.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import opcorp from 'opcorp-wasm';
import { startEmulator, startGateway, GATEWAY_KEY } from './harness.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SERVED = ['examples/browser/', 'wasm/pkg/web/'];
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };

let emu;
let gateway;
let site;
let siteUrl;
let browser;

/** A static server for the page and the web build only, on 127.0.0.1. */
function serveSite() {
  return new Promise((resolve) => {
    const server = createServer(async (req, res) => {
      let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^\/+/, '');
      if (path.endsWith('/') || path === '') path += 'index.html';
      if (!SERVED.some((prefix) => path.startsWith(prefix))) {
        res.writeHead(404).end();
        return;
      }
      try {
        const body = await readFile(join(root, path));
        res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(body);
      } catch {
        res.writeHead(404).end();
      }
    });
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

before(async () => {
  emu = await startEmulator();
  site = await serveSite();
  siteUrl = `http://127.0.0.1:${site.address().port}`;
  gateway = await startGateway(emu, ['--allow-origin', siteUrl]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  await browser?.close();
  site?.close();
  gateway?.stop();
  emu?.stop();
});

/** Opens the page, fills the form and returns the answer text and its class. */
async function ask(reference) {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(`${siteUrl}/examples/browser/`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
    await page.fill('#gateway', gateway.url);
    await page.fill('#key', GATEWAY_KEY);
    await page.fill('#reference', reference);
    await page.click('#submit');
    await page.waitForSelector('#answer.paid, #answer.unpaid, #answer.invalid, #answer.error', { timeout: 15000 });
    const answer = await page.$eval('#answer', (el) => ({ kind: el.className, text: el.textContent }));
    assert.deepEqual(errors, [], 'no uncaught page errors');
    return answer;
  } finally {
    await page.close();
  }
}

test('a paid invoice is reported as paid with the amount', async () => {
  const accounts = await emu.admin('GET', '/admin/accounts');
  const iban = (accounts[0]?.iban) ?? accounts.accounts?.[0]?.iban;
  assert.ok(iban, JSON.stringify(accounts));
  const reference = opcorp.referenceGenerate('20261124777');
  await emu.admin('POST', '/admin/incoming', { accountIban: iban, amount: '89.90', reference, debtorName: 'Kuluttaja Anna' });
  const answer = await ask(opcorp.parseReference(reference).grouped);
  assert.equal(answer.kind, 'paid', answer.text);
  assert.match(answer.text, /89\.90 EUR/);
  assert.match(answer.text, /Kuluttaja Anna/);
});

test('an unpaid invoice and an invalid reference are told apart', async () => {
  const unpaid = await ask(opcorp.referenceGenerate('99990001'));
  assert.equal(unpaid.kind, 'unpaid', unpaid.text);
  const invalid = await ask('1233');
  assert.equal(invalid.kind, 'invalid', invalid.text);
  assert.match(invalid.text, /check digit/);
});

test('the gateway refuses the page without the right key', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(`${siteUrl}/examples/browser/`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.fill('#gateway', gateway.url);
    await page.fill('#key', 'not-the-key-not-the-key');
    await page.fill('#reference', '1232');
    await page.click('#submit');
    await page.waitForSelector('#answer.error');
    assert.match(await page.textContent('#answer'), /\(AUTH\)/);
  } finally {
    await page.close();
  }
});
