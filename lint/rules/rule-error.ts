import type { Rule } from '../types.js';

/**
 * Reported by the engine, not by a check: it is in the registry so that its metadata reaches
 * RULES.md and the SARIF rule list like every other id a finding can carry.
 */
export const rule: Rule = {
  id: 'rule-error',
  severity: 'error',
  group: 'grammar',
  docs: {
    summary: 'A rule failed on this policy (a bug in kmskit); the other rules still ran.',
    rationale:
      'A linter that crashes on one odd document reports nothing on the rest. The engine turns a rule that throws into this finding, naming the rule and the error, so the run completes and the bug is visible. Please report it with the policy.',
  },
  check() {
    return [];
  },
};
