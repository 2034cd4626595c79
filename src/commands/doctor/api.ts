import { apiBaseUrl, type Env } from "../../config.js";
import { proxySettings } from "../../github/proxy-settings.js";
import type { CheckResult, DoctorContext } from "./check.js";
import { Findings } from "./findings.js";

/** The proxy undici's EnvHttpProxyAgent would take for `url`, with any password hidden; null for none. */
export function proxyFor(url: string, env: Env): string | null {
  const settings = proxySettings(env);
  const raw = url.startsWith("https:") ? settings.httpsProxy : settings.httpProxy;
  if (!raw) return null;
  const host = new URL(url).hostname;
  const noProxy = settings.noProxy.split(/[\s,]+/).filter(Boolean);
  if (
    noProxy.some(
      (entry) =>
        entry === "*" || host === entry.replace(/^\*?\.?/, "") || host.endsWith(`.${entry.replace(/^\*?\.?/, "")}`),
    )
  )
    return null;
  try {
    const parsed = new URL(raw);
    if (parsed.username || parsed.password) {
      parsed.username = "***";
      parsed.password = "";
    }
    return parsed.toString().replace(/\/$/, "");
  } catch {
    return "(unparseable proxy setting)";
  }
}

interface OctokitLikeError {
  status?: number;
  response?: { headers?: Record<string, string | number | undefined> };
}

/** Can the API of each host be reached from here (through the proxy, if one is set)? Unauthenticated: no token is sent. */
export async function checkApi(hosts: readonly string[], d: DoctorContext): Promise<CheckResult> {
  const f = new Findings();
  const { createClient } = await import("../../github/client.js");
  const { classifyApiError } = await import("../../github/api-errors.js");
  const results = [];
  for (const host of hosts) {
    const base = apiBaseUrl(host, d.env);
    const proxy = proxyFor(base, d.env);
    const via = proxy ? ` through the proxy ${proxy}` : "";
    const octokit = createClient({ host, timeoutMs: d.timeoutMs, env: d.env });
    let status: number | null = null;
    try {
      status = (await octokit.request("GET /meta")).status;
    } catch (error) {
      const e = error as OctokitLikeError;
      if (e.response?.headers) status = e.status ?? null;
      else {
        const failure = classifyApiError(error, { host, timeoutMs: d.timeoutMs });
        results.push({ host, url: base, proxy, status: null });
        f.problem(
          "fail",
          `${base} cannot be reached${via}: ${failure.message}`,
          failure.hint ?? "Check your connection and proxy settings.",
        );
        continue;
      }
    }
    results.push({ host, url: base, proxy, status });
    if (status !== null && status >= 500)
      f.problem(
        "warn",
        `${base} answered GET /meta with ${status}${via}.`,
        "GitHub may be having trouble; try again later.",
      );
    else f.note(`${base} answered GET /meta with ${status}${via}.`);
  }
  const summary = `The API answers for ${hosts.join(", ")}${results.some((r) => r.proxy) ? " (through the proxy)" : ""}.`;
  return f.toResult("api", "API", summary, { hosts: results });
}
