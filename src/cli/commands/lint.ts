import { checkFiles, type Finding } from '../../core/checks/index';
import { parseTalosVersion } from '../../core/talos/version';
import { parseYamlFile } from '../../core/workspace/parse';
import { LINT_PARSE_BUDGET_MS } from '../../core/yaml/source';
import type { ParsedFile } from '../../core/workspace/types';
import { parseArgs, parseFormat } from '../args';
import { ExitCode, InputError, UsageError, type Command } from '../command';
import { collectYamlFiles, readTextFile, SkippedFileError } from '../input';

/** How many files are read at once. */
const READ_AHEAD = 32;

export interface LintRecord {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

/** A finding as the JSON output writes it: 1-based lines and columns, end exclusive. */
export function toLintRecord(finding: Finding): LintRecord {
  return {
    file: finding.file,
    line: finding.range.start.line + 1,
    column: finding.range.start.character + 1,
    endLine: finding.range.end.line + 1,
    endColumn: finding.range.end.character + 1,
    severity: finding.severity,
    code: finding.code,
    message: finding.message,
  };
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'Check Talos configs, patches, AuthenticationConfigurations, RBAC and kubeconfigs for OIDC mistakes',
  usage: `Usage: talos-oidc lint <file|dir>... [--format text|json] [--talos-version v1.x]

Checks the OIDC settings of Talos machine configs (either layout), Talos patches
(strategic merge or JSON patch), talhelper talconfig.yaml files (their inline and
@file patches), AuthenticationConfiguration files, RBAC bindings and kubeconfigs.
Directories are searched for *.yaml, *.yml and Jinja templates of them (*.yaml.j2);
node_modules and .git are skipped. Workspace-level checks (a binding for the OIDC
identity exists, a kubeconfig matches the API server) consider the files given
together. Folders whose configs trust different issuers are different clusters: a
kubeconfig or binding is compared with its own folder's cluster only, and each
finding names its cluster.

Options:
  --format text|json   text (default): file:line:column: severity code: message
                       json: an array of {file, line, column, endLine, endColumn,
                       severity, code, message}, lines and columns 1-based
  --talos-version v1.x the Talos release of configs that name none (no installer
                       image tag, no "# talos: v1.x" comment); decides checks such as
                       TOIDC122 (document kinds) and TOIDC123 (list values)
Exit status: 0 no errors, 1 at least one error, 2 bad usage or unreadable input.`,
  async run(args, io) {
    const { flags, positionals, help } = parseArgs(args, { format: 'string', 'talos-version': 'string' });
    if (help) {
      io.stdout(`${this.usage}\n`);
      return ExitCode.ok;
    }
    const format = parseFormat(flags.format);
    if (positionals.length === 0) throw new UsageError('give at least one file or directory to lint');

    const candidates = await collectYamlFiles(positionals, io.cwd);
    const parsed: ParsedFile[] = [];
    let inputProblems = 0;
    // Files are read a few at a time: one read after the other left the process waiting for most
    // of a large folder's lint. They are still taken in order, so the output is the same.
    let reading: Promise<string>[] = [];
    for (const [position, candidate] of candidates.entries()) {
      if (position % READ_AHEAD === 0)
        reading = candidates
          .slice(position, position + READ_AHEAD)
          .map((next) => readTextFile(next.file, io.cwd))
          // Handled when the file's turn comes; until then a failed read is no unhandled rejection.
          .map((read) => (read.catch(() => undefined), read));
      let text: string;
      try {
        text = await reading[position % READ_AHEAD];
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        // A binary or huge file found while walking a directory is not an error; one named on the command line is.
        if (candidate.explicit || !(error instanceof SkippedFileError)) {
          io.stderr(`talos-oidc lint: ${error.message}\n`);
          inputProblems++;
        } else io.stderr(`talos-oidc lint: skipped ${error.message}\n`);
        continue;
      }
      const file = parseYamlFile(candidate.file, text, { budgetMs: LINT_PARSE_BUDGET_MS });
      if (file.notChecked && candidate.explicit) {
        io.stderr(`talos-oidc lint: ${candidate.file}: ${file.skipped}\n`);
        inputProblems++;
        continue;
      }
      if (file.kinds.size === 0 && file.yamlProblems.length > 0 && candidate.explicit) {
        const problem = file.yamlProblems[0];
        io.stderr(
          `talos-oidc lint: ${candidate.file}:${problem.range.start.line + 1}:${problem.range.start.character + 1}: not valid YAML: ${problem.message.split('\n')[0]}\n`,
        );
        inputProblems++;
        continue;
      }
      parsed.push(file);
    }
    if (candidates.length === 0) {
      io.stderr(`talos-oidc lint: no *.yaml or *.yml files in ${positionals.join(', ')}\n`);
      return ExitCode.usage;
    }

    const talosVersion = flags['talos-version'];
    if (talosVersion !== undefined && !parseTalosVersion(talosVersion, 'setting'))
      throw new UsageError(`--talos-version ${talosVersion}: give a Talos release such as v1.13`);
    const findings = checkFiles(parsed, { talosVersion });
    if (format === 'json') io.stdout(`${JSON.stringify(findings.map(toLintRecord), null, 2)}\n`);
    else {
      for (const finding of findings) {
        const record = toLintRecord(finding);
        io.stdout(
          `${record.file}:${record.line}:${record.column}: ${record.severity} ${record.code}: ${record.message}\n`,
        );
      }
      if (parsed.length === 0) return inputProblems > 0 ? ExitCode.usage : ExitCode.ok;
      const count = (severity: Finding['severity']) =>
        findings.filter((finding) => finding.severity === severity).length;
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      io.stdout(
        `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${count('info')} info in ${plural(parsed.length, 'file')}\n`,
      );
    }
    if (inputProblems > 0) return ExitCode.usage;
    return findings.some((finding) => finding.severity === 'error') ? ExitCode.failed : ExitCode.ok;
  },
};
