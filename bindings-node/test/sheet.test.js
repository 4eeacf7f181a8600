'use strict'
// Spreadsheets: open items read from workbooks written by openpyxl (tests/vectors), the
// reconciliation and transactions workbooks written and read back through the same core
// reader's zip/XML parsing. The Python suite checks every cell type with openpyxl.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const opcorp = require('..')
const { Emulator, ROOT } = require('./emulator.js')

const vectors = path.join(ROOT, 'tests', 'vectors')
let emu

before(async () => {
  emu = await Emulator.start()
})
after(async () => {
  await emu.stop()
})

test('readInvoices reads an openpyxl workbook from a path or bytes', () => {
  const file = path.join(vectors, 'invoices.xlsx')
  const items = opcorp.readInvoices(file)
  assert.deepEqual(opcorp.readInvoices(fs.readFileSync(file)), items)
  assert.deepEqual(items, [
    { id: 'INV-1', reference: '1232', amount: '100', currency: 'EUR', dueDate: '2026-03-01' },
    { id: '2', reference: '10016', amount: '20.5', currency: 'EUR', dueDate: null },
    { id: 'INV-3', reference: 'RF18539007547034', amount: '50.00', currency: 'EUR', dueDate: '2026-04-01' },
  ])
})

test('a bad amount names its cell', () => {
  assert.throws(() => opcorp.readInvoices(path.join(vectors, 'invoices-bad-amount.xlsx')), (e) => {
    assert.equal(e.code, 'INVALID_INPUT')
    assert.match(e.message, /cell C4 \(amount\).*12,50/)
    return true
  })
  assert.throws(() => opcorp.readInvoices(Buffer.from('not a workbook')), { code: 'INVALID_INPUT' })
})

test('reconcileToXlsx writes a workbook, saved to a path when given', () => {
  const items = opcorp.readInvoices(path.join(vectors, 'invoices.xlsx'))
  const payments = [{ id: '20260301000000000001', reference: '1232', amount: '100.00' }]
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opcorp-xlsx-'))
  const file = path.join(dir, 'report.xlsx')
  const bytes = opcorp.reconcileToXlsx(items, payments, file)
  assert.ok(Buffer.isBuffer(bytes))
  assert.equal(bytes.subarray(0, 2).toString(), 'PK')
  assert.deepEqual(fs.readFileSync(file), bytes)
  // The first sheet is the summary, whose header has no invoice columns.
  assert.throws(() => opcorp.readInvoices(bytes), /no "id" column/)
  fs.rmSync(dir, { recursive: true })
})

test('transactionsToXlsx takes what client.transactions() yields', async () => {
  const client = new opcorp.Client(emu.clientOptions())
  const [account] = await client.accounts()
  const transactions = []
  for await (const t of client.transactions(account.surrogateId)) transactions.push(t)
  assert.ok(transactions.length > 0)
  const bytes = opcorp.transactionsToXlsx(transactions)
  assert.equal(bytes.subarray(0, 2).toString(), 'PK')
  assert.throws(() => opcorp.transactionsToXlsx([{ amount: 'x' }]), { code: 'INVALID_INPUT' })
})
