import { kubeconfigExec } from '../../core/generate/index';
import { KubeconfigUpdateError, updateKubeconfigUser } from '../../core/kubeconfig/update';
import { defaultKubeconfigLocation } from '../../core/kubeconfig/location';
import { isProviderId, PROVIDER_PRESETS } from '../../core/providers/presets';
import { setupWithDefaults } from '../../core/generate/setup';
import { parseArgs, requireFlag } from '../args';
import { ExitCode, InputError, UsageError, type Command, type CommandIo } from '../command';
import { readTextFile } from '../input';

const SET_USER_USAGE = `Usage: talos-oidc kubeconfig set-user --name NAME --issuer URL --client-id ID [options]

Adds (or updates) a kubeconfig user that logs in through kubelogin (kubectl oidc-login),
changing nothing else in the file: comments, order, quoting and other entries stay as they
are. The file is written atomically; the previous content is kept in <file>.bak.

Options:
  --kubeconfig FILE      the file to edit (default as kubectl: the first existing file of
                         $KUBECONFIG, else its first, else ~/.kube/config; created when missing)
  --name NAME            the user's name in the kubeconfig (required)
  --issuer URL           the OIDC issuer (required)
  --client-id ID         the OAuth client ID, not a URL (required)
  --extra-scope S        repeatable; default from the provider preset (pocket-id: groups)
  --listen-address A     repeatable kubelogin --listen-address (only when not the default)
  --ca-file PEM          kubelogin --certificate-authority for a self-signed issuer
  --provider ID          provider preset (default pocket-id)
  --context NAME         also add or update a context NAME for the user ...
  --cluster NAME         ... on this cluster (must exist in the file)
  --namespace NS         the context's namespace
  --use-context          switch current-context to the context
  --dry-run              print the resulting file instead of writing it
Exit status: 0 written or already up to date, 1 refused (the file changed meanwhile, invalid
YAML, duplicate users), 2 bad usage.`;

async function setUser(args: string[], io: CommandIo): Promise<number> {
  const { flags, positionals, help } = parseArgs(args, {
    kubeconfig: 'string',
    name: 'string',
    issuer: 'string',
    'client-id': 'string',
    'extra-scope': 'list',
    'listen-address': 'list',
    'ca-file': 'string',
    provider: 'string',
    context: 'string',
    cluster: 'string',
    namespace: 'string',
    'use-context': 'boolean',
    'dry-run': 'boolean',
  });
  if (help) {
    io.stdout(`${SET_USER_USAGE}\n`);
    return ExitCode.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const name = requireFlag(flags.name, 'name');
  const issuerUrl = requireFlag(flags.issuer, 'issuer');
  const clientId = requireFlag(flags['client-id'], 'client-id');
  if (/^https?:\/\//i.test(clientId))
    throw new UsageError(`--client-id is the OAuth client ID, not a URL (got '${clientId}')`);
  const provider = flags.provider ?? 'pocket-id';
  if (!isProviderId(provider))
    throw new UsageError(`unknown provider '${provider}' (known: ${PROVIDER_PRESETS.map((p) => p.id).join(', ')})`);
  if ((flags.context === undefined) !== (flags.cluster === undefined))
    throw new UsageError('--context and --cluster go together');
  if (flags['use-context'] && flags.context === undefined)
    throw new UsageError('--use-context needs --context and --cluster');
  if (flags.namespace !== undefined && flags.context === undefined)
    throw new UsageError('--namespace needs --context and --cluster');

  const setup = setupWithDefaults({
    provider,
    issuerUrl,
    clientId,
    extraScopes:
      flags['extra-scope'].length > 0 ? flags['extra-scope'].flatMap((s) => s.split(',')).filter(Boolean) : undefined,
    listenAddresses: flags['listen-address'].length > 0 ? flags['listen-address'] : undefined,
    clientCaFile: flags['ca-file'],
  });
  const file = defaultKubeconfigLocation({
    setting: flags.kubeconfig,
    env: io.env,
    home: io.env.HOME || undefined,
    cwd: io.cwd,
  }).path;
  const shown = flags.kubeconfig ?? file;

  let original: string | null;
  try {
    original = await readTextFile(file, io.cwd);
  } catch (error) {
    if (!(error instanceof InputError) || !/no such file/.test(error.message)) throw error;
    original = null;
  }

  let result;
  try {
    result = await updateKubeconfigUser(
      file,
      original,
      {
        name,
        exec: kubeconfigExec(setup),
        context:
          flags.context !== undefined
            ? { name: flags.context, cluster: flags.cluster!, namespace: flags.namespace }
            : undefined,
        useContext: flags['use-context'],
      },
      { dryRun: flags['dry-run'] },
    );
  } catch (error) {
    if (error instanceof KubeconfigUpdateError) {
      io.stderr(`talos-oidc kubeconfig set-user: ${shown}: ${error.message}\n`);
      return ExitCode.failed;
    }
    throw error;
  }

  if (flags['dry-run']) {
    io.stdout(result.text);
    return ExitCode.ok;
  }
  if (!result.changed) {
    io.stdout(`${shown}: user "${name}" is already up to date; nothing written\n`);
    return ExitCode.ok;
  }
  const backup = result.backupPath ? ` (previous content in ${result.backupPath})` : '';
  io.stdout(
    `${shown}: ${result.created ? 'created with' : 'wrote'} user "${name}"${flags.context ? ` and context "${flags.context}"` : ''}${backup}\n`,
  );
  if (flags['use-context']) io.stdout(`current-context is now "${flags.context}"\n`);
  return ExitCode.ok;
}

export const kubeconfigCommand: Command = {
  name: 'kubeconfig',
  summary: 'Edit a kubeconfig safely: kubeconfig set-user adds the kubelogin user (and a context)',
  usage: `Usage: talos-oidc kubeconfig set-user [options]   (talos-oidc kubeconfig set-user --help)\n\n${SET_USER_USAGE}`,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout(`${this.usage}\n`);
      return sub === undefined ? ExitCode.usage : ExitCode.ok;
    }
    if (sub !== 'set-user') throw new UsageError(`unknown subcommand '${sub}' (available: set-user)`);
    return setUser(rest, io);
  },
};
