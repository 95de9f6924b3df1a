/**
 * The signed-in identity: an access key, secret and region, kept in this tab's sessionStorage
 * (gone when the tab closes) and turned into an AWS SDK v3 Kinesis client that signs every call
 * to the server that served the page. The console has no API of its own.
 */
import { KinesisClient } from '@aws-sdk/client-kinesis';

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly region: string;
}

const storageKey = 'tributary.credentials';

export function loadCredentials(): Credentials | undefined {
  const text = sessionStorage.getItem(storageKey);
  if (text === null) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Credentials>;
    if (
      typeof value.accessKeyId === 'string' &&
      typeof value.secretAccessKey === 'string' &&
      typeof value.region === 'string'
    ) {
      return { accessKeyId: value.accessKeyId, secretAccessKey: value.secretAccessKey, region: value.region };
    }
  } catch (error) {
    console.warn('stored credentials were unreadable and are ignored', error);
  }
  sessionStorage.removeItem(storageKey);
  return undefined;
}

export function saveCredentials(credentials: Credentials): void {
  sessionStorage.setItem(storageKey, JSON.stringify(credentials));
}

export function clearCredentials(): void {
  sessionStorage.removeItem(storageKey);
}

export function createKinesisClient(credentials: Credentials): KinesisClient {
  return new KinesisClient({
    endpoint: window.location.origin,
    region: credentials.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
    // The console shows errors as they are; retrying a bad request only delays the message.
    maxAttempts: 1,
  });
}

/** An SDK error as a person reads it: AWS's error code, then its message. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    const name = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    return `${name}${error.message}`;
  }
  return String(error);
}
