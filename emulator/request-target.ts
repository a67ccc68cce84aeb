// The target of an HTTP request (RFC 9112 §3.2), parsed once at the edge: the path as sent (still
// percent-encoded) and its query. A target the emulator cannot read is a 400, never an exception.

export interface RequestTarget {
  /** As sent, percent-encoded; compare it with paths that need no encoding. */
  readonly path: string
  /** The path with its percent-encoding decoded once (spec §7.2: "decode once"). */
  readonly decodedPath: string
  readonly query: URLSearchParams
}

/** Every `%` must start a two-digit hex escape, and escapes must spell UTF-8. */
const badEscape = /%(?![0-9A-Fa-f]{2})/

/**
 * Origin form (`/path?query`) or absolute form (`http://host/path?query`, which servers must accept);
 * undefined for anything else (`*`, authority form, garbage) or for a path whose escapes do not
 * decode, or that decodes to a NUL.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | undefined {
  if (raw === undefined) return undefined
  let target = raw
  const absolute = /^https?:\/\/[^/?#]*/i.exec(target)
  if (absolute) target = target.slice(absolute[0].length) || '/'
  if (!target.startsWith('/')) return undefined
  const hash = target.indexOf('#')
  if (hash >= 0) target = target.slice(0, hash)
  const mark = target.indexOf('?')
  const path = mark < 0 ? target : target.slice(0, mark)
  if (badEscape.test(path)) return undefined
  let decodedPath: string
  try {
    decodedPath = decodeURIComponent(path)
  } catch {
    return undefined
  }
  if (decodedPath.includes('\0')) return undefined
  return { path, decodedPath, query: new URLSearchParams(mark < 0 ? '' : target.slice(mark + 1)) }
}
