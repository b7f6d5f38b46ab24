import type { IpcError } from '../../../common/ipc/result';

/**
 * A bundle refused or failed, in the service's words, with every issue it names as `where — why`
 * (an export: the record and the rule it breaks; an import: the check's step and path). No stack.
 */
export function BundleProblem({ error, testId }: { error: IpcError | null; testId: string }) {
  if (!error) return null;
  return (
    <div className="refusal" role="alert" data-testid={testId} data-code={error.code}>
      <p className="refusal__headline">{error.message}</p>
      {error.issues && error.issues.length > 0 && (
        <ul className="refusal__issues" data-testid={`${testId}-issues`}>
          {error.issues.map((issue, index) => (
            <li key={`${index}:${issue.path}:${issue.message}`} data-testid={`${testId}-issue`}>
              {issue.path ? (
                <>
                  <code>{issue.path}</code> — {issue.message}
                </>
              ) : (
                issue.message
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
