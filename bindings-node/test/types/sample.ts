// Type-checked by `tsc --noEmit` in the test suite (never run): it uses the public API the
// way a backend would, so a drift between index.d.ts and the real API shows up here.
import opcorp, {
  Client,
  OpcorpError,
  type Account,
  type Outbox,
  type OutboxEntry,
  type PaymentRequest,
  type Report,
  type ReconcileReport,
  type Transaction,
  reconcile,
  reconcileReport,
  paymentFromTransaction,
  barcodeDecode,
  amountToMinorUnits,
} from 'opcorp'

async function main(): Promise<void> {
  const client = new Client({ baseUrl: 'https://127.0.0.1:8443', clientId: 'id', clientSecret: 's', connectTimeoutMs: 5000 })
  const fromEnv: Client = Client.fromEnv({ certificatePem: Buffer.from('') })
  const accounts: Account[] = await client.accounts()
  const balance: string = accounts[0].balance
  const cents: bigint = amountToMinorUnits(balance)
  const seen: Transaction[] = []
  for await (const tx of client.transactions(accounts[0].surrogateId, { fromDate: new Date(), version: 3 })) {
    const amount: string = tx.amount
    seen.push(tx)
    void amount
  }
  const request: PaymentRequest = {
    debtor: { name: 'A', iban: 'FI4950009420028730' },
    creditor: {
      name: 'B',
      iban: 'FI2112345600000785',
      address: { streetName: 'Tehdastie', buildingNumber: '5', postCode: '33100', townName: 'Tampere', country: 'FI' },
    },
    instructedAmount: { amount: 1250n, currency: 'EUR' },
    reference: '1232',
  }
  try {
    const paid = await client.sepaPayment(request)
    const rail: string = paid.paymentType
    void rail
  } catch (err) {
    if (err instanceof OpcorpError && err.code === 'UNKNOWN_OUTCOME' && err.pending) {
      await client.resolve(err.pending)
    }
    if (err instanceof OpcorpError) {
      const status: number | null = err.status
      const id: string | null = err.requestId
      void status
      void id
    }
  }
  const pending = client.preparePayment(request, { instant: true })
  const kind: 'sepa_payment' | 'sepa_instant_payment' | 'refund' = pending.kind
  const watcher = client.watch({ accounts: [accounts[0].surrogateId], checkpointFile: 'cp.json' })
  for await (const delivery of watcher) {
    await watcher.ack(delivery)
    break
  }
  const report: Report = reconcile(
    [{ id: 'inv-1', reference: '1232', amount: '10.00', currency: 'EUR' }],
    seen.map(paymentFromTransaction),
  )
  const paidCount: number = report.totals.paid
  function* invoices() {
    yield { id: 'inv-2', reference: '1245', amount: '5.00', currency: 'EUR' }
  }
  const kept: ReconcileReport = reconcileReport(invoices(), seen.map(paymentFromTransaction))
  const { status, received } = kept.columns(['status', 'received'])
  const firstStatus = status[0]
  const items: number = kept.length + received.length
  const whole: Report = kept.toJSON()
  const decoded = barcodeDecode('x')
  const minor: bigint = decoded.amountMinorUnits
  const key = await opcorp.generateKeyAndCsr('Demo Oy', { bits: 2048 })
  const csr: string = key.csrPem
  const lenient = new Client({ baseUrl: 'https://127.0.0.1:8443', addressRules: 'allow_unstructured' })
  const conformance = await lenient.conformance({ writes: false })
  const agreed: boolean = opcorp.conformanceCompare(conformance, JSON.stringify(conformance)).all_agree
  const outbox: Outbox = client.outbox('outbox.sqlite')
  const entry: OutboxEntry = await outbox.submit('crm:42', { payment: request, instant: true })
  const state: 'succeeded' | 'rejected' | 'unknown' = entry.state
  const archiveId: string | undefined = entry.archiveId
  const unknown: OutboxEntry[] = await outbox.drive()
  void [firstStatus, items, whole, fromEnv, cents, kind, paidCount, minor, csr, agreed, state, archiveId, unknown]
}

void main
