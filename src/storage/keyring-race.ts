/**
 * gnome-keyring registers each new D-Bus connection as its client from an
 * idle callback that its message filter schedules. Under load, a
 * connection's first call can run before that callback, find no client, and
 * fail: "Method SearchItems is not implemented on interface
 * org.freedesktop.Secret.Service", or, for a session opened in that window,
 * "The session does not exist". Every ghpat process is a new connection.
 * Such a failure is retried once after a pause, by which time the client
 * exists; a real failure fails the second time too.
 */
const CLIENT_RACE_PAUSE_MS = 50;

export async function retryOnceAfterClientRace<T>(operation: () => Promise<T>, isRace: (error: unknown) => boolean): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!isRace(error)) throw error;
    await new Promise((resolve) => setTimeout(resolve, CLIENT_RACE_PAUSE_MS));
    return operation();
  }
}

/** The race as libsecret words it: in an error keytar passes on, or in secret-tool's stderr. */
export function isClientRaceMessage(error: unknown): boolean {
  const text = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  return /is not implemented on interface org\.freedesktop\.Secret\.|The session does not exist/.test(text);
}
