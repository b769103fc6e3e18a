import { existsSync } from 'node:fs';
import path from 'node:path';
import { PATH_METADATA } from '@nestjs/common/constants';
import { getMetadataStorage } from 'class-validator';
import { AppConfig, validateConfig } from '@malipo/common';
import { HealthController } from '../../libs/health/src/health.controller';
import { SimConfig } from '../../apps/daraja-sim/src/sim-config';
import {
  configOf,
  find,
  renderOverlays,
  selects,
  workloads,
  type Container,
  type Workload,
} from './k8s-objects';
import type { K8sObject } from './kustomize-render';

/** The manifests and the application agree: env names, ports, probe paths, stop deadlines. */
const ROOT = path.resolve(__dirname, '..', '..');
const overlays = Object.entries(renderOverlays());

const settingNames = (target: new () => object) =>
  new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(target, '', true, false)
      .map((m) => m.propertyName),
  );
const APP_SETTINGS = settingNames(AppConfig);
// The api's metrics move to their own port METRICS_PORT in a change made alongside this one;
// until it lands in AppConfig, that one name (and no other) is accepted as known.
if (!APP_SETTINGS.has('METRICS_PORT')) APP_SETTINGS.add('METRICS_PORT');
const SIM_SETTINGS = settingNames(SimConfig);

const healthPaths = (): string[] => {
  const base = Reflect.getMetadata(PATH_METADATA, HealthController) as string;
  const proto = HealthController.prototype as unknown as Record<string, object>;
  return Object.getOwnPropertyNames(proto)
    .filter((m) => m !== 'constructor')
    .map((m) => Reflect.getMetadata(PATH_METADATA, proto[m]) as unknown)
    .filter((p): p is string => typeof p === 'string')
    .map((p) => `/${base}/${p}`);
};

const container = (objects: K8sObject[], deployment: string): Container =>
  find<Workload>(objects, 'Deployment', deployment).spec.template.spec.containers[0];
const port = (c: Container, name: string) => c.ports?.find((p) => p.name === name)?.containerPort;
const SECRETS = {
  CREDENTIALS_KEY: 'k'.repeat(40),
  CALLBACK_SECRET: 's'.repeat(40),
  AUDIT_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64'),
};

describe.each(overlays)('deploy/k8s/overlays/%s and the configuration class', (_, objects) => {
  const config = configOf(objects);

  it('names only settings the application reads, with values it accepts', () => {
    const isSim = (w: Workload) => w.metadata.name === 'daraja-sim';
    for (const key of Object.keys(config)) {
      expect([key, APP_SETTINGS.has(key)]).toEqual([key, true]);
    }
    for (const w of workloads(objects)) {
      const known = isSim(w) ? SIM_SETTINGS : APP_SETTINGS;
      for (const e of w.spec.template.spec.containers.flatMap((c) => c.env ?? [])) {
        expect([w.metadata.name, e.name, known.has(e.name)]).toEqual([
          w.metadata.name,
          e.name,
          true,
        ]);
      }
    }
    expect(() => validateConfig({ ...config, ...SECRETS })).not.toThrow();
  });

  it('opens the ports the processes listen on, and routes services and monitors to them', () => {
    const api = container(objects, 'malipo-api');
    const worker = container(objects, 'malipo-worker');
    expect(port(api, 'http')).toBe(Number(config.PORT));
    expect(port(api, 'metrics')).toBe(Number(config.METRICS_PORT ?? 9464));
    expect(port(worker, 'http')).toBe(Number(config.WORKER_PORT));
    const services = objects.filter((o) => o.kind === 'Service') as (K8sObject & {
      spec: { selector: Record<string, string>; ports: { name: string; targetPort: string }[] };
    })[];
    for (const s of services) {
      const pods = workloads(objects).filter((w) =>
        selects(s.spec.selector, w.spec.template.metadata.labels),
      );
      expect(pods.length).toBeGreaterThan(0);
      for (const p of s.spec.ports) {
        expect([
          s.metadata.name,
          p.targetPort,
          port(pods[0].spec.template.spec.containers[0], p.targetPort),
        ]).toEqual([s.metadata.name, p.targetPort, expect.any(Number)]);
      }
    }
    // The ServiceMonitor's port name exists on the api and worker Services it selects.
    const monitor = find<{
      spec: {
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; path: string }[];
      };
    }>(objects, 'ServiceMonitor', 'malipo');
    const scraped = services.filter((s) =>
      selects(monitor.spec.selector.matchLabels, s.metadata.labels),
    );
    for (const name of ['malipo-api', 'malipo-worker']) {
      const s = scraped.find((x) => x.metadata.name === name)!;
      expect(s.spec.ports.map((p) => p.name)).toContain(monitor.spec.endpoints[0].port);
    }
    expect(monitor.spec.endpoints[0].path).toBe('/metrics');
  });

  it('probes the health endpoints the application serves, on its named ports', () => {
    const paths = healthPaths();
    expect(paths.sort()).toEqual(['/health/live', '/health/ready']);
    for (const name of ['malipo-api', 'malipo-worker']) {
      const c = container(objects, name);
      expect(c.startupProbe?.httpGet?.path).toBe('/health/live');
      expect(c.livenessProbe?.httpGet?.path).toBe('/health/live');
      expect(c.readinessProbe?.httpGet?.path).toBe('/health/ready');
      for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe]) {
        expect(port(c, String(probe?.httpGet?.port))).toEqual(expect.any(Number));
      }
    }
  });

  it('starts node directly (the image keeps tini as entrypoint) on files the build produces', () => {
    for (const c of workloads(objects).flatMap((w) => w.spec.template.spec.containers)) {
      expect(c.command).toBeUndefined();
      expect(c.args?.[0]).toBe('node');
      const entry = c
        .args!.at(-1)!
        .replace(/^dist\//, '')
        .replace(/\.js$/, '.ts');
      expect([entry, existsSync(path.join(ROOT, entry))]).toEqual([entry, true]);
    }
  });

  it('gives each pod longer to stop than the preStop pause plus the shutdown deadline', () => {
    const deadline = Number(config.SHUTDOWN_TIMEOUT_MS ?? new AppConfig().SHUTDOWN_TIMEOUT_MS);
    const drain = Number(config.SHUTDOWN_DRAIN_MS ?? new AppConfig().SHUTDOWN_DRAIN_MS);
    expect(drain).toBeLessThan(deadline);
    const api = find<Workload>(objects, 'Deployment', 'malipo-api').spec.template.spec;
    const pause = api.containers[0].lifecycle?.preStop?.exec?.command;
    expect(pause?.[0]).toBe('sleep');
    expect(api.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(
      Number(pause![1]) * 1000 + deadline,
    );
    const worker = find<Workload>(objects, 'Deployment', 'malipo-worker').spec.template.spec;
    expect(worker.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(deadline);
  });
});
