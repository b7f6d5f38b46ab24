import { describe, expect, it } from 'vitest';
import { parseMetadata } from '../../../electron/services/updates/tuf/metadata';
import { TestRepository } from '../../support/tuf-repository';

/** Parsing of signed envelopes: what is refused before any signature is checked, and what is kept. */
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

async function timestampEnvelope() {
  const repo = await TestRepository.create();
  return JSON.parse(new TextDecoder().decode(repo.metadata.get('timestamp.json')!)) as {
    signed: Record<string, unknown>;
    signatures: unknown[];
  };
}

describe('TUF metadata parsing', () => {
  it('keeps unknown fields, and signs over the object as parsed', async () => {
    const envelope = await timestampEnvelope();
    envelope.signed['x-extra'] = { z: 1, a: [true] };
    const parsed = parseMetadata(bytes(envelope), 'timestamp', 'timestamp');
    expect((parsed.signed as Record<string, unknown>)['x-extra']).toEqual({ z: 1, a: [true] });
    expect(new TextDecoder().decode(parsed.signedBytes)).toContain('"x-extra":{"a":[true],"z":1}');
  });

  it('refuses another major spec_version, the wrong _type, floats, bad expiry and non-JSON, each with its reason', async () => {
    const envelope = await timestampEnvelope();
    const variant = (change: (signed: Record<string, unknown>) => void) => {
      const copy = structuredClone(envelope);
      change(copy.signed);
      return bytes(copy);
    };
    expect(() =>
      parseMetadata(
        variant((s) => (s.spec_version = '2.0.0')),
        'timestamp',
        'timestamp',
      ),
    ).toThrow('timestamp metadata has spec_version "2.0.0"; this client reads TUF 1.x only');
    expect(() =>
      parseMetadata(
        variant(() => {}),
        'snapshot',
        'snapshot',
      ),
    ).toThrow('snapshot metadata has _type "timestamp", expected "snapshot"');
    expect(() =>
      parseMetadata(
        variant((s) => (s.version = 1.5)),
        'timestamp',
        'timestamp',
      ),
    ).toThrow(/version/);
    expect(() =>
      parseMetadata(
        variant((s) => (s.x = 0.25)),
        'timestamp',
        'timestamp',
      ),
    ).toThrow(/only integers/);
    expect(() =>
      parseMetadata(
        variant((s) => (s.expires = '2030-01-01 00:00')),
        'timestamp',
        'timestamp',
      ),
    ).toThrow(/expires is an ISO 8601 UTC time/);
    expect(() => parseMetadata(new TextEncoder().encode('{"signed":'), 'timestamp', 'timestamp')).toThrow(
      /timestamp metadata is not JSON/,
    );
    expect(() => parseMetadata(new Uint8Array([0xff, 0xfe]), 'timestamp', 'timestamp')).toThrow(/not JSON/);
  });

  it('refuses a delegation to a reserved name and one with both paths and hash prefixes', () => {
    const targets = (name: string, extra: object) => ({
      signed: {
        _type: 'targets',
        spec_version: '1.0',
        version: 1,
        expires: '2100-01-01T00:00:00Z',
        targets: {},
        delegations: { keys: {}, roles: [{ name, keyids: [], threshold: 1, terminating: false, ...extra }] },
      },
      signatures: [],
    });
    expect(() => parseMetadata(bytes(targets('root', { paths: ['*'] })), 'targets', 'targets')).toThrow(
      /reserved name/,
    );
    expect(() =>
      parseMetadata(bytes(targets('a', { paths: ['*'], path_hash_prefixes: ['ab'] })), 'targets', 'targets'),
    ).toThrow(/paths or path_hash_prefixes, not both/);
  });
});
