import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, PACKAGE_ROOT, SETTINGS } from '../../src/config.js';

type Service = {
  build?: unknown;
  image?: string;
  environment?: Record<string, string | number> | string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  volumes?: string[];
  ports?: string[];
  deploy?: { replicas?: number };
};
type Compose = { services: Record<string, Service>; volumes?: Record<string, unknown> };

const composeFile = path.join(PACKAGE_ROOT, 'docker-compose.yml');
const settingKeys = new Set(Object.values(SETTINGS).map((s) => s.key));

/** Environment as compose passes it, with ${VAR:-default} interpolated to its default. */
function environmentOf(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  const pairs = Array.isArray(raw) ? raw.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string]) : Object.entries(raw);
  return Object.fromEntries(pairs.map(([k, v]) => [k, String(v).replace(/\$\{\w+:-([^}]*)\}/g, '$1')]));
}

const { services, volumes } = parse(fs.readFileSync(composeFile, 'utf8'), { merge: true }) as Compose;

describe('docker-compose.yml', () => {
  const storylineServices = Object.entries(services).filter(([, s]) => s.build !== undefined);

  it('sets only variables that src/config.ts knows, with values it accepts', () => {
    expect(storylineServices.map(([name]) => name).sort()).toEqual(['storyline', 'worker']);
    for (const [name, service] of storylineServices) {
      const env = environmentOf(service);
      expect(Object.keys(env).filter((k) => !settingKeys.has(k)), `${name} sets unknown variables`).toEqual([]);
      expect(() => loadConfig(env)).not.toThrow();
    }
  });

  it('runs one web process and two workers on the Postgres service’s database', () => {
    const postgres = environmentOf(services.postgres!);
    for (const [name, service] of storylineServices) {
      const url = new URL(environmentOf(service).DATABASE_URL!);
      expect([url.hostname, url.port, url.pathname, url.username, url.password], name).toEqual([
        'postgres', '5432', `/${postgres.POSTGRES_DB}`, postgres.POSTGRES_USER, postgres.POSTGRES_PASSWORD,
      ]);
      expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
      expect(service.image).toBe('storyline:latest');
    }
    const web = loadConfig(environmentOf(services.storyline!));
    expect([web.run, web.host, web.port]).toEqual([['server'], '0.0.0.0', 8080]);
    expect(services.storyline!.ports).toEqual(['8080:8080']);
    expect(loadConfig(environmentOf(services.worker!)).run).toEqual(['worker']);
    expect(services.worker!.deploy?.replicas).toBe(2);
    expect(services.worker!.ports).toBeUndefined();
  });

  it('keeps Postgres data in a named volume and reports Postgres healthy only when it accepts connections', () => {
    const postgres = services.postgres!;
    expect(postgres.image).toBe('postgres:16');
    expect(postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(Object.keys(volumes ?? {})).toContain('postgres-data');
    expect(JSON.stringify(postgres.healthcheck?.test)).toContain('pg_isready');
  });

  it('passes docker-compose’s own validation', (ctx) => {
    const check = spawnSync('docker-compose', ['-f', composeFile, 'config', '-q'], { encoding: 'utf8' });
    if (check.error) {
      const reason = 'docker-compose is not installed (apt-get install docker-compose; .ci/run does)';
      console.warn(`skipped "${ctx.task.name}": ${reason}`);
      ctx.skip(reason);
    }
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(PACKAGE_ROOT, 'Dockerfile'), 'utf8');

  it('builds with the package’s build script, runs as node, starts the service and checks /healthz', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim AS build$/m);
    expect(dockerfile).toContain('npm run build');
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^EXPOSE 8080$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m);
    expect(dockerfile).toMatch(/^CMD \["node", "bin\/storyline.js", "start"\]$/m);
  });

  it('copies every file the compiled service reads at run time', () => {
    for (const copied of ['COPY bin ./bin', 'COPY sql ./sql', 'COPY src/sources/default.opml ./src/sources/default.opml']) expect(dockerfile).toContain(copied);
    const envKeys = [...dockerfile.matchAll(/^\s+(?:ENV\s+)?([A-Z_]+)=\S+/gm)].map((m) => m[1]!).filter((k) => k !== 'NODE_ENV');
    expect(envKeys).toEqual(['HOST', 'PORT', 'DATA_DIR']);
    expect(envKeys.filter((k) => !settingKeys.has(k))).toEqual([]);
  });
});
