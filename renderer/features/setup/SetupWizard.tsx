import { useLoginState } from '../../state/login-state';
import { SETUP_STEPS, SIGNED_IN_STEPS, useSetupState, type SetupStep } from '../../state/setup-state';
import { CardStep } from './CardStep';
import { DemoOffer } from './DemoOffer';
import { FinishStep } from './FinishStep';
import { SecretStep } from './SecretStep';
import { SiteStep } from './SiteStep';
import { TrustStep } from './TrustStep';

const TITLES: Record<SetupStep, string> = {
  site: 'Site and system high',
  secret: 'Recovery secret',
  trust: 'Trust anchors and CRLs',
  card: 'Administrator’s card',
  finish: 'Finish',
};

/**
 * First-run setup (docs/admin-guide.md, "First run"). Before the store exists only (a) and (b) can
 * show; once the recovery secret is confirmed (or an unfinished setup is resumed with it) only
 * (c) to (e), since they need the store open.
 */
export function SetupWizard() {
  const phase = useLoginState((s) => s.phase);
  const step = useSetupState((s) => s.step);
  const shown: SetupStep =
    phase === 'setup' ? (step === 'secret' ? 'secret' : 'site') : SIGNED_IN_STEPS.includes(step) ? step : 'trust';
  const index = SETUP_STEPS.indexOf(shown);
  return (
    <main className="setup" data-testid="setup-wizard" data-step={shown} aria-labelledby="setup-title">
      <h1 id="setup-title">Set up this workstation</h1>
      <ol className="stepper" aria-label="Setup steps">
        {SETUP_STEPS.map((s, i) => (
          <li
            key={s}
            className={
              i < index
                ? 'stepper__step stepper__step--done'
                : i === index
                  ? 'stepper__step stepper__step--current'
                  : 'stepper__step'
            }
            aria-current={i === index ? 'step' : undefined}
          >
            <span className="stepper__number">{i + 1}</span> {TITLES[s]}
          </li>
        ))}
      </ol>
      <section className="setup__step" aria-labelledby="setup-step-title">
        <h2 id="setup-step-title">
          {index + 1}. {TITLES[shown]}
        </h2>
        {shown === 'site' && <SiteStep />}
        {shown === 'secret' && <SecretStep />}
        {shown === 'trust' && <TrustStep />}
        {shown === 'card' && <CardStep />}
        {shown === 'finish' && <FinishStep />}
      </section>
      {phase === 'setup' && shown === 'site' && <DemoOffer />}
    </main>
  );
}
