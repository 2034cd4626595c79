/**
 * gnome-keyring registers each new D-Bus connection as its client from an
 * idle callback that its message filter schedules. Under load, a
 * connection's first call can run before that callback, find no client, and
 * fail: "Method SearchItems is not implemented on interface
 * org.freedesktop.Secret.Service", or, for a session opened in that window,
 * "The session does not exist". Every ghpat process is a new connection.
 *
 * How long the refusals last, from the first call to the first answer, was
 * measured at 13–24 ms on a loaded 2-core machine, and it grows when the
 * daemon waits for a CPU. So such a failure is retried after growing pauses
 * (0.93 s in all) rather than once after a fixed one; a real failure fails
 * every time and costs that second.
 */
const CLIENT_RACE_PAUSES_MS = [30, 60, 120, 240, 480] as const;

export async function retryAfterClientRace<T>(
  operation: () => Promise<T>,
  isRace: (error: unknown) => boolean,
): Promise<T> {
  for (const pause of CLIENT_RACE_PAUSES_MS) {
    try {
      return await operation();
    } catch (error) {
      if (!isRace(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
  return operation();
}

/** The race as libsecret words it: in an error keytar passes on, or in secret-tool's stderr. */
export function isClientRaceMessage(error: unknown): boolean {
  const text = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  return /is not implemented on interface org\.freedesktop\.Secret\.|The session does not exist/.test(text);
}
