/**
 * Preloaded (`node --import`) into kinesis-local, which always listens on every interface: rewrites
 * a wildcard or missing host in `net.Server#listen` to 127.0.0.1, so the benchmark never opens a
 * port beyond this machine.
 */
import net from 'node:net';

const wildcardHosts = new Set(['0.0.0.0', '::', '']);
const originalListen = net.Server.prototype.listen;

function loopbackListen(this: net.Server, ...args: unknown[]): net.Server {
  const [first] = args;
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    const options = first as net.ListenOptions;
    if (options.path === undefined && (options.host === undefined || wildcardHosts.has(options.host))) {
      args[0] = { ...options, host: '127.0.0.1' };
    }
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    const second = args[1];
    if (typeof second === 'string' && wildcardHosts.has(second)) args[1] = '127.0.0.1';
    else if (typeof second !== 'string') args.splice(1, 0, '127.0.0.1');
  }
  return (originalListen as (...rest: unknown[]) => net.Server).apply(this, args);
}

net.Server.prototype.listen = loopbackListen as typeof net.Server.prototype.listen;
