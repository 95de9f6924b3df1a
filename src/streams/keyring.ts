/**
 * The local keyring that stands in for AWS KMS: a 256-bit master key per KeyId, per account and
 * region, kept in the catalog (`kms/<account>/<region>/<key or alias>`), so every node of a
 * cluster finds the same keys and a restart keeps them.
 *
 * A KeyId is accepted in the four forms Kinesis documents (key GUID, key ARN, `alias/<name>`,
 * alias ARN); the forms that name the same key share one entry. A key is created the first
 * time a KeyId is used (AWS would require it to exist in KMS already; see
 * docs/compatibility.md). Master keys only wrap data keys; they never touch records.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Catalog } from '../catalog/catalog.js';
import { CatalogConflictError } from '../catalog/catalog.js';
import type { Clock } from '../core/clock.js';
import { ServiceError } from '../core/errors.js';

const keyIdPart =
  '(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})';
const aliasPart = 'alias/[a-zA-Z0-9/_-]{1,250}';
const keyIdPattern = new RegExp(`^${keyIdPart}$`);
const aliasPattern = new RegExp(`^${aliasPart}$`);
const arnPattern = new RegExp(
  `^arn:aws[a-z-]*:kms:([a-z0-9-]{1,64}):(\\d{12}):(key/${keyIdPart}|${aliasPart})$`,
);

/** Where a KeyId points: the keyring scope and the key's name within it. */
export interface KeyLocation {
  readonly accountId: string;
  readonly region: string;
  /** `key/<id>` or `alias/<name>`, lower-cased ids so that spellings of one key meet. */
  readonly name: string;
}

/** Resolves a KeyId in the caller's scope; KMSNotFoundException when it is not a KeyId at all. */
export function locateKey(keyId: string, accountId: string, region: string): KeyLocation {
  if (keyIdPattern.test(keyId)) return { accountId, region, name: `key/${keyId.toLowerCase()}` };
  if (aliasPattern.test(keyId)) return { accountId, region, name: keyId };
  const arn = arnPattern.exec(keyId);
  if (arn !== null) {
    const name = arn[3] as string;
    return {
      accountId: arn[2] as string,
      region: arn[1] as string,
      name: name.startsWith('key/') ? name.toLowerCase() : name,
    };
  }
  throw new ServiceError('KMSNotFoundException', `Invalid keyId ${keyId}`);
}

interface StoredMasterKey {
  readonly material: string;
  readonly createdAtMs: number;
}

const wrapNonceBytes = 12;
const wrapTagBytes = 16;

export class Keyring {
  readonly #catalog: Catalog;
  readonly #clock: Clock;
  readonly #cache = new Map<string, Buffer>();

  constructor(catalog: Catalog, clock: Clock) {
    this.#catalog = catalog;
    this.#clock = clock;
  }

  /** A fresh 256-bit data key, and its wrapped form (base64) under the master key of `location`. */
  async generateDataKey(location: KeyLocation, context: string): Promise<{ key: Buffer; wrapped: string }> {
    const key = randomBytes(32);
    const master = await this.#masterKey(location);
    const nonce = randomBytes(wrapNonceBytes);
    const cipher = createCipheriv('aes-256-gcm', master, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(key), cipher.final()]);
    return { key, wrapped: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64') };
  }

  /** The data key inside `wrapped`; throws when the master key or the context does not match. */
  async unwrapDataKey(location: KeyLocation, wrapped: string, context: string): Promise<Buffer> {
    const raw = Buffer.from(wrapped, 'base64');
    const master = await this.#masterKey(location);
    const decipher = createDecipheriv('aes-256-gcm', master, raw.subarray(0, wrapNonceBytes));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(raw.length - wrapTagBytes));
    return Buffer.concat([
      decipher.update(raw.subarray(wrapNonceBytes, raw.length - wrapTagBytes)),
      decipher.final(),
    ]);
  }

  async #masterKey(location: KeyLocation): Promise<Buffer> {
    const entryKey = `kms/${location.accountId}/${location.region}/${location.name}`;
    const cached = this.#cache.get(entryKey);
    if (cached !== undefined) return cached;
    let stored = await this.#catalog.get<StoredMasterKey>(entryKey);
    if (stored === undefined) {
      const created: StoredMasterKey = {
        material: randomBytes(32).toString('base64'),
        createdAtMs: this.#clock.nowMs(),
      };
      try {
        await this.#catalog.put(entryKey, created, 0);
      } catch (error) {
        // Another request created it first: use theirs.
        if (!(error instanceof CatalogConflictError)) throw error;
      }
      stored = await this.#catalog.get<StoredMasterKey>(entryKey);
      if (stored === undefined) throw new Error(`master key ${entryKey} vanished after creation`);
    }
    const key = Buffer.from(stored.value.material, 'base64');
    this.#cache.set(entryKey, key);
    return key;
  }
}
