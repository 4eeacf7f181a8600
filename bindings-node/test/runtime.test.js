'use strict'
// Host integration: the CommonJS and ESM entry points (through the package's `exports`),
// a process that exits on its own once the user is done, and 20 worker_threads creating and
// destroying clients without crashing or hanging.

const { test, before, after } = require('node:test')
const assert = require('node:assert/strict')
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { Emulator } = require('./emulator.js')

const PACKAGE = path.resolve(__dirname, '..')
let emu
let dir
before(async () => {
  emu = await Emulator.start()
  // A project that depends on `opcorp`, so `require`/`import` resolve through `exports`.
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'opcorp-host-'))
  fs.mkdirSync(path.join(dir, 'node_modules'))
  fs.symlinkSync(PACKAGE, path.join(dir, 'node_modules', 'opcorp'), 'dir')
})
after(async () => {
  await emu.stop()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Runs `source` as a file in the host project; resolves with exit code and output. */
function run(name, source, timeoutMs = 60000) {
  const file = path.join(dir, name)
  fs.writeFileSync(file, source)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      cwd: dir,
      env: { ...process.env, OPCORP_TEST_OPTIONS: JSON.stringify(emu.clientOptions()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${name} did not exit within ${timeoutMs} ms (hang):\n${out}`))
    }, timeoutMs)
    // 'close', not 'exit': 'exit' can fire before the child's stdout has been read to the end.
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, out })
    })
  })
}

test('CommonJS require and ESM import give the same working API', async () => {
  const cjs = await run(
    'cjs.cjs',
    `const opcorp = require('opcorp')
     const { Client, referenceGenerate } = opcorp
     if (referenceGenerate('123') !== '1232') throw new Error('toolkit')
     new Client(JSON.parse(process.env.OPCORP_TEST_OPTIONS)).accounts().then((a) => console.log('cjs', a.length))`,
  )
  assert.equal(cjs.code, 0, cjs.out)
  assert.match(cjs.out, /cjs 3/)
  const esm = await run(
    'esm.mjs',
    `import opcorp, { Client, OpcorpError, ibanNormalize } from 'opcorp'
     import { createRequire } from 'node:module'
     const require = createRequire(import.meta.url)
     if (require('opcorp').Client !== Client || opcorp.Client !== Client) throw new Error('two copies')
     try { ibanNormalize('x') } catch (e) { if (!(e instanceof OpcorpError)) throw e }
     const accounts = await new Client(JSON.parse(process.env.OPCORP_TEST_OPTIONS)).accounts()
     console.log('esm', accounts.length)`,
  )
  assert.equal(esm.code, 0, esm.out)
  assert.match(esm.out, /esm 3/)
})

test('the process exits on its own after calls, an abandoned stream and a closed watcher', async () => {
  const result = await run(
    'exit.cjs',
    `const { Client } = require('opcorp')
     const started = Date.now()
     process.on('exit', (code) => console.log('exit', code, Date.now() - started))
     ;(async () => {
       const client = new Client(JSON.parse(process.env.OPCORP_TEST_OPTIONS))
       const [account] = await client.accounts()
       for await (const tx of client.transactions(account.surrogateId)) break
       const watcher = client.watch({ accounts: [account.surrogateId], pollIntervalMs: 50 })
       await new Promise((r) => setTimeout(r, 200))
       watcher.close()
       await client.mandates().catch(() => {})
       console.log('done')
     })()`,
    20000,
  )
  assert.equal(result.code, 0, result.out)
  assert.match(result.out, /done/)
  const ms = Number(/exit 0 (\d+)/.exec(result.out)[1])
  assert.ok(ms < 10000, `exited after ${ms} ms`)
})

test('20 worker_threads create and destroy clients without crashing or hanging', async () => {
  const result = await run(
    'workers.cjs',
    `const { Worker } = require('node:worker_threads')
     const opcorp = require('opcorp') // the main thread uses the addon too
     const body = \`
       const { parentPort, workerData } = require('node:worker_threads')
       const { Client } = require('opcorp')
       ;(async () => {
         let client = new Client(JSON.parse(workerData.options))
         const accounts = await client.accounts()
         if (workerData.abandon) client.mandates() // left pending when the worker ends
         client = null
         parentPort.postMessage(accounts.length)
       })()\`
     ;(async () => {
       let ok = 0
       for (let i = 0; i < 20; i++) {
         const worker = new Worker(body, { eval: true, workerData: { options: process.env.OPCORP_TEST_OPTIONS, abandon: i % 2 === 1 } })
         // Listen for 'exit' from the start: a worker may exit in the same tick as its message.
         const exited = new Promise((r) => worker.once('exit', r))
         const count = await new Promise((resolve, reject) => {
           worker.once('message', resolve)
           worker.once('error', reject)
           // Node delivers a worker's messages before its 'exit', so this rejects only when
           // the worker ended without answering (a settled promise ignores it otherwise).
           exited.then((code) => reject(new Error('worker ' + i + ' exited with ' + code + ' before answering')))
         })
         if (count !== 3) throw new Error('bad count ' + count)
         if (i % 4 === 3) await worker.terminate()
         else await exited
         ok++
       }
       const again = await new opcorp.Client(JSON.parse(process.env.OPCORP_TEST_OPTIONS)).accounts()
       console.log('workers ok', ok, again.length)
     })()`,
    90000,
  )
  assert.equal(result.signal, null, result.out)
  assert.equal(result.code, 0, result.out)
  assert.match(result.out, /workers ok 20 3/)
})
