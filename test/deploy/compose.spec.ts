import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { AppConfig } from '@malipo/common';

/** docker-compose.yml, checked statically (no Docker engine here; docs/deploy.md). */
const ROOT = path.resolve(__dirname, '..', '..');

interface Service {
  command?: string[];
  restart?: string;
  stop_grace_period?: string;
  profiles?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  build?: string;
}

const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), {
  merge: true,
}) as { services: Record<string, Service> };
const services = compose.services;
const built = Object.entries(services).filter(([, s]) => s.build);
const seconds = (d: string) => Number(/^(\d+)s$/.exec(d)?.[1] ?? NaN);
const entry = (s: Service) => s.command?.at(-1);
const byEntry = (file: string, profile?: string) =>
  Object.entries(services).filter(
    ([, s]) => entry(s) === file && (profile ? true : !s.profiles?.length),
  );

describe('docker-compose.yml', () => {
  it('starts every Malipo process as node in exec form from the one image', () => {
    expect(built.length).toBeGreaterThanOrEqual(4);
    for (const [, s] of built) {
      expect(s.command?.[0]).toBe('node');
      expect(s.command?.[0]).not.toMatch(/^(sh|npm)$/);
    }
  });

  it('restarts long-running services and gives them longer to stop than their own deadline', () => {
    const defaults = new AppConfig();
    for (const [name, s] of built.filter(([n]) => n !== 'migrate')) {
      expect([name, s.restart]).toEqual([name, 'unless-stopped']);
      const drain = Number(s.environment?.SHUTDOWN_DRAIN_MS ?? defaults.SHUTDOWN_DRAIN_MS);
      const deadline = Number(s.environment?.SHUTDOWN_TIMEOUT_MS ?? defaults.SHUTDOWN_TIMEOUT_MS);
      expect(seconds(s.stop_grace_period!) * 1000).toBeGreaterThan(Math.max(drain, deadline));
    }
  });

  it('migrates once per deploy in its own one-shot service that api and worker wait for', () => {
    const migrate = services.migrate;
    expect(entry(migrate)).toBe('dist/scripts/migrate.js');
    expect(migrate.restart).toBe('no');
    for (const [name, s] of built.filter(([, x]) => /apps\/(api|worker)\//.test(entry(x)!))) {
      expect([name, s.depends_on?.migrate?.condition]).toEqual([
        name,
        'service_completed_successfully',
      ]);
      expect([name, s.environment?.MIGRATE_ON_START]).toEqual([name, 'false']);
    }
  });

  it('has a replicas profile: two api and two workers behind a proxy naming both apis', () => {
    const api = byEntry('dist/apps/api/src/main.js', 'replicas');
    const worker = byEntry('dist/apps/worker/src/main.js', 'replicas');
    expect(api).toHaveLength(2);
    expect(worker).toHaveLength(2);
    expect(services.proxy.profiles).toEqual(['replicas']);
    const conf = readFileSync(path.join(ROOT, 'deploy', 'compose', 'nginx.conf'), 'utf8');
    for (const [name] of api) expect(conf).toContain(`server ${name}:3000`);
    expect(conf).toMatch(/proxy_set_header Upgrade \$http_upgrade/);
    // Without the profile, one of each.
    expect(byEntry('dist/apps/api/src/main.js')).toHaveLength(1);
  });
});
