import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { AnalysisName, AnalysisResult } from '../../../common/engine/analysis/analysis-messages';
import {
  analysisClient,
  AnalysisSlot,
  AnalysisSupersededError,
  type PageAnalysisCall,
} from '../../engine/analysis-client';

export type AnalysisState<T> =
  { status: 'pending' } | { status: 'done'; result: T } | { status: 'failed'; message: string };

const PENDING = { status: 'pending' } as const;

/**
 * An analysis computed in the analysis worker (renderer/engine/analysis-client.ts) instead of on
 * the page's thread. `call` must keep its identity while what it asks stays the same (make it with
 * useMemo); null asks nothing (the view's choices are not valid) and gives null. A new call shows
 * pending until its answer; an older call's answer, if it comes later, is ignored.
 */
export function useAnalysis<K extends AnalysisName>(
  call: PageAnalysisCall<K> | null,
): AnalysisState<AnalysisResult<K>> | null {
  const slot = useRef<AnalysisSlot | null>(null);
  const [answer, setAnswer] = useState<{ call: unknown; state: AnalysisState<AnalysisResult<K>> } | null>(null);
  useEffect(() => {
    if (!call) return;
    let current = true;
    slot.current ??= new AnalysisSlot();
    analysisClient()
      .run(call, slot.current)
      .then(
        (result) => {
          if (current) setAnswer({ call, state: { status: 'done', result } });
        },
        (error: unknown) => {
          if (!current || error instanceof AnalysisSupersededError) return;
          const message = error instanceof Error ? error.message : String(error);
          setAnswer({ call, state: { status: 'failed', message } });
        },
      );
    return () => {
      current = false;
    };
  }, [call]);
  if (!call) return null;
  return answer?.call === call ? answer.state : PENDING;
}

/** Whether an analysis is still being computed (for aria-busy). */
export const isPending = (state: AnalysisState<unknown> | null) => state?.status === 'pending';

/** An analysis's place on screen: "Computing…" while pending, its failure in words, or `children` with the result. */
export function AnalysisOutcome<T>({
  state,
  children,
}: {
  state: AnalysisState<T> | null;
  children: (result: T) => ReactNode;
}) {
  if (!state) return null;
  if (state.status === 'pending')
    return (
      <p className="muted" role="status" data-testid="analysis-computing">
        Computing…
      </p>
    );
  if (state.status === 'failed')
    return (
      <p className="field-problem" role="alert">
        This analysis could not be computed: {state.message}
      </p>
    );
  return <>{children(state.result)}</>;
}
