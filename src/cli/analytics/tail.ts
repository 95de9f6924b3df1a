/**
 * `tributary analytics tail <app> <stream>`: prints the rows of an in-application stream as they
 * are produced, one JSON object a line (`{"rowtime":"…","row":{…}}`), from the server's live
 * results endpoint (server-sent events, docs/analytics-live.md). Status changes and dropped rows
 * are reported on stderr. Runs until interrupted, or until --max-rows rows were printed.
 */
import http from 'node:http';
import https from 'node:https';
import { exitCodes, isClosedPipe, positiveInteger, write, type CommandIo } from '../streams/command-line.js';
import type { Connection } from '../streams/connection.js';
import { signedGetHeaders } from './analytics-client.js';
import type { AnalyticsSubcommand } from './analytics-subcommand.js';

export const tailCommand: AnalyticsSubcommand = {
  name: 'tail',
  summary: 'print the rows of an in-application stream as they come (JSON lines)',
  help: `Usage: tributary analytics tail APPLICATION STREAM [--max-rows N]

Prints the rows of the application's in-application STREAM (DESTINATION_SQL_STREAM,
SOURCE_SQL_STREAM_001, error_stream, ...; unquoted names are upper case) as they are produced, one
JSON object a line: {"rowtime":"<ISO time>","row":{"COLUMN":value,...}}. While the application
is not running, says so on stderr and waits. Rows a slow reader missed are counted on stderr.

Options:
  --max-rows N        exit after N rows; default: run until interrupted (Ctrl-C)`,
  options: { 'max-rows': { type: 'string' } },
  positionals: ['APPLICATION', 'STREAM'],
  async run({ connection, values, positionals, io }) {
    const maxRows = positiveInteger('max-rows', values['max-rows']);
    const url = new URL('/_tributary/analytics/live', connection.endpoint);
    url.searchParams.set('application', positionals[0] as string);
    url.searchParams.set('stream', positionals[1] as string);
    return tail(connection, url, maxRows, io);
  },
};

async function tail(
  connection: Connection,
  url: URL,
  maxRows: number | undefined,
  io: CommandIo,
): Promise<number> {
  const headers = await signedGetHeaders(connection, url, new Date());
  const get = url.protocol === 'https:' ? https.get : http.get;
  return new Promise<number>((resolve, reject) => {
    const request = get(
      url,
      { headers: { ...headers, accept: 'text/event-stream' }, signal: io.signal },
      (response) => {
        response.setEncoding('utf8');
        if (response.statusCode !== 200) {
          let body = '';
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => {
            const error = parseError(body);
            void write(io.stderr, `tributary analytics tail: ${error} (HTTP ${response.statusCode})\n`).then(
              () => resolve(exitCodes.failed),
              reject,
            );
          });
          return;
        }
        let pending = '';
        let printed = 0;
        let chain = Promise.resolve();
        const finish = (code: number): void => {
          request.destroy();
          resolve(code);
        };
        response.on('data', (chunk: string) => {
          pending += chunk;
          for (;;) {
            const end = pending.indexOf('\n\n');
            if (end < 0) break;
            const block = pending.slice(0, end);
            pending = pending.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event === undefined || data === undefined) continue;
            if (event === 'row') {
              if (maxRows !== undefined && printed >= maxRows) continue;
              printed++;
              const last = maxRows !== undefined && printed >= maxRows;
              response.pause();
              chain = chain
                .then(() => write(io.stdout, `${data}\n`))
                .then(
                  () => {
                    if (last) finish(exitCodes.ok);
                    else response.resume();
                  },
                  (error: unknown) => (isClosedPipe(error) ? finish(exitCodes.ok) : reject(error)),
                );
            } else if (event === 'status') {
              const status = (JSON.parse(data) as { status: string }).status;
              chain = chain.then(() =>
                write(
                  io.stderr,
                  status === 'RUNNING'
                    ? 'application is RUNNING\n'
                    : `application is ${status}; waiting for it to run\n`,
                ),
              );
            } else if (event === 'dropped') {
              const count = (JSON.parse(data) as { count: number }).count;
              chain = chain.then(() => write(io.stderr, `${count} rows dropped: reading too slowly\n`));
            }
          }
        });
        response.on('end', () => {
          void chain.then(() => resolve(exitCodes.ok));
        });
        response.on('error', (error) => (io.signal.aborted ? resolve(exitCodes.ok) : reject(error)));
      },
    );
    request.on('error', (error) => (io.signal.aborted ? resolve(exitCodes.ok) : reject(error)));
  });
}

function parseError(body: string): string {
  try {
    const parsed = JSON.parse(body) as { __type?: string; message?: string };
    return `${parsed.__type ?? 'Error'}: ${parsed.message ?? ''}`;
  } catch {
    return body.trim() === '' ? 'no answer' : body.trim();
  }
}
