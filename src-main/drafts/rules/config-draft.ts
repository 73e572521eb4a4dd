/**
 * Rule drafts for configuration findings scanners commonly report: weak SSH ciphers,
 * MACs and key exchange; TLS 1.0/1.1 enabled on nginx or Apache. Each backs the
 * configuration up, edits it, validates it with the server's own check (`sshd -t`,
 * `nginx -t`, `apachectl -t`) and reloads; rollback restores the backup and reloads.
 * Exit codes as in package drafts (precheck 0/3/4/5, verify 0/1, rollback 0/6).
 */
import type { DraftContent } from '../../../src-preload/drafts-schemas';

export type ConfigRule = 'ssh-weak-crypto' | 'tls-legacy';

export const CONFIG_RULES: { rule: ConfigRule; title: RegExp }[] = [
  {
    rule: 'ssh-weak-crypto',
    title:
      /\bSSH\b.*\b(weak|CBC|arcfour|RC4|SHA-?1|MD5|96-bit|Terrapin|key exchange|MAC algorithms?|encryption algorithms?)\b/i,
  },
  {
    rule: 'tls-legacy',
    title:
      /\b(TLS|SSL)\b.*\b(1\.0|1\.1|v1\.0|v1\.1|deprecated|POODLE|SSLv3|SSL Version 2 and 3)\b/i,
  },
];

export function configRuleFor(title: string): ConfigRule | null {
  return CONFIG_RULES.find((r) => r.title.test(title))?.rule ?? null;
}

const HEADER = (rule: ConfigRule, step: string) => `#!/bin/sh
# VulnZero rule draft (${step}): ${rule}
set -eu
VZ_STATE_DIR=\${VZ_STATE_DIR:-/var/lib/vulnzero/state}
`;

/** Modern algorithms supported by OpenSSH 7.4+ (RHEL 7.4+, Ubuntu 18.04+, Debian 10+). */
const SSH_SETTINGS = [
  'Ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr',
  'MACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512,hmac-sha2-256',
  'KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256',
];

function sshDraft(): DraftContent {
  const file = '/etc/ssh/sshd_config';
  const precheck = `${HEADER('ssh-weak-crypto', 'precheck')}
if ! command -v sshd >/dev/null 2>&1 && [ ! -x /usr/sbin/sshd ]; then
  echo "precheck: OpenSSH server is not installed" >&2
  exit 4
fi
if [ ! -w ${file} ]; then
  echo "precheck: ${file} is missing or not writable" >&2
  exit 5
fi
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
if ! "$SSHD" -t; then
  echo "precheck: the current sshd configuration does not validate; fix it first" >&2
  exit 5
fi
if grep -Eq '^# VulnZero: strong SSH algorithms' ${file}; then
  exit 3
fi
exit 0
`;
  const apply = `${HEADER('ssh-weak-crypto', 'apply')}
mkdir -p "$VZ_STATE_DIR"
cp -p ${file} "$VZ_STATE_DIR/sshd_config.backup"
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
tmp=$(mktemp)
# Earlier Ciphers/MACs/KexAlgorithms lines win in sshd_config: the new ones go first.
{
  echo '# VulnZero: strong SSH algorithms'
${SSH_SETTINGS.map((l) => `  echo '${l}'`).join('\n')}
  grep -Ev '^[[:space:]]*(Ciphers|MACs|KexAlgorithms)[[:space:]]' ${file}
} > "$tmp"
cat "$tmp" > ${file}
rm -f "$tmp"
if ! "$SSHD" -t; then
  echo "apply: the new configuration does not validate; restoring the backup" >&2
  cp -p "$VZ_STATE_DIR/sshd_config.backup" ${file}
  exit 1
fi
if command -v systemctl >/dev/null 2>&1; then
  systemctl reload sshd 2>/dev/null || systemctl reload ssh
else
  service ssh reload 2>/dev/null || service sshd reload
fi
`;
  const verify = `${HEADER('ssh-weak-crypto', 'verify')}
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
effective=$("$SSHD" -T 2>/dev/null || true)
for weak in arcfour cbc hmac-md5 hmac-sha1 umac-64 diffie-hellman-group1-sha1 diffie-hellman-group-exchange-sha1; do
  if printf '%s\\n' "$effective" | grep -E '^(ciphers|macs|kexalgorithms) ' | grep -qi -- "$weak"; then
    echo "verify: sshd still offers $weak" >&2
    exit 1
  fi
done
echo "verify: sshd offers only strong ciphers, MACs and key exchange"
`;
  const rollback = `${HEADER('ssh-weak-crypto', 'rollback')}
if [ ! -f "$VZ_STATE_DIR/sshd_config.backup" ]; then
  echo "rollback: no backup of ${file}: MANUAL ROLLBACK needed" >&2
  exit 6
fi
cp -p "$VZ_STATE_DIR/sshd_config.backup" ${file}
if command -v systemctl >/dev/null 2>&1; then
  systemctl reload sshd 2>/dev/null || systemctl reload ssh
else
  service ssh reload 2>/dev/null || service sshd reload
fi
echo "rollback: ${file} restored"
`;
  return {
    precheck,
    apply,
    verify,
    rollback,
    metadata: {
      risk: 'medium',
      rebootNeeded: false,
      servicesToRestart: ['sshd'],
      notes:
        'Restricts sshd to modern ciphers, MACs and key exchange (OpenSSH 7.4 or newer). Very old SSH clients will no longer connect; the configuration is validated with sshd -t before reload, and the backup is restored if it does not validate.',
    },
  };
}

function tlsDraft(): DraftContent {
  const precheck = `${HEADER('tls-legacy', 'precheck')}
if command -v nginx >/dev/null 2>&1; then
  nginx -t >/dev/null 2>&1 || { echo "precheck: nginx -t fails before any change" >&2; exit 5; }
  if grep -rEq '^[[:space:]]*ssl_protocols[^;]*TLSv1(\\.1)?[[:space:];]' /etc/nginx 2>/dev/null || ! grep -rEq '^[[:space:]]*ssl_protocols' /etc/nginx 2>/dev/null; then
    exit 0
  fi
  exit 3
fi
if command -v apachectl >/dev/null 2>&1; then
  apachectl -t >/dev/null 2>&1 || { echo "precheck: apachectl -t fails before any change" >&2; exit 5; }
  exit 0
fi
echo "precheck: neither nginx nor Apache httpd is installed" >&2
exit 4
`;
  const apply = `${HEADER('tls-legacy', 'apply')}
mkdir -p "$VZ_STATE_DIR"
if command -v nginx >/dev/null 2>&1; then
  tar -C / -cf "$VZ_STATE_DIR/nginx-conf.tar" etc/nginx
  conf=/etc/nginx/conf.d/vulnzero-tls.conf
  grep -rlE '^[[:space:]]*ssl_protocols' /etc/nginx | while read -r f; do
    sed -i -E 's/^([[:space:]]*)ssl_protocols[^;]*;/\\1ssl_protocols TLSv1.2 TLSv1.3;/' "$f"
  done
  if ! grep -rqE '^[[:space:]]*ssl_protocols' /etc/nginx; then
    echo 'ssl_protocols TLSv1.2 TLSv1.3;' > "$conf"
  fi
  if ! nginx -t; then
    echo "apply: nginx -t fails; restoring" >&2
    rm -f "$conf"
    tar -C / -xf "$VZ_STATE_DIR/nginx-conf.tar"
    exit 1
  fi
  nginx -s reload
  exit 0
fi
for dir in /etc/httpd /etc/apache2; do
  [ -d "$dir" ] || continue
  tar -C / -cf "$VZ_STATE_DIR/apache-conf.tar" "\${dir#/}"
  grep -rlE '^[[:space:]]*SSLProtocol' "$dir" | while read -r f; do
    sed -i -E 's/^([[:space:]]*)SSLProtocol.*/\\1SSLProtocol -all +TLSv1.2 +TLSv1.3/' "$f"
  done
  if ! apachectl -t; then
    echo "apply: apachectl -t fails; restoring" >&2
    tar -C / -xf "$VZ_STATE_DIR/apache-conf.tar"
    exit 1
  fi
  apachectl graceful
  exit 0
done
echo "apply: no nginx or Apache configuration found" >&2
exit 1
`;
  const verify = `${HEADER('tls-legacy', 'verify')}
if command -v nginx >/dev/null 2>&1; then
  if nginx -T 2>/dev/null | grep -E '^[[:space:]]*ssl_protocols' | grep -Eq 'TLSv1(\\.1)?[[:space:];]|SSLv'; then
    echo "verify: nginx still enables TLS 1.0/1.1" >&2
    exit 1
  fi
  echo "verify: nginx allows TLS 1.2 and 1.3 only"
  exit 0
fi
if apachectl -t -D DUMP_RUN_CFG >/dev/null 2>&1 && grep -rhE '^[[:space:]]*SSLProtocol' /etc/httpd /etc/apache2 2>/dev/null | grep -Eq '\\+TLSv1(\\.1)?([[:space:]]|$)|[[:space:]]all'; then
  echo "verify: Apache still enables TLS 1.0/1.1" >&2
  exit 1
fi
echo "verify: Apache allows TLS 1.2 and 1.3 only"
`;
  const rollback = `${HEADER('tls-legacy', 'rollback')}
if [ -f "$VZ_STATE_DIR/nginx-conf.tar" ]; then
  rm -f /etc/nginx/conf.d/vulnzero-tls.conf
  tar -C / -xf "$VZ_STATE_DIR/nginx-conf.tar"
  nginx -t && nginx -s reload
  echo "rollback: nginx configuration restored"
  exit 0
fi
if [ -f "$VZ_STATE_DIR/apache-conf.tar" ]; then
  tar -C / -xf "$VZ_STATE_DIR/apache-conf.tar"
  apachectl -t && apachectl graceful
  echo "rollback: Apache configuration restored"
  exit 0
fi
echo "rollback: no configuration backup found: MANUAL ROLLBACK needed" >&2
exit 6
`;
  return {
    precheck,
    apply,
    verify,
    rollback,
    metadata: {
      risk: 'medium',
      rebootNeeded: false,
      servicesToRestart: ['nginx', 'httpd', 'apache2'],
      notes:
        'Allows only TLS 1.2 and 1.3 on nginx or Apache httpd. Clients limited to TLS 1.0/1.1 will no longer connect. The configuration is validated (nginx -t / apachectl -t) before the reload and restored if it does not validate.',
    },
  };
}

export function configDraft(rule: ConfigRule): DraftContent {
  return rule === 'ssh-weak-crypto' ? sshDraft() : tlsDraft();
}
