// The HTTP layer for the Cloudflare API: an undici dispatcher, through the proxy the runner's
// environment names. The proxy is chosen by @actions/http-client, the same rules the rest of the
// Actions toolkit follows (and so octokit, for the GitHub calls): HTTPS_PROXY for https URLs,
// HTTP_PROXY for http, NO_PROXY entries (host, .domain, host:port, *) excluded, and loopback
// hosts always reached directly. The action adds no rule of its own.
import { getProxyUrl } from '@actions/http-client';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';

export function createDispatcher(baseUrl: string): Dispatcher {
  const proxy = getProxyUrl(baseUrl);
  return proxy ? new ProxyAgent(proxy) : new Agent();
}
