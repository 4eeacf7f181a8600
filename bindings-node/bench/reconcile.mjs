// Benchmark: reconcile 1,000,000 open items against 1,000,000 payments from Node
// (`opcorp.reconcile`), read every item of the report, and compare time and peak memory
// with the Rust engine bench (core/benches/reconcile.rs) run first in the same go.
//
//   node --expose-gc bench/reconcile.mjs --rust-bench PATH [--n 1000000]
//
// PATH is the binary `cargo bench -p opcorp --no-default-features --bench reconcile --no-run`
// prints. Needs a release build of the binding (`npm run build`).
//
// Data: the Rust bench's rules, as bindings-python/bench/reconcile_1m.py builds them: item i
// is `INV-{i:08}` with the Finnish reference generated from `1000 + i` and
// `1000 + i * 7919 % 500000` cents; payment i pays item `i % n` (every 100th pays `i - 30`
// again) in the written form and amount its `i % 100` selects.
//
// The job, three ways, each with VmHWM reset (/proc/self/clear_refs) after a full collection
// just before it, and each outcome checked against the Rust bench's (the run fails if one
// differs):
// 1. `opcorp.reconcileReport` of two generators, then every item's `status` and `received`
//    through `report.columns()`: its peak memory is the goal's figure (the inputs are never
//    all held, as the Rust bench generates its payments lazily).
// 2. The same on both inputs as arrays made before the clock (garbage-collected first):
//    its wall and CPU time (`process.cpuUsage`, every thread) are the goal's figures,
//    without the inputs' making in them, as the Rust bench times its work without its data
//    generation.
// 3. `opcorp.reconcile` of the same arrays and a loop over `report.items`: the plain way, a
//    row of its own (its peak includes the input arrays, whose RSS is printed beside it).
//
// Prints the figures and three `BENCH_RESULT {json}` lines (for scripts/bench): the Rust
// bench of the same run, `node` (ways 1 and 2) and `node-arrays` (way 3).
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const opcorp = require('../index.js')

function arg(name, fallback) {
  const at = process.argv.indexOf(name)
  return at > 0 ? process.argv[at + 1] : fallback
}

const n = Number(arg('--n', process.env.RECONCILE_N ?? '1000000'))
const rustBench = arg('--rust-bench')
if (!rustBench) throw new Error('--rust-bench PATH is required (cargo bench ... --no-run prints it)')

const cents = (item) => 1000 + ((item * 7919) % 500000)
const money = (value) => {
  const sign = value < 0 ? '-' : ''
  const v = Math.abs(value)
  return `${sign}${Math.floor(v / 100)}.${String(v % 100).padStart(2, '0')}`
}
const reference = (i) => opcorp.referenceGenerate(String(1000 + i))

function item(i) {
  return { id: `INV-${String(i).padStart(8, '0')}`, reference: reference(i), amount: money(cents(i)), currency: 'EUR' }
}

function payment(i) {
  const target = i % 100 === 99 ? (((i - 30) % n) + n) % n : i % n
  const r = reference(target)
  const c = i % 100
  let amount = cents(target)
  let written
  if (c <= 59 || c === 99) written = r.padStart(20, '0')
  else if (c <= 74) written = r
  else if (c <= 84) written = opcorp.rfFromFinnish(r)
  else if (c <= 89) [written, amount] = [opcorp.referenceGrouped(r), Math.floor(amount / 2)]
  else if (c <= 93) [written, amount] = [r.padStart(20, '0'), amount + 500]
  else if (c <= 95) written = null
  else if (c === 96) written = r + '1'
  else if (c === 97) [written, amount] = [reference(n + i), 1234]
  else [written, amount] = [r, -amount]
  return {
    id: `2025011559${String(i).padStart(10, '0')}`,
    reference: written,
    amount: money(amount),
    currency: 'EUR',
    payerName: 'Maksaja Oy',
  }
}

function statusKib(field) {
  const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(`${field}:`))
  return Number(line.split(/\s+/)[1])
}

const cpuSeconds = (used) => (used.user + used.system) / 1e6

function rustFigures() {
  const out = execFileSync(rustBench, [], { env: { ...process.env, RECONCILE_N: String(n) }, encoding: 'utf8' })
  const line = out.split('\n').filter((l) => l.startsWith('BENCH_RESULT ')).pop()
  if (!line) throw new Error('the Rust reconcile bench printed no BENCH_RESULT line')
  const text = out
    .split('\n')
    .filter((l) => !l.startsWith('BENCH_RESULT '))
    .join('\n')
  return { result: JSON.parse(line.slice('BENCH_RESULT '.length)), text }
}

const rust = rustFigures()
console.log('Rust bench, same run:')
console.log(rust.text.trimEnd())

let reset = true
/** Resets VmHWM to the current RSS, after a full collection. */
function resetPeak() {
  globalThis.gc?.()
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5')
  } catch {
    reset = false
  }
}

/** Counts each status and the items that received anything. */
function tally(statusOf, receivedOf, count) {
  const statuses = {}
  let received = 0
  for (let i = 0; i < count; i++) {
    const status = statusOf(i)
    statuses[status] = (statuses[status] ?? 0) + 1
    const r = receivedOf(i)
    if (r !== '0' && r !== '0.00') received += 1
  }
  return { statuses, received }
}

function* itemStream() {
  for (let i = 0; i < n; i++) yield item(i)
}
function* paymentStream() {
  for (let i = 0; i < n; i++) yield payment(i)
}

// 1. Memory: generators in (the inputs are never all held), `reconcileReport`, every item's
// status and received read by `columns()`, VmHWM reset before. Its wall time includes making
// the inputs, so it is printed, not compared: making them alone in a separate pass took
// 1.2-2.0 s between runs, and inside the job it costs more (its garbage, its cache misses).
resetPeak()
let t0 = performance.now()
const streamed = opcorp.reconcileReport(itemStream(), paymentStream())
const streamColumns = streamed.columns(['status', 'received'])
const streamTally = tally((i) => streamColumns.status[i], (i) => streamColumns.received[i], streamed.length)
const streamWall = (performance.now() - t0) / 1000
const streamPeak = statusKib('VmHWM') / 1024
const streamTotals = streamed.totals

// 2. Time: the same job on inputs made before the clock, as arrays (`reconcileReport` reads
// an array in the same chunks as a generator), so making them is not in the time.
const items = Array.from({ length: n }, (_, i) => item(i))
const payments = Array.from({ length: n }, (_, i) => payment(i))
globalThis.gc?.()
const inputsMib = statusKib('VmRSS') / 1024
resetPeak()
t0 = performance.now()
let c0 = process.cpuUsage()
const kept = opcorp.reconcileReport(items, payments)
const keptReconciled = performance.now()
const columns = kept.columns(['status', 'received'])
const keptTally = tally((i) => columns.status[i], (i) => columns.received[i], kept.length)
const keptEnd = performance.now()
const keptCpu = cpuSeconds(process.cpuUsage(c0))
const keptPeak = statusKib('VmHWM') / 1024
const keptSeconds = (keptEnd - t0) / 1000

// 3. The plain way: the same arrays, `reconcile`, and a loop over `report.items`.
resetPeak()
const start = performance.now()
const cpu = process.cpuUsage()
const report = opcorp.reconcile(items, payments)
const reconciled = performance.now()
const arrayTally = tally((i) => report.items[i].status, (i) => report.items[i].received, report.items.length)
const end = performance.now()
const arraysCpu = cpuSeconds(process.cpuUsage(cpu))
const peakMib = statusKib('VmHWM') / 1024

function outcomeOf(t, { statuses }) {
  return {
    matched: t.matchedPayments,
    unmatched: t.unmatchedPayments,
    duplicates: t.duplicatePayments,
    paid: statuses.paid ?? 0,
    partially_paid: statuses.partially_paid ?? 0,
    overpaid: statuses.overpaid ?? 0,
    paid_twice: statuses.paid_twice ?? 0,
    unpaid: statuses.unpaid ?? 0,
    ambiguous: statuses.ambiguous_reference ?? 0,
  }
}
const rustOutcome = rust.result.outcome
const agrees = (outcome, { received }) =>
  Object.keys(rustOutcome).every((k) => rustOutcome[k] === outcome[k]) && received === n - outcome.unpaid
const streamOutcome = outcomeOf(streamTotals, streamTally)
const keptOutcome = outcomeOf(kept.totals, keptTally)
const outcome = outcomeOf(report.totals, arrayTally)
const agree = agrees(streamOutcome, streamTally) && agrees(keptOutcome, keptTally) && agrees(outcome, arrayTally)
const seconds = (end - start) / 1000
const rustValues = rust.result.values
const resetNote = reset ? ', reset before the job' : ' (could not reset: whole run)'
const ratio = (value, rust) => `${(value / rust).toFixed(2)}x`
console.log(`Node, reconcile ${n} open items against ${n} payments (release addon):`)
console.log(`  reconcileReport, every item's status and received read by columns():`)
console.log(`    generators in: peak (VmHWM) ${streamPeak.toFixed(0)} MiB${resetNote} (${ratio(streamPeak, rustValues.peak_mib)}); ` +
  `wall ${streamWall.toFixed(3)} s with making the inputs`)
console.log(`    arrays in (made before the clock, ${inputsMib.toFixed(0)} MiB RSS with them):`)
console.log(`      reconcileReport           ${((keptReconciled - t0) / 1000).toFixed(3)} s`)
console.log(`      read every item           ${((keptEnd - keptReconciled) / 1000).toFixed(3)} s (two columns)`)
console.log(`      whole job                 ${keptSeconds.toFixed(3)} s (CPU ${keptCpu.toFixed(2)} s): ` +
  `time ${ratio(keptSeconds, rustValues.seconds)} (CPU ${ratio(keptCpu, rustValues.cpu_seconds)})`)
console.log(`      peak (VmHWM)              ${keptPeak.toFixed(0)} MiB with the input arrays`)
console.log(`  reconcile, the same arrays, report.items:`)
console.log(`    opcorp.reconcile            ${((reconciled - start) / 1000).toFixed(3)} s`)
console.log(`    read every item             ${((end - reconciled) / 1000).toFixed(3)} s (status and received of each)`)
console.log(`    whole job                   ${seconds.toFixed(3)} s (CPU ${arraysCpu.toFixed(2)} s): ` +
  `time ${ratio(seconds, rustValues.seconds)} (CPU ${ratio(arraysCpu, rustValues.cpu_seconds)})`)
console.log(`    peak (VmHWM)                ${peakMib.toFixed(0)} MiB with the input arrays (${ratio(peakMib, rustValues.peak_mib)})`)
console.log(`  outcome: ${JSON.stringify(outcome)} (Rust bench agrees with all three: ${agree})`)
const units = { seconds: 's', cpu_seconds: 's', peak_mib: 'MiB' }
const rustResult = { ...rust.result, bench: 'node_reconcile', name: 'node_reconcile', contender: 'rust' }
console.log('BENCH_RESULT ' + JSON.stringify(rustResult))
const result = (contender, values, units2, outcome) =>
  console.log('BENCH_RESULT ' + JSON.stringify({ bench: 'node_reconcile', name: 'node_reconcile', contender, units: { ...units, ...units2 }, values: { n, ...values }, outcome }))
result(
  'node',
  {
    seconds: keptSeconds,
    cpu_seconds: keptCpu,
    peak_mib: streamPeak,
    reconcile_seconds: (keptReconciled - t0) / 1000,
    read_seconds: (keptEnd - keptReconciled) / 1000,
    arrays_peak_mib: keptPeak,
    generators_wall_seconds: streamWall,
  },
  { reconcile_seconds: 's', read_seconds: 's', arrays_peak_mib: 'MiB', generators_wall_seconds: 's' },
  keptOutcome,
)
result(
  'node-arrays',
  {
    seconds,
    cpu_seconds: arraysCpu,
    peak_mib: peakMib,
    inputs_mib: inputsMib,
    reconcile_seconds: (reconciled - start) / 1000,
    read_seconds: (end - reconciled) / 1000,
  },
  { inputs_mib: 'MiB', reconcile_seconds: 's', read_seconds: 's' },
  outcome,
)
if (!agree) {
  console.error(`outcome differs from the Rust bench's: ${JSON.stringify(rustOutcome)}`)
  process.exit(1)
}
