import { GhpatError, ExitCode } from "../errors.js";

/**
 * What ghpat accepts as the owner and mode of its index and config
 * directory, in the spirit of ssh's StrictModes:
 *
 * - owned by someone other than you (or root): refused;
 * - writable by group or others: refused, because someone else may have
 *   changed which token git is handed. ghpat never loosens or "repairs"
 *   that by itself; `chmod` or `ghpat doctor --fix` does, once you trust the
 *   content;
 * - readable by group or others: tightened to 0600 / 0700 on the spot. The
 *   index holds metadata, never a secret, so this is hygiene, not a breach,
 *   and refusing would break every git fetch for a harmless umask.
 *
 * Windows has no such mode bits; nothing is checked there.
 */
export type PermissionVerdict = { kind: "ok" } | { kind: "tighten"; mode: number } | { kind: "refuse"; reason: string };

export const INDEX_FILE_MODE = 0o600;
export const CONFIG_DIR_MODE = 0o700;

export function judgePermissions(
  info: { mode: number; uid: number },
  kind: "file" | "directory",
  ownUid: number | undefined = process.getuid?.(),
  platform: NodeJS.Platform = process.platform,
): PermissionVerdict {
  if (platform === "win32" || ownUid === undefined) return { kind: "ok" };
  if (info.uid !== ownUid && info.uid !== 0)
    return { kind: "refuse", reason: `is owned by user id ${info.uid}, not by you (${ownUid})` };
  const mode = info.mode & 0o777;
  if (mode & 0o022)
    return {
      kind: "refuse",
      reason: `is writable by ${mode & 0o020 ? (mode & 0o002 ? "group and others" : "its group") : "others"} (mode ${octal(mode)})`,
    };
  const wanted = kind === "file" ? INDEX_FILE_MODE : CONFIG_DIR_MODE;
  if (mode & 0o077) return { kind: "tighten", mode: wanted };
  return { kind: "ok" };
}

export function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, "0")}`;
}

/** Exit 2: ghpat will neither read nor write a file others may have changed. */
export class UnsafePermissionsError extends GhpatError {
  override name = "UnsafePermissionsError";
  /** `what` names any file but the index and the config directory, the two that doctor --fix repairs. */
  constructor(path: string, reason: string, kind: "file" | "directory", what?: string) {
    const doctor = what === undefined ? " (or 'ghpat doctor --fix')" : "";
    super(
      `${what ?? (kind === "file" ? "The index" : "The config directory")} ${path} ${reason}; ghpat will not trust it.`,
      {
        exitCode: ExitCode.usage,
        code: "EPERMS",
        hint: `If you trust its contents, run 'chmod ${kind === "file" ? "600" : "700"} ${path}'${reason.startsWith("is owned") ? ` as its owner, or 'chown' it to yourself` : ""}${doctor}, then try again.`,
      },
    );
  }
}
