import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { applyPatch, type Operation } from 'fast-json-patch';
import { parse, parseAllDocuments } from 'yaml';

/**
 * Renders a kustomization the way `kubectl kustomize` does, for the subset deploy/k8s uses:
 * resources (files and directories), namespace, images and JSON 6902 patches with a target.
 * kustomize is not installable from npm, and no maintained JavaScript port exists, so any other
 * key fails loudly rather than render something kustomize would not.
 */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { target: { kind?: string; name?: string }; patch?: string; path?: string }[];
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'images', 'patches']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding']);

function readObjects(file: string): K8sObject[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS({ maxAliasCount: -1 }) as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

function patchTargets(objects: K8sObject[], p: NonNullable<Kustomization['patches']>[number]) {
  const hits = objects.filter(
    (o) =>
      (!p.target.kind || o.kind === p.target.kind) &&
      (!p.target.name || o.metadata.name === p.target.name),
  );
  if (!hits.length) throw new Error(`patch target matches nothing: ${JSON.stringify(p.target)}`);
  return hits;
}

function applyPatches(objects: K8sObject[], k: Kustomization, dir: string): void {
  for (const p of k.patches ?? []) {
    const text = p.patch ?? readFileSync(path.join(dir, p.path!), 'utf8');
    const ops = parse(text) as Operation[];
    if (!Array.isArray(ops)) throw new Error('only JSON 6902 patches (a list of operations)');
    // validate=true: a replace or remove of a path that does not exist throws, as in kustomize.
    for (const target of patchTargets(objects, p)) applyPatch(target, ops, true, true);
  }
}

function containersOf(o: K8sObject): { image?: string }[] {
  const pod = (o.spec as { template?: { spec?: Record<string, unknown> } } | undefined)?.template
    ?.spec;
  return [...((pod?.containers as []) ?? []), ...((pod?.initContainers as []) ?? [])];
}

function setImages(objects: K8sObject[], images: NonNullable<Kustomization['images']>): void {
  for (const c of objects.flatMap(containersOf)) {
    const [name, tag] = (c.image ?? '').split(':');
    const rule = images.find((i) => i.name === name);
    if (rule) c.image = `${rule.newName ?? name}:${rule.newTag ?? tag}`;
  }
}

export function renderKustomization(dir: string): K8sObject[] {
  const file = path.join(dir, 'kustomization.yaml');
  const k = parse(readFileSync(file, 'utf8')) as Kustomization;
  const unknown = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unknown.length) throw new Error(`${file}: not supported here: ${unknown.join(', ')}`);
  const objects = (k.resources ?? []).flatMap((r) => {
    const at = path.join(dir, r);
    return statSync(at).isDirectory() ? renderKustomization(at) : readObjects(at);
  });
  applyPatches(objects, k, dir);
  setImages(objects, k.images ?? []);
  if (k.namespace) {
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  }
  const ids = objects.map((o) => `${o.kind}/${o.metadata.name}`);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) throw new Error(`${file}: defined twice: ${twice.join(', ')}`);
  return objects;
}
