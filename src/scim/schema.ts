// The SCIM User as the gateway serves it: schema URNs, the attributes it
// keeps (RFC 7643 §4.1 and §7 definitions, served by /Schemas), the ones it
// accepts and ignores, and case-insensitive attribute names (RFC 7643 §2.1:
// attribute names are case insensitive).

export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GATEWAY_USER = 'urn:identity-gateway:params:scim:schemas:extension:gateway:2.0:User';
export const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface AttributeDefinition {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'dateTime' | 'reference';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  subAttributes?: AttributeDefinition[];
}

const attribute = (name: string, description: string, options: Partial<AttributeDefinition> = {}): AttributeDefinition => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...options,
});

/** The core User attributes the gateway keeps; everything else of RFC 7643's User is accepted and ignored. */
export const CORE_ATTRIBUTES: AttributeDefinition[] = [
  attribute('userName', 'The identity provider\'s unique name for the user (an email or UPN); unique ignoring case. The gateway username is derived from it.', {
    required: true,
    uniqueness: 'server',
  }),
  attribute('name', 'The user\'s name, sent to Retool (first and last name) and Forgejo (full name).', {
    type: 'complex',
    subAttributes: [
      attribute('formatted', 'Given and family name together; read only (derived).', { mutability: 'readOnly' }),
      attribute('familyName', 'Family name (1-200 characters).'),
      attribute('givenName', 'Given name (1-200 characters).'),
    ],
  }),
  attribute('displayName', 'The name shown for the user (1-200 characters); Forgejo\'s full name.'),
  attribute('active', 'False disables the user and every account the gateway owns for it; true enables them.', { type: 'boolean' }),
  attribute('emails', 'The user\'s email: the primary one (or the first) is the gateway\'s email; an email cannot be removed.', {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attribute('value', 'The email address.'),
      attribute('type', 'Always "work".'),
      attribute('primary', 'Always true: the gateway keeps one email.', { type: 'boolean' }),
    ],
  }),
];

export const GATEWAY_ATTRIBUTES: AttributeDefinition[] = [
  attribute('username', 'The gateway and Forgejo username: derived from userName when not sent on create; never changes.', {
    mutability: 'immutable',
    uniqueness: 'server',
  }),
  attribute('accounts', 'The user\'s backend accounts and the outcome of their provisioning.', {
    type: 'complex',
    multiValued: true,
    mutability: 'readOnly',
    subAttributes: [
      attribute('backend', 'RETOOL or FORGE.', { mutability: 'readOnly', caseExact: true }),
      attribute('status', 'PENDING, ACTIVE, DISABLED, FAILED or CONFLICT.', { mutability: 'readOnly', caseExact: true }),
      attribute('ownership', 'CREATED or ADOPTED; absent until proven.', { mutability: 'readOnly', caseExact: true }),
      attribute('externalId', 'The account\'s id in its backend.', { mutability: 'readOnly', caseExact: true }),
      attribute('error', 'The backend\'s last error, while the account is FAILED or CONFLICT.', { mutability: 'readOnly' }),
      attribute('nextAttemptAt', 'When a FAILED account is retried.', { type: 'dateTime', mutability: 'readOnly' }),
    ],
  }),
];

/** RFC 7643 §4.1 User attributes the gateway does not keep: accepted in requests, never returned. */
const IGNORED_CORE = [
  'nickName',
  'profileUrl',
  'title',
  'userType',
  'preferredLanguage',
  'locale',
  'timezone',
  'password',
  'phoneNumbers',
  'ims',
  'photos',
  'addresses',
  'groups',
  'entitlements',
  'roles',
  'x509Certificates',
];

/** Sub-attributes of `name` the gateway accepts and ignores. */
const IGNORED_NAME = ['middleName', 'honorificPrefix', 'honorificSuffix'];

export type AttributeKind = 'kept' | 'ignored' | 'readOnly' | 'unknown';

const canonical = new Map<string, string>();
for (const name of ['id', 'externalId', 'meta', 'schemas', ...CORE_ATTRIBUTES.map((a) => a.name), ...IGNORED_CORE]) canonical.set(name.toLowerCase(), name);
const SUB_ATTRIBUTES: Record<string, string[]> = {
  name: ['formatted', 'familyName', 'givenName', ...IGNORED_NAME],
  emails: ['value', 'type', 'primary', 'display'],
  meta: ['resourceType', 'created', 'lastModified', 'location', 'version'],
};
const canonicalSub = new Map<string, string>();
for (const names of Object.values(SUB_ATTRIBUTES)) for (const name of names) canonicalSub.set(name.toLowerCase(), name);
for (const attr of GATEWAY_ATTRIBUTES) {
  canonicalSub.set(attr.name.toLowerCase(), attr.name);
  for (const sub of attr.subAttributes ?? []) canonicalSub.set(sub.name.toLowerCase(), sub.name);
}

/** A top-level core attribute name as the gateway spells it, or the name itself when it is unknown. */
export const canonicalAttribute = (name: string) => canonical.get(name.toLowerCase()) ?? name;
/** A sub-attribute name (of name, emails, meta or the gateway extension) as the gateway spells it. */
export const canonicalSubAttribute = (name: string) => canonicalSub.get(name.toLowerCase()) ?? name;

/** The schema URN a name is, ignoring case, if it is one the gateway knows. */
export function knownSchema(name: string): string | undefined {
  return [CORE_USER, ENTERPRISE_USER, GATEWAY_USER].find((urn) => urn.toLowerCase() === name.toLowerCase());
}

/**
 * Splits `urn:...:User:attr.sub` into its schema and the attribute path;
 * a path without a URN is a core attribute path.
 */
export function splitSchema(path: string): { schema: string; rest: string } | undefined {
  if (!/^urn:/i.test(path)) return { schema: CORE_USER, rest: path };
  for (const urn of [CORE_USER, ENTERPRISE_USER, GATEWAY_USER]) {
    if (path.toLowerCase() === urn.toLowerCase()) return { schema: urn, rest: '' };
    if (path.toLowerCase().startsWith(`${urn.toLowerCase()}:`)) return { schema: urn, rest: path.slice(urn.length + 1) };
  }
  return undefined;
}

/** What a request may do with a top-level attribute of a schema. */
export function attributeKind(schema: string, name: string): AttributeKind {
  if (schema === ENTERPRISE_USER) return 'ignored';
  if (schema === GATEWAY_USER) {
    const attr = canonicalSubAttribute(name);
    if (attr === 'username') return 'kept';
    return attr === 'accounts' ? 'readOnly' : 'unknown';
  }
  const attr = canonicalAttribute(name);
  if (attr === 'id' || attr === 'meta' || attr === 'schemas') return 'readOnly';
  if (attr === 'externalId' || CORE_ATTRIBUTES.some((a) => a.name === attr)) return 'kept';
  return IGNORED_CORE.includes(attr) ? 'ignored' : 'unknown';
}

/** Whether `sub` is a sub-attribute of the core attribute `parent` (kept or ignored). */
export function isSubAttribute(parent: string, sub: string): boolean {
  return (SUB_ATTRIBUTES[parent] ?? []).includes(canonicalSubAttribute(sub));
}

/** Whether a name sub-attribute is one the gateway accepts but does not keep. */
export const isIgnoredNamePart = (sub: string) => IGNORED_NAME.includes(canonicalSubAttribute(sub));
