/**
 * Create an Analytics application: a name and an optional description (CreateApplication). The
 * source, the SQL and the destinations are added on the application's page, as in AWS's console.
 */
import { CreateApplicationCommand } from '@aws-sdk/client-kinesis-analytics';
import { useState } from 'preact/hooks';
import type { AnalyticsClients } from '../analytics/clients.js';
import { ErrorBanner, Field, useAction } from '../components/ui.js';
import { applicationPath, linkTo, navigate } from '../router.js';

const applicationNamePattern = '[a-zA-Z0-9_.\\-]{1,128}';

export function AnalyticsCreatePage({ clients }: { clients: AnalyticsClients }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const action = useAction();

  const submit = (event: Event): void => {
    event.preventDefault();
    void action.run(async () => {
      await clients.analytics.send(
        new CreateApplicationCommand({
          ApplicationName: name,
          ...(description === '' ? {} : { ApplicationDescription: description }),
        }),
      );
      navigate(applicationPath(name));
    });
  };

  return (
    <section aria-labelledby="create-application-title">
      <p class="breadcrumb">
        <a href="/analytics" onClick={linkTo('/analytics')}>
          Analytics applications
        </a>{' '}
        › Create application
      </p>
      <h1 id="create-application-title">Create application</h1>
      <form class="card form" onSubmit={submit}>
        <h2>Application configuration</h2>
        <Field
          id="application-name"
          label="Application name"
          hint="1–128 characters: letters, digits, hyphens (-), underscores (_) and periods (.)."
        >
          <input
            id="application-name"
            name="applicationName"
            required
            pattern={applicationNamePattern}
            aria-describedby="application-name-hint"
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </Field>
        <Field id="application-description" label="Description (optional)">
          <textarea
            id="application-description"
            name="description"
            rows={3}
            maxLength={1024}
            value={description}
            onInput={(event) => setDescription(event.currentTarget.value)}
          />
        </Field>
        <p class="hint">Runtime: SQL (Kinesis Data Analytics SQL applications).</p>
        <ErrorBanner error={action.error} title="Could not create the application." />
        <div class="actions">
          <a class="button" href="/analytics" onClick={linkTo('/analytics')}>
            Cancel
          </a>
          <button type="submit" class="button-primary" disabled={action.running}>
            {action.running ? 'Creating…' : 'Create application'}
          </button>
        </div>
      </form>
    </section>
  );
}
