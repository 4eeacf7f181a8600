'use strict'
// Runs examples/node/ against the emulator, as a user would: copied into a project whose
// node_modules/opcorp is this package, configured through the OPCORP_* variables.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawn, execFile } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const readline = require('node:readline')
const { Emulator, ROOT } = require('./emulator.js')

const EXAMPLES = path.join(ROOT, 'examples', 'node')
let emu
let dir
let env
before(async () => {
  emu = await Emulator.start()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opcorp-examples-'))
  fs.mkdirSync(path.join(dir, 'node_modules'))
  fs.symlinkSync(path.resolve(__dirname, '..'), path.join(dir, 'node_modules', 'opcorp'), 'dir')
  for (const file of fs.readdirSync(EXAMPLES)) fs.copyFileSync(path.join(EXAMPLES, file), path.join(dir, file))
  env = { ...process.env, ...emu.env }
})
after(async () => {
  await emu.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

test('the invoice endpoint answers paid, partially paid and unknown', async () => {
  const [account] = await emu.admin('GET', '/accounts')
  await emu.admin('POST', '/incoming', { accountIban: account.iban, amount: '40.00', reference: '1232', debtorName: 'Asiakas Oy' })
  await emu.admin('POST', '/incoming', { accountIban: account.iban, amount: '9.90', reference: '1245', debtorName: 'Toinen Oy' })
  const server = spawn(process.execPath, ['invoice-paid-server.js'], {
    cwd: dir,
    env: { ...env, PORT: '0', ACCOUNT_IBAN: account.iban },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  try {
    const line = await new Promise((resolve, reject) => {
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
      readline.createInterface({ input: server.stdout }).once('line', resolve)
    })
    const base = /listening on (\S+)/.exec(line)[1]
    const get = async (p) => {
      const r = await fetch(base + p)
      return { status: r.status, body: await r.json() }
    }
    const paid = await get('/invoices/INV-1001/paid')
    assert.equal(paid.status, 200)
    assert.equal(paid.body.paid, true)
    assert.equal(paid.body.status, 'paid')
    assert.equal(paid.body.received, '40.00')
    const partial = await get('/invoices/INV-1002/paid')
    assert.equal(partial.body.paid, false)
    assert.equal(partial.body.status, 'partially_paid')
    assert.equal((await get('/invoices/NOPE/paid')).status, 404)
  } finally {
    const exited = new Promise((r) => server.once('exit', r))
    server.kill('SIGTERM')
    await exited
  }
})

test('the refund script refunds once', async () => {
  const [account] = await emu.admin('GET', '/accounts')
  const incoming = await emu.admin('POST', '/incoming', {
    accountIban: account.iban,
    amount: '50.00',
    reference: '1258',
    debtorName: 'Asiakas Oy',
  })
  const before = (await emu.admin('GET', '/ledger')).length
  const out = await new Promise((resolve, reject) => {
    execFile(process.execPath, ['pay-refund.mjs', incoming.archiveId, '15.00'], { cwd: dir, env }, (err, stdout, stderr) =>
      err ? reject(new Error(stderr || err.message)) : resolve(stdout),
    )
  })
  const result = JSON.parse(out)
  assert.equal(result.refunded, '15.00')
  assert.equal(result.of, '50.00')
  assert.equal((await emu.admin('GET', '/ledger')).length, before + 1)
})
