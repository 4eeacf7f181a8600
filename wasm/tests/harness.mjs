// Test harness: starts the real emulator and `opcorp gateway` as subprocesses on 127.0.0.1
// (temporary state dir), and builds opcorp-wasm clients whose transport is `fetch` to the
// gateway. Binaries come from the workspace target dir (built by wasm/test.sh).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const here = dirname(fileURLToPath(import.meta.url));
const target = process.env.CARGO_TARGET_DIR ?? join(here, '..', '..', 'target');
export const bin = (name) => join(target, 'debug', name);

export const GATEWAY_KEY = 'node-test-gateway-key-0123456789';

/** Reads a child's stdout line by line until `done(lines)` returns a value. */
function readUntil(child, done, what) {
  return new Promise((resolve, reject) => {
    const lines = [];
    const rl = createInterface({ input: child.stdout });
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${lines.join('\n')}`)), 30000);
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${lines.join('\n')}`)));
    rl.on('line', (line) => {
      lines.push(line);
      const value = done(lines);
      if (value !== undefined) {
        clearTimeout(timer);
        resolve(value);
      }
    });
  });
}

/** Starts the emulator; resolves to { env, adminUrl, stop }. */
export async function startEmulator() {
  const stateDir = mkdtempSync(join(tmpdir(), 'opcorp-wasm-emu-'));
  const child = spawn(bin('opcorp-emulator'), ['--port', '0', '--admin-port', '0', '--state-dir', stateDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const parsed = await readUntil(child, (lines) => {
    if (!lines.some((l) => l.startsWith('export OPCORP_CA='))) return undefined;
    const env = {};
    let adminUrl;
    for (const line of lines) {
      const m = line.match(/^export (OPCORP_[A-Z_]+)='(.*)'$/);
      if (m) env[m[1]] = m[2].replaceAll(`'\\''`, `'`);
      const a = line.match(/Admin API\s+(http:\/\/\S+)\/admin/);
      if (a) adminUrl = a[1];
    }
    return { env, adminUrl };
  }, 'emulator');
  return {
    ...parsed,
    async admin(method, path, body) {
      const res = await fetch(`${parsed.adminUrl}${path}`, {
        method,
        headers: body ? { 'content-type': 'application/json' } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    stop() {
      child.kill();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Starts `opcorp gateway` in front of `emu`; resolves to { url, stop }. */
export async function startGateway(emu, args = []) {
  // Payments need a ledger file for the daily total; each gateway here gets a fresh one.
  if (args.includes('--allow-payments') && !args.includes('--ledger')) {
    args = [...args, '--ledger', join(mkdtempSync(join(tmpdir(), 'opcorp-ledger-')), 'ledger.sqlite')];
  }
  const child = spawn(bin('opcorp'), ['gateway', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: tmpdir(), ...emu.env, OPCORP_GATEWAY_KEY: GATEWAY_KEY },
  });
  let audit = '';
  child.stderr.on('data', (chunk) => { audit += chunk; });
  const url = await readUntil(child, (lines) => {
    const m = lines[0]?.match(/^opcorp gateway listening on (http:\/\/\S+)$/);
    return m ? m[1] : undefined;
  }, 'gateway');
  return { url, audit: () => audit, stop: () => child.kill() };
}

/** The transport a browser tool would use: `fetch` to the gateway. */
export async function fetchTransport(request) {
  const res = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? undefined,
  });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
}
