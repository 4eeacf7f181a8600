'use strict'
// Comparing two conformance reports (from `client.conformance()` or files it wrote): core
// does the comparison; this only turns objects into JSON text and the answer back.

const native = require('../native.js')
const args = require('./args.js')

/** A report as JSON text: a string as is, an object stringified. */
function reportText(name, report) {
  if (typeof report === 'string') return report
  if (report === null || typeof report !== 'object') {
    throw args.invalid(`${name} must be a conformance report (object or JSON string)`)
  }
  return JSON.stringify(report)
}

/** `{ agree, total, all_agree, differences: [{ operation, differences }], observations }`. */
function conformanceCompare(a, b) {
  return JSON.parse(native.conformanceCompare(reportText('a', a), reportText('b', b)))
}

module.exports = { conformanceCompare }
