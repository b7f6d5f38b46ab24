import { roleAllows, type Access, type Role } from '../../common/access/roles';
import { signedInState } from '../state/signed-in';

/**
 * The app's screens as routes: a typed table, the current route in one state (RouteState), and
 * navigate(). The route is kept in the URL fragment (`#/run`, `#/admin`; home has none) with
 * history.pushState: in-page navigation, which loads nothing and runs no script, so it is the same
 * under the CSP (`default-src 'none'; script-src 'self'`) and in Electron, whose shell refuses every
 * real navigation. A fragment is only ever read against this table: anything else (the browser
 * host's `#token=…`, which renderer/ipc takes first, or a made-up route) means home.
 */
interface RouteDef {
  /** The fragment after `#/` ('' for home). */
  path: string;
  title: string;
  /** Who may open the screen, in the contract's words (common/access/roles.ts). */
  access: Exclude<Access, 'public'>;
}

export const ROUTES = {
  home: { path: '', title: 'Home', access: 'signed-in' },
  // Running is an analyst's (docs/roles.md: models.write); a viewer is not shown the screen.
  run: { path: 'run', title: 'Run a simulation', access: 'models.write' },
  // Building and saving models is an analyst's (models.write); the service checks each save.
  editor: { path: 'editor', title: 'Model editor', access: 'models.write' },
  admin: { path: 'admin', title: 'Administration', access: 'users.manage' },
  // A viewer reads the models shared with them; what each may do there follows the role and the model's grants.
  library: { path: 'library', title: 'Model library', access: 'models.read' },
  // Reports are read as models are (models.read); building and saving one is an analyst's (models.write).
  reports: { path: 'reports', title: 'Reports', access: 'models.read' },
  reportBuilder: { path: 'report-builder', title: 'Report builder', access: 'models.write' },
  // Sending records to another network in a signed bundle (docs/bundles-guide.md); importing is an administrator's.
  bundleExport: { path: 'bundle-export', title: 'Export a bundle', access: 'models.export' },
  bundleImport: { path: 'bundles', title: 'Import bundles', access: 'bundles.manage' },
  // Sneakernet update bundles, verified by TUF (docs/updates.md): an administrator's.
  updates: { path: 'updates', title: 'Updates', access: 'updates.manage' },
} as const satisfies Record<string, RouteDef>;

/** A screen's name; a new screen is a new entry in ROUTES (and in App's SCREENS, which must cover every one). */
export type RouteName = keyof typeof ROUTES;

const ROUTE_NAMES = Object.keys(ROUTES) as RouteName[];

export function routeHref(route: RouteName): string {
  return `#/${ROUTES[route].path}`;
}

/** The route a URL fragment names: only an exact entry of the table (with a `?report=N` at most); home for anything else. */
export function routeFromHash(hash: string): RouteName {
  const match = /^#\/([a-z-]*)(?:\?report=[1-9][0-9]{0,14})?$/.exec(hash);
  return (match && ROUTE_NAMES.find((name) => ROUTES[name].path === match[1])) || 'home';
}

/**
 * Whether a signed-in role may see a route. The renderer only hides: the service checks every call
 * whatever is shown.
 */
export function canOpen(route: RouteName, role: Role | null): boolean {
  if (role === null) return false;
  const access = ROUTES[route].access;
  return access === 'signed-in' || roleAllows(role, access);
}

/** The report a fragment names (`#/report-builder?report=12`: a new version of report 12), or null. */
export function reportFromHash(hash: string): number | null {
  const match = /^#\/[a-z-]*\?report=([1-9][0-9]{0,14})$/.exec(hash);
  return match ? Number(match[1]) : null;
}

/** Opens the report builder on a stored report (a new version of it), with the report in the address. */
export function openReportBuilder(report: number | null): void {
  navigate('reportBuilder');
  if (!inPage || useRouteState.getState().route !== 'reportBuilder') return;
  const href = `${routeHref('reportBuilder')}${report === null ? '' : `?report=${report}`}`;
  if (window.location.hash !== href) window.history.replaceState(null, '', href);
}

export interface RouteState {
  route: RouteName;
}

const inPage = typeof window !== 'undefined';

/** Puts `route` in the address bar: as a new history entry (push), or in place of the current one. */
function writeUrl(route: RouteName, how: 'push' | 'replace') {
  if (!inPage) return;
  const { hash, pathname, search } = window.location;
  // No route fragment is home (a fragment that is not a route, the bridge token, is left alone).
  const current = hash.startsWith('#/') ? routeFromHash(hash) : 'home';
  if (current === route) return;
  const url = route === 'home' ? pathname + search : routeHref(route);
  if (how === 'push') window.history.pushState(null, '', url);
  else window.history.replaceState(null, '', url);
}

/**
 * The current route. Where the user was is theirs: a lock or another user's sign-in forgets it
 * (signedInState), and the next session starts at home.
 */
export const useRouteState = signedInState<RouteState>('route', () => ({ route: 'home' }), {
  onForget() {
    writeUrl('home', 'replace');
  },
});

/**
 * A screen holding unsaved work (the model editor) may hold a move to another screen: the guard
 * answers false to stay, and asks the user itself. A lock or sign-out is not held (it forgets all).
 */
export type LeaveGuard = (to: RouteName) => boolean;
let leaveGuard: LeaveGuard | null = null;

/** Sets the guard; the function returned removes it (if it is still this one). */
export function setLeaveGuard(guard: LeaveGuard): () => void {
  leaveGuard = guard;
  return () => {
    if (leaveGuard === guard) leaveGuard = null;
  };
}

const held = (to: RouteName) => leaveGuard !== null && to !== useRouteState.getState().route && !leaveGuard(to);

/** Opens a screen. The App still shows home for a route the signed-in role may not use. */
export function navigate(route: RouteName): void {
  if (held(route)) return;
  useRouteState.setState({ route });
  writeUrl(route, 'push');
}

/** The ways to the screens, one per route: only where `role` may open it (home always). */
export type Ways = { home(): void } & { [R in Exclude<RouteName, 'home'>]?: () => void };

export function waysFor(role: Role | null): Ways {
  const ways: Partial<Record<RouteName, () => void>> = {};
  for (const name of ROUTE_NAMES) if (name === 'home' || canOpen(name, role)) ways[name] = () => navigate(name);
  return { ...ways, home: () => navigate('home') };
}

/** The route shown to `role`: the current one, or home where the role may not use it. */
export function shownRoute(route: RouteName, role: Role | null): RouteName {
  return canOpen(route, role) ? route : 'home';
}

if (inPage) {
  // A reload keeps the screen; Back and Forward move between screens.
  useRouteState.setState({ route: routeFromHash(window.location.hash) });
  // Back or Forward past a held screen puts its address back.
  const follow = () => {
    const to = routeFromHash(window.location.hash);
    if (held(to)) writeUrl(useRouteState.getState().route, 'push');
    else useRouteState.setState({ route: to });
  };
  window.addEventListener('popstate', follow);
  window.addEventListener('hashchange', follow);
}
