import { useLoginState } from '../../state/login-state';

/**
 * Who is signed in, the Lock button, and for an administrator the way to the Administration page
 * (`onOpenAdmin`, passed only when that page may be opened from where the user is).
 */
export function SessionBar({ onOpenAdmin }: { onOpenAdmin?: () => void }) {
  const user = useLoginState((s) => s.status?.user ?? null);
  const warnings = useLoginState((s) => s.warnings);
  const lock = useLoginState((s) => s.lock);
  if (!user) return null;
  return (
    <div className="session-bar" data-testid="session-bar">
      <span>
        Signed in as <strong data-testid="session-user">{user.displayName}</strong> ·{' '}
        <span data-testid="session-role">{user.role}</span>
      </span>
      {warnings.length > 0 && (
        <ul className="session-bar__warnings" data-testid="session-warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {onOpenAdmin && user.role === 'admin' && (
        <button type="button" className="button button--small" onClick={onOpenAdmin} data-testid="open-admin">
          Administration
        </button>
      )}
      <button type="button" className="button button--small" onClick={() => void lock()} data-testid="lock-button">
        Lock
      </button>
    </div>
  );
}
