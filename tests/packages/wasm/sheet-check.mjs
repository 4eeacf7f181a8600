// opcorp-wasm-sheet installed from its tarball, imported from Node (ESM) next to opcorp-wasm:
// a transactions workbook from a couple of transactions, open items read from an invoice
// workbook (tests/vectors/invoices.xlsx) and reconciled, the report written as a workbook.
import { readFileSync } from 'node:fs';
import * as sheet from 'opcorp-wasm-sheet';
import * as opcorp from 'opcorp-wasm';

const check = (cond, what) => { if (!cond) throw new Error(what); };
const isXlsx = (b) => b instanceof Uint8Array && b[0] === 0x50 && b[1] === 0x4b; // "PK"

const transactions = opcorp.parseOpJson('transactions', JSON.stringify([
  { amount: '100.00', objectId: 'o-1', archiveId: '20260301000000000001', timestamp: 1, bookingDate: '2026-03-01', reference: '00001232' },
  { amount: '-15.00', objectId: 'o-2', archiveId: '20260302000000000002', timestamp: 2, bookingDate: '2026-03-02', creditorName: 'Oy' },
]));
const workbook = sheet.transactionsXlsx(transactions);
check(isXlsx(workbook), 'transactionsXlsx returns .xlsx bytes');
// Read back by the package's own reader: a workbook whose header has no invoice columns.
try { sheet.readInvoices(workbook); check(false, 'no id column'); } catch (e) {
  check(e.code === 'INVALID_INPUT' && /no "id" column \(found: booked, value date, amount/.test(e.message), e.message);
}

const items = sheet.readInvoices(readFileSync('invoices.xlsx'));
check(items.length === 3 && items[0].id === 'INV-1' && items[0].dueDate === '2026-03-01', JSON.stringify(items));
const payments = transactions.map((t) => opcorp.paymentFromTransaction(t));
check(opcorp.reconcile(items, payments).items[0].status === 'paid', 'INV-1 paid');
check(isXlsx(sheet.reconcileXlsx(items, payments)), 'reconcileXlsx returns .xlsx bytes');
try { sheet.readInvoices(new Uint8Array()); check(false, 'empty bytes'); } catch (e) {
  check(e.code === 'INVALID_INPUT', e.message);
}
console.log(`opcorp-wasm-sheet from Node ok: ${workbook.length}-byte workbook, ${items.length} invoices`);
