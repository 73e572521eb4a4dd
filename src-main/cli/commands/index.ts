import type { Command } from '../command';
import { auditExportCommand } from './audit-export';
import { feedCommands } from './feeds';
import { importCommands } from './import';
import { operatorCommands } from './operators';
import { draftCommands } from './drafts';
import { pushCommands } from './push';
import { vaultCommands } from './vault';

/** Every CLI command; each domain appends its own. */
export const commands: Command[] = [
  ...vaultCommands,
  auditExportCommand,
  ...operatorCommands,
  ...draftCommands,
  ...pushCommands,
  ...importCommands,
  ...feedCommands,
];
