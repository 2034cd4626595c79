/**
 * Every command ghpat has, in the order `ghpat --help` lists them. The
 * commander program, the fast-path bundles (one per command marked `hot`),
 * shell completion and docs/commands.md are all built from this list.
 */
import add from "../commands/add/spec.js";
import newCommand from "../commands/new/spec.js";
import list from "../commands/list/spec.js";
import status from "../commands/status/spec.js";
import remove from "../commands/remove/spec.js";
import token from "../commands/token/spec.js";
import defaultCommand from "../commands/default/spec.js";
import edit from "../commands/edit/spec.js";
import revokeReminder from "../commands/revoke-reminder/spec.js";
import remind from "../commands/remind/spec.js";
import revoke from "../commands/revoke/spec.js";
import rotate from "../commands/rotate/spec.js";
import verify from "../commands/verify/spec.js";
import completion from "../commands/completion/spec.js";
import migrate from "../commands/migrate/spec.js";
import importCommand from "../commands/import/spec.js";
import gitCredential from "../commands/git-credential/spec.js";
import setupGit from "../commands/setup-git/spec.js";
import which from "../commands/which/spec.js";
import exec from "../commands/exec/spec.js";
import scan from "../commands/scan/spec.js";
import api from "../commands/api/spec.js";
import doctor from "../commands/doctor/spec.js";
import complete from "../commands/complete/spec.js";
import type { AnyCommand } from "../commands/shared/spec.js";

export const COMMANDS: readonly AnyCommand[] = [
  add,
  newCommand,
  list,
  status,
  remove,
  token,
  defaultCommand,
  edit,
  revokeReminder,
  remind,
  revoke,
  rotate,
  verify,
  completion,
  migrate,
  importCommand,
  gitCredential,
  setupGit,
  which,
  exec,
  scan,
  api,
  doctor,
  complete,
];
