/**
 * `startServer` from the test helpers, with the data directory made here, so that it is removed
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
  if (options.dataDir !== undefined) return startServer(options);
  const dataDir = await makeDataDir();
  try {
    return await startServer({ ...options, dataDir });
  } catch (error) {
    await removeDataDir(dataDir);
    throw error;
  }
}
