import { expect } from "vitest";
import type { RecordedRequest } from "./fake-github.js";

/**
 * The token may travel in the Authorization header of requests to the API
 * and nowhere else: not in a URL, another header, or a body.
 */
export function expectTokenOnlyInAuthorization(
  requests: ReadonlyArray<Pick<RecordedRequest, "url" | "headers"> & { body?: string }>,
  token: string,
): void {
  for (const request of requests) {
    expect(request.url.includes(token), `token in the URL ${request.url}`).toBe(false);
    expect((request.body ?? "").includes(token), "token in a request body").toBe(false);
    for (const [name, value] of Object.entries(request.headers)) {
      if (name === "authorization") expect(value).toBe(`token ${token}`);
      else expect(String(value).includes(token), `token in the ${name} header`).toBe(false);
    }
  }
}
