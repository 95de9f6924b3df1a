/**
 * The application's source. Without one: connect a data stream or delivery stream (IAM role,
 * record pre-processing off), **Discover schema** (DiscoverInputSchema), then edit the discovered
 * columns (name, SQL type, mapping) while the sample rows show, raw and formatted with the
 * columns as edited; **Save and continue** adds the input (AddApplicationInput). With one: the
 * source, its in-application stream and its schema.
 */
import {
  AddApplicationInputCommand,
  DiscoverInputSchemaCommand,
  UpdateApplicationCommand,
  type InputDescription,
  type RecordFormat,
} from '@aws-sdk/client-kinesis-analytics';
import { useState } from 'preact/hooks';
import { accountOf, nameOfArn } from '../analytics/applications.js';
import { toEditable, toRecordColumns, type EditableColumn } from '../analytics/schema.js';
import { SchemaEditor } from '../components/schema-editor.js';
import { StreamPicker, useStreamChoice } from '../components/stream-picker.js';
import { ErrorBanner, Field, useAction } from '../components/ui.js';
import { applicationPath, linkTo, navigate } from '../router.js';
import type { ApplicationTabProps } from './analytics-detail.js';

const namePrefixDefault = 'SOURCE_SQL_STREAM';

export function AnalyticsSourceTab(props: ApplicationTabProps) {
  const inputs = props.application.InputDescriptions ?? [];
  if (inputs.length > 0) return <ConnectedSource application={props} input={inputs[0] as InputDescription} />;
  return <ConnectSourceForm {...props} />;
}

function ConnectedSource({
  application,
  input,
}: {
  application: ApplicationTabProps;
  input: InputDescription;
}) {
  const name = application.application.ApplicationName ?? '';
  const streamArn = input.KinesisStreamsInputDescription?.ResourceARN;
  const deliveryArn = input.KinesisFirehoseInputDescription?.ResourceARN;
  const schema = input.InputSchema;
  const format = schema?.RecordFormat;
  const [editing, setEditing] = useState(false);
  return (
    <div class="card">
      <h2>Source</h2>
      <dl class="summary">
        <div>
          <dt>{streamArn !== undefined ? 'Kinesis data stream' : 'Delivery stream'}</dt>
          <dd data-testid="source-name">{nameOfArn(streamArn ?? deliveryArn)}</dd>
        </div>
        <div>
          <dt>In-application stream</dt>
          <dd>
            <code>{(input.InAppStreamNames ?? []).join(', ')}</code>
          </dd>
        </div>
        <div>
          <dt>Record format</dt>
          <dd>{schema?.RecordFormat?.RecordFormatType ?? '—'}</dd>
        </div>
        <div>
          <dt>Record pre-processing</dt>
          <dd>{input.InputProcessingConfigurationDescription === undefined ? 'Off' : 'Lambda'}</dd>
        </div>
        <div class="wide">
          <dt>IAM role</dt>
          <dd>
            <code>
              {input.KinesisStreamsInputDescription?.RoleARN ??
                input.KinesisFirehoseInputDescription?.RoleARN}
            </code>
          </dd>
        </div>
      </dl>
      <div class="page-header">
        <h3>Schema</h3>
        {!editing && (
          <button type="button" onClick={() => setEditing(true)}>
            Edit schema
          </button>
        )}
      </div>
      {editing && format !== undefined ? (
        <SchemaUpdateForm
          application={application}
          input={input}
          format={format}
          onDone={() => setEditing(false)}
        />
      ) : (
        <table class="table" data-testid="source-schema">
          <caption class="visually-hidden">Source schema</caption>
          <thead>
            <tr>
              <th scope="col">Column</th>
              <th scope="col">SQL type</th>
              <th scope="col">Mapping</th>
            </tr>
          </thead>
          <tbody>
            {(schema?.RecordColumns ?? []).map((column) => (
              <tr key={column.Name}>
                <td>
                  <code>{column.Name}</code>
                </td>
                <td>{column.SqlType}</td>
                <td>
                  <code>{column.Mapping ?? '—'}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div class="actions">
        <a
          class="button button-primary"
          href={applicationPath(name, 'sql')}
          onClick={linkTo(applicationPath(name, 'sql'))}
        >
          Go to SQL editor
        </a>
      </div>
    </div>
  );
}

/**
 * Edit the schema of a connected source (UpdateApplication with an InputSchemaUpdate); the
 * samples come from DiscoverInputSchema on the same source, read with the columns as edited.
 */
function SchemaUpdateForm({
  application: { clients, application, refresh },
  input,
  format,
  onDone,
}: {
  application: ApplicationTabProps;
  input: InputDescription;
  format: RecordFormat;
  onDone: () => void;
}) {
  const [columns, setColumns] = useState<EditableColumn[]>(() =>
    toEditable(input.InputSchema?.RecordColumns ?? []),
  );
  const [raw, setRaw] = useState<readonly string[]>([]);
  const samples = useAction();
  const save = useAction();
  const source = input.KinesisStreamsInputDescription ?? input.KinesisFirehoseInputDescription;

  const loadSamples = (): void => {
    void samples.run(async () => {
      const result = await clients.analytics.send(
        new DiscoverInputSchemaCommand({
          ResourceARN: source?.ResourceARN,
          RoleARN: source?.RoleARN,
          InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' },
        }),
      );
      setRaw(result.RawInputRecords ?? []);
    });
  };

  const submit = (event: Event): void => {
    event.preventDefault();
    void save.run(async () => {
      await clients.analytics.send(
        new UpdateApplicationCommand({
          ApplicationName: application.ApplicationName,
          CurrentApplicationVersionId: application.ApplicationVersionId,
          ApplicationUpdate: {
            InputUpdates: [
              {
                InputId: input.InputId,
                InputSchemaUpdate: {
                  RecordFormatUpdate: format,
                  ...(input.InputSchema?.RecordEncoding === undefined
                    ? {}
                    : { RecordEncodingUpdate: input.InputSchema.RecordEncoding }),
                  RecordColumnUpdates: toRecordColumns(columns, format),
                },
              },
            ],
          },
        }),
      );
      refresh();
      onDone();
    });
  };

  return (
    <form class="form" onSubmit={submit} aria-label="Edit schema">
      <SchemaEditor format={format} raw={raw} columns={columns} onChange={setColumns} />
      <div class="actions">
        <button type="button" disabled={samples.running} onClick={loadSamples}>
          {samples.running
            ? 'Reading samples…'
            : raw.length === 0
              ? 'Load sample records'
              : 'Refresh samples'}
        </button>
      </div>
      <ErrorBanner error={samples.error} title="Could not read sample records." />
      <ErrorBanner error={save.error} title="Could not save the schema." />
      <div class="actions">
        <button type="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" class="button-primary" disabled={save.running || columns.length === 0}>
          {save.running ? 'Saving…' : 'Save schema'}
        </button>
      </div>
    </form>
  );
}

interface Discovered {
  readonly format: RecordFormat;
  readonly encoding: string | undefined;
  readonly raw: readonly string[];
}

function ConnectSourceForm({ clients, application, refresh }: ApplicationTabProps) {
  const applicationName = application.ApplicationName ?? '';
  const picked = useStreamChoice(clients, 'stream');
  const { kind, chosenArn } = picked;
  const [role, setRole] = useState('');
  const [prefix, setPrefix] = useState(namePrefixDefault);
  const [discovered, setDiscovered] = useState<Discovered | undefined>(undefined);
  const [columns, setColumns] = useState<EditableColumn[]>([]);
  const discover = useAction();
  const save = useAction();

  const account = accountOf(chosenArn) ?? '000000000000';
  const roleArn =
    role !== '' ? role : `arn:aws:iam::${account}:role/service-role/kinesis-analytics-${applicationName}`;
  const runDiscovery = (): void => {
    void discover.run(async () => {
      const result = await clients.analytics.send(
        new DiscoverInputSchemaCommand({
          ResourceARN: chosenArn,
          RoleARN: roleArn,
          InputStartingPositionConfiguration: { InputStartingPosition: 'NOW' },
        }),
      );
      const schema = result.InputSchema;
      if (schema?.RecordFormat === undefined)
        throw new Error('DiscoverInputSchema returned no record format');
      setDiscovered({
        format: schema.RecordFormat,
        encoding: schema.RecordEncoding,
        raw: result.RawInputRecords ?? [],
      });
      setColumns(toEditable(schema.RecordColumns ?? []));
    });
  };

  const submit = (event: Event): void => {
    event.preventDefault();
    if (discovered === undefined) return;
    void save.run(async () => {
      const source = { ResourceARN: chosenArn, RoleARN: roleArn };
      await clients.analytics.send(
        new AddApplicationInputCommand({
          ApplicationName: applicationName,
          CurrentApplicationVersionId: application.ApplicationVersionId,
          Input: {
            NamePrefix: prefix,
            ...(kind === 'stream' ? { KinesisStreamsInput: source } : { KinesisFirehoseInput: source }),
            InputParallelism: { Count: 1 },
            InputSchema: {
              RecordFormat: discovered.format,
              ...(discovered.encoding === undefined ? {} : { RecordEncoding: discovered.encoding }),
              RecordColumns: toRecordColumns(columns, discovered.format),
            },
          },
        }),
      );
      refresh();
      navigate(applicationPath(applicationName, 'source'));
    });
  };

  return (
    <form class="card form" onSubmit={submit} aria-labelledby="connect-title">
      <h2 id="connect-title">Connect streaming data</h2>
      <StreamPicker
        choice={picked}
        id="source-arn"
        legend="Source"
        kinds={['stream', 'delivery-stream']}
        empty={(kind) => (
          <>
            There is no {kind === 'stream' ? 'data stream' : 'delivery stream'} to read yet.{' '}
            {kind === 'stream' && (
              <a href="/streams/create" onClick={linkTo('/streams/create')}>
                Create a data stream
              </a>
            )}
          </>
        )}
      />
      <fieldset class="field">
        <legend>Record pre-processing with AWS Lambda</legend>
        <label class="choice">
          <input type="radio" name="preprocessing" checked readOnly />
          <span>
            <strong>Off</strong>
          </span>
        </label>
        <label class="choice">
          <input type="radio" name="preprocessing" disabled aria-describedby="preprocessing-hint" />
          <span>
            <strong>On</strong>
          </span>
        </label>
        <p class="hint" id="preprocessing-hint">
          The console does not set pre-processing up yet: add it with the API
          (AddApplicationInputProcessingConfiguration); the server runs functions registered with --functions.
        </p>
      </fieldset>
      <Field
        id="role-arn"
        label="IAM role"
        hint="The role the application would assume on AWS; this server records it and does not check it."
      >
        <input
          id="role-arn"
          class="input-wide"
          aria-describedby="role-arn-hint"
          value={roleArn}
          required
          onInput={(event) => setRole(event.currentTarget.value)}
        />
      </Field>
      <Field
        id="name-prefix"
        label="In-application stream name prefix"
        hint="The stream is named PREFIX_001."
      >
        <input
          id="name-prefix"
          aria-describedby="name-prefix-hint"
          value={prefix}
          required
          maxLength={32}
          onInput={(event) => setPrefix(event.currentTarget.value)}
        />
      </Field>
      <div class="actions discover-actions">
        <button type="button" disabled={discover.running || chosenArn === ''} onClick={runDiscovery}>
          {discover.running ? 'Discovering schema…' : 'Discover schema'}
        </button>
      </div>
      <ErrorBanner error={discover.error} title="Could not discover a schema." />
      {discovered !== undefined && (
        <>
          <SchemaEditor
            format={discovered.format}
            raw={discovered.raw}
            columns={columns}
            onChange={setColumns}
          />
          <ErrorBanner error={save.error} title="Could not save the source." />
          <div class="actions">
            <button type="submit" class="button-primary" disabled={save.running || columns.length === 0}>
              {save.running ? 'Saving…' : 'Save and continue'}
            </button>
          </div>
        </>
      )}
    </form>
  );
}
