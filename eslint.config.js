import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    files: ["**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            { name: "readline", message: "Splits on CR and U+2028: split on LF yourself (docs/design.md section 4)." },
            {
              name: "node:readline",
              message: "Splits on CR and U+2028: split on LF yourself (docs/design.md section 4).",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/commands/**/*.ts", "src/core/**/*.ts", "src/storage/**/*.ts", "src/github/**/*.ts"],
    rules: {
      "no-restricted-properties": [
        "error",
        { object: "process", property: "exit", message: "Throw a GhpatError; the exit code is set in one place." },
      ],
    },
  },
  {
    files: ["bin/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", process: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly" } },
  },
);
