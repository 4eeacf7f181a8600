'use strict'
// `Watcher`: real-time payment detection as an async iterator with explicit acknowledgement.
// At-least-once: a delivery not acknowledged is delivered again after a restart (with a
// checkpoint file); an acknowledged one never is.

const args = require('./args.js')

/** Where a delivery keeps its native handle (needed by `ack`). */
const NATIVE = Symbol('opcorp.delivery')

/** The JS form of a native delivery. */
function delivery(d) {
  const out = {
    account: d.account,
    mandate: d.mandate,
    objectId: d.objectId,
    detectedAt: new Date(d.detectedAtMs),
    transaction: JSON.parse(d.transactionJson),
  }
  Object.defineProperty(out, NATIVE, { value: d })
  return out
}

/** A running watcher over one or more accounts. */
class Watcher {
  #native
  #closed = false

  constructor(nativeWatcher) {
    this.#native = nativeWatcher
  }

  /** The next delivery, waiting as long as it takes; rejects once closed. */
  async next() {
    return delivery(await this.#native.next())
  }

  /** Acknowledges a handled delivery; resolves once its checkpoint is stored. */
  async ack(d) {
    const handle = d != null && typeof d === 'object' ? d[NATIVE] : undefined
    if (handle === undefined) throw args.invalid('ack() takes a delivery this watcher returned')
    await this.#native.ack(handle)
  }

  /** Stops polling; a pending `next()` rejects and iteration ends. Idempotent. */
  close() {
    if (this.#closed) return
    this.#closed = true
    this.#native.close()
  }

  /** `for await (const delivery of watcher)`; leaving the loop closes the watcher. */
  async *[Symbol.asyncIterator]() {
    try {
      for (;;) {
        let d
        try {
          d = await this.next()
        } catch (err) {
          if (this.#closed) return
          throw err
        }
        yield d
      }
    } finally {
      this.close()
    }
  }
}

module.exports = { Watcher }
