import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

/** validate.sh needs kubectl (or kustomize) and PyYAML: `npm test` installs them (scripts/lib/ensure-deploy-tools.sh). */
function missingTools(): string | undefined {
  const render = ['kubectl', 'kustomize'].some((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
  if (!render) return 'neither kubectl nor kustomize is on the PATH (run scripts/lib/ensure-deploy-tools.sh)';
  if (spawnSync('python3', ['-c', 'import yaml']).status !== 0) return 'PyYAML is missing (run scripts/lib/ensure-deploy-tools.sh)';
  return undefined;
}
const withTools = (name: string, test: () => void) =>
  it(name, () => {
    const missing = missingTools();
    if (missing) throw new Error(missing);
    test();
  });

/**
 * deploy/k8s/validate.sh, run on a temporary copy of deploy/k8s and docker-compose.yml (laid out
 * as in the repository) with one change, must fail naming the image that does not match.
 */
describe('deploy/k8s/validate.sh: one image name per service', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'validate-images-'));
    cpSync(join(ROOT, 'deploy/k8s'), join(dir, 'deploy/k8s'), { recursive: true });
    cpSync(join(ROOT, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const edit = (file: string, from: string | RegExp, to: string) => {
    const path = join(dir, file);
    const before = readFileSync(path, 'utf8');
    const after = before.replace(from, to);
    expect(after).not.toBe(before);
    writeFileSync(path, after);
  };
  const validate = () => {
    const run = spawnSync('bash', [join(dir, 'deploy/k8s/validate.sh')], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFORM_SCHEMA_LOCATION: '' },
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  };

  withTools('passes on the repository manifests', () => {
    const { status, output } = validate();
    expect(output).toContain('docker-compose.yml builds the same four image names');
    expect(status).toBe(0);
  });

  withTools('fails when a Deployment runs an image of another name (the worker as shop/notification)', () => {
    edit(
      'deploy/k8s/base/notification-service.yaml',
      /(name: notification-worker\n\s+image: )shop\/notification-service/,
      '$1shop/notification',
    );
    const { status, output } = validate();
    expect(output).toMatch(
      /Deployment\/notification-worker container notification-worker: image shop\/notification is none of the services' images/,
    );
    expect(status).not.toBe(0);
  });

  withTools('fails when the production overlay leaves an image unreplaced', () => {
    edit('deploy/k8s/overlays/production/kustomization.yaml', '- name: shop/notification-service', '- name: shop/notification');
    const { status, output } = validate();
    expect(output).toContain('image shop/notification-service was not replaced by the overlay');
    expect(output).toContain('retags shop/notification, which is none of the services');
    expect(status).not.toBe(0);
  });

  withTools('fails when docker-compose.yml builds one service under the image name of another', () => {
    edit('docker-compose.yml', "args: { SERVICE: order-service, PORT: '3003' }", "args: { SERVICE: product-service, PORT: '3003' }");
    const { status, output } = validate();
    expect(output).toContain('compose service order-service tags shop/order-service but builds SERVICE=product-service');
    expect(status).not.toBe(0);
  });

  withTools('fails when docker-compose.yml tags an image of another name', () => {
    edit('docker-compose.yml', 'image: shop/order-service:dev', 'image: shop/orders:dev');
    const { status, output } = validate();
    expect(output).toContain('docker-compose.yml tags the images');
    expect(status).not.toBe(0);
  });
});
