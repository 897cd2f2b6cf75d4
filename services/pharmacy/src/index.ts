export { mountCounterVerify, PHARMACY_HEADER, VERIFY_PARAMS } from './counter-verify.ts';
export { PHARMACY_COUNTER, pharmacyProfile, pharmacyProfileWith } from './pharmacy-profile.ts';
