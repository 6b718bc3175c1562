import { checkDocumentation } from '../../core/checks/explanations';

/** The page a diagnostic's code link opens: the check's explanation and fix (no `vscode` import). */
export function checkExplanationMarkdown(code: string): string {
  const check = checkDocumentation(code);
  if (!check) return `# Unknown check ${code}\n`;
  return [
    `# ${check.code}: ${check.title}`,
    '',
    `*${check.severity}, ${check.area}*`,
    '',
    '## What goes wrong',
    '',
    check.explanation,
    '',
    '## The fix',
    '',
    check.fix,
    '',
    'Quick fixes for this finding are in the light bulb (Ctrl+.) where the editor marks it.',
    '',
  ].join('\n');
}
