/**
 * Rule drafts for package findings: upgrade exactly the named packages to the fixed
 * version or newer from the host's configured repositories (its local mirror).
 *
 * Exit codes, the same in every rule draft (docs/drafts.md):
 *   precheck  0 applicable, 3 already fixed, 4 not applicable (OS, package absent),
 *             5 not safe now (package manager busy, disk space, no version comparison)
 *   verify    0 fixed, 1 not fixed
 *   rollback  0 previous versions reinstalled, 6 manual rollback needed
 * State: apply records each package's previous version in $VZ_STATE_DIR (default
 * /var/lib/vulnzero/state) before upgrading, with the VZ_RUN_ID that recorded it (a
 * resumed run keeps its first record); rollback reads it and refuses another run's.
 */
import type { DraftContent } from '../../../src-preload/drafts-schemas';
import type { OsFamily, PackageFix } from './facts';
import { PACKAGE_MANAGERS } from './package-managers';

/** Packages whose update needs a reboot to take effect. */
const REBOOT =
  /^(kernel|linux-image|linux-modules|linux-generic|glibc|libc6|libc-bin|systemd|microcode_ctl|intel-microcode|amd64-microcode|linux-firmware|grub)/;
/** Libraries and servers, and the services that load them (restarted after the upgrade). */
const SERVICES: [RegExp, string[]][] = [
  [/^(openssl|libssl)/, ['sshd', 'nginx', 'httpd', 'apache2', 'postfix']],
  [/^openssh/, ['sshd']],
  [/^nginx/, ['nginx']],
  [/^(httpd|apache2)/, ['httpd', 'apache2']],
  [/^(mariadb|mysql)/, ['mariadb', 'mysqld']],
  [/^postgresql/, ['postgresql']],
  [/^bind|^bind9/, ['named']],
  [/^samba/, ['smb', 'nmb']],
  [/^(tomcat)/, ['tomcat']],
  [/^(dnsmasq)/, ['dnsmasq']],
];

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function header(title: string, step: string, family: OsFamily): string {
  return `#!/bin/sh
# VulnZero rule draft (${step}): ${title.replace(/[\r\n]/g, ' ').slice(0, 200)}
# OS family: ${family}; package manager: ${PACKAGE_MANAGERS[family].tool}
set -eu
VZ_STATE_DIR=\${VZ_STATE_DIR:-/var/lib/vulnzero/state}
`;
}

function calls(fn: string, fixes: readonly PackageFix[]): string {
  return fixes.map((f) => `${fn} ${quote(f.name)} ${quote(f.fixed)}`).join('\n');
}

export function packageDraft(
  title: string,
  family: OsFamily,
  fixes: readonly PackageFix[],
): DraftContent {
  const pm = PACKAGE_MANAGERS[family];
  const osCase = pm.osIds.map((id) => `*" ${id} "*`).join('|');
  const precheck = `${header(title, 'precheck', family)}
if [ ! -r /etc/os-release ]; then
  echo "precheck: /etc/os-release is missing: cannot tell the OS family" >&2
  exit 4
fi
# shellcheck source=/dev/null
. /etc/os-release
case " \${ID:-} \${ID_LIKE:-} " in
  ${osCase}) ;;
  *) echo "precheck: not a ${family}-family host (ID=\${ID:-unknown})" >&2; exit 4 ;;
esac
${pm.installed}
${pm.atLeast}
${pm.locked}
if vz_locked; then
  echo "precheck: the package manager is busy; try again later" >&2
  exit 5
fi
avail=$(df -Pk / | awk 'NR == 2 { print $4 }')
if [ "\${avail:-0}" -lt 204800 ]; then
  echo "precheck: less than 200 MiB free on / (\${avail:-0} KiB)" >&2
  exit 5
fi
needed=0
present=0
check() {
  if ! installed=$(vz_installed "$1"); then
    echo "precheck: $1 is not installed"
    return 0
  fi
  present=1
  if vz_at_least "$installed" "$2"; then
    echo "precheck: $1 $installed is already at or above $2"
  else
    echo "precheck: $1 $installed is older than $2: will upgrade"
    needed=1
  fi
}
${calls('check', fixes)}
if [ "$present" -eq 0 ]; then
  echo "precheck: none of the packages is installed: not applicable" >&2
  exit 4
fi
if [ "$needed" -eq 0 ]; then
  exit 3
fi
exit 0
`;
  const apply = `${header(title, 'apply', family)}
${pm.installed}
mkdir -p "$VZ_STATE_DIR"
# Every previous version is recorded before anything changes, then the packages are
# upgraded in one transaction (packages of one source depend on each other's version).
pkgs=''
record() {
  if ! previous=$(vz_installed "$1"); then
    echo "apply: $1 is not installed; skipped"
    return 0
  fi
  # A resumed run (same VZ_RUN_ID) keeps the pre-state its first attempt recorded: the
  # package may have moved before the connection was lost.
  if [ -n "\${VZ_RUN_ID:-}" ] && [ -s "$VZ_STATE_DIR/$1.previous" ] &&
    [ "$(cat "$VZ_STATE_DIR/$1.run" 2>/dev/null)" = "$VZ_RUN_ID" ]; then
    echo "apply: $1 keeps the pre-state run $VZ_RUN_ID recorded: $(cat "$VZ_STATE_DIR/$1.previous")"
  else
    printf '%s\\n' "$previous" > "$VZ_STATE_DIR/$1.previous"
    printf '%s\\n' "\${VZ_RUN_ID:-}" > "$VZ_STATE_DIR/$1.run"
  fi
  pkgs="$pkgs $1"
}
${fixes.map((f) => `record ${quote(f.name)}`).join('\n')}
if [ -z "$pkgs" ]; then
  echo "apply: none of the packages is installed; nothing to upgrade"
  exit 0
fi
# Package names are plain tokens (no spaces or glob characters): split them into "$@".
# shellcheck disable=SC2086
set -- $pkgs
${pm.upgrade}
for pkg in "$@"; do
  previous=$(cat "$VZ_STATE_DIR/$pkg.previous")
  now=$(vz_installed "$pkg" || echo none)
  if [ "$now" = "$previous" ]; then
    echo "apply: $pkg stays at $previous (the package manager did not upgrade it)"
  else
    echo "apply: $pkg upgraded from $previous to $now"
  fi
done
`;
  const verify = `${header(title, 'verify', family)}
${pm.installed}
${pm.atLeast}
failed=0
verify() {
  if ! installed=$(vz_installed "$1"); then
    echo "verify: $1 is not installed"
    return 0
  fi
  if vz_at_least "$installed" "$2"; then
    echo "verify: $1 $installed >= $2"
  else
    echo "verify: $1 $installed is still older than $2" >&2
    failed=1
  fi
}
${calls('verify', fixes)}
exit "$failed"
`;
  const rollback = `${header(title, 'rollback', family)}
${pm.installed}
# The recorded previous versions are reinstalled together (one transaction), then each
# package is checked to be back at exactly its recorded version.
manual=0
specs=''
restored=''
plan() {
  pkg=$1
  if [ ! -s "$VZ_STATE_DIR/$pkg.previous" ]; then
    echo "rollback: no recorded previous version of $pkg; nothing to restore"
    return 0
  fi
  prev=$(cat "$VZ_STATE_DIR/$pkg.previous")
  by=$(cat "$VZ_STATE_DIR/$pkg.run" 2>/dev/null || true)
  if [ -n "\${VZ_RUN_ID:-}" ] && [ -n "$by" ] && [ "$by" != "$VZ_RUN_ID" ]; then
    echo "rollback: the recorded pre-state of $pkg ($prev) belongs to run $by, not this run ($VZ_RUN_ID): MANUAL ROLLBACK needed (another run changed it since)" >&2
    manual=1
    return 0
  fi
  if [ "$(vz_installed "$pkg" || true)" = "$prev" ]; then
    echo "rollback: $pkg is already at its previous version $prev"
  elif ${pm.canReinstall.split('\n').join('\n  ')}; then
    specs="$specs ${pm.spec}"
  else
    echo "rollback: $pkg $prev is no longer in the repositories or cache: MANUAL ROLLBACK needed (install $pkg $prev from your media)" >&2
    manual=1
  fi
  restored="$restored $pkg"
}
${fixes.map((f) => `plan ${quote(f.name)}`).join('\n')}
if [ "$manual" -eq 1 ]; then
  exit 6
fi
if [ -n "$specs" ]; then
  # Specs are plain tokens (package=version): split them into "$@".
  # shellcheck disable=SC2086
  set -- $specs
  ${pm.reinstall.split('\n').join('\n  ')}
fi
for pkg in $restored; do
  prev=$(cat "$VZ_STATE_DIR/$pkg.previous")
  now=$(vz_installed "$pkg" || echo none)
  if [ "$now" = "$prev" ]; then
    echo "rollback: $pkg is at its previous version $prev"
  else
    echo "rollback: $pkg is $now, not its previous $prev: MANUAL ROLLBACK needed" >&2
    manual=1
  fi
done
if [ "$manual" -eq 1 ]; then
  exit 6
fi
`;
  const reboot = fixes.some((f) => REBOOT.test(f.name));
  const services = [
    ...new Set(fixes.flatMap((f) => SERVICES.find(([re]) => re.test(f.name))?.[1] ?? [])),
  ];
  return {
    precheck,
    apply,
    verify,
    rollback,
    metadata: {
      risk: reboot ? 'high' : services.length ? 'medium' : 'low',
      rebootNeeded: reboot,
      servicesToRestart: services,
      notes: [
        `Upgrades ${fixes.map((f) => `${f.name} to ${f.fixed} or newer`).join(', ')} with ${pm.tool} from the host's configured repositories.`,
        reboot
          ? 'A reboot is needed for the new version to run (kernel, C library or boot chain).'
          : '',
        services.length
          ? `Restart the services that load the upgraded code, where they run: ${services.join(', ')}.`
          : '',
        'Rollback reinstalls the recorded previous versions when a repository or the cache still has them; otherwise it says so and exits 6.',
      ]
        .filter(Boolean)
        .join(' '),
    },
  };
}
