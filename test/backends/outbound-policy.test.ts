// The outbound policy for OAuth2 provider requests (src/backends/outbound-policy.ts):
// which URLs and addresses a provider may point at, judged as the WHATWG URL
// parser and the resolver see them. Pure functions; no request is sent.
import { describe, expect, it } from 'vitest';
import { addressProblem, outboundPolicy, OutboundRefused, resolveChecked, urlProblem } from '../../src/backends/outbound-policy.ts';

const production = outboundPolicy({ production: true, allowedPrivateHosts: [] });
const development = outboundPolicy({ production: false, allowedPrivateHosts: [] });

describe('addresses', () => {
  it.each([
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd00::1', 'private'],
    ['127.0.0.2', 'loopback'],
    ['::1', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    // IPv6 forms that carry (and route to) an internal IPv4 address.
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:7f00:1', 'loopback'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:c0a8:1::', 'private'],
  ])('%s is refused in production as %s', (address, kind) => {
    expect(addressProblem(production, address)).toContain(`a ${kind} address`.replace('a unspecified', 'an unspecified'));
  });

  it('allows public addresses, and loopback only outside production', () => {
    for (const address of ['8.8.8.8', '2001:4860:4860::8888', '172.32.0.1', '64:ff9b::808:808']) expect(addressProblem(production, address), address).toBeUndefined();
    expect(addressProblem(development, '127.0.0.1')).toBeUndefined();
    expect(addressProblem(development, '10.0.0.1')).toContain('private');
  });

  it('allows what OAUTH2_ALLOWED_PRIVATE_HOSTS lists, IPv4-mapped forms included', () => {
    const policy = outboundPolicy({ production: true, allowedPrivateHosts: ['10.20.0.0/16', 'fd00::/8', '127.0.0.1'] });
    for (const address of ['10.20.1.1', '::ffff:10.20.1.1', 'fd00::5', '127.0.0.1']) expect(addressProblem(policy, address), address).toBeUndefined();
    for (const address of ['10.21.0.1', '127.0.0.2', '169.254.169.254']) expect(addressProblem(policy, address), address).toBeDefined();
  });
});

describe('URLs', () => {
  it('reads the host as the URL parser does: decimal, octal, hex and short IPv4 forms are the address they spell', () => {
    for (const url of ['https://2130706433/', 'https://0x7f.1/', 'https://0177.0.0.1/', 'https://127.1/', 'https://[::ffff:127.0.0.1]/']) {
      expect(urlProblem(production, url), url).toMatch(/127\.0\.0\.1\)?, a loopback address/);
    }
    expect(urlProblem(production, 'https://0xa9.0xfe.0xa9.0xfe/')).toContain('169.254.169.254, a link-local address');
  });

  it('refuses userinfo, controls, backslashes and fragments, and plain http except to loopback outside production', () => {
    for (const url of ['https://user:pw@idp.example/', 'https://@idp.example/', 'https://idp.example\\@evil/', 'https://idp.example/\r\n', 'https://idp.example/#x', 'ftp://idp.example/']) {
      expect(urlProblem(development, url), JSON.stringify(url)).toBeDefined();
    }
    expect(urlProblem(development, 'http://idp.example/')).toContain('https');
    expect(urlProblem(development, 'http://127.0.0.1:8080/')).toBeUndefined();
    expect(urlProblem(development, 'http://localhost:8080/')).toBeUndefined();
    expect(urlProblem(production, 'http://localhost:8080/')).toBeDefined();
    expect(urlProblem(production, 'https://idp.example/realms/x')).toBeUndefined();
  });
});

describe('resolving at request time', () => {
  const resolver = (addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));

  it('refuses a name when any address it resolves to is internal', async () => {
    const policy = outboundPolicy({ production: true, allowedPrivateHosts: [], resolve: resolver(['8.8.8.8', '10.0.0.1']) });
    await expect(resolveChecked(policy, 'idp.example')).rejects.toBeInstanceOf(OutboundRefused);
    await expect(resolveChecked(policy, 'idp.example')).rejects.toThrow('idp.example resolves to 10.0.0.1, a private address');
  });

  it('returns the checked addresses, and trusts a listed name whatever it resolves to', async () => {
    const internal = outboundPolicy({ production: true, allowedPrivateHosts: ['idp.corp'], resolve: resolver(['10.0.0.1']) });
    expect(await resolveChecked(internal, 'IDP.corp')).toEqual([{ address: '10.0.0.1', family: 4 }]);
    const refused = outboundPolicy({ production: true, allowedPrivateHosts: [], resolve: resolver([]) });
    await expect(resolveChecked(refused, 'idp.example')).rejects.toBeInstanceOf(OutboundRefused);
  });
});
