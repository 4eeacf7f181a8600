'use strict'
// A backend endpoint: "has invoice X been paid?"
//
//   GET /invoices/:id/paid  →  { invoice, paid, status, received, paymentIds }
//
// The invoices live in a small in-memory table here (in real life: your database). For
// each request the server asks OP's Transaction Filter for the last 30 days of incoming
// payments carrying the invoice's reference, and lets opcorp's reconciliation decide
// (paid, partially paid, overpaid, paid twice...). Credentials come from OPCORP_* variables.
//
//   OPCORP_... node examples/node/invoice-paid-server.js      (PORT=3000 by default)

const http = require('node:http')
const { Client, reconcile, OpcorpError } = require('opcorp')

/** Open invoices: id → what the customer must pay. */
const INVOICES = JSON.parse(
  process.env.INVOICES ||
    JSON.stringify([
      { id: 'INV-1001', reference: '1232', amount: '40.00', currency: 'EUR' },
      { id: 'INV-1002', reference: '1245', amount: '99.90', currency: 'EUR' },
    ]),
)

const client = Client.fromEnv()
const account = process.env.ACCOUNT_IBAN // the account customers pay to (default: the first)

/** The outcome of one invoice. */
async function invoiceStatus(invoice) {
  const iban = account || (await client.accounts())[0].iban
  const toDate = new Date()
  const fromDate = new Date(Date.now() - 29 * 86400000)
  const found = await client.creditTransactions({ accountIban: iban, fromDate, toDate, reference: invoice.reference })
  const payments = found.transactions.map((t) => ({
    id: t.archiveId,
    reference: t.reference ?? t.rfReference ?? null,
    amount: t.amount,
    currency: 'EUR',
  }))
  const [item] = reconcile([invoice], payments).items
  return {
    invoice: invoice.id,
    paid: item.status === 'paid' || item.status === 'overpaid' || item.status === 'paid_twice',
    status: item.status,
    received: item.received,
    paymentIds: item.paymentIds,
  }
}

const server = http.createServer(async (req, res) => {
  const send = (status, body) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const match = /^\/invoices\/([^/]+)\/paid$/.exec(req.url ?? '')
  if (req.method !== 'GET' || !match) return send(404, { error: 'not found' })
  const invoice = INVOICES.find((i) => i.id === decodeURIComponent(match[1]))
  if (!invoice) return send(404, { error: 'unknown invoice' })
  try {
    send(200, await invoiceStatus(invoice))
  } catch (err) {
    // opcorp errors carry a stable code, the HTTP status and OP's request id.
    if (err instanceof OpcorpError) {
      send(502, { error: err.code, requestId: err.requestId, retryable: err.retryable })
    } else {
      send(500, { error: 'internal error' })
    }
  }
})

server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`)
})
process.on('SIGTERM', () => server.close())
