// The page a front-end developer ships: opcorp-wasm imported from npm, bundled by esbuild
// (the .wasm becomes an asset next to the bundle), initialised, then used.
import init, { referenceGenerate, reconcile } from 'opcorp-wasm';
import wasmUrl from 'opcorp-wasm/opcorp_wasm_bg.wasm';

const out = document.getElementById('out');
try {
  await init({ module_or_path: wasmUrl });
  const reference = referenceGenerate('123');
  const report = reconcile(
    [{ id: 'INV-1', reference, amount: '10.00' }],
    [{ id: 'p1', reference, amount: '10.00' }],
  );
  out.textContent = `opcorp-wasm ok ${reference} ${report.items[0].status}`;
} catch (e) {
  out.textContent = `opcorp-wasm failed: ${e}`;
}
