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
  const values = [...given, input('github-token')];
  return [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))];
}

// Inputs win over the environment as one set: if any credential input is given, the
// CLOUDFLARE_* credential variables are not looked at, so the two never mix. `explainEmpty`
// adds the causes of an empty secret to a missing credential, unless another line already says them.
export function readCredentials(input: InputReader, env: Env, { explainEmpty = true } = {}): CredentialsRead {
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
  const where = useInputs
    ? ''
    : ' (read from CLOUDFLARE_API_TOKEN, CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY, as no credential input is given)';
  const empty = explainEmpty ? ` ${EMPTY_VALUE_CAUSES}` : '';
  const problems: string[] = [];
  const warnings: string[] = [];
  if (token !== '' && key !== '') {
    problems.push(`api-token, api-key: give either an API token or a Global API key with api-email, not both${where}.`);
  } else if (key !== '' && SCANNABLE_TOKEN.test(key)) {
    problems.push(
      `api-key: the value is an API token, not a Global API key: give it in api-token, without api-email${where}.`,
    );
  } else if (key !== '') {
    if (email === '') {
      problems.push(
        `api-email: required with api-key; the Global API key needs the account email, and an API token is recommended instead${where}.${empty}`,
      );
    } else if (!isEmail(email)) {
      problems.push(`api-email: expected the email of the Cloudflare user that owns api-key${where}.`);
    }
    problems.push(...formatProblems('api-key', key, where));
  } else if (token !== '' && GLOBAL_KEY.test(token)) {
    problems.push(
      `api-token: the value is a Global API key, not an API token: give it in api-key together with api-email, or create an API token (recommended)${where}.`,
    );
  } else if (token !== '') {
    if (email !== '' && useInputs) {
      problems.push(
        'api-email: not used with api-token, as an API token needs no email: remove api-email, or give a Global API key in api-key instead of api-token.',
      );
    } else if (email !== '') {
      // Organisation-wide variables often hold both, for tools that take either.
      warnings.push(
        'CLOUDFLARE_EMAIL: not used, as the token in CLOUDFLARE_API_TOKEN needs no email. To silence this, give the token in the api-token input, which makes the action ignore the CLOUDFLARE_* credential variables.',
      );
    }
    problems.push(...formatProblems('api-token', token, where));
  } else if (email !== '') {
    problems.push(
      `api-key: api-email was given without api-key; set api-token (recommended), or api-key with api-email${where}.${empty}`,
    );
  } else {
    problems.push(
      `api-token: no Cloudflare credentials: set api-token (recommended), or api-email with api-key.${empty}`,
    );
  }
  if (problems.length > 0) return { credentials: { scheme: 'token', token: '' }, problems, warnings: [] };
  const credentials: Credentials = key !== '' ? { scheme: 'global-key', email, key } : { scheme: 'token', token };
  return { credentials, problems, warnings };
}

// A credential is sent in a header: one line of printable ASCII. Its value never appears in a message.
function formatProblems(name: string, value: string, where: string): string[] {
  if (/[\r\n]/.test(value)) {
    return [`${name}: must be one line, but the value has a line break inside${where}; copy the credential again.`];
  }
  if (/^bearer\s/i.test(value)) {
    return [`${name}: remove the "Bearer " prefix and give the token alone; the action adds it${where}.`];
  }
  if (/[^\x21-\x7e]/.test(value)) {
    return [
      `${name}: contains a space or a character that cannot be sent in an HTTP header${where}; copy the credential again.`,
    ];
  }
  return [];
}
