export { manufacturerProfile } from './manufacturer-profile.ts';
