import type { Rule } from '../types.js';

/**
 * Reported by the reader (iac/), not by a check: an input that cannot be read is a finding, so a CI
 * gate never passes because it did not look. In the registry for RULES.md and the SARIF rule list.
 */
export const rule: Rule = {
  id: 'unreadable-input',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'An input cannot be read: not UTF-8 text, a binary file, over the size limit, or a file a policy reads (file(), templatefile()) is missing.',
    rationale:
      'A gate that skips what it cannot read passes the very change it was meant to stop. kmskit reports the file, the reason and, for a file over the size limit, the limit and the option that raises it (--max-file-size).',
  },
  check() {
    return [];
  },
};
