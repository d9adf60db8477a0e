// The Cloudflare credentials: from the inputs, or else from the CLOUDFLARE_* variables, as one set.
import { type Credentials, type Env } from '../model.js';
import { isEmail } from '../identifiers.js';
import type { InputReader } from './reader.js';

// Each Cloudflare credential input and the environment variable it falls back to.
const CREDENTIALS = {
  token: ['api-token', 'CLOUDFLARE_API_TOKEN'],
  email: ['api-email', 'CLOUDFLARE_EMAIL'],
  key: ['api-key', 'CLOUDFLARE_API_KEY'],
} as const;

// Values that can only be the other kind of credential: a Global API key is 37 hexadecimal
// characters, and a token in Cloudflare's scannable format starts with cfut_ (a user's) or cfat_
// (an account's).
const GLOBAL_KEY = /^[0-9a-f]{37}$/i;
const SCANNABLE_TOKEN = /^cf[ua]t_/;

/** Why a required value the workflow does set can still arrive empty. */
export const EMPTY_VALUE_CAUSES =
  'If it comes from a secret or variable, that was empty: for an environment secret the job must name the environment (environment:); the secret or variable must exist at the scope you expect (repository, organisation or environment) and an organisation one must be shared with this repository; secrets.NAME (or vars.NAME) of a misspelt name is empty, not an error; and a pull request from a fork gets no secrets.';

export interface CredentialsRead {
  readonly credentials: Credentials;
  /** One line each, naming the input; empty when the credentials can be used. */
  readonly problems: string[];
  /** Mistakes the run can go on with. */
  readonly warnings: string[];
}

/** Credential values as given, before any validation, so they can be masked first of all. */
export function credentialValues(input: InputReader, env: Env): string[] {
  const given = Object.values(CREDENTIALS).flatMap(([name, variable]) => [input(name), env[variable] ?? '']);
  const values = [...given, input('github-token'), input('record-key')];
  return [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))];
}

// Inputs win over the environment as one set: if any credential input is given, the
// CLOUDFLARE_* credential variables are not looked at, so the two never mix. `explainEmpty`
// adds the causes of an empty secret to a missing credential, unless another line already says them.
export function readCredentials(input: InputReader, env: Env, { explainEmpty = true } = {}): CredentialsRead {
  const read = (source: (name: string, variable: string) => string): Given => {
    const value = (which: keyof typeof CREDENTIALS) => {
      const [name, variable] = CREDENTIALS[which];
      return source(name, variable).trim();
    };
    return { token: value('token'), email: value('email'), key: value('key') };
  };
  const fromInputs = read((name) => input(name));
  const useInputs = Object.values(fromInputs).some((value) => value !== '');
  const given = useInputs ? fromInputs : read((_name, variable) => env[variable] ?? '');
  // Without credential inputs, the values came from the variables: say so, or the message
  // would name inputs the user never set.
  const where = useInputs
    ? ''
    : ' (read from CLOUDFLARE_API_TOKEN, CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY, as no credential input is given)';
  const say = ({ input: name, says, then = '.', empty = false, sourced = true }: Mistake) =>
    `${name}: ${says}${sourced ? where : ''}${then}${empty && explainEmpty ? ` ${EMPTY_VALUE_CAUSES}` : ''}`;
  const problems = mistakes(given, useInputs).map(say);
  if (problems.length > 0) return { credentials: { scheme: 'token', token: '' }, problems, warnings: [] };
  const { token, email, key } = given;
  const credentials: Credentials = key !== '' ? { scheme: 'global-key', email, key } : { scheme: 'token', token };
  return { credentials, problems, warnings: token !== '' && email !== '' ? [UNUSED_EMAIL_VARIABLE] : [] };
}

interface Given {
  token: string;
  email: string;
  key: string;
}

/** One line of a problem: the input it names, what it says, and how the line ends. */
interface Mistake {
  input: string;
  says: string;
  /** What follows, after where the values came from: by default the full stop. */
  then?: string;
  /** The causes of an empty secret apply. */
  empty?: boolean;
  /** Where the values came from applies (it does not when there were none). */
  sourced?: boolean;
}

// Organisation-wide variables often hold both, for tools that take either: only a warning.
const UNUSED_EMAIL_VARIABLE =
  'CLOUDFLARE_EMAIL: not used, as the token in CLOUDFLARE_API_TOKEN needs no email. To silence this, give the token in the api-token input, which makes the action ignore the CLOUDFLARE_* credential variables.';

// What is wrong with the credentials given, the first rule that applies; none when they can be used.
function mistakes({ token, email, key }: Given, fromInputs: boolean): Mistake[] {
  if (token !== '' && key !== '')
    return [
      { input: 'api-token, api-key', says: 'give either an API token or a Global API key with api-email, not both' },
    ];
  if (key !== '' && SCANNABLE_TOKEN.test(key))
    return [
      {
        input: 'api-key',
        says: 'the value is an API token, not a Global API key: give it in api-token, without api-email',
      },
    ];
  if (key !== '') {
    const missing: Mistake = {
      input: 'api-email',
      says: 'required with api-key; the Global API key needs the account email, and an API token is recommended instead',
      empty: true,
    };
    const wrong: Mistake = { input: 'api-email', says: 'expected the email of the Cloudflare user that owns api-key' };
    const emailMistakes = email === '' ? [missing] : isEmail(email) ? [] : [wrong];
    return [...emailMistakes, ...formatMistakes('api-key', key)];
  }
  if (token !== '' && GLOBAL_KEY.test(token))
    return [
      {
        input: 'api-token',
        says: 'the value is a Global API key, not an API token: give it in api-key together with api-email, or create an API token (recommended)',
      },
    ];
  if (token !== '') {
    const emailGiven: Mistake = {
      input: 'api-email',
      says: 'not used with api-token, as an API token needs no email: remove api-email, or give a Global API key in api-key instead of api-token',
    };
    return [...(email !== '' && fromInputs ? [emailGiven] : []), ...formatMistakes('api-token', token)];
  }
  if (email !== '')
    return [
      {
        input: 'api-key',
        says: 'api-email was given without api-key; set api-token (recommended), or api-key with api-email',
        empty: true,
      },
    ];
  return [
    {
      input: 'api-token',
      says: 'no Cloudflare credentials: set api-token (recommended), or api-email with api-key',
      empty: true,
      sourced: false,
    },
  ];
}

// A credential is sent in a header: one line of printable ASCII. Its value never appears in a message.
function formatMistakes(input: string, value: string): Mistake[] {
  const again = '; copy the credential again.';
  if (/[\r\n]/.test(value))
    return [{ input, says: 'must be one line, but the value has a line break inside', then: again }];
  if (/^bearer\s/i.test(value))
    return [{ input, says: 'remove the "Bearer " prefix and give the token alone; the action adds it' }];
  if (/[^\x21-\x7e]/.test(value))
    return [{ input, says: 'contains a space or a character that cannot be sent in an HTTP header', then: again }];
  return [];
}
