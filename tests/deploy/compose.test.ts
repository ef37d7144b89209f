import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig, PACKAGE_ROOT, SETTINGS } from '../../src/config.js';
import { skipWithReason } from '../helpers/skip.js';

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

/** What the operator sets before `docker compose up` (the README's command). */
const OPERATOR_ENV: Record<string, string> = { POSTGRES_PASSWORD: 'change-me' };

/** Environment as compose passes it: ${VAR:-default} is the variable or its default, ${VAR:?error} the variable. */
function environmentOf(service: Service): Record<string, string> {
  const raw = service.environment ?? {};
  const pairs = Array.isArray(raw)
    ? raw.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string])
    : Object.entries(raw);
  const interpolate = (v: string) =>
    v
      .replace(/\$\{(\w+):-([^}]*)\}/g, (_m, name: string, def: string) => OPERATOR_ENV[name] ?? def)
      .replace(/\$\{(\w+):\?[^}]*\}/g, (_m, name: string) => {
        if (!(name in OPERATOR_ENV)) throw new Error(`${name} is required by docker-compose.yml but not set`);
        return OPERATOR_ENV[name]!;
      });
  return Object.fromEntries(pairs.map(([k, v]) => [k, interpolate(String(v))]));
}

const composeText = fs.readFileSync(composeFile, 'utf8');

const { services, volumes } = parse(composeText, { merge: true }) as Compose;

describe('docker-compose.yml', () => {
  const storylineServices = Object.entries(services).filter(([, s]) => s.build !== undefined);

  it('sets only variables that src/config.ts knows, with values it accepts', () => {
    expect(storylineServices.map(([name]) => name).sort()).toEqual(['storyline', 'worker']);
    for (const [name, service] of storylineServices) {
      const env = environmentOf(service);
      expect(
        Object.keys(env).filter((k) => !settingKeys.has(k)),
        `${name} sets unknown variables`,
      ).toEqual([]);
      expect(() => loadConfig(env)).not.toThrow();
    }
  });

  it('runs one web process and two workers on the Postgres service’s database', () => {
    const postgres = environmentOf(services.postgres!);
    for (const [name, service] of storylineServices) {
      const url = new URL(environmentOf(service).DATABASE_URL!);
      expect([url.hostname, url.port, url.pathname, url.username, url.password], name).toEqual([
        'postgres',
        '5432',
        `/${postgres.POSTGRES_DB}`,
        postgres.POSTGRES_USER,
        postgres.POSTGRES_PASSWORD,
      ]);
      expect(service.depends_on?.postgres?.condition).toBe('service_healthy');
      expect(service.image).toBe('storyline:latest');
    }
    const web = loadConfig(environmentOf(services.storyline!));
    expect([web.run, web.host, web.port]).toEqual([['server'], '0.0.0.0', 8080]);
    expect(services.storyline!.ports).toEqual(['8080:8080']);
    const worker = loadConfig(environmentOf(services.worker!));
    expect(worker.run).toEqual(['worker']);
    expect(services.worker!.deploy?.replicas).toBe(2);
    expect(services.worker!.ports).toBeUndefined();
    // Workers have no pages: their metrics listener is what Prometheus scrapes and the health check asks.
    expect(worker.metricsPort).toBe(9464);
    expect(JSON.stringify(services.worker!.healthcheck?.test)).toContain(`127.0.0.1:${worker.metricsPort}/healthz`);
  });

  it('requires POSTGRES_PASSWORD: no service falls back to a default password', () => {
    const uses = [...composeText.matchAll(/\$\{POSTGRES_PASSWORD([^}]*)\}/g)].map((m) => m[1]!);
    expect(uses.length).toBeGreaterThanOrEqual(3);
    for (const use of uses)
      expect(use, 'each use of POSTGRES_PASSWORD is ${POSTGRES_PASSWORD:?message}').toMatch(/^:\?\S/);
    expect(composeText).not.toMatch(/POSTGRES_PASSWORD:-/);
  });

  it('keeps Postgres data in a named volume and reports Postgres healthy only when it accepts connections', () => {
    const postgres = services.postgres!;
    expect(postgres.image).toBe('postgres:16');
    expect(postgres.volumes).toContain('postgres-data:/var/lib/postgresql/data');
    expect(Object.keys(volumes ?? {})).toContain('postgres-data');
    expect(JSON.stringify(postgres.healthcheck?.test)).toContain('pg_isready');
  });

  it('passes docker-compose’s own validation, and refuses to start without POSTGRES_PASSWORD', (ctx) => {
    const { POSTGRES_PASSWORD: _unset, ...env } = process.env;
    const check = spawnSync('docker-compose', ['-f', composeFile, 'config', '-q'], {
      encoding: 'utf8',
      env: { ...env, ...OPERATOR_ENV },
    });
    if (check.error) {
      skipWithReason(ctx, 'docker-compose is not installed (apt-get install docker-compose; .ci/run does)');
    }
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const without = spawnSync('docker-compose', ['-f', composeFile, 'config', '-q'], { encoding: 'utf8', env });
    expect(without.status).not.toBe(0);
    expect(without.stderr).toContain('set POSTGRES_PASSWORD');
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
    for (const copied of [
      'COPY bin ./bin',
      'COPY sql ./sql',
      'COPY src/sources/default.opml ./src/sources/default.opml',
    ])
      expect(dockerfile).toContain(copied);
    const envKeys = [...dockerfile.matchAll(/^\s+(?:ENV\s+)?([A-Z_]+)=\S+/gm)]
      .map((m) => m[1]!)
      .filter((k) => k !== 'NODE_ENV');
    expect(envKeys).toEqual(['HOST', 'PORT', 'DATA_DIR']);
    expect(envKeys.filter((k) => !settingKeys.has(k))).toEqual([]);
  });
});
