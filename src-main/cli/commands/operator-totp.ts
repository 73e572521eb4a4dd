/**
 * The Settings screen's second factor from the CLI: `operators totp enroll` starts it (the
 * secret and otpauth URI to put in an authenticator), `operators totp confirm CODE` turns it
 * on, `operators totp disable [NAME] --yes` turns it off (another operator's: admin).
 * Once on, every unlock needs `--totp CODE` or VULNZERO_TOTP.
 */
import { UsageError, type Command } from '../command';
import {
  OPERATOR_OPTION,
  TOTP_OPTION,
  printResult,
  requireYes,
  withSession,
} from '../vault-access';

const UNLOCK_OPTIONS = { ...OPERATOR_OPTION, ...TOTP_OPTION };

export const operatorTotpCommands: Command[] = [
  {
    name: 'operators totp enroll',
    summary:
      'Start one-time-code enrolment for yourself: prints the secret and otpauth URI (shown once).',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const started = session.enrollTotp();
        printResult(
          run,
          started,
          [
            `Secret: ${started.secret}`,
            `URI:    ${started.uri}`,
            'Add it to your authenticator (enter the secret, or the URI as a QR code), then turn it on with:',
            '  vulnzero operators totp confirm CODE',
          ].join('\n'),
        );
        return 0;
      }),
  },
  {
    name: 'operators totp confirm',
    summary: 'Finish enrolment with a 6-digit code from the authenticator; unlocks then need it.',
    usage: 'CODE',
    options: UNLOCK_OPTIONS,
    run: (run) => {
      const code = run.positionals[0];
      if (!code || !/^\d{6}$/.test(code))
        throw new UsageError('operators totp confirm needs the 6-digit CODE');
      return withSession(run, (session) => {
        session.confirmTotp(code);
        printResult(
          run,
          { enabled: true },
          `One-time codes are on for ${session.operator.name}: unlock with --totp CODE or VULNZERO_TOTP.`,
        );
        return 0;
      });
    },
  },
  {
    name: 'operators totp disable',
    summary: "Turn one-time codes off: your own, or another operator's (admin).",
    usage: '[NAME] --yes',
    options: { ...UNLOCK_OPTIONS, yes: { type: 'boolean', default: false } },
    run: (run) => {
      const name = run.positionals[0];
      requireYes(run, 'Turning the one-time code off');
      return withSession(run, (session) => {
        const target = name
          ? session.listOperators().find((o) => o.name.toLowerCase() === name.toLowerCase())
          : session.listOperators().find((o) => o.id === session.operator.id);
        if (!target) throw new UsageError(`no operator named ${name ?? ''}`);
        session.disableTotp(target.id);
        printResult(
          run,
          { disabled: true, operator: target.name },
          `One-time codes are off for ${target.name}.`,
        );
        return 0;
      });
    },
  },
];
