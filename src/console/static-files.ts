/**
 * Serves the web console's built files (web/dist, made by `npm run build`) on GET and HEAD.
 *
 * The directory is read once, when the server starts: a request can only name a file found then
 * (a map lookup on the decoded path, never a path joined from the URL), so `..`, encoded slashes
 * and symlinks out of the directory cannot reach anything else. Files are kept in memory (the
 * console is a few hundred KiB plus its source map; a bound stops a stray large file), each with
 * a gzip copy made when a client first asks for it: compressing everything at start, the 2.5 MB
 * source map included, was a tenth of the server's start-up time.
 *
 * Vite names assets after their content hash, so `/assets/*` are cached for a year; index.html
 * must be revalidated (ETag) so a new build is picked up. A navigation to a client route (an
 * extensionless path asking for HTML) gets index.html, and the page's router takes over.
 * `serve` answers false for anything else, so the caller can chain other GET handlers.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type http from 'node:http';
import type http2 from 'node:http2';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

type Request = http.IncomingMessage | http2.Http2ServerRequest;
type Response = http.ServerResponse | http2.Http2ServerResponse;

/** Where `vite build` puts the console, from dist/src/console/ (compiled) back to the package root. */
export const defaultConsoleDirectory = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const consoleBytesMax = 32 * 1024 * 1024;
const immutableCacheControl = 'public, max-age=31536000, immutable';
const revalidateCacheControl = 'no-cache';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
/** Worth compressing; images and fonts already are. */
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt']);

interface StaticFile {
  readonly body: Buffer;
  /** Whether a gzip copy is worth serving (text over 1 KiB). */
  readonly compressible: boolean;
  /** The gzip copy, once the first request that accepts gzip has made it. */
  gzipped: Promise<Buffer> | undefined;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly etag: string;
}

export class StaticFiles {
  readonly #files = new Map<string, StaticFile>();

  /** Loads every file under `directory`; an absent directory gives a console with no files. */
  constructor(directory: string = defaultConsoleDirectory) {
    let totalBytes = 0;
    for (const relative of listFiles(directory)) {
      const extension = path.extname(relative).toLowerCase();
      const contentType = contentTypes[extension];
      if (contentType === undefined) continue;
      const body = readFileSync(path.join(directory, relative));
      totalBytes += body.length;
      if (totalBytes > consoleBytesMax) {
        throw new Error(`console files in ${directory} exceed ${consoleBytesMax} bytes`);
      }
      const urlPath = '/' + relative.split(path.sep).join('/');
      this.#files.set(urlPath, {
        body,
        compressible: compressible.has(extension) && body.length > 1024,
        gzipped: undefined,
        contentType,
        cacheControl: urlPath.startsWith('/assets/') ? immutableCacheControl : revalidateCacheControl,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      });
    }
  }

  /** True when the console was built (index.html is there). */
  get available(): boolean {
    return this.#files.has('/index.html');
  }

  /** Answers a GET or HEAD for a console file or client route; false when it is neither. */
  serve(request: Request, response: Response): boolean {
    if (request.method !== 'GET' && request.method !== 'HEAD') return false;
    const urlPath = pathOf(request.url ?? '/');
    if (urlPath === undefined) return false;
    const file =
      this.#files.get(urlPath === '/' ? '/index.html' : urlPath) ??
      (isClientRoute(urlPath, request) ? this.#files.get('/index.html') : undefined);
    if (file === undefined) return false;
    send(request, response, file).catch(() => {
      // Only compressing can fail (memory): drop the connection rather than answer half.
      response.destroy();
    });
    return true;
  }
}

async function send(request: Request, response: Response, file: StaticFile): Promise<void> {
  response.setHeader('Content-Type', file.contentType);
  response.setHeader('Cache-Control', file.cacheControl);
  response.setHeader('ETag', file.etag);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  if (file.compressible) response.setHeader('Vary', 'Accept-Encoding');
  if (headerOf(request, 'if-none-match') === file.etag) {
    response.writeHead(304);
    response.end();
    return;
  }
  let body = file.body;
  if (file.compressible && /\bgzip\b/.test(headerOf(request, 'accept-encoding') ?? '')) {
    file.gzipped ??= gzipAsync(file.body);
    body = await file.gzipped;
    response.setHeader('Content-Encoding', 'gzip');
  }
  response.setHeader('Content-Length', body.length);
  response.writeHead(200);
  if (request.method === 'HEAD') response.end();
  else response.end(body);
}

/** The decoded path of a request target, or undefined when it is not a plain absolute path. */
function pathOf(target: string): string | undefined {
  const pathPart = target.split(/[?#]/, 1)[0] ?? '';
  if (!pathPart.startsWith('/')) return undefined;
  try {
    return decodeURIComponent(pathPart);
  } catch {
    // A malformed escape (`%zz`) names no file.
    return undefined;
  }
}

/** A browser navigation to a page of the console: no file extension, and HTML accepted. */
function isClientRoute(urlPath: string, request: Request): boolean {
  const lastSegment = urlPath.slice(urlPath.lastIndexOf('/') + 1);
  if (lastSegment.includes('.')) return false;
  return (headerOf(request, 'accept') ?? '').includes('text/html');
}

function headerOf(request: Request, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

/** Regular files under `directory`, as relative paths; symlinks are not followed. */
function listFiles(directory: string, relative = ''): string[] {
  let entries;
  try {
    entries = readdirSync(path.join(directory, relative), { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const entryPath = path.join(relative, entry.name);
    if (entry.isDirectory()) files.push(...listFiles(directory, entryPath));
    else if (entry.isFile()) files.push(entryPath);
  }
  return files;
}
