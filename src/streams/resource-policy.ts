/**
 * Resource policies are stored and validated here; they take effect once requests are
 * authenticated by signature. A policy must be a JSON object with a Statement, at most 20 KiB.
 */
import { invalidArgument } from '../core/errors.js';

const policyBytesMax = 20 * 1024;

export function checkPolicy(policy: string): void {
  if (Buffer.byteLength(policy, 'utf8') > policyBytesMax) {
    throw invalidArgument(`The policy document is larger than the maximum of ${policyBytesMax} bytes.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw invalidArgument('The policy document is not valid JSON.');
  }
  const statement = (parsed as { Statement?: unknown } | null)?.Statement;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || statement === undefined) {
    throw invalidArgument('The policy document must be a JSON object with a Statement.');
  }
}
