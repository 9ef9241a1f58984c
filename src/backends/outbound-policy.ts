// Which addresses the gateway may send an OAuth2 request to (the SSRF rule of
// docs/oauth2-and-pools.md, "Provider URLs and SSRF"). Provider URLs come from
// admins but are fetched whenever any user connects, and discovery can hand
// back further URLs, so every URL is checked when a provider is saved and
// every address again when a request connects (guarded-fetch.ts): https only,
// no userinfo, and no loopback, private, link-local, unspecified, multicast or
// reserved target unless OAUTH2_ALLOWED_PRIVATE_HOSTS names it. Outside
// production, loopback (and plain http to it) is allowed for development and
// tests. Hosts are read through the WHATWG URL parser first, so decimal, octal
// and short IPv4 forms (`http://2130706433/`, `http://0x7f.1/`) are checked as
// the address they are.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { isLoopbackName } from '../loopback.ts';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** All addresses of a host name; the default is `dns.lookup(name, { all: true })`, tests inject their own. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundPolicy {
  /** In production loopback is refused like any other internal address. */
  readonly production: boolean;
  /** Host names from OAUTH2_ALLOWED_PRIVATE_HOSTS: allowed whatever they resolve to, and over plain http. */
  readonly allowedNames: ReadonlySet<string>;
  /** Addresses and CIDRs from OAUTH2_ALLOWED_PRIVATE_HOSTS. */
  readonly allowedNets: BlockList;
  readonly resolve: Resolver;
}

/** A request the policy refuses; the message names the host and why, for admins and logs only. */
export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefused';
  }
}

const defaultResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));

/** `allowedPrivateHosts` is the validated OAUTH2_ALLOWED_PRIVATE_HOSTS list (src/config.ts). */
export function outboundPolicy(options: { production: boolean; allowedPrivateHosts: readonly string[]; resolve?: Resolver | undefined }): OutboundPolicy {
  const allowedNames = new Set<string>();
  const allowedNets = new BlockList();
  for (const entry of options.allowedPrivateHosts) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    if (family === 0) allowedNames.add(entry.toLowerCase());
    else if (prefix === undefined) allowedNets.addAddress(address, family === 6 ? 'ipv6' : 'ipv4');
    else allowedNets.addSubnet(address, Number(prefix), family === 6 ? 'ipv6' : 'ipv4');
  }
  return { production: options.production, allowedNames, allowedNets, resolve: options.resolve ?? defaultResolver };
}

// ---------------------------------------------------------------------------
// Address classes

type AddressClass = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

const CLASSES: Array<[AddressClass, Array<[string, number, 'ipv4' | 'ipv6']>]> = [
  ['unspecified', [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']]],
  ['loopback', [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']]],
  ['link-local', [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']]],
  [
    'private',
    [
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'], // carrier-grade NAT, often cloud-internal
      ['192.0.0.0', 24, 'ipv4'],
      ['198.18.0.0', 15, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
      ['fec0::', 10, 'ipv6'],
    ],
  ],
  ['multicast', [['224.0.0.0', 4, 'ipv4'], ['ff00::', 8, 'ipv6']]],
  ['reserved', [['240.0.0.0', 4, 'ipv4'], ['::', 96, 'ipv6'], ['100::', 64, 'ipv6']]],
];

const CLASS_LISTS = CLASSES.map(([name, ranges]) => {
  const list = new BlockList();
  for (const [network, prefix, type] of ranges) list.addSubnet(network, prefix, type);
  return [name, list] as const;
});

/** The eight 16-bit groups of an IPv6 address (zone dropped), or undefined when it is not one. */
function hextets(address: string): number[] | undefined {
  let text = address.toLowerCase().replace(/%.*$/, '');
  if (isIP(text) !== 6) return undefined;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const middle = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((group) => Number.parseInt(group, 16));
}

/**
 * The IPv4 address an IPv6 one carries and routes to: IPv4-mapped
 * (`::ffff:a.b.c.d`), NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`).
 */
function embeddedIPv4(address: string): string | undefined {
  const groups = hextets(address);
  if (!groups) return undefined;
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6] ?? 0, groups[7] ?? 0);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6] ?? 0, groups[7] ?? 0);
  if (groups[0] === 0x2002) return v4(groups[1] ?? 0, groups[2] ?? 0);
  return undefined;
}

/** The address an IP is judged as: an IPv6 address carrying an IPv4 one is judged as that IPv4 address. */
function judged(bare: string): { address: string; type: 'ipv4' | 'ipv6' } {
  if (isIP(bare) === 4) return { address: bare, type: 'ipv4' };
  const embedded = embeddedIPv4(bare);
  return embedded === undefined ? { address: bare, type: 'ipv6' } : { address: embedded, type: 'ipv4' };
}

function classify(bare: string): AddressClass | undefined {
  const { address, type } = judged(bare);
  return CLASS_LISTS.find(([, list]) => list.check(address, type))?.[0];
}

const isAllowedAddress = (policy: OutboundPolicy, bare: string) => {
  const { address, type } = judged(bare);
  return policy.allowedNets.check(address, type) || policy.allowedNets.check(bare, isIP(bare) === 6 ? 'ipv6' : 'ipv4');
};

/** Why an IP address may not be connected to, or undefined when it may. */
export function addressProblem(policy: OutboundPolicy, address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(bare) === 0) return `${address} is not an IP address`;
  const kind = classify(bare);
  if (kind === undefined || isAllowedAddress(policy, bare)) return undefined;
  if (kind === 'loopback' && !policy.production) return undefined;
  const { address: carried } = judged(bare);
  return `${bare}${carried === bare ? '' : ` (${carried})`}, ${kind === 'unspecified' ? 'an' : 'a'} ${kind} address`;
}

// ---------------------------------------------------------------------------
// URLs

/** Controls, raw or percent-encoded, and backslashes: what the URL parser would silently repair. */
const UNREPAIRED = /[\p{Cc}\\]|%(?:[01][0-9a-f]|7f)/iu;
/** Userinfo in the authority, even an empty one (`https://@host/`). */
const USERINFO = /^[a-z][a-z0-9+.-]*:\/*[^/?#]*@/i;

/** The IP address a URL's host is written as (after the parser's normalisation), if it is one. */
export function hostAddress(url: URL): string | undefined {
  const bare = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(bare) === 0 ? undefined : bare;
}

/** Whether OAUTH2_ALLOWED_PRIVATE_HOSTS names this URL's host. */
function isAllowedHost(policy: OutboundPolicy, url: URL): boolean {
  const address = hostAddress(url);
  return address === undefined ? policy.allowedNames.has(url.hostname) : isAllowedAddress(policy, address);
}

/**
 * Why a provider URL may not be used, or undefined when it may: the check at
 * provider create/update, and before every request. Host names are not
 * resolved here; their addresses are checked when a request connects.
 */
export function urlProblem(policy: OutboundPolicy, value: string | URL): string | undefined {
  const raw = typeof value === 'string' ? value : value.href;
  if (UNREPAIRED.test(raw)) return 'must not contain control characters or backslashes';
  if (USERINFO.test(raw)) return 'must not contain userinfo (user:password@)';
  if (!URL.canParse(raw)) return 'is not a valid URL';
  const url = new URL(raw);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must use https';
  if (url.username !== '' || url.password !== '') return 'must not contain userinfo (user:password@)';
  if (url.hash !== '') return 'must not have a fragment';

  const address = hostAddress(url);
  const loopback = address === undefined ? isLoopbackName(url.hostname) : classify(address) === 'loopback';
  if (address !== undefined) {
    const problem = addressProblem(policy, address);
    if (problem) return `must not point at ${problem} (unless OAUTH2_ALLOWED_PRIVATE_HOSTS lists it)`;
  } else if (loopback && policy.production && !isAllowedHost(policy, url)) {
    return `must not point at ${url.hostname}, a loopback name (unless OAUTH2_ALLOWED_PRIVATE_HOSTS lists it)`;
  }
  if (url.protocol === 'http:' && !((loopback && !policy.production) || isAllowedHost(policy, url))) {
    return policy.production
      ? 'must use https (plain http only to a host OAUTH2_ALLOWED_PRIVATE_HOSTS lists)'
      : 'must use https (plain http is only accepted on loopback)';
  }
  return undefined;
}

/** Whether oauth4webapi may be told to send this request over plain http (the policy already allowed it). */
export function allowsPlainHttp(policy: OutboundPolicy, url: URL): boolean {
  return url.protocol === 'http:' && urlProblem(policy, url) === undefined;
}

/**
 * The addresses a host name resolves to, every one of them checked: the
 * connection is then made to exactly these (guarded-fetch.ts), so a name
 * that resolves to a public address when the provider is saved and to an
 * internal one later (DNS rebinding) is still refused.
 */
export async function resolveChecked(policy: OutboundPolicy, hostname: string): Promise<ResolvedAddress[]> {
  const name = hostname.toLowerCase();
  // A resolver failure (NXDOMAIN, a timeout) propagates as it is: the provider could not be reached.
  const addresses = await policy.resolve(name);
  if (addresses.length === 0) throw new OutboundRefused(`${name} has no address`);
  if (policy.allowedNames.has(name)) return addresses;
  for (const { address } of addresses) {
    const problem = addressProblem(policy, address);
    if (problem) throw new OutboundRefused(`${name} resolves to ${problem}`);
  }
  return addresses;
}
