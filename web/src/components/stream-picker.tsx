/**
 * Picks an Analytics application's source or destination: a data stream or a delivery stream of
 * the account. `useStreamChoice` loads the streams and keeps the choice (the kind, and the stream
 * of that kind: the one picked while it still exists, else the first); `StreamPicker` draws the
 * kinds as radio buttons and the streams of the chosen kind as a labelled select, or a notice when
 * there is none.
 */
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { listEndpoints, type Endpoint } from '../analytics/applications.js';
import { ErrorBanner, Field, Loading, Notice, useLoader, type Loaded } from './ui.js';

export type EndpointKind = Endpoint['kind'];

export interface StreamChoice {
  readonly endpoints: Loaded<Endpoint[]>;
  readonly kind: EndpointKind;
  readonly setKind: (kind: EndpointKind) => void;
  /** The ARN of the chosen stream, or '' when the chosen kind has none. */
  readonly chosenArn: string;
  readonly setArn: (arn: string) => void;
}

export function useStreamChoice(
  clients: { readonly kinesis: KinesisClient; readonly firehose: FirehoseClient },
  initialKind: EndpointKind,
): StreamChoice {
  const endpoints = useLoader(() => listEndpoints(clients.kinesis, clients.firehose), [clients]);
  const [kind, setKind] = useState<EndpointKind>(initialKind);
  const [arn, setArn] = useState('');
  const choices = (endpoints.data ?? []).filter((endpoint) => endpoint.kind === kind);
  const chosenArn =
    arn !== '' && choices.some((choice) => choice.arn === arn) ? arn : (choices[0]?.arn ?? '');
  return { endpoints, kind, setKind, chosenArn, setArn };
}

const kindLabels: Readonly<Record<EndpointKind, string>> = {
  stream: 'Kinesis data stream',
  'delivery-stream': 'Kinesis Firehose delivery stream',
};

export function StreamPicker({
  choice,
  id,
  legend,
  kinds,
  empty,
}: {
  choice: StreamChoice;
  /** The select's id; the radio group is named `<id>-kind`. */
  id: string;
  legend: string;
  /** The kinds offered, in order. */
  kinds: readonly EndpointKind[];
  /** What the notice says when the chosen kind has no stream. */
  empty: (kind: EndpointKind) => ComponentChildren;
}) {
  const { endpoints, kind } = choice;
  const choices = (endpoints.data ?? []).filter((endpoint) => endpoint.kind === kind);
  return (
    <>
      <ErrorBanner error={endpoints.error} title="Could not list the streams." />
      <fieldset class="field">
        <legend>{legend}</legend>
        {kinds.map((offered) => (
          <label class="choice" key={offered}>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={kind === offered}
              onChange={() => choice.setKind(offered)}
            />
            <span>
              <strong>{kindLabels[offered]}</strong>
            </span>
          </label>
        ))}
      </fieldset>
      {endpoints.data === undefined ? (
        endpoints.loading && <Loading />
      ) : choices.length === 0 ? (
        <Notice>{empty(kind)}</Notice>
      ) : (
        <Field id={id} label={kind === 'stream' ? 'Data stream' : 'Delivery stream'}>
          <select
            id={id}
            value={choice.chosenArn}
            onChange={(event) => choice.setArn(event.currentTarget.value)}
          >
            {choices.map((endpoint) => (
              <option key={endpoint.arn} value={endpoint.arn}>
                {endpoint.name} ({endpoint.status})
              </option>
            ))}
          </select>
        </Field>
      )}
    </>
  );
}
