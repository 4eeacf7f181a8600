// opcorp-wasm-sheet through the built package (wasm-sheet/pkg/node), every workbook read back
// with an independent reader, exceljs (npm, pinned in package-lock.json): cell types, values
// and number formats exactly. Inputs come from the shared vectors (tests/vectors) and from the
// main package itself (its parsed OP JSON, its client over the gateway), so the shapes the two
// packages exchange are the real ones. Run by wasm/test.sh, after it built both packages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import ExcelJS from 'exceljs';
import sheet from 'opcorp-wasm-sheet';
import { load, camel } from '../../wasm/tests/vectors.mjs';
import { startEmulator, startGateway, fetchTransport, GATEWAY_KEY } from '../../wasm/tests/harness.mjs';

// The main package as wasm/test.sh built it, to feed this one what it really yields.
const opcorp = createRequire(import.meta.url)('../../wasm/pkg/node/opcorp_wasm.js');
const V = load('reconcile.json');
const VECTORS = new URL('../../tests/vectors/', import.meta.url);
const { ValueType } = ExcelJS;
const MONEY = '#,##0.00';
const DATE = 'yyyy-mm-dd';

/** The workbook exceljs reads from these bytes. */
async function workbook(bytes) {
  assert.ok(bytes instanceof Uint8Array, 'bytes out');
  assert.equal(String.fromCharCode(bytes[0], bytes[1]), 'PK', 'a zip (.xlsx) file');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes);
  return wb;
}

/** Row `n` (1-based) as its cells' values, columns 1..`width`. */
const values = (ws, n, width) => Array.from({ length: width }, (_, i) => ws.getRow(n).getCell(i + 1).value);

/** A text cell: a string with the text format (so Excel never turns it into a number). */
function assertText(cell, text) {
  if (text === '' || text === null) {
    assert.equal(cell.type, ValueType.Null, `${cell.address} is blank`);
  } else {
    assert.equal(cell.type, ValueType.String, `${cell.address} is text`);
    assert.equal(cell.value, text, cell.address);
  }
  assert.equal(cell.numFmt, '@', `${cell.address} has the text format`);
}

/** An amount: a number with the two-decimal money format. */
function assertMoney(cell, amount) {
  assert.equal(cell.type, ValueType.Number, `${cell.address} is a number`);
  assert.equal(cell.value, Number(amount), cell.address);
  assert.equal(cell.numFmt, MONEY, `${cell.address} has the money format`);
}

/** A date: a date cell (exceljs gives UTC midnight) with the ISO date format, or a blank. */
function assertDate(cell, iso) {
  if (iso === null || iso === undefined) {
    assert.equal(cell.type, ValueType.Null, `${cell.address} is blank`);
  } else {
    assert.equal(cell.type, ValueType.Date, `${cell.address} is a date`);
    assert.equal(cell.value.toISOString(), `${iso}T00:00:00.000Z`, cell.address);
  }
  assert.equal(cell.numFmt, DATE, `${cell.address} has the date format`);
}

/** Asserts `fn()` throws an opcorp error with `code` whose message matches `pattern`. */
function assertThrowsCode(fn, code, pattern) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof Error, 'an Error, not a trap');
    assert.equal(e.name, 'OpcorpError');
    assert.equal(e.code, code, e.message);
    assert.equal(e.retryable, false);
    if (pattern) assert.match(e.message, pattern);
    return true;
  });
}

const TX_HEADER = ['booked', 'value date', 'amount', 'currency', 'reference', 'counterparty',
  'counterparty account', 'message', 'archive id', 'end-to-end id'];

// OP's JSON as the bank sends it: a 20-digit archive id as a bare number (parsed losslessly
// by the main package), a reference with leading zeros, a debit whose counterparty is the
// creditor.
const OP_JSON = `[
  {"amount": 1234.5, "objectId": "o-1", "archiveId": 20260301123456789012, "timestamp": 1767999600000000,
   "bookingDate": "2026-03-01", "valueDate": "2026-03-02", "reference": "00000000000000001232", "currency": "EUR",
   "debtorName": "Oy Asiakas Ab", "debtorAccount": "FI4950009420028730", "message": "Lasku 1232",
   "endToEndId": "E2E-0001"},
  {"amount": "-15.00", "objectId": "o-2", "archiveId": "00012345678901234567", "timestamp": 1767999600000000,
   "bookingDate": "2026-03-03", "rfReference": "RF18539007547034",
   "creditorName": "Toimittaja Oy", "creditorAccount": "FI2112345600000785", "debtorName": "Me"}
]`;

test('transactionsXlsx: one typed row per transaction, as opcorp-wasm parses OP JSON', async () => {
  const transactions = opcorp.parseOpJson('transactions', OP_JSON);
  const wb = await workbook(sheet.transactionsXlsx(transactions));
  assert.deepEqual(wb.worksheets.map((w) => w.name), ['Transactions']);
  const ws = wb.getWorksheet('Transactions');
  assert.equal(ws.rowCount, 3, 'header + 2 rows');
  assert.deepEqual(values(ws, 1, 10), TX_HEADER);
  assert.ok(ws.getCell('A1').font?.bold, 'bold header');
  assert.equal(ws.views[0]?.state, 'frozen', 'the header row is frozen');
  assert.equal(ws.views[0]?.ySplit, 1);
  assert.ok(ws.autoFilter, 'autofilter');

  // Booked, value date, amount, then the text cells (currency EUR when OP sends none; a
  // debit's counterparty is the creditor).
  const expected = [
    ['2026-03-01', '2026-03-02', '1234.50', 'EUR', '00000000000000001232', 'Oy Asiakas Ab',
      'FI4950009420028730', 'Lasku 1232', '20260301123456789012', 'E2E-0001'],
    ['2026-03-03', null, '-15.00', 'EUR', 'RF18539007547034', 'Toimittaja Oy',
      'FI2112345600000785', '', '00012345678901234567', ''],
  ];
  expected.forEach(([booked, valueDate, amount, ...texts], n) => {
    const row = ws.getRow(n + 2);
    assertDate(row.getCell(1), booked);
    assertDate(row.getCell(2), valueDate);
    assertMoney(row.getCell(3), amount);
    texts.forEach((text, i) => assertText(row.getCell(i + 4), text));
  });
});

test('transactionsXlsx: the shared vectors transactions, and an empty list', async () => {
  for (const c of V.transaction_cases) {
    const ws = (await workbook(sheet.transactionsXlsx(c.transactions))).getWorksheet('Transactions');
    assert.equal(ws.rowCount, c.transactions.length + 1, c.name);
    c.transactions.forEach((t, i) => {
      const row = ws.getRow(i + 2);
      assertDate(row.getCell(1), t.bookingDate);
      assertMoney(row.getCell(3), t.amount);
      assertText(row.getCell(5), t.reference || t.rfReference || ''); // core's any_reference
      assertText(row.getCell(9), t.archiveId);
    });
  }
  const ws = (await workbook(sheet.transactionsXlsx([]))).getWorksheet('Transactions');
  assert.equal(ws.rowCount, 1, 'just the header');
  assert.deepEqual(values(ws, 1, 10), TX_HEADER);
});

const OUTCOME_SHEETS = {
  paid: 'Paid', partially_paid: 'Partially paid', overpaid: 'Overpaid', paid_twice: 'Paid twice',
  unpaid: 'Unpaid', ambiguous_reference: 'Ambiguous reference',
};
const ITEM_HEADER = ['invoice', 'reference', 'amount', 'currency', 'due', 'received', 'difference', 'status', 'payments'];

test('reconcileXlsx: summary, one sheet per outcome and the unmatched payments, as the report says', async () => {
  for (const c of V.cases) {
    const items = camel(c.items);
    const payments = camel(c.payments);
    const report = camel(c.report);
    assert.deepEqual(opcorp.reconcile(items, payments), report, 'the main package agrees with the vector');
    const wb = await workbook(sheet.reconcileXlsx(items, payments));
    assert.deepEqual(wb.worksheets.map((w) => w.name),
      ['Summary', ...Object.values(OUTCOME_SHEETS), 'Unmatched payments'], c.name);

    const summary = wb.getWorksheet('Summary');
    assert.deepEqual(values(summary, 1, 2), ['outcome', 'count']);
    const t = report.totals;
    const counts = [['Paid', t.paid], ['Partially paid', t.partiallyPaid], ['Overpaid', t.overpaid],
      ['Paid twice', t.paidTwice], ['Unpaid', t.unpaid], ['Ambiguous reference', t.ambiguous],
      ['Invoices', t.items], ['Payments', t.payments], ['Matched payments', t.matchedPayments],
      ['Unmatched payments', t.unmatchedPayments], ['Duplicate payments', t.duplicatePayments]];
    counts.forEach((pair, i) => assert.deepEqual(values(summary, i + 2, 2), pair, `${c.name}: summary ${pair[0]}`));
    const top = counts.length + 3;
    assert.deepEqual(values(summary, top, 6), ['currency', 'billed', 'received', 'outstanding', 'excess', 'unmatched']);
    Object.entries(t.byCurrency).forEach(([currency, m], i) => {
      const row = summary.getRow(top + 1 + i);
      assertText(row.getCell(1), currency);
      [m.billed, m.received, m.outstanding, m.excess, m.unmatched].forEach((a, j) => assertMoney(row.getCell(j + 2), a));
    });

    for (const [status, name] of Object.entries(OUTCOME_SHEETS)) {
      const ws = wb.getWorksheet(name);
      const expected = report.items.filter((i) => i.status === status);
      assert.deepEqual(values(ws, 1, 9), ITEM_HEADER, name);
      assert.equal(ws.rowCount, expected.length + 1, `${c.name}: ${name} rows`);
      expected.forEach((item, n) => {
        const row = ws.getRow(n + 2);
        assertText(row.getCell(1), item.id);
        assertText(row.getCell(2), item.reference);
        assertMoney(row.getCell(3), item.amount);
        assertText(row.getCell(4), item.currency);
        assertDate(row.getCell(5), item.dueDate);
        assertMoney(row.getCell(6), item.received);
        const difference = item.remaining ? `-${item.remaining}` : item.excess;
        if (difference) assertMoney(row.getCell(7), difference);
        else assert.equal(row.getCell(7).type, ValueType.Null, `${name}: no difference`);
        assertText(row.getCell(8), status.replace('_', ' '));
        assertText(row.getCell(9), item.paymentIds.join(', '));
      });
    }

    const unmatched = wb.getWorksheet('Unmatched payments');
    assert.deepEqual(values(unmatched, 1, 8),
      ['payment', 'booked', 'amount', 'currency', 'reference', 'payer', 'why', 'did you mean']);
    assert.equal(unmatched.rowCount, report.unmatched.length + 1, `${c.name}: unmatched rows`);
    report.unmatched.forEach((u, n) => {
      const row = unmatched.getRow(n + 2);
      assertText(row.getCell(1), u.payment.id);
      assertDate(row.getCell(2), u.payment.bookingDate);
      assertMoney(row.getCell(3), u.payment.amount);
      assertText(row.getCell(4), u.payment.currency);
      assertText(row.getCell(5), u.payment.reference ?? '');
      assertText(row.getCell(6), u.payment.payerName ?? '');
      assert.equal(row.getCell(7).type, ValueType.String, 'a reason in words');
      assertText(row.getCell(8), u.didYouMean ?? '');
    });
  }
});

/** An invoice workbook written by exceljs, not by opcorp: some cells typed, some text. */
async function invoices(rows) {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Laskut');
  ws.addRow(['id', 'reference', 'amount', 'currency', 'due']);
  for (const r of rows) ws.addRow(r);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

test('readInvoices reads a workbook written by exceljs: typed and text cells', async () => {
  const bytes = await invoices([
    ['INV-1', '00001232', 100, 'EUR', new Date(Date.UTC(2026, 2, 1))],
    [2, 10016, 20.5, null, null],
    ['INV-3', 'RF18 5390 0754 7034', '50.00', 'EUR', '2026-04-01'],
  ]);
  const items = sheet.readInvoices(bytes);
  assert.deepEqual(items, [
    { id: 'INV-1', reference: '1232', amount: '100', currency: 'EUR', dueDate: '2026-03-01' },
    { id: '2', reference: '10016', amount: '20.5', currency: 'EUR', dueDate: null },
    { id: 'INV-3', reference: 'RF18539007547034', amount: '50.00', currency: 'EUR', dueDate: '2026-04-01' },
  ]);
  assert.deepEqual(sheet.readInvoices(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)), items,
    'an ArrayBuffer (what file.arrayBuffer() gives) reads the same');
  // What it returns is what opcorp-wasm's reconcile takes.
  const report = opcorp.reconcile(items, [{ id: 'p1', reference: '1232', amount: '100.00' }]);
  assert.equal(report.items[0].status, 'paid');
  // And reconcileXlsx writes it back.
  const wb = await workbook(sheet.reconcileXlsx(items, [{ id: 'p1', reference: '1232', amount: '100.00' }]));
  assert.equal(wb.getWorksheet('Paid').getCell('A2').value, 'INV-1');
});

test('readInvoices: the shared openpyxl vectors', () => {
  const read = (name) => sheet.readInvoices(readFileSync(new URL(name, VECTORS)));
  assert.deepEqual(read('invoices.xlsx'), [
    { id: 'INV-1', reference: '1232', amount: '100', currency: 'EUR', dueDate: '2026-03-01' },
    { id: '2', reference: '10016', amount: '20.5', currency: 'EUR', dueDate: null },
    { id: 'INV-3', reference: 'RF18539007547034', amount: '50.00', currency: 'EUR', dueDate: '2026-04-01' },
  ]);
  assertThrowsCode(() => read('invoices-bad-amount.xlsx'), 'INVALID_INPUT', /cell C4 \(amount\).*12,50/);
});

test('readInvoices names the cell of a bad reference or amount', async () => {
  const good = ['INV-1', '1232', '10.00', 'EUR', null];
  const badReference = await invoices([good, ['INV-2', '1233', '10.00', 'EUR', null]]);
  assertThrowsCode(() => sheet.readInvoices(badReference), 'INVALID_INPUT', /^INVALID_INPUT: cell B3 \(reference\): /);
  const badAmount = await invoices([good, good, ['INV-3', '1232', '12,50', 'EUR', null]]);
  assertThrowsCode(() => sheet.readInvoices(badAmount), 'INVALID_INPUT', /cell C4 \(amount\).*"12,50"/);
  const tooPrecise = await invoices([['INV-4', '1232', 0.1 + 0.2, 'EUR', null]]);
  assertThrowsCode(() => sheet.readInvoices(tooPrecise), 'INVALID_INPUT', /cell C2 \(amount\).*more than two decimals/);
  const noHeader = await workbook(sheet.reconcileXlsx([], []));
  assert.ok(noHeader);
  assertThrowsCode(() => sheet.readInvoices(sheet.reconcileXlsx([], [])), 'INVALID_INPUT', /no "id" column/);
});

test('bad input gets a coded error, never a trap, and the module keeps working', async () => {
  for (const bad of [undefined, null, {}, 'x', 42, () => {}]) {
    assertThrowsCode(() => sheet.transactionsXlsx(bad), 'INVALID_INPUT', /transactions must be an array/);
    assertThrowsCode(() => sheet.reconcileXlsx(bad, []), 'INVALID_INPUT', /open items must be an array/);
    assertThrowsCode(() => sheet.reconcileXlsx([], bad), 'INVALID_INPUT', /payments must be an array/);
    assertThrowsCode(() => sheet.readInvoices(bad), 'INVALID_INPUT', /Uint8Array or an ArrayBuffer/);
  }
  assertThrowsCode(() => sheet.transactionsXlsx([{ amount: 'x' }]), 'INVALID_INPUT', /transactions is not valid/);
  assertThrowsCode(() => sheet.transactionsXlsx([1n]), 'INVALID_INPUT', /cannot be converted to JSON/);
  assertThrowsCode(() => sheet.reconcileXlsx([{ id: 'A', reference: '1232', amount: '1,00' }], []), 'INVALID_INPUT',
    /open items is not valid/);
  assertThrowsCode(() => sheet.readInvoices(new Uint8Array()), 'INVALID_INPUT', /not a readable spreadsheet/);
  assertThrowsCode(() => sheet.readInvoices(new TextEncoder().encode('id,reference,amount\n')), 'INVALID_INPUT',
    /not a readable spreadsheet/);
  // A truncated workbook: a zip that ends early.
  const truncated = sheet.transactionsXlsx([]).subarray(0, 200);
  assertThrowsCode(() => sheet.readInvoices(truncated), 'INVALID_INPUT', /not a readable spreadsheet/);
  // After every error the instance is intact (a trap would have left it unusable).
  assert.equal(sheet.readInvoices(await invoices([['A', '1232', '1.00', 'EUR', null]])).length, 1);
  assert.deepEqual(sheet.errorCodes(), opcorp.errorCodes(), 'the same codes as opcorp-wasm');
});

// The real thing: the main package's client walks the emulator's transactions through
// `opcorp gateway`, and what it yields goes straight into a workbook.
let emu;
let gateway;
before(async () => {
  emu = await startEmulator();
  gateway = await startGateway(emu);
});
after(() => {
  gateway?.stop();
  emu?.stop();
});

test('transactionsXlsx takes what client.transactions() yields', async () => {
  const client = new opcorp.Client({
    baseUrl: gateway.url, headers: { authorization: `Bearer ${GATEWAY_KEY}` }, transport: fetchTransport,
  });
  const [account] = await client.accounts();
  const transactions = [];
  for await (const t of client.transactions(account.surrogateId)) transactions.push(t);
  assert.ok(transactions.length > 0);
  const ws = (await workbook(sheet.transactionsXlsx(transactions))).getWorksheet('Transactions');
  assert.equal(ws.rowCount, transactions.length + 1);
  transactions.forEach((t, i) => {
    const row = ws.getRow(i + 2);
    assertDate(row.getCell(1), t.bookingDate);
    assertMoney(row.getCell(3), t.amount);
    assertText(row.getCell(9), t.archiveId);
  });
});
