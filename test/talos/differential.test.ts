/**
 * Talos's own config code judges the extension: every generator output, every quick fix result,
 * the insert commands on configs made by each Talos version's `gen config`, and the project's
 * fixtures. A disagreement fails the test with what Talos said and what the tool said.
 */
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  generatePatch,
  insertOidcEdits,
  setupWithDefaults,
  type OidcSetup,
  type PatchLayout,
} from '../../src/core/generate';
import { applyTextEdits } from '../../src/core/generate/insert';
import { migrateExtraArgsToKubeAuthenticationConfig } from '../../src/core/generate/migrate';
import { checkFiles } from '../../src/core/checks';
import { PROVIDER_PRESETS } from '../../src/core/providers/presets';
import { parseYamlFile } from '../../src/core/workspace/parse';
import { compare, record, tally } from './compare';
import { TALOS_MINORS, TalosJudge, type TalosMinor } from './judge';

const FIXTURES = join(__dirname, '..', 'fixtures', 'configs');

/**
 * The Talos fixtures, `<folder>/<file>`. The `shapes/` folders are whole repositories (talhelper,
 * JSON patches, monorepos) whose files are not machine configs or strategic-merge patches as they
 * stand: the real-world suite covers them, not this judge.
 */
function fixtureFiles(): string[] {
  const files: string[] = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true })) {
    if (!dir.isDirectory() || dir.name === 'shapes') continue;
    for (const file of readdirSync(join(FIXTURES, dir.name), { withFileTypes: true })) {
      if (file.isFile()) files.push(join(dir.name, file.name));
    }
  }
  return files;
}
const CA_PEM = readFileSync(join(__dirname, 'testdata', 'issuer-ca.pem'), 'utf8');

const judges = new Map<TalosMinor, TalosJudge>();
const generated = new Map<TalosMinor, { controlplane: string; worker: string }>();

function judge(minor: TalosMinor): TalosJudge {
  const found = judges.get(minor);
  if (!found) throw new Error(`no judge for Talos ${minor}`);
  return found;
}

function setups(): { label: string; setup: OidcSetup }[] {
  const out: { label: string; setup: OidcSetup }[] = [];
  for (const preset of PROVIDER_PRESETS) {
    for (const ca of [false, true]) {
      for (const required of [false, true]) {
        const setup = setupWithDefaults({
          provider: preset.id,
          issuerUrl: 'https://id.example.com',
          clientId: 'a60960a8-c856-43b7-add7-50d83bf7eeab',
          ...(ca ? { caPem: CA_PEM, caFile: '/var/lib/oidc/ca.pem' } : {}),
          ...(required ? { requiredClaims: { hd: 'example.com', tier: 'admins' } } : {}),
        });
        out.push({ label: `${preset.id}${ca ? ' +CA' : ''}${required ? ' +required claims' : ''}`, setup });
      }
    }
  }
  return out;
}

before(async function () {
  this.timeout(30 * 60 * 1000);
  for (const minor of TALOS_MINORS) {
    const started = await TalosJudge.start(minor);
    judges.set(minor, started);
    generated.set(minor, {
      controlplane: await started.generate('controlplane'),
      worker: await started.generate('worker'),
    });
  }
});

after(() => {
  for (const started of judges.values()) started.close();
  const perVersion = [...tally.compared].map(([minor, n]) => `Talos ${minor}: ${n}`).join(', ');
  console.log(`\n  configs compared with Talos's code: ${perVersion}; disagreements: ${tally.disagreements.length}`);
});

async function expectAgreement(run: () => Promise<string[]>): Promise<void> {
  const disagreements = await run();
  record(disagreements);
  assert.deepEqual(disagreements, []);
}

describe('Talos judges the generated patches', () => {
  for (const layout of ['legacy', 'multi-document'] as PatchLayout[]) {
    for (const minor of TALOS_MINORS) {
      it(`${layout} patch, every provider preset, with and without CA and required claims, on Talos ${minor}'s gen config`, async () => {
        const disagreements: string[] = [];
        for (const { label, setup } of setups()) {
          const patch = generatePatch(setup, layout);
          // Talos 1.14's gen config has a KubeAPIServerConfig: the legacy patch is for configs made by 1.13 and upgraded.
          const baseMinor = layout === 'legacy' && minor === '1.14' ? '1.13' : minor;
          disagreements.push(
            ...(await compare(
              judge(minor),
              `${layout} patch ${label}`,
              generated.get(baseMinor)!.controlplane,
              [patch],
              {},
              ['TOIDC112', 'TOIDC114'],
            )),
          );
          if (layout === 'legacy' && minor === '1.14') {
            // ...and on a config made by 1.14 Talos rejects it, which a finding must say.
            disagreements.push(
              ...(await compare(
                judge(minor),
                `${layout} patch ${label} on a 1.14-made config`,
                generated.get('1.14')!.controlplane,
                [patch],
              )),
            );
          }
          if (layout === 'multi-document' && minor === '1.14') {
            // On a config made by 1.13 and upgraded, Talos adds the document and ignores it (TOIDC121 says so).
            disagreements.push(
              ...(await compare(
                judge(minor),
                `${layout} patch ${label} on a 1.13-made config`,
                generated.get('1.13')!.controlplane,
                [patch],
              )),
            );
          }
        }
        record(disagreements);
        assert.deepEqual(disagreements, []);
      });
    }
  }
});

describe('Talos judges the documents in the wrong place', () => {
  it('a KubeAuthenticationConfig in a worker config: Talos rejects it, TOIDC113 says so as an error', async () => {
    const patch = generatePatch(setups()[0].setup, 'multi-document');
    await expectAgreement(() =>
      compare(judge('1.14'), 'multi-document patch on a worker', generated.get('1.14')!.worker, [patch]),
    );
    const verdict = await judge('1.14').judge(generated.get('1.14')!.worker, [patch]);
    assert.match(
      verdict.errors?.join('\n') ?? '',
      /only allowed on control plane machines: \[KubeAuthenticationConfig\]/,
    );
  });

  it('oidc-* flags beside a KubeAuthenticationConfig in a 1.13-made config on Talos 1.14: the flags reach the API server, no TOIDC104', async () => {
    const setup = setups()[0].setup;
    const legacy = await judge('1.14').judge(generated.get('1.13')!.controlplane, [
      generatePatch(setup, 'legacy'),
      generatePatch(setup, 'multi-document'),
    ]);
    assert.ok(legacy.patched, legacy.patchError);
    assert.equal(legacy.apiServer?.useAuthenticationConfig, false);
    await expectAgreement(() =>
      compare(judge('1.14'), 'legacy flags beside KubeAuthenticationConfig', legacy.patched!),
    );
  });
});

describe("Talos's typed check of the AuthenticationConfiguration body", () => {
  const bodies: [string, string][] = [
    [
      'audiences as a string',
      '    - issuer:\n        url: https://id.example.com\n        audiences: abc\n      claimMappings:\n        username: {claim: sub, prefix: ""}\n',
    ],
    [
      'claim as a number',
      '    - issuer:\n        url: https://id.example.com\n        audiences: [abc]\n      claimMappings:\n        username: {claim: 5, prefix: ""}\n',
    ],
  ];
  // An unknown field passes Talos's check (it converts without returnUnknownFields) and is left to
  // the API server's strict decoding; wrong types are refused by Talos itself.
  it('a body Talos cannot turn into the file gets an error finding', async () => {
    const disagreements: string[] = [];
    for (const [label, jwt] of bodies) {
      const patch = `apiVersion: v1alpha1\nkind: KubeAuthenticationConfig\nconfiguration:\n  anonymous: {enabled: false}\n  jwt:\n${jwt}`;
      const verdict = await judge('1.14').judge(generated.get('1.14')!.controlplane, [patch]);
      assert.ok(
        verdict.apiServer?.authenticationConfigError,
        `Talos refuses the body (${label}): ${JSON.stringify(verdict.apiServer)}`,
      );
      disagreements.push(
        ...(await compare(judge('1.14'), `body ${label}`, generated.get('1.14')!.controlplane, [patch])),
      );
    }
    record(disagreements);
    assert.deepEqual(disagreements, []);
  });
});

describe('Talos judges Insert API Server OIDC Settings on gen config outputs', () => {
  for (const minor of TALOS_MINORS) {
    it(`inserts into Talos ${minor}'s controlplane config`, async () => {
      const disagreements: string[] = [];
      const base = generated.get(minor)!.controlplane;
      for (const { label, setup } of setups()) {
        const plan = insertOidcEdits({ file: '/cfg/controlplane.yaml', text: base }, setup);
        const inserted = applyTextEdits(base, plan.edits);
        disagreements.push(...(await compare(judge(minor), `insert (${plan.layout}) ${label}`, inserted)));
      }
      record(disagreements);
      assert.deepEqual(disagreements, []);
    });
  }
});

describe('Talos judges Migrate extraArgs OIDC block', () => {
  it('on a config made by Talos 1.13 and upgraded to 1.14: Talos uses the authentication config afterwards', async () => {
    const disagreements: string[] = [];
    for (const { label, setup } of setups().filter(({ setup }) => !setup.caPem)) {
      const legacy = await judge('1.13').judge(generated.get('1.13')!.controlplane, [generatePatch(setup, 'legacy')]);
      assert.ok(legacy.patched, `Talos 1.13 applies the legacy patch (${legacy.patchError})`);
      const parsed = parseYamlFile('/cfg/controlplane.yaml', legacy.patched);
      const result = migrateExtraArgsToKubeAuthenticationConfig(parsed, { talosVersion: 'v1.14' });
      if ('error' in result) {
        disagreements.push(`migrate ${label}: refused (${result.error})`);
        continue;
      }
      const migrated = applyTextEdits(legacy.patched, result.fix.edits);
      disagreements.push(...(await compare(judge('1.14'), `migrate ${label}`, migrated)));
      const verdict = await judge('1.14').judge(migrated);
      if (!verdict.apiServer?.useAuthenticationConfig)
        disagreements.push(`migrate ${label}: Talos 1.14 does not pass --authentication-config after the migration`);
    }
    await expectAgreement(async () => disagreements);
  });

  for (const minor of ['1.12', '1.13'] as TalosMinor[]) {
    it(`refuses with the reason on Talos ${minor}, whose config code has no KubeAuthenticationConfig`, async () => {
      const setup = setups()[0].setup;
      const legacy = await judge(minor).judge(generated.get(minor)!.controlplane, [generatePatch(setup, 'legacy')]);
      assert.ok(legacy.patched);
      const result = migrateExtraArgsToKubeAuthenticationConfig(
        parseYamlFile('/cfg/controlplane.yaml', legacy.patched),
        { talosVersion: `v${minor}` },
      );
      assert.ok('error' in result, 'the migration is refused');
      assert.match(result.error, new RegExp(`Talos ${minor.replace('.', '\\.')}`));
      const kac = await judge(minor).judge(legacy.patched, [generatePatch(setup, 'multi-document')]);
      assert.match(kac.patchError ?? kac.loadError ?? '', /not registered/, 'and Talos indeed has no such kind');
    });
  }
});

describe("Talos judges the project's fixtures", () => {
  const files = fixtureFiles();
  for (const minor of TALOS_MINORS) {
    it(`every Talos fixture on Talos ${minor}, merged onto its gen config`, async () => {
      const disagreements: string[] = [];
      for (const file of files) {
        const text = readFileSync(join(FIXTURES, file), 'utf8');
        const parsed = parseYamlFile(join(FIXTURES, file), text);
        if (!parsed.talos) continue;
        // The fixtures hold the OIDC parts of a config without its secrets: merged onto a config
        // made by this version's gen config (as `talosctl machineconfig patch` does), they get them.
        // A whole legacy config on Talos 1.14 is a cluster made by 1.13 and upgraded: its base is 1.13's.
        const baseMinor =
          minor === '1.14' && !parsed.talos.isPatch && parsed.talos.kubeApiServerConfigs.length === 0 ? '1.13' : minor;
        const base =
          generated.get(baseMinor)![parsed.talos.machineType?.value === 'worker' ? 'worker' : 'controlplane'];
        disagreements.push(...(await compare(judge(minor), `fixture ${file}`, base, [text])));
      }
      record(disagreements);
      assert.deepEqual(disagreements, []);
    });
  }
});

describe('Talos judges every quick fix result', () => {
  /** Configs with something to fix: the fixtures, and flag blocks with typical mistakes on each version's config. */
  function broken(minor: TalosMinor): { label: string; text: string; base?: string }[] {
    const out: { label: string; text: string; base?: string }[] = [];
    for (const file of fixtureFiles()) {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      if (parseYamlFile(join(FIXTURES, file), text).talos) out.push({ label: `fixture ${file}`, text });
    }
    const flagsBase = minor === '1.14' ? '1.13' : minor;
    const mistakes: [string, string][] = [
      [
        'misspelled flag',
        '      oidc-issuer-url: https://id.example.com\n      oidc-client-id: abc\n      oidc-groups-claims: groups\n',
      ],
      [
        'http issuer, EdDSA',
        '      oidc-issuer-url: http://id.example.com\n      oidc-client-id: abc\n      oidc-signing-algs: EdDSA\n',
      ],
      [
        'missing client id, groups prefix alone',
        '      oidc-issuer-url: https://id.example.com/\n      oidc-groups-prefix: "oidc:"\n',
      ],
      [
        'required claims as a list',
        '      oidc-issuer-url: https://id.example.com\n      oidc-client-id: abc\n      oidc-required-claim:\n        - hd=example.com\n        - tier=gold\n',
      ],
      [
        'CA file not mounted',
        '      oidc-issuer-url: https://id.example.com\n      oidc-client-id: abc\n      oidc-ca-file: /var/lib/oidc/ca.pem\n',
      ],
    ];
    for (const [label, block] of mistakes) {
      out.push({
        label,
        text: `cluster:\n  apiServer:\n    extraArgs:\n${block}`,
        base: generated.get(flagsBase)!.controlplane,
      });
    }
    return out;
  }

  for (const minor of TALOS_MINORS) {
    it(`applies each fix and judges the result on Talos ${minor}`, async () => {
      const disagreements: string[] = [];
      let fixes = 0;
      for (const { label, text, base } of broken(minor)) {
        // A patch is merged onto the base first, so the fix is judged on the config a user would have.
        const startVerdict = base ? await judge(minor).judge(base, [text]) : undefined;
        // Where Talos refuses the patch (a list value before 1.14), the block goes into the config's text as a user would write it.
        const start =
          startVerdict?.patched ??
          (base
            ? base.replace(
                /\n {4}apiServer:\n/,
                (key) =>
                  `${key}        extraArgs:\n${text
                    .split('\n')
                    .slice(3)
                    .map((line) => (line ? `      ${line}` : line))
                    .join('\n')}`,
              )
            : text);
        const parsed = parseYamlFile('/cfg/config.yaml', start);
        const findings = checkFiles([parsed], { talosVersion: `v${minor}` });
        for (const finding of findings) {
          for (const fix of finding.fixes ?? []) {
            const edits = fix.edits.filter((edit) => edit.file === parsed.file);
            if (edits.length === 0) continue;
            fixes++;
            const fixed = applyTextEdits(start, edits);
            const fullConfig = !parsed.talos?.isPatch;
            const fixedBase = fullConfig
              ? generated.get(minor === '1.14' && parsed.talos?.kubeApiServerConfigs.length === 0 ? '1.13' : minor)!
                  .controlplane
              : generated.get(minor)!.controlplane;
            disagreements.push(
              ...(await compare(judge(minor), `${label}: ${finding.code} "${fix.title}"`, fixedBase, [fixed])),
            );
          }
        }
      }
      assert.ok(fixes > 10, `quick fixes were exercised (${fixes})`);
      console.log(`    ${fixes} quick fixes applied and judged on Talos ${minor}`);
      record(disagreements);
      assert.deepEqual(disagreements, []);
    });
  }
});
