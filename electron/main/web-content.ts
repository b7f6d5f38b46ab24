import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/**
 * The built renderer's files and the headers they are served with, shared by the Electron
 * `app://` protocol handler and the browser host so both enforce the same policy.
 */

/**
 * The one Trusted Types policy the renderer may create: it turns the engine's own worker script
 * URL (and nothing else) into the TrustedScriptURL that `new Worker()` demands. Must match
 * renderer/engine/cpu/trusted-types.ts (a unit test holds them together).
 */
export const ENGINE_WORKER_POLICY = 'enclave-engine-worker';

/** Only what the app uses, all from 'self'. connect-src is needed by the browser host's fetch bridge. */
export function contentSecurityPolicy(options: { allowConnectSelf: boolean }): string {
  return [
    "default-src 'none'",
    // 'wasm-unsafe-eval' lets the engine compile its own WebAssembly (Philox); it allows no JavaScript eval.
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "font-src 'self'",
    "img-src 'self'",
    "worker-src 'self'",
    `connect-src ${options.allowConnectSelf ? "'self'" : "'none'"}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
    `trusted-types ${ENGINE_WORKER_POLICY}`,
  ].join('; ');
}

export function securityHeaders(csp: string): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Cache-Control': 'no-store',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), usb=(), serial=(), hid=()',
  };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  // Module scripts and the engine's module workers: a worker script must come with a JS type.
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.wgsl': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Maps a URL path onto a file inside `rootDir`, or null when it would escape it, names a hidden
 * file, or is not a type we serve. "/" is the app's index.html.
 */
export function resolveStaticPath(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  if (relative.split('/').some((part) => part.startsWith('.'))) return null;
  const root = resolve(rootDir);
  const full = resolve(root, relative);
  if (!full.startsWith(root + sep)) return null;
  if (!(extname(full) in CONTENT_TYPES)) return null;
  return full;
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticFile | null> {
  const path = resolveStaticPath(rootDir, urlPath);
  if (!path) return null;
  try {
    return { body: await readFile(path), contentType: CONTENT_TYPES[extname(path)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
