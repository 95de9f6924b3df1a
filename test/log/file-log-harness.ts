/**
 * The FileLogStore tests' harness: a fresh directory, a counting file system and a logger, and
 * every store opened through it closed at the end.
 */

import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileLogStore, type FileLogStoreOptions } from '../../src/log/file/file-log-store.js';
import { FaultyFileSystem } from './faulty-file-system.js';

export const all = { maxRecords: 100_000, maxBytes: 256 * 1024 * 1024 };

export interface Harness {
  readonly directory: string;
  readonly fileSystem: FaultyFileSystem;
  readonly logged: { message: string; fields?: object }[];
  open(options?: Partial<FileLogStoreOptions>): Promise<FileLogStore>;
  segmentFiles(logId: string): Promise<string[]>;
}

/** A fresh directory, a counting file system and a logger; every store opened is closed after. */
export async function withHarness(body: (harness: Harness) => Promise<void>): Promise<void> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), 'tributary-file-log-'));
  const fileSystem = new FaultyFileSystem();
  const logged: Harness['logged'] = [];
  const stores: FileLogStore[] = [];
  const harness: Harness = {
    directory,
    fileSystem,
    logged,
    async open(options = {}) {
      const store = new FileLogStore({
        directory,
        fileSystem,
        logger: (message, fields) => logged.push({ message, fields }),
        ...options,
      });
      stores.push(store);
      await store.open();
      return store;
    },
    async segmentFiles(logId) {
      const names = await fs.readdir(path.join(directory, 'logs', logId));
      return names.filter((name) => name.endsWith('.log')).sort();
    },
  };
  try {
    await body(harness);
  } finally {
    fileSystem.failWritesWith = undefined;
    fileSystem.failSyncsWith = undefined;
    for (const store of stores) await store.close();
    await fs.rm(directory, { recursive: true, force: true });
  }
}

export function segmentPath(harness: Harness, logId: string, name: string): string {
  return path.join(harness.directory, 'logs', logId, name);
}
