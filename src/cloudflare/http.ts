// The HTTP layer for the Cloudflare API: an undici dispatcher, through the proxy the runner's
// environment names. The proxy is chosen by @actions/http-client, the same rules the rest of the
// Actions toolkit follows (and so octokit, for the GitHub calls): HTTPS_PROXY for https URLs,
// HTTP_PROXY for http, NO_PROXY entries (host, .domain, host:port, *) excluded, and loopback
// hosts always reached directly. The action adds no rule of its own, but it refuses a proxy value
// it cannot use with a message that names the variable, rather than crash on it.
import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { messageOf, type Env } from '../model.js';
import { quote } from '../identifiers.js';

/** The dispatcher for the API at `baseUrl`, or why the proxy the environment names cannot be used. */
export function createDispatcher(baseUrl: string, env: Env): { dispatcher: Dispatcher } | { problem: string } {
  const url = new URL(baseUrl);
  if (checkBypass(url)) return { dispatcher: new Agent() };
  const https = url.protocol === 'https:';
  const variable = https
    ? env.https_proxy
      ? 'https_proxy'
      : 'HTTPS_PROXY'
    : env.http_proxy
      ? 'http_proxy'
      : 'HTTP_PROXY';
  const value = env[variable] ?? '';
  const unusable = (why: string) => ({
    problem: `${variable}: ${why}, got ${quote(value)}. Give a proxy URL such as http://proxy.example:3128, or unset the variable.`,
  });
  if (value !== '' && value.trim() === '') return unusable('the value is blank');
  let proxy: URL | undefined;
  try {
    proxy = getProxyUrl(url);
  } catch (error) {
    return unusable(`not a URL (${messageOf(error)})`);
  }
  // The toolkit ignores a value it cannot read: the requests would silently go around the proxy.
  if (proxy === undefined && value !== '') return unusable('not a URL (is its user name or password URL-encoded?)');
  if (proxy === undefined) return { dispatcher: new Agent() };
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    return unusable(`the proxy must be reached over http: or https:, not ${quote(proxy.protocol)}`);
  }
  if (proxy.hostname === '') return unusable('the URL names no host');
  try {
    return { dispatcher: new ProxyAgent(proxy.href) };
  } catch (error) {
    return unusable(`the proxy cannot be used (${messageOf(error)})`);
  }
}
