export * from './cbv.ts';
