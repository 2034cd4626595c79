import { EnvHttpProxyAgent } from "undici";
import type { ProxySettings } from "./proxy-settings.js";
import { quickExitAfterHttp } from "./quick-exit.js";
import { ExchangeTimeout, type Exchange, type RawAnswer, type Transport } from "./transport.js";

/**
 * Through the configured proxy (or around it, for a NO_PROXY host), as
 * client.ts does: plain http in absolute form, https through CONNECT. The
 * whole of undici is loaded: its proxy agent relies on the methods the
 * package's entry adds to every dispatcher.
 */
export class UndiciTransport implements Transport {
  private readonly dispatcher: EnvHttpProxyAgent;

  constructor(settings: ProxySettings) {
    quickExitAfterHttp();
    this.dispatcher = new EnvHttpProxyAgent({ ...settings, proxyTunnel: false });
  }

  async exchange(exchange: Exchange): Promise<RawAnswer> {
    const deadline = AbortSignal.timeout(exchange.timeoutMs);
    try {
      const response = await this.dispatcher.request({
        origin: exchange.url.origin,
        path: `${exchange.url.pathname}${exchange.url.search}`,
        method: exchange.method as "GET",
        headers: exchange.headers,
        body: exchange.body,
        signal: deadline,
      });
      const body = Buffer.from(await response.body.arrayBuffer());
      return { status: response.statusCode, statusText: response.statusText, headers: response.headers, body };
    } catch (error) {
      throw deadline.aborted ? new ExchangeTimeout(`no answer within ${exchange.timeoutMs} ms`) : error;
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
