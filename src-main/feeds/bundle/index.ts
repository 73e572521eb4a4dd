export { createBundle, type CreateBundleOptions, type CreateBundleResult } from './create';
export { generateBundleKeyPair, keyFingerprint, type BundleKeyPair } from './keys';
export { manifestSchema, type BundleFileEntry, type BundleManifest } from './manifest';
export {
  BUNDLE_ERROR_CODES,
  verifyBundle,
  type TrustedKey,
  type VerifiedBundle,
  type VerifyBundleOptions,
} from './verify';
export { isBundleFile, splitBundles } from './sniff';
