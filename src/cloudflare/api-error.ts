// How a request fails for good, with what its caller needs to settle it: the status and codes,
// whether an earlier attempt or the answer itself leaves the effect unknown, and the rays.
/** A request that failed for good: after retries, or at once when retrying cannot help. */
export class ApiError extends Error {
  readonly status: number | undefined;
  readonly codes: Array<number | string>;
  /** An earlier attempt may have reached the API (timeout, network error, 5xx) before this answer. */
  readonly earlierAttemptUncertain: boolean;
  /** The answer is not one the API gives (a redirect, a body that is no JSON envelope, an entry of the wrong shape). */
  readonly foreign: boolean;
  /** The request may have taken effect: a 2xx without an envelope, a 5xx, or no answer at all. */
  readonly unclear: boolean;
  /** The `cf-ray` of each answered attempt, in order. */
  readonly rays: string[];
  /** The request was given up at its deadline: no attempt could start or be answered before it. */
  readonly pastDeadline: boolean;

  constructor(
    message: string,
    details: {
      status?: number;
      codes?: Array<number | string>;
      earlierAttemptUncertain?: boolean;
      foreign?: boolean;
      unclear?: boolean;
      rays?: string[];
      pastDeadline?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = details.status;
    this.codes = details.codes ?? [];
    this.earlierAttemptUncertain = details.earlierAttemptUncertain ?? false;
    this.foreign = details.foreign ?? false;
    this.unclear = details.unclear ?? false;
    this.rays = details.rays ?? [];
    this.pastDeadline = details.pastDeadline ?? false;
  }
}
