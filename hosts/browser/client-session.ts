import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * The browser host's one client. At start the host makes a one-time bootstrap secret, which the
 * launcher hands to its own Chromium in a file only that user can read (never on a command line).
 * Redeeming it once sets an HttpOnly, SameSite=Strict session cookie in that browser profile; every
 * request after that needs the cookie, and no second client can ever get one. The services' login
 * is one per process, so it belongs to this one client alone.
 */
export interface ClientSession {
  /** The URL path that redeems the bootstrap: `/bootstrap/<secret>`. */
  bootstrapPath: string;
  /** The Set-Cookie value for the first, right secret; null for a wrong one or any second try. */
  redeem(secret: string): string | null;
  /** Whether the request carries this session's cookie. */
  holdsCookie(headers: IncomingHttpHeaders): boolean;
}

export const BOOTSTRAP_PREFIX = '/bootstrap/';

const secret = () => randomBytes(32).toString('base64url');

function same(given: string, expected: Buffer): boolean {
  const buffer = Buffer.from(given, 'utf8');
  return buffer.length === expected.length && timingSafeEqual(buffer, expected);
}

/** Cookies ignore ports: the name carries this host's port, so two hosts in one browser keep apart. */
export function sessionCookieName(port: number): string {
  return `enclave-session-${port}`;
}

export function createClientSession(port: number): ClientSession {
  const bootstrap = Buffer.from(secret(), 'utf8');
  const cookie = Buffer.from(secret(), 'utf8');
  const name = sessionCookieName(port);
  let redeemed = false;
  return {
    bootstrapPath: `${BOOTSTRAP_PREFIX}${bootstrap.toString('utf8')}`,
    redeem(given) {
      // Spent by its first right use only: a wrong guess cannot lock the real browser out.
      if (redeemed || !same(given, bootstrap)) return null;
      redeemed = true;
      return `${name}=${cookie.toString('utf8')}; HttpOnly; SameSite=Strict; Path=/`;
    },
    holdsCookie(headers) {
      const header = headers.cookie;
      if (typeof header !== 'string') return false;
      return header
        .split(';')
        .map((pair) => pair.trim())
        .some((pair) => pair.startsWith(`${name}=`) && same(pair.slice(name.length + 1), cookie));
    },
  };
}
