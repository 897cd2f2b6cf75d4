export { distributorProfile } from './distributor-profile.ts';
