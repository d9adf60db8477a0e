// The rate budget an answer announces in its headers. Cloudflare allows 1,200 requests per five
// minutes per user; every answer says how much is left: `Ratelimit` and `Ratelimit-Policy` (IETF draft
// syntax), or the older `x-ratelimit-*` headers.

export interface Budget {
  /** Requests left in the current window, as the answer reported them. */
  remaining?: number;
  /** Seconds until the window resets. */
  resetSeconds?: number;
  /** The window's quota, where reported (for messages only). */
  quota?: number;
}

/**
 * The budget from an answer's headers: `Ratelimit: "default";r=<left>;t=<seconds>` and
 * `Ratelimit-Policy: "<name>";q=<quota>;w=<window>` (several items possible: the tightest
 * counts), else `ratelimit-remaining` / `x-ratelimit-remaining` with `-reset` and `-limit`.
 */
export function readBudget(header: (name: string) => string | undefined): Budget {
  const budget: Budget = {};
  const items = parseItems(header('ratelimit'));
  const tightest = items.filter((item) => item.r !== undefined).sort((a, b) => a.r! - b.r!)[0];
  if (tightest) {
    budget.remaining = tightest.r;
    budget.resetSeconds = tightest.t;
  } else {
    const remaining = number(header('ratelimit-remaining') ?? header('x-ratelimit-remaining'));
    if (remaining !== undefined) {
      budget.remaining = remaining;
      const reset = number(header('ratelimit-reset') ?? header('x-ratelimit-reset'));
      // Seconds until the reset, or (some older APIs) the reset as a Unix time.
      budget.resetSeconds = reset !== undefined && reset > 1e9 ? Math.max(0, reset - Date.now() / 1000) : reset;
    }
  }
  const policy = parseItems(header('ratelimit-policy'))
    .filter((item) => item.q !== undefined)
    .sort((a, b) => a.q! - b.q!)[0];
  const quota = policy?.q ?? number(header('ratelimit-limit') ?? header('x-ratelimit-limit'));
  if (quota !== undefined) budget.quota = quota;
  return budget;
}

// Items of a structured-field list: `"name";key=value;key=value, "other";...`; numbers only.
function parseItems(value: string | undefined): Array<Record<string, number | undefined>> {
  if (!value) return [];
  return value.split(',').map((item) => {
    const params: Record<string, number | undefined> = {};
    for (const param of item.split(';').slice(1)) {
      const [key, raw] = param.split('=', 2).map((part) => part.trim());
      if (key) params[key] = number(raw);
    }
    return params;
  });
}

function number(value: string | undefined): number | undefined {
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined;
  return Number(value);
}
