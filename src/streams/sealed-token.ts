/**
 * Sealed tokens: shard iterators and paging tokens are self-contained and cannot be forged.
 * The payload is encrypted and authenticated with AES-256-GCM under a key kept in the catalog,
 * so any node can open a token any other node issued, and a restart does not invalidate them.
 *
 * Wire form: base64 of 8 bytes 00..01 (as AWS's iterators begin) | 12-byte nonce | ciphertext |
 * 16-byte tag. `open` answers undefined for anything that is not a token we sealed.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const prefix = Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]);
const nonceBytes = 12;
const tagBytes = 16;
const overheadBytes = prefix.length + nonceBytes + tagBytes;

export class TokenSealer {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new RangeError('token key must be 32 bytes');
    this.#key = key;
  }

  seal(payload: Buffer): string {
    const nonce = randomBytes(nonceBytes);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    const body = cipher.update(payload);
    cipher.final();
    return Buffer.concat([prefix, nonce, body, cipher.getAuthTag()]).toString('base64');
  }

  open(token: string): Buffer | undefined {
    const raw = Buffer.from(token, 'base64');
    if (raw.length <= overheadBytes || raw.toString('base64') !== token) return undefined;
    if (!raw.subarray(0, prefix.length).equals(prefix)) return undefined;
    const nonce = raw.subarray(prefix.length, prefix.length + nonceBytes);
    const body = raw.subarray(prefix.length + nonceBytes, raw.length - tagBytes);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, nonce);
    decipher.setAuthTag(raw.subarray(raw.length - tagBytes));
    try {
      const payload = decipher.update(body);
      decipher.final();
      return payload;
    } catch {
      // Authentication failed: altered, truncated or sealed under another key.
      return undefined;
    }
  }
}
