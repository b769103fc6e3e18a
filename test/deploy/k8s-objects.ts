import { readdirSync } from 'node:fs';
import path from 'node:path';
import { renderKustomization, type K8sObject } from './kustomize-render';

export const K8S_DIR = path.resolve(__dirname, '..', '..', 'deploy', 'k8s');

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}
export interface Probe {
  httpGet?: { path: string; port: string | number };
}
export interface PodSpec {
  containers: Container[];
  terminationGracePeriodSeconds?: number;
}
export type Workload = K8sObject & {
  spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};

/** Every overlay, rendered: name → objects. */
export function renderOverlays(): Record<string, K8sObject[]> {
  const dir = path.join(K8S_DIR, 'overlays');
  return Object.fromEntries(
    readdirSync(dir).map((name) => [name, renderKustomization(path.join(dir, name))]),
  );
}

export const find = <T = K8sObject>(objects: K8sObject[], kind: string, name: string): T => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`no ${kind}/${name}`);
  return o as T;
};

export const workloads = (objects: K8sObject[]): Workload[] =>
  objects.filter((o) => o.kind === 'Deployment' || o.kind === 'Job') as Workload[];

export const configOf = (objects: K8sObject[]): Record<string, string> =>
  find<{ data: Record<string, string> }>(objects, 'ConfigMap', 'malipo-config').data;

/** Whether a label selector picks the given labels. */
export const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);
