/** Runs the LogStore conformance suite against every local implementation. */

import { MemoryLogStore } from '../../src/log/memory/memory-log-store.js';
import { logStoreSuite } from './log-store-suite.js';

logStoreSuite('memory', async () => {
  const store = new MemoryLogStore();
  await store.open();
  return { store, cleanup: () => store.close() };
});
