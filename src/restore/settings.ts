// The restore's inputs, each read once and validated into typed settings, or every problem found:
// the same readers and rules as the main action's (credentials, protected members, the GitHub gate,
// the transport), and its own: one account, one person, the record and the key it was signed with.
import { addressProblem, quote } from '../identifiers.js';
import type { Credentials, Env, MemberSelection, ProtectedMembers } from '../model.js';
import { EMPTY_VALUE_CAUSES, readCredentials } from '../settings/credentials.js';
import { readProtected } from '../settings/members.js';
import { Reader, type InputReader } from '../settings/reader.js';
import {
  gateProblems,
  readGitHub,
  readTransport,
  type GitHubSettings,
  type TransportSettings,
} from '../settings/endpoints.js';
import { readRecordKey } from '../settings/settings.js';

/** The record: its text as given in `record`, or the file `record-file` names. */
type RecordSource = { by: 'text'; text: string } | { by: 'file'; path: string };

export interface RestoreSettings extends TransportSettings {
  readonly accountId: string;
  readonly member: MemberSelection;
  readonly record: RecordSource;
  /** The secret the offboarding run signed its record with. */
  readonly recordKey: string;
  readonly credentials: Credentials;
  readonly dryRun: boolean;
  readonly protectedMembers: ProtectedMembers;
  readonly github: GitHubSettings;
}

export type RestoreSettingsRead =
  | { ok: true; settings: RestoreSettings; warnings: string[] }
  | { ok: false; problems: string[]; github: GitHubSettings };

export function readRestoreSettings(input: InputReader, env: Env): RestoreSettingsRead {
  const read = new Reader(input);
  const accountId = readAccount(read, env);
  const member = readPerson(read);
  const record = readRecord(read);
  const recordKey = readRecordKey(read);
  if (recordKey === '' && !read.problems.some((problem) => problem.startsWith('record-key:')))
    read.refuse(
      `record-key: required: the secret the offboarding run signed its record with (its record-key input). ${EMPTY_VALUE_CAUSES}`,
    );
  const credentialsRead = readCredentials(input, env);
  for (const problem of credentialsRead.problems) read.refuse(problem);
  const github = readGitHub(read);
  for (const problem of gateProblems(github)) read.refuse(problem);
  const settings: RestoreSettings = {
    accountId,
    member,
    record,
    recordKey,
    credentials: credentialsRead.credentials,
    dryRun: read.bool('dry-run', false),
    protectedMembers: readProtected(read),
    ...readTransport(read, env, github),
    github,
  };
  if (read.problems.length === 0) return { ok: true, settings, warnings: credentialsRead.warnings };
  return { ok: false, problems: [...read.problems], github };
}

// One account: a record is restored in the account it was written for, one at a time.
function readAccount(read: Reader, env: Env): string {
  const value = read.text('account-id') || (env.CLOUDFLARE_ACCOUNT_ID ?? '').trim();
  if (value === '') {
    read.refuse(
      `account-id: required (or set CLOUDFLARE_ACCOUNT_ID): the 32-character ID of the account the offboarding ran in. ${EMPTY_VALUE_CAUSES}`,
    );
    return '';
  }
  if (/[\r\n,]/.test(value)) {
    read.refuse(
      'account-id: one account: a restore puts back what one offboarding removed in one account; run it once per account.',
    );
    return '';
  }
  return read.id('account-id', value);
}

// One person, by member ID or by email.
function readPerson(read: Reader): MemberSelection {
  const id = read.text('member-id');
  const email = read.text('member-email');
  if (id !== '' && email !== '') read.refuse('member-id, member-email: give exactly one of them, not both.');
  else if (id === '' && email === '')
    read.refuse('member-email: required: give member-email (or member-id), the person whose offboarding to undo.');
  else if (/[\r\n,]/.test(id || email))
    read.refuse(`${id !== '' ? 'member-id' : 'member-email'}: one person: a restore undoes one person's offboarding.`);
  else if (id !== '') return { by: 'id', id: read.id('member-id', id) };
  else {
    const why = addressProblem(email);
    if (why !== undefined)
      read.refuse(`member-email: expected one plain email address (local@domain), got ${quote(email)}: ${why}.`);
    return { by: 'email', email };
  }
  return { by: 'email', email: '' };
}

// The record: its JSON in `record`, or a file in `record-file` (an artifact, which no input could
// carry: the runner passes each input in an environment variable, and Linux refuses one over 128 KiB).
function readRecord(read: Reader): RecordSource {
  const text = read.text('record');
  const path = read.text('record-file');
  if (text !== '' && path !== '') read.refuse('record, record-file: give exactly one of them, not both.');
  else if (text === '' && path === '')
    read.refuse(
      "record: required: the result, members or accounts output of the offboarding run (or record-file: a file that holds it), as that run wrote it. If it comes from a step's output or an artifact, check that step ran.",
    );
  else if (path !== '' && /[\r\n]/.test(path)) read.refuse('record-file: one path, on one line.');
  return path !== '' ? { by: 'file', path } : { by: 'text', text };
}
