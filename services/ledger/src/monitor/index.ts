// Split-view detection: follows ledger nodes' checkpoints and proves forks (DESIGN.md §5, "Split-view detection").
export { type CheckpointSource, httpCheckpointSource, SourceError } from './checkpoint-source.ts';
export { createPeerWatch, type Peer, parsePeers, storeSource } from './peer-monitor.ts';
export { EVIDENCE_KIND, evidenceJson, type Inconsistency, writeEvidence } from './split-view-evidence.ts';
export { splitViewMetrics } from './split-view-metrics.ts';
export {
  createSplitViewMonitor,
  type MonitorEvent,
  SPLIT_VIEW_ALARM,
  type SplitViewMonitor,
  type SplitViewMonitorOptions,
} from './split-view-monitor.ts';
