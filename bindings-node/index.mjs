// ESM entry point: the same objects as the CommonJS entry (one native addon instance).
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const opcorp = require('./index.js')

export const {
  Client,
  CLIENT_OPTIONS,
  Watcher,
  OpcorpError,
  ERROR_KINDS,
  ERROR_CODES,
  reconcile,
  Reconciler,
  paymentFromTransaction,
  reconcileToXlsx,
  transactionsToXlsx,
  readInvoices,
  statusError,
  referenceGenerate,
  rfGenerate,
  rfToFinnish,
  referenceNormalize,
  referenceGrouped,
  ibanNormalize,
  ibanGrouped,
  bicNormalize,
  readStatement,
  setLogger,
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
  version,
} = opcorp
export default opcorp
