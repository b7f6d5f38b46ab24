/**
 * The named steps of a stage and a switch, in order. A caller may watch them (progress, or the
 * crash test that stops the process at each one); watching changes nothing the steps do.
 */
export type ReleaseStep =
  | 'stage:folder-made'
  | 'stage:tar-written'
  | 'stage:extracted'
  | 'stage:checked'
  | 'stage:synced'
  | 'stage:old-moved-aside'
  | 'stage:renamed'
  | 'switch:previous-recorded'
  | 'switch:pointer-made'
  | 'switch:pointer-moved'
  | 'switch:old-moved-aside'
  | 'switch:old-removed'
  | 'rollback:pointer-made'
  | 'rollback:pointer-moved'
  | 'rollback:previous-cleared';

export interface ReleaseObserver {
  onStep?: (step: ReleaseStep) => void;
}
