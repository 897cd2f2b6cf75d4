export * from './cbv.ts';
export * from './event-id.ts';
