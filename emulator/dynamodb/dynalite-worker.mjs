// dynalite on its own thread, so DynamoDB work uses the other core instead of competing with the
// gateway's sockets. Posts the port it listens on, and closes when told.
//
// dynalite itself assumes friendly clients and a healthy disk: it throws on an aborted request
// (`req.on('error', throw)`) and on any storage error (`if (err) throw err`), which would end this
// thread and every table with it. So requests reach it only whole (read here first, with its own
// 16 MB limit), each runs in an async context that names its response, and a throw is answered as
// DynamoDB answers an internal failure (HTTP 500 `InternalServerError`) and reported to the emulator
// once per kind, while the thread and every other request go on.
import { parentPort, workerData } from 'node:worker_threads'
import { AsyncLocalStorage } from 'node:async_hooks'
import { Readable } from 'node:stream'
import dynalite from 'dynalite'
import { installMeter } from './dynamo-meter.mjs'
import { CapacityEnforcer } from './capacity-enforcer.mjs'

const maxRequestBytes = 16 * 1024 * 1024
const responses = new AsyncLocalStorage()
// Each function's client reaches DynamoDB under its own path (`/fn/<name>/`, functions.ts): which
// operations each function calls are counted, and a fault switch can slow one function's calls.
const calls = {}
const delays = {}
/** Caller → table (or `table/index`) → the read and write units spent (dynamo-meter.mjs). */
const usage = {}
const units = new AsyncLocalStorage()
/**
 * Table (or `table/index`) → the units spent in the current second and the most spent in any one
 * second: provisioned capacity is a rate per second, so that is what a run is compared with.
 */
const peaks = {}
const enforcer = workerData.enforce && new CapacityEnforcer(workerData.enforce.capacity, workerData.enforce.indexes, workerData.enforce.burstSeconds)
installMeter(
  () => units.getStore(),
  (key, kind, spent) => {
    const second = Math.floor(Date.now() / 1000)
    enforcer?.spend(key, kind, spent)
    const entry = (peaks[key] ??= { second, read: 0, write: 0, peakRead: 0, peakWrite: 0, throttled: 0 })
    if (entry.second !== second) Object.assign(entry, { second, read: 0, write: 0 })
    entry[kind] += spent
    if (kind === 'read') entry.peakRead = Math.max(entry.peakRead, entry.read)
    else entry.peakWrite = Math.max(entry.peakWrite, entry.write)
  },
)

// Tables become ACTIVE at once: tests and dev start need no 500 ms wait per table.
const server = dynalite({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
const [handle] = server.listeners('request')
server.removeAllListeners('request')

function answer(res, status, type, message) {
  if (res.headersSent || res.destroyed) return
  const body = JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message })
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

const reported = new Set()
function failed(error, res) {
  const code = (error && (error.code || error.name)) || 'Error'
  if (!reported.has(code)) {
    reported.add(code)
    parentPort.postMessage({ kind: 'fault', code, detail: error instanceof Error ? `${error.message}` : String(error) })
  }
  if (res) answer(res, 500, 'InternalServerError', 'Internal server error')
}

server.on('request', (req, res) => {
  req.on('error', () => {})
  res.on('error', () => {})
  // A web page the developer opens could reach this port; the SDK never sends Origin, browsers do.
  if (req.headers.origin !== undefined) {
    req.resume()
    return answer(res, 403, 'AccessDeniedException', 'The local DynamoDB does not answer browser requests')
  }
  const chunks = []
  let size = 0
  req.on('data', (chunk) => {
    size += chunk.length
    if (size <= maxRequestBytes) chunks.push(chunk)
  })
  req.on('end', () => {
    if (size > maxRequestBytes) return answer(res, 413, 'RequestEntityTooLarge', `Request of ${size} bytes is over ${maxRequestBytes}`)
    void serve({ headers: req.headers, method: req.method, url: req.url, body: size > 0 ? Buffer.concat(chunks, size) : undefined }, res)
  })
})

/** One whole request, from HTTP or from a sandbox's port: counted, metered, and given to dynalite. */
async function serve(request, res) {
  const caller = /^\/fn\/([^/?]+)/.exec(request.url ?? '')?.[1] ?? ''
  const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? ''
  const counted = (calls[caller] ??= {})
  counted[operation] = (counted[operation] ?? 0) + 1
  if (delays[caller]) await new Promise((resolve) => setTimeout(resolve, delays[caller]))
  if (enforcer && throttled(operation, request.body, res)) return
  const whole = Readable.from(request.body ? [request.body] : [])
  Object.assign(whole, { headers: request.headers, method: request.method, url: request.url })
  try {
    const spent = (usage[caller] ??= {})
    units.run(spent, () => responses.run(res, () => handle(whole, res)))
  } catch (error) {
    failed(error, res)
  }
}

/** DynamoDB's answer to a request over provisioned capacity (capacity-enforcer.mjs); true when it was one. */
function throttled(operation, body, res) {
  let parsed
  try {
    parsed = body ? JSON.parse(Buffer.from(body).toString('utf8')) : {}
  } catch {
    return false // dynalite answers the malformed body itself
  }
  const key = enforcer.refuses(operation, parsed ?? {})
  if (!key) return false
  const entry = (peaks[key] ??= { second: 0, read: 0, write: 0, peakRead: 0, peakWrite: 0, throttled: 0 })
  entry.throttled++
  answer(res, 400, 'ProvisionedThroughputExceededException', 'The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.')
  return true
}

/**
 * What dynalite writes its answer to when the request came over a sandbox's port (lambda/fast-path.ts):
 * the status, headers (lower-cased, as Node's HTTP client reports them) and body it would have sent.
 */
class PortResponse {
  statusCode = 200
  headersSent = false
  destroyed = false
  #headers = {}
  #done
  constructor(done) {
    this.#done = done
  }
  setHeader(name, value) {
    this.#headers[name.toLowerCase()] = String(value)
  }
  getHeader(name) {
    return this.#headers[name.toLowerCase()]
  }
  writeHead(status, headers = {}) {
    this.statusCode = status
    for (const [name, value] of Object.entries(headers)) this.setHeader(name, value)
    this.headersSent = true
    return this
  }
  on() {
    return this
  }
  end(body = '') {
    if (this.destroyed) return
    this.destroyed = true
    this.headersSent = true
    this.#done({ status: this.statusCode, headers: this.#headers, body: typeof body === 'string' ? body : new Uint8Array(body) })
  }
}

/** A sandbox's fast path: each message is one SDK request; the answer goes back on the same port. */
function listen(port) {
  port.on('message', (request) => {
    const headers = {}
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value
    const body = request.body === undefined ? undefined : Buffer.from(request.body)
    const res = new PortResponse((response) => port.postMessage({ ...response, id: request.id }))
    if (body && body.length > maxRequestBytes) return answer(res, 413, 'RequestEntityTooLarge', `Request of ${body.length} bytes is over ${maxRequestBytes}`)
    void serve({ headers, method: request.method, url: request.path, body }, res)
  })
}

// A storage error thrown from a callback of the request it belongs to: that request gets its 500.
process.on('uncaughtException', (error) => failed(error, responses.getStore()))

server.listen(0, '127.0.0.1', () => parentPort.postMessage({ kind: 'listening', port: server.address().port }))
parentPort.on('message', (message) => {
  if (message === 'close') {
    // dynalite's close also closes its LevelDB store, which flushes the on-disk data.
    server.close(() => parentPort.postMessage({ kind: 'closed' }))
    server.closeAllConnections()
  } else if (message === 'calls') {
    const peak = Object.fromEntries(Object.entries(peaks).map(([key, p]) => [key, { read: p.peakRead, write: p.peakWrite, throttled: p.throttled }]))
    parentPort.postMessage({ kind: 'calls', calls, usage, peaks: peak })
  } else if (message?.kind === 'connect') {
    listen(message.port)
  } else if (message?.kind === 'delay') {
    delays[message.caller] = message.ms
  } else if (message === 'crash') {
    // The emulator's fault switch: the thread dies as it would on a fatal error.
    process.exit(70)
  }
})
