// A test-only preload for runs of the bundle (`node --import`): every wait of a minute or more
// passes in a few milliseconds, and the clock (Date.now) jumps to the moment the wait stood for.
// Shorter timers, request timeouts among them, keep real time. The shipped code has no clock hook.
const LONG_MS = 60_000;
const realSetTimeout = globalThis.setTimeout;
const realNow = Date.now.bind(Date);
let offset = 0;

Date.now = () => realNow() + offset;

globalThis.setTimeout = ((handler: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
  if (typeof handler !== 'function' || (ms ?? 0) < LONG_MS) return realSetTimeout(handler, ms, ...args);
  const deadline = Date.now() + ms!;
  return realSetTimeout(() => {
    offset = Math.max(offset, deadline - realNow());
    handler(...args);
  }, 5);
}) as typeof setTimeout;
