/**
 * Sign-in: the access key and secret the server's clients use, and a region. The credentials are
 * checked with one signed ListStreams call before they are kept, so a server that refuses them
 * says so here rather than on every page.
 */
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { useState } from 'preact/hooks';
import { ErrorBanner, Field, useAction } from '../components/ui.js';
import { createKinesisClient, type Credentials } from '../session.js';

export function SignInPage({ onSignedIn }: { onSignedIn: (credentials: Credentials) => void }) {
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecretAccessKey] = useState('');
  const [region, setRegion] = useState('us-east-1');
  const action = useAction();

  const submit = (event: Event): void => {
    event.preventDefault();
    const credentials = {
      accessKeyId: accessKeyId.trim(),
      secretAccessKey,
      region: region.trim(),
    };
    void action.run(async () => {
      await createKinesisClient(credentials).send(new ListStreamsCommand({ Limit: 1 }));
      onSignedIn(credentials);
    });
  };

  return (
    <main class="signin">
      <form class="card signin-card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to Tributary</h1>
        <p class="muted">
          Use the access key and secret your AWS SDKs use with this server. Every action in the console is a
          signed Kinesis API call.
        </p>
        <Field id="access-key-id" label="Access key ID">
          <input
            id="access-key-id"
            name="accessKeyId"
            autocomplete="username"
            required
            value={accessKeyId}
            onInput={(event) => setAccessKeyId(event.currentTarget.value)}
          />
        </Field>
        <Field id="secret-access-key" label="Secret access key">
          <input
            id="secret-access-key"
            name="secretAccessKey"
            type="password"
            autocomplete="current-password"
            required
            value={secretAccessKey}
            onInput={(event) => setSecretAccessKey(event.currentTarget.value)}
          />
        </Field>
        <Field id="region" label="Region" hint="The region your clients sign for, such as us-east-1.">
          <input
            id="region"
            name="region"
            required
            pattern="[a-z]{2}(-[a-z]+)+-\d+"
            aria-describedby="region-hint"
            value={region}
            onInput={(event) => setRegion(event.currentTarget.value)}
          />
        </Field>
        <ErrorBanner error={action.error} title="Could not sign in." />
        <button type="submit" class="button-primary" disabled={action.running}>
          {action.running ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
