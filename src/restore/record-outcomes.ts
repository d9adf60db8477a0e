// The outcomes a record gives each group, each step beyond the groups and each token, checked
// against the values the action writes; what a restore reads of them: the tokens that run
// disabled, and those whose update it sent without learning whether it took effect.
import type { AuditState, GroupOutcome, StepOutcome, TokenState } from '../model.js';
import { fields, list, literal, object, refuse, text, id, type Fields } from './strict-json.js';

const GROUP_OUTCOMES = {
  removed: true,
  'not-member': true,
  'would-remove': true,
  failed: true,
  unknown: true,
} satisfies Record<GroupOutcome, true>;

export function groupResult(value: unknown, where: string): { id: string; outcome: string } {
  const group = fields(
    object(value, where, 'is not a group'),
    where,
    ['id', 'name', 'outcome', 'error', 'note', 'rays', 'audit'],
    ['id', 'outcome'],
  );
  const outcome = literal(group.outcome, `${where}.outcome`, Object.keys(GROUP_OUTCOMES));
  for (const key of ['name', 'error', 'note'] as const)
    if (group[key] !== undefined) text(group[key], `${where}.${key}`);
  if (group.rays !== undefined) rays(group.rays, `${where}.rays`);
  audit(group.audit, `${where}.audit`);
  return { id: id(group.id, `${where}.id`), outcome: outcome as string };
}

const STEP_OUTCOMES = {
  removed: true,
  revoked: true,
  disabled: true,
  reported: true,
  'not-needed': true,
  'would-remove': true,
  'would-revoke': true,
  'would-disable': true,
  failed: true,
  unknown: true,
} satisfies Record<StepOutcome, true>;

const TOKEN_OUTCOMES = {
  disabled: true,
  'would-disable': true,
  kept: true,
  failed: true,
  unknown: true,
} satisfies Record<NonNullable<TokenState['outcome']>, true>;

const STEP_KEYS = ['outcome', 'error', 'note', 'devices', 'rays', 'audit', 'checked'];

// The steps beyond the groups: each an outcome; the tokens step lists the member's tokens.
export function stepsOf(entry: Fields, where: string): { disabledTokens: string[]; unknownTokens: string[] } {
  for (const key of ['sessions', 'account'] as const)
    if (entry[key] !== undefined) step(entry[key], `${where}.${key}`, STEP_KEYS);
  const none = { disabledTokens: [], unknownTokens: [] };
  if (entry.tokens === undefined) return none;
  const tokens = step(entry.tokens, `${where}.tokens`, [...STEP_KEYS, 'tokens', 'unattributed']);
  if (tokens.unattributed !== undefined)
    list(tokens.unattributed, `${where}.tokens.unattributed`).forEach((item, i) =>
      token(item, `${where}.tokens.unattributed[${i}]`),
    );
  if (tokens.tokens === undefined) return none;
  const found = list(tokens.tokens, `${where}.tokens.tokens`).map((item, i) =>
    token(item, `${where}.tokens.tokens[${i}]`),
  );
  const having = (outcome: string) => found.filter((each) => each.outcome === outcome).map((each) => each.id);
  return { disabledTokens: having('disabled'), unknownTokens: having('unknown') };
}

function step(value: unknown, where: string, keys: string[]): Fields {
  const result = fields(object(value, where, 'is not a step of the record'), where, keys, ['outcome']);
  literal(result.outcome, `${where}.outcome`, Object.keys(STEP_OUTCOMES));
  for (const key of ['error', 'note'] as const) if (result[key] !== undefined) text(result[key], `${where}.${key}`);
  if (result.devices !== undefined) literal(result.devices, `${where}.devices`, [true]);
  if (result.checked !== undefined) literal(result.checked, `${where}.checked`, [false]);
  if (result.rays !== undefined) rays(result.rays, `${where}.rays`);
  audit(result.audit, `${where}.audit`);
  return result;
}

function token(value: unknown, where: string): { id: string; outcome?: string } {
  const entry = fields(
    object(value, where, 'is not a token'),
    where,
    ['id', 'name', 'status', 'outcome', 'error', 'rays', 'audit'],
    ['id', 'name', 'status'],
  );
  text(entry.name, `${where}.name`);
  text(entry.status, `${where}.status`, 100);
  if (entry.error !== undefined) text(entry.error, `${where}.error`);
  if (entry.rays !== undefined) rays(entry.rays, `${where}.rays`);
  audit(entry.audit, `${where}.audit`);
  const outcome =
    entry.outcome === undefined
      ? undefined
      : (literal(entry.outcome, `${where}.outcome`, Object.keys(TOKEN_OUTCOMES)) as string);
  return { id: id(entry.id, `${where}.id`), ...(outcome !== undefined && { outcome }) };
}

const AUDIT_STATES = { confirmed: true, 'not-yet-seen': true } satisfies Record<AuditState, true>;

// With confirm-in-audit-log: whether the account's audit log showed the write.
function audit(value: unknown, where: string): void {
  if (value !== undefined) literal(value, where, Object.keys(AUDIT_STATES));
}

const RAY = /^[0-9a-f]{16}(-[A-Za-z0-9]{2,5})?$/i;

function rays(value: unknown, where: string): void {
  list(value, where).forEach((item, i) => {
    if (typeof item !== 'string' || !RAY.test(item)) refuse(`${where}[${i}]`, 'is not a cf-ray');
  });
}
