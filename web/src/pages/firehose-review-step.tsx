/**
 * Wizard step 5, review: every choice of the four steps, each section with a button back to its
 * step. Creating is the wizard's own button; this step only shows what will be sent.
 */
import type { ComponentChildren } from 'preact';
import { compressionFormats, type WizardState, type WizardStepId } from '../firehose-wizard.js';
import { bucketOfArn, streamNameOfArn } from '../firehose.js';

export function ReviewStep({ state, goTo }: { state: WizardState; goTo: (step: WizardStepId) => void }) {
  return (
    <>
      <ReviewSection title="Step 1: Name and source" step="source" goTo={goTo}>
        <Item label="Delivery stream name" value={state.name} />
        <Item
          label="Source"
          value={
            state.source === 'DirectPut'
              ? 'Direct PUT'
              : `Amazon Kinesis Data Streams: ${streamNameOfArn(state.sourceStreamArn)}`
          }
        />
        {state.source === 'DirectPut' && (
          <Item
            label="Server-side encryption"
            value={
              state.sourceEncryption === 'none'
                ? 'Disabled'
                : state.sourceEncryption === 'AWS_OWNED_CMK'
                  ? 'AWS owned key'
                  : `Customer managed key ${state.sourceKeyArn}`
            }
          />
        )}
      </ReviewSection>
      <ReviewSection title="Step 2: Process records" step="process" goTo={goTo}>
        <Item
          label="Data transformation"
          value={state.transformEnabled ? `Enabled: ${state.lambdaArn}` : 'Disabled'}
        />
        <Item
          label="Record format conversion"
          value={
            state.conversionEnabled
              ? `Apache Parquet, schema from AWS Glue table ${state.glueDatabase}.${state.glueTable}`
              : 'Disabled'
          }
        />
      </ReviewSection>
      <ReviewSection title="Step 3: Destination" step="destination" goTo={goTo}>
        <Item label="Destination" value={`Amazon S3, bucket ${bucketOfArn(state.bucketArn)}`} />
        <Item label="Prefix" value={state.prefix === '' ? 'Default (YYYY/MM/dd/HH/)' : state.prefix} />
        <Item
          label="Error output prefix"
          value={state.errorOutputPrefix === '' ? 'Default' : state.errorOutputPrefix}
        />
        <Item label="New line delimiter" value={state.newlineDelimiter ? 'Enabled' : 'Disabled'} />
      </ReviewSection>
      <ReviewSection title="Step 4: Settings" step="settings" goTo={goTo}>
        <Item label="Buffer size" value={`${state.bufferSizeMiB} MiB`} />
        <Item label="Buffer interval" value={`${state.bufferIntervalSeconds} seconds`} />
        <Item
          label="S3 compression"
          value={
            compressionFormats.find((format) => format.value === state.compression)?.label ??
            state.compression
          }
        />
        <Item
          label="S3 encryption"
          value={state.s3Encryption === 'kms' ? `KMS key ${state.s3KmsKeyArn}` : 'Disabled'}
        />
        <Item label="IAM role" value={state.roleArn} wide />
        <Item
          label="Tags"
          value={
            state.tags.length === 0 ? 'None' : state.tags.map((tag) => `${tag.key}=${tag.value}`).join(', ')
          }
        />
      </ReviewSection>
    </>
  );
}

function ReviewSection({
  title,
  step,
  goTo,
  children,
}: {
  title: string;
  step: WizardStepId;
  goTo: (step: WizardStepId) => void;
  children: ComponentChildren;
}) {
  return (
    <section class="review-section" aria-label={title}>
      <div class="review-header">
        <h3>{title}</h3>
        <button type="button" class="button-quiet" onClick={() => goTo(step)}>
          Edit {title.replace(/^Step \d: /, '').toLowerCase()}
        </button>
      </div>
      <dl class="summary">{children}</dl>
    </section>
  );
}

function Item({ label, value, wide = false }: { label: string; value: string; wide?: boolean }) {
  return (
    <div class={wide ? 'wide' : undefined}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
