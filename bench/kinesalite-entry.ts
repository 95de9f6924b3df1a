/**
 * Runs kinesalite in its own process (forked by `startTarget`), in memory, on 127.0.0.1 and a free
 * port, and reports the port over IPC. Its CLI cannot choose the address, hence this entry.
 * kinesalite has no per-shard throughput limits; stream transitions are made near-instant and the
 * shard limit high so that every benchmark stream fits.
 */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const require = createRequire(import.meta.url);
const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => Server;

const server = kinesalite({
  createStreamMs: 1,
  deleteStreamMs: 1,
  updateStreamMs: 1,
  shardLimit: 10_000,
});
server.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
