// semgrep-style fixture annotations: `// ruleid: X`, `// ok: X`, `// todoruleid: X`,
// `// todook: X` (also after `#`, `--`, `/*` and JSX `{/*`), each applying to the
// next line that is not itself an annotation. Several ids may be comma-separated.

export interface Annotation {
  kind: 'ruleid' | 'ok' | 'todoruleid' | 'todook';
  ruleId: string;
  /** 0-based line the annotation applies to. */
  targetLine: number;
}

const ANNOTATION = /^\s*(?:\/\/|#|--|\/\*|\{\/\*)\s*(ruleid|ok|todoruleid|todook)\s*:\s*([\w-]+(?:\s*,\s*[\w-]+)*)/;

export function parseAnnotations(text: string): Annotation[] {
  const lines = text.split(/\r?\n/);
  const annotations: Annotation[] = [];
  let pending: Omit<Annotation, 'targetLine'>[] = [];
  lines.forEach((line, index) => {
    const match = ANNOTATION.exec(line);
    if (match) {
      const kind = match[1] as Annotation['kind'];
      for (const ruleId of (match[2] ?? '').split(/\s*,\s*/)) pending.push({ kind, ruleId });
      return;
    }
    for (const annotation of pending) annotations.push({ ...annotation, targetLine: index });
    pending = [];
  });
  return annotations;
}
