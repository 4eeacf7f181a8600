// opcorp-wasm imported from Node (ESM): the package's "node" export needs no init().
import * as opcorp from 'opcorp-wasm';

if (opcorp.referenceGenerate('123') !== '1232') throw new Error('referenceGenerate');
const report = opcorp.reconcile([{ id: 'A', reference: '1232', amount: '1.00' }], []);
if (report.items.length !== 1) throw new Error('reconcile');
console.log('opcorp-wasm from Node ok');
