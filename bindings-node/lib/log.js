'use strict'
// Core's log records in the application's logger.

const native = require('../native.js')

/**
 * Sends the SDK's log records at `level` ('error', 'warn', 'info', 'debug' or 'trace'; core
 * checks the name, CONFIG otherwise) and above to `logger`, a function receiving
 * `{ level, target, message, fields }` (fields: route, request_id, attempt, status,
 * latency_ms, … as strings). `setLogger(null)` stops. Records never carry a secret, a token
 * or a body; they arrive asynchronously on the main thread and never keep the process alive.
 */
function setLogger(logger, level = 'debug') {
  if (logger !== null && logger !== undefined && typeof logger !== 'function') {
    throw new TypeError('setLogger(logger, level): logger must be a function or null')
  }
  if (!logger) {
    native.setLogSink(null, 'off')
    return
  }
  native.setLogSink((json) => {
    try {
      logger(JSON.parse(json))
    } catch (err) {
      // A throwing logger must not break the SDK: report it as a process warning.
      process.emitWarning(`opcorp logger threw: ${err && err.message}`)
    }
  }, level)
}

// OPCORP_LOG=debug (or another level) without any code: records as JSON lines on stderr.
// Not when OPCORP_LOG_FILE is set: core then writes them to that file itself.
if (process.env.OPCORP_LOG && !process.env.OPCORP_LOG_FILE) {
  try {
    setLogger((record) => process.stderr.write(JSON.stringify(record) + '\n'), process.env.OPCORP_LOG.trim())
  } catch (err) {
    process.emitWarning(`OPCORP_LOG ignored: ${err.message}`)
  }
}

module.exports = { setLogger }
