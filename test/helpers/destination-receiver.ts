/**
 * Local HTTP(S) servers in the test process that stand in for a delivery stream's destination (an
 * HTTP endpoint, an OpenSearch cluster, a Splunk HEC): every request is recorded with its raw
 * bytes, and a test-given handler answers it. HTTPS uses a throwaway self-signed certificate for
 * 127.0.0.1 made with /usr/bin/openssl; the Tributary server under test trusts it through
 * NODE_EXTRA_CA_CERTS (see `trustEnvironment`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  /** The bytes as sent (compressed when Content-Encoding is gzip). */
  readonly rawBody: Buffer;
  /** The body after Content-Encoding is undone. */
  readonly body: Buffer;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type ReplyHandler = (request: ReceivedRequest, index: number) => Reply | Promise<Reply>;

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  setHandler(handler: ReplyHandler): void;
  close(): Promise<void>;
}

export interface TestCertificate {
  readonly certPath: string;
  readonly cert: Buffer;
  readonly key: Buffer;
  remove(): void;
}

/** A self-signed certificate for 127.0.0.1, valid for two days. */
export function makeTestCertificate(): TestCertificate {
  const directory = mkdtempSync(path.join(tmpdir(), 'tributary-cert-'));
  const certPath = path.join(directory, 'cert.pem');
  const keyPath = path.join(directory, 'key.pem');
  execFileSync(
    '/usr/bin/openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return {
    certPath,
    cert: readFileSync(certPath),
    key: readFileSync(keyPath),
    remove: () => rmSync(directory, { recursive: true, force: true }),
  };
}

/** The environment that makes a Tributary server trust the test certificate. */
export const trustEnvironment = (certificate: TestCertificate): Record<string, string> => ({
  NODE_EXTRA_CA_CERTS: certificate.certPath,
});

export async function startReceiver(
  options: { readonly certificate?: TestCertificate; readonly handler?: ReplyHandler } = {},
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  let handler: ReplyHandler = options.handler ?? (() => ({ status: 200 }));
  const listener = (incoming: http.IncomingMessage, response: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const rawBody = Buffer.concat(chunks);
      const body = incoming.headers['content-encoding'] === 'gzip' ? gunzipSync(rawBody) : rawBody;
      const request: ReceivedRequest = {
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        rawBody,
        body,
      };
      const index = requests.length;
      requests.push(request);
      void Promise.resolve(handler(request, index)).then((reply) => {
        response.writeHead(reply.status, reply.headers ?? {});
        response.end(reply.body ?? '');
      });
    });
  };
  const server =
    options.certificate === undefined
      ? http.createServer(listener)
      : https.createServer({ cert: options.certificate.cert, key: options.certificate.key }, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.certificate === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    requests,
    setHandler(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Polls until `done` holds; fails after `timeoutMs` with `describe()` in the message. */
export async function waitUntil(
  done: () => boolean,
  describe: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`not as expected after ${timeoutMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
