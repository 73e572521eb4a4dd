import { Backups } from './settings/Backups';
import { KeyRotation } from './settings/KeyRotation';
import { Operators } from './settings/Operators';
import { Passphrase } from './settings/Passphrase';
import { Preferences } from './settings/Preferences';
import { SecondFactor } from './settings/SecondFactor';

export function Settings() {
  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Settings</h1>
      <div className="stack">
        <Operators />
        <Passphrase />
        <SecondFactor />
        <Preferences />
        <KeyRotation />
        <Backups />
      </div>
    </section>
  );
}
