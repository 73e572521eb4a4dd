export { parseCve5, type Cve5Item, type Cve5Meta, type Cve5Record, type Cve5Ssvc } from './cve5';
export { detectFeedKind, detectFeedKindFromText, detectFeedKindOfFile } from './detect';
export { parseEpss, type EpssItem, type EpssMeta, type EpssRecord } from './epss';
export { FEED_ERROR_CODES } from './errors';
export { parseKev, type KevItem, type KevMeta, type KevRecord } from './kev';
export { parseNvd, type NvdCvss, type NvdItem, type NvdMeta, type NvdRecord } from './nvd';
export {
  parseFeed,
  parseFeedFile,
  pumpFeed,
  type FeedItem,
  type FeedMeta,
  type FeedRecord,
  type FeedSinkResult,
} from './parse';
export { FEED_KINDS, type CvssScore, type FeedKind, type ParseOptions } from './types';
