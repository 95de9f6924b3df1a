/**
 * A stand-in SQL engine for tests of the runner: every row pushed to an input in-application
 * stream comes out unchanged on `DESTINATION_SQL_STREAM` (as `INSERT INTO DESTINATION_SQL_STREAM
 * SELECT STREAM * FROM SOURCE_SQL_STREAM_001` would). It records what it saw, so tests can check
 * the engine contract (streams, ROWTIME order, time advancing).
 */
import type {
  ApplicationEngine,
  ApplicationEngineFactory,
  EngineSetup,
  Row,
} from '../../src/analytics/runner/application-engine.js';

export const identityOutputStream = 'DESTINATION_SQL_STREAM';

export interface IdentityEngineLog {
  readonly setups: EngineSetup[];
  readonly pushes: { streamName: string; rows: readonly Row[] }[];
  lastTimeMs: number;
  closed: number;
}

export function identityEngine(log: IdentityEngineLog): ApplicationEngineFactory {
  return (setup) => {
    log.setups.push(setup);
    const engine: ApplicationEngine = {
      push(streamName, rows) {
        log.pushes.push({ streamName, rows });
        const input = setup.inputs.find((candidate) => candidate.name === streamName);
        if (input === undefined) throw new Error(`no input stream ${streamName}`);
        if (setup.outputStreams.has(identityOutputStream))
          setup.onOutput(identityOutputStream, input.columns, rows);
      },
      advanceTime(nowMs) {
        if (nowMs < log.lastTimeMs) throw new Error('time went back');
        log.lastTimeMs = nowMs;
      },
      close() {
        log.closed++;
      },
    };
    return engine;
  };
}

export function newIdentityEngineLog(): IdentityEngineLog {
  return { setups: [], pushes: [], lastTimeMs: 0, closed: 0 };
}
