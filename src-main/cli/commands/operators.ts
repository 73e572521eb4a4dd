import { UsageError, type Command } from '../command';
import {
  NEW_PASSPHRASE_OPTION,
  OPERATOR_OPTION,
  TOTP_OPTION,
  newPassphrase,
  printResult,
  requireYes,
  withSession,
} from '../vault-access';

const ROLES = ['admin', 'approver', 'analyst', 'viewer'] as const;
const UNLOCK_OPTIONS = { ...OPERATOR_OPTION, ...TOTP_OPTION };

export const operatorCommands: Command[] = [
  {
    name: 'operators list',
    summary: 'Operators of the vault with their role and second factor.',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const operators = session.listOperators();
        printResult(
          run,
          operators,
          operators.map((o) => `${o.name}\t${o.role}${o.totpEnabled ? '\tTOTP' : ''}`).join('\n'),
        );
        return 0;
      }),
  },
  {
    name: 'operators add',
    summary:
      'Add an operator (admin); their passphrase from VULNZERO_NEW_PASSPHRASE or --new-passphrase-file.',
    usage: 'NAME --role admin|approver|analyst|viewer',
    options: { ...UNLOCK_OPTIONS, ...NEW_PASSPHRASE_OPTION, role: { type: 'string' } },
    run: async (run) => {
      const name = run.positionals[0];
      const role = run.values['role'];
      if (!name) throw new UsageError('operators add needs a NAME');
      if (!ROLES.includes(role as (typeof ROLES)[number]))
        throw new UsageError('--role must be admin, approver, analyst or viewer');
      const secret = await newPassphrase(run);
      return withSession(run, async (session) => {
        const added = await session.addOperator({
          name,
          role: role as (typeof ROLES)[number],
          passphrase: secret,
        });
        printResult(run, added, `Added ${added.name} (${added.role}).`);
        return 0;
      });
    },
  },
  {
    name: 'operators remove',
    summary: 'Remove an operator (admin). Rotate the data key afterwards (vault rekey).',
    usage: 'NAME --yes',
    options: { ...UNLOCK_OPTIONS, yes: { type: 'boolean', default: false } },
    run: (run) => {
      const name = run.positionals[0];
      if (!name) throw new UsageError('operators remove needs a NAME');
      requireYes(run, 'Removing an operator');
      return withSession(run, (session) => {
        const target = session
          .listOperators()
          .find((o) => o.name.toLowerCase() === name.toLowerCase());
        if (!target) throw new UsageError(`no operator named ${name}`);
        session.removeOperator(target.id);
        printResult(
          run,
          { removed: target.name },
          `Removed ${target.name}. Run \`vulnzero vault rekey\` so old copies of the key stop working.`,
        );
        return 0;
      });
    },
  },
];
