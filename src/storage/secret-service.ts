import { DBusConnection, DBusError } from "./dbus/connection.js";
import type { Variant } from "./dbus/wire.js";
import { retryAfterClientRace } from "./keyring-race.js";
import { decryptSecret, ENCRYPTED_TRANSFER, startKeyExchange } from "./secret-session.js";

/**
 * Read-only questions to the freedesktop Secret Service over D-Bus: which
 * items exist, with which attributes, and whether they are locked (keytar
 * answers "no secret" both for a missing item and for a locked one; this
 * tells the two apart), and the one read git's every fetch needs, the
 * secret of an unlocked item, over an encrypted session (secret-session.ts).
 * It never writes, deletes or unlocks anything.
 */

const BUS_NAME = "org.freedesktop.secrets";
const SERVICE_PATH = "/org/freedesktop/secrets";
const SERVICE = "org.freedesktop.Secret.Service";
const ITEM = "org.freedesktop.Secret.Item";
const COLLECTION = "org.freedesktop.Secret.Collection";
const PROPERTIES = "org.freedesktop.DBus.Properties";
const NOT_SUPPORTED = "org.freedesktop.DBus.Error.NotSupported";

interface EncryptedSession {
  path: string;
  key: Buffer;
}

/** What the Secret Service holds for some attributes, as keytar's getPassword would find it. */
export type SecretLookup = { state: "found"; secret: string } | { state: "locked" } | { state: "absent" };

export interface SecretServiceItem {
  path: string;
  label: string;
  attributes: Record<string, string>;
  locked: boolean;
}

export interface CollectionState {
  path: string;
  label: string;
  locked: boolean;
}

/** No Secret Service could be asked: no bus, nobody owns the name, or it did not answer. */
export class SecretServiceUnavailable extends Error {
  override name = "SecretServiceUnavailable";
}

export class SecretServiceClient {
  private constructor(private readonly bus: DBusConnection) {}

  static async open(env: Readonly<Record<string, string | undefined>>, timeoutMs = 3000): Promise<SecretServiceClient> {
    try {
      return new SecretServiceClient(await DBusConnection.open(env, timeoutMs));
    } catch (error) {
      throw new SecretServiceUnavailable((error as Error).message);
    }
  }

  close(): void {
    this.bus.close();
  }

  private async call(
    path: string,
    iface: string,
    member: string,
    signature?: string,
    body?: unknown[],
  ): Promise<unknown[]> {
    try {
      return await callSecretService(this.bus, {
        path,
        interface: iface,
        member,
        ...(signature ? { signature, body: body ?? [] } : {}),
      });
    } catch (error) {
      if (error instanceof DBusError && isUnavailable(error.errorName)) {
        throw new SecretServiceUnavailable(`No Secret Service answers on the session bus (${error.message}).`);
      }
      throw error;
    }
  }

  private async property(path: string, iface: string, name: string): Promise<unknown> {
    const [variant] = await this.call(path, PROPERTIES, "Get", "ss", [iface, name]);
    return (variant as Variant).value;
  }

  /** Paths of the items whose attributes include all of `attributes`, split by lock state. */
  async search(attributes: Record<string, string>): Promise<{ unlocked: string[]; locked: string[] }> {
    const [unlocked, locked] = await this.call(SERVICE_PATH, SERVICE, "SearchItems", "a{ss}", [
      Object.entries(attributes),
    ]);
    return { unlocked: unlocked as string[], locked: locked as string[] };
  }

  async item(path: string, locked: boolean): Promise<SecretServiceItem> {
    const pairs = (await this.property(path, ITEM, "Attributes")) as Array<[string, string]>;
    const label = (await this.property(path, ITEM, "Label")) as string;
    return { path, label, attributes: Object.fromEntries(pairs), locked };
  }

  /** Every item carrying these attributes, with its own attributes. */
  async items(attributes: Record<string, string>): Promise<SecretServiceItem[]> {
    const { unlocked, locked } = await this.search(attributes);
    const out: SecretServiceItem[] = [];
    for (const path of unlocked) out.push(await this.item(path, false));
    for (const path of locked) out.push(await this.item(path, true));
    return out;
  }

  /** A session whose secrets cross the bus encrypted, or null when the service offers none. */
  async openEncryptedSession(): Promise<EncryptedSession | null> {
    const exchange = startKeyExchange();
    let output: unknown;
    let path: unknown;
    try {
      [output, path] = await this.call(SERVICE_PATH, SERVICE, "OpenSession", "sv", [
        ENCRYPTED_TRANSFER,
        { signature: "ay", value: exchange.publicKey },
      ]);
    } catch (error) {
      if (error instanceof DBusError && error.errorName === NOT_SUPPORTED) return null;
      throw error;
    }
    const servicePublicKey = (output as Variant).value;
    if (!Buffer.isBuffer(servicePublicKey) || typeof path !== "string")
      throw new Error("The Secret Service opened a session without a public key.");
    return { path, key: exchange.sessionKey(servicePublicKey) };
  }

  /**
   * An item's secret as text, or null when libsecret would not call it a
   * password: a content type other than text, bytes that are not UTF-8, or a
   * NUL, where libsecret's C string would end.
   */
  async secretText(item: string, session: EncryptedSession): Promise<string | null> {
    const [secret] = await this.call(item, ITEM, "GetSecret", "o", [session.path]);
    const [, iv, value, contentType] = secret as [string, Buffer, Buffer, string];
    const plain = decryptSecret(session.key, iv, value);
    try {
      const text = contentType === "text/plain" || contentType === "application/octet-stream" || contentType === "";
      if (!text || plain.includes(0)) return null;
      return new TextDecoder("utf-8", { fatal: true }).decode(plain);
    } catch {
      return null;
    } finally {
      plain.fill(0);
    }
  }

  /** The collection new secrets go to, or null when there is none. */
  async defaultCollection(): Promise<CollectionState | null> {
    const [path] = (await this.call(SERVICE_PATH, SERVICE, "ReadAlias", "s", ["default"])) as [string];
    if (path === "/") return null;
    return {
      path,
      label: (await this.property(path, COLLECTION, "Label")) as string,
      locked: (await this.property(path, COLLECTION, "Locked")) as boolean,
    };
  }
}

const UNKNOWN_METHOD = "org.freedesktop.DBus.Error.UnknownMethod";

/** Calls the Secret Service; a method refused as unknown is retried while the client race lasts (keyring-race.ts). */
export async function callSecretService(
  bus: DBusConnection,
  request: { path: string; interface: string; member: string; signature?: string; body?: unknown[] },
): Promise<unknown[]> {
  const message = { destination: BUS_NAME, ...request };
  return retryAfterClientRace(
    () => bus.call(message),
    (error) => error instanceof DBusError && error.errorName === UNKNOWN_METHOD,
  );
}

function isUnavailable(errorName: string): boolean {
  return (
    errorName === "ghpat.NoBus" ||
    errorName === "ghpat.Timeout" ||
    errorName === "org.freedesktop.DBus.Error.ServiceUnknown" ||
    errorName === "org.freedesktop.DBus.Error.NameHasNoOwner" ||
    errorName === "org.freedesktop.DBus.Error.NoReply" ||
    errorName === "org.freedesktop.DBus.Error.Disconnected"
  );
}

/** Opens a client, runs `fn`, and always closes the connection. */
export async function withSecretService<T>(
  env: Readonly<Record<string, string | undefined>>,
  fn: (client: SecretServiceClient) => Promise<T>,
): Promise<T> {
  const client = await SecretServiceClient.open(env);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/** Whether the item for service/account exists, and whether it is locked. */
export async function itemState(
  env: Readonly<Record<string, string | undefined>>,
  service: string,
  account: string,
): Promise<"unlocked" | "locked" | "absent"> {
  return withSecretService(env, async (client) => {
    const { unlocked, locked } = await client.search({ service, account });
    if (unlocked.length > 0) return "unlocked";
    return locked.length > 0 ? "locked" : "absent";
  });
}

/**
 * The secret keytar's getPassword would return for these attributes, read
 * over one connection: the first unlocked item's, through an encrypted
 * session. null when it cannot be read as libsecret would (no encrypted
 * transfer offered, a secret that is not text), for keytar to answer instead.
 */
export async function lookupSecret(
  env: Readonly<Record<string, string | undefined>>,
  attributes: Record<string, string>,
): Promise<SecretLookup | null> {
  return withSecretService(env, async (client) => {
    // Both requests at once: the key exchange's arithmetic runs while the search is answered.
    const [found, session] = await Promise.all([client.search(attributes), client.openEncryptedSession()]);
    const item = found.unlocked[0];
    if (item === undefined) return { state: found.locked.length > 0 ? "locked" : "absent" };
    if (session === null) return null;
    const secret = await client.secretText(item, session);
    return secret === null ? null : { state: "found", secret };
  });
}
