'use strict'
// Reading the shared vectors in tests/vectors/ (repository root), and the camelCase spelling
// of their snake_case keys that the JS packages use.

const fs = require('node:fs')
const path = require('node:path')

const VECTORS = path.resolve(__dirname, '..', '..', 'tests', 'vectors')

/** The parsed vector file `tests/vectors/<name>`. */
function load(name) {
  return JSON.parse(fs.readFileSync(path.join(VECTORS, name), 'utf8'))
}

/** `due_date` → `dueDate` for every object key, recursively (currency codes stay). */
function camel(value) {
  if (Array.isArray(value)) return value.map(camel)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()), camel(v)]),
  )
}

module.exports = { load, camel, VECTORS }
