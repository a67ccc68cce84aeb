// Host names as URLs write them and as sockets dial them.

/** `[::1]` → `::1`: how a URL writes an IPv6 host, and how it is dialled. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}
