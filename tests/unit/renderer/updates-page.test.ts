import { createElement, type FunctionComponent } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApplyUpdate } from '../../../renderer/features/updates/ApplyUpdate';
import { UpdateHistory } from '../../../renderer/features/updates/UpdateHistory';
import { UpdateRootPanel } from '../../../renderer/features/updates/UpdateRootPanel';
import { UpdatesScreen } from '../../../renderer/features/updates/UpdatesScreen';
import type { UpdatesView } from '../../../renderer/features/updates/updates-view';
import { useUpdatesState } from '../../../renderer/state/updates-state';
import { useUsersState, type User } from '../../../renderer/state/users-state';
import {
  ANCHOR_SHA,
  CRL_SHA,
  fakeService,
  history,
  inspection,
  KEY_ROOT,
  KEY_TARGETS,
  KEY_TRUST,
  LOCKOUT,
  root,
} from './update-fixtures';

// The Updates page as the administrator reads it, rendered from the state the service's answers
// leave: the root, the review of a bundle, Apply held behind the lock-out box, the history, refusals.

const service = fakeService();
beforeAll(() => vi.stubGlobal('window', { enclave: service.bridge }));
afterAll(() => vi.unstubAllGlobals());
beforeEach(() => {
  useUpdatesState.setState(useUpdatesState.getInitialState(), true);
  useUsersState.setState(useUsersState.getInitialState(), true);
});

/** A part of the page rendered from the state as the service's answers (and the admin's actions) left it. */
const render = (component: FunctionComponent<{ view: UpdatesView; users: User[] | null }>) =>
  renderToStaticMarkup(
    createElement(component, { view: useUpdatesState.getState(), users: useUsersState.getState().users }),
  );

/** The text a reader sees in an element's markup: tags dropped, entities and spaces folded. */
const text = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

/** Every element with `data-testid="id"` of the given tag, as markup (no nesting of the same tag inside). */
const all = (html: string, tag: string, id: string) =>
  [...html.matchAll(new RegExp(`<${tag}[^>]*data-testid="${id}"[^>]*>[\\s\\S]*?</${tag}>`, 'g'))].map((m) => m[0]);

/** The opening tag of the element with `data-testid="id"`. */
const openTag = (html: string, id: string) => new RegExp(`<[a-z]+[^>]*data-testid="${id}"[^>]*>`).exec(html)?.[0];

const review = (lockout: string | null = null) =>
  useUpdatesState.setState({
    root,
    reviewed: { name: 'update-2026-12.tar', size: 40960, inspection: inspection(lockout), source: null },
  });

describe('the trusted update root', () => {
  it('with none: says so, offers the file chooser, and tells the admin to compare the fingerprint', () => {
    useUpdatesState.setState({ root: null });
    const html = render(UpdateRootPanel);
    const none = text(html);
    expect(none).toContain('No update root is trusted yet.');
    expect(none).toMatch(/compare the fingerprint .* with the one the update officers read out/);
    expect(openTag(html, 'update-root-choose-dialog')).toBeDefined();
  });

  it('shows version, expiry, the full fingerprint and each role’s threshold and shortened keys (full on hover)', () => {
    useUpdatesState.setState({ root });
    const html = render(UpdateRootPanel);
    expect(text(all(html, 'dd', 'update-root-version')[0]!)).toBe('2');
    expect(text(all(html, 'dd', 'update-root-expires')[0]!)).toBe('2027-06-30 00:00 UTC');
    expect(text(all(html, 'code', 'update-root-fingerprint')[0]!)).toBe('5'.repeat(64));
    const roles = all(html, 'tr', 'update-root-role').map(text);
    expect(roles).toEqual([
      `root 2 of 2 ${KEY_ROOT.slice(0, 12)} ${KEY_TRUST.slice(0, 12)}`,
      `targets 1 of 1 ${KEY_TARGETS.slice(0, 12)}`,
    ]);
    expect(html).toContain(`title="${KEY_ROOT}"`);
    expect(text(html)).not.toContain('No update root is trusted yet');
  });
});

describe('the review of a bundle', () => {
  it('lists each role old → new, its expiry, and signatures against the threshold', () => {
    review();
    const rows = all(render(ApplyUpdate), 'tr', 'update-role').map(text);
    expect(rows).toEqual([
      `root 2 (same) 2027-06-30 00:00 UTC 2 of threshold 2 ${KEY_ROOT.slice(0, 12)} ${KEY_TRUST.slice(0, 12)}`,
      `targets 3 → 4 2027-01-31 00:00 UTC 1 of threshold 1 ${KEY_TARGETS.slice(0, 12)}`,
      `trust new → 1 2027-01-31 00:00 UTC 1 of threshold 1 ${KEY_TRUST.slice(0, 12)}`,
    ]);
  });

  it('lists each target: kind in words, version, size, shortened hash (full on hover), role, and what applying does', () => {
    review();
    const html = render(ApplyUpdate);
    const rows = all(html, 'tr', 'update-target');
    expect(rows.map(text)).toEqual([
      `trust/site-ca-2027.pem trust anchor 2027.1 2.0 KiB ${ANCHOR_SHA.slice(0, 12)} trust would be applied adds the trust anchor CN=Site CA 2027 (root)`,
      `trust/site-ca.crl CRL none 512 bytes ${CRL_SHA.slice(0, 12)} trust unchanged the CRL held is already this one`,
    ]);
    expect(rows[0]).toContain(`title="${ANCHOR_SHA}"`);
    expect(text(all(html, 'dd', 'update-verified-time')[0]!)).toContain('2026-12-03 22:15 UTC');
    expect(openTag(html, 'update-lockout')).toBeUndefined();
    expect(openTag(html, 'update-apply')).not.toContain('disabled');
  });

  it('shows the lock-out warning with its box, and keeps Apply disabled until the box is ticked', () => {
    review(LOCKOUT);
    let html = render(ApplyUpdate);
    const warning = all(html, 'div', 'update-lockout')[0]!;
    expect(openTag(html, 'update-lockout')).toContain('role="alert"');
    expect(text(warning)).toContain(LOCKOUT);
    expect(text(warning)).toContain('I understand: apply even though no administrator card would sign in');
    expect(openTag(html, 'update-lockout-understood')).not.toContain('checked');
    expect(openTag(html, 'update-apply')).toContain('disabled');
    expect(text(html)).toContain('Tick the box above to apply despite the lock-out.');

    useUpdatesState.getState().understandLockout(true);
    html = render(ApplyUpdate);
    expect(openTag(html, 'update-lockout-understood')).toContain('checked');
    expect(openTag(html, 'update-apply')).not.toContain('disabled');
  });

  it('shows the applied update’s number and what each target did', () => {
    useUpdatesState.setState({ root, applied: { id: 3, inspection: inspection() } });
    const html = render(ApplyUpdate);
    expect(text(all(html, 'div', 'update-applied')[0]!)).toContain('Applied as update #3.');
    expect(all(html, 'strong', 'update-target-result').map(text)).toEqual(['applied', 'unchanged']);
    expect(openTag(html, 'update-review')).toBeUndefined();
  });

  it('offers no bundle choice before a root is trusted', () => {
    useUpdatesState.setState({ root: null });
    const html = render(ApplyUpdate);
    expect(openTag(html, 'update-inspect-dialog')).toContain('disabled');
    expect(text(html)).toContain('Trust an update root first');
  });
});

describe('refusals', () => {
  it('shows a refused bundle in the service’s words with each issue, and no stack', () => {
    useUpdatesState.setState({
      root,
      inspectProblem: {
        code: 'FAILED_PRECONDITION',
        message: 'The update bundle was refused: a rollback.',
        issues: [{ path: 'metadata/timestamp.json', message: 'version 5 is older than the trusted version 6' }],
      },
    });
    const html = render(ApplyUpdate);
    const problem = all(html, 'div', 'update-inspect-problem')[0]!;
    expect(openTag(html, 'update-inspect-problem')).toContain('role="alert"');
    expect(text(problem)).toBe(
      'The update bundle was refused: a rollback. metadata/timestamp.json — version 5 is older than the trusted version 6',
    );
    expect(html).not.toMatch(/ at |Error:/);
  });

  it('shows a refused apply under the review it belongs to', () => {
    review();
    useUpdatesState.setState({
      applyProblem: { code: 'FAILED_PRECONDITION', message: 'The update was not applied: the snapshot expired.' },
    });
    const html = render(ApplyUpdate);
    expect(all(html, 'article', 'update-review')[0]).toContain('The update was not applied: the snapshot expired.');
  });

  it('shows a refused root and a history that could not be read', () => {
    useUpdatesState.setState({
      root: null,
      rootProblem: {
        code: 'INVALID_ARGUMENT',
        message: 'root.json is not signed by its own root keys (1 of 2 needed).',
      },
      historyProblem: { code: 'FORBIDDEN', message: 'Your role (analyst) may not manage updates.' },
    });
    expect(text(render(UpdateRootPanel))).toContain('root.json is not signed by its own root keys (1 of 2 needed).');
    expect(text(render(UpdateHistory))).toContain('Your role (analyst) may not manage updates.');
  });
});

describe('the history', () => {
  it('shows each update’s state, who, when, versions, reason, and its targets with full selectable hashes', () => {
    useUpdatesState.setState({ history });
    useUsersState.setState({
      users: [{ id: 1, displayName: 'Ada Admin' } as User],
    });
    const html = render(UpdateHistory);
    const entries = all(html, 'article', 'update-history-entry');
    expect(entries).toHaveLength(2);
    const [failed, applied] = entries as [string, string];
    expect(failed).toContain('data-state="failed"');
    expect(text(failed)).toContain('Update #2 failed');
    expect(text(failed)).toContain('Reason The site configuration in the bundle does not load: banner level unknown.');
    expect(text(failed)).toContain('root 2, timestamp 7, snapshot 7, targets 4');
    expect(text(applied)).toContain('Update #1 applied');
    expect(text(applied)).toContain('By Ada Admin (user:1)');
    expect(text(applied)).toContain('started 2026-12-01 09:00 UTC, ended 2026-12-01 09:00 UTC');
    expect(all(applied, 'tr', 'update-history-target').map(text)).toEqual([
      `trust/site-ca-2027.pem trust anchor 2.0 KiB applied ${ANCHOR_SHA}`,
    ]);
    expect(text(all(applied, 'code', 'update-history-sha256')[0]!)).toBe(ANCHOR_SHA);
  });

  it('says when nothing has been applied', () => {
    useUpdatesState.setState({ history: [] });
    expect(text(render(UpdateHistory))).toContain('No update has been applied here.');
  });
});

it('the page puts the root, the bundle and the history together', () => {
  useUpdatesState.setState({ root, history });
  const html = renderToStaticMarkup(createElement(UpdatesScreen, { onHome: () => {} }));
  for (const id of ['update-root-panel', 'update-apply-panel', 'update-history'])
    expect(openTag(html, id)).toBeDefined();
  expect(text(html)).toContain('Updates');
});
