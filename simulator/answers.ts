// The shapes of the simulator's answers: the v4 envelope, and the errors Cloudflare gives.
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface ErrorEntry {
  code: number;
  message: string;
  error_chain?: ErrorEntry[];
}

export function envelope(result: unknown, errors: ErrorEntry[] = []) {
  return { success: errors.length === 0, errors, messages: [], result };
}

export function ok(result: unknown): Answer {
  return { status: 200, body: envelope(result) };
}

export function fail(status: number, errors: ErrorEntry[]): Answer {
  return { status, body: envelope(null, errors) };
}

export function notFound(code: number, message: string): Answer {
  return fail(404, [{ code, message }]);
}

export function authError(): Answer {
  return fail(403, [{ code: 10000, message: 'Authentication error' }]);
}

/** Refused credential headers: 6003, with what is wrong with them (6100, 6102, 6103, 6111) in its error_chain. */
export function invalidHeaders(code: number, message: string): Answer {
  return fail(400, [{ code: 6003, message: 'Invalid request headers', error_chain: [{ code, message }] }]);
}

export function noRoute(path: string): Answer {
  return fail(404, [{ code: 7000, message: `No route for that URI: ${path}` }]);
}

export function invalidId(path: string): Answer {
  return fail(400, [
    { code: 7003, message: `Could not route to ${path}, perhaps your object identifier is invalid?` },
    { code: 7000, message: 'No route for that URI' },
  ]);
}
