import { randomBytes } from 'node:crypto';
import { RxError, ValidationError } from '@rxledger/runtime';
import { webhookSecretBytes } from '@rxledger/verifier';
import { type Principal, requireRole } from '../../auth/principal.ts';
import type { DeliveryStore, Subscription } from './delivery-store.ts';
import { checkWebhookUrl, type WebhookUrlPolicy } from './webhook-url.ts';

/** Webhooks one party may have at once. */
export const MAX_WEBHOOKS_PER_PARTY = 10;

/** A subscription as its owner sees it: never its secret. */
export interface SubscriptionView {
  id: string;
  url: string;
  hasSecret: boolean;
  createdAt: string;
  pending: number;
  failed: number;
  /** Why the latest failed attempt failed, while something is undelivered (the endpoint's owner debugs with it). */
  lastError?: string;
}

/**
 * Webhook subscriptions, each owned by the party of the token that made it: a partner is told about
 * the alerts whose audience names its GLN, a regulator about every alert. Pharmacists follow the
 * stream instead (their token stands for a counter, not for a system that receives calls).
 */
export class WebhookSubscriptions {
  constructor(
    private readonly store: DeliveryStore,
    private readonly policy: WebhookUrlPolicy,
    private readonly now: () => number,
  ) {}

  /** Registers `{ url, secret? }`; 400 naming the field when either is unfit, 409 past the bound. */
  add(principal: Principal, input: unknown): SubscriptionView {
    const party = ownerOf(principal);
    const body = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
    const url = checkWebhookUrl(body.url, this.policy);
    const secret = body.secret === undefined ? null : checkSecret(body.secret);
    const extra = Object.keys(body).filter((k) => k !== 'url' && k !== 'secret');
    if (extra.length > 0)
      throw new ValidationError(extra.map((field) => ({ field, reason: 'unknown field' })));
    if (this.store.subscriptionCount(party) >= MAX_WEBHOOKS_PER_PARTY) {
      throw new RxError(
        'TOO_MANY_WEBHOOKS',
        `a party may have ${MAX_WEBHOOKS_PER_PARTY} webhooks; delete one first`,
        {
          status: 409,
        },
      );
    }
    const sub: Subscription = {
      id: `wh_${randomBytes(12).toString('hex')}`,
      party,
      url: url.href,
      secret,
      createdAt: this.now(),
    };
    this.store.addSubscription(sub);
    return this.#view(sub);
  }

  list(principal: Principal): SubscriptionView[] {
    return this.store.subscriptionsOf(ownerOf(principal)).map((s) => this.#view(s));
  }

  /** Deletes one of the principal's own webhooks with what is still queued for it; 404 otherwise. */
  remove(principal: Principal, id: string): void {
    if (!this.store.removeSubscription(id, ownerOf(principal))) {
      throw new RxError('NOT_FOUND', `no webhook ${id.slice(0, 40)} of this party`, { status: 404 });
    }
  }

  #view(s: Subscription): SubscriptionView {
    return {
      id: s.id,
      url: s.url,
      hasSecret: s.secret !== null,
      createdAt: new Date(s.createdAt).toISOString(),
      ...this.store.outboxCounts(s.id),
      lastError: this.store.lastError(s.id),
    };
  }
}

/** The party a principal's webhooks belong to: its GLN, or '*' for a regulator. */
function ownerOf(principal: Principal): string {
  requireRole(principal, ['partner', 'regulator'], 'alert webhooks');
  return principal.role === 'regulator' ? '*' : principal.glns[0]!;
}

function checkSecret(secret: unknown): string {
  try {
    if (typeof secret !== 'string') throw new RangeError('secret: must be a string');
    webhookSecretBytes(secret);
    return secret;
  } catch (err) {
    throw new ValidationError([{ field: 'secret', reason: (err as Error).message.replace(/^secret: /, '') }]);
  }
}
