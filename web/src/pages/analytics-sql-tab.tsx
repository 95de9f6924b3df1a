/**
 * The SQL editor: the application code with highlighting, **Save and run SQL** (UpdateApplication
 * when the code changed, then StartApplication from the chosen starting position when the
 * application is not running) and the server's CodeValidationException marked at its line and
 * column. Below the editor, the real-time results while the application runs.
 */
import {
  StartApplicationCommand,
  UpdateApplicationCommand,
  type InputStartingPosition,
} from '@aws-sdk/client-kinesis-analytics';
import { useState } from 'preact/hooks';
import { positionInMessage } from '../analytics/sql-highlight.js';
import { LiveResults } from '../components/live-results.js';
import { SqlEditor } from '../components/sql-editor.js';
import { ErrorBanner, Field, Notice, useAction } from '../components/ui.js';
import { applicationPath, linkTo } from '../router.js';
import type { ApplicationTabProps } from './analytics-detail.js';
import { liveStreamTabs } from './analytics-results-tab.js';

const template = `-- One in-application stream for the results, and a pump that fills it.
CREATE OR REPLACE STREAM "DESTINATION_SQL_STREAM" (example_column VARCHAR(16));
CREATE OR REPLACE PUMP "STREAM_PUMP" AS INSERT INTO "DESTINATION_SQL_STREAM"
SELECT STREAM example_column FROM "SOURCE_SQL_STREAM_001";
`;

const positions: readonly { value: InputStartingPosition; label: string }[] = [
  { value: 'NOW', label: 'Now (records that arrive from now on)' },
  { value: 'TRIM_HORIZON', label: 'Trim horizon (the oldest retained record)' },
  { value: 'LAST_STOPPED_POINT', label: 'Last stopped point' },
];
const liveStatuses = new Set(['RUNNING', 'STARTING', 'UPDATING']);

export function AnalyticsSqlTab({ clients, application, refresh }: ApplicationTabProps) {
  const name = application.ApplicationName ?? '';
  const saved = application.ApplicationCode ?? '';
  const [code, setCode] = useState(saved === '' ? template : saved);
  const [position, setPosition] = useState<InputStartingPosition>('NOW');
  const [done, setDone] = useState<string | undefined>(undefined);
  const action = useAction();
  const inputs = application.InputDescriptions ?? [];
  const running = liveStatuses.has(application.ApplicationStatus ?? '');
  const errorMessage = action.error instanceof Error ? action.error.message : undefined;
  const errorPosition =
    action.error instanceof Error &&
    action.error.name === 'CodeValidationException' &&
    errorMessage !== undefined
      ? positionInMessage(errorMessage)
      : undefined;

  const saveAndRun = (event: Event): void => {
    event.preventDefault();
    setDone(undefined);
    void action.run(async () => {
      let version = application.ApplicationVersionId;
      if (code !== saved) {
        await clients.analytics.send(
          new UpdateApplicationCommand({
            ApplicationName: name,
            CurrentApplicationVersionId: version,
            ApplicationUpdate: { ApplicationCodeUpdate: code },
          }),
        );
        version = (version ?? 0) + 1;
      }
      if (!running && inputs.length > 0) {
        await clients.analytics.send(
          new StartApplicationCommand({
            ApplicationName: name,
            InputConfigurations: inputs.map((input) => ({
              Id: input.InputId,
              InputStartingPositionConfiguration: { InputStartingPosition: position },
            })),
          }),
        );
        setDone('Saved; the application is starting.');
      } else {
        setDone(running ? 'Saved; the running application uses the new code.' : 'Saved.');
      }
      refresh();
    });
  };

  return (
    <>
      <form class="card form" onSubmit={saveAndRun} aria-labelledby="sql-title">
        <h2 id="sql-title">SQL</h2>
        {inputs.length === 0 && (
          <Notice>
            Connect a source first: the code reads its in-application stream.{' '}
            <a href={applicationPath(name, 'source')} onClick={linkTo(applicationPath(name, 'source'))}>
              Connect streaming data
            </a>
          </Notice>
        )}
        <Field
          id="sql-code"
          label="Application code"
          hint="Kinesis Data Analytics SQL. Tab moves to the next control."
        >
          <SqlEditor
            id="sql-code"
            value={code}
            onChange={setCode}
            error={errorPosition}
            describedBy="sql-code-hint"
          />
        </Field>
        {!running && inputs.length > 0 && (
          <Field id="starting-position" label="Starting position of the source">
            <select
              id="starting-position"
              value={position}
              onChange={(event) => setPosition(event.currentTarget.value as InputStartingPosition)}
            >
              {positions.map((item) => (
                <option key={item.value} value={item.value}>
                  {item.label}
                </option>
              ))}
            </select>
          </Field>
        )}
        {action.error !== undefined && (
          <ErrorBanner
            error={action.error}
            title={
              errorPosition === undefined
                ? 'Could not save and run.'
                : `Error at line ${errorPosition.line}, column ${errorPosition.column}.`
            }
          />
        )}
        {done !== undefined && action.error === undefined && <Notice>{done}</Notice>}
        <div class="actions">
          <button type="submit" class="button-primary" disabled={action.running}>
            {action.running ? 'Saving…' : running || inputs.length === 0 ? 'Save SQL' : 'Save and run SQL'}
          </button>
        </div>
      </form>
      <section class="card" aria-labelledby="live-title">
        <h2 id="live-title">Real-time analytics</h2>
        {running ? (
          <LiveResults
            credentials={clients.credentials}
            applicationName={name}
            tabs={liveStreamTabs(application)}
            initialStream={liveStreamTabs(application).find((tab) => tab.label !== 'Source data')?.stream}
          />
        ) : (
          <p class="empty-inline">Results appear here while the application runs.</p>
        )}
      </section>
    </>
  );
}
