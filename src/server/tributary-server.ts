/**
 * The composition root: builds the log store, catalog and services from the configuration,
 * wires them to the HTTP server, and starts and stops them in order. Nothing imports this
 * module but the CLI and tests; it is the only place that reads the real clock and file system.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { analyticsApi } from '../analytics/api/analytics-api.js';
import { AnalyticsService } from '../analytics/api/analytics-service.js';
import type { ApplicationEngineFactory } from '../analytics/runner/application-engine.js';
import { ApplicationRunners } from '../analytics/runner/application-runners.js';
import type { Catalog } from '../catalog/catalog.js';
import { FileCatalog } from '../catalog/file-catalog.js';
import { MemoryCatalog } from '../catalog/memory-catalog.js';
import { systemClock } from '../core/clock.js';
import { FileLogStore } from '../log/file/file-log-store.js';
import type { LogStore } from '../log/log-store.js';
import { MemoryLogStore } from '../log/memory/memory-log-store.js';
import { createApiHandler } from '../protocol/api-handler.js';
import { HttpServer } from '../protocol/http-server.js';
import { FanOut } from '../streams/fan-out/fan-out.js';
import { streamsApi } from '../streams/streams-api.js';
import { StreamsService } from '../streams/streams-service.js';
import { AnalyticsStreamGateway } from './analytics-stream-gateway.js';
import type { ServerConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';

const retentionSweepIntervalMs = 60_000;

/** What is wired in code rather than configured. */
export interface ServerParts {
  /**
   * The SQL engine analytics applications run on. Without one, StartApplication answers
   * UnsupportedOperationException (no application pretends to run SQL).
   */
  readonly analyticsEngine?: ApplicationEngineFactory;
}

export class TributaryServer {
  readonly config: ServerConfig;
  readonly log: Logger;
  #http: HttpServer | undefined;
  #logStore: LogStore | undefined;
  #catalog: Catalog | undefined;
  #streams: StreamsService | undefined;
  #fanOut: FanOut | undefined;
  #analytics: AnalyticsService | undefined;
  #retentionTimer: NodeJS.Timeout | undefined;
  #port = 0;
  readonly #parts: ServerParts;

  constructor(config: ServerConfig, log: Logger = createLogger(config.logLevel), parts: ServerParts = {}) {
    this.config = config;
    this.log = log;
    this.#parts = parts;
  }

  get port(): number {
    return this.#port;
  }

  get endpoint(): string {
    const host = this.config.host.includes(':') ? `[${this.config.host}]` : this.config.host;
    return `http://${host}:${this.#port}`;
  }

  async start(): Promise<void> {
    const { config, log } = this;
    if (config.storage === 'file') {
      const dataDir = path.resolve(config.dataDir);
      await mkdir(dataDir, { recursive: true });
      this.#logStore = new FileLogStore({
        directory: path.join(dataDir, 'log'),
        syncPolicy: config.fsync,
        syncIntervalMs: config.fsyncIntervalMs,
        // Memory is budgeted for ~10 GB over a few hundred shards in under 300 MB: a sparse index
        // entry every 16 KiB (16 bytes each, ~10 MB at 10 GB; a read costs at most 16 KiB extra)
        // and 16 MiB of recent records kept for readers at the tip.
        indexIntervalBytes: 16 * 1024,
        tailCacheBytesMax: 16 * 1024 * 1024,
        logger: (message, fields) => log.warn(message, fields as Record<string, unknown> | undefined),
      });
      this.#catalog = new FileCatalog({ directory: path.join(dataDir, 'catalog') });
    } else {
      this.#logStore = new MemoryLogStore();
      this.#catalog = new MemoryCatalog();
    }
    const startedMs = Date.now();
    await this.#logStore.open();
    await this.#catalog.open();
    this.#streams = new StreamsService({
      catalog: this.#catalog,
      logStore: this.#logStore,
      clock: systemClock,
      logger: (message, fields) => log.info(message, fields),
      options: { transitionDelayMs: config.transitionDelayMs, accountShardLimit: config.accountShardLimit },
    });
    await this.#streams.open();
    this.#fanOut = new FanOut({
      service: this.#streams,
      logger: (message, fields) => log.info(message, fields),
    });
    await this.#fanOut.open();
    const gateway = new AnalyticsStreamGateway(this.#streams);
    const engine = this.#parts.analyticsEngine;
    const runtime =
      engine === undefined
        ? undefined
        : new ApplicationRunners({
            gateway,
            catalog: this.#catalog,
            clock: systemClock,
            engineFactory: engine,
            logger: (message, fields) => log.warn(message, fields),
          });
    this.#analytics = new AnalyticsService({
      catalog: this.#catalog,
      clock: systemClock,
      logger: (message, fields) => log.info(message, fields),
      options: {
        transitionDelayMs: config.transitionDelayMs,
        bucketsDirectory: path.join(path.resolve(config.dataDir), 'buckets'),
      },
      ...(runtime === undefined ? {} : { runtime }),
    });
    await this.#analytics.open();
    log.info('storage recovered', {
      storage: config.storage,
      dataDir: config.dataDir,
      ms: Date.now() - startedMs,
    });

    const handler = createApiHandler({
      services: [streamsApi(this.#streams, this.#fanOut), analyticsApi(this.#analytics, gateway)],
      defaultAccountId: config.defaultAccountId,
      defaultRegion: config.defaultRegion,
      log: (message, fields) => log.warn(message, fields),
      onGet: (request, response) => {
        const body = Buffer.from(
          request.url === '/health' ? 'ok\n' : 'Tributary: the Kinesis APIs are served here by POST.\n',
        );
        response.setHeader('Content-Type', 'text/plain; charset=utf-8');
        response.setHeader('Content-Length', body.length);
        response.writeHead(request.url === '/health' || request.url === '/' ? 200 : 404);
        response.end(body);
      },
    });
    this.#http = new HttpServer({ host: config.host, port: config.port, onRequest: handler });
    this.#port = await this.#http.listen();
    this.#retentionTimer = setInterval(() => {
      this.#streams
        ?.applyRetention()
        .catch((error: unknown) => log.warn('retention sweep failed', { error: String(error) }));
    }, retentionSweepIntervalMs);
    this.#retentionTimer.unref();
  }

  /** Stops taking requests, lets those in flight finish, then closes storage. */
  async stop(): Promise<void> {
    clearInterval(this.#retentionTimer);
    // Fan-out subscriptions are long responses: end them first, so the HTTP server's grace
    // period is left to ordinary requests.
    await this.#fanOut?.close();
    await this.#http?.close();
    await this.#analytics?.close();
    this.#streams?.close();
    await this.#logStore?.close();
    await this.#catalog?.close();
  }
}
