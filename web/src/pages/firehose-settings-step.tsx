/**
 * Wizard step 4, settings: the S3 buffer conditions (size and interval, AWS's ranges), S3
 * compression and encryption, the IAM role the delivery stream uses, and tags.
 */
import { bufferLimits, compressionFormats, type TagRow } from '../firehose-wizard.js';
import {
  ChoiceGroup,
  FieldError,
  WizardField,
  describedBy,
  fieldId,
  type StepProps,
} from './firehose-wizard-fields.js';

const tagsMax = 50;

export function SettingsStep({ state, update, errors }: StepProps) {
  const sizeMin = state.conversionEnabled ? bufferLimits.conversionSizeMiBMin : bufferLimits.sizeMiBMin;
  return (
    <>
      <h3>S3 buffer conditions</h3>
      <p class="hint">Records are delivered when either condition is met, whichever comes first.</p>
      <div class="inline-fields">
        <WizardField
          field="bufferSizeMiB"
          label="Buffer size (MiB)"
          error={errors.bufferSizeMiB}
          hint={`Enter a buffer size between ${sizeMin} - ${bufferLimits.sizeMiBMax} MiB.`}
        >
          <input
            {...describedBy('bufferSizeMiB', errors.bufferSizeMiB)}
            type="number"
            inputMode="numeric"
            min={sizeMin}
            max={bufferLimits.sizeMiBMax}
            value={state.bufferSizeMiB}
            onInput={(event) => update({ bufferSizeMiB: event.currentTarget.value })}
          />
        </WizardField>
        <WizardField
          field="bufferIntervalSeconds"
          label="Buffer interval (seconds)"
          error={errors.bufferIntervalSeconds}
          hint={`Enter a buffer interval between ${bufferLimits.intervalSecondsMin} - ${bufferLimits.intervalSecondsMax} seconds.`}
        >
          <input
            {...describedBy('bufferIntervalSeconds', errors.bufferIntervalSeconds)}
            type="number"
            inputMode="numeric"
            min={bufferLimits.intervalSecondsMin}
            max={bufferLimits.intervalSecondsMax}
            value={state.bufferIntervalSeconds}
            onInput={(event) => update({ bufferIntervalSeconds: event.currentTarget.value })}
          />
        </WizardField>
      </div>
      <h3>S3 compression and encryption</h3>
      <ChoiceGroup
        legend="S3 compression"
        name="compression"
        field="compression"
        error={errors.compression}
        value={state.compression}
        onChange={(compression) => update({ compression })}
        choices={compressionFormats}
      />
      <ChoiceGroup
        legend="S3 encryption"
        name="s3Encryption"
        value={state.s3Encryption}
        onChange={(s3Encryption) => update({ s3Encryption })}
        choices={[
          { value: 'none', label: 'Disabled' },
          { value: 'kms', label: 'Enabled', description: 'objects encrypted with an AWS KMS key' },
        ]}
      />
      {state.s3Encryption === 'kms' && (
        <WizardField
          field="s3KmsKeyArn"
          label="KMS key ARN for S3 encryption"
          error={errors.s3KmsKeyArn}
          hint="Stored with the destination; the embedded bucket directory does not encrypt objects."
        >
          <input
            {...describedBy('s3KmsKeyArn', errors.s3KmsKeyArn)}
            value={state.s3KmsKeyArn}
            onInput={(event) => update({ s3KmsKeyArn: event.currentTarget.value })}
          />
        </WizardField>
      )}
      <h3>Permissions</h3>
      <WizardField
        field="roleArn"
        label="IAM role ARN"
        error={errors.roleArn}
        hint="The role the delivery stream acts with. The server has no IAM: the role is stored as given."
      >
        <input
          {...describedBy('roleArn', errors.roleArn)}
          value={state.roleArn}
          onInput={(event) => update({ roleArn: event.currentTarget.value })}
        />
      </WizardField>
      <Tags tags={state.tags} update={update} errors={errors} />
    </>
  );
}

function Tags({
  tags,
  update,
  errors,
}: {
  tags: readonly TagRow[];
  update: StepProps['update'];
  errors: StepProps['errors'];
}) {
  const setTag = (index: number, patch: Partial<TagRow>): void =>
    update({ tags: tags.map((tag, at) => (at === index ? { ...tag, ...patch } : tag)) });
  return (
    <fieldset class="field" id={fieldId('tags')} tabIndex={-1}>
      <legend>Tags - optional</legend>
      {tags.map((tag, index) => (
        <div class="record-row" role="group" aria-label={`Tag ${index + 1}`} key={index}>
          <div class="field grow">
            <label for={fieldId(`tagKey${index}`)}>Key</label>
            <input
              {...describedBy(`tagKey${index}`, errors[`tagKey${index}`], false)}
              value={tag.key}
              onInput={(event) => setTag(index, { key: event.currentTarget.value })}
            />
            <FieldError field={`tagKey${index}`} error={errors[`tagKey${index}`]} />
          </div>
          <div class="field grow">
            <label for={fieldId(`tagValue${index}`)}>Value - optional</label>
            <input
              {...describedBy(`tagValue${index}`, errors[`tagValue${index}`], false)}
              value={tag.value}
              onInput={(event) => setTag(index, { value: event.currentTarget.value })}
            />
            <FieldError field={`tagValue${index}`} error={errors[`tagValue${index}`]} />
          </div>
          <button type="button" onClick={() => update({ tags: tags.filter((_tag, at) => at !== index) })}>
            Remove tag {index + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        disabled={tags.length >= tagsMax}
        onClick={() => update({ tags: [...tags, { key: '', value: '' }] })}
      >
        Add tag
      </button>
      <p class="hint">You can add {tagsMax - tags.length} more tag(s).</p>
      <FieldError field="tags" error={errors.tags} />
    </fieldset>
  );
}
