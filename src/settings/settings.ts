// Reads every input once, validates it and returns a typed, immutable settings object, or every
// problem found. Pure: the caller passes how to read an input and the environment.
import {
  type AccountSelection,
  type Credentials,
  type Env,
  type GroupSelection,
  type MemberSelection,
  type ProtectedMembers,
  type TokenMode,
} from '../model.js';
import { isId } from '../identifiers.js';
import { readAccounts } from './accounts.js';
import { readCredentials } from './credentials.js';
import { gateProblems, readGitHub, readTransport, type GitHubSettings, type TransportSettings } from './endpoints.js';
import { readMembers, readProtected } from './members.js';
import { Reader, type InputReader } from './reader.js';

export interface Settings extends TransportSettings {
  /** One or more account IDs, or every account the credentials can list. */
  readonly accounts: AccountSelection;
  readonly groups: GroupSelection;
  /** One or more members (at most MAX_MEMBERS), each named once. */
  readonly members: MemberSelection[];
  readonly credentials: Credentials;
  readonly ifNotMember: 'fail' | 'skip';
  readonly ifNotInAccount: 'fail' | 'skip';
  readonly dryRun: boolean;
  readonly protectedMembers: ProtectedMembers;
  /** After the groups: remove the member from the account (all-groups runs only). */
  readonly removeFromAccount: boolean;
  readonly revokeSessions: boolean;
  /** With the sessions: the WARP devices and WARP sessions too. */
  readonly revokeDevices: boolean;
  readonly memberTokens: TokenMode;
  /** After the writes: look each one up in the account's audit log. */
  readonly confirmInAuditLog: boolean;
  /** The secret each member's record is signed with, for the restore action; '' when not given. */
  readonly recordKey: string;
  readonly github: GitHubSettings;
}

/**
 * The settings with the warnings to show before anything else, or every problem (one line each,
 * each naming its input) with the GitHub settings read leniently.
 */
export type SettingsRead =
  { ok: true; settings: Settings; warnings: string[] } | { ok: false; problems: string[]; github: GitHubSettings };

const MAX_PROBLEMS_SHOWN = 10;
const MAX_NAME_LENGTH = 1_000;

export function readSettings(input: InputReader, env: Env): SettingsRead {
  const read = new Reader(input);
  const { accounts, given } = readAccounts(read, env);
  const groups = readGroups(read);
  const members = readMembers(read);
  // The causes of an empty secret are said once, on the first line that needs them.
  const credentialsRead = readCredentials(input, env, { explainEmpty: given });
  for (const problem of credentialsRead.problems) read.refuse(problem);
  const protectedMembers = readProtected(read);
  const github = readGitHub(read);
  const settings: Settings = {
    accounts,
    groups,
    members,
    credentials: credentialsRead.credentials,
    ifNotMember: read.oneOf('if-not-member', ['fail', 'skip'], 'fail'),
    ifNotInAccount: read.oneOf('if-not-in-account', ['fail', 'skip'], 'fail'),
    dryRun: read.bool('dry-run', false),
    protectedMembers,
    removeFromAccount: read.bool('remove-from-account', false),
    revokeSessions: read.bool('revoke-access-sessions', false),
    revokeDevices: read.bool('revoke-devices', false),
    memberTokens: read.oneOf<TokenMode>('member-tokens', ['ignore', 'report', 'disable'], 'ignore'),
    ...readTransport(read, env, github),
    confirmInAuditLog: read.bool('confirm-in-audit-log', false),
    recordKey: readRecordKey(read),
    github,
  };
  for (const problem of combinations(settings)) read.refuse(problem);
  if (read.problems.length === 0) return { ok: true, settings, warnings: credentialsRead.warnings };
  return { ok: false, problems: [...read.problems], github };
}

// Inputs that are each valid but do not go together.
function combinations({
  accounts,
  groups,
  members,
  removeFromAccount,
  revokeSessions,
  revokeDevices,
  github,
}: Settings) {
  const problems = gateProblems(github);
  const several = accounts.by === 'all' || accounts.ids.length > 1;
  const many = accounts.by === 'all' ? 'all-accounts' : 'more than one account-id';
  if (removeFromAccount && groups.by !== 'all')
    problems.push(
      'remove-from-account: works with all-groups: true only, so that no group is left holding the member when the account membership ends.',
    );
  if (several && members.some((member) => member.by === 'id'))
    problems.push(`member-id: with ${many}, give the person by member-email: a member ID belongs to one account.`);
  if (several && groups.by !== 'all')
    problems.push(
      `${groups.by === 'id' ? 'user-group-id' : 'user-group-name'}: with ${many}, use all-groups: true: a user group belongs to one account.`,
    );
  if (revokeDevices && !revokeSessions)
    problems.push(
      'revoke-devices: works with revoke-access-sessions: true, which sends the revocation the devices go with.',
    );
  return problems;
}

/** A key shorter than this is too easy to guess for a signature that must not be forged. */
const MIN_RECORD_KEY = 32;

export function readRecordKey(read: Reader): string {
  const key = read.text('record-key');
  if (key !== '' && key.length < MIN_RECORD_KEY)
    read.refuse(
      `record-key: at least ${MIN_RECORD_KEY} characters, from a secret (openssl rand -hex 32 makes one); got ${key.length}.`,
    );
  return key;
}

/** Every problem of the inputs in one message, one line each. */
export function problemsMessage(problems: string[]): string {
  if (problems.length === 1) return problems[0]!;
  const shown = problems.slice(0, MAX_PROBLEMS_SHOWN);
  if (problems.length > shown.length) shown.push(`… and ${problems.length - shown.length} more problems.`);
  return `Invalid inputs:\n- ${shown.join('\n- ')}`;
}

function readGroups(read: Reader): GroupSelection {
  const allGroups = read.bool('all-groups', false);
  const ids = read.list('user-group-id', 'a 32-character hexadecimal ID', (id) => (isId(id) ? undefined : ''));
  const names = read.list(
    'user-group-name',
    `a user group name of at most ${MAX_NAME_LENGTH} characters`,
    (name) => (name.length <= MAX_NAME_LENGTH ? undefined : 'too long'),
    { commas: false },
  );
  const given = [ids.length > 0 && 'user-group-id', names.length > 0 && 'user-group-name', allGroups && 'all-groups'];
  const chosen = given.filter((name): name is string => typeof name === 'string');
  if (chosen.length === 0) {
    read.refuse('user-group-id: required: give user group IDs, or user-group-name, or all-groups: true.');
  } else if (chosen.length > 1) {
    read.refuse(
      `${chosen.join(', ')}: give only one way of choosing groups (user-group-id, user-group-name or all-groups: true).`,
    );
  }
  if (allGroups) return { by: 'all' };
  if (names.length > 0) return { by: 'name', names };
  return { by: 'id', ids: [...new Set(ids.map((id) => id.toLowerCase()))] };
}
