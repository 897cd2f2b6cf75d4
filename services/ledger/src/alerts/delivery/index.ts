// Alert delivery (issue 18): webhooks with a durable outbox and the server-sent event stream, fed by
// publish(notice) from the alert fold.
export { type AlertDelivery, type AlertDeliveryOptions, createAlertDelivery } from './alert-delivery.ts';
export { inAudience } from './alert-stream.ts';
export type { RetryPolicy } from './outbox-dispatcher.ts';
export type { SubscriptionView } from './webhook-subscriptions.ts';
export type { WebhookUrlPolicy } from './webhook-url.ts';
