/**
 * The worker side of `decode-offload.ts`: decodes a request body (JSON or CBOR) and validates it
 * against its operation's input shape — the same `decodeJsonBody`/`decodeCbor` and `validateInput`
 * the request pipeline runs — and posts the validated input back, packed (`packed-input.ts`). Any failure posts `ok: false`
 * and nothing else: the main thread then decodes the body itself, so every error it answers is
 * made the one way, in the main thread, in AWS's order of checks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { decodeCbor } from './cbor.js';
import { decodeJsonBody } from './json-codec.js';
import type { StructureShape } from './shape.js';
import { packInput, type PackedInput } from './packed-input.js';
import { validateInput } from './validate.js';

export interface DecodeRequest {
  readonly id: number;
  /** `<target prefix>.<operation>`, a key of the shapes given at start. */
  readonly key: string;
  readonly encoding: 'json' | 'cbor';
  readonly body: Uint8Array;
}

/** The body always comes back (transferred when it was), for the main thread to decode again. */
export type DecodeReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly input: PackedInput;
      readonly body: Uint8Array;
    }
  | { readonly id: number; readonly ok: false; readonly body: Uint8Array };

export interface DecodeWorkerData {
  readonly shapes: Readonly<Record<string, StructureShape>>;
}

const port = parentPort;
if (port === null) throw new Error('decode-worker.js runs only as a worker thread');
const { shapes } = workerData as DecodeWorkerData;

// Imports are done: from now on a body is answered at once.
port.postMessage({ ready: true });

port.on('message', (request: DecodeRequest) => {
  const reply = decode(request);
  const transfer: ArrayBuffer[] = [];
  const { buffer } = request.body;
  if (buffer instanceof ArrayBuffer) transfer.push(buffer);
  if (reply.ok)
    transfer.push(reply.input.bytes.buffer as ArrayBuffer, reply.input.offsets.buffer as ArrayBuffer);
  port.postMessage(reply, transfer);
});

function decode(request: DecodeRequest): DecodeReply {
  const shape = shapes[request.key];
  const failed = { id: request.id, ok: false, body: request.body } as const;
  if (shape === undefined) return failed;
  try {
    const body = Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
    const decoded = request.encoding === 'json' ? decodeJsonBody(body) : decodeCbor(body);
    if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
      return failed;
    }
    const input = packInput(validateInput(shape, decoded) as Record<string, unknown>);
    if (input === undefined) return failed;
    return { id: request.id, ok: true, input, body: request.body };
  } catch {
    return failed;
  }
}
