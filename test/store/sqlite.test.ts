import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeStoreConformance } from './conformance';
import { describeMirrorConformance } from './mirror-conformance';
import { describeHandOffConformance } from './hand-off-conformance';
import { describeCardConformance } from './card-conformance';

describeStoreConformance('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-store-'));
  return {
    url: `sqlite:${path.join(dir, 'uld.sqlite')}`,
    options: {},
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

describeMirrorConformance('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-store-'));
  return {
    url: `sqlite:${path.join(dir, 'uld.sqlite')}`,
    options: {},
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

describeCardConformance('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-store-'));
  return {
    url: `sqlite:${path.join(dir, 'uld.sqlite')}`,
    options: {},
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});

describeHandOffConformance('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'uld-store-'));
  return {
    url: `sqlite:${path.join(dir, 'uld.sqlite')}`,
    options: {},
    dispose: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
});
