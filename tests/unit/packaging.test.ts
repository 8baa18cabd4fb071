/** The packaging config sets the fuses Electron's security checklist recommends. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_VERSION } from '../../src/shared/version';

describe('packaging', () => {
  it('turns off RunAsNode, NODE_OPTIONS and inspect, and loads the app only from an integrity-checked asar', () => {
    const config = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../electron-builder.json'), 'utf8')) as {
      asar: boolean;
      files: string[];
      electronFuses: Record<string, boolean>;
    };
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // The browser host and the CLI are never part of the packaged app.
    expect(config.files.some((f) => f.includes('host') || f.includes('cli'))).toBe(false);
  });

  it('names the version package.json gives (the methods text researchers paste cites it)', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    expect(APP_VERSION).toBe(pkg.version);
  });
});
