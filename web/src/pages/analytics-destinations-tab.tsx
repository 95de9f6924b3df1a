/**
 * Destinations: where the application's in-application streams go. Lists the outputs (stream,
 * destination, format) with removal (DeleteApplicationOutput), and connects an in-application
 * stream to a delivery stream or data stream in JSON or CSV (AddApplicationOutput).
 */
import {
  AddApplicationOutputCommand,
  DeleteApplicationOutputCommand,
  type RecordFormatType,
} from '@aws-sdk/client-kinesis-analytics';
import { useState } from 'preact/hooks';
import { accountOf, nameOfArn } from '../analytics/applications.js';
import { createdStreams } from '../analytics/sql-highlight.js';
import { StreamPicker, useStreamChoice } from '../components/stream-picker.js';
import { ErrorBanner, Field, Notice, useAction } from '../components/ui.js';
import type { ApplicationTabProps } from './analytics-detail.js';

export function AnalyticsDestinationsTab(props: ApplicationTabProps) {
  const { clients, application, refresh } = props;
  const outputs = application.OutputDescriptions ?? [];
  const remove = useAction();
  return (
    <>
      <div class="card">
        <h2>Destinations</h2>
        {outputs.length === 0 ? (
          <p class="empty-inline">No destination yet: the results stay inside the application.</p>
        ) : (
          <table class="table" data-testid="destinations">
            <caption class="visually-hidden">Destinations</caption>
            <thead>
              <tr>
                <th scope="col">In-application stream</th>
                <th scope="col">Destination</th>
                <th scope="col">Type</th>
                <th scope="col">Format</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {outputs.map((output) => {
                const firehoseArn = output.KinesisFirehoseOutputDescription?.ResourceARN;
                const streamArn = output.KinesisStreamsOutputDescription?.ResourceARN;
                return (
                  <tr key={output.OutputId}>
                    <td>
                      <code>{output.Name}</code>
                    </td>
                    <td>
                      {nameOfArn(firehoseArn ?? streamArn ?? output.LambdaOutputDescription?.ResourceARN)}
                    </td>
                    <td>
                      {firehoseArn !== undefined
                        ? 'Delivery stream'
                        : streamArn !== undefined
                          ? 'Data stream'
                          : 'Lambda'}
                    </td>
                    <td>{output.DestinationSchema?.RecordFormatType ?? '—'}</td>
                    <td>
                      <button
                        type="button"
                        class="button-quiet"
                        aria-label={`Remove destination of ${output.Name ?? ''}`}
                        disabled={remove.running}
                        onClick={() =>
                          void remove.run(async () => {
                            await clients.analytics.send(
                              new DeleteApplicationOutputCommand({
                                ApplicationName: application.ApplicationName,
                                CurrentApplicationVersionId: application.ApplicationVersionId,
                                OutputId: output.OutputId,
                              }),
                            );
                            refresh();
                          })
                        }
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <ErrorBanner error={remove.error} title="Could not remove the destination." />
      </div>
      <AddDestinationForm {...props} />
    </>
  );
}

function AddDestinationForm({ clients, application, refresh }: ApplicationTabProps) {
  const applicationName = application.ApplicationName ?? '';
  const destination = useStreamChoice(clients, 'delivery-stream');
  const { kind, chosenArn } = destination;
  const inAppStreams = createdStreams(application.ApplicationCode ?? '');
  const [inAppStream, setInAppStream] = useState('');
  const [format, setFormat] = useState<RecordFormatType>('JSON');
  const [role, setRole] = useState('');
  const [added, setAdded] = useState<string | undefined>(undefined);
  const action = useAction();

  const streamName = inAppStream !== '' ? inAppStream : (inAppStreams[0] ?? '');
  const roleArn =
    role !== ''
      ? role
      : `arn:aws:iam::${accountOf(chosenArn) ?? '000000000000'}:role/service-role/kinesis-analytics-${applicationName}`;

  const submit = (event: Event): void => {
    event.preventDefault();
    setAdded(undefined);
    void action.run(async () => {
      const resource = { ResourceARN: chosenArn, RoleARN: roleArn };
      await clients.analytics.send(
        new AddApplicationOutputCommand({
          ApplicationName: applicationName,
          CurrentApplicationVersionId: application.ApplicationVersionId,
          Output: {
            Name: streamName,
            ...(kind === 'delivery-stream'
              ? { KinesisFirehoseOutput: resource }
              : { KinesisStreamsOutput: resource }),
            DestinationSchema: { RecordFormatType: format },
          },
        }),
      );
      setAdded(`${streamName} now goes to ${nameOfArn(chosenArn)}.`);
      refresh();
    });
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="add-destination-title">
      <h2 id="add-destination-title">Connect to a destination</h2>
      <StreamPicker
        choice={destination}
        id="destination-arn"
        legend="Destination"
        kinds={['delivery-stream', 'stream']}
        empty={(empty) =>
          `There is no ${empty === 'stream' ? 'data stream' : 'delivery stream'} to write to yet.`
        }
      />
      <Field
        id="in-app-stream"
        label="In-application stream"
        hint={inAppStreams.length === 0 ? 'The code creates no stream yet; type its name.' : undefined}
      >
        <input
          id="in-app-stream"
          list="in-app-streams"
          required
          value={streamName}
          onInput={(event) => setInAppStream(event.currentTarget.value)}
        />
      </Field>
      <datalist id="in-app-streams">
        {inAppStreams.map((stream) => (
          <option key={stream} value={stream} />
        ))}
      </datalist>
      <fieldset class="field">
        <legend>Output format</legend>
        {(['JSON', 'CSV'] as const).map((value) => (
          <label class="choice" key={value}>
            <input
              type="radio"
              name="output-format"
              checked={format === value}
              onChange={() => setFormat(value)}
            />
            <span>{value}</span>
          </label>
        ))}
      </fieldset>
      <Field
        id="destination-role"
        label="IAM role"
        hint="Recorded as AWS would; this server does not check it."
      >
        <input
          id="destination-role"
          class="input-wide"
          aria-describedby="destination-role-hint"
          required
          value={roleArn}
          onInput={(event) => setRole(event.currentTarget.value)}
        />
      </Field>
      <ErrorBanner error={action.error} title="Could not connect the destination." />
      {added !== undefined && action.error === undefined && <Notice>{added}</Notice>}
      <div class="actions">
        <button type="submit" class="button-primary" disabled={action.running || chosenArn === ''}>
          {action.running ? 'Saving…' : 'Save destination'}
        </button>
      </div>
    </form>
  );
}
