/**
 * The Analytics pages' routes under /analytics: the list, create, and an application's page
 * with its tab (`/analytics/<name>/<tab>`). The clients are built once per sign-in.
 */
import { useMemo } from 'preact/hooks';
import { createAnalyticsClients } from '../analytics/clients.js';
import type { Credentials } from '../session.js';
import { AnalyticsCreatePage } from './analytics-create.js';
import { AnalyticsDetailPage } from './analytics-detail.js';
import { AnalyticsListPage } from './analytics-list.js';
import '../analytics/analytics.css';

/** The page for `segments` (the path after /analytics), or undefined when there is none. */
export function AnalyticsRoute({
  segments,
  credentials,
}: {
  segments: readonly string[];
  credentials: Credentials;
}) {
  const clients = useMemo(() => createAnalyticsClients(credentials), [credentials]);
  if (segments.length === 0) return <AnalyticsListPage clients={clients} />;
  if (segments.length === 1 && segments[0] === 'create') return <AnalyticsCreatePage clients={clients} />;
  if (segments.length <= 2 && segments[0] !== undefined) {
    return (
      <AnalyticsDetailPage clients={clients} applicationName={segments[0]} tab={segments[1] ?? 'source'} />
    );
  }
  return null;
}

export function isAnalyticsRoute(segments: readonly string[]): boolean {
  return segments[0] === 'analytics' && segments.length <= 3;
}
