import { hostname } from 'node:os';
import { APP_VERSION } from '../../../common/version';
import type { AuditEntry } from './audit-log';

/** One JSON object per line: the entry, its chain hash and its predecessor's. */
export function toJsonLine(entry: AuditEntry): string {
  return JSON.stringify({
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    event: entry.event,
    object: entry.object,
    outcome: entry.outcome,
    detail: JSON.parse(entry.detail) as unknown,
    prevHash: entry.prevHash.toString('hex'),
    hash: entry.hash.toString('hex'),
  });
}

const cefHeader = (value: string) =>
  value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
const cefValue = (value: string) => value.replace(/\\/g, '\\\\').replace(/=/g, '\\=').replace(/\r?\n/g, '\\n');

/**
 * ArcSight CEF inside an RFC 5424 syslog line (facility authpriv), as SIEMs ingest it.
 * Failures and denials are CEF severity 7 (syslog warning); everything else 3 (syslog info).
 */
export function toCefSyslogLine(entry: AuditEntry, host: string = hostname()): string {
  const bad = entry.outcome !== 'success';
  const cefSeverity = bad ? 7 : 3;
  const pri = 10 * 8 + (bad ? 4 : 6);
  const extension = [
    `rt=${Date.parse(entry.at)}`,
    `suser=${cefValue(entry.actor)}`,
    `outcome=${entry.outcome}`,
    `externalId=${entry.seq}`,
    `cs1Label=object cs1=${cefValue(entry.object)}`,
    `cs2Label=chainHash cs2=${entry.hash.toString('hex')}`,
    `msg=${cefValue(entry.detail)}`,
  ].join(' ');
  const cef = `CEF:0|Enclave|Enclave|${cefHeader(APP_VERSION)}|${cefHeader(entry.event)}|${cefHeader(entry.event.replace(/\./g, ' '))}|${cefSeverity}|${extension}`;
  return `<${pri}>1 ${entry.at} ${host} enclave - audit - ${cef}`;
}
