import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { validateEnv } from '../../src/config/app.config.js';
import { EnvDto } from '../../src/config/env.dto.js';
import { HealthController } from '../../src/health/health.controller.js';

/** The manifests of deploy/kubernetes, checked against the service's own config and routes. */

interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  ports: { name: string; containerPort: number }[];
  envFrom: ({ configMapRef: { name: string } } | { secretRef: { name: string } })[];
  lifecycle: { preStop: { exec: { command: string[] } } };
  livenessProbe: Probe;
  readinessProbe: Probe;
  startupProbe: Probe;
  resources: { requests: object; limits: object };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
  volumeMounts: { name: string; mountPath: string }[];
}
interface Deployment {
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        terminationGracePeriodSeconds: number;
        securityContext: { runAsNonRoot: boolean; runAsUser: number };
        containers: Container[];
      };
    };
  };
}

const load = <T>(name: string): T =>
  parse(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8')) as T;

const deployment = load<Deployment>('deployment.yaml');
const pod = deployment.spec.template.spec;
const [container] = pod.containers;
const config = load<{ metadata: { name: string }; data: Record<string, string> }>('configmap.yaml');
const secret = load<{ metadata: { name: string }; stringData: Record<string, string> }>(
  'secret.example.yaml',
);
const service = load<{ spec: { ports: { targetPort: string | number }[] } }>('service.yaml');
const pdb = load<{ kind: string; spec: { minAvailable: number } }>('pdb.yaml');
const defaults = new EnvDto();

/** `/health/live` and `/health/ready`, read from the controller's own route metadata. */
function healthRoute(method: 'live' | 'ready'): string {
  const base = Reflect.getMetadata('path', HealthController) as string;
  const path = Reflect.getMetadata('path', HealthController.prototype[method]) as string;
  return `/${base}/${path}`;
}

describe('deploy/kubernetes', () => {
  it('probes the routes HealthController serves, on the named container port', () => {
    expect(container.livenessProbe.httpGet.path).toBe(healthRoute('live'));
    expect(container.startupProbe.httpGet.path).toBe(healthRoute('live'));
    expect(container.readinessProbe.httpGet.path).toBe(healthRoute('ready'));
    for (const probe of [container.livenessProbe, container.readinessProbe]) {
      expect(probe.httpGet.port).toBe('http');
    }
  });

  it('listens where the service does: containerPort = PORT (ConfigMap and EnvDto default)', () => {
    const http = container.ports.find((p) => p.name === 'http');
    expect(http?.containerPort).toBe(defaults.PORT);
    expect(Number(config.data.PORT)).toBe(defaults.PORT);
    expect(service.spec.ports[0].targetPort).toBe('http');
    expect(deployment.spec.template.metadata.annotations['prometheus.io/port']).toBe(
      String(defaults.PORT),
    );
    expect(deployment.spec.template.metadata.annotations['prometheus.io/path']).toBe('/metrics');
    expect(deployment.spec.template.metadata.annotations['prometheus.io/scrape']).toBe('true');
  });

  it('gives SIGTERM more time than the preStop pause plus SHUTDOWN_TIMEOUT_MS', () => {
    const [cmd, seconds] = container.lifecycle.preStop.exec.command;
    const shutdownS = Number(config.data.SHUTDOWN_TIMEOUT_MS) / 1000;
    expect(cmd).toBe('sleep');
    expect(Number(seconds)).toBeGreaterThan(0);
    expect(Number(config.data.SHUTDOWN_TIMEOUT_MS)).toBe(defaults.SHUTDOWN_TIMEOUT_MS);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(Number(seconds) + shutdownS);
  });

  it('takes keys from the Secret and the rest from the ConfigMap, which EnvDto accepts', () => {
    const refs = container.envFrom.map((e) =>
      'configMapRef' in e ? `cm:${e.configMapRef.name}` : `secret:${e.secretRef.name}`,
    );
    expect(refs).toEqual([`cm:${config.metadata.name}`, `secret:${secret.metadata.name}`]);
    expect(Object.keys(config.data).filter((k) => k.includes('KEY'))).toEqual([]);
    expect(() => validateEnv({ ...config.data, ...secret.stringData })).not.toThrow();
  });

  it('runs as non-root with a read-only root file system and the data dirs on a volume', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    const data = container.volumeMounts.find((m) => m.name === 'data')?.mountPath;
    expect(config.data.LOG_DIR.startsWith(`${data}/`)).toBe(true);
    expect(config.data.SPOOL_DIR.startsWith(`${data}/`)).toBe(true);
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits).toBeDefined();
  });

  it('keeps one pod up through voluntary disruptions', () => {
    expect(pdb.kind).toBe('PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
  });
});
