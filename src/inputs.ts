// Reads every input once, validates it and returns a typed, immutable settings object.
// Pure: the caller passes how to read an input and the environment.

export type Credentials =
  | { scheme: 'token'; token: string }
  | { scheme: 'global-key'; email: string; key: string };

export type GroupSelection =
  | { by: 'id'; ids: string[] }
  | { by: 'name'; names: string[] }
  | { by: 'all' };

export type MemberSelection = { by: 'id'; id: string } | { by: 'email'; email: string };

export const PERMISSIONS = ['read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export interface Settings {
  readonly accountId: string;
  readonly groups: GroupSelection;
  readonly member: MemberSelection;
  readonly credentials: Credentials;
  readonly ifNotMember: 'fail' | 'skip';
  readonly dryRun: boolean;
  readonly protectedMembers: { readonly ids: ReadonlySet<string>; readonly emails: ReadonlySet<string> };
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly baseUrl: string;
  readonly githubToken: string;
  readonly requiredPermission: Permission | 'none';
  readonly commentOnIssue: boolean;
}

export type InputReader = (name: string) => string;
export type Env = Record<string, string | undefined>;

/** One or more invalid inputs; the message has one line per problem, each naming its input. */
export class InputError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(problems.length === 1 ? problems[0] : `Invalid inputs:\n- ${problems.join('\n- ')}`);
    this.name = 'InputError';
    this.problems = problems;
  }
}

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
const ID = /^[0-9a-fA-F]{32}$/;

/** Splits a list input on newlines (and commas unless told otherwise); trims, drops blanks and repeats. */
export function splitList(value: string, { commas = true } = {}): string[] {
  const entries = value.split(commas ? /[\n,]/ : /\n/).map((entry) => entry.trim());
  return [...new Set(entries.filter((entry) => entry !== ''))];
}

export function isId(value: string): boolean {
  return ID.test(value);
}

/** No whitespace or control characters, exactly one `@` with text on both sides. */
export function isEmail(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/u.test(value)) return false;
  const parts = value.split('@');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
}

/** True for hosts a plain-http base URL may point at: 127.0.0.0/8, localhost, [::1]. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

// Each Cloudflare credential input and the environment variable it falls back to.
const CREDENTIALS = { token: ['api-token', 'CLOUDFLARE_API_TOKEN'], email: ['api-email', 'CLOUDFLARE_EMAIL'], key: ['api-key', 'CLOUDFLARE_API_KEY'] } as const;

/** Credential values as given, before any validation, so they can be masked first of all. */
export function credentialValues(input: InputReader, env: Env): string[] {
  const values = [...Object.values(CREDENTIALS).flatMap(([name, variable]) => [input(name), env[variable] ?? '']), input('github-token')];
  return [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))];
}

/** The member as the inputs name it, for messages: the email, or "member <id>". */
export function describeMember(settings: Pick<Settings, 'member'>): string {
  return settings.member.by === 'email' ? settings.member.email : `member ${settings.member.id}`;
}

export function readSettings(input: InputReader, env: Env): Settings {
  const problems: string[] = [];
  const text = (name: string) => input(name).trim();
  const orEnv = (name: string, variable: string) => text(name) || (env[variable] ?? '').trim();

  const id = (name: string, value: string): string => {
    if (!isId(value)) problems.push(`${name}: expected a 32-character hexadecimal ID, got ${describe(value)}.`);
    return value.toLowerCase();
  };

  const bool = (name: string, fallback: boolean): boolean => {
    const value = text(name);
    if (value === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    problems.push(`${name}: expected true or false, got ${describe(value)}.`);
    return fallback;
  };

  const number = (name: string, fallback: number, min: number, max: number, integer: boolean): number => {
    const value = text(name);
    if (value === '') return fallback;
    const parsed = Number(value);
    const ok = /^\d+(\.\d+)?$/.test(value) && (!integer || Number.isInteger(parsed)) && parsed >= min && parsed <= max;
    if (!ok) {
      problems.push(`${name}: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${describe(value)}.`);
      return fallback;
    }
    return parsed;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const value = text(name);
    if (value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${name}: expected one of ${allowed.join(', ')}, got ${describe(value)}.`);
    return fallback;
  };

  const accountIdValue = orEnv('account-id', 'CLOUDFLARE_ACCOUNT_ID');
  let accountId = '';
  if (accountIdValue === '') problems.push('account-id: required (or set CLOUDFLARE_ACCOUNT_ID): the 32-character Cloudflare account ID.');
  else accountId = id('account-id', accountIdValue);

  const groups = readGroups(input, bool('all-groups', false), problems, id);
  const member = readMember(input, problems, id);
  const credentials = readCredentials(input, env, problems);

  const protectedMembers = { ids: new Set<string>(), emails: new Set<string>() };
  for (const entry of splitList(input('protected-members'))) {
    if (isId(entry)) protectedMembers.ids.add(entry.toLowerCase());
    else if (isEmail(entry)) protectedMembers.emails.add(entry.toLowerCase());
    else problems.push(`protected-members: expected member IDs (32 hexadecimal characters) or emails, got ${describe(entry)}.`);
  }

  const settings: Settings = {
    accountId,
    groups,
    member,
    credentials,
    ifNotMember: oneOf('if-not-member', ['fail', 'skip'], 'fail'),
    dryRun: bool('dry-run', false),
    protectedMembers,
    maxRetries: number('max-retries', 3, 0, 10, true),
    timeoutMs: number('timeout-seconds', 30, 1, 600, false) * 1000,
    concurrency: number('concurrency', 4, 1, 20, true),
    baseUrl: readBaseUrl(orEnv('api-base-url', 'CLOUDFLARE_BASE_URL'), problems),
    githubToken: text('github-token'),
    requiredPermission: oneOf('required-permission', [...PERMISSIONS, 'none'], 'write'),
    commentOnIssue: bool('comment-on-issue', false),
  };
  if (problems.length > 0) throw new InputError(problems);
  return settings;
}

function readGroups(
  input: InputReader,
  allGroups: boolean,
  problems: string[],
  id: (name: string, value: string) => string,
): GroupSelection {
  const ids = splitList(input('user-group-id'));
  const names = splitList(input('user-group-name'), { commas: false });
  const given = [ids.length > 0 && 'user-group-id', names.length > 0 && 'user-group-name', allGroups && 'all-groups'];
  const chosen = given.filter((name): name is string => typeof name === 'string');
  if (chosen.length === 0) {
    problems.push('user-group-id: required: give user group IDs, or user-group-name, or all-groups: true.');
  } else if (chosen.length > 1) {
    problems.push(`${chosen.join(', ')}: give only one way of choosing groups (user-group-id, user-group-name or all-groups: true).`);
  }
  if (allGroups) return { by: 'all' };
  if (names.length > 0) return { by: 'name', names };
  return { by: 'id', ids: [...new Set(ids.map((value) => id('user-group-id', value)))] };
}

function readMember(
  input: InputReader,
  problems: string[],
  id: (name: string, value: string) => string,
): MemberSelection {
  const memberId = input('member-id').trim();
  const memberEmail = input('member-email').trim();
  if (memberId !== '' && memberEmail !== '') {
    problems.push('member-id, member-email: give exactly one of them, not both.');
  } else if (memberEmail !== '') {
    if (!isEmail(memberEmail)) problems.push(`member-email: expected one email address (one @, no spaces), got ${describe(memberEmail)}.`);
    return { by: 'email', email: memberEmail.toLowerCase() };
  } else if (memberId === '') {
    problems.push('member-id: required: give member-id (the account member ID) or member-email.');
  } else {
    return { by: 'id', id: id('member-id', memberId) };
  }
  return { by: 'id', id: '' };
}

// Inputs win over the environment as one set: if any credential input is given, the
// CLOUDFLARE_* credential variables are not looked at, so the two never mix.
function readCredentials(input: InputReader, env: Env, problems: string[]): Credentials {
  const read = (source: (name: string, variable: string) => string) => {
    const value = (which: keyof typeof CREDENTIALS) => {
      const [name, variable] = CREDENTIALS[which];
      return source(name, variable).trim();
    };
    return { token: value('token'), email: value('email'), key: value('key') };
  };
  const fromInputs = read((name) => input(name));
  const useInputs = Object.values(fromInputs).some((value) => value !== '');
  const { token, email, key } = useInputs ? fromInputs : read((_name, variable) => env[variable] ?? '');
  // Without credential inputs, the values came from the variables: say so, or the message
  // would name inputs the user never set.
  const where = useInputs ? '' : ' (read from CLOUDFLARE_API_TOKEN, CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY, as no credential input is given)';
  if (token !== '' && key !== '') {
    problems.push(`api-token, api-key: give either an API token or a Global API key with api-email, not both${where}.`);
  } else if (key !== '') {
    if (email === '') problems.push(`api-email: required with api-key; the Global API key needs the account email, and an API token is recommended instead${where}.`);
    return { scheme: 'global-key', email, key };
  } else if (token !== '') {
    return { scheme: 'token', token };
  } else if (email !== '') {
    problems.push(`api-key: api-email was given without api-key; set api-token (recommended), or api-key with api-email${where}.`);
  } else {
    problems.push('api-token: no Cloudflare credentials: set api-token (recommended), or api-email with api-key.');
  }
  return { scheme: 'token', token: '' };
}

function readBaseUrl(value: string, problems: string[]): string {
  if (value === '') return DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`api-base-url: expected an absolute URL such as ${DEFAULT_BASE_URL}, got ${describe(value)}.`);
    return DEFAULT_BASE_URL;
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(`api-base-url: must use https: (plain http: only for a loopback host), got ${describe(url.origin)}.`);
  } else if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    problems.push('api-base-url: must not contain credentials, a query or a fragment.');
  }
  return url.href.replace(/\/+$/, '');
}

/** Quotes a value for a message, shortened and with control characters made visible. */
function describe(value: string): string {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  return JSON.stringify(shown);
}
