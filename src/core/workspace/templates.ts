/**
 * Values that are not literal: talhelper/envsubst `${VAR}`, 1Password `op://` references, Jinja
 * or Go template `{{ … }}`. Whatever fills them in runs before Talos or kubectl see the value, so
 * a check of the literal text would be wrong; the checks say that the check was not possible.
 */

const TEMPLATE = /\$\{[^}\n]*\}|\{\{[^\n]*?\}\}|\{%[^\n]*?%\}|\bop:\/\/\S+/;

/** The template or reference part of a value (`${SECRET_DOMAIN}`), if it has one. */
export function templateReference(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return TEMPLATE.exec(value)?.[0];
}

/** The variable a `${VAR}` / `{{ var }}` reference names, for messages. */
export function templateVariable(reference: string): string | undefined {
  const match = /^\$\{\s*([A-Za-z_][A-Za-z0-9_]*)|^\{\{\s*\.?([A-Za-z_][A-Za-z0-9_.]*)/.exec(reference);
  return match ? (match[1] ?? match[2]) : undefined;
}

/**
 * A Jinja/Ansible template (`.j2`) as YAML: `{{ expr }}` becomes `${ expr }}` (same length, so
 * every offset stays valid, and no longer a YAML flow mapping); `{% … %}` and `{# … #}` tags become
 * blanks. The result is only for parsing; edits still apply to the original text.
 */
export function neutralizeJinja(text: string): string {
  return text.replace(/\{\{/g, '${').replace(/\{%[\s\S]*?%\}|\{#[\s\S]*?#\}/g, (tag) => tag.replace(/[^\n]/g, ' '));
}

export function isJinjaTemplateFile(file: string): boolean {
  return /\.j2$|\.jinja2?$/i.test(file);
}
