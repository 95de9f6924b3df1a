/** Runs the LogStore conformance suite against every local implementation. */

import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileLogStore } from '../../src/log/file/file-log-store.js';
import { MemoryLogStore } from '../../src/log/memory/memory-log-store.js';
import { logStoreSuite } from './log-store-suite.js';

logStoreSuite(
  'memory',
  async () => {
    const store = new MemoryLogStore();
    await store.open();
    return { store, cleanup: () => store.close() };
  },
  { durable: false },
);

/** Small segments and index spacing so that the suite's few records cross both. */
function fileSuite(
  name: string,
  options: Omit<ConstructorParameters<typeof FileLogStore>[0], 'directory'>,
): void {
  logStoreSuite(
    name,
    async () => {
      const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-log-'));
      const stores: FileLogStore[] = [];
      const openStore = async (): Promise<FileLogStore> => {
        const store = new FileLogStore({ directory, ...options });
        stores.push(store);
        await store.open();
        return store;
      };
      return {
        store: await openStore(),
        reopen: openStore,
        cleanup: async () => {
          for (const store of stores) await store.close();
          await fs.rm(directory, { recursive: true, force: true });
        },
      };
    },
    { durable: true },
  );
}

fileSuite('file', {});
fileSuite('file, small segments', { rollPolicy: { segmentBytesMax: 100 }, indexIntervalBytes: 64 });
fileSuite('file, sync never', { syncPolicy: 'never', rollPolicy: { segmentBytesMax: 300 } });
fileSuite('file, no caches', {
  tailCacheBytesMax: 0,
  openSegmentsMax: 0,
  rollPolicy: { segmentBytesMax: 200 },
  indexCheckpointBytes: 100,
});
