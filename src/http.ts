// The HTTP layer: undici's dispatchers, and the proxy the runner's environment asks for.
// undici's index would also load fetch, web streams, cache and websocket at start-up, about a
// fifth of a cold start (README, Performance); for dispatchers it does one thing, done here:
// give every dispatcher its request/connect/stream methods.
import type { Dispatcher as DispatcherType } from 'undici';
import api from 'undici/lib/api/index.js';
import Agent from 'undici/lib/dispatcher/agent.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import ProxyAgent from 'undici/lib/dispatcher/proxy-agent.js';
import type { Env } from './inputs.js';

Object.assign(Dispatcher.prototype, api);

/** The proxy for the API's URL from HTTPS_PROXY / HTTP_PROXY, unless NO_PROXY excludes the host. */
export function proxyFor(target: URL, env: Env): string | undefined {
  const proxy = target.protocol === 'https:' ? env.https_proxy || env.HTTPS_PROXY : env.http_proxy || env.HTTP_PROXY;
  if (!proxy) return undefined;
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  const entries = (env.no_proxy || env.NO_PROXY || '').split(/[\s,]+/).filter((entry) => entry !== '');
  for (const entry of entries) {
    if (entry === '*') return undefined;
    // host, host:port, [v6], [v6]:port, or a bare v6 address (several colons, no port).
    const lower = entry.toLowerCase();
    const match = /^\[(.+)\](?::(\d+))?$/.exec(lower) ?? (lower.split(':').length === 2 ? /^(.+):(\d+)$/.exec(lower) : null);
    const name = (match?.[1] ?? lower).replace(/^\*?\./, '');
    if (match?.[2] && match[2] !== port) continue;
    if (name !== '' && (host === name || host.endsWith(`.${name}`))) return undefined;
  }
  return proxy;
}

export function createDispatcher(baseUrl: string, env: Env): DispatcherType {
  const proxy = proxyFor(new URL(baseUrl), env);
  return proxy ? new ProxyAgent(proxy) : new Agent();
}
