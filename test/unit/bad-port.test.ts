import { describe, expect, it } from "vitest";
import { blockedPort } from "../../src/github/api-errors.js";

describe("blockedPort", () => {
  it("names the ports the Fetch standard blocks, and no others", () => {
    expect(blockedPort("http://127.0.0.1:6000")).toBe(6000);
    expect(blockedPort("http://127.0.0.1:9/api/v3")).toBe(9);
    expect(blockedPort("https://ghe.example.com:10080")).toBe(10080);
    expect(blockedPort("http://127.0.0.1:8080")).toBeNull();
    expect(blockedPort("https://api.github.com")).toBeNull();
    expect(blockedPort("http://localhost")).toBeNull();
    expect(blockedPort("not a url")).toBeNull();
    expect(blockedPort(undefined)).toBeNull();
  });
});
