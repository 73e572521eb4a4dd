/**
 * Shell snippets per package manager, the building blocks of package rule drafts. Every
 * snippet is POSIX sh. Versions are compared with the distribution's own tools:
 * `dpkg --compare-versions` (Debian), rpm's `rpm.vercmp` through `rpm --eval` with
 * `rpmdev-vercmp` as fallback (RHEL, SUSE), `apk version -t` (Alpine).
 *
 * The functions every script gets: `vz_installed PKG` prints the installed version (or
 * fails), `vz_at_least A B` succeeds when version A >= B.
 */
import type { OsFamily } from './facts';

export interface PackageManager {
  family: OsFamily;
  tool: string;
  /** Words of /etc/os-release ID or ID_LIKE that mean this family. */
  osIds: string[];
  installed: string;
  atLeast: string;
  /** Succeeds when the package database is busy. */
  locked: string;
  /**
   * Refreshes indexes and upgrades the packages "$@" together, in one transaction, to the
   * newest versions the host's repositories offer (one call, so that packages of one
   * source, such as libssl3 and openssl, move as a set).
   */
  upgrade: string;
  /** Succeeds when version "$prev" of "$pkg" can still be installed from a repository or cache. */
  canReinstall: string;
  /** The argument that names version "$prev" of "$pkg" for `reinstall`. */
  spec: string;
  /** Installs the package versions "$@" (each a `spec`) together, downgrading as needed. */
  reinstall: string;
}

const RPM_INSTALLED = `vz_installed() {
  rpm -q --qf '%{VERSION}-%{RELEASE}\\n' "$1" 2>/dev/null | sort | tail -n 1 | grep .
}`;
const RPM_VERCMP = `vz_vercmp() {
  r=$(rpm --eval "%{lua: print(rpm.vercmp('$1', '$2'))}" 2>/dev/null) || r=''
  case "$r" in -1|0|1) echo "$r"; return 0 ;; esac
  if command -v rpmdev-vercmp >/dev/null 2>&1; then
    rc=0
    rpmdev-vercmp "$1" "$2" >/dev/null 2>&1 || rc=$?
    case "$rc" in 0) echo 0 ;; 11) echo 1 ;; 12) echo -1 ;; *) return 1 ;; esac
    return 0
  fi
  echo "no RPM version comparison available (rpm lua or rpmdev-vercmp)" >&2
  return 1
}
vz_at_least() {
  c=$(vz_vercmp "$1" "$2") || exit 5
  [ "$c" -ge 0 ]
}`;

export const PACKAGE_MANAGERS: Record<OsFamily, PackageManager> = {
  debian: {
    family: 'debian',
    tool: 'apt',
    osIds: ['debian', 'ubuntu'],
    installed: `vz_installed() {
  # shellcheck disable=SC2016
  dpkg-query -W -f='\${Version}' "$1" 2>/dev/null | grep .
}`,
    atLeast: `vz_at_least() {
  dpkg --compare-versions "$1" ge "$2"
}`,
    // dpkg and apt hold fcntl locks on these files; /proc/locks lists every held lock by
    // device:inode, so no psmisc (fuser) is needed (minimal installs lack it).
    locked: `vz_locked() {
  for f in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock; do
    ino=$(stat -c %i "$f" 2>/dev/null) || continue
    grep -Eq "^[0-9]+: (-> )?[A-Z]+ +[A-Z]+ +[A-Z]+ +[0-9-]+ +[0-9a-f]+:[0-9a-f]+:$ino " /proc/locks 2>/dev/null && return 0
  done
  command -v fuser >/dev/null 2>&1 && fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock >/dev/null 2>&1
}`,
    upgrade: `apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --only-upgrade -o Dpkg::Options::=--force-confold "$@"`,
    canReinstall: `apt-cache madison "$pkg" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' | grep -qx "$prev"`,
    spec: `$pkg=$prev`,
    reinstall: `DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --allow-downgrades -o Dpkg::Options::=--force-confold "$@"`,
  },
  rhel: {
    family: 'rhel',
    tool: 'dnf/yum',
    osIds: ['rhel', 'centos', 'fedora', 'amzn', 'rocky', 'almalinux', 'ol'],
    installed: RPM_INSTALLED,
    atLeast: RPM_VERCMP,
    locked: `vz_locked() {
  [ -e /var/run/yum.pid ] || pgrep -x dnf >/dev/null 2>&1 || pgrep -x yum >/dev/null 2>&1
}`,
    upgrade: `if command -v dnf >/dev/null 2>&1; then
  dnf -y -q upgrade "$@"
else
  yum -y -q update "$@"
fi`,
    canReinstall: `if command -v dnf >/dev/null 2>&1; then
  dnf -q list --showduplicates "$pkg-$prev" >/dev/null 2>&1
else
  yum -q list --showduplicates "$pkg-$prev" >/dev/null 2>&1
fi`,
    spec: `$pkg-$prev`,
    reinstall: `if command -v dnf >/dev/null 2>&1; then
  dnf -y -q downgrade "$@"
else
  yum -y -q downgrade "$@"
fi`,
  },
  suse: {
    family: 'suse',
    tool: 'zypper',
    osIds: ['suse', 'sles', 'opensuse', 'opensuse-leap', 'opensuse-tumbleweed'],
    installed: RPM_INSTALLED,
    atLeast: RPM_VERCMP,
    locked: `vz_locked() {
  pgrep -x zypper >/dev/null 2>&1 || { [ -e /run/zypp.pid ] && [ -s /run/zypp.pid ]; }
}`,
    upgrade: `zypper --non-interactive --quiet refresh
zypper --non-interactive --quiet update "$@"`,
    canReinstall: `zypper --non-interactive --quiet search -s --match-exact "$pkg" 2>/dev/null | grep -q "| $prev "`,
    spec: `$pkg-$prev`,
    reinstall: `zypper --non-interactive --quiet install --oldpackage "$@"`,
  },
  alpine: {
    family: 'alpine',
    tool: 'apk',
    osIds: ['alpine'],
    installed: `vz_installed() {
  line=$(apk info -v "$1" 2>/dev/null | head -n 1) || return 1
  [ -n "$line" ] || return 1
  echo "\${line#"$1"-}"
}`,
    atLeast: `vz_at_least() {
  [ "$(apk version -t "$1" "$2")" != "<" ]
}`,
    locked: `vz_locked() {
  pgrep -x apk >/dev/null 2>&1
}`,
    upgrade: `apk update -q
apk add -q --upgrade "$@"`,
    canReinstall: `apk search -q -x -a "$pkg" 2>/dev/null | grep -qx "$pkg-$prev"`,
    spec: `$pkg=$prev`,
    reinstall: `apk add -q "$@"`,
  },
};
