/**
 * Process metrics under the names Prometheus' client libraries use (`process_*`, so existing
 * dashboards work), read at scrape time: CPU seconds, resident memory, heap, open file
 * descriptors (Linux: entries of /proc/self/fd), start time. Storage fsync latency is fed by
 * the file log store as it syncs.
 */
import { existsSync, readdirSync } from 'node:fs';
import type { Histogram, MetricFamily, MetricsRegistry } from '../core/metrics.js';

const fdDirectory = '/proc/self/fd';

export function registerProcessMetrics(registry: MetricsRegistry, startedAtMs: number): void {
  const cpuTotal = registry.counter(
    'process_cpu_seconds_total',
    'Total user and system CPU time spent in seconds.',
  );
  const cpuUser = registry.counter('process_cpu_user_seconds_total', 'User CPU time spent in seconds.');
  const cpuSystem = registry.counter('process_cpu_system_seconds_total', 'System CPU time spent in seconds.');
  const resident = registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.');
  const heap = registry.gauge('process_heap_bytes', 'Process heap size (V8 heap used) in bytes.');
  const start = registry.gauge(
    'process_start_time_seconds',
    'Start time of the process since unix epoch in seconds.',
  );
  const openFds = existsSync(fdDirectory)
    ? registry.gauge('process_open_fds', 'Number of open file descriptors.').child()
    : undefined;
  start.child().set(startedAtMs / 1000);
  registry.beforeRender(() => {
    const usage = process.cpuUsage();
    cpuUser.child().value = usage.user / 1e6;
    cpuSystem.child().value = usage.system / 1e6;
    cpuTotal.child().value = (usage.user + usage.system) / 1e6;
    resident.child().set(process.memoryUsage.rss());
    heap.child().set(process.memoryUsage().heapUsed);
    // The listing itself opens one descriptor, counted here as Prometheus' own clients do.
    if (openFds !== undefined) openFds.set(readdirSync(fdDirectory).length);
  });
}

/** Buckets (seconds) for the fsync latency of the file log. */
const fsyncBucketsSeconds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/** The histogram the file log store reports each data fsync to. */
export function registerFsyncMetric(registry: MetricsRegistry): MetricFamily<Histogram> {
  return registry.histogram(
    'tributary_storage_fsync_seconds',
    'Time taken by each durable write of appended log data (write and fsync in one O_DSYNC call; group commit: one per flush cycle and log).',
    [],
    fsyncBucketsSeconds,
  );
}
