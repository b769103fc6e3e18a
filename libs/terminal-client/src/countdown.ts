/** Whole seconds left until `deadlineAt` (0 once passed; null without a deadline). */
export function secondsLeft(deadlineAt: string | null, now: number = Date.now()): number | null {
  if (!deadlineAt) return null;
  return Math.max(0, Math.ceil((Date.parse(deadlineAt) - now) / 1000));
}

/**
 * Calls `onTick(seconds)` now and every `everyMs` until the deadline passes or `stop()` is called.
 * The deadline is the server's: a till's clock that is off shows a countdown off by as much.
 */
export function countdown(
  deadlineAt: string | null,
  onTick: (seconds: number) => void,
  everyMs = 1_000,
): () => void {
  const first = secondsLeft(deadlineAt);
  if (first === null) return () => undefined;
  onTick(first);
  if (first === 0) return () => undefined;
  const timer = setInterval(() => {
    const left = secondsLeft(deadlineAt) ?? 0;
    onTick(left);
    if (left === 0) clearInterval(timer);
  }, everyMs);
  return () => clearInterval(timer);
}
