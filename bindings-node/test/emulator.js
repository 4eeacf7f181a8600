'use strict'
// Test fixture: a real opcorp-emulator on 127.0.0.1 (mTLS) started as a subprocess with a
// temporary state directory, its admin API, and client options from the identity it serves.

const { spawn } = require('node:child_process')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const readline = require('node:readline')

const ROOT = path.resolve(__dirname, '..', '..')
/** The emulator binary, read when an emulator starts (a benchmark sets it after loading this). */
function emulatorBin() {
  return process.env.OPCORP_EMULATOR_BIN || path.join(ROOT, 'target', 'debug', 'opcorp-emulator')
}

/** A running emulator. */
class Emulator {
  static async start(...extra) {
    const bin = emulatorBin()
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: cargo build -p opcorp-emulator`)
    const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'opcorp-node-'))
    const child = spawn(bin, ['--port', '0', '--admin-port', '0', '--state-dir', stateDir, ...extra], {
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    const emu = new Emulator(child, stateDir)
    const lines = readline.createInterface({ input: child.stdout })
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('emulator did not print its banner')), 60000)
      child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)))
      lines.on('line', (line) => {
        const words = line.trim().split(/\s+/)
        if (line.trim().startsWith('OP API')) emu.baseUrl = words[2]
        if (line.trim().startsWith('Admin API')) {
          emu.adminUrl = words[2]
          clearTimeout(timer)
          resolve()
        }
      })
    })
    child.stdout.resume()
    emu.identity = await emu.admin('GET', '/identity')
    return emu
  }

  constructor(child, stateDir) {
    this.child = child
    this.stateDir = stateDir
  }

  /** Calls the admin API; returns the decoded JSON answer (null when empty). */
  async admin(method, route, body) {
    const response = await fetch(this.adminUrl + route, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`admin ${method} ${route}: ${response.status} ${text}`)
    return text ? JSON.parse(text) : null
  }

  /** Injects a fault rule (`times` null = until cleared). */
  fault(route, kind, times = 1) {
    const rule = { kind }
    if (route != null) rule.route = route
    if (times != null) rule.times = times
    return this.admin('POST', '/faults', rule)
  }

  /** Client options for the demo identity (inline PEMs). */
  clientOptions(extra = {}) {
    const i = this.identity
    return {
      baseUrl: this.baseUrl,
      clientId: i.clientId,
      clientSecret: i.clientSecret,
      certificatePem: i.certPem,
      privateKeyPem: i.keyPem,
      caCertificatePem: i.caPem,
      signingKeyPem: i.signingKeyPem,
      signingKid: i.signingKid,
      ...extra,
    }
  }

  /** The `OPCORP_*` variables the emulator prints. */
  get env() {
    return this.identity.env
  }

  /** Stops the process and removes its state. */
  async stop() {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve))
      this.child.kill('SIGTERM')
      await exited
    }
    fs.rmSync(this.stateDir, { recursive: true, force: true })
  }
}

module.exports = { Emulator, ROOT }
