/**
 * StaticFiles over real HTTP (a plain node:http server on a free port, no mocks): content types,
 * caching headers, ETag revalidation, gzip, HEAD, the index.html fallback for client routes, and
 * that nothing outside the directory can be named — `..` in any spelling, or a symlink.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { StaticFiles } from './static-files.js';

interface Reply {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

const indexHtml = '<!doctype html><html><body><div id="app"></div></body></html>\n';
const appJs = `console.log(${JSON.stringify('x'.repeat(4000))});\n`;

describe('StaticFiles', () => {
  let root: string;
  let server: http.Server;
  let port: number;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tributary-static-'));
    const site = path.join(root, 'site');
    await mkdir(path.join(site, 'assets'), { recursive: true });
    await writeFile(path.join(site, 'index.html'), indexHtml);
    await writeFile(path.join(site, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(path.join(site, 'assets', 'index-AbC123.js'), appJs);
    await writeFile(path.join(site, 'assets', 'index-AbC123.css'), 'body{margin:0}');
    await writeFile(path.join(site, 'assets', 'unknown.bin'), 'no content type for this');
    await writeFile(path.join(root, 'secret.txt'), 'outside the console directory');
    await symlink(path.join(root, 'secret.txt'), path.join(site, 'linked.txt'));
    const files = new StaticFiles(site);
    server = http.createServer((request, response) => {
      if (files.serve(request, response)) return;
      response.writeHead(404, { 'Content-Type': 'text/plain' });
      response.end('not the console\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(root, { recursive: true, force: true });
  });

  function get(target: string, headers: http.OutgoingHttpHeaders = {}, method = 'GET'): Promise<Reply> {
    return new Promise((resolve, reject) => {
      // `path` is sent as written, so `..` and odd escapes reach the server unnormalised.
      const request = http.request({ host: '127.0.0.1', port, path: target, method, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
      });
      request.on('error', reject);
      request.end();
    });
  }

  it('serves index.html at / with a revalidated cache and an ETag', async () => {
    const reply = await get('/');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(reply.headers['cache-control'], 'no-cache');
    assert.equal(reply.headers['x-content-type-options'], 'nosniff');
    assert.match(reply.headers.etag ?? '', /^"[\w-]{27}"$/);
    assert.equal(reply.body.toString(), indexHtml);
    assert.equal(reply.headers['content-length'], String(Buffer.byteLength(indexHtml)));

    const again = await get('/index.html', { 'If-None-Match': reply.headers.etag ?? '' });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  });

  it('serves hashed assets with their content types, cached for a year', async () => {
    const js = await get('/assets/index-AbC123.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(js.body.toString(), appJs);
    const css = await get('/assets/index-AbC123.css?v=1');
    assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    const svg = await get('/favicon.svg');
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
    assert.equal(svg.headers['cache-control'], 'no-cache');
  });

  it('sends gzip to clients that accept it, and the same bytes once unzipped', async () => {
    const reply = await get('/assets/index-AbC123.js', { 'Accept-Encoding': 'br, gzip, deflate' });
    assert.equal(reply.headers['content-encoding'], 'gzip');
    assert.equal(reply.headers.vary, 'Accept-Encoding');
    assert.ok(reply.body.length < appJs.length / 4);
    assert.equal(gunzipSync(reply.body).toString(), appJs);
  });

  it('answers HEAD with the headers and no body', async () => {
    const reply = await get('/assets/index-AbC123.js', {}, 'HEAD');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['content-length'], String(Buffer.byteLength(appJs)));
    assert.equal(reply.body.length, 0);
  });

  it('answers a browser navigation to a client route with index.html, and nothing else', async () => {
    const navigation = await get('/streams/test-kinesis/data', { Accept: 'text/html,application/xhtml+xml' });
    assert.equal(navigation.status, 200);
    assert.equal(navigation.body.toString(), indexHtml);
    // Not a navigation (no HTML accepted), or a missing file with an extension: left to the caller.
    assert.equal((await get('/streams/test-kinesis')).status, 404);
    assert.equal((await get('/assets/missing-XyZ.js', { Accept: 'text/html' })).status, 404);
    assert.equal((await get('/', {}, 'POST')).status, 404);
  });

  it('cannot be led outside its directory', async () => {
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets%2f..%2f..%2fsecret.txt',
      '/linked.txt',
      '/assets/unknown.bin',
      '/%zz',
      'http://example.com/index.html',
    ];
    for (const target of attempts) {
      const reply = await get(target, { Accept: 'text/html' });
      assert.equal(reply.status, 404, target);
      assert.equal(reply.body.toString(), 'not the console\n', target);
    }
    // An extensionless path is a client route: the page itself, never the file of that name.
    const route = await get('//etc/passwd', { Accept: 'text/html' });
    assert.equal(route.body.toString(), indexHtml);
  });

  it('serves nothing, and says so, when the console was not built', () => {
    const missing = new StaticFiles(path.join(root, 'no-such-directory'));
    assert.equal(missing.available, false);
  });
});
