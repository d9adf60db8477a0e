// Removes credentials from any text before it reaches the log, an output, the summary or a
// comment. The runner masks registered secrets in the log only; outputs, the summary file
// and comments are written by us, so they are redacted here, even when the API echoed a value.

export type Redact = (text: string) => string;

export function redactor(secrets: Iterable<string>): Redact {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(encodeURIComponent(secret));
  }
  // Longest first, so a secret that contains another is replaced whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((result, form) => result.split(form).join('***'), text);
}
