/**
 * The HTTP/1.1 fast lane against a real server over bare sockets: pipelined and fragmented
 * requests answered in order, every other kind of request handed to `node:http` on the same
 * connection (GET, chunked bodies, Expect, oversized heads, malformed request lines), answers
 * byte-for-byte like the HTTP/2 path's, and idle connections closed with a FIN at stop.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { http2Request, signatureHeaders } from '../helpers/raw-request.js';
import { removeDataDir, startServer, type ServerProcess } from '../helpers/server-process.js';

const json = 'application/x-amz-json-1.1';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** One connection; answers are cut out by Content-Length, interim 1xx answers kept apart. */
class RawConnection {
  readonly socket: net.Socket;
  readonly ended: Promise<void>;
  readonly #waiting: ((answer: Answer) => void)[] = [];
  readonly #answers: Answer[] = [];
  readonly interim: string[] = [];
  #buffer = Buffer.alloc(0);

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.ended = new Promise((resolve) => this.socket.once('end', () => resolve()));
    this.socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#parse();
    });
  }

  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  next(): Promise<Answer> {
    const ready = this.#answers.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  close(): void {
    this.socket.destroy();
  }

  #parse(): void {
    for (;;) {
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = this.#buffer.toString('latin1', 0, end).split('\r\n');
      const status = Number((lines[0] ?? '').split(' ')[1]);
      if (status >= 100 && status < 200) {
        this.interim.push(lines[0] ?? '');
        this.#buffer = this.#buffer.subarray(end + 4);
        continue;
      }
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (this.#buffer.length < end + 4 + length) return;
      const answer = { status, headers, body: this.#buffer.subarray(end + 4, end + 4 + length) };
      this.#buffer = this.#buffer.subarray(end + 4 + length);
      const waiter = this.#waiting.shift();
      if (waiter !== undefined) waiter(answer);
      else this.#answers.push(answer);
    }
  }
}

function post(target: string, body: string, extraHeaders = ''): string {
  const auth = signatureHeaders();
  return (
    'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
    `Content-Type: ${json}\r\nX-Amz-Target: Kinesis_20131202.${target}\r\n` +
    `X-Amz-Date: ${auth['x-amz-date']}\r\nAuthorization: ${auth.authorization}\r\n` +
    extraHeaders +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

const putRecord = (data: string, key: string): string =>
  post(
    'PutRecord',
    JSON.stringify({ StreamName: 'lane', Data: Buffer.from(data).toString('base64'), PartitionKey: key }),
  );

describe('HTTP/1.1 fast lane', () => {
  let server: ServerProcess;
  let port: number;
  const open = (): RawConnection => new RawConnection(port);

  before(async () => {
    server = await startServer();
    port = server.port;
    const connection = open();
    connection.write(post('CreateStream', JSON.stringify({ StreamName: 'lane', ShardCount: 1 })));
    assert.equal((await connection.next()).status, 200);
    for (let attempt = 0; ; attempt++) {
      connection.write(post('DescribeStreamSummary', JSON.stringify({ StreamName: 'lane' })));
      const answer = await connection.next();
      if (answer.body.toString().includes('"ACTIVE"')) break;
      assert.ok(attempt < 200, 'stream never became ACTIVE');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    connection.close();
  });

  after(async () => {
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('answers pipelined requests in order, each with its own framing headers', async () => {
    const connection = open();
    connection.write(putRecord('first', 'a') + putRecord('second', 'a') + post('ListStreams', '{}'));
    const answers = [await connection.next(), await connection.next(), await connection.next()];
    const [first, second, list] = answers as [Answer, Answer, Answer];
    const sequence = (answer: Answer): bigint =>
      BigInt((JSON.parse(answer.body.toString()) as { SequenceNumber: string }).SequenceNumber);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.ok(sequence(first) < sequence(second), 'answers come in request order');
    assert.deepEqual((JSON.parse(list.body.toString()) as { StreamNames: string[] }).StreamNames, ['lane']);
    for (const answer of answers) {
      assert.equal(answer.headers['content-type'], json);
      assert.equal(Number(answer.headers['content-length']), answer.body.length);
      assert.match(answer.headers['x-amzn-requestid'] ?? '', /^[0-9a-f-]{36}$/);
      assert.ok(Number.isFinite(Date.parse(answer.headers.date ?? '')), 'a Date header');
      assert.equal(answer.headers.connection, 'keep-alive');
    }
    assert.notEqual(first.headers['x-amzn-requestid'], second.headers['x-amzn-requestid']);
    connection.close();
  });

  it('answers a request that arrives a few bytes at a time', async () => {
    const connection = open();
    const bytes = Buffer.from(putRecord('fragmented', 'b'));
    for (let at = 0; at < bytes.length; at += 7) {
      connection.write(bytes.subarray(at, at + 7));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const answer = await connection.next();
    assert.equal(answer.status, 200, answer.body.toString());
    assert.match(answer.body.toString(), /"SequenceNumber":"\d{56}"/);
    connection.close();
  });

  it('answers errors as the HTTP/2 path does', async () => {
    const connection = open();
    const body = JSON.stringify({ StreamName: 'missing' });
    connection.write(post('DescribeStreamSummary', body));
    const lane = await connection.next();
    const h2 = await http2Request(server.endpoint, {
      target: 'Kinesis_20131202.DescribeStreamSummary',
      contentType: json,
      body,
    });
    assert.equal(lane.status, 400);
    assert.equal(lane.status, h2.status);
    assert.equal(lane.headers['x-amzn-errortype'], h2.headers['x-amzn-errortype']);
    assert.equal(lane.body.toString(), h2.body.toString());
    connection.write(post('NoSuchOperation', '{}'));
    const unknown = await connection.next();
    assert.equal(unknown.status, 400);
    assert.equal(unknown.headers['x-amzn-errortype'], 'UnknownOperationException');
    connection.close();
  });

  it('hands the connection to node:http at a GET and keeps answering on it', async () => {
    const connection = open();
    connection.write(putRecord('before the GET', 'c'));
    assert.equal((await connection.next()).status, 200);
    connection.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' + putRecord('after the GET', 'c'));
    const health = await connection.next();
    assert.equal(health.status, 200);
    const after = await connection.next();
    assert.equal(after.status, 200, after.body.toString());
    assert.match(after.body.toString(), /"SequenceNumber"/);
    connection.close();
  });

  it('leaves chunked bodies, Expect and Connection: close to node:http', async () => {
    const chunked = open();
    const auth = signatureHeaders();
    chunked.write(
      'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        `Content-Type: ${json}\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\n` +
        `X-Amz-Date: ${auth['x-amz-date']}\r\nAuthorization: ${auth.authorization}\r\n` +
        'Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\n\r\n',
    );
    const listed = await chunked.next();
    assert.equal(listed.status, 200, listed.body.toString());
    assert.match(listed.body.toString(), /"StreamNames":\["lane"\]/);
    chunked.close();

    const expecting = open();
    expecting.write(post('ListStreams', '{}', 'Expect: 100-continue\r\n'));
    assert.equal((await expecting.next()).status, 200);
    assert.deepEqual(expecting.interim, ['HTTP/1.1 100 Continue']);
    expecting.close();

    const closing = open();
    closing.write(post('ListStreams', '{}', 'Connection: close\r\n'));
    const closed = await closing.next();
    assert.equal(closed.status, 200);
    assert.equal(closed.headers.connection, 'close');
    await closing.ended;
  });

  it('leaves malformed and oversized heads to node:http, which refuses them', async () => {
    const malformed = open();
    malformed.write('POST / HTTQ/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
    assert.equal((await malformed.next()).status, 400);
    malformed.close();

    const oversized = open();
    oversized.write(post('ListStreams', '{}', `X-Padding: ${'p'.repeat(17 * 1024)}\r\n`));
    assert.equal((await oversized.next()).status, 431);
    oversized.close();

    const duplicated = open();
    duplicated.write(post('ListStreams', '{}', 'Content-Length: 2\r\n'));
    assert.equal((await duplicated.next()).status, 400, 'node:http refuses a repeated Content-Length');
    duplicated.close();
  });

  it('closes an idle kept-alive connection with a FIN when the server stops', async () => {
    const connection = open();
    connection.write(post('ListStreams', '{}'));
    assert.equal((await connection.next()).status, 200);
    const stopping = server.stop();
    await connection.ended;
    await stopping;
    connection.close();
    server = await startServer({ dataDir: server.dataDir });
    port = server.port;
  });
});
