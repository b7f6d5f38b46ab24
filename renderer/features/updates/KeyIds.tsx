/** A key id as read aloud: its first 12 hex digits; the whole id on hover and for screen readers. */
export function KeyId({ keyid }: { keyid: string }) {
  return (
    <code className="update-keyid" title={keyid} aria-label={`key ${keyid}`} data-keyid={keyid}>
      {keyid.slice(0, 12)}
    </code>
  );
}

export function KeyIds({ keyids }: { keyids: readonly string[] }) {
  if (keyids.length === 0) return <span className="muted">none</span>;
  return (
    <span className="update-keyids">
      {keyids.map((keyid) => (
        <KeyId key={keyid} keyid={keyid} />
      ))}
    </span>
  );
}
