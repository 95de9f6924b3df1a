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
import { accountOf, listEndpoints, nameOfArn, type Endpoint } from '../analytics/applications.js';
import { createdStreams } from '../analytics/sql-highlight.js';
import { ErrorBanner, Field, Loading, Notice, useAction, useLoader } from '../components/ui.js';
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
  const endpoints = useLoader(() => listEndpoints(clients.kinesis, clients.firehose), [clients]);
  const inAppStreams = createdStreams(application.ApplicationCode ?? '');
  const [kind, setKind] = useState<Endpoint['kind']>('delivery-stream');
  const [destinationArn, setDestinationArn] = useState('');
  const [inAppStream, setInAppStream] = useState('');
  const [format, setFormat] = useState<RecordFormatType>('JSON');
  const [role, setRole] = useState('');
  const [added, setAdded] = useState<string | undefined>(undefined);
  const action = useAction();

  const choices = (endpoints.data ?? []).filter((endpoint) => endpoint.kind === kind);
  const chosenArn =
    destinationArn !== '' && choices.some((choice) => choice.arn === destinationArn)
      ? destinationArn
      : (choices[0]?.arn ?? '');
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
      <ErrorBanner error={endpoints.error} title="Could not list the streams." />
      <fieldset class="field">
        <legend>Destination</legend>
        <label class="choice">
          <input
            type="radio"
            name="destination-kind"
            checked={kind === 'delivery-stream'}
            onChange={() => setKind('delivery-stream')}
          />
          <span>
            <strong>Kinesis Firehose delivery stream</strong>
          </span>
        </label>
        <label class="choice">
          <input
            type="radio"
            name="destination-kind"
            checked={kind === 'stream'}
            onChange={() => setKind('stream')}
          />
          <span>
            <strong>Kinesis data stream</strong>
          </span>
        </label>
      </fieldset>
      {endpoints.data === undefined ? (
        endpoints.loading && <Loading />
      ) : choices.length === 0 ? (
        <Notice>There is no {kind === 'stream' ? 'data stream' : 'delivery stream'} to write to yet.</Notice>
      ) : (
        <Field id="destination-arn" label={kind === 'stream' ? 'Data stream' : 'Delivery stream'}>
          <select
            id="destination-arn"
            value={chosenArn}
            onChange={(event) => setDestinationArn(event.currentTarget.value)}
          >
            {choices.map((choice) => (
              <option key={choice.arn} value={choice.arn}>
                {choice.name} ({choice.status})
              </option>
            ))}
          </select>
        </Field>
      )}
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
