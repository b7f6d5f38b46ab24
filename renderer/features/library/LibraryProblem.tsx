import type { IpcError } from '../../../common/ipc/result';

/**
 * A refusal from the service in its own words, with every problem it names and where (an import's
 * `inputs.cost.dist.sd`), all at once. Never a stack: the service sends none.
 */
export function LibraryProblem({ error, testId }: { error: IpcError | null; testId: string }) {
  if (!error) return null;
  return (
    <div className="refusal" role="alert" data-testid={testId} data-code={error.code}>
      <p>{error.message}</p>
      {error.issues && error.issues.length > 0 && (
        <ul className="refusal__issues" data-testid={`${testId}-issues`}>
          {error.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path && issue.path !== '(model)' && <code className="library-path">{issue.path}</code>}{' '}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
