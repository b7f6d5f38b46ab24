import { useSessionStore } from '../../state/session-store';

/** Who is signed in, and the Lock button. */
export function SessionBar() {
  const user = useSessionStore((s) => s.status?.user ?? null);
  const warnings = useSessionStore((s) => s.warnings);
  const lock = useSessionStore((s) => s.lock);
  if (!user) return null;
  return (
    <div className="session-bar" data-testid="session-bar">
      <span>
        Signed in as <strong data-testid="session-user">{user.displayName}</strong> · <span data-testid="session-role">{user.role}</span>
      </span>
      {warnings.length > 0 && (
        <ul className="session-bar__warnings" data-testid="session-warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <button type="button" className="button button--small" onClick={() => void lock()} data-testid="lock-button">
        Lock
      </button>
    </div>
  );
}
