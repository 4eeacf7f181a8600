// ESM consumer of the installed `opcorp` npm package.
import assert from 'node:assert/strict'
import { Client, ibanNormalize, version } from 'opcorp'

assert.equal(ibanNormalize('fi49 5000 9420 0287 30'), 'FI4950009420028730')
const client = Client.fromEnv()
const [account] = await client.accounts()
let count = 0
for await (const t of client.transactions(account.surrogateId)) count += t.amount ? 1 : 0
assert.ok(count > 0)
console.log(`esm ok: opcorp ${version}, ${count} transactions`)
