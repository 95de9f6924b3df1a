/**
 * Wizard step 3, destination: Amazon S3 — the bucket's ARN (with no S3 endpoint configured, the
 * server's embedded bucket directory `<data-dir>/buckets/<bucket>`), the object prefix and the
 * error output prefix, and whether a newline is put between records.
 */
import { ChoiceGroup, WizardField, describedBy, type StepProps } from './firehose-wizard-fields.js';

export function DestinationStep({ state, update, errors }: StepProps) {
  return (
    <>
      <p>
        Destination: <strong>Amazon S3</strong>
      </p>
      <WizardField
        field="bucketArn"
        label="S3 bucket ARN"
        error={errors.bucketArn}
        hint="arn:aws:s3:::<bucket-name>. Without an S3 endpoint configured, the server writes the objects under <data-dir>/buckets/<bucket-name>."
      >
        <input
          {...describedBy('bucketArn', errors.bucketArn)}
          placeholder="arn:aws:s3:::my-bucket"
          value={state.bucketArn}
          onInput={(event) => update({ bucketArn: event.currentTarget.value })}
        />
      </WizardField>
      <ChoiceGroup
        legend="New line delimiter"
        name="newline"
        value={state.newlineDelimiter ? 'on' : 'off'}
        onChange={(value) => update({ newlineDelimiter: value === 'on' })}
        hint="Enabled puts a newline between the records of an object (the AppendDelimiterToRecord processor)."
        choices={[
          { value: 'off', label: 'Disabled' },
          { value: 'on', label: 'Enabled' },
        ]}
      />
      <WizardField
        field="prefix"
        label="S3 bucket prefix - optional"
        error={errors.prefix}
        hint={
          <>
            By default objects go under YYYY/MM/dd/HH/ (UTC). Expressions such as{' '}
            <code>{'!{timestamp:yyyy-MM-dd}'}</code> are evaluated per object.
          </>
        }
      >
        <input
          {...describedBy('prefix', errors.prefix)}
          value={state.prefix}
          onInput={(event) => update({ prefix: event.currentTarget.value })}
        />
      </WizardField>
      <WizardField
        field="errorOutputPrefix"
        label="S3 bucket error output prefix - optional"
        error={errors.errorOutputPrefix}
        hint={
          <>
            Where records that fail go. Required when the prefix has expressions; may use{' '}
            <code>{'!{firehose:error-output-type}'}</code>.
          </>
        }
      >
        <input
          {...describedBy('errorOutputPrefix', errors.errorOutputPrefix)}
          value={state.errorOutputPrefix}
          onInput={(event) => update({ errorOutputPrefix: event.currentTarget.value })}
        />
      </WizardField>
    </>
  );
}
