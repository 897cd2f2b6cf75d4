// The network simulator and the answer-quality check: `rxledger simulate`, `rxledger quality`, and the
// living demo under `npm start`.
export { answerIsDue, checkQuality, formatQuality, type QualityReport, verifyPack } from './check-quality.ts';
export {
  checkCounterQuality,
  type CounterReport,
  counterVerify,
  formatAlerts,
  type ListedAlert,
  readAlerts,
} from './counter-quality.ts';
export { type GroundTruth, readGroundTruth, type Showcase, type TruthPack } from './ground-truth.ts';
export { planSimulation, type SimPlan } from './plan-simulation.ts';
export type { Progress } from './post-uploads.ts';
export { type Mess, NO_MESS, runRounds, scanOf, showcaseLines } from './run-rounds.ts';
export { runSimulation } from './run-simulation.ts';
export type { IncidentKind, SimOptions } from './sim-book.ts';
export { networkFrom, readNetwork, type SimAccess, type SimNetwork } from './sim-network.ts';
