/**
 * The real file system's durable writes: a handle opened with `durableWrites` has O_DSYNC set
 * (read back from the kernel's /proc/self/fdinfo), one opened without it has not, and both write
 * and read the same bytes. The store relies on the flag for `--fsync always`: its write is the fsync.
 */

import assert from 'node:assert/strict';
import { constants } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { nodeFileSystem } from '../../src/log/file-system.js';

/** The open flags of every descriptor of this process that points at `filePath`. */
async function openFlagsOf(filePath: string): Promise<number[]> {
  const flags: number[] = [];
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    if (target !== filePath) continue;
    const info = await readFile(`/proc/self/fdinfo/${fd}`, 'utf8');
    const match = /^flags:\s+([0-7]+)$/m.exec(info);
    assert.ok(match !== null, `no flags line in fdinfo of ${fd}`);
    flags.push(Number.parseInt(match[1]!, 8));
  }
  return flags;
}

describe('node file system', () => {
  it('opens with O_DSYNC only when durable writes are asked for', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'tributary-fs-'));
    try {
      const durablePath = path.join(directory, 'durable.log');
      const plainPath = path.join(directory, 'plain.log');
      const durable = await nodeFileSystem.open(durablePath, 'truncate', { durableWrites: true });
      const plain = await nodeFileSystem.open(plainPath, 'truncate');
      try {
        const [durableFlags] = await openFlagsOf(durablePath);
        const [plainFlags] = await openFlagsOf(plainPath);
        assert.ok(durableFlags !== undefined && plainFlags !== undefined);
        assert.equal(durableFlags & constants.O_DSYNC, constants.O_DSYNC);
        assert.equal(plainFlags & constants.O_DSYNC, 0);
        for (const handle of [durable, plain]) {
          const data = Buffer.from('frame bytes');
          assert.equal(await handle.write(data, 0, data.length, 0), data.length);
          const back = Buffer.alloc(data.length);
          assert.equal(await handle.read(back, 0, back.length, 0), data.length);
          assert.deepEqual(back, data);
        }
      } finally {
        await durable.close();
        await plain.close();
      }
      // A segment reopened after a restart gets the flag too, and keeps what was written.
      const reopened = await nodeFileSystem.open(durablePath, 'readWrite', { durableWrites: true });
      try {
        const [flags] = await openFlagsOf(durablePath);
        assert.equal((flags ?? 0) & constants.O_DSYNC, constants.O_DSYNC);
        assert.equal(await reopened.sizeBytes(), 'frame bytes'.length);
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
