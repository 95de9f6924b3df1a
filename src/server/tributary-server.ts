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
import { sqlApplicationEngine } from '../analytics/exec/sql-application-engine.js';
import { ApplicationRunners } from '../analytics/runner/application-runners.js';
import type { Catalog } from '../catalog/catalog.js';
import { FileCatalog } from '../catalog/file-catalog.js';
import { MemoryCatalog } from '../catalog/memory-catalog.js';
import { systemClock } from '../core/clock.js';
import { MetricsRegistry, prometheusTextContentType } from '../core/metrics.js';
import { FileLogStore } from '../log/file/file-log-store.js';
import type { LogStore } from '../log/log-store.js';
import { MemoryLogStore } from '../log/memory/memory-log-store.js';
import { glueApi } from '../glue/glue-api.js';
import { GlueStore } from '../glue/glue-store.js';
import { StaticFiles } from '../console/static-files.js';
import { createApiHandler } from '../protocol/api-handler.js';
import { DecodeOffload, offloadShapes } from '../protocol/decode-offload.js';
import { HttpServer } from '../protocol/http-server.js';
import { firehoseApi } from '../firehose/firehose-api.js';
import { FirehoseMetrics } from '../firehose/firehose-metrics.js';
import { FirehoseService } from '../firehose/firehose-service.js';
import { BucketRouter } from '../firehose/sinks/bucket-router.js';
import { FunctionRegistry, readFunctionSpecs } from '../functions/function-registry.js';
import { EmbeddedBucketSink } from '../firehose/sinks/embedded-bucket-sink.js';
import { nodeFileSystem } from '../log/file-system.js';
import { FanOut } from '../streams/fan-out/fan-out.js';
import { TokenPacer } from '../streams/fan-out/token-pacer.js';
import { OnDemandScaler } from '../streams/throughput/on-demand-scaler.js';
import { streamsApi } from '../streams/streams-api.js';
import { StreamMetrics } from '../streams/stream-metrics.js';
import { StreamsService } from '../streams/streams-service.js';
import {
  AnalyticsFirehoseGateway,
  analyticsDirectPutHolds,
  routingGateway,
} from './analytics-firehose-gateway.js';
import { AnalyticsStreamGateway } from './analytics-stream-gateway.js';
import { bucketReferenceObjects } from './bucket-reference-objects.js';
import { AnalyticsLiveEndpoint, analyticsLivePath } from '../console/analytics-live.js';
import { firehoseErrorsPath, handleFirehoseErrors } from '../console/firehose-errors.js';
import { inApplicationStreams } from '../analytics/runner/in-application-streams.js';
import { limits } from '../core/limits.js';
import { parseDomainMap, type ServerConfig } from './config.js';
import { createGetHandler, jsonReply } from './get-routes.js';
import { firehoseStreamReader } from './firehose-stream-reader.js';
import { createLogger, type Logger } from './logger.js';
import { registerFsyncMetric, registerProcessMetrics } from './process-metrics.js';
import { bucketRouterOptions } from './s3-endpoints-config.js';

const retentionSweepIntervalMs = 60_000;

/** What is wired in code rather than configured. */
export interface ServerParts {
  /**
   * The SQL engine analytics applications run on: the real one (exec/) when not given; null for
   * none, and then StartApplication answers UnsupportedOperationException (no application
   * pretends to run SQL).
   */
  readonly analyticsEngine?: ApplicationEngineFactory | null;
}

export class TributaryServer {
  readonly config: ServerConfig;
  readonly log: Logger;
  #http: HttpServer | undefined;
  #decodeOffload: DecodeOffload | undefined;
  #logStore: LogStore | undefined;
  #catalog: Catalog | undefined;
  #streams: StreamsService | undefined;
  #fanOut: FanOut | undefined;
  #scaler: OnDemandScaler | undefined;
  #firehose: FirehoseService | undefined;
  #functions: FunctionRegistry | undefined;
  #analytics: AnalyticsService | undefined;
  #retentionTimer: NodeJS.Timeout | undefined;
  #port = 0;
  #console: StaticFiles | undefined;
  #buckets: BucketRouter | undefined;
  #live: AnalyticsLiveEndpoint | undefined;
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

  /** The web console's address, or undefined when its files were not built. */
  get consoleUrl(): string | undefined {
    return this.#console?.available === true ? `${this.endpoint}/` : undefined;
  }

  /**
   * Where each bucket's objects live (the embedded directory or an S3 endpoint):
   * `buckets.objectSinkFor(name)` reads and writes one bucket. Set once `start` has begun.
   */
  get buckets(): BucketRouter | undefined {
    return this.#buckets;
  }

  async start(): Promise<void> {
    const { config, log } = this;
    // First, so a bad S3 endpoint setting stops the server before any storage opens.
    const buckets = new BucketRouter(
      bucketRouterOptions(
        config,
        // The embedded S3 destination: objects are files under <data-dir>/buckets/<bucket>/<key>.
        new EmbeddedBucketSink({
          root: path.join(path.resolve(config.dataDir), 'buckets'),
          fileSystem: nodeFileSystem,
        }),
      ),
    );
    this.#buckets = buckets;
    const registry = new MetricsRegistry();
    registerProcessMetrics(registry, Date.now());
    let storedBytesOf: ((logId: string) => number) | undefined;
    if (config.storage === 'file') {
      const fsync = registerFsyncMetric(registry).child();
      const dataDir = path.resolve(config.dataDir);
      await mkdir(dataDir, { recursive: true });
      const fileStore = new FileLogStore({
        directory: path.join(dataDir, 'log'),
        syncPolicy: config.fsync,
        syncIntervalMs: config.fsyncIntervalMs,
        rollPolicy: { segmentBytesMax: config.logSegmentBytesMax },
        // Memory is budgeted for ~10 GB over a few hundred shards in under 300 MB: a sparse index
        // entry every 16 KiB (16 bytes each, ~10 MB at 10 GB; a read costs at most 16 KiB extra)
        // and 16 MiB of recent records kept for readers at the tip.
        indexIntervalBytes: 16 * 1024,
        tailCacheBytesMax: 16 * 1024 * 1024,
        logger: (message, fields) => log.warn(message, fields as Record<string, unknown> | undefined),
        onSyncMs: (durationMs) => fsync.observe(durationMs / 1000),
      });
      this.#logStore = fileStore;
      storedBytesOf = (logId) => fileStore.storedBytes(logId);
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
      options: {
        transitionDelayMs: config.transitionDelayMs,
        accountShardLimit: config.accountShardLimit,
        limits: {
          mode: config.limits,
          faultThrottleRate: config.faultThrottleRate,
          faultInternalRate: config.faultInternalRate,
          faultSeed: config.faultSeed,
        },
      },
      metrics: new StreamMetrics(registry, storedBytesOf === undefined ? {} : { storedBytesOf }),
    });
    await this.#streams.open();
    const enforced = config.limits === 'aws';
    this.#fanOut = new FanOut({
      service: this.#streams,
      logger: (message, fields) => log.info(message, fields),
      ...(enforced ? { pacer: new TokenPacer(systemClock) } : {}),
    });
    await this.#fanOut.open();
    if (enforced) {
      this.#scaler = new OnDemandScaler(
        this.#streams,
        { intervalMs: config.onDemandIntervalMs, windowMs: config.onDemandWindowMs },
        (message, fields) => log.info(message, fields),
      );
      this.#scaler.start();
    }
    // Lambda ARNs resolve through the function registry (docs/firehose.md#functions).
    this.#functions = new FunctionRegistry(
      config.functions === '' ? [] : readFunctionSpecs(config.functions),
    );
    this.#firehose = new FirehoseService({
      catalog: this.#catalog,
      logStore: this.#logStore,
      sink: this.#buckets,
      streamReader: firehoseStreamReader(this.#streams),
      clock: systemClock,
      metrics: new FirehoseMetrics(registry, systemClock),
      logger: (message, fields) => log.info(message, fields),
      options: {
        transitionDelayMs: config.transitionDelayMs,
        bufferIntervalMsMax: config.firehoseBufferIntervalMsMax,
        destinationTimeoutMs: config.firehoseDestinationTimeoutMs,
        openSearchDomains: parseDomainMap(config.firehoseOpensearchDomains),
      },
      functions: this.#functions,
      // Delivered Direct PUT records stay while an analytics application has not read them.
      holds: analyticsDirectPutHolds(this.#catalog, this.#logStore),
    });
    await this.#firehose.open();
    const streamsGateway = new AnalyticsStreamGateway(this.#streams);
    // Analytics inputs and outputs may be Kinesis streams or Firehose delivery streams.
    const runnerGateway = routingGateway(
      streamsGateway,
      new AnalyticsFirehoseGateway(this.#firehose, streamsGateway),
    );
    const bucketsDirectory = path.join(path.resolve(config.dataDir), 'buckets');
    // Reference data and DiscoverInputSchema's S3 objects: the same bucket routing as Firehose's.
    const references = bucketReferenceObjects((bucket) => buckets.objectSinkFor(bucket));
    const engine =
      this.#parts.analyticsEngine === undefined
        ? sqlApplicationEngine
        : (this.#parts.analyticsEngine ?? undefined);
    const runtime =
      engine === undefined
        ? undefined
        : new ApplicationRunners({
            gateway: runnerGateway,
            catalog: this.#catalog,
            clock: systemClock,
            engineFactory: engine,
            logger: (message, fields) => log.warn(message, fields),
            references,
            metrics: registry,
            functions: this.#functions,
          });
    this.#analytics = new AnalyticsService({
      catalog: this.#catalog,
      clock: systemClock,
      logger: (message, fields) => log.info(message, fields),
      options: {
        transitionDelayMs: config.transitionDelayMs,
        bucketsDirectory,
        readObject: (bucketArn, fileKey) => references.read(bucketArn, fileKey),
      },
      ...(runtime === undefined ? {} : { runtime }),
    });
    await this.#analytics.open();
    log.info('storage recovered', {
      storage: config.storage,
      dataDir: config.dataDir,
      ms: Date.now() - startedMs,
    });

    const analytics = this.#analytics;
    const live =
      runtime === undefined
        ? undefined
        : new AnalyticsLiveEndpoint({
            taps: runtime.taps,
            findApplication: (scope, name) => {
              const loaded = analytics.find(scope, name);
              return {
                key: loaded.key,
                status: loaded.record.status,
                streams: inApplicationStreams(loaded.record),
              };
            },
            defaultAccountId: config.defaultAccountId,
            defaultRegion: config.defaultRegion,
            keepaliveMs: limits.analyticsLiveKeepaliveMs,
            bufferRowsMax: config.analyticsLiveBufferRows,
          });
    this.#live = live;
    const firehose = this.#firehose;
    const firehoseErrors = {
      lastErrors: firehose.lastErrors.bind(firehose),
      defaultAccountId: config.defaultAccountId,
      defaultRegion: config.defaultRegion,
    };
    const consoleFiles = new StaticFiles();
    const serverPages = createGetHandler(
      {
        // Served when the console's assets are not built.
        '/': () => ({
          status: 200,
          contentType: 'text/plain; charset=utf-8',
          body: 'Tributary: the Kinesis APIs are served here by POST; metrics at /metrics.\n',
        }),
        '/health': () => jsonReply(200, { status: 'ok' }),
        '/metrics': () => ({
          status: 200,
          contentType: prometheusTextContentType,
          body: registry.render(),
        }),
      },
      (message, fields) => log.warn(message, fields),
    );
    this.#console = consoleFiles;
    const services = [
      streamsApi(this.#streams, this.#fanOut),
      firehoseApi(this.#firehose),
      glueApi(new GlueStore(this.#catalog, systemClock)),
      analyticsApi(this.#analytics, runnerGateway, this.#functions),
    ];
    const offloaded = registry.counter(
      'tributary_decode_offload_bodies_total',
      'Bulk-write bodies sent to the decoding thread: decoded there, or returned to the main thread (invalid input)',
      ['outcome'],
    );
    const offloadOutcomes = { decoded: offloaded.child('decoded'), returned: offloaded.child('returned') };
    this.#decodeOffload =
      config.decodeOffloadMinBytes === 0
        ? undefined
        : new DecodeOffload(offloadShapes(services), {
            minBodyBytes: config.decodeOffloadMinBytes,
            log: (message, fields) => log.warn(message, fields),
            onOutcome: (outcome) => offloadOutcomes[outcome].inc(),
          });
    const offloadReady = registry
      .gauge('tributary_decode_offload_ready', '1 while the request decoding thread takes bodies, else 0')
      .child();
    registry.beforeRender(() => offloadReady.set(this.#decodeOffload?.isReady === true ? 1 : 0));
    const handler = createApiHandler({
      services,
      decodeOffload: this.#decodeOffload,
      defaultAccountId: config.defaultAccountId,
      defaultRegion: config.defaultRegion,
      log: (message, fields) => log.warn(message, fields),
      onGet: (request, response) => {
        // The console's files and client routes, except the server's own pages.
        const path = new URL(request.url ?? '/', 'http://localhost').pathname;
        if (path === analyticsLivePath && live !== undefined) return live.handle(request, response);
        if (path === firehoseErrorsPath) return handleFirehoseErrors(firehoseErrors, request, response);
        if (path !== '/health' && path !== '/metrics' && consoleFiles.serve(request, response)) return;
        serverPages(request, response);
      },
    });
    this.#http = new HttpServer({
      host: config.host,
      port: config.port,
      onRequest: handler,
      fastLane: handler.fastLane,
    });
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
    this.#scaler?.stop();
    // Fan-out subscriptions are long responses: end them first, so the HTTP server's grace
    // period is left to ordinary requests.
    await this.#fanOut?.close();
    this.#live?.close();
    await this.#http?.close();
    await this.#decodeOffload?.close();
    await this.#analytics?.close();
    await this.#firehose?.close();
    this.#buckets?.close();
    await this.#functions?.close();
    this.#streams?.close();
    await this.#logStore?.close();
    await this.#catalog?.close();
  }
}
