import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, it } from 'node:test';
import type { ApiFastLane } from './api-handler.js';
import { Http1FastLane, parseFastHead, replyHead } from './http1-fast-lane.js';
import { HttpServer } from './http-server.js';

const lane = {
  bodyBytesMax: 1000,
  accepts: (headers: Readonly<Record<string, string>>) => headers.origin === undefined,
};
const head = (...lines: string[]): string => lines.join('\r\n');
const plain = ['POST /?a=1 HTTP/1.1', 'Host: x', 'X-Amz-Target:  K.Op \t', 'Content-Length: 2'];

describe('parseFastHead', () => {
  it('takes a plain POST: names lower-cased, values trimmed, the body located', () => {
    const parsed = parseFastHead(head(...plain), lane);
    assert.ok(parsed !== undefined);
    assert.equal(parsed.url, '/?a=1');
    assert.deepEqual({ ...parsed.headers }, { host: 'x', 'x-amz-target': 'K.Op', 'content-length': '2' });
    assert.equal(parsed.contentLength, 2);
    assert.equal(parsed.bodyStart, head(...plain).length + 4);
    assert.ok(parseFastHead(head(...plain, 'Connection: Keep-Alive'), lane) !== undefined);
  });

  it('leaves everything else to node:http', () => {
    const refused: [string, string][] = [
      ['GET', head('GET / HTTP/1.1', 'Host: x')],
      ['HTTP/1.0', head('POST / HTTP/1.0', 'Host: x', 'Content-Length: 2')],
      ['absolute form', head('POST http://x/ HTTP/1.1', 'Host: x', 'Content-Length: 2')],
      ['extra space', head('POST  / HTTP/1.1', 'Host: x', 'Content-Length: 2')],
      ['space after the version', head('POST / HTTP/1.1 ', 'Host: x', 'Content-Length: 2')],
      ['control character in the path', head('POST /a\tb HTTP/1.1', 'Host: x', 'Content-Length: 2')],
      ['lower-case method', head('post / HTTP/1.1', 'Host: x', 'Content-Length: 2')],
      ['no path', head('POST /HTTP/1.1', 'Host: x', 'Content-Length: 2')],
      ['no Content-Length', head('POST / HTTP/1.1', 'Host: x')],
      ['no Host', head('POST / HTTP/1.1', 'Content-Length: 2')],
      ['signed length', head('POST / HTTP/1.1', 'Host: x', 'Content-Length: +2')],
      ['length too large', head('POST / HTTP/1.1', 'Host: x', 'Content-Length: 1001')],
      ['duplicate header', head(...plain, 'host: y')],
      ['folded line', head(...plain, ' folded')],
      ['bad name', head(...plain, 'Bad Name: v')],
      ['empty name', head(...plain, ': v')],
      ['control character', head(...plain, 'X-A: a\u0001b')],
      ['bare line feed', head(...plain, 'X-A: a\nX-B: b')],
      ['non-ASCII name', head(...plain, 'X-\u00e9: v')],
      ['chunked', head(...plain, 'Transfer-Encoding: chunked')],
      ['expect', head(...plain, 'Expect: 100-continue')],
      ['upgrade', head(...plain, 'Upgrade: h2c')],
      ['connection close', head(...plain, 'Connection: close')],
      ['declined by the API', head(...plain, 'Origin: http://console')],
    ];
    for (const [what, text] of refused) assert.equal(parseFastHead(text, lane), undefined, what);
  });
});

describe('replyHead', () => {
  it('writes the status line, the given headers and the framing headers', () => {
    const text = replyHead({ status: 400, headers: [['x-amzn-ErrorType', 'Bad']], body: Buffer.from('abc') });
    const lines = text.split('\r\n');
    assert.equal(lines[0], 'HTTP/1.1 400 Bad Request');
    assert.equal(lines[1], 'x-amzn-ErrorType: Bad');
    assert.equal(lines[2], 'Content-Length: 3');
    assert.match(lines[3] ?? '', /^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    assert.deepEqual(lines.slice(4), ['Connection: keep-alive', 'Keep-Alive: timeout=65', '', '']);
  });
});

describe('HttpServer with a fast lane', () => {
  it('answers POSTs in the lane until a request it does not take, then node:http has the connection', async () => {
    const seen: string[] = [];
    const fastLane: ApiFastLane = {
      ...lane,
      answer: (_headers, url, body) => {
        seen.push(`lane ${url} ${body.toString()}`);
        return Promise.resolve({ status: 200, headers: [['x-via', 'lane']], body: Buffer.from('ok') });
      },
    };
    const server = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      fastLane,
      onRequest: (request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          seen.push(`node ${request.method ?? ''} ${request.url ?? ''} ${body}`);
          response.setHeader('x-via', 'node');
          response.end('ok');
        });
      },
    });
    const port = await server.listen();
    const post = (path: string, body: string): string =>
      `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write(post('/1', 'a') + post('/2', 'bb') + 'GET /3 HTTP/1.1\r\nHost: x\r\n\r\n' + post('/4', 'c'));
    for (let wait = 0; (received.match(/x-via/g) ?? []).length < 4; wait++) {
      assert.ok(wait < 200, `four answers, got: ${received}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.deepEqual(seen, ['lane /1 a', 'lane /2 bb', 'node GET /3 ', 'node POST /4 c']);
    assert.deepEqual(received.match(/x-via: \w+/g), [
      'x-via: lane',
      'x-via: lane',
      'x-via: node',
      'x-via: node',
    ]);
    socket.destroy();
    await server.close(100);
  });

  it('cuts large and fragmented bodies out exactly, a large one into a buffer of its own', async () => {
    const bodies: Buffer[] = [];
    const server = new HttpServer({
      host: '127.0.0.1',
      port: 0,
      fastLane: {
        bodyBytesMax: 1 << 20,
        accepts: () => true,
        answer: (_headers, _url, body) => {
          bodies.push(Buffer.from(body));
          const owned = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
          return Promise.resolve({
            status: 200,
            headers: [['x-owned', String(owned)]],
            body: Buffer.alloc(0),
          });
        },
      },
      onRequest: (_request, response) => response.end(),
    });
    const port = await server.listen();
    const large = Buffer.alloc(300_000);
    for (let index = 0; index < large.length; index++) large[index] = (index * 7) % 251;
    const request = (body: Buffer): Buffer =>
      Buffer.concat([
        Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`),
        body,
      ]);
    const all = Buffer.concat([request(Buffer.from('small')), request(large), request(Buffer.from('after'))]);
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    // Cut at odd places, so that heads and bodies straddle writes.
    for (let at = 0, size = 1; at < all.length; at += size, size = (size * 37 + 11) % 70_001) {
      socket.write(all.subarray(at, at + size));
    }
    for (let wait = 0; (received.match(/x-owned/g) ?? []).length < 3; wait++) {
      assert.ok(wait < 300, `three answers, got: ${received}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.deepEqual(
      bodies.map((body) => body.toString('latin1')),
      ['small', large.toString('latin1'), 'after'],
    );
    assert.deepEqual(received.match(/x-owned: \w+/g)?.[1], 'x-owned: true');
    socket.destroy();
    await server.close(100);
  });

  it('closes a connection idle past the timeout, not one whose request takes longer than it', async () => {
    const idleMs = 100;
    const accepted: net.Socket[] = [];
    const tcp = net.createServer((socket) => {
      accepted.push(socket);
      const slowLane: ApiFastLane = {
        ...lane,
        answer: () =>
          new Promise((resolve) =>
            setTimeout(() => resolve({ status: 200, headers: [], body: Buffer.from('late') }), 3 * idleMs),
          ),
      };
      new Http1FastLane(socket, Buffer.alloc(0), slowLane, () => assert.fail('no hand-off'), idleMs);
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    const address = tcp.address();
    assert.ok(typeof address === 'object' && address !== null);
    const socket = net.connect(address.port, '127.0.0.1');
    try {
      let received = '';
      let answeredAt = 0;
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString('latin1');
        answeredAt = performance.now();
      });
      const ended = new Promise<number>((resolve, reject) => {
        socket.once('end', () => resolve(performance.now()));
        setTimeout(
          () => reject(new Error(`not closed 20 idle timeouts later; received: ${received}`)),
          20 * idleMs,
        );
      });
      socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}');
      const endedAt = await ended;
      assert.match(received, /^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\nlate$/);
      assert.ok(endedAt >= answeredAt, 'the connection ends after the answer, not during the request');
    } finally {
      socket.destroy();
      for (const each of accepted) each.destroy();
      await new Promise((resolve) => tcp.close(resolve));
    }
  });
});
