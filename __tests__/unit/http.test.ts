// The proxy the environment names: used as the Actions toolkit's rules choose it, and refused with
// a message naming the variable when it cannot be used, rather than crashing the run.
import { Agent, ProxyAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/cloudflare/http.js';

const API = 'https://api.cloudflare.com/client/v4';
const saved = { ...process.env };
afterEach(() => {
  for (const name of ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'NO_PROXY']) delete process.env[name];
  Object.assign(process.env, saved);
});

function withEnv(env: Record<string, string>, baseUrl = API) {
  Object.assign(process.env, env);
  return createDispatcher(baseUrl, process.env);
}

describe('createDispatcher', () => {
  it('goes through a usable proxy, or directly when none is set, NO_PROXY names the host, or the host is loopback', () => {
    expect(withEnv({})).toMatchObject({ dispatcher: expect.any(Agent) });
    expect(withEnv({ HTTPS_PROXY: 'http://proxy.example:3128' })).toMatchObject({ dispatcher: expect.any(ProxyAgent) });
    expect(withEnv({ HTTPS_PROXY: 'proxy.example' })).toMatchObject({ dispatcher: expect.any(ProxyAgent) });
    expect(withEnv({ HTTPS_PROXY: 'socks5://x:1', NO_PROXY: '.cloudflare.com' })).toMatchObject({
      dispatcher: expect.any(Agent),
    });
    expect(withEnv({ HTTP_PROXY: '   ' }, 'http://127.0.0.1:8787/client/v4')).toMatchObject({
      dispatcher: expect.any(Agent),
    });
  });

  const unusable: Array<[Record<string, string>, string]> = [
    [
      { HTTPS_PROXY: 'proxy.example:3128' },
      'HTTPS_PROXY: the proxy must be reached over http: or https:, not "proxy.example:"',
    ],
    [
      { https_proxy: 'socks5://proxy.example:1080' },
      'https_proxy: the proxy must be reached over http: or https:, not "socks5:"',
    ],
    [{ HTTPS_PROXY: ' ' }, 'HTTPS_PROXY: the value is blank, got " "'],
    [
      { HTTPS_PROXY: 'http://user:%zz@proxy.example' },
      'HTTPS_PROXY: not a URL (is its user name or password URL-encoded?)',
    ],
  ];
  it.each(unusable)('refuses %j, naming the variable', (env, message) => {
    const made = withEnv(env);
    expect('problem' in made && made.problem).toContain(message);
    expect('problem' in made && made.problem).toContain(
      'Give a proxy URL such as http://proxy.example:3128, or unset the variable.',
    );
  });
});
