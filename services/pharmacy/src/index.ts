export { mountCounterVerify, PHARMACY_HEADER, VERIFY_PARAMS } from './counter-verify.ts';
export { pharmacyProfile } from './pharmacy-profile.ts';
