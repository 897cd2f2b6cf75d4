import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ValidationError } from '@rxledger/runtime';

/** Where webhooks may go. By default: any public address, never this node's own networks. */
export interface WebhookUrlPolicy {
  /** Host names or IP literals webhooks may go to; when given, no other host is accepted, and these are trusted. */
  allowHosts?: readonly string[];
  /** Let webhooks reach loopback and private addresses (tests, a closed network). Link-local never. */
  allowPrivateNetworks?: boolean;
}

export const MAX_WEBHOOK_URL_LENGTH = 2048;

// Never reachable unless a host is allowlisted by name: link-local (cloud metadata at 169.254.169.254 and
// fd00:ec2::254 is link-local or ULA), unspecified, multicast, reserved, and NAT64 (IPv4 behind a
// prefix). IPv4-mapped IPv6 (::ffff:a.b.c.d) needs no rule: BlockList judges it by the IPv4 rules.
const NEVER = blockList([
  ['0.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['fd00:ec2::254', 128, 'ipv6'],
]);
// This node's own side of the network: reachable only with allowPrivateNetworks.
const PRIVATE = blockList([
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['::1', 128, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
]);

function blockList(ranges: [string, number, 'ipv4' | 'ipv6'][]): BlockList {
  const list = new BlockList();
  for (const [net, prefix, family] of ranges) list.addSubnet(net, prefix, family);
  return list;
}

/**
 * A subscription's URL, checked: http or https, at most 2,048 characters, no credentials or fragment,
 * and a host the policy allows (an IP literal is checked now; a name when each delivery resolves it).
 * Throws a ValidationError on field `url` saying why.
 */
export function checkWebhookUrl(raw: unknown, policy: WebhookUrlPolicy): URL {
  const refuse = (reason: string) => new ValidationError([{ field: 'url', reason }]);
  if (typeof raw !== 'string' || raw.length === 0) throw refuse('required: an http or https URL');
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw refuse(`longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse('must be http or https');
  if (url.username || url.password) throw refuse('must not carry credentials; use the secret field');
  if (url.hash) throw refuse('must not have a fragment');
  const host = hostOf(url);
  if (policy.allowHosts) {
    if (!policy.allowHosts.some((h) => h.toLowerCase() === host))
      throw refuse(`host ${host} is not in the allowlist`);
    return url;
  }
  if (isIP(host)) {
    const why = addressRefusal(host, policy);
    if (why) throw refuse(why);
  } else if (!policy.allowPrivateNetworks && (host === 'localhost' || host.endsWith('.localhost'))) {
    throw refuse('must not point at this machine');
  }
  return url;
}

/** The URL's host without IPv6 brackets, lower case. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** Why `address` may not receive webhooks under `policy`, or undefined when it may. */
export function addressRefusal(address: string, policy: WebhookUrlPolicy): string | undefined {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  if (NEVER.check(address, family)) return `address ${address} is link-local, reserved or unspecified`;
  if (!policy.allowPrivateNetworks && PRIVATE.check(address, family)) {
    return `address ${address} is loopback or private`;
  }
  return undefined;
}

/**
 * The address to connect to for `url`: resolved once and checked, so that a name cannot pass the
 * check and then resolve elsewhere for the connection (DNS rebinding). Every resolved address must
 * pass: a name with one private address among public ones is refused.
 */
export async function resolveWebhookAddress(url: URL, policy: WebhookUrlPolicy): Promise<string> {
  const host = hostOf(url);
  const trusted = policy.allowHosts?.some((h) => h.toLowerCase() === host) ?? false;
  if (policy.allowHosts && !trusted) throw new Error(`host ${host} is no longer in the allowlist`);
  const addresses = isIP(host)
    ? [host]
    : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  if (addresses.length === 0) throw new Error(`host ${host} has no address`);
  if (!trusted) {
    for (const a of addresses) {
      const why = addressRefusal(a, policy);
      if (why) throw new Error(`host ${host}: ${why}`);
    }
  }
  return addresses[0]!;
}
