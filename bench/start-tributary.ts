/**
 * `startServer` from the test helpers, with `--limits off`, with the data directory made here, so that it is removed
 * when the server fails to start as well (the helper leaves it behind then). A directory passed in
 * belongs to the caller and is never removed here.
 */
import {
  makeDataDir,
  removeDataDir,
  startServer,
  type ServerProcess,
  type ServerProcessOptions,
} from '../test/helpers/server-process.js';

export async function startTributary(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  // The benchmark measures the server, not AWS's per-shard quotas: limits are off (issue #4).
  const unlimited = { ...options, extraArgs: ['--limits', 'off', ...(options.extraArgs ?? [])] };
  if (options.dataDir !== undefined) return startServer(unlimited);
  const dataDir = await makeDataDir();
  try {
    return await startServer({ ...unlimited, dataDir });
  } catch (error) {
    await removeDataDir(dataDir);
    throw error;
  }
}
