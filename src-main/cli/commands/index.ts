import type { Command } from '../command';
import { approvalCommands } from './approvals';
import { assetsMergeCommand } from './assets-merge';
import { auditExportCommand } from './audit-export';
import { draftChangeCommands } from './draft-changes';
import { findingsDecideCommand } from './findings-decide';
import { findingsViewCommands } from './findings-views';
import { hostsFromAssetsCommand } from './hosts-from-assets';
import { pushControlCommands } from './push-control';
import { feedCommands } from './feeds';
import { importCommands } from './import';
import { operatorCommands } from './operators';
import { operatorTotpCommands } from './operator-totp';
import { patchDraftCommands } from './patch-drafts';
import { draftCommands } from './drafts';
import { pushCommands } from './push';
import { credentialCommands } from './credentials';
import { reportCommand } from './report';
import { demoCommand } from './demo';
import { opsCommands } from './ops';
import { vaultCommands } from './vault';
import { vaultSettingsCommand } from './vault-settings';

/** Every CLI command; each domain appends its own. */
export const commands: Command[] = [
  ...vaultCommands,
  vaultSettingsCommand,
  auditExportCommand,
  ...operatorCommands,
  ...operatorTotpCommands,
  ...draftCommands,
  ...draftChangeCommands,
  ...patchDraftCommands,
  ...pushCommands,
  ...credentialCommands,
  hostsFromAssetsCommand,
  ...approvalCommands,
  ...pushControlCommands,
  ...importCommands,
  findingsDecideCommand,
  ...findingsViewCommands,
  ...feedCommands,
  assetsMergeCommand,
  reportCommand,
  demoCommand,
  ...opsCommands,
];
