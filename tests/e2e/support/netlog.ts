import { expect, test } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';

/**
 * Reads a Chromium NetLog (--log-net-log): the browser's own record of every URL request, DNS
 * transaction and TCP connect, including background traffic that page-level events never see.
 */
export interface NetLogReport {
  /** URL requests to 127.0.0.1. */
  loopbackRequests: string[];
  /** URL requests to anywhere else, with how they ended and who started them. */
  foreignRequests: { url: string; netError: number | null; initiator: string }[];
  /** DNS queries that were actually sent, for names other than loopback. */
  dnsQueries: string[];
  /** TCP connect attempts to addresses other than loopback. */
  connectAttempts: string[];
}

interface NetLogEvent {
  type: number;
  phase: number;
  source: { id: number; type: number };
  params?: Record<string, unknown>;
}

const LOOPBACK_HOST = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/;

export function isLoopbackUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (['about:', 'data:', 'blob:'].includes(parsed.protocol)) return true;
    return LOOPBACK_HOST.test(parsed.hostname);
  } catch {
    return false;
  }
}

const isLoopbackAddress = (address: string) =>
  LOOPBACK_HOST.test(address.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1'));

export function readNetLog(path: string): NetLogReport {
  if (!existsSync(path)) throw new Error(`no NetLog at ${path}`);
  let text = readFileSync(path, 'utf8').trim();
  // A browser that did not shut down cleanly leaves the events array open.
  if (!text.endsWith('}')) text = `${text.replace(/,\s*$/, '')}]}`;
  const log = JSON.parse(text) as { constants: { logEventTypes: Record<string, number> }; events: NetLogEvent[] };
  const type = log.constants.logEventTypes;

  const requests = new Map<number, { url: string; netError: number | null; initiator: string }>();
  const report: NetLogReport = { loopbackRequests: [], foreignRequests: [], dnsQueries: [], connectAttempts: [] };

  for (const event of log.events) {
    const params = event.params ?? {};
    if (event.type === type.REQUEST_ALIVE) {
      const entry = requests.get(event.source.id) ?? { url: '', netError: null, initiator: '' };
      if (typeof params.url === 'string') entry.url = params.url;
      if (typeof params.net_error === 'number') entry.netError = params.net_error;
      requests.set(event.source.id, entry);
    } else if (event.type === type.URL_REQUEST_START_JOB && typeof params.initiator === 'string') {
      const entry = requests.get(event.source.id);
      if (entry) entry.initiator = params.initiator;
    } else if (event.type === type.DNS_TRANSACTION_QUERY && typeof params.qname === 'string') {
      if (!LOOPBACK_HOST.test(params.qname)) report.dnsQueries.push(params.qname);
    } else if (event.type === type.TCP_CONNECT_ATTEMPT && typeof params.address === 'string') {
      if (!isLoopbackAddress(params.address)) report.connectAttempts.push(params.address);
    }
  }
  for (const request of requests.values()) {
    if (!request.url) continue;
    if (isLoopbackUrl(request.url)) report.loopbackRequests.push(request.url);
    else report.foreignRequests.push(request);
  }
  return report;
}

/**
 * Closes the recorded browser and checks that nothing left 127.0.0.1: neither the pages' requests
 * nor the browser's own (NetLog: no DNS query, no connection). Chromium's own background requests
 * are stopped inside the browser by the host-resolver rule in OFFLINE_SWITCHES: none came from the
 * app, none got a name. Returns the NetLog report for the test to attach.
 */
export async function expectNothingLeftLoopback(
  recorded: { browser: { close(): Promise<void> }; requests: string[]; netLogPath: string },
  minimumRequests = 0,
): Promise<NetLogReport> {
  await recorded.browser.close();
  expect(recorded.requests.length).toBeGreaterThanOrEqual(minimumRequests);
  expect(recorded.requests.filter((url) => !isLoopbackUrl(url))).toEqual([]);
  const log = readNetLog(recorded.netLogPath);
  expect(log.loopbackRequests.length).toBeGreaterThanOrEqual(minimumRequests);
  expect(log.dnsQueries).toEqual([]);
  expect(log.connectAttempts).toEqual([]);
  for (const request of log.foreignRequests) {
    expect(request.initiator, request.url).toBe('not an origin');
    expect(request.netError, request.url).toBe(-105); // ERR_NAME_NOT_RESOLVED
  }
  return log;
}

/** expectNothingLeftLoopback, then the number of loopback requests attached to the test as `netlog-summary`. */
export async function expectNothingLeftLoopbackAndAttach(
  recorded: Parameters<typeof expectNothingLeftLoopback>[0],
  minimumRequests: number,
): Promise<void> {
  const log = await expectNothingLeftLoopback(recorded, minimumRequests);
  await test.info().attach('netlog-summary', {
    contentType: 'application/json',
    body: JSON.stringify({ loopbackRequests: log.loopbackRequests.length }),
  });
}
