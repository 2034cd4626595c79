import type { FlagSpec } from "./spec.js";

/** A flag's value from its text, or the reason the text does not fit (the commander program and the fast-path parser share this). */
export function flagValue(flag: FlagSpec, text: string): { value: string | number } | { problem: string } {
  switch (flag.type) {
    case "whole-number": {
      const n = Number(text);
      return Number.isInteger(n) && n >= 0 && text.trim() !== ""
        ? { value: n }
        : { problem: "Expected a whole number." };
    }
    case "seconds": {
      const n = Number(text);
      return Number.isFinite(n) && n > 0
        ? { value: Math.round(n * 1000) }
        : { problem: "Expected a number of seconds greater than 0." };
    }
    case "string":
      return flag.choices && !flag.choices.includes(text)
        ? { problem: `Allowed choices are ${flag.choices.join(", ")}.` }
        : { value: text };
    default:
      return { value: text };
  }
}
