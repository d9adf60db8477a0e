// The Cloudflare credentials: from the inputs, or else from the CLOUDFLARE_* variables, as one set.
import { isEmail, type Credentials, type Env } from '../model.js';
import type { InputReader } from './reader.js';

// Each Cloudflare credential input and the environment variable it falls back to.
const CREDENTIALS = {
  token: ['api-token', 'CLOUDFLARE_API_TOKEN'],
  email: ['api-email', 'CLOUDFLARE_EMAIL'],
  key: ['api-key', 'CLOUDFLARE_API_KEY'],
} as const;

/** Credential values as given, before any validation, so they can be masked first of all. */
export function credentialValues(input: InputReader, env: Env): string[] {
  const given = Object.values(CREDENTIALS).flatMap(([name, variable]) => [input(name), env[variable] ?? '']);
  const values = [...given, input('github-token')];
  return [...new Set(values.map((value) => value.trim()).filter((value) => value !== ''))];
}

// Inputs win over the environment as one set: if any credential input is given, the
// CLOUDFLARE_* credential variables are not looked at, so the two never mix.
export function readCredentials(input: InputReader, env: Env, problems: string[]): Credentials {
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
  const before = problems.length;
  if (token !== '' && key !== '') {
    problems.push(`api-token, api-key: give either an API token or a Global API key with api-email, not both${where}.`);
  } else if (key !== '') {
    if (email === '') {
      problems.push(
        `api-email: required with api-key; the Global API key needs the account email, and an API token is recommended instead${where}.`,
      );
    } else if (!isEmail(email)) {
      problems.push(`api-email: expected the email of the Cloudflare user that owns api-key${where}.`);
    }
    checkCredential('api-key', key, problems, where);
  } else if (token !== '') {
    checkCredential('api-token', token, problems, where);
  } else if (email !== '') {
    problems.push(
      `api-key: api-email was given without api-key; set api-token (recommended), or api-key with api-email${where}.`,
    );
  } else {
    problems.push('api-token: no Cloudflare credentials: set api-token (recommended), or api-email with api-key.');
  }
  if (problems.length > before) return { scheme: 'token', token: '' };
  return key !== '' ? { scheme: 'global-key', email, key } : { scheme: 'token', token };
}

// A credential is sent in a header: one line of printable ASCII. Its value never appears in a message.
function checkCredential(name: string, value: string, problems: string[], where: string): void {
  if (/[\r\n]/.test(value)) {
    problems.push(
      `${name}: must be one line, but the value has a line break inside${where}; copy the credential again.`,
    );
  } else if (/^bearer\s/i.test(value)) {
    problems.push(`${name}: remove the "Bearer " prefix and give the token alone; the action adds it${where}.`);
  } else if (/[^\x21-\x7e]/.test(value)) {
    problems.push(
      `${name}: contains a space or a character that cannot be sent in an HTTP header${where}; copy the credential again.`,
    );
  }
}
