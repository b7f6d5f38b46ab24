import { request } from 'node:http';
import { TufError, TufNotFound } from './errors';
import type { TufSource } from './source';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A repository over plain HTTP, for the conformance test suite and local tests only: Enclave is
 * air-gapped, so anything but a loopback host is refused. Each request has a byte cap (the response is
 * cut off past `maxBytes`) and a timeout.
 */
export class HttpSource implements TufSource {
  private readonly metadataUrl: URL;
  private readonly targetUrl: URL | undefined;

  constructor(
    metadataUrl: string,
    targetUrl?: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.metadataUrl = loopbackUrl(metadataUrl);
    this.targetUrl = targetUrl === undefined ? undefined : loopbackUrl(targetUrl);
  }

  fetchMetadata(fileName: string, maxBytes: number): Promise<Uint8Array> {
    // Metadata file names come quoted already (role-names.ts): only unreserved characters and %XX.
    if (!/^[A-Za-z0-9_.~%-]+$/.test(fileName) || fileName.startsWith('.'))
      return Promise.reject(new TufError('bad-metadata', `'${fileName}' is not a metadata file name`));
    return this.get(this.metadataUrl, fileName, maxBytes, fileName);
  }

  fetchTarget(path: string, maxBytes: number): Promise<Uint8Array> {
    if (!this.targetUrl) return Promise.reject(new TufError('source', 'no target base URL was given'));
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return this.get(this.targetUrl, encoded, maxBytes, `target '${path}'`);
  }

  private get(base: URL, relative: string, maxBytes: number, label: string): Promise<Uint8Array> {
    const url = new URL(relative, base.href.endsWith('/') ? base : `${base.href}/`);
    return new Promise((resolve, reject) => {
      const req = request(url, { method: 'GET', timeout: this.timeoutMs }, (res) => {
        if (res.statusCode === 404 || res.statusCode === 403) {
          res.resume();
          return reject(new TufNotFound(label));
        }
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new TufError('source', `${label}: the server answered HTTP ${res.statusCode}`));
        }
        const chunks: Buffer[] = [];
        let length = 0;
        res.on('data', (chunk: Buffer) => {
          length += chunk.length;
          if (length > maxBytes) {
            req.destroy();
            reject(new TufError('too-large', `${label} is over its ${maxBytes}-byte limit`));
          } else chunks.push(chunk);
        });
        res.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
        res.on('error', (error) => reject(new TufError('source', `${label}: ${error.message}`)));
      });
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs / 1000} s`)));
      req.on('error', (error) => reject(new TufError('source', `${label}: ${error.message}`)));
      req.end();
    });
  }
}

function loopbackUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new TufError('source', `"${text}" is not a URL`);
  }
  if (url.protocol !== 'http:')
    throw new TufError('source', `${url.protocol} URLs are not used: only http:// to this machine (loopback)`);
  if (!LOOPBACK_HOSTS.has(url.hostname))
    throw new TufError(
      'source',
      `"${url.hostname}" is not this machine: Enclave fetches TUF repositories over HTTP from 127.0.0.1, ::1 or localhost only`,
    );
  if (url.username || url.password) throw new TufError('source', 'a URL with credentials is refused');
  return url;
}
