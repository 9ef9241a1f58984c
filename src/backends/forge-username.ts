// Forgejo's rules for a login name, so the gateway refuses what Forgejo would
// refuse before anything is sent (docs/backends.md, "Forgejo usernames").
// From Forgejo's own source: modules/validation/helpers.go (IsValidUsername),
// modules/structs/admin_user.go (CreateUserOption.Username: MaxSize(40)),
// models/user/user.go (reservedUsernames, reservedUserPatterns) and
// models/db/name.go (IsUsableName: compared lower-cased and trimmed).

const MAX_LENGTH = 40;
// Dots are allowed: ALLOW_DOTS_IN_USERNAMES defaults to true.
const VALID = /^[\da-zA-Z][-.\w]*$/;
// "No consecutive or trailing non-alphanumeric chars".
const INVALID = /[-._]{2,}|[-._]$/;

const RESERVED = new Set([
  '.',
  '..',
  '-',
  '.well-known',
  'api',
  'metrics',
  'v2',
  'assets',
  'attachments',
  'avatar',
  'avatars',
  'repo-avatars',
  'captcha',
  'login',
  'org',
  'repo',
  'user',
  'admin',
  'devtest',
  'explore',
  'issues',
  'pulls',
  'milestones',
  'notifications',
  'report_abuse',
  'favicon.ico',
  'manifest.json',
  'robots.txt',
  'sitemap.xml',
  'ssh_info',
  'swagger.v1.json',
  'ghost',
  'gitea-actions',
  'forgejo-actions',
]);

// Paths the `/{username}` handler serves for every user (keys, feeds, avatar).
const RESERVED_SUFFIXES = ['.keys', '.gpg', '.rss', '.atom', '.png'];

/** Why Forgejo would refuse `username`, or undefined when it would take it. */
export function forgeUsernameProblem(username: string): string | undefined {
  if (username.length === 0 || [...username].length > MAX_LENGTH) return `must be 1-${MAX_LENGTH} characters`;
  if (!VALID.test(username)) return 'may hold only letters, digits, "-", "_" and ".", and must start with a letter or digit';
  if (INVALID.test(username)) return 'may not have two separators ("-", "_", ".") in a row or end with one';
  const lower = username.trim().toLowerCase();
  if (RESERVED.has(lower)) return `"${lower}" is reserved by Forgejo`;
  const suffix = RESERVED_SUFFIXES.find((s) => lower.endsWith(s));
  if (suffix) return `may not end in "${suffix}" (reserved by Forgejo)`;
  return undefined;
}
