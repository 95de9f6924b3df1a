import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { it } from 'node:test';
import { formatBytes, Progress, progressLineIntervalMs } from './progress.js';

function captured(isTTY: boolean): { stream: Writable & { isTTY: boolean }; text(): string } {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => text };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

it('draws a bar in place on a terminal', async () => {
  const out = captured(true);
  const progress = new Progress(out.stream, 'export s');
  progress.update({ records: 1500, bytes: 3 * 1024 * 1024, fraction: 0.5, detail: 'shards 1/2' });
  await progress.finish({ records: 3000, bytes: 6 * 1024 * 1024, fraction: 1, detail: 'shards 2/2' }, 'done');
  // ESC [ K (erase to the end of the line) ends each frame.
  const frames = out
    .text()
    .replaceAll('\u001b[K', '<EL>')
    .split('\r')
    .filter((frame) => frame !== '');
  assert.equal(frames.length, 2);
  assert.match(
    frames[0] as string,
    /^export s {2}\[#{12}-{12}\] 50% {2}1,500 records {2}3\.0 MiB {2}[\d,]+ records\/s {2}shards 1\/2 {2}[\d.]+ s<EL>$/,
  );
  assert.match(
    frames[1] as string,
    /^export s {2}\[#{24}\] 100% {2}3,000 records {2}6\.0 MiB .* done<EL>\n$/,
  );
});

it('writes a plain line every few seconds elsewhere, and always a last one', async () => {
  const out = captured(false);
  const progress = new Progress(out.stream, 'put');
  progress.update({ records: 10, bytes: 100 });
  assert.equal(out.text(), '', 'no line before the interval');
  await sleep(progressLineIntervalMs + 50);
  progress.update({ records: 20, bytes: 200 });
  await progress.finish({ records: 30, bytes: 300 }, 'done (0 retried, 0 failed)');
  const lines = out
    .text()
    .split('\n')
    .filter((line) => line !== '');
  assert.equal(lines.length, 2);
  assert.match(lines[0] as string, /^put {2}20 records {2}200 B {2}/);
  assert.match(lines[1] as string, /^put {2}30 records {2}300 B .* done \(0 retried, 0 failed\)$/);
  assert.ok(!out.text().includes('\r'));
});

it('formats byte counts with binary units', () => {
  assert.deepEqual([0, 1023, 1024, 1536, 5 * 1024 * 1024, 3 * 1024 ** 3].map(formatBytes), [
    '0 B',
    '1023 B',
    '1.0 KiB',
    '1.5 KiB',
    '5.0 MiB',
    '3.00 GiB',
  ]);
});
