/**
 * A FileSystem over the real one that counts what the stores do and fails on demand: writes
 * (ENOSPC, optionally after writing part of the buffer, as a full disk does) and fsyncs (EIO).
 * Tests use it to see group commit and rollback from outside, with no mock of our own modules.
 */

import {
  nodeFileSystem,
  type FileHandle,
  type FileSystem,
  type OpenMode,
  type OpenOptions,
} from '../../src/log/file-system.js';

export function errnoError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected failure`), { code });
}

export class FaultyFileSystem implements FileSystem {
  datasyncCount = 0;
  fileSyncCount = 0;
  directorySyncCount = 0;
  writeCount = 0;
  /** Writes made on the calling thread (`writeSync`: segment bytes a journaled cycle buffers). */
  bufferedWriteCount = 0;
  /** Bytes read through handles and `readFile`. */
  bytesRead = 0;
  /** Handles open now. */
  openHandles = 0;
  /** Sizes of the writes made to segment files, in order. */
  readonly writeSizes: number[] = [];
  /** When set, writes fail with this code after writing `partialWriteBytes` of the buffer. */
  failWritesWith: string | undefined;
  partialWriteBytes = 0;
  failSyncsWith: string | undefined;
  /** When set, every write waits for it first (to hold a flush cycle open). */
  writeGate: Promise<void> | undefined;
  /** When set, every read waits for it first (to hold a read open while the log changes). */
  readGate: Promise<void> | undefined;
  /** When set, every fsync of a file waits for it first (to show what waits for durability). */
  syncGate: Promise<void> | undefined;

  async open(filePath: string, mode: OpenMode, options?: OpenOptions): Promise<FileHandle> {
    const inner = await nodeFileSystem.open(filePath, mode, options);
    const handle = new FaultyFileHandle(this, inner, options?.durableWrites === true);
    this.openHandles++;
    return handle;
  }
  appendFile(filePath: string, data: Uint8Array): Promise<void> {
    if (this.failWritesWith !== undefined) return Promise.reject(errnoError(this.failWritesWith));
    return nodeFileSystem.appendFile(filePath, data);
  }
  async readFile(filePath: string): Promise<Buffer> {
    const data = await nodeFileSystem.readFile(filePath);
    this.bytesRead += data.length;
    return data;
  }
  unlink = nodeFileSystem.unlink;
  removeTree = nodeFileSystem.removeTree;
  readdir = nodeFileSystem.readdir;
  mkdirs = nodeFileSystem.mkdirs;
  rename = nodeFileSystem.rename;
  stat = nodeFileSystem.stat;
  async syncDirectory(directoryPath: string): Promise<void> {
    this.directorySyncCount++;
    await nodeFileSystem.syncDirectory(directoryPath);
  }
}

class FaultyFileHandle implements FileHandle {
  readonly #owner: FaultyFileSystem;
  readonly #inner: FileHandle;
  /** Opened with durable writes: each write is also an fsync (counted, gated and failed as one). */
  readonly #durableWrites: boolean;

  constructor(owner: FaultyFileSystem, inner: FileHandle, durableWrites: boolean) {
    this.#owner = owner;
    this.#inner = inner;
    this.#durableWrites = durableWrites;
  }

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    await this.#owner.readGate;
    const count = await this.#inner.read(buffer, offset, length, position);
    this.#owner.bytesRead += count;
    return count;
  }

  async write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    await this.#owner.writeGate;
    this.#owner.writeCount++;
    this.#owner.writeSizes.push(length);
    const failure = this.#owner.failWritesWith;
    if (failure !== undefined) {
      const partial = Math.min(length, this.#owner.partialWriteBytes);
      if (partial > 0) await this.#inner.write(buffer, offset, partial, position);
      throw errnoError(failure);
    }
    if (!this.#durableWrites) return this.#inner.write(buffer, offset, length, position);
    await this.#owner.syncGate;
    this.#owner.datasyncCount++;
    // The bytes reach the file but the sync fails, as an EIO on an O_DSYNC write leaves them.
    const written = await this.#inner.write(buffer, offset, length, position);
    if (this.#owner.failSyncsWith !== undefined) throw errnoError(this.#owner.failSyncsWith);
    return written;
  }

  /** Not gated (it cannot wait); counted and failed like `write`. Never used on durable handles. */
  writeSync(buffer: Uint8Array, offset: number, length: number, position: number): number {
    this.#owner.writeCount++;
    this.#owner.writeSizes.push(length);
    this.#owner.bufferedWriteCount++;
    const failure = this.#owner.failWritesWith;
    if (failure !== undefined) {
      const partial = Math.min(length, this.#owner.partialWriteBytes);
      if (partial > 0) this.#inner.writeSync(buffer, offset, partial, position);
      throw errnoError(failure);
    }
    return this.#inner.writeSync(buffer, offset, length, position);
  }

  async datasync(): Promise<void> {
    await this.#owner.syncGate;
    this.#owner.datasyncCount++;
    if (this.#owner.failSyncsWith !== undefined) throw errnoError(this.#owner.failSyncsWith);
    await this.#inner.datasync();
  }

  async sync(): Promise<void> {
    await this.#owner.syncGate;
    this.#owner.fileSyncCount++;
    if (this.#owner.failSyncsWith !== undefined) throw errnoError(this.#owner.failSyncsWith);
    await this.#inner.sync();
  }

  truncate(lengthBytes: number): Promise<void> {
    return this.#inner.truncate(lengthBytes);
  }

  sizeBytes(): Promise<number> {
    return this.#inner.sizeBytes();
  }

  close(): Promise<void> {
    this.#owner.openHandles--;
    return this.#inner.close();
  }
}
