'use strict'
// The Finnish domain toolkit as functions: references, IBAN/BIC, virtual barcodes, amounts
// in minor units, detached JWS signing and key + CSR generation. Each checks argument types
// (an opcorp INVALID_INPUT error, not a TypeError) and calls core.

const native = require('../native.js')
const args = require('./args.js')

/** One-string-argument toolkit function. */
const unary = (name, fn) => (value) => fn(args.str(name, value))

const finnishReference = unary('base', native.finnishReference)
const rfReference = unary('body', native.rfReference)
const rfFromFinnish = unary('reference', native.rfFromFinnish)
const validateReference = unary('reference', native.validateReference)
const formatReference = unary('reference', native.formatReference)
const validateIban = unary('iban', native.validateIban)
const formatIban = unary('iban', native.formatIban)
const bicForIban = unary('iban', native.bicForIban)
const validateBic = unary('bic', native.validateBic)
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

module.exports = {
  finnishReference,
  rfReference,
  rfFromFinnish,
  validateReference,
  formatReference,
  validateIban,
  formatIban,
  bicForIban,
  validateBic,
  barcodeEncode,
  barcodeDecode,
  amountToMinorUnits,
  amountFromMinorUnits,
  signDetached,
  publicKeyPem,
  generateKeyAndCsr,
}
