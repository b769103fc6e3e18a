import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { QUEUES } from '@malipo/queue';
import { validateObject } from './k8s-models';
import { configOf, find, renderOverlays, selects, workloads, type Workload } from './k8s-objects';
import { renderKustomization, type K8sObject } from './kustomize-render';

/** deploy/k8s, rendered per overlay and checked against the Kubernetes schemas; no cluster. */
const overlays = renderOverlays();
const names = Object.keys(overlays);
const SECRET_NAMES = [
  'DATABASE_URL',
  'REDIS_URL',
  'CREDENTIALS_KEY',
  'CALLBACK_SECRET',
  'AUDIT_SIGNING_KEY',
];

describe('deploy/k8s overlays', () => {
  it('has dev, production and production-keda', () => {
    expect(names.sort()).toEqual(['dev', 'production', 'production-keda']);
  });

  it.each(names)('%s: every object validates against its schema', (overlay) => {
    for (const o of overlays[overlay]) {
      expect(() => validateObject(o)).not.toThrow();
    }
  });

  it.each(names)('%s: api and worker deployments, service, HPA and PDB; a migrations Job', (o) => {
    const objects = overlays[o];
    for (const app of ['malipo-api', 'malipo-worker']) {
      const deploy = find<Workload>(objects, 'Deployment', app);
      const pods = deploy.spec.template.metadata.labels;
      const pdb = find<{ spec: { selector: { matchLabels: Record<string, string> } } }>(
        objects,
        'PodDisruptionBudget',
        app,
      );
      expect(selects(pdb.spec.selector.matchLabels, pods)).toBe(true);
      const hpa = find<{ spec: { scaleTargetRef: { kind: string; name: string } } }>(
        objects,
        'HorizontalPodAutoscaler',
        app,
      );
      expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: app });
      const service = find<{ spec: { selector: Record<string, string> } }>(objects, 'Service', app);
      expect(selects(service.spec.selector, pods)).toBe(true);
    }
    const job = find<Workload>(objects, 'Job', 'malipo-migrate');
    expect(job.spec.template.spec.containers[0].args).toContain('dist/scripts/migrate.js');
  });

  it.each(names)('%s: secrets only by reference, never a value', (overlay) => {
    const objects = overlays[overlay];
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const config = configOf(objects);
    for (const name of SECRET_NAMES) expect([name, config[name]]).toEqual([name, undefined]);
    for (const c of workloads(objects).flatMap((w) => w.spec.template.spec.containers)) {
      for (const e of (c.env ?? []).filter((x) => SECRET_NAMES.includes(x.name))) {
        expect([e.name, e.value, e.valueFrom?.secretKeyRef?.name]).toEqual([
          e.name,
          undefined,
          'malipo-secrets',
        ]);
      }
    }
  });

  it.each(names)('%s: production settings hold outside dev; the simulator only in dev', (o) => {
    const config = configOf(overlays[o]);
    const sim = overlays[o].filter((x) => x.metadata.name === 'daraja-sim');
    expect(config.MIGRATE_ON_START).toBe('false');
    if (o === 'dev') {
      expect(sim.map((x) => x.kind).sort()).toEqual(['Deployment', 'NetworkPolicy', 'Service']);
      expect(config.DARAJA_SIM_URL).toBe('http://daraja-sim:3100');
    } else {
      expect(sim).toEqual([]);
      expect(config).toMatchObject({ NODE_ENV: 'production', DARAJA_MODE: 'production' });
      expect(config.PUBLIC_BASE_URL).toMatch(/^https:\/\//);
    }
  });

  it('production-keda: KEDA adopts the worker HPA and watches the callbacks queue', () => {
    const objects = overlays['production-keda'];
    const scaled = find<{
      metadata: { annotations: Record<string, string> };
      spec: {
        scaleTargetRef: { name: string };
        advanced: { horizontalPodAutoscalerConfig: { name: string } };
        triggers: { type: string; metadata: Record<string, string> }[];
      };
    }>(objects, 'ScaledObject', 'malipo-worker');
    expect(scaled.spec.scaleTargetRef.name).toBe('malipo-worker');
    expect(scaled.metadata.annotations['scaledobject.keda.sh/transfer-hpa-ownership']).toBe('true');
    find(
      objects,
      'HorizontalPodAutoscaler',
      scaled.spec.advanced.horizontalPodAutoscalerConfig.name,
    );
    const redis = scaled.spec.triggers.find((t) => t.type === 'redis')!;
    // BullMQ's key for waiting jobs, under the queue module's prefix.
    expect(redis.metadata.listName).toBe(
      `${configOf(objects).REDIS_PREFIX}:bull:${QUEUES.callbacks}:wait`,
    );
  });

  it('production: runs the released image, not a local tag', () => {
    const images = workloads(overlays.production).flatMap((w) =>
      w.spec.template.spec.containers.map((c) => c.image),
    );
    expect(new Set(images)).toEqual(new Set(['registry.example.com/malipo:0.1.0']));
  });
});

describe(renderKustomization.name, () => {
  const write = (files: Record<string, string>) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kustomize-'));
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    return dir;
  };
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c }\ndata: { A: "1" }\n';

  it('applies namespace and JSON 6902 patches', () => {
    const dir = write({
      'kustomization.yaml':
        'namespace: ns\nresources: [c.yaml]\npatches:\n  - target: { kind: ConfigMap, name: c }\n    patch: "[{op: replace, path: /data/A, value: \'2\'}]"\n',
      'c.yaml': cm,
    });
    const [c] = renderKustomization(dir) as (K8sObject & { data: Record<string, string> })[];
    expect(c).toMatchObject({ metadata: { name: 'c', namespace: 'ns' }, data: { A: '2' } });
  });

  it.each([
    ['a key it does not implement', 'resources: [c.yaml]\nconfigMapGenerator: []\n'],
    [
      'a patch of a path that is not there',
      'resources: [c.yaml]\npatches:\n  - target: { kind: ConfigMap }\n    patch: "[{op: replace, path: /data/B, value: x}]"\n',
    ],
    [
      'a patch whose target matches nothing',
      'resources: [c.yaml]\npatches:\n  - target: { kind: Secret }\n    patch: "[]"\n',
    ],
    ['an object defined twice', 'resources: [c.yaml, c.yaml]\n'],
  ])('refuses %s', (_, kustomization) => {
    const dir = write({ 'kustomization.yaml': kustomization, 'c.yaml': cm });
    expect(() => renderKustomization(dir)).toThrow();
  });
});
