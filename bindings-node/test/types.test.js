'use strict'
// The shipped TypeScript declarations type-check a sample that uses the API (`tsc --noEmit`),
// and a sample that misuses it (money as a number) is rejected, so the check can fail.

const { test } = require('node:test')
const assert = require('node:assert/strict')
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const PACKAGE = path.resolve(__dirname, '..')
const TSC = path.join(PACKAGE, 'node_modules', 'typescript', 'bin', 'tsc')
const TYPES = path.join(__dirname, 'types')

function tsc(project) {
  return spawnSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8' })
}

test('index.d.ts type-checks the sample', () => {
  const result = tsc(path.join(TYPES, 'tsconfig.json'))
  assert.equal(result.status, 0, result.stdout + result.stderr)
})

test('misuse is a type error', () => {
  const dir = fs.mkdtempSync(path.join(TYPES, 'bad-'))
  try {
    fs.writeFileSync(
      path.join(dir, 'bad.ts'),
      `import { Client } from 'opcorp'
       export async function f(c: Client): Promise<number> {
         await c.sepaPayment({ debtor: { name: 'a', iban: 'b' }, creditor: { name: 'c', iban: 'd' },
           instructedAmount: { amount: 12.5, currency: 'EUR' } })
         const [a] = await c.accounts()
         return a.balance
       }\n`,
    )
    const config = JSON.parse(fs.readFileSync(path.join(TYPES, 'tsconfig.json'), 'utf8'))
    config.compilerOptions.paths.opcorp = ['../../../index.d.ts']
    config.files = ['bad.ts']
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config))
    const result = tsc(path.join(dir, 'tsconfig.json'))
    assert.notEqual(result.status, 0)
    assert.match(result.stdout, /bad\.ts.*TS2322/s)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
})
