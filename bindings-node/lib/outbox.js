'use strict'
// `Outbox`: exactly-once payments and refunds keyed by the caller's intent (e.g. a CRM
// event id), stored in one SQLite file before the first send. Core does the work; this
// layer turns requests into JSON text and parses the entries (plain objects, string ids,
// decimal-string amounts).

const { inspect } = require('node:util')
const args = require('./args.js')

/** The native order of `submit(intent, { payment } | { refund }, …)`. */
function order(value) {
  const o = args.options('order', value)
  return {
    payment: o.payment == null ? undefined : args.requestJson('order.payment', o.payment),
    refund: o.refund == null ? undefined : args.requestJson('order.refund', o.refund),
    instant: args.optBool('order.instant', o.instant),
  }
}

/** An outbox paying with one client (`client.outbox(path)`). */
class Outbox {
  #native

  constructor(nativeOutbox) {
    this.#native = nativeOutbox
  }

  /**
   * Pays `{ payment }` (SEPA; with `instant: true` SEPA Instant) or refunds `{ refund }`
   * exactly once for `intent`. A second submit of the intent resolves with the first
   * outcome; a different order under it rejects with `CONFLICT`.
   */
  async submit(intent, value) {
    return JSON.parse(await this.#native.submit(args.str('intent', intent), order(value)))
  }

  /** Settles every entry whose outcome is unknown; resolves with each as recorded afterwards. */
  async drive() {
    return JSON.parse(await this.#native.drive())
  }

  /** The stored entries, oldest first; `{ unsettled: true }` for the unknown ones only. */
  async list(options) {
    const unsettled = args.optBool('options.unsettled', args.options('options', options).unsettled)
    return JSON.parse(await this.#native.list(unsettled === true))
  }

  /** The entry of `intent`, or `null`. */
  async get(intent) {
    return JSON.parse(await this.#native.get(args.str('intent', intent)))
  }

  [inspect.custom]() {
    return 'Outbox {}'
  }
}

module.exports = { Outbox }
