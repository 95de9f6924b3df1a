/**
 * Wizard step 1, name and source: the delivery stream's name, and where its records come from —
 * Direct PUT (PutRecord, PutRecordBatch) or a Kinesis data stream picked from the account's
 * streams. A Direct PUT stream may be encrypted at rest (server-side encryption of its records).
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { ErrorBanner, Loading, useLoader } from '../components/ui.js';
import { listStreamSummaries } from '../streams.js';
import { ChoiceGroup, WizardField, describedBy, type StepProps } from './firehose-wizard-fields.js';

export function SourceStep({ state, update, errors, kinesis }: StepProps & { kinesis: KinesisClient }) {
  return (
    <>
      <WizardField
        field="name"
        label="Delivery stream name"
        error={errors.name}
        hint="Acceptable characters are uppercase and lowercase letters, numbers, underscores, hyphens, and periods (1–64)."
      >
        <input
          {...describedBy('name', errors.name)}
          name="deliveryStreamName"
          autoComplete="off"
          value={state.name}
          onInput={(event) => update({ name: event.currentTarget.value })}
        />
      </WizardField>
      <ChoiceGroup
        legend="Source"
        name="source"
        value={state.source}
        onChange={(source) => update({ source })}
        choices={[
          {
            value: 'DirectPut',
            label: 'Direct PUT',
            description: 'producers send records with PutRecord and PutRecordBatch.',
          },
          {
            value: 'KinesisStreamAsSource',
            label: 'Amazon Kinesis Data Streams',
            description: 'the delivery stream reads an existing data stream.',
          },
        ]}
      />
      {state.source === 'KinesisStreamAsSource' ? (
        <StreamPicker state={state} update={update} errors={errors} kinesis={kinesis} />
      ) : (
        <SourceEncryption state={state} update={update} errors={errors} />
      )}
    </>
  );
}

function StreamPicker({ state, update, errors, kinesis }: StepProps & { kinesis: KinesisClient }) {
  const streams = useLoader(() => listStreamSummaries(kinesis), [kinesis]);
  if (streams.data === undefined) {
    return (
      <>
        <ErrorBanner error={streams.error} title="Could not list the data streams." />
        {streams.loading && <Loading label="Loading data streams…" />}
      </>
    );
  }
  const active = streams.data.filter((stream) => stream.StreamARN !== undefined);
  return (
    <WizardField
      field="sourceStreamArn"
      label="Kinesis data stream"
      error={errors.sourceStreamArn}
      hint={
        active.length === 0
          ? 'There are no data streams in this account and region yet: create one first.'
          : 'The delivery stream reads every shard of the stream, from its oldest record.'
      }
    >
      <select
        {...describedBy('sourceStreamArn', errors.sourceStreamArn)}
        value={state.sourceStreamArn}
        onChange={(event) => update({ sourceStreamArn: event.currentTarget.value })}
      >
        <option value="">Choose a data stream</option>
        {active.map((stream) => (
          <option key={stream.StreamARN} value={stream.StreamARN}>
            {stream.StreamStatus === 'ACTIVE'
              ? stream.StreamName
              : `${stream.StreamName} (${stream.StreamStatus})`}
          </option>
        ))}
      </select>
    </WizardField>
  );
}

function SourceEncryption({ state, update, errors }: StepProps) {
  return (
    <>
      <ChoiceGroup
        legend="Server-side encryption for source records"
        name="sourceEncryption"
        value={state.sourceEncryption}
        onChange={(sourceEncryption) => update({ sourceEncryption })}
        choices={[
          { value: 'none', label: 'Disabled' },
          { value: 'AWS_OWNED_CMK', label: 'Use an AWS owned key' },
          { value: 'CUSTOMER_MANAGED_CMK', label: 'Use a customer managed key' },
        ]}
      />
      {state.sourceEncryption === 'CUSTOMER_MANAGED_CMK' && (
        <WizardField
          field="sourceKeyArn"
          label="KMS key ARN"
          error={errors.sourceKeyArn}
          hint="arn:aws:kms:<region>:<account>:key/<key-id>"
        >
          <input
            {...describedBy('sourceKeyArn', errors.sourceKeyArn)}
            value={state.sourceKeyArn}
            onInput={(event) => update({ sourceKeyArn: event.currentTarget.value })}
          />
        </WizardField>
      )}
    </>
  );
}
