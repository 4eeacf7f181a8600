// Benchmark: fetch and decode 100,000 transactions over mTLS from the emulator, with opcorp
// versus undici (client certificate) + JSON.parse, same certificates, same server.
//
//   node bench/transactions.mjs [--count 100000] [--runs 5]
//
// Needs a release build of the binding (`npm run build`) and of the emulator
// (`cargo build --release -p opcorp-emulator`; OPCORP_EMULATOR_BIN overrides it): a debug
// emulator would dominate every time, so the bench refuses to fall back to one. Each
// contender runs in a fresh subprocess so its peak RSS is its own; runs are interleaved
// (a, b, c, a, b, c, …) so load changes hit every contender alike; all sum every amount
// exactly (as bigint cents) and must agree on the total. Prints medians and opcorp ÷ undici,
// and one `BENCH_RESULT {json}` line per contender (medians; for scripts/bench) naming the
// executable of the running emulator process.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const HERE = path.dirname(fileURLToPath(import.meta.url))
const ROOT = path.resolve(HERE, '..', '..')

/** Exact cents of a decimal string ("-12.3" → -1230n). */
function cents(text) {
  const negative = text.startsWith('-')
  const [whole, fraction = ''] = (negative ? text.slice(1) : text).split('.')
  const value = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2))
  return negative ? -value : value
}

/** Starts a contender's clocks: wall, CPU (all threads) and event-loop utilisation. */
function clocks() {
  return { start: performance.now(), cpu: process.cpuUsage(), elu: performance.eventLoopUtilization() }
}

/** What a contender reports. */
function measure(clock, count, total) {
  const used = process.cpuUsage(clock.cpu)
  return {
    seconds: (performance.now() - clock.start) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    elu: performance.eventLoopUtilization(clock.elu).utilization,
    mainBusySeconds: performance.eventLoopUtilization(clock.elu).active / 1000,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
    count,
    total: total.toString(),
  }
}

async function runOpcorp(settings) {
  const { Client } = require(path.join(HERE, '..'))
  const client = new Client(settings.options)
  const clock = clocks()
  let count = 0
  let total = 0n
  for await (const tx of client.transactions(settings.account)) {
    total += cents(tx.amount)
    count++
  }
  return measure(clock, count, total)
}

async function runOpcorpBatches(settings) {
  const { Client } = require(path.join(HERE, '..'))
  const client = new Client(settings.options)
  const clock = clocks()
  let count = 0
  let total = 0n
  for await (const batch of client.transactionBatches(settings.account)) {
    for (const tx of batch) {
      total += cents(tx.amount)
      count++
    }
  }
  return measure(clock, count, total)
}

async function runUndici(settings) {
  const { Agent, request } = require('undici')
  const o = settings.options
  const dispatcher = new Agent({ connect: { cert: o.certificatePem, key: o.privateKeyPem, ca: o.caCertificatePem } })
  const clock = clocks()
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: o.clientId, client_secret: o.clientSecret })
  const tokenResponse = await request(`${o.baseUrl}/corporate-oidc/v1/token`, {
    method: 'POST',
    dispatcher,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'bench' },
    body: form.toString(),
  })
  const token = (await tokenResponse.body.json()).access_token
  const headers = { authorization: `Bearer ${token}`, 'x-request-id': 'bench', accept: 'application/json' }
  let anchor = 'fromTimestamp=0'
  let lastId = null
  let count = 0
  let total = 0n
  for (;;) {
    const url = `${o.baseUrl}/corporate-account-data/v3/accounts/${settings.account}/transactions?${anchor}&maxPast=0&maxFuture=1000`
    const response = await request(url, { dispatcher, headers })
    if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`)
    const page = JSON.parse(await response.body.text())
    const fresh = lastId !== null && page.length && page[0].objectId === lastId ? page.slice(1) : page
    for (const tx of fresh) {
      total += cents(tx.amount)
      count++
    }
    if (page.length < 1000) break
    lastId = page[page.length - 1].objectId
    anchor = `objectId=${encodeURIComponent(lastId)}`
  }
  await dispatcher.close()
  return measure(clock, count, total)
}

/** Runs one contender in a fresh process. */
function child(name, settings) {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [fileURLToPath(import.meta.url), '--child', name], {
      env: { ...process.env, BENCH_SETTINGS: JSON.stringify(settings) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    p.stdout.on('data', (d) => (out += d))
    p.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${name} exited ${code}`))))
  })
}

async function main() {
  const argv = process.argv.slice(2)
  if (argv[0] === '--child') {
    const settings = JSON.parse(process.env.BENCH_SETTINGS)
    const run = { opcorp: runOpcorp, 'opcorp-batches': runOpcorpBatches, undici: runUndici }[argv[1]]
    const result = await run(settings)
    process.stdout.write(JSON.stringify(result))
    return
  }
  const arg = (flag, fallback) => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) : fallback)
  const count = arg('--count', 100000)
  const runs = arg('--runs', 5)
  const target = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target')
  const given = path.resolve(process.env.OPCORP_EMULATOR_BIN || path.join(target, 'release', 'opcorp-emulator'))
  if (!fs.existsSync(given)) {
    throw new Error(`${given} is missing: cargo build --release -p opcorp-emulator`)
  }
  const emulator = fs.realpathSync(given)
  if (path.basename(path.dirname(emulator)) !== 'release') {
    throw new Error(`${emulator} is not a release build (…/release/opcorp-emulator): a debug emulator dominates every time`)
  }
  // Set before the test helper starts anything, so every contender is served by this one.
  process.env.OPCORP_EMULATOR_BIN = emulator
  const { Emulator } = require(path.join(HERE, '..', 'test', 'emulator.js'))
  const emu = await Emulator.start('--accounts-per-client', '1', '--transactions-per-account', String(count))
  try {
    const options = emu.clientOptions()
    const [account] = await emu.admin('GET', '/accounts')
    const settings = { options, account: account.surrogateId }
    const results = { opcorp: [], 'opcorp-batches': [], undici: [] }
    for (let i = 0; i < runs; i++) {
      for (const name of Object.keys(results)) results[name].push(await child(name, settings))
    }
    const totals = new Set(Object.values(results).flat().map((r) => `${r.count}/${r.total}`))
    if (totals.size !== 1) throw new Error(`contenders disagree: ${[...totals].join(', ')}`)
    const running = fs.realpathSync(`/proc/${emu.child.pid}/exe`)
    console.log(`emulator: ${running} (pid ${emu.child.pid}); ${runs} interleaved runs; ${[...totals][0]} (count/total cents)`)
    const median = (list, key) => {
      const sorted = list.map((r) => r[key]).sort((a, b) => a - b)
      const mid = sorted.length >> 1
      return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
    const med = Object.fromEntries(
      Object.entries(results).map(([name, list]) => [
        name,
        Object.fromEntries(['seconds', 'cpuSeconds', 'elu', 'mainBusySeconds', 'maxRssMiB'].map((k) => [k, median(list, k)])),
      ]),
    )
    console.log('| Contender | Wall time (median; all runs) | Transactions/s | Client CPU | Event-loop utilisation | Main thread busy | Peak RSS |')
    console.log('|---|---|---|---|---|---|---|')
    for (const [name, list] of Object.entries(results)) {
      const m = med[name]
      const all = list.map((r) => r.seconds.toFixed(2)).join(', ')
      console.log(
        `| ${name} | ${m.seconds.toFixed(2)} s (${all}) | ${Math.round(count / m.seconds).toLocaleString('en')} | ${m.cpuSeconds.toFixed(2)} s | ${m.elu.toFixed(2)} | ${m.mainBusySeconds.toFixed(2)} s | ${m.maxRssMiB.toFixed(1)} MiB |`,
      )
    }
    for (const [name, m] of Object.entries(med)) {
      const record = {
        bench: 'node_transactions',
        name: 'node_transactions',
        contender: name,
        emulator: running,
        units: { seconds: 's', cpuSeconds: 's', elu: '', mainBusySeconds: 's', maxRssMiB: 'MiB' },
        values: { count, runs, ...m },
      }
      console.log(`BENCH_RESULT ${JSON.stringify(record)}`)
    }
    const u = med.undici
    for (const name of ['opcorp', 'opcorp-batches']) {
      const m = med[name]
      console.log(
        `${name} ÷ undici (medians): wall ${(m.seconds / u.seconds).toFixed(2)}, client CPU ${(m.cpuSeconds / u.cpuSeconds).toFixed(2)}, event-loop utilisation ${(m.elu / u.elu).toFixed(2)}, main thread busy ${(m.mainBusySeconds / u.mainBusySeconds).toFixed(2)}`,
      )
    }
  } finally {
    await emu.stop()
  }
}

await main()
