import type { ReportMarkingVerdict } from '../../../common/ipc/channels/reports';

/** The service's word on the report's markings: the banner it will carry, or every portion that stops it, and where. */
export function VerdictPanel({ verdict, why }: { verdict: ReportMarkingVerdict | null; why: string | null }) {
  if (why)
    return (
      <p className="muted" data-testid="report-verdict" data-status="incomplete">
        {why}
      </p>
    );
  if (!verdict)
    return (
      <p className="muted" role="status" data-testid="report-verdict" data-status="pending">
        Asking the service about the markings…
      </p>
    );
  if (verdict.ok)
    return (
      <p className="notice-ok" role="status" data-testid="report-verdict" data-status="ok" data-banner={verdict.banner}>
        The service accepts the markings: the banner is <strong>{verdict.banner}</strong>
        {verdict.banner !== verdict.rollup ? ` (raised from the roll-up ${verdict.rollup})` : ' (the roll-up)'}.
      </p>
    );
  return (
    <div className="refusal" role="alert" data-testid="report-verdict" data-status="refused">
      <p>The service refuses the report’s markings; nothing can be exported or saved until each is put right:</p>
      <ul className="refusal__issues">
        {verdict.problems.map((problem) => (
          <li key={`${problem.where}:${problem.portion}:${problem.message}`} data-testid="report-problem-item">
            <strong>{problem.where}</strong>
            {problem.portion && (
              <>
                {' '}
                <code>{problem.portion}</code>
              </>
            )}
            : {problem.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
