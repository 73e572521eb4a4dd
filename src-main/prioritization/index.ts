export {
  DEFAULT_SCORE_CONFIG,
  riskScore,
  type RiskScore,
  type ScoreComponent,
  type ScoreConfig,
  type ScoreInput,
} from './score';
export {
  DEFAULT_MAX_FEED_AGE_DAYS,
  DEFAULT_SLA_DAYS,
  dueDate,
  feedFreshness,
  staleFeeds,
  type DueDate,
  type DueDateInput,
  type FeedAge,
} from './sla';
export {
  DEFAULT_SSVC_CONFIG,
  SSVC_DECISIONS,
  deployerDecision,
  ssvcDecide,
  type AssetCriticality,
  type AssetExposure,
  type SsvcConfig,
  type SsvcDecision,
  type SsvcEvidence,
  type SsvcResult,
} from './ssvc';
