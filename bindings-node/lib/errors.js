'use strict'
// `OpcorpError`: every error the SDK throws or rejects with is a real `Error` whose `.code`
// is one of core's stable codes. The objects are built natively (so sync calls,
// constructors and promise rejections carry the same fields); this class exists for
// `instanceof` checks and the list of codes.

const native = require('../native.js')

/** Every kind core defines: `{ code, name, retryable }`, in core's order. */
const ERROR_KINDS = Object.freeze(native.errorKinds().map((k) => Object.freeze(k)))

/** The stable codes, e.g. `"RATE_LIMITED"`. */
const ERROR_CODES = Object.freeze(ERROR_KINDS.map((k) => k.code))

const codes = new Set(ERROR_CODES)

/** The type of every opcorp error: `err instanceof OpcorpError` holds for each of them. */
class OpcorpError extends Error {
  static [Symbol.hasInstance](value) {
    return value instanceof Error && typeof value.code === 'string' && codes.has(value.code)
  }
}

/**
 * The error core makes of a failed OP response (HTTP `status` and the raw `body` text), by
 * the mapping every client call uses. Returned, not thrown.
 */
function statusError(status, body, requestId) {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw native.makeError('INVALID_INPUT', `status must be an HTTP status code, got ${String(status)}`)
  }
  if (typeof body !== 'string') throw native.makeError('INVALID_INPUT', 'body must be a string')
  if (requestId != null && typeof requestId !== 'string') {
    throw native.makeError('INVALID_INPUT', 'requestId must be a string')
  }
  return native.statusError(status, body, requestId ?? undefined)
}

module.exports = { OpcorpError, ERROR_KINDS, ERROR_CODES, statusError }
