// The simulator's offboarding endpoints beyond user groups, in the shape of Cloudflare's schema:
// removing an account member, revoking a user's Access sessions, the account's API tokens (list,
// read, update) and verifying the caller's own token. Where Cloudflare's behaviour is not
// documented (the answer for a member already gone, revoke_user for an email with no sessions)
// there is a mode for each way it may fall.
import { authError, fail, noRoute, notFound, ok, type Answer } from './answers.ts';

/** What a credential may do beyond reading: change groups, remove members, revoke sessions, read or change tokens. */
export type Grant = 'groups' | 'members' | 'sessions' | 'tokens:read' | 'tokens:write';
export const ALL_GRANTS: Grant[] = ['groups', 'members', 'sessions', 'tokens:read', 'tokens:write'];

/** Who is calling: what they may do, and which token they are (for the verify endpoints). */
export interface Caller {
  grants: ReadonlySet<Grant>;
  tokenId?: string;
  owner?: 'account' | 'user';
  /** The accounts the credentials see; every account when absent. */
  accounts?: ReadonlySet<string>;
  /** False: the audit log refuses them. */
  auditLog?: false;
}

export interface SimToken {
  id: string;
  name: string;
  status: 'active' | 'disabled' | 'expired';
  /** creator_email_at_creation: absent for tokens made before 2026-10 or without a known creator. */
  creator?: string;
  policies: unknown[];
  condition?: unknown;
  expires_on?: string;
  not_before?: string;
}

export interface AccessState {
  members: Map<string, { id: string; email: string }>;
  groups: Map<string, { memberIds: string[] }>;
  tokens: Map<string, SimToken>;
  /** Live Access sessions per email, lower-cased. */
  sessions: Map<string, number>;
  /** WARP device registrations per email, lower-cased. */
  devices: Map<string, number>;
}

export interface AccessModes {
  /** How a DELETE of an account member who is not in the account is answered (undocumented): code 1003 with 404 or 400. */
  goneMemberAnswer: 404 | 400;
  /** What revoke_user answers for an email with no sessions (undocumented): result true or false. */
  noSessionsAnswer: boolean;
  /** How the verify endpoints write the token's id. */
  verifyIdCase: 'lower' | 'upper';
}

export interface AccessRequest {
  method: string;
  /** The path below /accounts/{account_id}, split: ['members', id], ['tokens'], ['access', 'organizations', 'revoke_user']... */
  parts: string[];
  body: unknown;
  caller: Caller;
  page: (items: unknown[], min: number, max: number) => Answer;
}

const ID = /^[0-9a-f]{32}$/;

/** The answer for one of these endpoints, or undefined when the path is not one of them. */
export function routeAccess(state: AccessState, request: AccessRequest, modes: AccessModes): Answer | undefined {
  const [first] = request.parts;
  if (first === 'members' && request.method === 'DELETE' && request.parts.length === 2)
    return removeMember(state, request, modes);
  if (first === 'access') return revokeSessions(state, request, modes);
  if (first === 'tokens') return tokens(state, request, modes);
  return undefined;
}

function removeMember(state: AccessState, { parts, caller }: AccessRequest, modes: AccessModes): Answer {
  if (!caller.grants.has('members')) return authError();
  const id = parts[1]!;
  if (!state.members.has(id)) return fail(modes.goneMemberAnswer, [{ code: 1003, message: 'Member not found' }]);
  state.members.delete(id);
  for (const group of state.groups.values()) group.memberIds = group.memberIds.filter((member) => member !== id);
  return ok({ id });
}

function revokeSessions(
  state: AccessState,
  { method, parts, body, caller }: AccessRequest,
  modes: AccessModes,
): Answer {
  if (method !== 'POST' || parts.join('/') !== 'access/organizations/revoke_user')
    return noRoute(`/${parts.join('/')}`);
  if (!caller.grants.has('sessions')) return authError();
  const email = (body as { email?: unknown } | undefined)?.email;
  if (typeof email !== 'string' || email === '') return fail(400, [{ code: 12000, message: 'email is required' }]);
  const key = email.toLowerCase();
  const live = state.sessions.get(key) ?? 0;
  state.sessions.set(key, 0);
  // `devices` revokes every device of the user (the body's or the query's: which wins is undocumented).
  if ((body as { devices?: unknown }).devices === true) state.devices.set(key, 0);
  // The schema's answer for this operation has no errors or messages: result and success only.
  return { status: 200, body: { result: live > 0 ? true : modes.noSessionsAnswer, success: true } };
}

function tokens(state: AccessState, request: AccessRequest, modes: AccessModes): Answer {
  const { method, parts, caller, page } = request;
  callersOwnToken(state, caller);
  const canRead = caller.grants.has('tokens:read') || caller.grants.has('tokens:write');
  if (parts[1] === 'verify' && parts.length === 2) return verify(caller, 'account', modes.verifyIdCase);
  if (!canRead) return authError();
  if (parts.length === 1)
    return method === 'GET' ? page([...state.tokens.values()].map(tokenView), 5, 50) : noRoute('/tokens');
  const id = parts[1]!;
  if (!ID.test(id) || parts.length !== 2) return noRoute(`/tokens/${id}`);
  const token = state.tokens.get(id);
  if (!token) return notFound(1000, 'Token not found');
  if (method === 'GET') return ok(tokenView(token));
  if (method !== 'PUT') return noRoute(`/tokens/${id}`);
  if (!caller.grants.has('tokens:write')) return authError();
  return updateToken(token, request.body);
}

// An account-owned token is one of the account's tokens, listed with the others: created by the
// account's automation, as a CI token usually is.
function callersOwnToken(state: AccessState, caller: Caller): void {
  if (caller.owner !== 'account' || caller.tokenId === undefined || state.tokens.has(caller.tokenId)) return;
  state.tokens.set(caller.tokenId, {
    id: caller.tokenId,
    name: 'offboarding automation',
    status: 'active',
    creator: 'automation@example.com',
    policies: [
      {
        id: caller.tokenId,
        effect: 'allow',
        permission_groups: [],
        resources: { 'com.cloudflare.api.account.*': '*' },
      },
    ],
  });
}

// PUT replaces the token: name and policies are required, the rest is optional (the SDK's TokenUpdateParams).
function updateToken(token: SimToken, body: unknown): Answer {
  const update = (typeof body === 'object' && body !== null ? body : {}) as Partial<SimToken> & Record<string, unknown>;
  if (typeof update.name !== 'string' || !Array.isArray(update.policies)) {
    return fail(400, [{ code: 1001, message: 'name and policies are required' }]);
  }
  if (update.status !== undefined && !['active', 'disabled', 'expired'].includes(update.status)) {
    return fail(400, [{ code: 1001, message: 'status must be active, disabled or expired' }]);
  }
  Object.assign(token, {
    name: update.name,
    policies: update.policies,
    ...(update.status !== undefined && { status: update.status }),
    condition: update.condition,
    expires_on: update.expires_on,
    not_before: update.not_before,
  });
  return ok(tokenView(token));
}

/** The caller's own token, for GET /accounts/{a}/tokens/verify (account-owned) or /user/tokens/verify. */
export function verify(caller: Caller, owner: 'account' | 'user', idCase: 'lower' | 'upper' = 'lower'): Answer {
  if (caller.tokenId === undefined || caller.owner !== owner)
    return fail(401, [{ code: 1000, message: 'Invalid API Token' }]);
  return ok({ id: idCase === 'upper' ? caller.tokenId.toUpperCase() : caller.tokenId, status: 'active' });
}

export function tokenView(token: SimToken) {
  return {
    id: token.id,
    name: token.name,
    status: token.status,
    policies: token.policies,
    ...(token.condition !== undefined && { condition: token.condition }),
    ...(token.expires_on !== undefined && { expires_on: token.expires_on }),
    ...(token.not_before !== undefined && { not_before: token.not_before }),
    issued_on: '2026-10-02T00:00:00Z',
    modified_on: '2026-10-02T00:00:00Z',
    ...(token.creator !== undefined && { creator_email_at_creation: token.creator }),
  };
}
