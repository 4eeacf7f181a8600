// CommonJS consumer of the installed `opcorp` npm package: toolkit, spreadsheets, emulator.
const assert = require('node:assert/strict')
const opcorp = require('opcorp')

async function main() {
  assert.equal(opcorp.referenceGenerate('123'), '1232')
  const client = opcorp.Client.fromEnv()
  const accounts = await client.accounts()
  assert.ok(accounts.length > 0)
  const xlsx = opcorp.reconcileToXlsx([{ id: 'A', reference: '1232', amount: '1.00', currency: 'EUR' }], [])
  assert.equal(xlsx.subarray(0, 2).toString(), 'PK')
  console.log(`cjs ok: opcorp ${opcorp.version}, ${accounts.length} accounts`)
}
main().catch((e) => { console.error(e); process.exit(1) })
