import { describe, expect, it } from 'vitest';
import { bundleInfoOf, bagInfoText, type BundleInfo } from '../../../common/bundle/bundle-info';
import { DestinationProfileSchema, destinationRefusals } from '../../../common/bundle/destination';
import { parseMarkingOrThrow } from '../../../common/markings';

const profile = (over: object) =>
  DestinationProfileSchema.parse({ name: 'dest', channel: 'c1', highest: 'S', ...over });
const reasons = (marking: string, over: object = {}) =>
  destinationRefusals(parseMarkingOrThrow(marking), profile(over)).map((r) => `${r.kind}: ${r.message}`);

describe('destination profiles', () => {
  it('lets a record go when every part of its marking fits', () => {
    expect(reasons('SECRET//NOFORN', { noforn: true })).toEqual([]);
    expect(reasons('SECRET//REL TO USA, GBR', { relTo: ['GBR'] })).toEqual([]);
    expect(reasons('UNCLASSIFIED', { highest: 'U', relTo: ['GBR', 'AUS'] })).toEqual([]);
    expect(reasons('TOP SECRET//SI-G//NOFORN', { highest: 'TS', sci: ['SI'], noforn: true })).toEqual([]);
  });

  it('names each reason a record may not go: level, compartment, program, NOFORN, REL TO', () => {
    expect(reasons('TOP SECRET//SI-G/TK//NOFORN', { highest: 'S', sci: ['SI-G'] })).toEqual([
      "level: TOP SECRET is above destination dest's highest level, SECRET",
      'compartment: SCI TK is not allowed on destination dest',
      'noforn: NOFORN information may not go to destination dest',
    ]);
    expect(reasons('SECRET//SAR-BP//NOFORN', { noforn: true })).toEqual([
      'program: special access program BP is not allowed on destination dest',
    ]);
    expect(reasons('SECRET//REL TO USA, GBR', { relTo: ['GBR', 'AUS'] })).toEqual([
      'rel-to: not releasable to AUS, whose people are on destination dest',
    ]);
    expect(reasons('SECRET', { relTo: ['GBR'] })).toEqual([
      'rel-to: not releasable to GBR, whose people are on destination dest',
    ]);
  });

  it('refuses a profile that would take NOFORN to foreign users', () => {
    expect(() => profile({ noforn: true, relTo: ['GBR'] })).toThrow(/cannot take NOFORN/);
  });
});

describe('bag-info.txt fields', () => {
  const info: BundleInfo = {
    bundleId: '0b6f3b3e-8c3a-4bb7-9c55-1f0f0e3c2d11',
    format: 'enclave-bundle/1',
    sourceSite: 'Field Site 7',
    sourceNetwork: 'SIPRNet-7',
    destination: 'site9',
    channel: 'fs7-to-fs9',
    sequence: 2,
    previousHash: 'a'.repeat(128),
    created: '2026-12-03T08:00:00.000Z',
    expires: '2027-01-02T08:00:00.000Z',
    banner: 'SECRET//NOFORN',
    recordCount: 3,
    signer: 'CN=ROE.JANE.A.2345678901, OU=CONTRACTOR',
  };
  const fields = (text: string) =>
    text
      .trimEnd()
      .split('\n')
      .map((line) => line.split(': ') as [string, string]);

  it('round-trips through the text Enclave writes', () => {
    const text = bagInfoText(info, { bytes: 1234, files: 3 });
    expect(text).toMatch(/^Enclave-Bundle-Id: 0b6f3b3e-/);
    expect(text).toMatch(/\nPayload-Oxum: 1234\.3\nBagging-Date: 2026-12-03\n$/);
    expect(bundleInfoOf(fields(text))).toEqual({ info });
  });

  it('refuses a missing or repeated field, a bad number, and a first bundle that names a previous one', () => {
    const text = bagInfoText(info, { bytes: 1, files: 1 });
    const without = fields(text).filter(([label]) => label !== 'Enclave-Channel-Id');
    expect(bundleInfoOf(without)).toEqual({
      problems: [{ label: 'Enclave-Channel-Id', message: 'Enclave-Channel-Id is missing' }],
    });
    const twice = [...fields(text), ['Enclave-Banner', 'UNCLASSIFIED'] as [string, string]];
    expect(bundleInfoOf(twice)).toEqual({
      problems: [{ label: 'Enclave-Banner', message: 'Enclave-Banner appears 2 times' }],
    });
    const first = fields(bagInfoText({ ...info, sequence: 1 }, { bytes: 1, files: 1 }));
    expect(bundleInfoOf(first)).toMatchObject({ problems: [{ label: 'Enclave-Previous-Bundle-Hash' }] });
    const huge = fields(text).map(([l, v]) => [l, l === 'Enclave-Record-Count' ? '99999999' : v] as [string, string]);
    expect(bundleInfoOf(huge)).toMatchObject({ problems: [{ label: 'Enclave-Record-Count' }] });
  });
});
