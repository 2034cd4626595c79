import type { Env } from "../config.js";

export interface ProxySettings {
  httpProxy: string;
  httpsProxy: string;
  noProxy: string;
}

/**
 * The proxy variables as requests use them (undici's EnvHttpProxyAgent is
 * given exactly these): lower case first, as curl does; https falls back to
 * http_proxy. Read from `env`, so a caller's own environment counts rather
 * than process.env. Empty means none.
 */
export function proxySettings(env: Env): ProxySettings {
  const pick = (name: string) => env[name] || env[name.toUpperCase()] || "";
  return {
    httpProxy: pick("http_proxy"),
    httpsProxy: pick("https_proxy") || pick("http_proxy"),
    noProxy: pick("no_proxy"),
  };
}
