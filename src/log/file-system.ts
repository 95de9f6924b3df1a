/**
 * The file system the durable stores use, as an interface so that tests can inject failures
 * (ENOSPC on write, EIO on fsync) and count fsyncs. `nodeFileSystem` is the real one, over
 * `node:fs/promises`; only the composition root and tests pick which one a store gets.
 *
 * Errors are Node's: an `Error` with a string `code` ('ENOENT', 'ENOSPC', ...). An injected file
 * system must throw the same shape so that callers can tell "missing" from "broken".
 */

import { constants, writeSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';

/** `read`: read only. `readWrite`: must exist. `createNew`: must not exist (read and write). */
export type OpenMode = 'read' | 'readWrite' | 'createNew' | 'truncate';

export interface OpenOptions {
  /**
   * Every write through the handle returns only once its bytes (and the file's size) are
   * durable, as a write followed by `datasync` would, but in one call (O_DSYNC): one trip to the
   * I/O thread pool instead of two, which is most of what an fsync per append costs the caller.
   */
  readonly durableWrites?: boolean;
}

export interface FileHandle {
  /** Reads up to `length` bytes at `position`; returns how many were read (0 at end of file). */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /** Writes at `position`; may write fewer bytes than asked (returns how many). */
  write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  /**
   * The same on the calling thread, with no trip to the I/O thread pool: only for a few KiB into
   * the page cache through a handle without durable writes, which is a memory copy.
   */
  writeSync(buffer: Uint8Array, offset: number, length: number, position: number): number;
  /** fdatasync: file data (and the size) durable. */
  datasync(): Promise<void>;
  /** fsync: data and every piece of metadata durable. */
  sync(): Promise<void>;
  truncate(lengthBytes: number): Promise<void>;
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

export interface FileStat {
  readonly sizeBytes: number;
  readonly isDirectory: boolean;
}

export interface FileSystem {
  open(filePath: string, mode: OpenMode, options?: OpenOptions): Promise<FileHandle>;
  /** Appends to a file, creating it when missing. */
  appendFile(filePath: string, data: Uint8Array): Promise<void>;
  readFile(filePath: string): Promise<Buffer>;
  unlink(filePath: string): Promise<void>;
  /** Removes a directory and everything in it; a missing one is not an error. */
  removeTree(directoryPath: string): Promise<void>;
  readdir(directoryPath: string): Promise<string[]>;
  /** mkdir -p. */
  mkdirs(directoryPath: string): Promise<void>;
  rename(fromPath: string, toPath: string): Promise<void>;
  stat(filePath: string): Promise<FileStat>;
  /** fsync of a directory: makes creations, renames and deletions in it durable. */
  syncDirectory(directoryPath: string): Promise<void>;
}

const openFlags: Record<OpenMode, number> = {
  read: constants.O_RDONLY,
  readWrite: constants.O_RDWR,
  createNew: constants.O_RDWR | constants.O_CREAT | constants.O_EXCL,
  truncate: constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC,
};

class NodeFileHandle implements FileHandle {
  readonly #handle: fs.FileHandle;

  constructor(handle: fs.FileHandle) {
    this.#handle = handle;
  }

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return (await this.#handle.read(buffer, offset, length, position)).bytesRead;
  }

  async write(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return (await this.#handle.write(buffer, offset, length, position)).bytesWritten;
  }

  writeSync(buffer: Uint8Array, offset: number, length: number, position: number): number {
    return writeSync(this.#handle.fd, buffer, offset, length, position);
  }

  datasync(): Promise<void> {
    return this.#handle.datasync();
  }

  sync(): Promise<void> {
    return this.#handle.sync();
  }

  truncate(lengthBytes: number): Promise<void> {
    return this.#handle.truncate(lengthBytes);
  }

  async sizeBytes(): Promise<number> {
    return (await this.#handle.stat()).size;
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

export const nodeFileSystem: FileSystem = {
  async open(filePath, mode, options) {
    const flags = openFlags[mode] | (options?.durableWrites === true ? constants.O_DSYNC : 0);
    return new NodeFileHandle(await fs.open(filePath, flags, 0o666));
  },
  appendFile: (filePath, data) => fs.appendFile(filePath, data),
  readFile: (filePath) => fs.readFile(filePath),
  unlink: (filePath) => fs.unlink(filePath),
  removeTree: (directoryPath) => fs.rm(directoryPath, { recursive: true, force: true }),
  readdir: (directoryPath) => fs.readdir(directoryPath),
  async mkdirs(directoryPath) {
    await fs.mkdir(directoryPath, { recursive: true });
  },
  rename: (fromPath, toPath) => fs.rename(fromPath, toPath),
  async stat(filePath) {
    const stats = await fs.stat(filePath);
    return { sizeBytes: stats.size, isDirectory: stats.isDirectory() };
  },
  async syncDirectory(directoryPath) {
    const handle = await fs.open(directoryPath, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** True for Node's "no such file or directory". */
export function isNotFound(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Writes all of `data` at `position`, looping over short writes. */
export async function writeFully(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    written += await handle.write(data, written, data.length - written, position + written);
  }
}

/** Writes all of `data` at `position` on the calling thread (see `FileHandle.writeSync`). */
export function writeFullySync(handle: FileHandle, data: Uint8Array, position: number): void {
  let written = 0;
  while (written < data.length) {
    written += handle.writeSync(data, written, data.length - written, position + written);
  }
}

/** Reads up to `length` bytes at `position`, looping over short reads; fewer only at end of file. */
export async function readFully(
  handle: FileHandle,
  buffer: Uint8Array,
  length: number,
  position: number,
): Promise<number> {
  let done = 0;
  while (done < length) {
    const count = await handle.read(buffer, done, length - done, position + done);
    if (count === 0) break;
    done += count;
  }
  return done;
}

/**
 * Replaces a file atomically and durably: write a temporary file, fsync it, rename it over the
 * target, fsync the directory. A crash leaves either the old file or the new one, never a mix;
 * a stale `.tmp` may remain, which readers ignore.
 */
export async function writeFileAtomic(
  fileSystem: FileSystem,
  filePath: string,
  data: Uint8Array,
): Promise<void> {
  const temporaryPath = `${filePath}.tmp`;
  const handle = await fileSystem.open(temporaryPath, 'truncate');
  try {
    await writeFully(handle, data, 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fileSystem.rename(temporaryPath, filePath);
  await fileSystem.syncDirectory(path.dirname(filePath));
}
