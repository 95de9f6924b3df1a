/**
 * Preloaded (`--import` in NODE_OPTIONS, which refuses `--cpu-prof`) into a server to profile its
 * main thread: starts V8's sampling profiler at load and, on exit, writes the profile to the file
 * named by BENCH_CPU_PROFILE_FILE. An in-thread inspector session answers synchronously, which is
 * what lets this work inside an 'exit' handler.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

const file = process.env.BENCH_CPU_PROFILE_FILE;
if (file !== undefined && file !== '') {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 500 });
  session.post('Profiler.start');
  process.once('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (error === null) writeFileSync(file, JSON.stringify(result.profile));
      else process.stderr.write(`profile not written: ${error.message}\n`);
    });
  });
}
