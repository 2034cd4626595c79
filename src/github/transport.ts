/**
 * One HTTP exchange, without redirects or retries (api-http.ts adds those).
 * Two implementations: Node's own http/https when no proxy is configured,
 * the common case, which `ghpat api` in a loop pays for on every call; and
 * undici's EnvHttpProxyAgent when a proxy variable is set, for its
 * HTTP_PROXY/HTTPS_PROXY/NO_PROXY handling (see proxy-settings.ts). Loading
 * undici costs about twice a bare Node start, so only proxied runs pay it.
 */
import type { Env } from "../config.js";
import { proxySettings } from "./proxy-settings.js";

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface Exchange {
  method: string;
  url: URL;
  headers: Readonly<Record<string, string>>;
  body: Buffer | null;
  /** For the whole exchange, the body's download included. */
  timeoutMs: number;
}

/** The exchange took longer than its timeout; what was under way is abandoned. */
export class ExchangeTimeout extends Error {
  override name = "ExchangeTimeout";
}

export interface RawAnswer {
  status: number;
  statusText: string;
  headers: ResponseHeaders;
  body: Buffer;
}

export interface Transport {
  exchange(request: Exchange): Promise<RawAnswer>;
  /** Ends the connections, so that nothing outlives the last request. */
  close(): Promise<void>;
}

/** `protocol` (`https:`, `http:`): the API's, whose module the Node transport loads at once. */
export async function openTransport(env: Env, protocol: string): Promise<Transport> {
  const settings = proxySettings(env);
  if (settings.httpProxy === "" && settings.httpsProxy === "") {
    const { NodeTransport } = await import("./transport-node.js");
    return new NodeTransport(protocol);
  }
  const { UndiciTransport } = await import("./transport-undici.js");
  return new UndiciTransport(settings);
}
