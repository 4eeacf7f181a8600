'use strict'
// `Client`: every core API as a Promise-returning method, transactions as an async iterator.
// The native client does the work; this layer checks argument types, turns requests into
// JSON text and parses the JSON results.

const { inspect } = require('node:util')
const native = require('../native.js')
const args = require('./args.js')
const { Outbox } = require('./outbox.js')
const { Watcher } = require('./watch.js')

/** Every option `new Client()` and `Client.fromEnv()` accept. */
const CLIENT_OPTIONS = Object.freeze([
  'baseUrl',
  'environment',
  'clientId',
  'clientSecret',
  'certificatePem',
  'certificateFile',
  'privateKeyPem',
  'privateKeyFile',
  'caCertificatePem',
  'caCertificateFile',
  'signingKeyPem',
  'signingKeyFile',
  'signingKid',
  'connectTimeoutMs',
  'readTimeoutMs',
  'totalTimeoutMs',
  'callTimeoutMs',
  'maxResponseBytes',
  'maxConnections',
  'proxy',
  'addressRules',
])
const known = new Set(CLIENT_OPTIONS)

/** Marks the `fromEnv` path of the constructor. */
const FROM_ENV = Symbol('fromEnv')

/** Checks option names (a typo must not silently drop a setting). */
function clientOptions(value) {
  const options = args.options('options', value)
  for (const key of Object.keys(options)) {
    if (!known.has(key)) {
      throw args.config(`unknown client option ${JSON.stringify(key)}; accepted: ${CLIENT_OPTIONS.join(', ')}`)
    }
  }
  return options
}

/** Transaction stream options for the native cursor. */
function transactionOptions(value) {
  const o = args.options('options', value)
  let micros = o.fromTimestampMicros
  if (typeof micros === 'bigint') micros = Number(micros)
  return {
    fromDate: args.optDate('fromDate', o.fromDate),
    fromTime: o.fromTime == null ? undefined : args.instant('fromTime', o.fromTime),
    fromTimestampMicros: micros ?? undefined,
    afterObjectId: args.optStr('afterObjectId', o.afterObjectId),
    toDate: args.optDate('toDate', o.toDate),
    version: o.version ?? undefined,
    pageSize: o.pageSize ?? undefined,
  }
}

/** Transaction Filter options for the native call. */
function filterOptions(value) {
  const o = args.options('query', value)
  return {
    accountIban: args.str('accountIban', o.accountIban),
    fromDate: args.date('fromDate', o.fromDate),
    toDate: args.date('toDate', o.toDate),
    reference: args.optStr('reference', o.reference),
    minAmount: args.optMoney('minAmount', o.minAmount),
    maxAmount: args.optMoney('maxAmount', o.maxAmount),
    debtorName: args.optStr('debtorName', o.debtorName),
    creditorName: args.optStr('creditorName', o.creditorName),
  }
}

/**
 * Pulls batches from a native cursor; closes it when iteration stops early. A page comes as
 * one or more batches, each a JSON array as Latin-1 bytes (characters above U+00FF
 * escaped), which become a string by a plain copy instead of a UTF-8 decode on the main
 * thread; they are at most 64 KiB each, small enough for V8 to copy into its young
 * generation rather than into freshly mapped pages. The next page is asked for before this
 * one is parsed, so the runtime fetches and validates it meanwhile; its error, if any, is
 * thrown when that page's turn comes (the `catch` only keeps a page abandoned by an early
 * `break` from being an unhandled rejection).
 */
async function* batches(cursor) {
  let next = cursor.nextBatch()
  try {
    for (;;) {
      const arrays = await next
      if (arrays === null) return
      next = cursor.nextBatch()
      next.catch(() => {})
      for (const array of arrays) yield JSON.parse(array.toString('latin1'))
    }
  } finally {
    cursor.close()
  }
}

const DONE = Object.freeze({ value: undefined, done: true })

/**
 * The transactions of each batch one by one, as an async iterator with the generator's
 * `next`/`return`/`throw`. Hand-written, not an `async function*`: `next()` hands out a
 * transaction of a batch already parsed with one settled promise, where a generator's
 * `yield` goes through its request queue; in the 100,000-transaction bench the walk peaked
 * at 85–87 MiB against 139 MiB with the generator (BENCHMARKS.md). Calls made while a page
 * is being fetched wait for it in order, as a generator's queue would; a fetch error
 * rejects that call and ends the iterator.
 */
function items(cursor) {
  const pages = batches(cursor)
  let batch = []
  let at = 0
  let pending = null
  const pull = () =>
    pages.next().then((page) => {
      if (page.done) return DONE
      batch = page.value
      at = 0
      return at < batch.length ? { value: batch[at++], done: false } : pull()
    })
  // Closing the cursor here too covers an iterator ended before its first page, whose
  // generator never started and so never reaches its `finally`.
  const stop = () => {
    batch = []
    at = 0
    cursor.close()
    return pages.return()
  }
  return {
    next() {
      // After the wait, queued calls go on as a generator's would: a failed fetch rejects
      // only the call that made it, and the ones behind it find the iterator ended.
      if (pending) return pending.then(() => this.next(), () => this.next())
      if (at < batch.length) return Promise.resolve({ value: batch[at++], done: false })
      pending = pull().finally(() => {
        pending = null
      })
      return pending
    },
    return(value) {
      return stop().then(() => ({ value, done: true }))
    },
    throw(error) {
      return stop().then(() => Promise.reject(error))
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

/** An authenticated client for OP's corporate APIs over mTLS + OAuth2. */
class Client {
  #native

  /**
   * @param {object} [options] see `ClientOptions` in index.d.ts
   */
  constructor(options, mode) {
    const o = clientOptions(options)
    this.#native = mode === FROM_ENV ? native.NativeClient.fromEnv(o) : new native.NativeClient(o)
  }

  /** A client from the `OPCORP_*` environment variables; `overrides` win over them. */
  static fromEnv(overrides) {
    return new Client(overrides, FROM_ENV)
  }

  /** The base URL every call goes to. */
  get baseUrl() {
    return this.#native.baseUrl
  }

  /** The company's accounts. */
  async accounts() {
    return JSON.parse(await this.#native.accounts())
  }

  /** One account's details. */
  async account(surrogateId) {
    return JSON.parse(await this.#native.account(args.str('surrogateId', surrogateId)))
  }

  /** An account's transactions, oldest first, as an async iterator (pages fetched lazily). */
  transactions(surrogateId, options) {
    return items(this.#cursor(surrogateId, options))
  }

  /** Like `transactions`, but yields arrays (one per fetched page or part of one). */
  transactionBatches(surrogateId, options) {
    return batches(this.#cursor(surrogateId, options))
  }

  #cursor(surrogateId, options) {
    return this.#native.transactions(args.str('surrogateId', surrogateId), transactionOptions(options))
  }

  /** Sends a signed SEPA credit transfer. Read `paymentType`: it says which rail OP used. */
  async sepaPayment(request) {
    return JSON.parse(await this.#native.payment(args.requestJson('request', request), false))
  }

  /** Sends a signed SEPA Instant payment. */
  async sepaInstantPayment(request) {
    return JSON.parse(await this.#native.payment(args.requestJson('request', request), true))
  }

  /** Validates a payment, fixes its `instructionId` and serialises it without sending. */
  preparePayment(request, options) {
    const instant = args.optBool('options.instant', args.options('options', options).instant)
    return this.#native.preparePayment(args.requestJson('request', request), instant === true)
  }

  /** Refunds an incoming payment, fully or in part. */
  async refund(request) {
    return JSON.parse(await this.#native.refund(args.requestJson('request', request)))
  }

  /** Validates and serialises a refund without sending it. */
  prepareRefund(request) {
    return this.#native.prepareRefund(args.requestJson('request', request))
  }

  /** Sends a prepared operation, or resends the `pending` of an UNKNOWN_OUTCOME error. */
  async resolve(pending) {
    const p = args.options('pending', pending)
    const body = typeof p.body === 'string' ? Buffer.from(p.body) : p.body
    if (!Buffer.isBuffer(body) && !(body instanceof Uint8Array)) {
      throw args.invalid('pending.body must be the Buffer from preparePayment/prepareRefund')
    }
    const operation = { kind: args.str('pending.kind', p.kind), id: args.str('pending.id', p.id), body: Buffer.from(body) }
    return JSON.parse(await this.#native.resolve(operation))
  }

  /** Instant payments with this `instructionId`. */
  async instantStatus(instructionId) {
    return JSON.parse(await this.#native.instantStatus(args.str('instructionId', instructionId)))
  }

  /** Incoming payments matching the query (at most 30 days, at most 10 results). */
  async creditTransactions(query) {
    return JSON.parse(await this.#native.filter(filterOptions(query), true))
  }

  /** Outgoing payments matching the query (at most 30 days, at most 10 results). */
  async debitTransactions(query) {
    return JSON.parse(await this.#native.filter(filterOptions(query), false))
  }

  /** The payer of an incoming payment. */
  async payerDetails(query) {
    const o = args.options('query', query)
    const options = {
      accountIban: args.str('accountIban', o.accountIban),
      archiveId: args.str('archiveId', o.archiveId),
      bookingDate: args.optDate('bookingDate', o.bookingDate),
    }
    return JSON.parse(await this.#native.payerDetails(options))
  }

  /** Verification of Payee: does `name` match the holder of `iban`? */
  async verifyPayee(iban, name) {
    return JSON.parse(await this.#native.verifyPayee(args.str('iban', iban), args.str('name', name)))
  }

  /** Mandates companies gave this service provider. */
  async mandates() {
    return JSON.parse(await this.#native.mandates())
  }

  /**
   * Runs core's conformance scenario against this client's environment: the redacted report
   * (what `opcorp conformance` writes; send it back as JSON). `writes: true` adds one minimal
   * payment, instant payment and refund and is refused against production.
   */
  async conformance(options) {
    const writes = args.optBool('options.writes', args.options('options', options).writes)
    return JSON.parse(await this.#native.conformance(writes === true))
  }

  /** The payment outbox in the SQLite file at `path` (created when missing). */
  outbox(path) {
    return new Outbox(this.#native.outbox(args.str('path', path)))
  }

  /** Watches accounts for new transactions: `for await (const d of watcher)`, then `ack(d)`. */
  watch(options) {
    const o = args.options('options', options)
    // A dynamic source ("all", "mandates"; core checks the name) needs no listed accounts.
    const dynamic = o.accountSource != null && o.accountSource !== 'listed'
    const accounts = o.accounts ?? (dynamic ? [] : undefined)
    if (!Array.isArray(accounts) || (accounts.length === 0 && !dynamic)) {
      throw args.invalid('accounts must be a non-empty array of account surrogate ids')
    }
    const startFrom =
      o.startFrom == null || o.startFrom === 'now' || o.startFrom === 'beginning'
        ? (o.startFrom ?? undefined)
        : args.instant('startFrom', o.startFrom)
    return new Watcher(
      this.#native.watch({
        accounts: accounts.map((a, i) => args.str(`accounts[${i}]`, a)),
        checkpointFile: args.optStr('checkpointFile', o.checkpointFile),
        startFrom,
        pollIntervalMs: o.pollIntervalMs ?? undefined,
        includeOutgoing: o.includeOutgoing ?? undefined,
        pageSize: o.pageSize ?? undefined,
        lookbackMs: o.lookbackMs ?? undefined,
        maxRequestsPerSecond: o.maxRequestsPerSecond ?? undefined,
        storeUrl: args.optStr('storeUrl', o.storeUrl),
        storeGroup: args.optStr('storeGroup', o.storeGroup),
        leaseTtlMs: o.leaseTtlMs ?? undefined,
        accountSource: args.optStr('accountSource', o.accountSource),
        storeInit: o.storeInit ?? undefined,
      }),
    )
  }

  /** A redacted description: secrets and keys never appear. */
  [inspect.custom]() {
    return this.#native.describe()
  }

  toString() {
    return this.#native.describe()
  }
}

module.exports = { Client, CLIENT_OPTIONS }
