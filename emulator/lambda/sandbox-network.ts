// The sandbox's view of the network: `https://{domainName}` reaches this emulator.
//
// Most AWS samples build the `@connections` endpoint from the event:
//   new ApiGatewayManagementApiClient({ endpoint: `https://${domainName}/${stage}` })
// On AWS that host is API Gateway itself (spec §3.1, §7.1). Locally `domainName` is the host the
// client dialled (e.g. `127.0.0.1`, no port, as on AWS), where nothing listens on 443 and no
// certificate would be trusted. The SDK cannot be pointed elsewhere from outside: an explicit
// `endpoint` wins over `AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI` (smithy's endpoint middleware
// consults the environment only when `isCustomEndpoint` is false), and `NODE_EXTRA_CA_CERTS` is read
// once per process, not per worker. So the function runtime plays the network instead: inside this
// worker only, an HTTPS connection to port 443 of a `domainName` that an API Gateway event named is
// opened as plain TCP to the emulator's HTTP port, which serves `/{stage}/@connections/...`. The
// handler and the SDK run unchanged; every other connection is untouched.
import https from 'node:https'
import net from 'node:net'
import { unbracket } from './host-name.ts'

export interface GatewayAddress {
  readonly host: string
  readonly port: number
}

export interface SandboxNetwork {
  /** Records the `domainName` of an event this sandbox received. */
  learn(event: unknown): void
  /** The domains learned so far (they reach the gateway). */
  domains(): ReadonlySet<string>
}

/**
 * `domainName` is the Host header a client sent, so a client can make up as many as it likes: the
 * sandbox remembers the most recent few (a real setup has one or two: 127.0.0.1, localhost).
 */
const maxLearnedDomains = 32

export function routeGatewayDomains(gateway: GatewayAddress): SandboxNetwork {
  const domains = new Set<string>()
  const target = { host: dialable(gateway.host), port: gateway.port }
  const original = https.Agent.prototype.createConnection
  https.Agent.prototype.createConnection = function (this: https.Agent, options, callback) {
    const host = unbracket(String(options.host ?? options.hostname ?? ''))
    const port = Number(options.port ?? 443)
    if (port === 443 && domains.has(host)) return net.connect(target)
    return original.call(this, options, callback)
  }
  return {
    learn(event) {
      const domainName = (event as { requestContext?: { domainName?: unknown } } | null | undefined)?.requestContext?.domainName
      if (typeof domainName !== 'string' || domainName === '') return
      const host = unbracket(domainName)
      // Insertion order is recency order: a known host moves to the end, the oldest goes first.
      domains.delete(host)
      domains.add(host)
      if (domains.size > maxLearnedDomains) domains.delete(domains.values().next().value!)
    },
    domains: () => domains,
  }
}

/** A wildcard listen address is not one to dial. */
function dialable(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1'
  if (host === '::') return '::1'
  return unbracket(host)
}
