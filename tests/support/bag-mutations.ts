import { createHash } from 'node:crypto';
import { promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Seeded mutations of a bundle (its tar, or its bag directory) for fuzz tests: truncation, bit
 * flips, added and removed files, path tricks (`../x`, `/etc/x`, pax path overrides), links,
 * devices, collisions, huge declared sizes, many entries, manifest bombs. The tar builder here is
 * written independently of electron/services/bundles/tar so the tests do not grade the reader
 * with its own writer.
 */

/** mulberry32: a small seeded PRNG, enough to make every mutation reproducible from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: () => number, items: readonly T[]): T => items[Math.floor(rng() * items.length)] as T;
const int = (rng: () => number, max: number) => Math.floor(rng() * max);

/** One entry to put in a crafted tar. `size` declares a size other than data's length (a lie). */
export interface TarEntrySpec {
  name: string;
  /** ustar type flag: '0' file, '5' folder, '1' hard link, '2' symlink, '3'/'4' devices, '6' FIFO, 'x' pax, 'g' global pax, 'L' GNU long name. */
  type: string;
  data?: Buffer;
  size?: number;
  linkName?: string;
  /** pax records for this entry (path, size, ...), written as an 'x' header before it. */
  pax?: Record<string, string>;
}

function header(name: string, type: string, size: number, linkName = ''): Buffer {
  const block = Buffer.alloc(512);
  const put = (offset: number, length: number, value: string) =>
    Buffer.from(value, 'utf8').subarray(0, length).copy(block, offset);
  const octal = (offset: number, length: number, value: number) =>
    put(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100 && name.lastIndexOf('/') > 0) {
    prefix = name.slice(0, name.lastIndexOf('/'));
    base = name.slice(name.lastIndexOf('/') + 1);
  }
  put(0, 100, base);
  octal(100, 8, type === '5' ? 0o755 : 0o644);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, Math.min(size, 0o77777777777));
  octal(136, 12, 0);
  block.fill(0x20, 148, 156);
  block[156] = type.charCodeAt(0);
  put(157, 100, linkName);
  put(257, 8, 'ustar\x0000');
  put(345, 155, prefix);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

const pad = (length: number) => Buffer.alloc((512 - (length % 512)) % 512);

function paxBody(records: Record<string, string>): Buffer {
  let text = '';
  for (const [key, value] of Object.entries(records)) {
    const body = ` ${key}=${value}\n`;
    const bytes = Buffer.byteLength(body);
    let length = bytes + 1;
    while (bytes + String(length).length !== length) length = bytes + String(length).length;
    text += `${length}${body}`;
  }
  return Buffer.from(text, 'utf8');
}

/** A tar from entry specs; `end: false` leaves off the two zero blocks. */
export function craftTar(entries: readonly TarEntrySpec[], options: { end?: boolean } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    if (entry.pax) {
      const body = paxBody(entry.pax);
      parts.push(header('PaxHeaders/x', 'x', body.length), body, pad(body.length));
    }
    const data = entry.data ?? Buffer.alloc(0);
    parts.push(header(entry.name, entry.type, entry.size ?? data.length, entry.linkName), data, pad(data.length));
  }
  if (options.end !== false) parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** A bag directory as tar entries, sorted, folders with a trailing slash. */
export function entriesFromBag(dir: string, base = ''): TarEntrySpec[] {
  const entries: TarEntrySpec[] = [];
  for (const name of readdirSync(join(dir, base)).sort()) {
    const path = base ? `${base}/${name}` : name;
    if (statSync(join(dir, path)).isDirectory())
      entries.push({ name: `${path}/`, type: '5' }, ...entriesFromBag(dir, path));
    else entries.push({ name: path, type: '0', data: readFileSync(join(dir, path)) });
  }
  return entries;
}

const files = (entries: TarEntrySpec[]) => entries.filter((e) => e.type === '0');
const payloadFiles = (entries: TarEntrySpec[]) => files(entries).filter((e) => e.name.startsWith('data/'));

/** Knobs for the costly mutations: a fuzz run with small extraction limits can keep them small. */
export interface MutationOptions {
  /** Entries the many-entries mutation adds (default 3,000; above the tar limit the test passes). */
  manyEntries?: number;
}

type EntryMutation = (entries: TarEntrySpec[], rng: () => number, options?: MutationOptions) => TarEntrySpec[];
type ByteMutation = (tar: Buffer, rng: () => number) => Buffer;

/** Structural mutations: each returns a new entry list. */
export const ENTRY_MUTATIONS: Record<string, EntryMutation> = {
  'add-file': (e, rng) => [...e, { name: `data/extra-${int(rng, 1000)}.json`, type: '0', data: Buffer.from('{}') }],
  'remove-file': (e, rng) => {
    const victim = pick(rng, files(e));
    return e.filter((x) => x !== victim);
  },
  'modify-payload': (e, rng) => {
    const victim = pick(rng, payloadFiles(e));
    return e.map((x) =>
      x === victim ? { ...x, data: Buffer.concat([x.data ?? Buffer.alloc(0), Buffer.from(' ')]) } : x,
    );
  },
  'swap-tag-manifest': (e, rng) =>
    e.map((x) =>
      x.name === 'tagmanifest-sha512.txt'
        ? { ...x, data: Buffer.from(`${createHash('sha512').update(String(rng())).digest('hex')}  bagit.txt\n`) }
        : x,
    ),
  'manifest-bomb': (e, rng) => {
    const lines = Array.from(
      { length: 20_000 + int(rng, 1000) },
      (_, i) => `${'0'.repeat(128)}  data/bomb-${i}\n`,
    ).join('');
    return e.map((x) => (x.name === 'manifest-sha512.txt' ? { ...x, data: Buffer.from(lines) } : x));
  },
  'dot-dot': (e, rng) => [
    ...e,
    { name: pick(rng, ['../escape.json', 'data/../../escape.json', 'data/..']), type: '0', data: Buffer.from('x') },
  ],
  absolute: (e, rng) => [
    ...e,
    { name: pick(rng, ['/etc/enclave-x', '/tmp/x', 'C:/x', '~/x']), type: '0', data: Buffer.from('x') },
  ],
  backslash: (e) => [...e, { name: 'data\\..\\..\\x', type: '0', data: Buffer.from('x') }],
  'pax-path-override': (e, rng) => [
    ...e,
    {
      name: 'data/innocent.json',
      type: '0',
      data: Buffer.from('x'),
      pax: { path: pick(rng, ['../../evil', '/etc/evil', 'data/a/../../../evil']) },
    },
  ],
  symlink: (e) => [...e, { name: 'data/link.json', type: '2', linkName: '/etc/passwd' }],
  hardlink: (e) => [...e, { name: 'data/hard.json', type: '1', linkName: 'bagit.txt' }],
  device: (e, rng) => [...e, { name: 'data/dev', type: pick(rng, ['3', '4']) }],
  fifo: (e) => [...e, { name: 'data/fifo', type: '6' }],
  'case-collision': (e, rng) => {
    const victim = pick(rng, payloadFiles(e));
    return [...e, { ...victim, name: victim.name.toUpperCase().replace(/^DATA\//, 'data/') }];
  },
  'nfd-collision': (e) => [
    ...e,
    { name: 'data/caf\u00e9.json', type: '0', data: Buffer.from('1') },
    { name: 'data/cafe\u0301.json', type: '0', data: Buffer.from('2') },
  ],
  'duplicate-entry': (e, rng) => [...e, pick(rng, files(e))],
  'file-then-folder': (e) => [
    ...e,
    { name: 'data/x', type: '0', data: Buffer.from('1') },
    { name: 'data/x/y', type: '0', data: Buffer.from('2') },
  ],
  'reserved-name': (e, rng) => [
    ...e,
    {
      name: `data/${pick(rng, ['CON', 'nul.json', 'COM1.txt', 'lpt9', 'name.', 'name '])}`,
      type: '0',
      data: Buffer.from('x'),
    },
  ],
  'control-character': (e) => [...e, { name: 'data/line\nbreak', type: '0', data: Buffer.from('x') }],
  'huge-declared-size': (e, rng) => [
    ...e,
    rng() < 0.5
      ? { name: 'data/huge.bin', type: '0', size: 0o77777777777 }
      : { name: 'data/huge.bin', type: '0', pax: { size: String(2 ** 40) } },
  ],
  'many-entries': (e, rng, options) => {
    const n = options?.manyEntries ?? 3000;
    return [
      ...e,
      ...Array.from({ length: n + int(rng, n / 6) }, (_, i) => ({
        name: `data/many/${i}`,
        type: '0',
        data: Buffer.from('x'),
      })),
    ];
  },
  'unknown-type': (e, rng) => [...e, { name: 'data/odd', type: pick(rng, ['7', 'S', 'V', 'M', 'Z']) }],
  'special-system-file': (e) => [...e, { name: 'data/.DS_Store', type: '0', data: Buffer.alloc(0) }],
  'extra-root-file': (e) => [
    ...e,
    { name: 'fetch.txt', type: '0', data: Buffer.from('https://x.invalid/a - data/a\n') },
  ],
};

/** Byte-level mutations of a whole tar. */
export const BYTE_MUTATIONS: Record<string, ByteMutation> = {
  truncate: (tar, rng) => tar.subarray(0, int(rng, tar.length)),
  'truncate-at-block': (tar, rng) => tar.subarray(0, 512 * int(rng, Math.floor(tar.length / 512))),
  'bit-flip': (tar, rng) => {
    const copy = Buffer.from(tar);
    for (let i = 1 + int(rng, 8); i > 0; i--) {
      const at = int(rng, copy.length);
      copy[at] = (copy[at] as number) ^ (1 << int(rng, 8));
    }
    return copy;
  },
  'trailing-garbage': (tar, rng) =>
    Buffer.concat([tar, Buffer.from(Array.from({ length: 1 + int(rng, 2000) }, () => 1 + int(rng, 255)))]),
  'no-end-marker': (tar) => tar.subarray(0, tar.length - 1024),
  'one-end-block': (tar) => tar.subarray(0, tar.length - 512),
  'zero-padding': (tar, rng) => Buffer.concat([tar, Buffer.alloc(512 * int(rng, 20))]),
  'header-garbage': (tar, rng) => {
    const copy = Buffer.from(tar);
    const block = 512 * int(rng, Math.floor(copy.length / 512));
    for (let i = 0; i < 512; i++) copy[block + i] = int(rng, 256);
    return copy;
  },
};

export const MUTATION_NAMES = [...Object.keys(ENTRY_MUTATIONS), ...Object.keys(BYTE_MUTATIONS)];

/** One seeded mutation of a bundle's entries, as a tar: the same seed always gives the same bytes. */
export function mutateBundleTar(
  base: readonly TarEntrySpec[],
  seed: number,
  options: MutationOptions = {},
): { mutation: string; tar: Buffer } {
  const rng = seededRandom(seed);
  const mutation = pick(rng, MUTATION_NAMES);
  const entryMutation = ENTRY_MUTATIONS[mutation];
  if (entryMutation) return { mutation, tar: craftTar(entryMutation([...base], rng, options)) };
  return { mutation, tar: (BYTE_MUTATIONS[mutation] as ByteMutation)(craftTar(base), rng) };
}

/** Seeded mutations of a bag directory in place (for checks that start from a directory). */
export const DIRECTORY_MUTATIONS: Record<string, (dir: string, rng: () => number) => Promise<void>> = {
  'flip-payload-bit': async (dir, rng) => {
    const path = join(dir, 'data', pick(rng, await listPayload(dir)));
    const bytes = await fs.readFile(path);
    if (bytes.length === 0) return fs.writeFile(path, 'x');
    const at = int(rng, bytes.length);
    bytes[at] = (bytes[at] as number) ^ (1 << int(rng, 8));
    await fs.writeFile(path, bytes);
  },
  'add-payload-file': (dir, rng) => fs.writeFile(join(dir, 'data', `added-${int(rng, 1e6)}`), 'x'),
  'remove-payload-file': async (dir, rng) => fs.rm(join(dir, 'data', pick(rng, await listPayload(dir)))),
  'append-manifest-line': (dir, rng) =>
    fs.appendFile(join(dir, 'manifest-sha512.txt'), `${'a'.repeat(128)}  data/ghost-${int(rng, 1e6)}\n`),
  'out-of-scope-manifest-line': (dir, rng) =>
    fs.appendFile(
      join(dir, 'manifest-sha512.txt'),
      `${'a'.repeat(128)}  ${pick(rng, ['../x', '/etc/passwd', '~/x', 'C:\\x'])}\n`,
    ),
  'truncate-tag-manifest': async (dir, rng) => {
    const path = join(dir, 'tagmanifest-sha512.txt');
    const bytes = await fs.readFile(path);
    await fs.writeFile(path, bytes.subarray(0, int(rng, bytes.length)));
  },
};

async function listPayload(dir: string, base = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(join(dir, 'data', base), { withFileTypes: true })) {
    const path = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listPayload(dir, path)));
    else out.push(path);
  }
  return out.sort();
}

/** Applies one seeded directory mutation; returns its name. */
export async function mutateBagDirectory(dir: string, seed: number): Promise<string> {
  const rng = seededRandom(seed);
  const name = pick(rng, Object.keys(DIRECTORY_MUTATIONS));
  await (DIRECTORY_MUTATIONS[name] as (dir: string, rng: () => number) => Promise<void>)(dir, rng);
  return name;
}
