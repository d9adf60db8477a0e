// The permission gate of issue-triggered runs: both the issue's author and the event's sender must
// hold the required permission. The sender alone would let a maintainer's edit or label replay an
// outsider's form text with the maintainer's permission. Fails closed: anything but a confirmed,
// high enough role refuses the run.
import { PERMISSIONS, type Permission } from '../model.js';
import { describeGitHubError, statusOf, type Bounded } from './deadline.js';
import type { GitHubApi, IssueEvent } from './github-api.js';

const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/;

/** Why the run may not go on, or undefined (with a line for the log) when both hold `required`. */
export async function checkPermissions(
  event: IssueEvent,
  required: Permission,
  call: Bounded,
  api: GitHubApi,
  info: (message: string) => void,
): Promise<string | undefined> {
  const people = [
    { who: "the issue's author", login: event.author },
    { who: "the event's sender", login: event.sender },
  ];
  for (const { who, login } of people) {
    if (typeof login !== 'string' || !LOGIN.test(login)) {
      return `required-permission: the event names no valid login for ${who}, so their permission cannot be checked; refusing.`;
    }
  }
  const [author, sender] = people as Array<{ who: string; login: string }>;
  const same = author!.login.toLowerCase() === sender!.login.toLowerCase();
  const checks = same ? [{ who: `${author!.who} and ${sender!.who}`, login: author!.login }] : [author!, sender!];
  const results = await Promise.all(
    checks.map(async (check) => ({ ...check, ...(await roleOf(check.login, call, api)) })),
  );
  const denials = results.flatMap((result) => denial(result, required) ?? []);
  if (denials.length > 0) return denials.join('\n');
  const held = results.map(({ who, login, role }) => `${who} ${login} has "${role}"`).join('; ');
  info(`${held} permission on this repository (required: ${required}).`);
  return undefined;
}

function denial(
  { who, login, role, error }: { who: string; login: string; role?: Permission; error?: string },
  required: Permission,
) {
  if (error !== undefined)
    return `required-permission: could not read the repository permission of ${who} ${login}: ${error}; refusing.`;
  if (role === undefined) {
    return `required-permission: ${who} ${login} is not a collaborator of this repository, and runs triggered by an issue need "${required}" permission; refusing.`;
  }
  if (PERMISSIONS.indexOf(role) < PERMISSIONS.indexOf(required)) {
    return `required-permission: ${who} ${login} has "${role}" permission on this repository, and runs triggered by an issue need "${required}" or higher; refusing.`;
  }
  return undefined;
}

async function roleOf(login: string, call: Bounded, api: GitHubApi): Promise<{ role?: Permission; error?: string }> {
  try {
    const role = await call((signal) => api.role(login, signal));
    if ((PERMISSIONS as readonly string[]).includes(role)) return { role: role as Permission };
    return { error: `GitHub answered an unknown role ${JSON.stringify(role).slice(0, 40)}` };
  } catch (error) {
    if (statusOf(error) === 404) return {};
    return { error: describeGitHubError(error) };
  }
}
