// Reads every input once, validates it and returns a typed, immutable settings object. Pure: the
// caller passes how to read an input and the environment. Nothing here sends a request.
import type { Credentials } from './cloudflare.js';
import { PERMISSIONS, type GitHubSettings, type Permission } from './github.js';
import type { Env } from './step.js';

export type GroupSelection = { by: 'id'; ids: string[] } | { by: 'name'; names: string[] } | { by: 'all' };

export type MemberSelection = { by: 'id'; id: string } | { by: 'email'; email: string };

export interface Settings {
  readonly accountId: string;
  readonly groups: GroupSelection;
  readonly member: MemberSelection;
  readonly credentials: Credentials;
  readonly ifNotMember: 'fail' | 'skip';
  readonly dryRun: boolean;
  /** IDs lower-cased, emails folded with foldEmail. */
  readonly protectedMembers: { readonly ids: ReadonlySet<string>; readonly emails: ReadonlySet<string> };
  readonly maxRetries: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly baseUrl: string;
  readonly github: GitHubSettings;
}

export type InputReader = (name: string) => string;

/** One or more invalid inputs; the message has one line per problem, each naming its input. */
export class InputError extends Error {
  readonly problems: string[];
  /** The GitHub settings, read leniently, so that a comment can still report the problem. */
  readonly github: GitHubSettings;

  constructor(problems: string[], github: GitHubSettings) {
    const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
    if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more problems.`);
    super(problems.length === 1 ? problems[0] : `Invalid inputs:\n- ${shown.join('\n- ')}`);
    this.name = 'InputError';
    this.problems = problems;
    this.github = github;
  }
}

export const DEFAULT_BASE_URL = 'https://api.cloudflare.com/client/v4';
/** Chosen by measurement: see the README's performance section. */
export const DEFAULT_CONCURRENCY = 10;
const MAX_PROBLEMS_SHOWN = 10;
const MAX_EMAIL_LENGTH = 254;
const MAX_NAME_LENGTH = 1_000;
const MAX_LIST_ENTRIES = 1_000;
const MAX_EXAMPLES = 3;
const ID = /^[0-9a-fA-F]{32}$/;

/** Splits a list input on newlines (and commas unless told otherwise); trims, drops blanks and repeats. */
export function splitList(value: string, { commas = true } = {}): string[] {
  const entries = value.split(commas ? /[\r\n,]/ : /[\r\n]/).map((entry) => entry.trim());
  return [...new Set(entries.filter((entry) => entry !== ''))];
}

export function isId(value: string): boolean {
  return ID.test(value);
}

/** No whitespace or control characters, exactly one `@` with text on both sides, at most 254 characters. */
export function isEmail(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  if (value.length > MAX_EMAIL_LENGTH || /[\s\u0000-\u001f\u007f-\u009f]/u.test(value)) return false;
  const parts = value.split('@');
  return parts.length === 2 && parts[0] !== '' && parts[1] !== '';
}

/**
 * Emails compare equal ignoring ASCII case only. Full Unicode case folding would make other
 * addresses equal: "\u212Aate@example.com" (Kelvin sign) lower-cases to "kate@example.com".
 */
export function foldEmail(email: string): string {
  return email.replace(/[A-Z]/g, (letter) => letter.toLowerCase());
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
export function describeMember(member: MemberSelection): string {
  return member.by === 'email' ? member.email : `member ${member.id}`;
}

export function readSettings(input: InputReader, env: Env): Settings {
  const problems: string[] = [];
  const read = new Reader(input, problems);
  const orEnv = (name: string, variable: string) => read.text(name) || (env[variable] ?? '').trim();

  const accountIdValue = orEnv('account-id', 'CLOUDFLARE_ACCOUNT_ID');
  let accountId = '';
  if (accountIdValue === '') problems.push('account-id: required (or set CLOUDFLARE_ACCOUNT_ID): the 32-character Cloudflare account ID.');
  else accountId = read.id('account-id', accountIdValue);

  const groups = readGroups(read, input, problems);
  const member = readMember(read, input, problems);
  const credentials = readCredentials(input, env, problems);
  const protectedMembers = readProtected(input, problems);
  const github = readGitHubSettings(input, problems);

  const settings: Settings = {
    accountId,
    groups,
    member,
    credentials,
    ifNotMember: read.oneOf('if-not-member', ['fail', 'skip'], 'fail'),
    dryRun: read.bool('dry-run', false),
    protectedMembers,
    maxRetries: read.number('max-retries', 3, 0, 10, true),
    timeoutMs: github.timeoutMs,
    concurrency: read.number('concurrency', DEFAULT_CONCURRENCY, 1, 50, true),
    baseUrl: readBaseUrl(orEnv('api-base-url', 'CLOUDFLARE_BASE_URL'), problems),
    github,
  };
  if (problems.length > 0) throw new InputError(problems, github);
  return settings;
}

/**
 * The settings the GitHub part needs, read on their own so that a run with other invalid inputs
 * can still report them on the issue; an invalid value here falls back to its default.
 */
export function readGitHubSettings(input: InputReader, problems: string[] = []): GitHubSettings {
  const read = new Reader(input, problems);
  return {
    token: read.text('github-token'),
    requiredPermission: read.oneOf<Permission | 'none'>('required-permission', [...PERMISSIONS, 'none'], 'write'),
    commentOnIssue: read.bool('comment-on-issue', false),
    timeoutMs: read.number('timeout-seconds', 30, 1, 600, false) * 1000,
  };
}

// Reads one input of a kind, and records a problem (naming the input) when it does not fit.
class Reader {
  private readonly input: InputReader;
  private readonly problems: string[];

  constructor(input: InputReader, problems: string[]) {
    this.input = input;
    this.problems = problems;
  }

  text(name: string): string {
    return this.input(name).trim();
  }

  id(name: string, value: string): string {
    if (!isId(value)) this.problems.push(`${name}: expected a 32-character hexadecimal ID, got ${quote(value)}.`);
    return value.toLowerCase();
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.text(name);
    if (value === '') return fallback;
    if (['true', 'True', 'TRUE'].includes(value)) return true;
    if (['false', 'False', 'FALSE'].includes(value)) return false;
    this.problems.push(`${name}: expected true or false, got ${quote(value)}.`);
    return fallback;
  }

  number(name: string, fallback: number, min: number, max: number, integer: boolean): number {
    const value = this.text(name);
    if (value === '') return fallback;
    const parsed = Number(value);
    if (/^\d+(\.\d+)?$/.test(value) && (!integer || Number.isInteger(parsed)) && parsed >= min && parsed <= max) return parsed;
    this.problems.push(`${name}: expected ${integer ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${quote(value)}.`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.text(name);
    if (value === '') return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name}: expected one of ${allowed.join(', ')}, got ${quote(value)}.`);
    return fallback;
  }
}

/** A list input's entries, bounded in number; entries that fail `valid` are one problem with examples. */
function readList(input: InputReader, name: string, problems: string[], expected: string, valid: (entry: string) => boolean, commas = true): string[] {
  const entries = splitList(input(name), { commas });
  if (entries.length > MAX_LIST_ENTRIES) {
    problems.push(`${name}: at most ${MAX_LIST_ENTRIES} entries, got ${entries.length}.`);
    return entries;
  }
  const invalid = entries.filter((entry) => !valid(entry));
  if (invalid.length === 1) problems.push(`${name}: expected ${expected}, got ${quote(invalid[0]!)}.`);
  if (invalid.length > 1) {
    const examples = invalid.slice(0, MAX_EXAMPLES).map(quote).join(', ');
    problems.push(`${name}: expected ${expected}; ${invalid.length} entries are not, such as ${examples}.`);
  }
  return entries;
}

function readGroups(read: Reader, input: InputReader, problems: string[]): GroupSelection {
  const allGroups = read.bool('all-groups', false);
  const ids = readList(input, 'user-group-id', problems, 'a 32-character hexadecimal ID', isId);
  const names = readList(input, 'user-group-name', problems, `a user group name of at most ${MAX_NAME_LENGTH} characters`, (name) => name.length <= MAX_NAME_LENGTH, false);
  const given = [ids.length > 0 && 'user-group-id', names.length > 0 && 'user-group-name', allGroups && 'all-groups'];
  const chosen = given.filter((name): name is string => typeof name === 'string');
  if (chosen.length === 0) {
    problems.push('user-group-id: required: give user group IDs, or user-group-name, or all-groups: true.');
  } else if (chosen.length > 1) {
    problems.push(`${chosen.join(', ')}: give only one way of choosing groups (user-group-id, user-group-name or all-groups: true).`);
  }
  if (allGroups) return { by: 'all' };
  if (names.length > 0) return { by: 'name', names };
  return { by: 'id', ids: [...new Set(ids.map((id) => id.toLowerCase()))] };
}

function readMember(read: Reader, input: InputReader, problems: string[]): MemberSelection {
  const memberId = read.text('member-id');
  const memberEmail = read.text('member-email');
  if (memberId !== '' && memberEmail !== '') {
    problems.push('member-id, member-email: give exactly one of them, not both.');
  } else if (memberEmail !== '') {
    if (!isEmail(memberEmail)) problems.push(`member-email: expected one email address (one @, no spaces, at most ${MAX_EMAIL_LENGTH} characters), got ${quote(memberEmail)}.`);
    return { by: 'email', email: memberEmail };
  } else if (memberId === '') {
    problems.push('member-id: required: give member-id (the account member ID) or member-email.');
  } else {
    return { by: 'id', id: read.id('member-id', memberId) };
  }
  return { by: 'id', id: '' };
}

function readProtected(input: InputReader, problems: string[]) {
  const entries = readList(input, 'protected-members', problems, 'member IDs (32 hexadecimal characters) or emails', (entry) => isId(entry) || isEmail(entry));
  return {
    ids: new Set(entries.filter(isId).map((id) => id.toLowerCase())),
    emails: new Set(entries.filter((entry) => !isId(entry) && isEmail(entry)).map(foldEmail)),
  };
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
  const before = problems.length;
  if (token !== '' && key !== '') {
    problems.push(`api-token, api-key: give either an API token or a Global API key with api-email, not both${where}.`);
  } else if (key !== '') {
    if (email === '') problems.push(`api-email: required with api-key; the Global API key needs the account email, and an API token is recommended instead${where}.`);
    else if (!isEmail(email)) problems.push(`api-email: expected the email of the Cloudflare user that owns api-key${where}.`);
    checkCredential('api-key', key, problems, where);
  } else if (token !== '') {
    checkCredential('api-token', token, problems, where);
  } else if (email !== '') {
    problems.push(`api-key: api-email was given without api-key; set api-token (recommended), or api-key with api-email${where}.`);
  } else {
    problems.push('api-token: no Cloudflare credentials: set api-token (recommended), or api-email with api-key.');
  }
  if (problems.length > before) return { scheme: 'token', token: '' };
  return key !== '' ? { scheme: 'global-key', email, key } : { scheme: 'token', token };
}

// A credential is sent in a header: one line of printable ASCII. Its value never appears in a message.
function checkCredential(name: string, value: string, problems: string[], where: string): void {
  if (/[\r\n]/.test(value)) problems.push(`${name}: must be one line, but the value has a line break inside${where}; copy the credential again.`);
  else if (/^bearer\s/i.test(value)) problems.push(`${name}: remove the "Bearer " prefix and give the token alone; the action adds it${where}.`);
  else if (/[^\x21-\x7e]/.test(value)) problems.push(`${name}: contains a space or a character that cannot be sent in an HTTP header${where}; copy the credential again.`);
}

function readBaseUrl(value: string, problems: string[]): string {
  if (value === '') return DEFAULT_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`api-base-url: expected an absolute URL such as ${DEFAULT_BASE_URL}, got ${quote(value)}.`);
    return DEFAULT_BASE_URL;
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push(`api-base-url: must use https: (plain http: only for a loopback host), got ${quote(url.origin)}.`);
  } else if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    problems.push('api-base-url: must not contain credentials, a query or a fragment.');
  }
  return url.href.replace(/\/+$/, '');
}

/** Quotes a value for a message: shortened, with line breaks and control characters made visible. */
function quote(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
