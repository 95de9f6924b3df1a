/**
 * A real PostgreSQL server for tests: `initdb` into a fresh temporary directory and `pg_ctl start`
 * on 127.0.0.1 with a free port (trust authentication, superuser `postgres`). PostgreSQL refuses
 * to run as root, so under root both run as the `postgres` user (`runuser`). The binaries are
 * found on PATH or in Debian's `/usr/lib/postgresql/<version>/bin` (newest first).
 *
 * Fails LOUDLY: a missing binary, a missing `postgres` user or a server that does not start throws
 * with what was tried and PostgreSQL's own output; nothing here skips.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

export interface Postgres {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** Runs SQL in database `postgres` and returns the rows. */
  query<T extends Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
}

function findBinary(name: string): string {
  const tried: string[] = [];
  for (const directory of (process.env.PATH ?? '').split(path.delimiter)) {
    if (directory === '') continue;
    const candidate = path.join(directory, name);
    tried.push(candidate);
    if (existsSync(candidate)) return candidate;
  }
  const debianRoot = '/usr/lib/postgresql';
  const versions = existsSync(debianRoot)
    ? readdirSync(debianRoot)
        .filter((entry) => /^\d+$/.test(entry))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const version of versions) {
    const candidate = path.join(debianRoot, version, 'bin', name);
    tried.push(candidate);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    `PostgreSQL's ${name} was not found (install Debian's postgresql package); tried:\n  ${tried.join('\n  ')}`,
  );
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Runs a PostgreSQL program, as the `postgres` user when this process is root. */
async function runAsPostgres(binary: string, args: readonly string[]): Promise<string> {
  const asRoot = process.getuid?.() === 0;
  const [command, commandArgs] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', binary, ...args]]
    : [binary, [...args]];
  try {
    const { stdout, stderr } = await run(command, commandArgs, { timeout: 120_000 });
    return stdout + stderr;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `PostgreSQL test server: ${command} ${commandArgs.join(' ')} failed: ${failed.message}\n` +
        `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
      { cause: error },
    );
  }
}

export async function startPostgres(): Promise<Postgres> {
  const initdb = findBinary('initdb');
  const pgCtl = findBinary('pg_ctl');
  const directory = await mkdtemp(path.join(os.tmpdir(), 'tributary-postgres-'));
  const dataDir = path.join(directory, 'data');
  if (process.getuid?.() === 0) {
    const ids = await run('id', ['-u', 'postgres']).catch((error: unknown) => {
      throw new Error('PostgreSQL test server: there is no postgres user to run the server as', {
        cause: error,
      });
    });
    const uid = Number(ids.stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    await chown(directory, uid, gid);
    await chmod(directory, 0o700);
  }
  const port = await freePort();
  await runAsPostgres(initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  const options = `-c listen_addresses=127.0.0.1 -p ${port} -k ${directory} -c fsync=off`;
  await runAsPostgres(pgCtl, [
    '-D',
    dataDir,
    '-o',
    options,
    '-l',
    path.join(directory, 'server.log'),
    '-w',
    '-t',
    '60',
    'start',
  ]);
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
    await client.connect();
    return client;
  };
  return {
    host: '127.0.0.1',
    port,
    user: 'postgres',
    async query<T extends Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
      const client = await connect();
      try {
        return (await client.query<T>(sql, values)).rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await runAsPostgres(pgCtl, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
