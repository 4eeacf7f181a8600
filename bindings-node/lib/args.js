'use strict'
// Argument conversion shared by the JS layer: money as decimal strings (bigint minor units
// converted exactly by core), dates as `YYYY-MM-DD`, instants as ISO 8601, request objects
// as JSON text. Every refusal is an opcorp INVALID_INPUT error built by the native layer,
// so it carries the same `.code` as core's own checks.

const native = require('../native.js')

/** An INVALID_INPUT error object. */
function invalid(message) {
  return native.makeError('INVALID_INPUT', message)
}

/** A CONFIG error object. */
function config(message) {
  return native.makeError('CONFIG', message)
}

/** A required string argument. */
function str(name, value) {
  if (typeof value !== 'string') throw invalid(`${name} must be a string, got ${describe(value)}`)
  return value
}

/** An optional string argument (`undefined` and `null` mean absent). */
function optStr(name, value) {
  return value == null ? undefined : str(name, value)
}

/** Money: a decimal string, or a bigint of minor units (cents). Never a JS number. */
function money(name, value) {
  if (typeof value === 'string') return value
  if (typeof value === 'bigint') return native.amountFromMinorUnits(value)
  throw invalid(
    `${name} must be a decimal string such as "12.50" or a bigint of minor units such as 1250n, got ${describe(value)}`,
  )
}

/** An optional amount. */
function optMoney(name, value) {
  return value == null ? undefined : money(name, value)
}

/** A calendar date: `YYYY-MM-DD` text or a `Date` (its UTC day). */
function date(name, value) {
  if (typeof value === 'string') return value
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10)
  throw invalid(`${name} must be a date like "2026-01-31" or a Date, got ${describe(value)}`)
}

/** An optional date. */
function optDate(name, value) {
  return value == null ? undefined : date(name, value)
}

/** An instant: ISO 8601 text with a zone, or a `Date`. */
function instant(name, value) {
  if (typeof value === 'string') return value
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString()
  throw invalid(`${name} must be an ISO 8601 timestamp or a Date, got ${describe(value)}`)
}

/** An optional boolean (`undefined` and `null` mean absent); `"false"` or `0` is refused, never coerced. */
function optBool(name, value) {
  if (value == null) return undefined
  if (typeof value !== 'boolean') throw invalid(`${name} must be a boolean, got ${describe(value)}`)
  return value
}

/** A plain options object (absent means empty). */
function options(name, value) {
  if (value == null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(`${name} must be an object, got ${describe(value)}`)
  }
  return value
}

/** JSON text of a request object; bigint amounts become exact decimal strings. */
function requestJson(name, value) {
  if (value == null || typeof value !== 'object') {
    throw invalid(`${name} must be an object, got ${describe(value)}`)
  }
  // Without a replacer first: calling one for every key made a million-item reconcile input
  // twice as slow to encode. JSON.stringify throws a TypeError on a bigint, and only then is
  // the object encoded again with bigints as decimal strings.
  try {
    return JSON.stringify(value)
  } catch (err) {
    if (!(err instanceof TypeError)) throw err
  }
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? native.amountFromMinorUnits(v) : v))
}

/** A short description of a value for error messages (never its content for objects). */
function describe(value) {
  if (value === null) return 'null'
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)
  return `${typeof value} ${String(value)}`
}

module.exports = {
  invalid,
  config,
  str,
  optStr,
  money,
  optMoney,
  date,
  optDate,
  instant,
  optBool,
  options,
  requestJson,
}
