// Type-checked (tsc --noEmit) against the installed package's index.d.ts.
import { Client, reconcile, readInvoices, type OpenItem, type Report } from 'opcorp'

async function main(): Promise<number> {
  const client: Client = Client.fromEnv()
  const accounts = await client.accounts()
  const items: OpenItem[] = readInvoices('invoices.xlsx')
  const report: Report = reconcile(items, [])
  return accounts.length + report.totals.items
}
void main()
