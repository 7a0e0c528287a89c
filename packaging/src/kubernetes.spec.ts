// deploy/kubernetes: the manifests are validated against the Kubernetes API schemas that the
// kubernetes-models package bundles as compiled ajv validators (no cluster here), then checked to agree
// with the package layout; the Prometheus scrape configurations go through promtool.
import { execa } from 'execa';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Service } from 'kubernetes-models/v1/Service';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_PORT, INSTALL_PATHS } from './layout';

const REPO_ROOT = join(import.meta.dirname, '../..');
const DEPLOY_DIR = join(REPO_ROOT, 'deploy/kubernetes');

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: unknown;
}

async function manifests(file: string): Promise<Manifest[]> {
  const documents = parseAllDocuments(await readFile(join(DEPLOY_DIR, file), 'utf8'));
  return documents.map((document) => {
    if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
    return document.toJSON() as Manifest;
  });
}

/** The models (schema validators) for the kinds deploy/kubernetes uses, by apiVersion and kind. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/Service': Service,
  'apps/v1/DaemonSet': DaemonSet,
};

async function validateManifest(manifest: Manifest): Promise<void> {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`no schema model for ${manifest.apiVersion} ${manifest.kind}: add it to MODELS`);
  new Model(manifest as never).validate();
}

const objects = await manifests('daemonset.yaml');
const daemonSet = objects.find((o) => o.kind === 'DaemonSet') as unknown as {
  spec: { template: { metadata: { annotations: Record<string, string> }; spec: PodSpec } };
};
interface PodSpec {
  hostPID?: boolean;
  containers: {
    image: string;
    args: string[];
    ports: { containerPort: number }[];
    securityContext: { capabilities: { add: string[] } };
    volumeMounts: { name: string; mountPath: string }[];
  }[];
  volumes: { name: string; hostPath: { path: string } }[];
}
const pod = daemonSet.spec.template.spec;
const container = pod.containers[0] as PodSpec['containers'][number];

describe('deploy/kubernetes/daemonset.yaml', () => {
  it('holds a Namespace, a DaemonSet and a Service, each valid against the Kubernetes schema', async () => {
    expect(objects.map((o) => o.kind)).toEqual(['Namespace', 'DaemonSet', 'Service']);
    for (const object of objects) await validateManifest(object);
  });

  it('is validated for real: a port given as text is rejected', async () => {
    const broken = structuredClone(objects[1] as Manifest) as unknown as { spec: { template: { spec: PodSpec } } };
    (broken.spec.template.spec.containers[0]?.ports[0] as { containerPort: unknown }).containerPort = 'metrics';
    await expect(validateManifest(broken as unknown as Manifest)).rejects.toThrow(/containerPort must be integer/);
  });

  it('mounts the host kernel interfaces the exporter needs at the same paths', () => {
    const needed = ['/sys/fs/cgroup', '/sys/kernel/btf', '/sys/kernel/tracing', '/sys/fs/bpf'];
    for (const path of needed) {
      const volume = pod.volumes.find((v) => v.hostPath.path === path);
      expect(volume, path).toBeDefined();
      expect(container.volumeMounts).toContainEqual(expect.objectContaining({ name: volume?.name, mountPath: path }));
    }
    expect(pod.hostPID).toBe(true);
    expect(container.securityContext.capabilities.add).toEqual(expect.arrayContaining(['BPF', 'PERFMON']));
  });

  it('runs the packaged examples and is scraped where it listens', async () => {
    const version = (JSON.parse(await readFile(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(container.image).toBe(`ebpf-exporter:${version}`);
    expect(container.args).toContain(`--config.dir=${INSTALL_PATHS.examples}`);
    expect(container.args).toContain(`--web.listen-address=:${DEFAULT_PORT}`);
    expect(container.ports[0]?.containerPort).toBe(DEFAULT_PORT);
    expect(daemonSet.spec.template.metadata.annotations).toEqual({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(DEFAULT_PORT),
      'prometheus.io/path': '/metrics',
    });
  });
});

async function promtoolCheck(file: string): Promise<{ exitCode: number | undefined; output: string }> {
  const result = await execa('promtool', ['check', 'config', join(DEPLOY_DIR, file)], { reject: false, all: true });
  return { exitCode: result.exitCode, output: result.all ?? '' };
}

describe('Prometheus scrape configurations', () => {
  it('prometheus.yml passes promtool check config and finds the pods through the headless Service', async () => {
    const { exitCode, output } = await promtoolCheck('prometheus.yml');
    expect(output).toContain('SUCCESS');
    expect(exitCode).toBe(0);
    const service = objects.find((o) => o.kind === 'Service') as Manifest;
    const text = await readFile(join(DEPLOY_DIR, 'prometheus.yml'), 'utf8');
    expect(text).toContain(`names: [${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local]`);
    expect(text).toContain(`port: ${DEFAULT_PORT}`);
  });

  it('prometheus-kubernetes-sd.yml passes promtool check config', async (context) => {
    const { exitCode, output } = await promtoolCheck('prometheus-kubernetes-sd.yml');
    if (/field kubernetes_sd_configs not found/.test(output)) context.skip('this promtool is built without Kubernetes service discovery (Debian\'s is)');
    expect(output).toContain('SUCCESS');
    expect(exitCode).toBe(0);
  });
});
