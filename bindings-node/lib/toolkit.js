'use strict'
// The Finnish domain toolkit as functions: references, IBAN/BIC, virtual barcodes, amounts
// in minor units, detached JWS signing and key + CSR generation. Each checks argument types
// (an opcorp INVALID_INPUT error, not a TypeError) and calls core.

const native = require('../native.js')
const args = require('./args.js')

/** One-string-argument toolkit function. */
const unary = (name, fn) => (value) => fn(args.str(name, value))

// The toolkit vocabulary shared by every binding: `<type>_<core method>` (README "Toolkit
// names"), camelCase here.
const referenceGenerate = unary('base', native.referenceGenerate)
const rfGenerate = unary('body', native.rfGenerate)
const rfFromFinnish = unary('reference', native.rfFromFinnish)
const rfToFinnish = unary('rf', native.rfToFinnish)
const referenceNormalize = unary('reference', native.referenceNormalize)
const referenceGrouped = unary('reference', native.referenceGrouped)
const ibanNormalize = unary('iban', native.ibanNormalize)
const ibanGrouped = unary('iban', native.ibanGrouped)
const bicForIban = unary('iban', native.bicForIban)
const bicNormalize = unary('bic', native.bicNormalize)
const publicKeyPem = unary('privateKeyPem', native.publicKeyPem)

/** A 54-digit Finnish virtual bank barcode. */
function barcodeEncode(fields) {
  const f = args.options('fields', fields)
  return native.barcodeEncode({
    iban: args.str('iban', f.iban),
    amount: args.money('amount', f.amount),
    reference: args.str('reference', f.reference),
    dueDate: args.optDate('dueDate', f.dueDate),
  })
}

/** The fields of a virtual bank barcode (amount also as bigint minor units). */
function barcodeDecode(barcode) {
  const d = native.barcodeDecode(args.str('barcode', barcode))
  return {
    iban: d.iban,
    amount: d.amount,
    amountMinorUnits: native.amountToMinorUnits(d.amount),
    reference: d.reference,
    dueDate: d.dueDate ?? null,
    version: d.version,
  }
}

/** `"12.50"` → `1250n`. */
function amountToMinorUnits(amount) {
  return native.amountToMinorUnits(args.str('amount', amount))
}

/** `1250n` → `"12.50"`. */
function amountFromMinorUnits(minor) {
  if (typeof minor !== 'bigint') throw args.invalid('minor units must be a bigint such as 1250n')
  return native.amountFromMinorUnits(minor)
}

/** A detached JWS (RS256) over `body` (string or Buffer) for `x-jws-signature`. */
function signDetached(body, privateKeyPem, kid, iat) {
  if (typeof body !== 'string' && !Buffer.isBuffer(body)) throw args.invalid('body must be a string or a Buffer')
  if (iat != null && !Number.isSafeInteger(iat)) throw args.invalid('iat must be whole seconds since the epoch')
  return native.signDetached(body, args.str('privateKeyPem', privateKeyPem), args.str('kid', kid), iat ?? undefined)
}

/** A new RSA key (default 4096 bits) and a CSR for it, generated off the JS thread. */
async function generateKeyAndCsr(commonName, options) {
  const o = args.options('options', options)
  return native.generateKeyAndCsr(args.str('commonName', commonName), o.bits ?? undefined)
}

/**
 * Deprecated names of the 0.1 release, kept for one release: each warns once (a
 * `DeprecationWarning`) and calls its new name.
 */
const DEPRECATED = {
  finnishReference: ['referenceGenerate', referenceGenerate],
  rfReference: ['rfGenerate', rfGenerate],
  validateReference: ['referenceNormalize', referenceNormalize],
  formatReference: ['referenceGrouped', referenceGrouped],
  validateIban: ['ibanNormalize', ibanNormalize],
  formatIban: ['ibanGrouped', ibanGrouped],
  validateBic: ['bicNormalize', bicNormalize],
}

const deprecated = Object.fromEntries(
  Object.entries(DEPRECATED).map(([old, [name, fn]]) => {
    let warned = false
    const alias = (...a) => {
      if (!warned) {
        warned = true
        process.emitWarning(`opcorp.${old}() is deprecated; use ${name}()`, 'DeprecationWarning', 'OPCORP_DEPRECATED_NAME')
      }
      return fn(...a)
    }
    return [old, alias]
  }),
)

module.exports = {
  referenceGenerate,
  rfGenerate,
  rfFromFinnish,
  rfToFinnish,
  referenceNormalize,
  referenceGrouped,
  ibanNormalize,
  ibanGrouped,
  bicForIban,
  bicNormalize,
  ...deprecated,
  barcodeEncode,
  barcodeDecode,
  amountToMinorUnits,
  amountFromMinorUnits,
  signDetached,
  publicKeyPem,
  generateKeyAndCsr,
}
