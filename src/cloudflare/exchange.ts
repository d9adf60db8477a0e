// One HTTP exchange with the Cloudflare API: the request with its credentials, the moment it goes
// out on its connection, and the answer's status, headers and body, read up to a bound.
import { DecoratorHandler, type Dispatcher } from 'undici';
import type { Credentials } from '../model.js';

export type Method = 'GET' | 'DELETE' | 'POST' | 'PUT';

export interface Request {
  method: Method;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

/** Where requests go, through what, with which credentials. */
export interface Endpoint {
  baseUrl: string;
  dispatcher: Dispatcher;
  credentials: Credentials;
}

/** Answers larger than this are not read. */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** One HTTP request and its answer; the body is undefined when it is too large to read. */
export async function exchange(
  { baseUrl, dispatcher, credentials }: Endpoint,
  { method, path, query, body }: Request,
  signal: AbortSignal,
  sent: () => void,
) {
  const url = new URL(`${baseUrl}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const json = body === undefined ? {} : { 'content-type': 'application/json' };
  const headers = {
    ...authHeaders(credentials),
    accept: 'application/json',
    'user-agent': 'cloudflare-remove-group-member',
    ...json,
  };
  const sending = dispatcher.compose(
    (dispatch) => (options, handler) => dispatch(options, tellingWhenSent(handler, sent)),
  );
  const response = await sending.request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method,
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal,
  });
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return { status: response.statusCode, header, body: await readBody(response.body) };
}

/** The handler, calling `sent` when the request goes out on its connection. */
function tellingWhenSent(handler: Dispatcher.DispatchHandlers, sent: () => void): Dispatcher.DispatchHandlers {
  const decorated: Dispatcher.DispatchHandlers = new DecoratorHandler(handler);
  const connected = decorated.onConnect?.bind(decorated);
  decorated.onConnect = (abort) => {
    sent();
    connected?.(abort);
  };
  return decorated;
}

function authHeaders(credentials: Credentials): Record<string, string> {
  return credentials.scheme === 'token'
    ? { authorization: `Bearer ${credentials.token}` }
    : { 'x-auth-email': credentials.email, 'x-auth-key': credentials.key };
}

async function readBody(body: AsyncIterable<Buffer>): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
