/**
 * Form pieces of the delivery stream wizard: a field with its label, hint and inline error (the
 * input names both with aria-describedby and is marked aria-invalid), and a group of radio
 * choices. Ids are `fh-<field>`, the keys of the wizard's FieldErrors, so the wizard can move the
 * focus to the first field in error.
 */
import type { ComponentChildren } from 'preact';
import type { WizardState } from '../firehose-wizard.js';

export interface StepProps {
  readonly state: WizardState;
  readonly update: (patch: Partial<WizardState>) => void;
  readonly errors: Partial<Record<string, string>>;
}

export function fieldId(field: string): string {
  return `fh-${field}`;
}

/** The attributes that tie an input to its hint and error. */
export function describedBy(field: string, error: string | undefined, hasHint = true) {
  const ids = [hasHint ? `${fieldId(field)}-hint` : '', error !== undefined ? `${fieldId(field)}-error` : '']
    .filter((id) => id !== '')
    .join(' ');
  return {
    id: fieldId(field),
    'aria-describedby': ids === '' ? undefined : ids,
    'aria-invalid': error !== undefined ? ('true' as const) : undefined,
  };
}

export function WizardField({
  field,
  label,
  hint,
  error,
  children,
}: {
  field: string;
  label: string;
  hint?: ComponentChildren;
  error: string | undefined;
  children: ComponentChildren;
}) {
  return (
    <div class={error === undefined ? 'field' : 'field field-invalid'}>
      <label for={fieldId(field)}>{label}</label>
      {children}
      {hint !== undefined && (
        <p class="hint" id={`${fieldId(field)}-hint`}>
          {hint}
        </p>
      )}
      <FieldError field={field} error={error} />
    </div>
  );
}

export function FieldError({ field, error }: { field: string; error: string | undefined }) {
  if (error === undefined) return null;
  return (
    <p class="field-error" id={`${fieldId(field)}-error`}>
      {error}
    </p>
  );
}

export function ChoiceGroup<T extends string>({
  legend,
  name,
  value,
  choices,
  onChange,
  error,
  field,
  hint,
}: {
  legend: string;
  name: string;
  value: T;
  choices: readonly { readonly value: T; readonly label: string; readonly description?: string }[];
  onChange: (value: T) => void;
  error?: string | undefined;
  field?: string;
  hint?: ComponentChildren;
}) {
  return (
    <fieldset
      class={error === undefined ? 'field' : 'field field-invalid'}
      id={field === undefined ? undefined : fieldId(field)}
      tabIndex={field === undefined ? undefined : -1}
    >
      <legend>{legend}</legend>
      {hint !== undefined && <p class="hint">{hint}</p>}
      {choices.map((choice) => (
        <label class="choice" key={choice.value}>
          <input
            type="radio"
            name={name}
            value={choice.value}
            checked={value === choice.value}
            onChange={() => onChange(choice.value)}
          />
          <span>
            <strong>{choice.label}</strong>
            {choice.description !== undefined && <> — {choice.description}</>}
          </span>
        </label>
      ))}
      {field !== undefined && <FieldError field={field} error={error} />}
    </fieldset>
  );
}
