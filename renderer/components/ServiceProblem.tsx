import type { IpcError } from '../../common/ipc/result';

/**
 * A refusal or failure from the service, in its own words (which say what to do), with the fields
 * it names. Never a stack: the service sends none, and nothing here adds one.
 */
export function ServiceProblem({ error, testId }: { error: IpcError | null; testId: string }) {
  if (!error) return null;
  return (
    <div className="refusal" role="alert" data-testid={testId} data-code={error.code}>
      <p>{error.message}</p>
      {error.issues && error.issues.length > 0 && (
        <ul className="refusal__issues">
          {error.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>{issue.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
