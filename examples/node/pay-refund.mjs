// Refunds an incoming payment, fully or in part, safely:
//
//   node examples/node/pay-refund.mjs <archiveId> <amount> [message]
//
// The refund is prepared first (validated, signed body fixed) and kept as an outbox entry,
// then sent. If the answer is lost (UNKNOWN_OUTCOME) it is resolved by resending the same
// bytes, which OP de-duplicates, so the customer is never refunded twice.
import { Client, OpcorpError } from 'opcorp'

const [archiveId, amount, message = 'Hyvitys'] = process.argv.slice(2)
if (!archiveId || !amount) {
  console.error('usage: pay-refund.mjs <archiveId> <amount> [message]')
  process.exit(2)
}

const client = Client.fromEnv()

// Find the original incoming payment on the company's accounts.
let original
let accountIban
for (const account of await client.accounts()) {
  for await (const tx of client.transactions(account.surrogateId)) {
    if (tx.archiveId === archiveId) {
      original = tx
      accountIban = account.iban
      break
    }
  }
  if (original) break
}
if (!original) {
  console.error(`no incoming payment with archive id ${archiveId}`)
  process.exit(1)
}

const pending = client.prepareRefund({
  archiveId,
  amount, // a decimal string such as "15.00"; never a JS number
  message,
  accountIban,
  transactionDate: original.bookingDate,
})
let refund
try {
  refund = await client.resolve(pending)
} catch (err) {
  if (!(err instanceof OpcorpError) || err.code !== 'UNKNOWN_OUTCOME') throw err
  refund = await client.resolve(err.pending) // same bytes: booked at most once
}
console.log(
  JSON.stringify({ refunded: refund.refund.amount, of: refund.original.amount, archiveId: refund.refund.archiveId }),
)
