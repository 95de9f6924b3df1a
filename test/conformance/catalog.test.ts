/** Runs the Catalog conformance suite against every local implementation. */

import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileCatalog } from '../../src/catalog/file-catalog.js';
import { MemoryCatalog } from '../../src/catalog/memory-catalog.js';
import { catalogSuite } from './catalog-suite.js';

catalogSuite(
  'memory',
  async () => {
    const catalog = new MemoryCatalog();
    await catalog.open();
    return { catalog, cleanup: () => catalog.close() };
  },
  { durable: false },
);

for (const [name, journalBytesMax] of [
  ['file', undefined],
  ['file, compacting after every write', 1],
] as const) {
  catalogSuite(
    name,
    async () => {
      const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-catalog-'));
      const catalogs: FileCatalog[] = [];
      const openCatalog = async (): Promise<FileCatalog> => {
        const catalog = new FileCatalog({ directory, journalBytesMax });
        catalogs.push(catalog);
        await catalog.open();
        return catalog;
      };
      return {
        catalog: await openCatalog(),
        reopen: openCatalog,
        cleanup: async () => {
          for (const catalog of catalogs) await catalog.close();
          await fs.rm(directory, { recursive: true, force: true });
        },
      };
    },
    { durable: true },
  );
}
