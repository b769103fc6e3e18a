import { ChannelsSection } from './channels-section';
import { KeysSection } from './keys-section';
import { TerminalsSection } from './terminals-section';
import { WebhooksSection } from './webhooks-section';

/** The shop's settings: tills, keys, M-Pesa channels, webhooks. */
export function SettingsPage() {
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <TerminalsSection />
      <KeysSection />
      <ChannelsSection />
      <WebhooksSection />
    </section>
  );
}
