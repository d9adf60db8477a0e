// What the report needs of the settings, read once; defaults where the settings could not be read
// (invalid inputs), so that every path still gets a complete report. And how a problem is stated.
import type { Problem, TokenMode } from '../model.js';
import type { Settings } from '../settings/settings.js';

export interface RunFacts {
  /** For hints and warnings; undefined when the settings could not be read. */
  accountId?: string;
  dryRun: boolean;
  allGroups: boolean;
  ifNotMember: 'fail' | 'skip';
  ifNotInAccount: 'fail' | 'skip';
  memberTokens: TokenMode;
  /** The run authenticates with a Global API key, not a token (the hint for a 401 or 403 differs). */
  globalKey: boolean;
}

/** A problem as the report states it: its message, with the hint that says what to change. */
export type Explain = (problem: Problem) => string;

export function factsOf(settings: Settings | undefined): RunFacts {
  return {
    ...(settings?.accounts.by === 'ids' &&
      settings.accounts.ids.length === 1 && { accountId: settings.accounts.ids[0] }),
    dryRun: settings?.dryRun ?? false,
    allGroups: settings?.groups.by === 'all',
    ifNotMember: settings?.ifNotMember ?? 'fail',
    ifNotInAccount: settings?.ifNotInAccount ?? 'fail',
    memberTokens: settings?.memberTokens ?? 'ignore',
    globalKey: settings?.credentials.scheme === 'global-key',
  };
}
