/**
 * The shapes `ghpat scan` prints besides text: SARIF 2.1.0 (for GitHub code
 * scanning's upload) and GitHub Actions workflow annotations. Neither ever
 * holds a token: findings carry fingerprints and masked lines only.
 */
import { annotation } from "../workflow-commands.js";
import type { TokenType } from "../record.js";
import type { Finding } from "./finding.js";

const KIND_WORDS: Readonly<Record<TokenType, string>> = {
  classic: "classic personal access token (ghp_)",
  "fine-grained": "fine-grained personal access token (github_pat_)",
  oauth: "OAuth access token (gho_)",
  "user-to-server": "GitHub App user access token (ghu_)",
  installation: "GitHub App installation token (ghs_)",
  refresh: "GitHub App refresh token (ghr_)",
  unknown: "GitHub token",
};

export function kindWords(kind: TokenType): string {
  return KIND_WORDS[kind];
}

/** What to do about a finding, in one sentence. */
export function advice(finding: Finding): string {
  if (finding.name !== null)
    return `It is your stored token '${finding.name}': rotate it with 'ghpat rotate ${finding.name}', then remove this copy.`;
  if (finding.checksum === "invalid") return "Its checksum does not match: probably not a real token (a look-alike).";
  if (finding.live === "inactive")
    return "GitHub rejects it (401): it no longer works, but remove this copy all the same.";
  return "Revoke it where it was created (or ask its owner to), then remove this copy.";
}

export function message(finding: Finding): string {
  const where = finding.commit === null ? "" : ` (added in commit ${finding.commit.slice(0, 12)})`;
  return `A ${kindWords(finding.kind)}, ${finding.fingerprint}${where}. ${advice(finding)}`;
}

const RULE_ID = "ghpat/github-token";
const LOOK_ALIKE_RULE_ID = "ghpat/github-token-look-alike";

export interface SarifTool {
  version: string;
  informationUri: string;
}

/** A SARIF 2.1.0 log with one run; paths are relative to the repository root (`%SRCROOT%`) where they can be. */
export function sarifLog(findings: readonly Finding[], tool: SarifTool): object {
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "ghpat",
            version: tool.version,
            informationUri: tool.informationUri,
            rules: [
              {
                id: RULE_ID,
                name: "GitHubTokenInPlainText",
                shortDescription: { text: "A GitHub token in plain text" },
                fullDescription: {
                  text: "A GitHub token (ghp_, github_pat_, gho_, ghu_, ghs_, ghr_) found where it can be read; checksummed kinds passed their CRC-32 check.",
                },
                help: {
                  text: "Revoke or rotate the token (`ghpat rotate NAME` for one of yours), then remove it from the file and its history.",
                },
                defaultConfiguration: { level: "error" },
                properties: { tags: ["security", "secret"], "security-severity": "9.0", precision: "very-high" },
              },
              {
                id: LOOK_ALIKE_RULE_ID,
                name: "GitHubTokenLookAlike",
                shortDescription: { text: "A string shaped like a GitHub token whose checksum fails" },
                fullDescription: {
                  text: "Shown with --include-invalid only: probably a placeholder or a mistyped token.",
                },
                defaultConfiguration: { level: "note" },
                properties: { tags: ["security", "secret"], precision: "low" },
              },
            ],
          },
        },
        columnKind: "utf16CodeUnits",
        results: findings.map((finding) => ({
          ruleId: finding.checksum === "invalid" ? LOOK_ALIKE_RULE_ID : RULE_ID,
          ruleIndex: finding.checksum === "invalid" ? 1 : 0,
          level: finding.checksum === "invalid" ? "note" : "error",
          message: { text: message(finding) },
          locations: [
            {
              physicalLocation: {
                artifactLocation:
                  finding.source === "home" || finding.file.startsWith("/")
                    ? { uri: fileUri(finding.file) }
                    : { uri: encodeURI(finding.file.split("\\").join("/")), uriBaseId: "%SRCROOT%" },
                region: {
                  startLine: finding.line,
                  startColumn: finding.column,
                  endColumn: finding.column + tokenLengthHint(finding),
                },
              },
            },
          ],
          partialFingerprints: { "ghpatFinding/v1": `${finding.fingerprint}:${finding.file}:${finding.line}` },
          properties: {
            kind: finding.kind,
            fingerprint: finding.fingerprint,
            checksum: finding.checksum,
            ...(finding.commit === null ? {} : { commit: finding.commit }),
            ...(finding.name === null ? {} : { name: finding.name, host: finding.host }),
            ...(finding.live === undefined ? {} : { live: finding.live }),
          },
        })),
      },
    ],
  };
}

function fileUri(path: string): string {
  return `file://${encodeURI(path.split("\\").join("/"))}`;
}

/** The token's length, from its kind: what the finding does not carry. */
function tokenLengthHint(finding: Finding): number {
  return finding.kind === "fine-grained" ? 93 : 40;
}

/** `::error file=...,line=...,col=...,title=...::message`, one per finding. */
export function githubAnnotations(findings: readonly Finding[]): string[] {
  return findings.map((finding) =>
    annotation(
      finding.checksum === "invalid" ? "notice" : "error",
      {
        file: finding.file,
        line: String(finding.line),
        col: String(finding.column),
        title: finding.name === null ? "GitHub token in plain text" : `Your token '${finding.name}' in plain text`,
      },
      message(finding),
    ),
  );
}
