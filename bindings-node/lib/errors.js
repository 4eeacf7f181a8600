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

module.exports = { OpcorpError, ERROR_KINDS, ERROR_CODES }
