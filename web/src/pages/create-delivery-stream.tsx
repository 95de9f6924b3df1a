/**
 * Create a delivery stream in five steps, as AWS's console does (seed 003): name and source,
 * process records, destination, settings, review. Each step is a form: Next (or Enter) checks its
 * fields and shows what is wrong inline, moving the focus to the first field in error; the step's
 * heading takes the focus when a step opens. The review sends CreateDeliveryStream and opens the
 * new delivery stream's page; a refusal is shown as the server's error code and message.
 */
import { CreateDeliveryStreamCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import type { GlueClient } from '@aws-sdk/client-glue';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBanner, useAction } from '../components/ui.js';
import {
  createDeliveryStreamInput,
  firstInvalidStep,
  initialWizardState,
  validateStep,
  wizardSteps,
  type FieldErrors,
  type WizardState,
  type WizardStepId,
} from '../firehose-wizard.js';
import { deliveryStreamPath } from '../firehose.js';
import { linkTo, navigate } from '../router.js';
import { DestinationStep } from './firehose-destination-step.js';
import { ProcessStep } from './firehose-process-step.js';
import { ReviewStep } from './firehose-review-step.js';
import { SettingsStep } from './firehose-settings-step.js';
import { SourceStep } from './firehose-source-step.js';
import { fieldId } from './firehose-wizard-fields.js';
import './firehose.css';

export function CreateDeliveryStreamPage({
  firehose,
  glue,
  kinesis,
}: {
  firehose: FirehoseClient;
  glue: GlueClient;
  kinesis: KinesisClient;
}) {
  const [state, setState] = useState<WizardState>(initialWizardState);
  const [stepIndex, setStepIndex] = useState(0);
  const [errors, setErrors] = useState<FieldErrors>({});
  const action = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  const firstRender = useRef(true);
  const step = wizardSteps[stepIndex] ?? wizardSteps[0];

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    heading.current?.focus();
  }, [stepIndex]);

  const update = (patch: Partial<WizardState>): void => {
    setState((previous) => ({ ...previous, ...patch }));
    // A corrected field loses its message at once; the others stay until the next check.
    setErrors((previous) => {
      const next = { ...previous };
      for (const key of Object.keys(patch)) delete next[key];
      return next;
    });
  };

  const goTo = (id: WizardStepId): void => {
    setErrors({});
    action.clear();
    setStepIndex(wizardSteps.findIndex((item) => item.id === id));
  };

  const showErrors = (found: FieldErrors): void => {
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first !== undefined) setTimeout(() => document.getElementById(fieldId(first))?.focus(), 0);
  };

  const submit = (event: Event): void => {
    event.preventDefault();
    if (step.id !== 'review') {
      const found = validateStep(step.id, state);
      if (Object.keys(found).length > 0) return showErrors(found);
      setErrors({});
      setStepIndex(stepIndex + 1);
      return;
    }
    const invalid = firstInvalidStep(state);
    if (invalid !== undefined) {
      goTo(invalid);
      showErrors(validateStep(invalid, state));
      return;
    }
    void action.run(async () => {
      await firehose.send(new CreateDeliveryStreamCommand(createDeliveryStreamInput(state)));
      navigate(deliveryStreamPath(state.name));
    });
  };

  const stepProps = { state, update, errors };
  const errorCount = Object.keys(errors).length;
  return (
    <section aria-labelledby="create-title" class="wizard">
      <p class="breadcrumb">
        <a href="/delivery-streams" onClick={linkTo('/delivery-streams')}>
          Delivery streams
        </a>{' '}
        › Create delivery stream
      </p>
      <h1 id="create-title">Create delivery stream</h1>
      <div class="wizard-layout">
        <nav aria-label="Wizard steps">
          <ol class="wizard-steps">
            {wizardSteps.map((item, index) => (
              <li key={item.id} aria-current={index === stepIndex ? 'step' : undefined}>
                <span class="wizard-step-number">Step {index + 1}</span>
                {index < stepIndex ? (
                  <button type="button" class="button-link" onClick={() => goTo(item.id)}>
                    {item.title}
                  </button>
                ) : (
                  <span class="wizard-step-title">{item.title}</span>
                )}
              </li>
            ))}
          </ol>
        </nav>
        <form class="card form wizard-form" onSubmit={submit} noValidate aria-labelledby="step-title">
          <h2 id="step-title" ref={heading} tabIndex={-1}>
            Step {stepIndex + 1}: {step.title}
          </h2>
          {errorCount > 0 && (
            <div class="banner banner-error" role="alert">
              {errorCount === 1 ? 'One field needs' : `${errorCount} fields need`} attention before you go on.
            </div>
          )}
          {step.id === 'source' && <SourceStep {...stepProps} kinesis={kinesis} />}
          {step.id === 'process' && <ProcessStep {...stepProps} glue={glue} />}
          {step.id === 'destination' && <DestinationStep {...stepProps} />}
          {step.id === 'settings' && <SettingsStep {...stepProps} />}
          {step.id === 'review' && <ReviewStep state={state} goTo={goTo} />}
          <ErrorBanner error={action.error} title="Could not create the delivery stream." />
          <div class="actions">
            <a class="button" href="/delivery-streams" onClick={linkTo('/delivery-streams')}>
              Cancel
            </a>
            {stepIndex > 0 && (
              <button type="button" onClick={() => goTo(wizardSteps[stepIndex - 1]?.id ?? 'source')}>
                Previous
              </button>
            )}
            <button type="submit" class="button-primary" disabled={action.running}>
              {step.id !== 'review' ? 'Next' : action.running ? 'Creating…' : 'Create delivery stream'}
            </button>
          </div>
        </form>
      </div>
    </section>
  );
}
