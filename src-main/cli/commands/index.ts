import type { Command } from '../command';

/** Every CLI command; later domains append theirs here. */
export const commands: Command[] = [];
