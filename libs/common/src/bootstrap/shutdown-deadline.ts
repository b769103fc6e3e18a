/**
 * A stop must not hang. Closing waits on Redis and PostgreSQL (BullMQ workers retry Redis for
 * ever); during an outage that wait never ends and the orchestrator's SIGKILL comes without a
 * word. After the deadline the process says why and exits: in-flight jobs go back to the queue
 * through BullMQ's stalled-job recovery and open transactions roll back, so nothing is lost.
 */
export function armShutdownDeadline(
  name: string,
  deadlineMs: number,
  host: Pick<NodeJS.EventEmitter, 'once'> & { exit: (code: number) => void } = process,
  /** What is still running, for the message (e.g. the api's requests in flight). */
  stillRunning?: () => string,
): void {
  let armed = false;
  const arm = (signal: NodeJS.Signals) => {
    if (armed) return;
    armed = true;
    setTimeout(() => {
      const what = stillRunning
        ? `still running: ${stillRunning()}`
        : 'is Redis or PostgreSQL away?';
      process.stderr.write(
        `${name}: still closing ${deadlineMs} ms after ${signal} (${what}); exiting\n`,
      );
      host.exit(1);
    }, deadlineMs).unref();
  };
  host.once('SIGTERM', arm);
  host.once('SIGINT', arm);
}
