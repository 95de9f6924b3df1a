/**
 * The console's shell: sign-in gate, header with the signed-in key and sign-out, side navigation,
 * and the route table. Every page gets the same Kinesis client, built from the credentials; the
 * delivery stream pages build their Firehose and Glue clients from them too.
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { AnalyticsRoute, isAnalyticsRoute } from './pages/analytics-routes.js';
import { CreateStreamPage } from './pages/create-stream.js';
import { FirehoseRoutes } from './pages/firehose-routes.js';
import { SignInPage } from './pages/sign-in.js';
import { StreamDetailPage } from './pages/stream-detail.js';
import { StreamsListPage } from './pages/streams-list.js';
import { linkTo, navigate, usePath } from './router.js';
import {
  clearCredentials,
  createKinesisClient,
  loadCredentials,
  saveCredentials,
  type Credentials,
} from './session.js';

export function App() {
  const [credentials, setCredentials] = useState<Credentials | undefined>(() => loadCredentials());
  const client = useMemo(
    () => (credentials === undefined ? undefined : createKinesisClient(credentials)),
    [credentials],
  );
  const path = usePath();

  useEffect(() => {
    if (credentials === undefined && !path.startsWith('/signin')) {
      navigate(`/signin?next=${encodeURIComponent(path)}`, { replace: true });
    }
  }, [credentials, path]);

  if (credentials === undefined || client === undefined) {
    return (
      <SignInPage
        onSignedIn={(signedIn) => {
          saveCredentials(signedIn);
          setCredentials(signedIn);
          const next = new URLSearchParams(window.location.search).get('next');
          navigate(next !== null && next.startsWith('/') && !next.startsWith('/signin') ? next : '/streams', {
            replace: true,
          });
        }}
      />
    );
  }

  const signOut = (): void => {
    clearCredentials();
    setCredentials(undefined);
    navigate('/signin', { replace: true });
  };

  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href="/streams" onClick={linkTo('/streams')}>
          Tributary <span>console</span>
        </a>
        <div class="identity">
          <span title="Access key ID">{credentials.accessKeyId}</span>
          <span class="region">{credentials.region}</span>
          <button type="button" class="button-quiet" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <nav class="sidenav" aria-label="Services">
        <p class="sidenav-heading">Kinesis</p>
        <a
          href="/streams"
          onClick={linkTo('/streams')}
          aria-current={path.startsWith('/streams') ? 'page' : undefined}
        >
          Data streams
        </a>
        <a
          href="/delivery-streams"
          onClick={linkTo('/delivery-streams')}
          aria-current={path.startsWith('/delivery-streams') ? 'page' : undefined}
        >
          Delivery streams
        </a>
        <a
          href="/analytics"
          onClick={linkTo('/analytics')}
          aria-current={path.startsWith('/analytics') ? 'page' : undefined}
        >
          Analytics applications
        </a>
      </nav>
      <main class="content" id="main">
        <Route path={path} client={client} credentials={credentials} />
      </main>
    </div>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function Route({
  path,
  client,
  credentials,
}: {
  path: string;
  client: KinesisClient;
  credentials: Credentials;
}) {
  const pathname = path.split('?')[0] ?? '/';
  const segments = pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map(decodeURIComponent);
  if (segments.length === 0 || (segments[0] === 'signin' && segments.length === 1)) {
    return <Redirect to="/streams" />;
  }
  if (segments[0] === 'streams') {
    if (segments.length === 1) return <StreamsListPage client={client} />;
    if (segments.length === 2 && segments[1] === 'create') return <CreateStreamPage client={client} />;
    if (segments.length <= 3 && segments[1] !== undefined) {
      return <StreamDetailPage client={client} streamName={segments[1]} tab={segments[2] ?? 'shards'} />;
    }
  }
  if (segments[0] === 'delivery-streams') {
    return <FirehoseRoutes segments={segments.slice(1)} credentials={credentials} kinesis={client} />;
  }
  if (isAnalyticsRoute(segments))
    return <AnalyticsRoute segments={segments.slice(1)} credentials={credentials} />;
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is no console page at <code>{pathname}</code>.{' '}
        <a href="/streams" onClick={linkTo('/streams')}>
          Go to data streams
        </a>
        .
      </p>
    </section>
  );
}
